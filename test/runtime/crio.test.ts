// CRI-O nodes: the containers/image model (registries.conf + drop-ins, certs.d order, auth-file order, short names),
// CRI-O's wording per version, and the CRI-O fix planner — over node trees built in a temporary --root.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createRealAdapters } from '../../src/app/adapters.js';
import { runGraph } from '../../src/core/engine.js';
import { DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { parseImageReference, parseTarget } from '../../src/core/reference.js';
import { runtimeInfoCheck } from '../../checks/runtime-info.js';
import { containerdConfigCheck } from '../../checks/containerd-config.js';
import { crioConfigCheck, crioVersionFromCli } from '../../checks/crio-config.js';
import {
  crioAuthFiles,
  crioCertDir,
  crioNodeConfig,
  findRegistry,
  isShortName,
  loadRegistriesConf,
  prefixMatches,
} from '../../src/runtime/crio-config.js';
import { crioFromContainerdPrediction, crioManifestPullError, crioTransportPullError } from '../../src/runtime/crio-predict.js';
import { predictResolvePullError, predictTransportPullError, statusResolverError } from '../../src/core/predict.js';
import { attachCrioProposals, dropInPath, proposeCrioFixes, renderInsecureDropIn } from '../../src/fix/propose-crio.js';
import { attachProposals } from '../../src/fix/attach.js';
import type { Finding, RunState } from '../../src/core/types.js';
import { partialFacts } from '../helpers/facts.js';

const roots: string[] = [];
function node(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'regdoctor-crio-'));
  roots.push(root);
  for (const [p, text] of Object.entries(files)) {
    const full = path.join(root, p);
    mkdirSync(path.dirname(full), { recursive: true });
    if (p.endsWith('/')) mkdirSync(full, { recursive: true });
    else writeFileSync(full, text);
  }
  return root;
}
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});
const fsOf = (root: string) => createRealAdapters({ root, env: {} }).fs;

