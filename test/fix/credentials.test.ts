// Issue 14 item 3: credential fixes where the credential lives. The docker config edit keeps every other entry and the
// file's layout; the planner targets the source the credential comes from (kubelet's file, containerd's configs auth,
// the pull secret) and never creates a file that would hide the one kubelet reads; the plan, the diff, the report and
// the journal never show the password; the password is never taken from argv.
import { describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RootedFs } from '../../src/adapters/fs.js';
import type { ExecAdapter } from '../../src/adapters/exec.js';
import { applyPlan, FixError, loadJournal, preparePlan, rollback } from '../../src/fix/engine.js';
import { proposeFixes, describeAction, type PlanContext } from '../../src/fix/propose.js';
import { editDockerConfig, basicAuthField } from '../../src/fix/credentials-file.js';
import { secretNameFor } from '../../src/fix/credentials.js';
import { parseTarget } from '../../src/core/reference.js';
import { redact } from '../../src/text/redact.js';
import { parseFixOptions, missingInputs } from '../../src/cli/commands/fix.js';
import { UsageError } from '../../src/app/io.js';
import type { Finding, FixAction } from '../../src/core/types.js';
import { containerdConfigFact, partialFacts } from '../helpers/facts.js';

const PASSWORD = 's3cret-Pa55-do-not-print';
const B64 = basicAuthField('alice', PASSWORD);
const HOST = 'reg.test:5000';

const finding = (code: Finding['code'], data?: Record<string, unknown>): Finding => ({
  code,
  severity: 'error',
  summary: code,
  evidence: [],
  fixes: [],
  source: 'registry-api',
  ...(data ? { data } : {}),
});

function ctx(facts: Record<string, unknown>, inputs: PlanContext['inputs'] = {}): PlanContext {
  return {
    target: parseTarget(`${HOST}/team/app:1`),
    inputs,
    facts: partialFacts({
      'containerd-config': containerdConfigFact({
        effective: { registry: HOST, mode: 'hosts-toml', configPath: ['/etc/containerd/certs.d'], endpoints: [] },
        registrySummary: { configPath: '/etc/containerd/certs.d', mirrors: [], configs: [] },
      }),
      ...facts,
    }),
  };
}

const creds = { username: 'alice', password: PASSWORD };

