// Node-side findings in zh-CN and ja: the real checks run over node trees written here (containerd config.toml,
// hosts.toml, certs.d, k3s registries.yaml) and every finding they produce is rendered through tr(); no English
// sentence may remain, and the stored English summary is the English rendering of the same message.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runGraph } from '../../src/core/engine.js';
import { DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { parseTarget } from '../../src/core/reference.js';
import { createRealAdapters } from '../../src/app/adapters.js';
import { containerdConfigCheck } from '../../checks/containerd-config.js';
import { runtimeInfoCheck } from '../../checks/runtime-info.js';
import { runtimeCredentialRejected } from '../../src/runtime/containerd-config.js';
import { authFilesCheck } from '../../checks/auth-files.js';
import { crioConfigCheck } from '../../checks/crio-config.js';
import { criPullCheck } from '../../checks/cri-pull.js';
import { firstClause, judgeDrift, judgeRunningModel } from '../../checks/runtime-drift.js';
import { catalogueProblems, messageIn, summaryText, withLang, type Message } from '../../src/i18n/index.js';
import { NODE_EN } from '../../src/i18n/node.en.js';
import { NODE_JA } from '../../src/i18n/node.ja.js';
import { NODE_ZH_CN } from '../../src/i18n/node.zh-CN.js';
import type { Check, FindingInput, RunState } from '../../src/core/types.js';
import { OFFLINE } from '../helpers/offline-net.js';
import { englishRuns } from './node-english.js';

const FIX = fileURLToPath(new URL('../fixtures/nodes/', import.meta.url));

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'regdoctor-i18n-node-'));
  for (const [p, body] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), body);
  }
  return root;
}

async function run(
  root: string,
  image: string,
  version: string,
  checks: Check[] = [runtimeInfoCheck, containerdConfigCheck],
): Promise<RunState> {
  return runGraph(checks, {
    target: parseTarget(image),
    options: { ...DEFAULT_RUN_OPTIONS, root, containerdVersion: version || undefined, pull: false },
    adapters: { ...createRealAdapters({ root, env: {} }), net: OFFLINE },
  });
}

/** Values of a message kept as they are (a parser's, the OS's or the runtime's own text), nested messages included. */
function keptValues(m: Message): string[] {
  return Object.entries(m.params ?? {}).flatMap(([k, v]) =>
    typeof v === 'object' ? keptValues(v) : KEPT_PARAMS.has(k) ? [String(v)] : [],
  );
}
/** The message's key and the keys of the messages filled into it. */
function keysOf(m: Message): string[] {
  return [m.key, ...Object.values(m.params ?? {}).flatMap((v) => (typeof v === 'object' ? keysOf(v) : []))];
}
const KEPT_PARAMS = new Set(['why', 'error', 'problem']);

/** Every finding (and check summary) of the run has a message, English equals the stored text, zh-CN/ja are translated. */
export function expectTranslated(items: { summary?: string; summaryMessage?: FindingInput['summaryMessage'] }[], keys?: RegExp): string[] {
  const seen: string[] = [];
  for (const f of items) {
    expect(f.summaryMessage, `no message for: ${f.summary}`).toBeDefined();
    if (keys && !keys.test(f.summaryMessage!.key)) continue;
    seen.push(...keysOf(f.summaryMessage!));
    expect(messageIn('en', f.summaryMessage)).toBe(f.summary);
    for (const lang of ['zh-CN', 'ja'] as const) {
      const text = withLang(lang, () => summaryText(f));
      expect(englishRuns(text, keptValues(f.summaryMessage!)), `${lang}: ${text}`).toEqual([]);
    }
  }
  return seen;
}

const findingsOf = (s: RunState, id = 'containerd-config') => s.checks.find((c) => c.id === id)!.findings;
const V2 = (configPath = '/etc/containerd/certs.d') =>
  `version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "${configPath}"\n`;