describe('registries.conf + drop-ins, as containers/image merges them', () => {
  it('a drop-in [[registry]] with the same prefix replaces the main entry entirely (insecure is lost)', async () => {
    const root = node({
      'etc/containers/registries.conf':
        'unqualified-search-registries = ["a.test"]\n[[registry]]\nlocation = "reg.test:5000"\ninsecure = true\n[[registry.mirror]]\nlocation = "m.test"\n',
      'etc/containers/registries.conf.d/50-team.conf': '[[registry]]\nlocation = "reg.test:5000"\n',
    });
    const conf = await loadRegistriesConf(fsOf(root));
    const e = findRegistry(conf, 'reg.test:5000/app:1')!;
    expect(e).toMatchObject({ insecure: false, mirrors: [], file: '/etc/containers/registries.conf.d/50-team.conf' });
    expect(conf.replaced).toEqual([
      { prefix: 'reg.test:5000', from: '/etc/containers/registries.conf', by: '/etc/containers/registries.conf.d/50-team.conf' },
    ]);
    expect(conf.unqualifiedSearchRegistries).toEqual(['a.test']);
  });

  it('drop-ins apply in file-name order; a user drop-in of the same name replaces the system one; search list replaced only when set', async () => {
    const root = node({
      'etc/containers/registries.conf': '',
      'etc/containers/registries.conf.d/20-b.conf':
        'unqualified-search-registries = ["b.test"]\n[[registry]]\nlocation = "r.test"\ninsecure = true\n',
      'etc/containers/registries.conf.d/10-a.conf': '[[registry]]\nlocation = "r.test"\nblocked = true\n',
      'etc/containers/registries.conf.d/30-c.conf': 'short-name-mode = "permissive"\n',
      'root/.config/containers/registries.conf.d/20-b.conf': '[[registry]]\nlocation = "r.test"\n',
    });
    const conf = await loadRegistriesConf(fsOf(root));
    expect(conf.files).toEqual([
      '/etc/containers/registries.conf',
      '/etc/containers/registries.conf.d/10-a.conf',
      '/root/.config/containers/registries.conf.d/20-b.conf',
      '/etc/containers/registries.conf.d/30-c.conf',
    ]);
    expect(findRegistry(conf, 'r.test/x')).toMatchObject({ blocked: false, insecure: false });
    expect(conf.unqualifiedSearchRegistries).toBeUndefined();
    expect(conf.shortNameMode).toBe('permissive');
  });

  it('longest prefix wins; prefixes match at name boundaries; *.domain matches sub-domains', () => {
    const regs = [
      { prefix: 'reg.test', location: 'reg.test', insecure: false, blocked: false, mirrors: [], file: 'f' },
      { prefix: 'reg.test/team', location: 'other.test/t', insecure: true, blocked: false, mirrors: [], file: 'f' },
      { prefix: '*.corp.test', location: '', insecure: true, blocked: false, mirrors: [], file: 'f' },
    ];
    expect(findRegistry({ registries: regs }, 'reg.test/team/app:1')!.prefix).toBe('reg.test/team');
    expect(findRegistry({ registries: regs }, 'reg.test/teamx/app:1')!.prefix).toBe('reg.test');
    expect(findRegistry({ registries: regs }, 'reg.testing/app')).toBeUndefined();
    expect(findRegistry({ registries: regs }, 'a.b.corp.test:5000/app')!.prefix).toBe('*.corp.test');
    expect(prefixMatches('reg.test:5000', 'reg.test:5000@sha256:x')).toBe(true);
  });

  it('a file that does not parse is a config-invalid finding; a pasted containerd table is reported as ignored', async () => {
    const bad = node({ 'etc/containers/registries.conf': 'unqualified-search-registries = [\n[[registry]]\n' });
    const c = await crioNodeConfig(fsOf(bad), parseTarget('reg.test:5000/a:1').registry);
    expect(c.findings.map((f) => f.code)).toEqual(['config-invalid']);
    expect(c.findings[0]!.summary).toContain('loading registries configuration "/etc/containers/registries.conf": toml:');
    const pasted = node({
      'etc/containers/registries.conf':
        '[plugins."io.containerd.grpc.v1.cri".registry.configs."reg.test:5000".tls]\ninsecure_skip_verify = true\n',
    });
    const p = await crioNodeConfig(fsOf(pasted), parseTarget('reg.test:5000/a:1').registry);
    expect(p.findings.map((f) => f.code)).toEqual(['config-ignored']);
    expect(p.effective.endpoints[0]!.tls.skipVerify).toBe(false);
  });

  it('insecure: verification off and plain HTTP allowed; mirrors come first', async () => {
    const root = node({
      'etc/containers/registries.conf':
        '[[registry]]\nlocation = "reg.test:5000"\ninsecure = true\n[[registry.mirror]]\nlocation = "m.test:5000"\n',
    });
    const c = await crioNodeConfig(fsOf(root), parseTarget('reg.test:5000/a:1').registry);
    expect(c.effective.endpoints.map((e) => [e.url, e.isServer, e.tls.skipVerify, e.httpFallback])).toEqual([
      ['https://m.test:5000/v2', false, false, false],
      ['https://reg.test:5000/v2', true, true, true],
    ]);
  });
});

