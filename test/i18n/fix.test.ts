// The fix engine and planners in zh-CN and ja (issue 20): every proposal title and description, harden stage, engine
// log line, FixError / MigrationError / HostNameError / DockerAuthError text and rollback difference is rendered through
// the real code (planners on fixtures, the fix engine and `fix --harden` on a copied node tree) and must hold no English
// sentence — a run of three English words once file names, hosts, commands and kept terms are taken out. A string left
// English anywhere on these paths fails here. English output stays exactly what it was (checked on a few texts).
import { afterEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { getLang, setLang, withLang, tr, fixTitle, fixDescription, summaryText, type Lang } from '../../src/i18n/index.js';
import { CAUSE_CODES } from '../../src/core/causes.js';
import { parseTarget } from '../../src/core/reference.js';
import type { Finding, FixProposal, RunState } from '../../src/core/types.js';
import type { Facts } from '../../src/core/facts.js';
import { proposeFixes, type PlanContext } from '../../src/fix/propose.js';
import { crioWording, proposeCrioFixes } from '../../src/fix/propose-crio.js';
import { guardK3sFixes } from '../../src/fix/propose-k3s.js';
import { planHarden } from '../../src/fix/harden.js';
import { tofuDecision, tofuRefusalText } from '../../src/fix/node-plan.js';
import { migrateLegacy } from '../../src/fix/legacy-migration.js';
import { editDockerConfig } from '../../src/fix/credentials-file.js';
import { applyPlan, differencesText, loadJournal, preparePlan, rollback, withStateLock } from '../../src/fix/engine.js';
import { errorText, saidText } from '../../src/fix/errors.js';
import { parseEndpoint } from '../../src/fix/host-names.js';
import { editToml } from '../../src/fix/toml-edit.js';
import { editYaml } from '../../src/fix/yaml-edit.js';
import { RootedFs } from '../../src/adapters/fs.js';
import { RealExec } from '../../src/adapters/exec.js';
import { createRealAdapters } from '../../src/app/adapters.js';
import { DEFAULT_RUN_OPTIONS, type DiagnoseParams, type DiagnosisResult } from '../../src/app/diagnose.js';
import { runGraph } from '../../src/core/engine.js';
import { containerdConfigCheck } from '../../checks/containerd-config.js';
import { runtimeInfoCheck } from '../../checks/runtime-info.js';
import { runHarden } from '../../src/cli/commands/fix-harden.js';
import { createCA, issueCert, selfSigned } from '../../src/x509/build.js';
import type { CertInfo } from '../../src/x509/cert.js';
import type { CliIO } from '../../src/app/io.js';
import type { K3sLayout } from '../../src/runtime/k3s.js';
import { containerdConfigFact, partialFacts } from '../helpers/facts.js';
import { memoryIO } from '../helpers/io.js';
import { buildReport } from '../../src/core/report.js';
import { parseFixOptions, runFix } from '../../src/cli/commands/fix.js';

const LANGS: Lang[] = ['zh-CN', 'ja'];
const HOST = 'reg.test:5000';
const IMAGE = `${HOST}/team/app:1`;

/** Words that stay English in every language (names, protocols, kept terms of the catalogue). */
const KEPT_WORDS = new Set(
  'containerd kubelet kubectl regdoctor CA CRI TLS HTTP HTTPS mTLS TOML RBAC Go Docker JSON URL Secret ServiceAccount Pod imagePullSecrets imagePullSecret harden server ca crictl rmi RemoveImage insecure pid CN FILE crio systemctl reload SHA Acme Root ok ID'.split(
    ' ',
  ),
);

/** Text that is quoted byte-exact inside a translation: commands, Go's and Node's own messages. */
const KEPT_SPANS = [
  'timedatectl status; chronyc tracking',
  'x509: certificate signed by unknown authority',
  /Expected property name[^）)]*/g,
];