describe('editDockerConfig', () => {
  const set = (path: string, format: 'config.json' | 'dockercfg' = 'config.json'): Extract<FixAction, { kind: 'docker-auth' }> => ({
    kind: 'docker-auth',
    path,
    format,
    set: { key: HOST, username: 'alice', password: PASSWORD },
    description: 'x',
  });

  it('creates a config.json with one auths entry (auth field, tab-indented like docker login)', () => {
    const out = editDockerConfig(undefined, set('/var/lib/kubelet/config.json'));
    expect(JSON.parse(out)).toEqual({ auths: { [HOST]: { auth: B64 } } });
    expect(out).toMatch(/^\{\n\t"auths"/);
    expect(out.endsWith('\n')).toBe(true);
  });

  it('replaces one entry in place: other entries, other fields and the indentation are kept; stale plain fields dropped', () => {
    const before = `{\n  "auths": {\n    "${HOST}": { "username": "bob", "password": "old", "email": "a@b" },\n    "other:1": { "auth": "eDp5" }\n  },\n  "HttpHeaders": { "X-A": "1" }\n}`;
    const out = editDockerConfig(before, set('/root/.docker/config.json'));
    expect(JSON.parse(out)).toEqual({
      auths: { [HOST]: { email: 'a@b', auth: B64 }, 'other:1': { auth: 'eDp5' } },
      HttpHeaders: { 'X-A': '1' },
    });
    expect(out).toMatch(/^\{\n {2}"auths"/);
    expect(out.endsWith('\n')).toBe(false);
  });

  it('legacy .dockercfg: entries at the top level', () => {
    const out = editDockerConfig('{"x:1":{"auth":"eDp5"}}', set('/root/.dockercfg', 'dockercfg'));
    expect(JSON.parse(out)).toEqual({ 'x:1': { auth: 'eDp5' }, [HOST]: { auth: B64 } });
  });

  it('copies a near-miss key to the exact key, removes an entry, and refuses what it cannot do exactly', () => {
    const base = { kind: 'docker-auth' as const, path: '/f', format: 'config.json' as const, description: 'x' };
    const doc = '{"auths":{"reg.test":{"auth":"eDp5"}}}';
    expect(JSON.parse(editDockerConfig(doc, { ...base, copy: { from: 'reg.test', to: HOST } })).auths).toEqual({
      'reg.test': { auth: 'eDp5' },
      [HOST]: { auth: 'eDp5' },
    });
    expect(JSON.parse(editDockerConfig(doc, { ...base, remove: 'reg.test' })).auths).toEqual({});
    expect(() => editDockerConfig(doc, { ...base, remove: 'nope' })).toThrow(/no entry "nope"/);
    expect(() => editDockerConfig('{not json', { ...base, remove: 'x' })).toThrow(/not valid JSON/);
    expect(() => editDockerConfig('{"auths":[]}', { ...base, remove: 'x' })).toThrow(/not an object/);
    expect(() => editDockerConfig(doc, { ...base, set: { key: HOST, username: 'a:b', password: 'p' } })).toThrow(/username/);
  });
});

describe('credential planners: the credential is fixed where it lives', () => {
  it('no credential anywhere, credentials supplied: kubelet’s /var/lib/kubelet/config.json is created (node first)', () => {
    const p = proposeFixes(finding('credentials-missing'), ctx({ 'auth-files': { matching: [] } }, creds));
    expect(p[0]!.id).toBe('node-auth');
    expect(p[0]!.actions).toEqual([
      expect.objectContaining({
        kind: 'docker-auth',
        path: '/var/lib/kubelet/config.json',
        set: { key: HOST, username: 'alice', password: PASSWORD },
      }),
    ]);
    expect(p.map((x) => x.id)).toContain('pull-secret');
  });

  it('kubelet reads /root/.docker/config.json: a new entry goes there, never into a file earlier in its order', () => {
    const p = proposeFixes(
      finding('credentials-missing'),
      ctx({ 'auth-files': { kubeletFile: '/root/.docker/config.json', matching: [] } }, creds),
    );
    expect(p[0]!.actions[0]).toMatchObject({ kind: 'docker-auth', path: '/root/.docker/config.json' });
  });

  it('the rejected entry is replaced under its own key(s) in the file it came from', () => {
    const af = {
      kubeletFile: '/root/.docker/config.json',
      matching: [
        {
          source: '/root/.docker/config.json',
          key: 'https://reg.test:5000/v2/',
          hasUsername: true,
          hasPassword: true,
          hasIdentityToken: false,
        },
      ],
    };
    const p = proposeFixes(finding('unauthorized'), ctx({ 'auth-files': af }, creds));
    expect(p[0]!.id).toBe('node-auth');
    expect(p[0]!.actions[0]).toMatchObject({ path: '/root/.docker/config.json', set: { key: 'https://reg.test:5000/v2/' } });
    // without credentials: what is missing, and the destructive removal (for a public image) as an explicit opt-in
    const q = proposeFixes(finding('unauthorized'), ctx({ 'auth-files': af }));
    expect(q[0]!.actions).toEqual([]);
    const remove = q.find((x) => x.id === 'node-auth-remove')!;
    expect(remove.risk).toBe('destructive');
    expect(remove.actions[0]).toMatchObject({ kind: 'docker-auth', remove: 'https://reg.test:5000/v2/' });
    expect(missingInputs(q, { allowSkipVerify: false, allowDestructive: false })).toEqual([
      'needs the registry credentials: re-run with --username USER --password-stdin (or --password-file FILE)',
      'a destructive fix is available: re-run with --allow-destructive',
    ]);
  });

  it('credentials-mismatch without credentials: the near-miss entry is copied to the exact key', () => {
    const p = proposeFixes(
      finding('credentials-mismatch', { keys: [{ key: 'reg.test', why: 'port' }] }),
      ctx({ 'auth-files': { kubeletFile: '/var/lib/kubelet/config.json', matching: [] } }),
    );
    expect(p[0]!.id).toBe('node-auth-rekey');
    expect(p[0]!.actions[0]).toMatchObject({ copy: { from: 'reg.test', to: HOST } });
  });

  it("containerd's configs auth: edited in config.toml (TOML-aware) and containerd restarted", () => {
    const c = ctx({ 'auth-files': { matching: [] } }, creds);
    c.facts['containerd-config']!.effective.legacyAuth = {
      source: `configs."${HOST}".auth`,
      hasUsername: true,
      hasPassword: true,
      hasAuth: false,
      hasIdentityToken: false,
    };
    // safest first (src/fix/risk.ts): the restart ranks the config.toml edit after the pull-secret answer
    const p = proposeFixes(finding('unauthorized'), c).filter((x) => x.actions.length);
    expect(p[0]!.id).toBe('containerd-auth');
    expect(p[0]!.risk).toBe('restarts-runtime');
    expect(p[0]!.restartRequired).toBe(true);
    expect(p[0]!.actions[0]).toMatchObject({
      kind: 'edit-toml',
      path: '/etc/containerd/config.toml',
      edit: { table: ['plugins', 'io.containerd.grpc.v1.cri', 'registry', 'configs', HOST, 'auth'], set: { username: 'alice' } },
    });
    expect(p[0]!.actions[1]).toMatchObject({ kind: 'restart-runtime' });
  });

  it('the credential came from a pull secret: a new secret first in the ServiceAccount (through kubectl), node second', () => {
    const ps = {
      namespace: 'team',
      serviceAccount: 'builder',
      source: 'service-account',
      secrets: ['regcred-reg.test-5000', 'old'],
      matching: [{ secret: 'old', key: HOST, hasUsername: true, hasPassword: true, hasIdentityToken: false }],
      tested: [],
    };
    const p = proposeFixes(
      finding('unauthorized'),
      ctx({ 'pull-secrets': ps }, { ...creds, kube: { kubeconfig: '/k/config', context: 'prod' } }),
    );
    expect(p[0]!.id).toBe('pull-secret');
    expect(p[0]!.where).toBe('cluster');
    const [create, patch] = p[0]!.actions;
    expect(create).toMatchObject({ kind: 'kube-create-secret', namespace: 'team', name: 'regcred-reg.test-5000-2', server: HOST });
    expect(create).toMatchObject({ kubectl: ['--kubeconfig=/k/config', '--context=prod'] });
    expect(patch).toMatchObject({ kind: 'kube-patch-sa', serviceAccount: 'builder', before: ['regcred-reg.test-5000', 'old'] });
    expect((patch as { after: string[] }).after).toEqual(['regcred-reg.test-5000-2', 'regcred-reg.test-5000', 'old']);
    expect(secretNameFor('Reg.Test:5000', [])).toBe('regcred-reg.test-5000');
  });

  it('a host the runtime reaches over plain HTTP or with skip_verify: the plan says the credential crosses it unprotected', () => {
    const c = ctx({ 'auth-files': { matching: [] } }, creds);
    const ep = (url: string, skipVerify: boolean) => ({ url, tls: { caFiles: [], clientPairs: [], skipVerify } });
    c.facts['containerd-config']!.effective.endpoints = [
      ep('http://mirror.test:5001/v2', false),
      ep('https://reg.test:5000/v2', true),
    ] as never;
    const p = proposeFixes(finding('credentials-missing'), c);
    expect(p[0]!.description).toContain('unprotected to http://mirror.test:5001/v2 (plain HTTP), https://reg.test:5000/v2 (skip_verify)');
    c.facts['containerd-config']!.effective.endpoints = [ep('https://reg.test:5000/v2', false)] as never;
    expect(proposeFixes(finding('credentials-missing'), c)[0]!.description).not.toContain('unprotected');
  });

  it('a pod with its own imagePullSecrets: the ServiceAccount would not help, so the pull-secret answer is by hand', () => {
    const ps = {
      namespace: 'team',
      pod: 'api-1',
      source: 'pod',
      secrets: ['mine'],
      matching: [{ secret: 'mine', key: HOST, hasUsername: true, hasPassword: true, hasIdentityToken: false }],
      tested: [],
    };
    const p = proposeFixes(finding('unauthorized'), ctx({ 'pull-secrets': ps }, creds));
    expect(p[0]!.id).toBe('pull-secret');
    expect(p[0]!.actions).toEqual([]);
    expect(p[0]!.manualSteps.join('\n')).toContain('edit <owner of pod api-1>');
  });

  it('the password appears in no title, description, manual step, plan line, or redacted report', () => {
    const ps = { namespace: 'team', serviceAccount: 'default', source: 'none', secrets: [], matching: [], tested: [] };
    const all = [...proposeFixes(finding('credentials-missing'), ctx({ 'auth-files': { matching: [] }, 'pull-secrets': ps }, creds))];
    expect(all.some((p) => p.actions.length > 0)).toBe(true);
    for (const p of all) {
      expect(`${p.title} ${p.description} ${p.manualSteps.join(' ')}`).not.toContain(PASSWORD);
      for (const a of p.actions) expect(describeAction(a)).not.toContain(PASSWORD);
      const shown = JSON.stringify(redact(p));
      expect(shown).not.toContain(PASSWORD);
      expect(shown).not.toContain(B64);
    }
  });
});

describe('a broken cached copy in the runtime store: CRI RemoveImage, then pull again', () => {
  const unknown = (msg: string): Finding => ({ ...finding('unknown'), source: 'cri-pull', data: { actualRuntimeError: msg } });
  const withPull = ctx({
    'cri-pull': { endpoint: 'unix:///run/containerd/containerd.sock', runtime: 'containerd', ok: false, durationMs: 1 },
  });
  it('a pull failing on local content gets remove-cached-image (destructive: after the manual answer, safest first)', () => {
    const msg = `failed to pull and unpack image "${HOST}/team/app:1": failed to extract layer sha256:${'a'.repeat(64)}: failed to get reader from content store: content digest sha256:${'b'.repeat(64)}: not found`;
    const p = proposeFixes(unknown(msg), withPull).reverse();
    expect(p[0]!.id).toBe('remove-cached-image');
    expect(p[0]!.risk).toBe('destructive');
    expect(p[0]!.actions).toEqual([
      {
        kind: 'remove-image',
        image: `${HOST}/team/app:1`,
        endpoint: 'unix:///run/containerd/containerd.sock',
        description: expect.any(String),
      },
    ]);
    expect(describeAction(p[0]!.actions[0]!)).toMatch(/CRI RemoveImage, like crictl rmi/);
    expect(p[1]!.id).toBe('manual-unknown');
    // containerd 1.6.20's wording for a blob gone from its content store (measured in the lab)
    const measured = `failed to pull and unpack image "${HOST}/team/app:1": blob sha256:${'d0'.repeat(32)} expected at /var/lib/containerd/io.containerd.content.v1.content/blobs/sha256/${'d0'.repeat(32)}: blob not found: not found`;
    expect(proposeFixes(unknown(measured), withPull).map((x) => x.id)).toEqual(['manual-unknown', 'remove-cached-image']);
  });
  it('any other unknown failure, or no real pull: only the manual answer', () => {
    expect(proposeFixes(unknown('unexpected EOF'), withPull).map((x) => x.id)).toEqual(['manual-unknown']);
    expect(proposeFixes(unknown('failed to extract layer sha256:x'), ctx({})).map((x) => x.id)).toEqual(['manual-unknown']);
  });
});

describe('the engine applies a node credential with a redacted diff, a backup, a journal and an exact rollback', () => {
  const noExec: ExecAdapter = {
    run: async () => ({ exitCode: 0, stdout: '', stderr: '', notFound: false, timedOut: false, durationMs: 0 }),
  };

  it('new file (mode 600) and an edited file (mode kept); rollback restores both byte for byte; no secret in diff or journal', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'regdoctor-cred-'));
    await mkdir(path.join(root, 'root/.docker'), { recursive: true });
    const original = `{\n\t"auths": {\n\t\t"${HOST}": {\n\t\t\t"auth": "${basicAuthField('alice', 'old-wrong-pw')}"\n\t\t}\n\t}\n}\n`;
    await writeFile(path.join(root, 'root/.docker/config.json'), original, { mode: 0o640 });
    const fs = new RootedFs(root);
    const actions: FixAction[] = [
      { kind: 'docker-auth', path: '/root/.docker/config.json', format: 'config.json', set: { key: HOST, ...creds }, description: 'x' },
      { kind: 'docker-auth', path: '/var/lib/kubelet/config.json', format: 'config.json', set: { key: HOST, ...creds }, description: 'y' },
    ];
    const steps = await preparePlan(fs, actions);
    const shown = steps.map((s) => `${s.summary}\n${s.diff}`).join('\n');
    expect(shown).toContain('"auth": "[REDACTED]"');
    expect(shown).toContain('-\t\t\t"auth": "[REDACTED]"');
    expect(shown).toContain('+\t\t\t"auth": "[REDACTED]"');
    for (const secret of [PASSWORD, B64, 'old-wrong-pw', basicAuthField('alice', 'old-wrong-pw')]) expect(shown).not.toContain(secret);

    const o = { fs, exec: noExec, stateDir: '/var/lib/regdoctor', waitForRuntime: async () => true, log: () => undefined };
    const logs: string[] = [];
    const j = await applyPlan(steps, { ...o, log: (l) => logs.push(l), target: `${HOST}/team/app:1`, proposal: 'node-auth' });
    expect(JSON.parse(await readFile(path.join(root, 'root/.docker/config.json'), 'utf8')).auths[HOST]).toEqual({ auth: B64 });
    expect((await stat(path.join(root, 'root/.docker/config.json'))).mode & 0o777).toBe(0o640);
    expect((await stat(path.join(root, 'var/lib/kubelet/config.json'))).mode & 0o777).toBe(0o600);
    const journalText = await readFile(path.join(root, 'var/lib/regdoctor/journal', `${j.id}.json`), 'utf8');
    for (const secret of [PASSWORD, B64]) {
      expect(journalText).not.toContain(secret);
      expect(logs.join('\n')).not.toContain(secret);
    }
    const back = await rollback(await loadJournal(fs, o.stateDir), o);
    expect(back.differences).toEqual([]);
    expect(await readFile(path.join(root, 'root/.docker/config.json'), 'utf8')).toBe(original);
    expect((await stat(path.join(root, 'root/.docker/config.json'))).mode & 0o777).toBe(0o640);
    expect(await readdir(path.join(root, 'var/lib'))).toEqual(['regdoctor']);
  });

  it('a file that is not valid JSON is refused before anything changes', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'regdoctor-cred-'));
    await mkdir(path.join(root, 'root/.docker'), { recursive: true });
    await writeFile(path.join(root, 'root/.docker/config.json'), '{"auths": {');
    const fs = new RootedFs(root);
    await expect(
      preparePlan(fs, [
        { kind: 'docker-auth', path: '/root/.docker/config.json', format: 'config.json', set: { key: HOST, ...creds }, description: 'x' },
      ]),
    ).rejects.toThrow(FixError);
  });
});