describe('certificate directories and auth files', () => {
  it('only the first existing of ~/.config/containers/certs.d, /etc/containers/certs.d, /etc/docker/certs.d is read; a folder without the port is not used', async () => {
    const docker = node({
      'etc/docker/certs.d/reg.test:5000/ca.crt': 'x',
      'etc/docker/certs.d/reg.test:5000/client.cert': 'c',
      'etc/docker/certs.d/reg.test:5000/client.key': 'k',
      'etc/containers/certs.d/reg.test/ca.crt': 'x',
    });
    const d = await crioCertDir(fsOf(docker), 'reg.test:5000');
    expect(d.dir).toBe('/etc/docker/certs.d/reg.test:5000');
    expect(d.tls).toEqual({
      caFiles: ['/etc/docker/certs.d/reg.test:5000/ca.crt'],
      clientPairs: [{ cert: '/etc/docker/certs.d/reg.test:5000/client.cert', key: '/etc/docker/certs.d/reg.test:5000/client.key' }],
      skipVerify: false,
    });
    const both = node({ 'etc/docker/certs.d/reg.test:5000/ca.crt': 'x', 'etc/containers/certs.d/reg.test:5000/': '' });
    const b = await crioCertDir(fsOf(both), 'reg.test:5000');
    expect(b.dir).toBe('/etc/containers/certs.d/reg.test:5000');
    expect(b.tls.caFiles).toEqual([]);
  });

  it('the first auth file with an entry for the registry decides; later files are not consulted', async () => {
    const root = node({
      'run/containers/0/auth.json': JSON.stringify({ auths: { 'other.test': { auth: 'eDp5' } } }),
      'root/.config/containers/auth.json': JSON.stringify({ auths: { 'reg.test:5000/team': { auth: 'eDp5' } } }),
      'root/.docker/config.json': JSON.stringify({ auths: { 'reg.test:5000': { auth: 'eDp5' } } }),
    });
    const a = await crioAuthFiles(fsOf(root), 'reg.test:5000/team/app:1');
    expect(a.decides).toBe('/root/.config/containers/auth.json');
    expect(a.files.map((f) => [f.path, f.matches])).toEqual([
      ['/run/containers/0/auth.json', []],
      ['/root/.config/containers/auth.json', ['reg.test:5000/team']],
      ['/root/.docker/config.json', ['reg.test:5000']],
      ['/root/.dockercfg', []],
    ]);
    expect((await crioAuthFiles(fsOf(root), 'reg.test:5000/other/app:1')).decides).toBe('/root/.docker/config.json');
  });

  it('short names: no registry host in the first component', () => {
    expect(['hello:1.0', 'lab/hello', 'library/nginx'].map(isShortName)).toEqual([true, true, true]);
    expect(['reg.test/a', 'localhost/a', 'reg:5000/a'].map(isShortName)).toEqual([false, false, false]);
  });
});

describe("CRI-O's wording per version", () => {
  const img = parseImageReference('reg.test:5000/lab/hello:1.0');
  const x509 = 'x509: certificate signed by unknown authority';
  const refused = 'dial tcp 127.0.0.1:5000: connect: connection refused';
  it('containers/image before 5.14 (CRI-O 1.21) vs after (1.22+; measured with podman 4.3)', () => {
    expect(crioTransportPullError(img, 'reg.test:5000', x509, '1.21.7')).toBe(
      `Error initializing source docker://reg.test:5000/lab/hello:1.0: error pinging docker registry reg.test:5000: Get "https://reg.test:5000/v2/": ${x509}`,
    );
    expect(crioTransportPullError(img, 'reg.test:5000', x509, '1.26.4')).toBe(
      `initializing source docker://reg.test:5000/lab/hello:1.0: pinging container registry reg.test:5000: Get "https://reg.test:5000/v2/": ${x509}`,
    );
  });
  it('RegistryUnavailable from 1.28 for connection refused; the artifact retry of 1.34/1.35; 1.36 skips it for network errors', () => {
    const base = `initializing source docker://reg.test:5000/lab/hello:1.0: pinging container registry reg.test:5000: Get "https://reg.test:5000/v2/": ${refused}`;
    expect(crioTransportPullError(img, 'reg.test:5000', refused, '1.27.1')).toBe(base);
    expect(crioTransportPullError(img, 'reg.test:5000', refused, '1.28.0')).toBe(`RegistryUnavailable: ${base}`);
    expect(crioTransportPullError(img, 'reg.test:5000', refused, '1.34.2')).toBe(
      `RegistryUnavailable: unable to pull image or OCI artifact: pull image err: ${base}; artifact err: ${base}`,
    );
    expect(crioTransportPullError(img, 'reg.test:5000', refused, '1.36.1')).toBe(`RegistryUnavailable: unable to pull image: ${base}`);
    const auth = crioManifestPullError(img, 'unauthorized: authentication required', '1.36.1');
    expect(auth).toMatch(
      /^unable to pull image or OCI artifact: pull image err: initializing source docker:\/\/reg\.test:5000\/lab\/hello:1\.0: reading manifest 1\.0 in reg\.test:5000\/lab\/hello: unauthorized: authentication required; artifact err: /,
    );
  });
  it('docker.io images are named in the familiar form and pinged at registry-1.docker.io', () => {
    const hub = parseImageReference('nginx:1.25');
    expect(crioTransportPullError(hub, 'registry-1.docker.io', x509, '1.30.0')).toBe(
      `initializing source docker://nginx:1.25: pinging container registry registry-1.docker.io: Get "https://registry-1.docker.io/v2/": ${x509}`,
    );
  });
  it("re-words containerd's prediction: transport errors of the registry itself, 401s; mirrors and token realms are left unpredicted", () => {
    const t = predictTransportPullError(img, 'https://reg.test:5000/v2', x509);
    expect(crioFromContainerdPrediction(t, img, 'reg.test:5000', '1.30.0')).toBe(
      crioTransportPullError(img, 'reg.test:5000', x509, '1.30.0'),
    );
    expect(
      crioFromContainerdPrediction(predictTransportPullError(img, 'https://mirror.test/v2', x509), img, 'reg.test:5000', '1.30.0'),
    ).toBeUndefined();
    const s401 = predictResolvePullError(img, statusResolverError('reg.test:5000', img, 401, 'Unauthorized'));
    expect(crioFromContainerdPrediction(s401, img, 'reg.test:5000', '1.30.0')).toBe(
      'initializing source docker://reg.test:5000/lab/hello:1.0: reading manifest 1.0 in reg.test:5000/lab/hello: unauthorized: authentication required',
    );
    expect(
      crioFromContainerdPrediction(
        predictResolvePullError(img, 'failed to authorize: failed to fetch anonymous token: x'),
        img,
        'reg.test:5000',
        '1.30.0',
      ),
    ).toBeUndefined();
  });
});