/** Runs of three or more English words left once data (paths, hosts, flags, code spans) and kept words are removed. */
function englishRuns(text: string): string[] {
  const cleaned = KEPT_SPANS.reduce<string>((t, k) => t.replaceAll(k, ' '), text)
    .replace(/`[^`]*`/g, ' ')
    // a token with a path, host, number, flag or quote in it is data, not prose
    .replace(/[^\s\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]*[/.:"=[\]_0-9@<>*\-—…'’][^\s\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]*/g, ' ')
    .replace(/[A-Za-z]+/g, (w) => (KEPT_WORDS.has(w) ? ' | ' : w));
  return cleaned.match(/[A-Za-z]+(?:[ ,;:()]+[A-Za-z]+){2,}/g) ?? [];
}

/** Runs async `fn` with `lang` active for the whole of it (withLang restores the language when `fn` returns its promise). */
async function inLang<T>(lang: Lang, fn: () => Promise<T>): Promise<T> {
  const prev = getLang();
  setLang(lang);
  try {
    return await fn();
  } finally {
    setLang(prev);
  }
}

/** Asserts `render()` in each translation says something and holds no English sentence. */
function speaksEach(what: string, render: () => string | string[]) {
  for (const lang of LANGS) {
    const out = withLang(lang, render);
    const texts = (Array.isArray(out) ? out : [out]).filter((s) => s !== '');
    expect(texts.length, `${what} (${lang}) rendered nothing`).toBeGreaterThan(0);
    for (const s of texts) expect(englishRuns(s), `${what} (${lang}): ${s}`).toEqual([]);
  }
}

const proposalTexts = (ps: FixProposal[]) => () =>
  ps.flatMap((p) => [fixTitle(p), fixDescription(p), ...(p.blockedMessage ? [tr(p.blockedMessage, p.blocked)] : [])]);

const finding = (code: Finding['code'], data?: Record<string, unknown>): Finding => ({
  code,
  severity: 'error',
  summary: `${code}-summary`,
  evidence: [],
  fixes: [],
  source: 'go-verify',
  ...(data ? { data } : {}),
});

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

/** A legacy node (mirrors / configs.tls, no config_path) whose registry presents a self-signed certificate. */
function legacyCtx(inputs: PlanContext['inputs'] = {}): PlanContext {
  return {
    target: parseTarget(IMAGE),
    inputs,
    facts: partialFacts({
      'containerd-config': containerdConfigFact({
        effective: { registry: HOST, mode: 'legacy', endpoints: [] },
        registrySummary: { mirrors: ['docker.io'], configs: [HOST] },
      }),
      'cert-chain': {
        certs: [
          {
            info: {
              pem: PEM,
              sha256: 'ab'.repeat(32),
              notBefore: '2026-01-01T00:00:00.000Z',
              notAfter: '2027-01-01T00:00:00.000Z',
              selfIssued: true,
              isCA: true,
              subject: { display: 'CN=reg.test' },
              issuer: { display: 'CN=reg.test' },
            },
          },
        ],
      },
    }),
    rawRegistry: {
      mirrors: { 'docker.io': { endpoint: ['https://mirror.gcr.io'] } },
      configs: { [HOST]: { tls: { ca_file: '/etc/ssl/reg.pem' } } },
    },
  };
}

/** A config_path node with credentials in play (auth files, containerd's legacy auth, pull secrets). */
function credCtx(facts: Record<string, unknown>, inputs: PlanContext['inputs'] = {}): PlanContext {
  return {
    target: parseTarget(IMAGE),
    inputs,
    facts: partialFacts({
      'containerd-config': containerdConfigFact({
        effective: {
          registry: HOST,
          mode: 'hosts-toml',
          configPath: ['/etc/containerd/certs.d'],
          endpoints: [
            {
              url: `http://${HOST}/v2`,
              host: HOST,
              scheme: 'http',
              isServer: true,
              capabilities: ['pull', 'resolve'],
              tls: { caFiles: [], clientPairs: [], skipVerify: false },
              headers: {},
              source: 'x server',
            },
          ],
        },
        registrySummary: { configPath: '/etc/containerd/certs.d', mirrors: [], configs: [] },
      }),
      ...facts,
    }),
  };
}
const creds = { username: 'alice', password: 'pw-not-printed' };