describe('containerd configuration findings in zh-CN and ja', () => {
  it('unknown hosts.toml keys (in a table, with the intended key), both outcomes of the comparison', async () => {
    const root = tree({
      '/etc/containerd/config.toml': V2(),
      '/etc/containerd/certs.d/reg.test:5000/hosts.toml':
        'server = "https://reg.test:5000"\ninsecure_skip_verify = true\n[host."https://mirror.test"]\n  capabilities = ["pull"]\n  cafile = "x"\n',
    });
    const f = findingsOf(await run(root, 'reg.test:5000/app:1', '1.7.13'));
    const keys = expectTranslated(f);
    expect(keys.filter((k) => k === 'node.hosts.unknownKey').length).toBe(2);
    expect(withLang('ja', () => summaryText(f[0]!))).toContain('`insecure_skip_verify`');
  });

  it('a hosts.toml that does not parse or decode: the Docker-style certs.d fallback, with and without files', async () => {
    const keys = expectTranslated(findingsOf(await run(`${FIX}broken-hosts`, 'reg.test:5000/app:1', '1.7.13')));
    expect(keys).toContain('node.hosts.ignored');
    const root = tree({
      '/etc/containerd/config.toml': V2(),
      '/etc/containerd/certs.d/reg.test:5000/hosts.toml': 'server = "https://reg.test:5000"\nca = "/etc/ca.pem"\n',
      '/etc/containerd/certs.d/reg.test:5000/ca.crt': 'x',
    });
    const decode = findingsOf(await run(root, 'reg.test:5000/app:1', '1.6.20'));
    expect(expectTranslated(decode)).toContain('node.hosts.ignored');
    expect(withLang('zh-CN', () => summaryText(decode.find((x) => x.code === 'config-ignored')!))).toContain('ca.crt');
  });

  it('a hosts.toml whose server or host URL is unusable (an empty host name, a URL Go does not parse)', async () => {
    const keys = new Set<string>();
    for (const body of [
      'server = "https://:5000"\n[host."https://mirror.test"]\n  capabilities = ["pull"]\n',
      '[host."https://[::1"]\n  capabilities = ["pull"]\n',
    ]) {
      const root = tree({ '/etc/containerd/config.toml': V2(), '/etc/containerd/certs.d/reg.test:5000/hosts.toml': body });
      for (const k of expectTranslated(findingsOf(await run(root, 'reg.test:5000/app:1', '1.7.13')))) keys.add(k);
    }
    for (const k of ['node.hosts.unusable', 'node.hosts.badServerUrl', 'node.hosts.badHostUrl', 'node.hosts.goReads'])
      expect(keys, k).toContain(k);
  });

  it('certs.d directories containerd never reads: no config_path, and a directory under a wrong name', async () => {
    expect(expectTranslated(findingsOf(await run(`${FIX}unused-certsd`, 'reg.test:5000/app:1', '1.7.13')))).toContain(
      'node.certsd.unread.one',
    );
    const root = tree({
      '/etc/containerd/config.toml': V2(),
      '/etc/containerd/certs.d/reg.test/hosts.toml': 'server = "https://reg.test:5000"\n',
    });
    const stray = findingsOf(await run(root, 'reg.test:5000/app:1', '1.7.13'));
    expect(expectTranslated(stray)).toContain('node.stray');
  });

  it('referenced CA and client files that cannot be read', async () => {
    const root = tree({
      '/etc/containerd/config.toml': V2(),
      '/etc/containerd/certs.d/reg.test:5000/hosts.toml':
        'server = "https://reg.test:5000"\n[host."https://reg.test:5000"]\n  capabilities = ["pull", "resolve"]\n  ca = "/etc/missing-ca.pem"\n  client = [["/etc/c.pem", "/etc/k.pem"]]\n',
    });
    const keys = expectTranslated(findingsOf(await run(root, 'reg.test:5000/app:1', '1.7.13')));
    expect(keys.some((k) => k === 'node.file.missingFatal' || k === 'node.file.unreadable')).toBe(true);
  });

  it('registry tables under the wrong name for the config version', async () => {
    for (const node of ['v1-legacy', 'v3-wrong-table']) {
      const keys = expectTranslated(
        findingsOf(await run(`${FIX}${node}`, 'reg.test:5000/app:1', node === 'v1-legacy' ? '1.6.20' : '2.1.0')),
      );
      expect(keys).toContain('finding.config.tableIgnored');
    }
  });

  it('a config.toml credential the registry rejects', () => {
    const f = runtimeCredentialRejected(
      { code: 'unauthorized', summary: 'rejected' },
      { source: 'configs."reg.test:5000".auth', file: '/etc/containerd/config.toml', username: 'ci' },
      'reg.test:5000',
    );
    expect(expectTranslated([f])).toEqual(['node.cred.rejected', 'node.cred.password']);
    const anon = runtimeCredentialRejected({ code: 'unauthorized', summary: 'r' }, { source: 'auths."x"', file: '/c', auth: 'a' }, 'x');
    expect(expectTranslated([anon])).toEqual(['node.cred.rejected', 'node.cred.credential']);
  });
});