describe('the crio-config check on a CRI-O node', () => {
  it('detects CRI-O by its socket and predicts the short-name error podman/CRI-O print when nothing resolves it', async () => {
    const root = node({ 'run/crio/crio.sock': '', 'etc/containers/registries.conf': 'unqualified-search-registries = []\n' });
    const s = await runGraph([runtimeInfoCheck, containerdConfigCheck, crioConfigCheck], {
      target: parseTarget('hello:1.0'),
      options: { ...DEFAULT_RUN_OPTIONS, root, pull: false },
      adapters: createRealAdapters({ root, env: {} }),
    });
    expect(s.facts['runtime-info']!.kind).toBe('cri-o');
    const f = s.checks.find((c) => c.id === 'crio-config')!.findings;
    // measured: podman 4.3.1 (containers/image 5.23.1)
    expect(f.map((x) => x.predictedRuntimeError)).toEqual([
      'short-name "hello:1.0" did not resolve to an alias and no unqualified-search registries are defined in "/etc/containers/registries.conf"',
    ]);
    expect(s.facts['crio-config']!.shortName).toBe(true);
  });
  it('reads the CRI-O version from `crio --version` (old and table forms)', () => {
    expect(crioVersionFromCli('crio version 1.20.0\ncommit: "abc"\n')).toBe('1.20.0');
    expect(crioVersionFromCli('INFO[0000] Starting CRI-O\nVersion:        1.28.1\nGitCommit:      abc\nGoVersion:      go1.20.10\n')).toBe(
      '1.28.1',
    );
  });
  it('is skipped on a containerd node', async () => {
    const root = node({ 'etc/containerd/config.toml': 'version = 2\n' });
    const s = await runGraph([runtimeInfoCheck, crioConfigCheck], {
      target: parseTarget('reg.test/a:1'),
      options: { ...DEFAULT_RUN_OPTIONS, root, pull: false },
      adapters: createRealAdapters({ root, env: {} }),
    });
    expect(s.checks.find((c) => c.id === 'crio-config')!.status).toBe('skipped');
  });
});

