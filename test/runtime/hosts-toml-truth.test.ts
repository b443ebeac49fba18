// containerd's reading of certs.d and hosts.toml per version (HOSTS_TOML_RULES), over pure inputs: which directory
// is read, which files decode, what the fallback is, which keys are ignored, and which unreadable file fails the pull.
// The lab cases in test/e2e/runtime-truth.e2e.test.ts prove the same rules against the real containerd 1.6.20.
import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { parseTarget } from '../../src/core/reference.js';
import {
  configureHostsError,
  hostDirNames,
  hostsPath,
  hostsTomlDecodeProblem,
  hostsTomlRules,
  needsHostTable,
  parseSemver,
  resolveRegistryConfig,
  strayHostDirNames,
  unknownHostsTomlKeys,
  type HostDirInfo,
  type LoadedConfig,
  type ResolveInput,
} from '../../src/runtime/containerd-config.js';

const V1620 = parseSemver('1.6.20')!;
const V200 = parseSemver('2.0.0')!;
const ROOT = '/etc/containerd/certs.d';

function loaded(): LoadedConfig {
  return {
    file: '/etc/containerd/config.toml',
    exists: true,
    doc: { version: 2, plugins: { 'io.containerd.grpc.v1.cri': { registry: { config_path: ROOT } } } },
    version: 2,
    imports: [],
    problems: [],
    replaced: [],
  };
}

function dir(name: string, files: string[], hostsToml?: string): HostDirInfo {
  const d = `${ROOT}/${name}`;
  return {
    dir: d,
    files: hostsToml === undefined ? files : [...files, 'hosts.toml'],
    hostsToml: hostsToml === undefined ? undefined : { path: `${d}/hosts.toml`, doc: parse(hostsToml) as Record<string, unknown> },
  };
}

function resolve(image: string, v = V1620, extra: Partial<ResolveInput> = {}) {
  const t = parseTarget(image);
  return resolveRegistryConfig({
    loaded: loaded(),
    registry: t.registry,
    version: v,
    versionKnown: true,
    unusedCertDirs: [],
    missingFiles: [],
    ...extra,
  });
}

describe('host directory names (hostPaths)', () => {
  it('host:port → host_port_, host:port, _default (1.6.17+); never the bare host', () => {
    expect(hostDirNames('h:5101', V1620)).toEqual(['h_5101_', 'h:5101', '_default']);
    expect(hostDirNames('h:5101', V1620)).not.toContain('h');
    expect(hostDirNames('h:5101', parseSemver('1.6.16')!)).toEqual(['h_5101_', 'h:5101']);
  });
  it('a host without a port → only its own name (and _default); never host:443', () => {
    expect(hostDirNames('h.test', V1620)).toEqual(['h.test', '_default']);
    expect(strayHostDirNames('h.test')).toEqual(['h.test:443', 'h.test_443_']);
    expect(strayHostDirNames('h.test:5101')).toEqual(['h.test']);
  });
  it('a misplaced directory is config-ignored naming the directory containerd reads and the mv', () => {
    const stray = dir('h.test', ['ca.crt'], '[host."https://h.test:5101"]\n  ca = "ca.crt"\n');
    const r = resolve('h.test:5101/app:1', V1620, { strayDirs: [stray] });
    const f = r.findings.find((x) => x.code === 'config-ignored')!;
    expect(f.severity).toBe('error');
    expect(f.summary).toContain(`${ROOT}/h.test_5101_/, then ${ROOT}/h.test:5101/, then ${ROOT}/_default/`);
    expect(f.data?.move).toBe(`mv ${ROOT}/h.test ${ROOT}/h.test:5101`);
    // what the file meant: its [host] table with the CA, resolved where it is
    expect(r.alternatives[0]!.intended!.map((e) => e.tls.caFiles)).toEqual([[`${ROOT}/h.test/ca.crt`], []]);
    expect(r.effective.endpoints.map((e) => e.url)).toEqual(['https://h.test:5101/v2']);
  });
});