describe('k3s / RKE2 findings in zh-CN and ja', () => {
  const DIR = '/var/lib/rancher/k3s/agent/etc/containerd';
  const k3s = (registries: string, hosts: Record<string, string>) =>
    tree({
      [`${DIR}/config.toml`]: `# File generated by k3s. DO NOT EDIT.\n${V2(`${DIR}/certs.d`)}`,
      '/etc/rancher/k3s/registries.yaml': registries,
      '/usr/local/bin/k3s': '',
      '/var/lib/rancher/k3s/server/.keep': '',
      ...Object.fromEntries(Object.entries(hosts).map(([d, b]) => [`${DIR}/certs.d/${d}/hosts.toml`, b])),
    });

  it('registries.yaml that does not parse, and a rendering that no longer matches it (every kind of difference)', async () => {
    const bad = findingsOf(await run(k3s('mirrors:\n  a:\n      endpoint: x\n    bad: y\n', {}), 'reg.test:5000/app:1', '1.7.11'));
    expect(expectTranslated(bad)).toContain('node.k3s.yamlInvalid');
    const registries =
      'mirrors:\n  reg.test:5000:\n    endpoint:\n      - "https://mirror.test:5443"\n  new.test:\n    endpoint:\n      - "https://n.test"\n' +
      'configs:\n  "mirror.test:5443":\n    tls:\n      ca_file: /etc/ssl/new-ca.pem\n      insecure_skip_verify: true\n      cert_file: /c.pem\n      key_file: /k.pem\n';
    const gen = '# File generated by k3s. DO NOT EDIT.\n';
    const root = k3s(registries, {
      'reg.test:5000': `${gen}server = "https://reg.test:5000"\n[host."https://mirror.test:5443/v2"]\n  capabilities = ["pull", "resolve"]\n  ca = ["/etc/ssl/old.pem"]\n[host."https://gone.test/v2"]\n  capabilities = ["pull"]\n`,
      'mirror.test:5443': `${gen}server = "https://mirror.test:5443/v2"\n`,
      'old.test': `${gen}server = "https://old.test/v2"\n`,
    });
    const stale = findingsOf(await run(root, 'reg.test:5000/app:1', '1.7.11')).filter((f) => f.code === 'config-not-applied');
    const keys = new Set(expectTranslated(stale));
    for (const k of ['ca', 'skipVerify', 'client', 'notRendered', 'stale', 'orphan']) expect(keys, k).toContain(`node.k3s.diff.${k}`);
    // several differences joined in the reader's language
    expect(withLang('ja', () => summaryText(stale[0]!))).toContain('；');
  });
});

