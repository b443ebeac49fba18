// pull-secrets end to end: real kubectl against the test API server for pods, ServiceAccounts and secrets, and the
// credentials tried against a token-auth registry whose token service lives on another host (TLS verified with the
// node's trust pool under --root).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeServer, type KubeServer } from '../kube-server/server.js';
import { startTokenRegistry, type TokenRegistry } from '../kube-server/token-registry.js';
import { createCA, issueCert } from '../../src/x509/build.js';
import { createRealAdapters } from '../../src/app/adapters.js';
import { KubectlAdapter } from '../../src/adapters/kube.js';
import { diagnose } from '../../src/app/diagnose.js';
import { DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { parseTarget } from '../../src/core/reference.js';
import { CHECKS } from '../../checks/index.js';
import { redact } from '../../src/text/redact.js';

let kube: KubeServer;
let reg: TokenRegistry;
let basicReg: TokenRegistry;
let dir: string;
let root: string;
let kubeconfig: string;
const b64 = (s: string) => Buffer.from(s).toString('base64');
const dockerconfig = (auths: Record<string, unknown>) => ({ '.dockerconfigjson': b64(JSON.stringify({ auths })) });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'regdoctor-ps-'));
  root = join(dir, 'node');
  const ca = createCA({ cn: 'Test Registry CA' });
  mkdirSync(join(root, 'etc/ssl/certs'), { recursive: true });
  writeFileSync(join(root, 'etc/ssl/certs/ca-certificates.crt'), ca.certPem);
  const users = { alice: { password: 's3cret-alice', repos: ['team/app'] }, bob: { password: 'bob-pass', repos: [] } };
  const repos = { 'team/app': ['1'], 'public/base': ['1'] };
  reg = await startTokenRegistry({
    registryCert: issueCert(ca, { cn: 'reg.test', dns: ['reg.test'] }),
    authCert: issueCert(ca, { cn: 'auth.test', dns: ['auth.test'] }),
    authHost: 'auth.test',
    users,
    repos,
    publicRepos: ['public/base'],
  });
  basicReg = await startTokenRegistry({
    registryCert: issueCert(ca, { cn: 'basic.test', dns: ['basic.test'] }),
    authCert: issueCert(ca, { cn: 'auth.test', dns: ['auth.test'] }),
    authHost: 'auth.test',
    users,
    repos,
    scheme: 'basic',
  });
  const R = `reg.test:${reg.port}`;
  kube = await startKubeServer({ forbid: [{ verb: 'get', resource: 'secrets', namespace: 'locked' }] });
  const secret = (name: string, data: Record<string, string>, type = 'kubernetes.io/dockerconfigjson', namespace = 'shop') => ({
    metadata: { name, namespace },
    type,
    data,
  });
  kube.add(
    'secrets',
    secret('good', dockerconfig({ [R]: { auth: b64('alice:s3cret-alice') } })),
    secret('wrong-port', dockerconfig({ 'reg.test': { auth: b64('alice:s3cret-alice') }, 'other.test:5000': { auth: b64('x:y') } })),
    secret('bad-pass', dockerconfig({ [`https://${R}/v1/`]: { username: 'alice', password: 'wrong' } })),
    secret('no-access', dockerconfig({ [R]: { username: 'bob', password: 'bob-pass' } })),
    secret('opaque', dockerconfig({ [R]: { auth: b64('alice:s3cret-alice') } }), 'Opaque'),
    secret('malformed', { '.dockerconfigjson': b64('{"auths": {"reg.test": ') }),
    secret(
      'legacy',
      { '.dockercfg': b64(JSON.stringify({ [R]: { auth: b64('alice:s3cret-alice'), email: 'a@b' } })) },
      'kubernetes.io/dockercfg',
    ),
    secret('ghost', dockerconfig({ [R]: { auth: b64('alice:s3cret-alice') } }), 'kubernetes.io/dockerconfigjson', 'vault'),
    secret('basic-good', dockerconfig({ [`basic.test:${basicReg.port}`]: { username: 'alice', password: 's3cret-alice' } })),
    secret('basic-bad', dockerconfig({ [`basic.test:${basicReg.port}`]: { username: 'alice', password: 'nope' } })),
    secret('good', dockerconfig({}), 'kubernetes.io/dockerconfigjson', 'locked'),
  );
  kube.add(
    'serviceaccounts',
    { metadata: { name: 'default', namespace: 'shop' } },
    {
      metadata: {
        name: 'builder',
        namespace: 'shop',
        creationTimestamp: '2024-01-01T00:00:00Z',
        managedFields: [{ manager: 'kubectl-edit', operation: 'Update', time: '2024-06-01T12:00:00Z' }],
      },
      imagePullSecrets: [{ name: 'good' }],
    },
    { metadata: { name: 'default', namespace: 'locked' } },
  );
  const pod = (name: string, secrets: string[], opts: { sa?: string; created?: string; ns?: string } = {}) => ({
    metadata: { name, namespace: opts.ns ?? 'shop', creationTimestamp: opts.created ?? '2024-05-01T10:00:00Z' },
    spec: {
      serviceAccountName: opts.sa ?? 'default',
      imagePullSecrets: secrets.map((s) => ({ name: s })),
      containers: [{ name: 'app', image: `${R}/team/app:1` }],
    },
  });
  kube.add(
    'pods',
    pod('p-good', ['good']),
    pod('p-wrong-port', ['wrong-port']),
    pod('p-bad-pass', ['bad-pass']),
    pod('p-no-access', ['no-access']),
    pod('p-opaque', ['opaque']),
    pod('p-malformed', ['malformed']),
    pod('p-legacy', ['legacy']),
    pod('p-ghost', ['ghost']),
    pod('p-none', []),
    pod('p-sa-changed', [], { sa: 'builder', created: '2024-05-01T10:00:00Z' }),
    pod('p-basic-good', ['basic-good']),
    pod('p-basic-bad', ['basic-bad']),
    pod('p-locked', ['good'], { ns: 'locked' }),
  );
  kubeconfig = kube.writeKubeconfig(join(dir, 'kube'));
});

