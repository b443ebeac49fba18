// containerd-config / auth-files / runtime-drift over copied node trees (--root fixtures), per containerd version.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { runGraph } from '../../src/core/engine.js';
import { DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { parseTarget } from '../../src/core/reference.js';
import { createRealAdapters } from '../../src/app/adapters.js';
import { containerdConfigCheck } from '../../checks/containerd-config.js';
import { runtimeInfoCheck } from '../../checks/runtime-info.js';
import { authFilesCheck } from '../../checks/auth-files.js';
import { judgeDrift } from '../../checks/runtime-drift.js';
import { keyMatches, parseDockerConfig, parseKey } from '../../src/runtime/credential-match.js';
import { hostDirNames, parseSemver } from '../../src/runtime/containerd-config.js';
import type { Check, RunState } from '../../src/core/types.js';
import { OFFLINE } from '../helpers/offline-net.js';

const FIX = fileURLToPath(new URL('../fixtures/nodes/', import.meta.url));

async function run(
  node: string,
  image: string,
  containerdVersion: string,
  checks: Check[] = [runtimeInfoCheck, containerdConfigCheck],
): Promise<RunState> {
  const root = `${FIX}${node}`;
  return runGraph(checks, {
    target: parseTarget(image),
    options: { ...DEFAULT_RUN_OPTIONS, root, containerdVersion: containerdVersion || undefined, pull: false },
    // offline: the fixture hosts are never looked up (an ignored hosts.toml makes containerd-config probe the registry)
    adapters: { ...createRealAdapters({ root, env: {} }), net: OFFLINE },
  });
}

function cfg(s: RunState) {
  const c = s.checks.find((x) => x.id === 'containerd-config')!;
  return { run: c, facts: s.facts['containerd-config']!, codes: c.findings.map((f) => f.code), findings: c.findings };
}

describe('containerd-config over --root fixture trees', () => {
  it('version 1: reads plugins.cri.registry (legacy mirrors/configs), ignores the long table name', async () => {
    const { facts, findings } = cfg(await run('v1-legacy', 'reg.test:5000/app:1', '1.6.20'));
    expect(facts.configVersion).toBe(1);
    expect(facts.registryTable).toEqual(['plugins', 'cri', 'registry']);
    expect(facts.effective.mode).toBe('legacy');
    expect(facts.effective.endpoints.map((e) => e.url)).toEqual(['https://mirror.test/v2', 'https://reg.test:5000/v2']);
    const server = facts.effective.endpoints[1]!;
    expect(server.tls.caFiles).toEqual(['/etc/ssl/private-ca.pem']);
    expect(facts.effective.legacyAuth).toMatchObject({ source: 'configs."reg.test:5000".auth', hasUsername: true, hasPassword: true });
    const ignored = findings.find((f) => f.code === 'config-ignored')!;
    expect(ignored.summary).toMatch(/no `version` \(version 1\)/);
    expect(JSON.stringify(facts)).not.toContain('s3cret-value');
    expect(facts.logLines).toContain('`mirrors` is deprecated, please use `config_path` instead');
  });

  it('version 2 with config_path (colon list), imports, host_port_ directory, ca list, client pairs, mirror tables', async () => {
    const { facts, codes, findings } = cfg(await run('v2-hosts', 'reg.test:5000/app:1', '1.7.13'));
    expect(facts.imports).toEqual(['/etc/containerd/conf.d/10-extra.toml']);
    expect(facts.effective.mode).toBe('hosts-toml');
    expect(facts.effective.hostsFile).toBe('/etc/containerd/certs.d/reg.test_5000_/hosts.toml');
    const [mirror, http, server] = facts.effective.endpoints;
    expect(mirror).toMatchObject({ url: 'https://mirror.test/v2/cache', capabilities: ['pull', 'resolve'], isServer: false });
    expect(mirror!.tls.skipVerify).toBe(true);
    expect(http).toMatchObject({ url: 'http://fallback.test:8080/v2', scheme: 'http', httpFallback: true, port: 8080 });
    expect(server).toMatchObject({ url: 'https://reg.test:5000/v2', isServer: true });
    expect(server!.tls.caFiles).toEqual(['/etc/containerd/certs.d/reg.test_5000_/ca.crt', '/etc/pki/extra.pem']);
    expect(server!.tls.clientPairs).toEqual([
      { cert: '/etc/containerd/certs.d/reg.test_5000_/client.cert', key: '/etc/containerd/certs.d/reg.test_5000_/client.key' },
    ]);
    // /etc/pki/extra.pem does not exist in the tree: ConfigureHosts fails every pull before any request
    expect(codes).toContain('config-invalid');
    expect(findings.find((f) => f.code === 'config-invalid')!.predictedRuntimeError).toBe(
      'failed to pull and unpack image "reg.test:5000/app:1": failed to resolve reference "reg.test:5000/app:1": unable to read CA cert "/etc/pki/extra.pem": open /etc/pki/extra.pem: no such file or directory',
    );
  });

  it('http fallback applies only from 1.6.25 / 1.7.7', async () => {
    const old = cfg(await run('v2-hosts', 'reg.test:5000/app:1', '1.7.6')).facts;
    expect(old.effective.endpoints[1]!.httpFallback).toBe(false);
  });

  it('docker-style certs.d directory (no hosts.toml) in the second config_path root', async () => {
    // before 1.6.17 there is no _default, so the second root is reached (with _default the first root's wins)
    const { facts } = cfg(await run('v2-hosts', 'docker-style.test/app:1', '1.6.16'));
    const ep = facts.effective.endpoints[0]!;
    expect(ep.source).toMatch(/docker-style certificate files/);
    expect(ep.tls.caFiles).toEqual(['/etc/docker/certs.d/docker-style.test/ca.crt']);
    expect(ep.tls.clientPairs).toEqual([
      { cert: '/etc/docker/certs.d/docker-style.test/node.cert', key: '/etc/docker/certs.d/docker-style.test/node.key' },
    ]);
  });

  it('_default applies from 1.6.17, not before', async () => {
    const newer = cfg(await run('v2-hosts', 'elsewhere.test/app:1', '1.6.17')).facts;
    expect(newer.effective.hostsFile).toBe('/etc/containerd/certs.d/_default/hosts.toml');
    // root-level `server` alone does not decode on 1.x ("invalid `host` tree"): the default host stays
    expect(newer.effective.endpoints.at(-1)!.url).toBe('https://elsewhere.test/v2');
    const v2 = cfg(await run('v2-hosts', 'elsewhere.test/app:1', '2.0.0')).facts;
    expect(v2.effective.endpoints.at(-1)!.url).toBe('https://default-mirror.test/v2');
    const older = cfg(await run('v2-hosts', 'elsewhere.test/app:1', '1.6.16')).facts;
    expect(older.effective.hostsFile).toBeUndefined();
    expect(older.effective.endpoints[0]!.url).toBe('https://elsewhere.test/v2');
  });

  it("mirrors + config_path and configs.tls + config_path: config-conflict with containerd's log line", async () => {
    const { findings } = cfg(await run('v2-conflict', 'docker.io/library/nginx:1', '1.6.20'));
    const conflicts = findings.filter((f) => f.code === 'config-conflict');
    expect(conflicts).toHaveLength(2);
    expect(conflicts[0]!.evidence!.join('\n')).toContain(
      'failed to load plugin io.containerd.grpc.v1.cri: invalid plugin config: `mirrors` cannot be set when `config_path` is provided',
    );
    expect(conflicts[1]!.evidence!.join('\n')).toContain('`configs.tls` cannot be set when `config_path` is provided');
    expect(conflicts[0]!.severity ?? 'critical').toBe('critical');
  });

  it('on 2.x, configs.tls is ignored instead of fatal', async () => {
    const { findings } = cfg(await run('v2-conflict', 'reg.test:5000/app:1', '2.0.0'));
    expect(findings.filter((f) => f.code === 'config-conflict').map((f) => f.summary)).toHaveLength(1);
    expect(findings.some((f) => f.code === 'config-ignored' && /removed in 2\.0/.test(f.summary))).toBe(true);
  });

  it('version 3: registry under grpc.v1.cri is ignored; the images plugin table is read', async () => {
    const { facts, findings } = cfg(await run('v3-wrong-table', 'reg.test:5000/app:1', '2.1.0'));
    expect(facts.registryTable).toEqual(['plugins', 'io.containerd.cri.v1.images', 'registry']);
    expect(facts.effective.configPath).toEqual(['/etc/containerd/certs.d']);
    const ig = findings.find((f) => f.code === 'config-ignored' && /version 3 file/.test(f.summary))!;
    expect(ig.severity).toBe('warning');
  });

  it('certs.d present but config_path unset (1.x): config-ignored; 2.2.2+ lists it by default, which only its local pull reads', async () => {
    const old = cfg(await run('unused-certsd', 'reg.test:5000/app:1', '1.7.13'));
    expect(old.findings.some((f) => f.code === 'config-ignored' && /does not read certs\.d/.test(f.summary))).toBe(true);
    expect(old.facts.effective.mode).toBe('default');
    // nothing forces the local pull: the transfer service takes the default list as one directory (containerd #12636)
    const neu = cfg(await run('unused-certsd', 'reg.test:5000/app:1', '2.2.2'));
    expect(neu.facts.effective.configPath).toEqual(['/etc/containerd/certs.d:/etc/docker/certs.d']);
    expect(neu.facts.effective.hostsFile).toBeUndefined();
    expect(neu.findings.find((f) => f.data?.transferIgnored)?.data?.file).toBe('/etc/containerd/certs.d/reg.test:5000/hosts.toml');
  });

  it('a hosts.toml that does not parse: ignored (line and column), and the cause when the fallback pull fails', async () => {
    const { findings } = cfg(await run('broken-hosts', 'reg.test:5000/app:1', '1.7.13'));
    const f = findings.find((x) => x.code === 'config-ignored' && /does not parse/.test(x.summary))!;
    expect(f.summary).toMatch(/hosts\.toml does not parse \(line \d+, column \d+\)/);
    expect(f.summary).toMatch(/falls back to .* and https:\/\/reg\.test:5000/);
    expect(f.severity).toBe('critical');
  });

  it('a config.toml that does not parse: config-invalid, nothing guessed', async () => {
    const { findings, facts } = cfg(await run('bad-toml', 'reg.test:5000/app:1', '1.7.13'));
    expect(findings[0]!.code).toBe('config-invalid');
    expect(findings[0]!.summary).toMatch(/config\.toml:\d+:\d+/);
    expect(facts.effective.mode).toBe('default');
  });

  it('host directory names per version', () => {
    expect(hostDirNames('reg.test:5000', parseSemver('1.6.20')!)).toEqual(['reg.test_5000_', 'reg.test:5000', '_default']);
    expect(hostDirNames('reg.test', parseSemver('1.6.10')!)).toEqual(['reg.test']);
  });
});

describe('auth-files and kubelet credential matching', () => {
  it('uses the first valid kubelet file; wrong-port keys are a credentials-mismatch; credHelpers are ignored', async () => {
    const s = await run('auth', 'reg.test:5000/team/app:1', '1.7.13', [runtimeInfoCheck, containerdConfigCheck, authFilesCheck]);
    const c = s.checks.find((x) => x.id === 'auth-files')!;
    const facts = s.facts['auth-files']!;
    expect(facts.kubeletFile).toBe('/var/lib/kubelet/config.json');
    expect(facts.matching).toEqual([]);
    expect(c.findings.map((f) => f.code)).toEqual(['config-ignored', 'credentials-mismatch']);
    expect(c.findings[1]!.summary).toContain('"reg.test:5001"');
    expect(c.findings[1]!.summary).toMatch(/port must match exactly/);
    expect(JSON.stringify(c)).not.toMatch(/Y2k6|wrong-port|bm90OnVzZWQ/);
  });

  it('skips a malformed file (with its position) and falls back to the next one', async () => {
    const s = await run('auth-bad', 'reg.test:5000/team/app:1', '1.7.13', [runtimeInfoCheck, containerdConfigCheck, authFilesCheck]);
    const facts = s.facts['auth-files']!;
    expect(facts.kubeletFile).toBe('/root/.docker/config.json');
    expect(facts.matching).toHaveLength(1);
    expect(s.checks.find((x) => x.id === 'auth-files')!.findings[0]!.summary).toMatch(/config\.json:1:\d+ is not valid JSON/);
  });

  it.each([
    ['reg.test:5000', 'reg.test:5000', 'team/app', true],
    ['https://reg.test:5000/v2/', 'reg.test:5000', 'team/app', true],
    ['reg.test', 'reg.test:5000', 'team/app', false],
    ['reg.test:5000', 'reg.test', 'team/app', false],
    ['*.corp.test', 'reg.corp.test', 'a', true],
    ['*.corp.test', 'a.reg.corp.test', 'a', false],
    ['reg.test/team', 'reg.test', 'team/app', true],
    ['reg.test/other', 'reg.test', 'team/app', false],
    ['reg.test/tea', 'reg.test', 'team/app', false],
    ['https://index.docker.io/v1/', 'docker.io', 'library/nginx', true],
    ['docker.io', 'docker.io', 'library/nginx', true],
  ])('key %s vs %s/%s → %s', (key, domain, path, ok) => {
    expect(keyMatches(key, { domain, path }).ok).toBe(ok);
  });

  it('decodes auth, keeps credHelpers/credsStore as ignored, normalises keys', () => {
    const p = parseDockerConfig('{"auths":{"r":{"auth":"dTpw"}},"credsStore":"desktop"}');
    expect(p.entries[0]).toMatchObject({ username: 'u', password: 'p' });
    expect(p.ignored).toEqual(['credsStore (desktop)']);
    expect(parseKey('https://r.test:5000/v1/')).toMatchObject({ host: 'r.test', port: '5000', path: '' });
  });
});

describe('runtime drift', () => {
  it('flags config.toml and the CA bundle changed after containerd started, and loaded-vs-file differences', () => {
    const { findings } = judgeDrift({
      startedAt: '2026-11-20T10:00:00Z',
      files: [
        { path: '/etc/containerd/config.toml', mtimeMs: Date.parse('2026-11-21T09:00:00Z'), what: 'read at start.' },
        { path: '/etc/ssl/certs/ca-certificates.crt', mtimeMs: Date.parse('2026-11-19T09:00:00Z'), what: 'read once.' },
      ],
      fileRegistry: { configPath: '/etc/containerd/certs.d', mirrors: [], configs: [] },
      loadedRegistry: { configPath: undefined, mirrors: ['docker.io'], configs: [] },
    });
    expect(findings.map((f) => f.code)).toEqual(['config-not-applied', 'config-not-applied']);
    expect(findings[0]!.summary).toMatch(/config\.toml changed at 2026-11-21T09:00:00\.000Z, after containerd started/);
    expect(findings[1]!.summary).toMatch(/config_path: file "\/etc\/containerd\/certs\.d" vs loaded ""/);
  });

  it('is quiet when nothing changed', () => {
    expect(
      judgeDrift({ startedAt: '2026-11-20T10:00:00Z', files: [{ path: '/x', mtimeMs: Date.parse('2026-11-01T00:00:00Z'), what: '' }] })
        .findings,
    ).toEqual([]);
  });
});

describe('imports', () => {
  it('an imported file with the CRI plugin section replaces it wholesale: config.toml registry settings are dropped', async () => {
    const { facts, findings } = cfg(await run('import-replaces', 'reg.test:5000/app:1', '1.6.20'));
    expect(facts.effective.mode).toBe('default');
    const f = findings.find((x) => x.code === 'config-ignored' && x.severity === 'error')!;
    expect(f.summary).toMatch(
      /conf\.d\/50-runtime\.toml .* replaces that whole section .* registry settings written in config\.toml are dropped/,
    );
  });
});

describe('other runtimes', () => {
  it('Docker: insecure-registries (exact and CIDR) skip verification with HTTP fallback; certs.d otherwise', async () => {
    const s = await run('docker-node', 'insecure.test:5000/app:1', '');
    expect(s.facts['runtime-info']!.kind).toBe('docker');
    const ep = s.facts['containerd-config']!.effective.endpoints[0]!;
    expect(ep).toMatchObject({ httpFallback: true });
    expect(ep.tls.skipVerify).toBe(true);
    const ip = (await run('docker-node', '10.1.2.3:5000/app:1', '')).facts['containerd-config']!.effective.endpoints[0]!;
    expect(ip.tls.skipVerify).toBe(true);
    const secure = (await run('docker-node', 'reg.test:5000/app:1', '')).facts['containerd-config']!.effective.endpoints[0]!;
    expect(secure.tls).toEqual({ caFiles: ['/etc/docker/certs.d/reg.test:5000/ca.crt'], clientPairs: [], skipVerify: false });
  });

  it('CRI-O: registries.conf(.d) mirrors and insecure flags, containers certs.d', async () => {
    const s = await run('crio-node', 'reg.test:5000/app:1', '');
    expect(s.facts['runtime-info']!.kind).toBe('cri-o');
    const eps = s.facts['containerd-config']!.effective.endpoints;
    expect(eps.map((e) => e.url)).toEqual(['https://mirror.test:5000/v2', 'https://reg.test:5000/v2']);
    expect(eps[1]!.tls.caFiles).toEqual(['/etc/containers/certs.d/reg.test:5000/ca.crt']);
    const insecure = (await run('crio-node', 'insecure.test:5000/app:1', '')).facts['containerd-config']!.effective.endpoints[0]!;
    expect(insecure.tls.skipVerify).toBe(true);
  });
});
