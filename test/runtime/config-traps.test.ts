// config.toml traps per containerd version (CRI_REGISTRY_RULES) over pure inputs: the plugin-load conflicts and what
// CRI answers then, containerd's own configs."h".auth credentials, the running configuration read back from CRI, the
// set-aside of pull-path symptoms behind a dead CRI plugin, and the restart-only judgement. The lab cases in
// test/e2e/runtime-truth-config.e2e.test.ts prove the same against the real containerd 1.6.20.
import { describe, expect, it } from 'vitest';
import { parseTarget } from '../../src/core/reference.js';
import {
  criRegistryRules,
  hostsTomlRules,
  CRI_REGISTRY_RULES,
  legacyCredentials,
  loadedFromCriStatus,
  parseSemver,
  resolveRegistryConfig,
  runtimeCredentialRejected,
  type LoadedConfig,
} from '../../src/runtime/containerd-config.js';
import { reconcileWithDeadPlugin, reconcileWithPull } from '../../src/core/reconcile.js';
import { judgeRunningModel } from '../../checks/runtime-drift.js';
import { judgeHttpEndpoint } from '../../src/probe/judge-tls.js';
import { decideWalk, endpointFromUrl } from '../../src/runtime/endpoints.js';
import type { Finding, RunState } from '../../src/core/types.js';

const V1620 = parseSemver('1.6.20')!;
const V200 = parseSemver('2.0.0')!;
const FILE = '/etc/containerd/config.toml';
const target = parseTarget('reg.test:5000/team/app:1.0');

function loaded(registry: Record<string, unknown>): LoadedConfig {
  const doc = { version: 2, plugins: { 'io.containerd.grpc.v1.cri': { registry } } };
  return { file: FILE, exists: true, doc, mainDoc: doc, version: 2, imports: [], problems: [], replaced: [] };
}

const resolve = (registry: Record<string, unknown>, v = V1620) =>
  resolveRegistryConfig({
    loaded: loaded(registry),
    registry: target.registry,
    version: v,
    versionKnown: true,
    unusedCertDirs: [],
    missingFiles: [],
  });

function finding(f: Partial<Finding> & Pick<Finding, 'code' | 'source'>): Finding {
  return { severity: 'error', summary: f.code, evidence: [], fixes: [], ...f };
}

describe('CRI_REGISTRY_RULES', () => {
  it('rows are ordered by version and each later row changes something', () => {
    for (let i = 1; i < CRI_REGISTRY_RULES.length; i++) {
      const [a, b] = [CRI_REGISTRY_RULES[i - 1]!, CRI_REGISTRY_RULES[i]!];
      expect(b.from.major * 1e6 + b.from.minor * 1e3 + b.from.patch).toBeGreaterThan(
        a.from.major * 1e6 + a.from.minor * 1e3 + a.from.patch,
      );
      expect({ ...b, from: a.from }).not.toEqual(a);
    }
  });

  it('1.5–1.7: configs.tls with config_path is fatal; 2.0 drops the tls table; configs auth is honoured throughout', () => {
    expect(criRegistryRules(V1620).configsTlsWithConfigPath).toBe('fatal');
    expect(criRegistryRules(parseSemver('1.7.30')!).configsTlsWithConfigPath).toBe('fatal');
    expect(criRegistryRules(V200).configsTlsWithConfigPath).toBe('ignored');
    for (const r of CRI_REGISTRY_RULES) expect(r.legacyAuthWithConfigPath).toBe(true);
  });
});