afterAll(async () => {
  await kube?.close();
  await reg?.close();
  await basicReg?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(podName: string, image: string, namespace = 'shop') {
  const adapters = createRealAdapters({
    root,
    hosts: { 'reg.test': '127.0.0.1', 'auth.test': '127.0.0.1', 'basic.test': '127.0.0.1' },
    env: {},
  });
  adapters.kube = new KubectlAdapter({ kubeconfig, env: { ...process.env, HOME: dir, KUBECONFIG: undefined }, requestTimeoutMs: 5_000 });
  const options = { ...DEFAULT_RUN_OPTIONS, root, useKube: true, pull: false, kube: { kubeconfig, namespace, pod: podName } };
  const res = await diagnose({ target: parseTarget(image), options, adapters, checks: CHECKS });
  const check = res.state.checks.find((c) => c.id === 'pull-secrets')!;
  return { check, findings: check.findings, facts: res.state.facts['pull-secrets'], report: res.report };
}

const img = () => `reg.test:${reg.port}/team/app:1`;
const codes = (f: { code: string; severity: string }[]) => f.filter((x) => x.severity !== 'info').map((x) => x.code);

describe('pull-secrets check', () => {
  it('accepts a matching secret the registry accepts (token realm on another host, OAuth2 POST)', async () => {
    const r = await run('p-good', img());
    expect(r.check.status).toBe('pass');
    expect(codes(r.findings)).toEqual([]);
    expect(r.facts?.tested).toEqual([expect.objectContaining({ secret: 'good', outcome: 'accepted' })]);
    expect(r.check.summary).toMatch(/accepted/);
    expect(reg.log.some((l) => l.startsWith('auth POST /token'))).toBe(true);
    // registry-api sends the pod's credentials (kubelet's order), so it finds the manifest too.
    const api = r.report.findings.filter((f) => f.source === 'registry-api' && f.severity !== 'info');
    expect(api).toEqual([]);
    const none = await run('p-none', img());
    expect(none.report.findings.filter((f) => f.source === 'registry-api').map((f) => f.code)).toContain('credentials-missing');
  });

  it('legacy kubernetes.io/dockercfg secrets work too', async () => {
    const r = await run('p-legacy', img());
    expect(codes(r.findings)).toEqual([]);
    expect(r.facts?.tested[0]?.outcome).toBe('accepted');
  });

  it('credentials-mismatch: the only entry for the host has the wrong port', async () => {
    const r = await run('p-wrong-port', img());
    expect(codes(r.findings)).toEqual(['credentials-mismatch']);
    expect(r.findings[0]!.summary).toContain(
      `entry "reg.test" has no port but the image uses port ${reg.port} (reg.test:${reg.port}); kubelet compares ports exactly`,
    );
  });

  it('unauthorized: the entry matches (scheme and /v1/ stripped) but the token service rejects it', async () => {
    const r = await run('p-bad-pass', img());
    expect(codes(r.findings)).toEqual(['unauthorized']);
    expect(r.findings[0]!.host).toBe(`auth.test:${reg.authPort}`);
    expect(r.findings[0]!.summary).toMatch(/rejects the credentials from pull secret "bad-pass"/);
  });

  it('unauthorized: a valid account without pull access to the repository', async () => {
    const r = await run('p-no-access', img());
    expect(codes(r.findings)).toEqual(['unauthorized']);
    expect(r.findings[0]!.summary).toMatch(/no pull access to team\/app/);
  });

  it('Basic-auth registries: accepted and rejected', async () => {
    const good = await run('p-basic-good', `basic.test:${basicReg.port}/team/app:1`);
    expect(codes(good.findings)).toEqual([]);
    expect(good.facts?.tested[0]).toMatchObject({ outcome: 'accepted' });
    const bad = await run('p-basic-bad', `basic.test:${basicReg.port}/team/app:1`);
    expect(codes(bad.findings)).toEqual(['unauthorized']);
  });

  it('credentials-missing: wrong secret type, malformed JSON, secret in another namespace, no secret at all', async () => {
    const opaque = await run('p-opaque', img());
    expect(codes(opaque.findings)).toContain('credentials-missing');
    expect(opaque.findings[0]!.summary).toMatch(/type Opaque; kubelet only reads/);
    const bad = await run('p-malformed', img());
    expect(bad.findings[0]).toMatchObject({ code: 'credentials-missing', data: expect.objectContaining({ reason: 'secret-malformed' }) });
    expect(bad.findings[0]!.summary).toMatch(/every pull of this pod fails/);
    const ghost = await run('p-ghost', img());
    expect(ghost.findings[0]).toMatchObject({
      code: 'credentials-missing',
      data: expect.objectContaining({ reason: 'secret-other-namespace', elsewhere: ['vault'] }),
    });
    const none = await run('p-none', img());
    expect(codes(none.findings)).toEqual(['credentials-missing']);
    expect(none.findings[0]!.summary).toMatch(/requires authentication .* the pod has no imagePullSecrets/);
  });

  it('a ServiceAccount edited after the pod was created never reached it', async () => {
    const r = await run('p-sa-changed', img());
    const f = r.findings.find((x) => x.data?.reason === 'sa-changed-after-pod');
    expect(f).toBeDefined();
    expect(f!.summary).toMatch(/changed at 2024-06-01T12:00:00Z, after the pod was created \(2024-05-01T10:00:00Z\)/);
  });

  it('public images: missing secrets are not blocking', async () => {
    const r = await run('p-none', `reg.test:${reg.port}/public/base:1`);
    expect(codes(r.findings)).toEqual([]);
    expect(r.facts?.authRequired).toBe(false);
  });

  it('kube-access when RBAC forbids reading the secret', async () => {
    const r = await run('p-locked', img(), 'locked');
    expect(r.findings[0]).toMatchObject({
      code: 'kube-access',
      data: expect.objectContaining({ verb: 'get', resource: 'secrets', namespace: 'locked' }),
    });
    expect(r.findings[0]!.summary).toContain('RBAC forbids "get" on "secrets" in namespace "locked"');
  });

  it('never puts secret values in findings, evidence or the report', async () => {
    for (const p of ['p-good', 'p-bad-pass', 'p-malformed']) {
      const r = await run(p, img());
      const text = JSON.stringify({ f: r.findings, e: r.check.evidence, report: r.report });
      expect(text).not.toContain('s3cret-alice');
      expect(text).not.toContain(b64('alice:s3cret-alice'));
      expect(JSON.stringify(redact(r.facts))).not.toContain('s3cret-alice');
    }
  });
});