describe('fix proposals in zh-CN and ja (the planners on fixtures)', () => {
  it('every cause code: titles, descriptions and blocked reasons on a legacy node, with and without a CA', () => {
    for (const code of CAUSE_CODES)
      for (const inputs of [{}, { ca: PEM, caSource: 'ca.pem' }, { clientCert: PEM, clientKey: '-----BEGIN PRIVATE KEY-----\nx\n' }]) {
        const ps = proposeFixes(finding(code, { acceptableCAs: ['CN=Acme Root'] }), legacyCtx(inputs));
        if (ps.length) speaksEach(`${code} ${Object.keys(inputs).join(',')}`, proposalTexts(ps));
      }
  });

  it('an existing hosts.toml containerd 1.6 does not decode (no [host] table): the planner notes why it adds one', () => {
    const dir = `/etc/containerd/certs.d/${HOST}`;
    const c = credCtx({});
    Object.assign(c.facts['containerd-config']!.effective, {
      hostsDir: dir,
      hostsFile: `${dir}/hosts.toml`,
      endpoints: [
        {
          ...c.facts['containerd-config']!.effective.endpoints[0]!,
          url: `https://${HOST}/v2`,
          scheme: 'https',
          source: `${dir}/hosts.toml server`,
        },
      ],
    });
    c.inputs = { ca: PEM };
    c.node = { dirs: { [dir]: ['hosts.toml', 'ca.crt'] } };
    const ca = proposeFixes(finding('self-signed'), c).find((p) => p.id === 'hosts-toml-ca')!;
    expect(ca.description).toContain('decodes a hosts.toml only when it has a [host."…"] table');
    speaksEach('no host table', proposalTexts([ca]));
  });

  it('a node the planner refuses (hosts.toml already there, not read): the blocked reason and description', () => {
    const c = legacyCtx({ ca: PEM });
    c.node = { dirs: { [`/etc/containerd/certs.d/${HOST}`]: ['hosts.toml'] } };
    const ps = proposeFixes(finding('self-signed'), c).filter((p) => p.blocked);
    expect(ps.length).toBeGreaterThan(0);
    speaksEach('blocked', proposalTexts(ps));
    // the stored English is the engine's sentence, unchanged
    expect(ps[0]!.blocked).toMatch(/already exists and is not read today \(config_path is not set\)/);
  });

  it('credentials: containerd auth, node files (replace, remove, add, rekey), pull secrets, the unprotected-path warning', () => {
    const legacyAuth = credCtx({ 'auth-files': { matching: [] } }, creds);
    legacyAuth.facts['containerd-config']!.effective.legacyAuth = {
      source: `configs."${HOST}".auth`,
      hasUsername: true,
      hasPassword: true,
      hasAuth: false,
      hasIdentityToken: false,
    } as never;
    const af = { kubeletFile: '/var/lib/kubelet/config.json', matching: [{ key: HOST }] };
    const ps = { namespace: 'team', serviceAccount: 'builder', source: 'service-account', secrets: ['old'], matching: [], tested: [] };
    const pod = { namespace: 'team', pod: 'api-1', source: 'pod', secrets: ['mine'], matching: [], tested: [] };
    const cases: [string, FixProposal[]][] = [
      ['containerd auth', proposeFixes(finding('unauthorized'), legacyAuth)],
      ['containerd auth, no input', proposeFixes(finding('unauthorized'), { ...legacyAuth, inputs: {} })],
      ['node file', proposeFixes(finding('unauthorized'), credCtx({ 'auth-files': af }, creds))],
      ['node file, no input', proposeFixes(finding('unauthorized'), credCtx({ 'auth-files': af }))],
      ['no credential', proposeFixes(finding('credentials-missing'), credCtx({ 'auth-files': { matching: [] } }, creds))],
      [
        'near miss',
        proposeFixes(
          finding('credentials-missing', { keys: [{ key: 'reg.test', why: 'port' }] }),
          credCtx({ 'auth-files': { kubeletFile: '/var/lib/kubelet/config.json', matching: [] } }),
        ),
      ],
      ['pull secret', proposeFixes(finding('unauthorized'), credCtx({ 'pull-secrets': ps }, creds))],
      ['pod secrets', proposeFixes(finding('unauthorized'), credCtx({ 'pull-secrets': pod }, creds))],
    ];
    for (const [name, list] of cases) speaksEach(name, proposalTexts(list));
    // the plain-HTTP endpoint makes the credential travel unprotected: said in each language, English unchanged
    const warned = cases[4]![1].find((p) => p.actions.length > 0)!;
    expect(warned.description).toContain(`sends it unprotected to http://${HOST}/v2 (plain HTTP)`);
    expect(withLang('ja', () => fixDescription(warned))).toContain('平文 HTTP');
  });

  it('the fix screen steps: edits, credential steps and cache removal', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'regdoctor-i18n-fix-'));
    try {
      await mkdir(path.join(root, 'etc/containerd'), { recursive: true });
      await writeFile(path.join(root, 'etc/containerd/config.toml'), 'version = 2\n');
      const fs = new RootedFs(root);
      const ca = proposeFixes(finding('self-signed'), legacyCtx({ ca: PEM })).find((p) => p.id === 'hosts-toml-ca')!;
      const cred = proposeFixes(finding('credentials-missing'), credCtx({ 'auth-files': { matching: [] } }, creds)).find(
        (p) => p.id === 'node-auth',
      )!;
      const steps = await preparePlan(fs, [...ca.actions, ...cred.actions], { restartCmd: 'true' });
      speaksEach('steps', () => steps.map((s) => tr(s.summaryMessage, s.summary)));
      expect(steps.every((s) => s.summaryMessage || s.action.kind === 'restart-runtime')).toBe(true);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('CRI-O nodes: CA, plain HTTP, client certificate, manual configuration, a refused host', () => {
    const crio = (inputs: PlanContext['inputs'] = {}, name = IMAGE): PlanContext => ({
      target: parseTarget(name),
      inputs,
      facts: partialFacts({
        'runtime-info': { kind: 'cri-o' },
        'crio-config': {
          entry: { prefix: HOST, location: HOST, insecure: false, blocked: false, mirrors: [], file: '/etc/containers/registries.conf' },
        },
        'cert-chain': legacyCtx().facts['cert-chain'],
      }),
    });
    for (const code of [
      'self-signed',
      'untrusted-ca',
      'incomplete-chain',
      'plain-http-registry',
      'client-cert-required',
      'config-invalid',
    ] as const)
      for (const inputs of [{}, { ca: PEM }]) speaksEach(`cri-o ${code}`, proposalTexts(proposeCrioFixes(finding(code), crio(inputs))));
  });

  it('CRI-O wording of findings: its own auth files decide, plain HTTP against HTTPS', () => {
    const auth = '/run/containers/0/auth.json';
    const state = {
      target: parseTarget(IMAGE),
      facts: partialFacts({
        'crio-config': {
          authDecides: auth,
          authFiles: [{ path: auth, exists: true, matches: [HOST] }],
          entry: { prefix: HOST, location: HOST, insecure: false, blocked: false, mirrors: [], file: '/etc/containers/registries.conf' },
        },
      }),
    } as unknown as RunState;
    const out = crioWording([finding('credentials-missing'), finding('plain-http-registry')], state);
    expect(out[0]!.summary).toBe(
      `credentials-missing-summary CRI-O itself has credentials for it in ${auth} (the first of its auth files with an entry for this registry); regdoctor did not test them.`,
    );
    speaksEach('crio wording', () => out.map(summaryText));
  });

  it('k3s: the registries.yaml form of a CA fix, and a change that must be made by hand (blocked)', () => {
    const layout: K3sLayout = {
      flavour: 'k3s',
      containerdDir: '/var/lib/rancher/k3s/agent/etc/containerd',
      configToml: '/var/lib/rancher/k3s/agent/etc/containerd/config.toml',
      certsDir: '/var/lib/rancher/k3s/agent/etc/containerd/certs.d',
      registriesYaml: '/etc/rancher/k3s/registries.yaml',
      socket: '/run/k3s/containerd/containerd.sock',
      service: 'k3s',
    };
    const c = legacyCtx({ ca: PEM });
    // a node with config_path under the generated directory: the CA fix becomes registries.yaml + the unit restart
    c.facts['containerd-config']!.effective.configPath = [layout.certsDir];
    c.rawRegistry = { mirrors: {}, configs: {} };
    const trust = guardK3sFixes(proposeFixes(finding('self-signed'), c), layout, HOST);
    const yaml = trust.find((p) => p.id === 'hosts-toml-ca')!;
    expect(yaml.actions.some((a) => a.kind === 'edit-yaml')).toBe(true);
    expect(yaml.title).toBe(`Trust the supplied CA for ${HOST} only (k3s registries.yaml ca_file)`);
    speaksEach('k3s yaml', proposalTexts(trust));
    const skip = guardK3sFixes(proposeFixes(finding('self-signed'), c), layout, HOST).find((p) => p.id === 'hosts-toml-skip-verify')!;
    speaksEach('k3s skip-verify', proposalTexts([skip]));
    // legacy tables moved into hosts.toml: config.toml itself would change — refused, the reason in each language
    const migrate = guardK3sFixes(
      proposeFixes(finding('config-conflict'), legacyCtx()),
      { ...layout, containerdDir: '/etc/containerd' },
      HOST,
    );
    const blocked = migrate.filter((p) => p.blocked);
    expect(blocked.length).toBeGreaterThan(0);
    speaksEach('k3s blocked', proposalTexts(blocked));
  });
});