describe('plugin-load conflicts (item 6)', () => {
  it.each([
    ['configs.tls', { config_path: '/etc/containerd/certs.d', configs: { 'reg.test:5000': { tls: { ca_file: '/ca.pem' } } } }],
    ['mirrors', { config_path: '/etc/containerd/certs.d', mirrors: { 'reg.test:5000': { endpoint: ['https://m.test'] } } }],
  ])('%s + config_path on 1.6: config-conflict predicting what every CRI call answers', (_w, registry) => {
    const r = resolve(registry);
    const c = r.findings.filter((f) => f.code === 'config-conflict');
    expect(c).toHaveLength(1);
    expect(c[0]!.predictedRuntimeError).toBe('unknown service runtime.v1.ImageService');
    expect(c[0]!.data?.pluginNotLoaded).toBe(true);
    expect(r.logLines.join('\n')).toMatch(
      /failed to load plugin io\.containerd\.grpc\.v1\.cri: invalid plugin config: `(mirrors|configs\.tls)` cannot be set/,
    );
  });

  it('configs.tls + config_path on 2.0: no conflict, the tls table is ignored (a warning for the target host)', () => {
    const r = resolve({ config_path: '/etc/containerd/certs.d', configs: { 'reg.test:5000': { tls: { ca_file: '/ca.pem' } } } }, V200);
    expect(r.findings.map((f) => f.code)).toEqual(['config-ignored']);
    expect(r.findings[0]!.severity).toBe('warning');
  });

  it('configs auth alone with config_path is no conflict', () => {
    const r = resolve({ config_path: '/etc/containerd/certs.d', configs: { 'reg.test:5000': { auth: { username: 'u', password: 'p' } } } });
    expect(r.findings.filter((f) => f.code === 'config-conflict')).toEqual([]);
    expect(r.effective.legacyAuth).toMatchObject({ source: 'configs."reg.test:5000".auth', hasUsername: true, hasPassword: true });
    expect(JSON.stringify([r.effective, r.findings, r.notes, r.logLines])).not.toContain('"p"');
  });
});

describe("containerd's own credentials (item 5)", () => {
  it('configs."h".auth per host; auths folded in like containerd (url.Parse: a scheme gives its host)', () => {
    const c = legacyCredentials(
      {
        configs: { 'reg.test:5000': { auth: { username: 'u', password: 'p' } }, 'empty.test': { auth: { username: '' } } },
        auths: {
          'https://other.test:443': { auth: 'dTpw' },
          'bare.test': { identitytoken: 't' },
          'reg.test:5000': { username: 'x', password: 'y' },
        },
      },
      FILE,
    );
    expect(c['reg.test:5000']).toMatchObject({ source: 'configs."reg.test:5000".auth', username: 'u', password: 'p', file: FILE });
    expect(c['other.test:443']).toMatchObject({ source: 'auths."https://other.test:443"', auth: 'dTpw' });
    expect(c['bare.test']).toMatchObject({ identityToken: 't' });
    // Go reads "reg.test:5000" as scheme "reg.test": the entry lands on "" and never applies; empty entries send nothing
    expect(Object.keys(c).sort()).toEqual(['bare.test', 'other.test:443', 'reg.test:5000']);
  });

  it('a rejected config.toml credential is credentials-mismatch naming its table; other findings pass through', () => {
    const cred = { source: 'configs."reg.test:5000".auth', file: FILE, username: 'ci', password: 'hunter2' };
    const rejected = runtimeCredentialRejected(
      { code: 'unauthorized', summary: 'rejected', predictedRuntimeError: 'x' },
      cred,
      'reg.test:5000',
    );
    expect(rejected.code).toBe('credentials-mismatch');
    expect(rejected.summary).toContain('configs."reg.test:5000".auth');
    expect(rejected.summary).toContain(FILE);
    expect(rejected.predictedRuntimeError).toBe('x');
    expect(rejected.data).toMatchObject({ credentialSource: cred.source, file: FILE });
    expect(JSON.stringify(rejected)).not.toContain('hunter2');
    const nf = { code: 'not-found' as const, summary: 'nf' };
    expect(runtimeCredentialRejected(nf, cred, 'reg.test:5000')).toBe(nf);
  });
});