describe('decoding hosts.toml (parseHostsFile) and the Docker-style fallback (loadHostDir)', () => {
  it('1.x needs a [host] table; 2.x does not', () => {
    const rootOnly = parse('server = "https://h:5000"\nca = "ca.crt"\n') as Record<string, unknown>;
    expect(hostsTomlDecodeProblem(rootOnly, V1620)).toBe('invalid `host` tree');
    expect(hostsTomlDecodeProblem(rootOnly, parseSemver('1.7.34')!)).toBe('invalid `host` tree');
    expect(hostsTomlDecodeProblem(rootOnly, V200)).toBeUndefined();
    expect(needsHostTable('1.6.20')).toBe(true);
    expect(needsHostTable('2.0.0')).toBe(false);
    expect(hostsTomlRules(parseSemver('2.1.0')!).hostKeys).toContain('dial_timeout');
    expect(hostsTomlRules(V200).hostKeys).not.toContain('dial_timeout');
  });
  it('wrong types and unknown capabilities do not decode', () => {
    const p = (s: string) => hostsTomlDecodeProblem(parse(s) as Record<string, unknown>, V1620);
    expect(p('[host."https://h"]\n  skip_verify = "true"\n')).toMatch(/skip_verify is a string/);
    expect(p('[host."https://h"]\n  capabilities = ["pull", "fetch"]\n')).toBe('unknown capability fetch');
    expect(p('[host."https://h"]\n  ca = 3\n')).toMatch(/invalid type for "ca"/);
    expect(p('[host."https://h"]\n  client = [["a.cert"]]\n')).toMatch(/"client"/);
    expect(p('server = 5\n[host."https://h"]\n')).toMatch(/server is a number/);
    expect(p('[host."https://h"]\n  ca = ["a.crt"]\n  skip_verify = true\n')).toBeUndefined();
  });
  it('root-only file on 1.6.20: ignored, falls back to the directory *.crt and https://host; the intent is kept', () => {
    const hd = dir('h:5000', ['ca.crt', 'extra.pem'], 'server = "https://h:5000"\nskip_verify = true\n');
    const r = resolve('h:5000/app:1', V1620, { hostDir: hd });
    expect(r.effective.endpoints).toHaveLength(1);
    const [ep] = r.effective.endpoints;
    expect(ep!.url).toBe('https://h:5000/v2');
    expect(ep!.tls).toEqual({ caFiles: [`${ROOT}/h:5000/ca.crt`], clientPairs: [], skipVerify: false });
    const f = r.findings.find((x) => x.data?.decode)!;
    expect(f.code).toBe('config-ignored');
    expect(f.summary).toMatch(/invalid `host` tree/);
    expect(f.summary).toContain(`falls back to the Docker-style files in ${ROOT}/h:5000 (ca.crt)`);
    expect(r.alternatives.find((a) => a.index === r.findings.indexOf(f))!.intended![0]!.tls.skipVerify).toBe(true);
    // 2.0 reads the same file
    expect(resolve('h:5000/app:1', V200, { hostDir: hd }).effective.endpoints[0]!.tls.skipVerify).toBe(true);
  });
  it('server = "http://…" in an undecodable file silently becomes HTTPS', () => {
    const hd = dir('h:5000', [], 'server = "http://h:5000"\n');
    expect(resolve('h:5000/app:1', V1620, { hostDir: hd }).effective.endpoints[0]!.scheme).toBe('https');
    expect(resolve('h:5000/app:1', V200, { hostDir: hd }).effective.endpoints.at(-1)!.scheme).toBe('http');
  });
});

describe('unknown keys', () => {
  it('insecure_skip_verify is flagged with skip_verify; the meant file is kept as an alternative', () => {
    const doc = parse('server = "https://h:5000"\n[host."https://h:5000"]\n  insecure_skip_verify = true\n  colour = "x"\n');
    expect(unknownHostsTomlKeys(doc as Record<string, unknown>, V1620)).toEqual([
      { table: 'host."https://h:5000"', key: 'insecure_skip_verify', intended: 'skip_verify' },
      { table: 'host."https://h:5000"', key: 'colour', intended: undefined },
    ]);
    const hd = dir('h:5000', [], 'server = "https://h:5000"\n[host."https://h:5000"]\n  insecure_skip_verify = true\n');
    const r = resolve('h:5000/app:1', V1620, { hostDir: hd });
    const f = r.findings.find((x) => x.code === 'config-ignored')!;
    expect(f.severity).toBe('warning');
    expect(f.summary).toMatch(/`insecure_skip_verify`.*silently ignores it\. The hosts\.toml key is `skip_verify`/);
    expect(r.effective.endpoints[0]!.tls.skipVerify).toBe(false);
    expect(r.alternatives[0]!.intended![0]!.tls.skipVerify).toBe(true);
    expect(unknownHostsTomlKeys(parse('dial_timeout = "5s"\n[host."x"]\n') as Record<string, unknown>, V1620)[0]!.key).toBe('dial_timeout');
  });
});

describe('unreadable ca / client files (ConfigureHosts)', () => {
  it('the first unreadable file in host order is the error, with os.ReadFile wording; config-invalid', () => {
    const hd = dir('h:5000', [], '[host."https://m"]\n  ca = "./sub/../m.crt"\n[host."https://h:5000"]\n  ca = "missing.crt"\n');
    const missing = [
      { path: `${ROOT}/h:5000/missing.crt`, error: `open ${ROOT}/h:5000/missing.crt: no such file or directory` },
      { path: `${ROOT}/h:5000/m.crt`, error: `open ${ROOT}/h:5000/m.crt: no such file or directory` },
    ];
    const r = resolve('h:5000/app:1', V1620, { hostDir: hd, missingFiles: missing });
    const f = r.findings.find((x) => x.code === 'config-invalid')!;
    expect(f.severity).toBe('critical');
    expect(f.data?.resolverError).toBe(
      `unable to read CA cert "${ROOT}/h:5000/m.crt": open ${ROOT}/h:5000/m.crt: no such file or directory`,
    );
    expect(configureHostsError(r.effective.endpoints, [missing[0]!])).toBe(
      `unable to read CA cert "${ROOT}/h:5000/missing.crt": open ${ROOT}/h:5000/missing.crt: no such file or directory`,
    );
    expect(hostsPath('./sub/../m.crt', `${ROOT}/h:5000`)).toBe(`${ROOT}/h:5000/m.crt`);
    expect(hostsPath('/abs/x.crt', `${ROOT}/h:5000`)).toBe('/abs/x.crt');
  });
  it('an unreadable client certificate: "unable to read CERT file"', () => {
    const hd = dir('h:5000', [], '[host."https://h:5000"]\n  client = [["c.cert", "c.key"]]\n');
    const r = resolve('h:5000/app:1', V1620, {
      hostDir: hd,
      missingFiles: [{ path: `${ROOT}/h:5000/c.key`, error: `open ${ROOT}/h:5000/c.key: no such file or directory` }],
    });
    expect(r.findings.find((x) => x.code === 'config-invalid')!.data?.resolverError).toBe(
      `unable to read CERT file "${ROOT}/h:5000/c.key": open ${ROOT}/h:5000/c.key: no such file or directory`,
    );
  });
});