describe('errors of the fix layer in zh-CN and ja', () => {
  it('migration, host name, docker config and trust-on-first-use refusals', () => {
    const errs: unknown[] = [];
    const grab = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        errs.push(err);
      }
    };
    grab(() =>
      migrateLegacy({ mirrors: {}, configs: { [HOST]: { tls: { ca_file: 'relative.pem' } } } }, '/etc/containerd/certs.d', '1.6.20'),
    );
    grab(() => migrateLegacy({ mirrors: {}, configs: { [HOST]: { tls: { cert_file: '/c.pem' } } } }, '/etc/containerd/certs.d', '1.6.20'));
    grab(() => migrateLegacy({ mirrors: { [HOST]: { endpoint: 'x' } }, configs: {} }, '/etc/containerd/certs.d', '1.6.20'));
    grab(() => parseEndpoint('ftp://mirror.test'));
    grab(() => parseEndpoint('https://u:p@mirror.test'));
    grab(() =>
      editDockerConfig('{not json', {
        kind: 'docker-auth',
        path: '/root/.docker/config.json',
        format: 'config.json',
        remove: 'x',
        description: '',
      }),
    );
    grab(() =>
      editDockerConfig('{}', {
        kind: 'docker-auth',
        path: '/root/.docker/config.json',
        format: 'config.json',
        remove: 'x',
        description: '',
      }),
    );
    grab(() => editToml('a = [\n', { table: ['x'], set: { y: 1 } }));
    grab(() => editToml('x = { y = 1 }\n', { table: ['x'], set: { z: 1 } }));
    grab(() => editYaml('a: &anchor\n  b: 1\n', { path: ['configs'], set: { x: 'y' } }));
    grab(() => editYaml('configs:\n  - a\n', { path: ['configs', 'h'], set: { x: 'y' } }));
    expect(errs).toHaveLength(11);
    speaksEach('errors', () => errs.map(errorText));
    expect((errs[0] as Error).message).toMatch(
      /^cannot migrate the legacy registry configuration exactly: configs\."reg\.test:5000"\.tls\.ca_file = "relative\.pem" is a relative path/,
    );
    const p = { sha256: 'ab'.repeat(32), subject: 'CN=reg.test', issuer: 'CN=reg.test', notBefore: 'a', notAfter: 'b' };
    for (const d of [tofuDecision(p, undefined, false), tofuDecision(p, 'cd'.repeat(32), false), tofuDecision(p, 'nope', false)]) {
      expect(d.kind).toBe('refuse');
      if (d.kind === 'refuse') speaksEach('tofu', () => tofuRefusalText(d).split('\n'));
    }
  });

  it('the engine: a failing restart rolls back (log lines and the FixError), a refused rollback, a lock, no journal', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'regdoctor-i18n-fix-'));
    try {
      await mkdir(path.join(root, 'etc/containerd'), { recursive: true });
      await writeFile(path.join(root, 'etc/containerd/config.toml'), 'version = 2\n');
      const fs = new RootedFs(root);
      const actions = proposeFixes(finding('self-signed'), legacyCtx({ ca: PEM })).find((p) => p.id === 'hosts-toml-ca')!.actions;
      for (const lang of LANGS) {
        const log: string[] = [];
        const o = {
          fs,
          exec: new RealExec(),
          stateDir: `/var/lib/regdoctor-${lang}`,
          waitForRuntime: async () => true,
          log: (l: string) => log.push(l),
        };
        const steps = await preparePlan(fs, actions, { restartCmd: 'false' });
        const err = await inLang(lang, () => applyPlan(steps, { ...o, restartCmd: 'false', target: IMAGE, proposal: 'p' })).catch(
          (e: unknown) => e,
        );
        expect((err as Error).message).toMatch(/^restart failed \(exit 1\)[^]*nothing is left applied: every earlier step was rolled back/);
        const text = withLang(lang, () => errorText(err));
        expect(englishRuns(text), text).toEqual([]);
        expect(log.length).toBeGreaterThan(3);
        for (const l of log) expect(englishRuns(l), `${lang}: ${l}`).toEqual([]);
        // applied, then changed by someone: the rollback refuses, in the reader's language
        const ok = await applyPlan(await preparePlan(fs, actions, { restartCmd: 'true' }), {
          ...o,
          restartCmd: 'true',
          target: IMAGE,
          proposal: 'p',
        });
        await writeFile(path.join(root, 'etc/containerd/config.toml'), 'version = 2\n# someone\n');
        const refused = await rollback(ok, { ...o, restartCmd: 'true' }).catch((e: unknown) => e);
        speaksEach('refused rollback', () => errorText(refused));
        const forced = await inLang(lang, () => rollback(ok, { ...o, restartCmd: 'true', force: true }));
        await writeFile(path.join(root, 'etc/containerd/config.toml'), 'version = 2\n');
        expect(forced.differences).toEqual([]);
        const none = await loadJournal(fs, '/var/lib/nothing-here').catch((e: unknown) => e);
        speaksEach('no journal', () => errorText(none));
      }
      // differences after a rollback that cannot restore everything: a created directory left with a stranger's file
      const log: string[] = [];
      const o = {
        fs,
        exec: new RealExec(),
        stateDir: '/var/lib/regdoctor-d',
        restartCmd: 'true',
        waitForRuntime: async () => true,
        log: (l: string) => log.push(l),
      };
      const j = await applyPlan(await preparePlan(fs, actions, { restartCmd: 'true' }), { ...o, target: IMAGE, proposal: 'p' });
      await writeFile(path.join(root, `etc/containerd/certs.d/${HOST}/stranger.txt`), 'x');
      const back = await rollback(j, o);
      expect(back.differences.some((d) => /a directory regdoctor created\) is still there/.test(d))).toBe(true);
      speaksEach('differences', () => differencesText(back));
      // a held lock
      await mkdir(path.join(root, 'var/lib/held'), { recursive: true });
      await writeFile(path.join(root, 'var/lib/held/lock'), JSON.stringify({ pid: process.pid, host: 'h', since: 'now', what: 'fix' }));
      const locked = await withStateLock(fs, '/var/lib/held', async () => 0, { waitMs: 0 }).catch((e: unknown) => e);
      speaksEach('lock', () => errorText(locked));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('fix --yes in zh-CN and ja (the command with the real planner output, applied under --root)', () => {
  it('plan, steps, engine log lines, the skipped restart and the verification', async () => {
    for (const lang of LANGS) {
      const root = await mkdtemp(path.join(tmpdir(), 'regdoctor-i18n-fixcmd-'));
      try {
        const io = memoryIO();
        const target = parseTarget(IMAGE);
        let n = 0;
        const diag = (findings: Finding[]): DiagnosisResult => {
          const state = { target, startedAt: 0, finishedAt: 1, checks: [], cancelled: false, facts: {} } as unknown as RunState;
          return { state, findings, report: buildReport(state, findings) } as DiagnosisResult;
        };
        const code = await inLang(lang, () =>
          runFix(
            {
              ...parseFixOptions([IMAGE, '--no-pull', '--root', root, '--state-dir', '/var/lib/regdoctor'], {}),
              yes: true,
              trustPresented: 'ab'.repeat(32),
            },
            {
              io,
              diagnose: async () => (n++ === 0 ? diag([finding('self-signed')]) : diag([])),
              planFixes: async ({ finding: f }) => proposeFixes(f, legacyCtx()),
            },
          ),
        );
        expect(code, io.out() + io.err()).toBe(0);
        const lines = `${io.out()}\n${io.err()}`.split('\n').filter((l) => l.trim() && !/^ {5}/.test(l));
        expect(lines.length).toBeGreaterThan(5);
        for (const l of lines) expect(englishRuns(l), `${lang}: ${l}`).toEqual([]);
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    }
  });
});

describe('fix --harden in zh-CN and ja (the planner and the command on a copied node tree)', () => {
  let root: string;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });
  async function node(files: Record<string, string>) {
    root = await mkdtemp(path.join(tmpdir(), 'regdoctor-i18n-harden-'));
    for (const [p, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, p)), { recursive: true });
      await writeFile(path.join(root, p), text);
    }
  }
  async function facts(o: { chain: CertInfo[]; certificate: string; trust?: string; pullOk: boolean }): Promise<Facts> {
    const state = await runGraph([runtimeInfoCheck, containerdConfigCheck], {
      target: parseTarget(IMAGE),
      options: { ...DEFAULT_RUN_OPTIONS, root, containerdVersion: '1.6.20', pull: false },
      adapters: createRealAdapters({ root, env: {} }),
    });
    const cfg = state.facts['containerd-config']!;
    const skip = cfg.effective.endpoints.filter((e) => e.tls.skipVerify);
    return {
      ...state.facts,
      'tls-handshake': { serverName: 'reg.test', endpoint: { url: `https://${HOST}/v2` } },
      'cert-chain': { certs: o.chain.map((info, index) => ({ info, index })), pool: [] },
      'node-hygiene': {
        skipVerify: skip.map((e) => ({ url: e.url, source: e.source, certificate: o.certificate, trustSha256: o.trust })),
        deprecated: ['mirrors."docker.io"', `configs."${HOST}".auth`],
        plainHttp: [],
        exposed: [],
      },
      'cri-pull': o.pullOk
        ? { ok: true, endpoint: 'x', runtime: 'containerd', durationMs: 1 }
        : { ok: false, message: 'x509: certificate signed by unknown authority', endpoint: 'x', runtime: 'containerd', durationMs: 1 },
    } as unknown as Facts;
  }
  const HOSTS_TOML = `server = "https://${HOST}"\n\n[host."https://${HOST}"]\n  skip_verify = true\n`;
  const CONFIG = 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n';
  const LEGACY = `version = 2\n[plugins."io.containerd.grpc.v1.cri".registry.mirrors."${HOST}"]\n  endpoint = ["https://${HOST}"]\n[plugins."io.containerd.grpc.v1.cri".registry.configs."${HOST}".tls]\n  insecure_skip_verify = true\n`;
  const plan = async (certificate: string, chain: CertInfo[], trust?: string, inputs = {}) =>
    planHarden({
      target: parseTarget(IMAGE),
      facts: await facts({ chain, certificate, trust, pullOk: true }),
      findings: [],
      inputs,
      now: new Date(),
    });

  it('refusals, notes and stages of the plan', async () => {
    await node({ '/etc/containerd/config.toml': CONFIG, [`/etc/containerd/certs.d/${HOST}/hosts.toml`]: HOSTS_TOML });
    const ca = createCA({ cn: 'Acme Root' });
    const leaf = issueCert(ca, { cn: 'reg.test', dns: ['reg.test'] });
    const plans = [
      await plan('name-mismatch', [selfSigned({ cn: 'other.test', dns: ['other.test'] }).info]),
      await plan('private-ca', [leaf.info]),
      await plan('private-ca', [leaf.info], undefined, { ca: createCA({ cn: 'Other Root' }).certPem, caSource: 'other.pem' }),
      await plan('private-ca', [leaf.info], undefined, { ca: ca.certPem, caSource: 'ca.pem' }),
      await plan('verifies', [leaf.info]),
    ];
    expect(plans.map((p) => p.kind)).toEqual(['blocked', 'blocked', 'blocked', 'plan', 'plan']);
    speaksEach('harden plans', () =>
      plans.flatMap((p) =>
        p.kind === 'plan'
          ? [
              ...p.stages.flatMap((s) => [tr(s.titleMessage, s.title), tr(s.descriptionMessage, s.description)]),
              ...p.notes.map((n) => tr(n)),
              ...p.left.map((n) => tr(n)),
            ]
          : [saidText(p.said)],
      ),
    );
    await node({ '/etc/containerd/config.toml': LEGACY });
    const own = selfSigned({ cn: 'reg.test', dns: ['reg.test'] });
    const legacy = await plan('self-signed', [own.info], undefined, { ca: own.certPem });
    expect(legacy.kind, legacy.kind !== 'plan' ? legacy.reason : '').toBe('plan');
    if (legacy.kind === 'plan') {
      expect(legacy.stages[0]!.title).toBe(
        `Trust the supplied CA for ${HOST} and move the legacy registry tables into hosts.toml (config_path) — skip-verify kept for now`,
      );
      speaksEach('legacy stages', () =>
        legacy.stages.flatMap((s) => [tr(s.titleMessage, s.title), tr(s.descriptionMessage, s.description)]),
      );
    }
  });

  it("the command: plan, steps, engine log lines and the verification, all in the reader's language", async () => {
    for (const lang of LANGS) {
      await node({ '/etc/containerd/config.toml': CONFIG, [`/etc/containerd/certs.d/${HOST}/hosts.toml`]: HOSTS_TOML });
      const leaf = selfSigned({ cn: 'reg.test', dns: ['reg.test'] });
      const verdicts = [false, true, true];
      let i = 0;
      const diagnose = async (p: DiagnoseParams): Promise<DiagnosisResult> =>
        ({
          state: {
            target: p.target,
            startedAt: 0,
            checks: [],
            cancelled: false,
            facts: await facts({
              chain: [leaf.info],
              certificate: verdicts[Math.min(i++, 2)] ? 'verifies' : 'self-signed',
              trust: leaf.info.sha256,
              pullOk: true,
            }),
          },
          findings: [],
          report: { verdict: { code: 'healthy', title: '', severity: 'info', summary: 'ok', docs: '' } },
        }) as unknown as DiagnosisResult;
      const io = {
        out: '',
        err: '',
        stdin: process.stdin,
        env: {},
        interactive: false,
        color: false,
        columns: 100,
        signal: new AbortController().signal,
      } as unknown as CliIO & {
        out: string;
        err: string;
      };
      io.stdout = { write: (s: string) => ((io.out += s), true) } as never;
      io.stderr = { write: (s: string) => ((io.err += s), true) } as never;
      const code = await inLang(lang, () =>
        runHarden(
          {
            target: parseTarget(IMAGE),
            run: { ...DEFAULT_RUN_OPTIONS, root },
            inputs: {},
            yes: true,
            dryRun: false,
            stateDir: '/var/lib/regdoctor',
            restartCmd: 'true',
            trustPresented: leaf.info.sha256,
          },
          { io, diagnose, adapters: () => createRealAdapters({ root, env: {} }) },
        ),
      );
      expect(code, io.out + io.err).toBe(0);
      // the diffs (file contents, indented five columns) stay byte-exact: everything else is prose
      const lines = `${io.out}\n${io.err}`.split('\n').filter((l) => l.trim() && !/^ {5}/.test(l));
      for (const l of lines) expect(englishRuns(l), `${lang}: ${l}`).toEqual([]);
      expect(io.out).toMatch(lang === 'ja' ? /作成しました|更新しました/ : /已创建|已更新/);
      await rm(root, { recursive: true, force: true });
    }
  });
});