describe('the running configuration read back from CRI (item 10)', () => {
  // containerd 1.6.20's CRI Status (verbose) `config.registry`, as measured in the lab
  const status = {
    configPath: '',
    mirrors: { 'reg.test:5000': { endpoint: ['https://m.test'] } },
    configs: {
      'reg.test:5000': {
        auth: { username: 'u', password: 'p', auth: '', identitytoken: '' },
        tls: { insecure_skip_verify: true, caFile: '/etc/ca.pem', certFile: '', keyFile: '' },
      },
      'm.test': { auth: null, tls: { insecure_skip_verify: false, caFile: '/etc/m.pem', certFile: '', keyFile: '' } },
    },
    auths: null,
    headers: null,
  };

  const resolveLoaded = (loaded: NonNullable<ReturnType<typeof loadedFromCriStatus>>) =>
    resolveRegistryConfig({ loaded, registry: target.registry, version: V1620, versionKnown: true, unusedCertDirs: [], missingFiles: [] });

  it('resolves like the config.toml it was loaded from', () => {
    const l = loadedFromCriStatus(status, FILE)!;
    const r = resolveLoaded(l);
    expect(r.effective.mode).toBe('legacy');
    expect(r.effective.endpoints.map((e) => [e.url, e.tls.caFiles, e.tls.skipVerify])).toEqual([
      ['https://m.test/v2', ['/etc/m.pem'], false],
      ['https://reg.test:5000/v2', ['/etc/ca.pem'], true],
    ]);
    expect(r.effective.legacyAuth?.source).toBe('configs."reg.test:5000".auth');
  });

  it('config_path reported → hosts.toml mode; nothing usable → undefined', () => {
    const l = loadedFromCriStatus({ configPath: '/etc/containerd/certs.d', mirrors: {}, configs: {} }, FILE)!;
    const r = resolveLoaded(l);
    expect(r.effective.mode).toBe('hosts-toml');
    expect(loadedFromCriStatus(undefined, FILE)).toBeUndefined();
    expect(loadedFromCriStatus('x', FILE)).toBeUndefined();
  });

  const fails = { ok: false, what: 'x509: certificate signed by unknown authority', criError: 'failed to pull … x509' };
  const works = { ok: true, what: 'the pull works' };

  it('restart-only: the failing pull as containerd runs is the verdict, predicted, fixed by the restart', () => {
    const f = judgeRunningModel({ now: fails, onDisk: works, evidence: ['e'] }, FILE, 'restart containerd (systemctl restart containerd)')!;
    expect(f).toMatchObject({
      code: 'config-not-applied',
      severity: 'error',
      predictedRuntimeError: fails.criError,
      data: { restartOnly: true },
    });
    expect(f.summary).toContain('only the restart is missing');
  });

  it('a restart that would break a working pull is a warning; the same outcome either way says nothing', () => {
    const w = judgeRunningModel({ now: works, onDisk: fails, evidence: [] }, FILE, 'restart')!;
    expect(w).toMatchObject({ code: 'config-not-applied', severity: 'warning', data: { breaksOnRestart: true } });
    expect(judgeRunningModel({ now: fails, onDisk: fails, evidence: [] }, FILE, 'restart')).toBeUndefined();
    expect(judgeRunningModel({ now: works, onDisk: works, evidence: [] }, FILE, 'restart')).toBeUndefined();
  });
});

describe('a CRI plugin that does not load is the one cause (item 6)', () => {
  const conflict = finding({
    code: 'config-conflict',
    severity: 'critical',
    source: 'containerd-config',
    predictedRuntimeError: 'unknown service runtime.v1.ImageService',
    data: { pluginNotLoaded: true },
  });
  const x509 = finding({ code: 'untrusted-ca', source: 'go-verify' });
  const down = finding({
    code: 'runtime-unavailable',
    severity: 'critical',
    source: 'cri-pull',
    evidence: ['unix:///run/containerd/containerd.sock: rpc error: code = 12 desc = unknown service runtime.v1.RuntimeService'],
  });
  const expiring = finding({ code: 'certificate-expiring', severity: 'warning', source: 'cert-chain' });
  const creds = finding({ code: 'credentials-mismatch', source: 'auth-files' });

  it('sets the pull-path errors aside (named in its evidence), keeps the rest, and takes the CRI answer as confirmation', () => {
    const out = reconcileWithDeadPlugin([conflict, x509, down, expiring, creds]);
    expect(out.map((f) => f.code)).toEqual(['config-conflict', 'certificate-expiring', 'credentials-mismatch']);
    expect(out[0]!.evidence).toContain(
      'confirmed: the CRI socket answers "unknown service runtime.v1.RuntimeService": the CRI plugin is not loaded',
    );
    expect(out[0]!.evidence.at(-1)).toMatch(/set aside .*untrusted-ca \(go-verify\), runtime-unavailable \(cri-pull\)/);
  });

  it('without such a conflict nothing changes; reconcileWithPull applies it first', () => {
    const plain = [x509, down];
    expect(reconcileWithDeadPlugin(plain)).toBe(plain);
    const state = { facts: {} } as unknown as RunState;
    expect(reconcileWithPull([conflict, x509], state).map((f) => f.code)).toEqual(['config-conflict']);
  });

  it('a real pull through CRI refutes it: the conflict becomes a warning and the pull-path findings stand', () => {
    const message = 'failed to pull and unpack image "reg.test:5000/team/app:1.0": x509';
    const state = {
      facts: { 'cri-pull': { ok: false, message, endpoint: 'e', runtime: 'containerd', durationMs: 1 } },
    } as unknown as RunState;
    const out = reconcileWithPull([conflict, { ...x509, predictedRuntimeError: message }], state);
    expect(out.map((f) => [f.code, f.severity])).toEqual([
      ['config-conflict', 'warning'],
      ['untrusted-ca', 'error'],
    ]);
    expect(out[1]!.evidence).toContain('confirmed: a real CRI pull fails with exactly this message');
  });
});