describe('other node checks in zh-CN and ja', () => {
  it('auth-files: invalid JSON, credential helpers kubelet ignores, keys that miss by port or path', async () => {
    const root = tree({
      '/var/lib/kubelet/config.json': '{"auths": {',
      '/config.json': JSON.stringify({
        auths: { 'reg.test:5000': { auth: 'dTpw' } },
        credHelpers: { 'a.test': 'x' },
        credsStore: 'desktop',
      }),
      '/root/.docker/config.json': '{}',
    });
    const s = await run(root, 'reg.test:5000/team/app:1', '1.7.13', [runtimeInfoCheck, containerdConfigCheck, authFilesCheck]);
    const keys = expectTranslated(findingsOf(s, 'auth-files'));
    expect(keys).toEqual(expect.arrayContaining(['node.auth.invalidJson', 'node.auth.helpersIgnored', 'node.list.and']));
    for (const [key, why] of [
      ['reg.test:5000/other', 'node.auth.nearMiss.path'],
      ['reg.test', 'node.auth.nearMiss.port'],
    ]) {
      const image = 'reg.test:5000/team/app:1';
      const r = tree({ '/var/lib/kubelet/config.json': JSON.stringify({ auths: { [key!]: { auth: 'dTpw' } } }) });
      const near = findingsOf(await run(r, image, '1.7.13', [runtimeInfoCheck, containerdConfigCheck, authFilesCheck]), 'auth-files');
      expect(expectTranslated(near)).toEqual(['node.auth.nearMiss', why]);
    }
  });

  it('CRI-O: the check summary and a short name with no search registries', async () => {
    const root = tree({ '/etc/crio/crio.conf': '[crio]\n', '/etc/containers/registries.conf': '[[registry]]\nlocation = "a.test"\n' });
    const s = await run(root, 'app:1', '', [runtimeInfoCheck, crioConfigCheck]);
    const check = s.checks.find((c) => c.id === 'crio-config')!;
    expect(expectTranslated([check, ...check.findings])).toEqual(expect.arrayContaining(['node.crio.summary', 'node.crio.shortName']));
  });

  it("cri-pull off a node: the check says so in the reader's language", async () => {
    const root = tree({ '/etc/containerd/config.toml': V2() });
    // its optional inputs (node and pull-secret credentials) are absent here: the check runs on its own
    const s = await runGraph([{ ...criPullCheck, wants: [] }], {
      target: parseTarget('reg.test:5000/app:1'),
      options: { ...DEFAULT_RUN_OPTIONS, root: '/', pull: true, runtimeEndpoint: `unix://${root}/no.sock` },
      adapters: { ...createRealAdapters({ root: '/', env: {} }), net: OFFLINE },
    });
    const check = s.checks.find((c) => c.id === 'cri-pull')!;
    expect(expectTranslated([check, ...check.findings]).length).toBeGreaterThan(0);
  });

  it('CRI-O and Docker nodes: registries.conf that does not parse, unknown tables, bad locations, blocked; daemon.json', async () => {
    const crio = (conf: string) => tree({ '/etc/crio/crio.conf': '[crio]\n', '/etc/containers/registries.conf': conf });
    const keys = new Set<string>();
    for (const conf of [
      '[[registry]\n',
      '[plugins."io.containerd.grpc.v1.cri"]\nx = 1\n[[registry]]\nprefix = "reg.test:5000"\nlocation = "reg.test:5000"\nblocked = true\n',
      '[[registry]]\nprefix = "reg.test:5000"\nlocation = "reg.test:5000"\n[[registry.mirror]]\nlocation = "reg.test:abc"\n',
    ]) {
      const s = await run(crio(conf), 'reg.test:5000/app:1', '', [runtimeInfoCheck, containerdConfigCheck, crioConfigCheck]);
      for (const k of expectTranslated([...findingsOf(s), ...findingsOf(s, 'crio-config')])) keys.add(k);
    }
    for (const k of ['invalid', 'ignored', 'containerdTable', 'blocked', 'badLocation']) expect(keys, k).toContain(`node.crio.${k}`);
    const docker = tree({ '/etc/docker/daemon.json': '{"insecure-registries": 3}', '/usr/bin/dockerd': '' });
    const d = await run(docker, 'reg.test:5000/app:1', '');
    expect(d.facts['runtime-info']?.kind).toBe('docker');
    expect(expectTranslated(findingsOf(d))).toContain('node.docker.invalid');
  });

  it('runtime drift: files changed after start (k3s restart), loaded-vs-file tables, the check summary', () => {
    const { findings } = judgeDrift({
      startedAt: '2026-11-20T10:00:00Z',
      files: [
        {
          path: '/etc/containerd/config.toml',
          mtimeMs: Date.parse('2026-11-21T09:00:00Z'),
          what: 'containerd reads config.toml only when it starts.',
          whatMessage: { key: 'node.drift.configAtStart' },
        },
        {
          path: '/etc/ssl/certs/ca-certificates.crt',
          mtimeMs: Date.parse('2026-11-21T09:00:00Z'),
          what: 'x',
          whatMessage: { key: 'node.drift.bundleOnce' },
        },
      ],
      fileRegistry: { configPath: '/etc/containerd/certs.d', mirrors: ['a.test'], configs: [] },
      loadedRegistry: { configPath: undefined, mirrors: ['docker.io'], configs: ['b.test'] },
      restart: { service: 'k3s', what: 'k3s' },
    });
    const keys = expectTranslated(findings);
    expect(keys).toEqual(expect.arrayContaining(['node.drift.changed', 'node.drift.changedHead', 'node.drift.restart', 'node.drift.diff']));
    const head = firstClause(findings[0]!);
    expect(head.summary).toBe(
      '/etc/containerd/config.toml changed at 2026-11-21T09:00:00.000Z, after containerd started (2026-11-20T10:00:00Z)',
    );
    expect(expectTranslated([head])).toEqual(['node.drift.changedHead']);
    const model = { now: { ok: false, what: 'x509' }, onDisk: { ok: true, what: 'ok' }, evidence: [] } as never;
    const restartOnly = judgeRunningModel(model, '/etc/containerd/config.toml', {
      key: 'node.drift.restartLower',
      params: { what: 'containerd', command: 'systemctl restart containerd' },
    })!;
    expect(restartOnly.summary).toContain('only the restart is missing: restart containerd (systemctl restart containerd).');
    expect(withLang('ja', () => summaryText(restartOnly))).toContain('containerd の再起動（systemctl restart containerd）');
    // a restart would break a working pull: the outcomes in regdoctor's words are messages too
    const breaks = judgeRunningModel(
      {
        now: { ok: true, what: 'the pull works', whatMessage: { key: 'node.outcome.works' } },
        onDisk: { ok: false, what: 'the image is not found', whatMessage: { key: 'node.outcome.notFound' } },
        evidence: [],
      },
      '/etc/containerd/config.toml',
      'restart',
    )!;
    expect(breaks.summary).toContain('(the image is not found)');
    expectTranslated([breaks]);
  });
});

describe('the node catalogue', () => {
  const CJK = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/;
  for (const [lang, cat] of [
    ['zh-CN', NODE_ZH_CN],
    ['ja', NODE_JA],
  ] as const) {
    it(`${lang}: every key, same placeholders, technical terms kept, every text translated`, () => {
      expect(catalogueProblems(NODE_EN, cat)).toEqual([]);
      expect(Object.entries(cat).filter(([, v]) => !CJK.test(v))).toEqual([]);
    });
  }
  it('every node key is used by the code', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const files: string[] = [];
    const walk = (d: string) => {
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(n) && !p.includes('/i18n/')) files.push(p);
      }
    };
    walk(join(root, 'src'));
    walk(join(root, 'checks'));
    const code = files.map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(Object.keys(NODE_EN).filter((k) => !code.includes(`'${k}'`) && !code.includes(`'${k.replace(/\.(one|other)$/, '')}'`))).toEqual(
      [],
    );
  });
});