describe('CRI-O fix planner', () => {
  const target = parseTarget('reg.test:5000/lab/hello:1.0');
  const finding = (code: Finding['code']): Finding => ({ code, severity: 'error', summary: 's', evidence: [], fixes: [], source: 't' });
  const crio = (extra: Record<string, unknown> = {}) =>
    partialFacts({
      'runtime-info': { kind: 'cri-o' },
      'crio-config': { version: '1.30.0', versionAssumed: false, files: [], certDirsTried: [], authFiles: [], shortName: false, ...extra },
    });

  it('plain HTTP: a registries.conf.d drop-in that carries the replaced entry over, then a reload of crio — never containerd', () => {
    const entry = {
      prefix: 'reg.test:5000',
      location: 'reg.test:5000',
      insecure: false,
      blocked: false,
      mirrors: [{ location: 'm.test', insecure: true }],
      file: '/etc/containers/registries.conf',
    };
    const [p] = proposeCrioFixes(finding('plain-http-registry'), { target, facts: crio({ entry }), inputs: {} });
    expect(p!.actions).toEqual([
      {
        kind: 'write-file',
        path: '/etc/containers/registries.conf.d/99-regdoctor-reg.test_5000.conf',
        content: renderInsecureDropIn('reg.test:5000', entry),
        mode: 0o644,
        description: '[[registry]] reg.test:5000 insecure = true',
      },
      { kind: 'restart-runtime', service: 'crio', reload: true, description: 'CRI-O re-reads registries.conf on reload' },
    ]);
    expect(renderInsecureDropIn('reg.test:5000', entry)).toContain('[[registry.mirror]]\nlocation = "m.test"\ninsecure = true');
    expect(dropInPath('[fd00::1]:5000')).toBe('/etc/containers/registries.conf.d/99-regdoctor-_fd00__1__5000.conf');
  });

  it('trust goes into the certificate directory containers/image reads now, without a reload', () => {
    const [p] = proposeCrioFixes(finding('untrusted-ca'), {
      target,
      facts: crio({ certDir: '/etc/docker/certs.d/reg.test:5000' }),
      inputs: { ca: 'PEM\n' },
    });
    expect(p!.actions).toEqual([
      {
        kind: 'write-file',
        path: '/etc/docker/certs.d/reg.test:5000/regdoctor-ca.crt',
        content: 'PEM\n',
        mode: 0o644,
        description: 'trust the supplied CA for reg.test:5000',
      },
    ]);
    const [q] = proposeCrioFixes(finding('untrusted-ca'), { target, facts: crio(), inputs: { ca: 'PEM\n' } });
    expect(q!.actions[0]).toMatchObject({ path: '/etc/containers/certs.d/reg.test:5000/regdoctor-ca.crt' });
    // a [[registry]] whose location is another host: containers/image connects there and reads that host's directory
    const moved = { prefix: 'reg.test:5000', location: 'real.test:443/base', insecure: false, blocked: false, mirrors: [], file: 'f' };
    const [m] = proposeCrioFixes(finding('untrusted-ca'), { target, facts: crio({ entry: moved }), inputs: { ca: 'PEM\n' } });
    expect(m!.actions[0]).toMatchObject({ path: '/etc/containers/certs.d/real.test:443/regdoctor-ca.crt' });
    // a directory derived from a hostile registries.conf location is not written to
    const [h] = proposeCrioFixes(finding('untrusted-ca'), {
      target,
      facts: crio({ certDir: '/etc/containers/certs.d/..' }),
      inputs: { ca: 'PEM\n' },
    });
    expect(h!.actions[0]).toMatchObject({ path: '/etc/containers/certs.d/reg.test:5000/regdoctor-ca.crt' });
  });

  it('no proposal for any cause names containerd files', () => {
    const codes: Finding['code'][] = [
      'self-signed',
      'untrusted-ca',
      'incomplete-chain',
      'plain-http-registry',
      'client-cert-required',
      'hostname-mismatch',
      'expired',
      'dns',
      'connection-refused',
      'credentials-missing',
      'unauthorized',
      'config-invalid',
    ];
    for (const c of codes) {
      const ps = proposeCrioFixes(finding(c), { target, facts: crio(), inputs: { ca: 'PEM\n', clientCert: 'C', clientKey: 'K' } });
      expect(JSON.stringify(ps), c).not.toMatch(/\/etc\/containerd|hosts\.toml|"service":"containerd"|config\.toml/);
    }
  });
});