describe('an http:// host on an HTTPS port (item 7)', () => {
  it("predicts containerd 1.6's status text for Go's 400 answer", () => {
    const ep = endpointFromUrl('http://reg.test:5000/v2', { source: 'hosts.toml', isServer: true });
    const out = judgeHttpEndpoint(ep, { outcome: 'handshake', protocol: 'TLSv1.3', chain: [], durationMs: 1 }, target);
    expect(out.findings?.[0]?.code).toBe('http-client-to-https-server');
    expect(out.findings?.[0]?.predictedRuntimeError).toBe(
      'failed to pull and unpack image "reg.test:5000/team/app:1.0": failed to resolve reference "reg.test:5000/team/app:1.0": pulling from host reg.test:5000 failed with status code [manifests 1.0]: 400 Bad Request',
    );
  });

  it("follows the detected containerd's status wording (HOSTS_TOML_RULES walk): 1.7 names the request URL", () => {
    const ep = endpointFromUrl('http://reg.test:5000/v2', { source: 'hosts.toml', isServer: true });
    const url = 'http://reg.test:5000/v2/team/app/manifests/1.0';
    const out = judgeHttpEndpoint(ep, { outcome: 'handshake', chain: [], durationMs: 1 }, target, {
      walk: hostsTomlRules(parseSemver('1.7.2')!).walk,
      url,
    });
    expect(out.findings?.[0]?.predictedRuntimeError).toMatch(
      new RegExp(`: unexpected status from HEAD request to ${url.replace(/[.]/g, '\\.')}: 400 Bad Request$`),
    );
  });
});

describe("the pull modelled over a configuration's hosts (decideWalk, per HOSTS_TOML_RULES walk)", () => {
  const x509 = { kind: 'error' as const, error: 'x509: certificate signed by unknown authority' };
  const s401 = {
    kind: 'error' as const,
    error: 'pulling from host h failed with status code [manifests 1]: 401 Unauthorized',
    status: 401,
  };
  const nf = { kind: 'not-found' as const };
  const ok = { kind: 'ok' as const };
  const rules = (v: string) => hostsTomlRules(parseSemver(v)!).walk;
  // hosts that all take part (pull + resolve), one per outcome
  const walk = (outcomes: Parameters<typeof decideWalk>[1], r: ReturnType<typeof rules>) =>
    decideWalk(
      outcomes.map(() => ({ capabilities: ['pull' as const, 'resolve' as const] })),
      outcomes,
      r,
    );

  it('a 2xx anywhere wins; a 404 tries the next host', () => {
    expect(walk([x509, nf, ok], rules('1.6.20'))).toEqual({ index: 2, result: 'ok' });
    expect(walk([nf, nf], rules('1.6.20')).result).toBe('not-found');
    expect(walk([], rules('1.6.20'))).toEqual({ index: -1, result: 'not-found' });
  });

  it('1.5.5–1.7 report the first error other than a 404; 2.0 ranks status > not found > transport; 1.5.0 stops at a status', () => {
    expect(walk([nf, x509], rules('1.6.20'))).toEqual({ index: 1, result: 'error' });
    expect(walk([x509, s401], rules('1.7.2'))).toEqual({ index: 0, result: 'error' });
    expect(walk([nf, x509], rules('2.0.0'))).toEqual({ index: 0, result: 'not-found' });
    expect(walk([x509, s401], rules('2.0.0'))).toEqual({ index: 1, result: 'error' });
    expect(walk([s401, ok], rules('1.5.0'))).toEqual({ index: 0, result: 'error' });
  });

  it('only hosts with every capability asked for take part: pull + resolve for a tag, pull for a digest', () => {
    const hosts = [{ capabilities: ['pull' as const] }, { capabilities: ['pull' as const, 'resolve' as const] }];
    expect(decideWalk(hosts, [x509, nf], rules('1.6.20'))).toEqual({ index: -1, result: 'not-found' });
    expect(decideWalk(hosts, [x509, nf], rules('1.6.20'), true)).toEqual({ index: 0, result: 'error' });
  });
});