describe('fix options: the password never comes from argv', () => {
  const env = {};
  it('--password is not an option; --username needs --password-stdin or --password-file, and they exclude each other', async () => {
    expect(() => parseFixOptions(['reg.test:5000/a:1', '--username', 'u', '--password', 'p'], env)).toThrow();
    expect(() => parseFixOptions(['reg.test:5000/a:1', '--username', 'u'], env)).toThrow(UsageError);
    expect(() => parseFixOptions(['reg.test:5000/a:1', '--password-stdin'], env)).toThrow(UsageError);
    expect(() => parseFixOptions(['reg.test:5000/a:1', '--username', 'a:b', '--password-stdin'], env)).toThrow(/":"/);
    const dir = await mkdtemp(path.join(tmpdir(), 'regdoctor-pw-'));
    await writeFile(path.join(dir, 'pw'), `${PASSWORD}\n`);
    expect(() =>
      parseFixOptions(['reg.test:5000/a:1', '--username', 'u', '--password-stdin', '--password-file', path.join(dir, 'pw')], env),
    ).toThrow(UsageError);
    const o = parseFixOptions(['reg.test:5000/a:1', '--username', 'u', '--password-file', path.join(dir, 'pw')], env);
    expect(o.inputs).toMatchObject({ username: 'u', password: PASSWORD });
    expect(parseFixOptions(['reg.test:5000/a:1', '--username', 'u', '--password-stdin'], env).passwordStdin).toBe(true);
    await writeFile(path.join(dir, 'two'), 'a\nb\n');
    expect(() => parseFixOptions(['reg.test:5000/a:1', '--username', 'u', '--password-file', path.join(dir, 'two')], env)).toThrow(
      /more than one line/,
    );
  });
});