describe('CRI-O wording on a diagnosis', () => {
  const target = parseTarget('reg.test:5000/lab/hello:1.0');
  const x509 = 'x509: certificate signed by unknown authority';
  const mk = (f: Partial<Finding>): Finding => ({
    code: 'untrusted-ca',
    severity: 'error',
    summary: 's',
    evidence: [],
    fixes: [],
    source: 'go-verify',
    ...f,
  });
  const state = (facts: Record<string, unknown>): RunState => ({
    target,
    startedAt: 0,
    checks: [],
    cancelled: false,
    facts: {
      'runtime-info': { kind: 'cri-o' },
      'crio-config': { version: '1.30.0', versionAssumed: false, files: [], certDirsTried: [], authFiles: [], shortName: false },
      ...facts,
    } as unknown as RunState['facts'],
  });

  it('attachProposals on a CRI-O node: CRI-O wording, CRI-O fixes; a real CRI pull with exactly that message confirms it', () => {
    const crioMsg = crioTransportPullError(target.image!, 'reg.test:5000', x509, '1.30.0');
    const findings = [
      mk({ predictedRuntimeError: predictTransportPullError(target.image!, 'https://reg.test:5000/v2', x509) }),
      mk({ code: 'unknown', source: 'cri-pull', predictedRuntimeError: crioMsg }),
    ];
    const out = attachProposals(findings, state({ 'cri-pull': { ok: false, message: crioMsg } }), { ca: 'PEM\n' });
    expect(out.map((f) => [f.source, f.predictedRuntimeError])).toEqual([['go-verify', crioMsg]]);
    expect(out[0]!.evidence).toContain('confirmed: a real CRI pull fails with exactly this message');
    expect(out[0]!.fixes[0]!.actions[0]).toMatchObject({ path: '/etc/containers/certs.d/reg.test:5000/regdoctor-ca.crt' });
  });

  it('credentials missing for kubelet, but present in a CRI-O auth file: untested credentials, not a missing-credentials verdict', () => {
    const f = mk({ code: 'credentials-missing', source: 'registry-api', predictedRuntimeError: 'x' });
    const st = state({});
    (st.facts as Record<string, unknown>)['crio-config'] = {
      version: '1.30.0',
      versionAssumed: false,
      files: [],
      certDirsTried: [],
      shortName: false,
      authDecides: '/root/.docker/config.json',
      authFiles: [
        { path: '/run/containers/0/auth.json', exists: false, matches: [] },
        { path: '/root/.docker/config.json', exists: true, matches: ['reg.test:5000'] },
      ],
    };
    const [out] = attachCrioProposals([f], st);
    expect(out).toMatchObject({
      code: 'unknown',
      severity: 'warning',
      data: { reason: 'crio-auth-file', authFile: '/root/.docker/config.json' },
    });
    expect(out!.predictedRuntimeError).toBeUndefined();
    const [plain] = attachCrioProposals([f], state({}));
    expect(plain!.code).toBe('credentials-missing');
  });

  it("a mirror's transport failure gets no (containerd-worded) prediction on CRI-O, and says CRI-O moves on", () => {
    const out = attachCrioProposals(
      [mk({ predictedRuntimeError: predictTransportPullError(target.image!, 'https://mirror.test:5000/v2', x509) })],
      state({}),
    );
    expect(out[0]!.predictedRuntimeError).toBeUndefined();
    expect(out[0]!.evidence.join(' ')).toMatch(/CRI-O moves on from mirror mirror\.test:5000/);
    // and no node change aimed at the registry's own directory
    expect(out[0]!.fixes.flatMap((p) => p.actions)).toEqual([]);
    expect(out[0]!.fixes[0]!.id).toBe('crio-mirror-manual');
  });
});
