// Real node configuration files (test/fixtures/configs/real/<kind>/, each with the URL it was taken from on its first
// line) through regdoctor's own readers: containerd config.toml (loadContainerdConfig + resolveOnNode), hosts.toml
// under config_path, k3s/RKE2 registries.yaml (readK3s + judgeK3s) and CRI-O registries.conf (crioNodeConfig).
// Every file must give a clean result or a classified problem — never a throw — and the facts an operator reads off
// the file must come out. The expected facts are written from the files and the runtimes' sources, not from
// regdoctor's output:
//  * containerd pkg/cri/server/image_pull.go registryEndpoints/registryHosts (v1.6.20 L335-468; v2.0.0
//    internal/cri/server/images/image_pull.go L521-551): mirrors."<host>" else mirrors."*", scheme added (http for
//    localhost), Go url.Parse of every endpoint (an error fails every pull), the default host appended unless an
//    endpoint's host equals the registry name, path "" → /v2, TLS from configs."<endpoint host>".tls;
//  * pkg/cri/config/config.go ValidatePluginConfig (mirrors/configs.tls with config_path) and the deprecation lines;
//  * remotes/docker/config/hosts.go (v1.6.20; core/remotes/docker/config/hosts.go v2.x): [host] tables in file order
//    then `server` with the root settings, makeAbsPath (relative to the host dir, "" is the dir itself), capabilities
//    (referrers from 2.2.0), no [host] table = "invalid `host` tree" on 1.x, HTTP fallback 1.6.25+/1.7.7+/2.0+;
//  * containers/image pkg/sysregistriesv2/system_registries_v2.go loadConfigFile/ConvertToV2/postProcessRegistries;
//  * rancher/wharfie pkg/registries (gopkg.in/yaml.v2 into Registry{Mirrors, Configs}; other keys dropped).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { memFs } from '../fuzz/memfs.js';
import {
  loadContainerdConfig,
  parseSemver,
  registrySection,
  resolveOnNode,
  type ResolvedConfig,
} from '../../src/runtime/containerd-config.js';
import { crioNodeConfig, loadRegistriesConf } from '../../src/runtime/crio-config.js';
import { expectedRendering } from '../../src/runtime/k3s.js';
import { judgeK3s, readK3s } from '../../src/runtime/k3s-node.js';
import { parseTarget } from '../../src/core/reference.js';
import type { EffectiveEndpoint } from '../../src/core/runtime-config.js';

const REAL = join(__dirname, '../fixtures/configs/real');
const read = (kind: string, name: string) => readFileSync(join(REAL, kind, name), 'utf8');
const files = (kind: string) => readdirSync(join(REAL, kind)).sort();

/** An endpoint as one line an operator can compare with the file: url, capabilities, TLS, fallback. */
function line(e: EffectiveEndpoint): string {
  const parts = [e.url + (e.isServer ? ' (server)' : ''), e.capabilities.join('/')];
  if (e.tls.skipVerify) parts.push('skip_verify');
  if (e.tls.caFiles.length) parts.push(`ca=${e.tls.caFiles.join(',')}`);
  if (e.tls.clientPairs.length) parts.push(`client=${e.tls.clientPairs.map((c) => `${c.cert}+${c.key ?? ''}`).join(',')}`);
  if (Object.keys(e.headers).length) parts.push(`header=${JSON.stringify(e.headers)}`);
  if (e.httpFallback) parts.push('http-fallback');
  return parts.join(' ');
}

describe('the corpus', () => {
  it('every file names where it comes from on its first line', () => {
    const all = ['containerd', 'hosts', 'k3s', 'crio'].flatMap((k) => files(k).map((f) => [k, f] as const));
    expect(all.length).toBeGreaterThanOrEqual(30);
    for (const [k, f] of all)
      expect(read(k, f).split('\n')[0], `${k}/${f}`).toMatch(
        /^# source: https:\/\/github\.com\/[^/]+\/[^/]+\/(blob\/[0-9a-f]{40}\/|issues\/\d+ \()/,
      );
  });

  it('holds no real secret: credentials in it are empty, documentation text or placeholders', () => {
    for (const k of ['containerd', 'hosts', 'k3s', 'crio'])
      for (const f of files(k))
        for (const m of read(k, f).matchAll(/^[ \t]*(?:password|auth|identitytoken|identity_token)[ \t]*[:=][ \t]*(.*)$/gm))
          expect(m[1]!.replace(/#.*$/, '').trim(), `${k}/${f}`).toMatch(/^(["']?)(|PASSWORD|REDACTED-PLACEHOLDER|paste output from jq)\1$/);
  });
});

// ------------------------------------------------------------------------------------------------ config.toml

const V1620 = parseSemver('1.6.20')!;
const V2 = parseSemver('2.0.0')!;
const V222 = parseSemver('2.2.2')!;

async function containerd(name: string, extra: Record<string, string> = {}) {
  const fs = memFs({ '/etc/containerd/config.toml': read('containerd', name), ...extra });
  const loaded = await loadContainerdConfig(fs);
  const at = (image: string, v = V1620): Promise<ResolvedConfig> => resolveOnNode(fs, loaded, parseTarget(image).registry, v, true);
  return { loaded, at };
}

const codes = (r: ResolvedConfig) => r.findings.map((f) => f.code);

describe('containerd config.toml', () => {
  it.each(files('containerd'))('%s: read without a throw, every registry resolves on 1.6, 2.0 and 2.2', async (name) => {
    const { loaded, at } = await containerd(name);
    for (const v of [V1620, V2, V222])
      for (const image of ['docker.io/library/nginx:1', 'gcr.io/p/app:1', 'localhost:5000/a:1', 'discovery:5000/x:1']) {
        const r = await at(image, v);
        expect(r.effective.endpoints.length).toBeGreaterThan(0);
        expect(r.effective.endpoints.at(-1)!.isServer || r.effective.mode === 'legacy').toBe(true);
      }
    expect(['1', '2', '3']).toContain(String(loaded.version));
  });

  it('kubernetes-the-hard-way (v2, `containerd config default` + mirrors): docker.io lists registry-1.docker.io, then containerd appends it again', async () => {
    const { loaded, at } = await containerd('hardway-v2-mirrors.toml');
    expect(loaded.version).toBe(2);
    expect(registrySection(loaded.doc, 2).path).toEqual(['plugins', 'io.containerd.grpc.v1.cri', 'registry']);
    const r = await at('docker.io/library/nginx:1');
    expect(r.effective.mode).toBe('legacy');
    expect(r.effective.configPath).toBeUndefined();
    // registryEndpoints compares u.Host with "docker.io" (not the default host), so the default is appended too
    expect(r.effective.endpoints.map(line)).toEqual([
      'https://registry-1.docker.io/v2 (server) pull/resolve',
      'https://registry-1.docker.io/v2 (server) pull/resolve',
    ]);
    expect(r.notes).toContain('`mirrors` is deprecated, please use `config_path` instead');
    expect((await at('gcr.io/p/app:1')).effective.endpoints.map(line)).toEqual(['https://gcr.io/v2 (server) pull/resolve']);
  });

  it('NVIDIA GPU operator node (v2): http mirror for discovery:5000 with configs.tls insecure_skip_verify and empty file paths', async () => {
    const { at } = await containerd('nvidia-v2-mirrors-configs-tls.toml');
    const r = await at('discovery:5000/team/app:1');
    // the endpoint's host is the registry itself: no default appended; empty ca_file/cert_file mean none
    expect(r.effective.endpoints.map(line)).toEqual(['http://discovery:5000/v2 (server) pull/resolve skip_verify']);
    expect(r.notes).toEqual([
      '`configs.tls` is deprecated, please use `config_path` instead',
      '`mirrors` is deprecated, please use `config_path` instead',
    ]);
    expect(codes(r)).toEqual([]);
    // 2.0 removed configs.tls: the skip_verify is dropped (warning for this host)
    const r2 = await at('discovery:5000/team/app:1', V2);
    expect(r2.findings.map((f) => [f.code, f.severity])).toEqual([['config-ignored', 'warning']]);
  });

  it('containerd/cri docs (v1 short names): mirrors with placeholder ports fail every pull they apply to, "*" included', async () => {
    const { loaded, at } = await containerd('cri-docs-v1-mirrors.toml');
    expect(loaded.version).toBe(1);
    expect(registrySection(loaded.doc, 1).path).toEqual(['plugins', 'cri', 'registry']);
    expect((await at('docker.io/library/nginx:1')).effective.endpoints.map(line)).toEqual([
      'https://registry-1.docker.io/v2 (server) pull/resolve',
      'https://registry-1.docker.io/v2 (server) pull/resolve',
    ]);
    for (const [image, url] of [
      ['test.https-registry.io/a:1', 'https://HostIP1:Port1'],
      ['test.http-registry.io/a:1', 'http://HostIP2:Port2'],
      ['gcr.io/p/app:1', 'https://HostIP3:Port3'], // no mirrors."gcr.io": mirrors."*" applies
    ] as const) {
      const r = await at(image);
      const f = r.findings.find((x) => x.code === 'config-invalid')!;
      const port = url.slice(url.lastIndexOf(':'));
      expect(f.severity).toBe('critical');
      expect(f.data?.resolverError).toBe(`get registry endpoints: parse endpoint url: parse "${url}": invalid port "${port}" after host`);
    }
  });

  it('containerd 1.5 docs (v2 long names): the same mirrors under plugins."io.containerd.grpc.v1.cri"', async () => {
    const { loaded, at } = await containerd('docs-1.5-v2-mirrors-wildcard.toml');
    expect(loaded.version).toBe(2);
    const r = await at('quay.io/a/b:1');
    expect(r.findings.find((f) => f.code === 'config-invalid')?.data?.resolverError).toContain('"https://HostIP3:Port3"');
  });

  it('containerd/cri docs: configs."h".tls with relative file names (read from containerd\'s working directory)', async () => {
    const { at } = await containerd('cri-docs-v1-configs-tls.toml');
    const r = await at('my.custom.registry/a:1');
    expect(r.effective.mode).toBe('legacy');
    expect(r.effective.endpoints.map(line)).toEqual([
      'https://my.custom.registry/v2 (server) pull/resolve ca=ca.pem client=cert.pem+key.pem',
    ]);
    expect(r.notes).toEqual(['`configs.tls` is deprecated, please use `config_path` instead']);
    // the three files do not exist on this node: each is reported
    expect(r.findings.filter((f) => f.code === 'config-ignored').map((f) => f.data?.file)).toEqual(['ca.pem', 'cert.pem', 'key.pem']);
    expect((await at('gcr.io/p/app:1')).effective.endpoints.map(line)).toEqual(['https://gcr.io/v2 (server) pull/resolve']);
  });

  it('containerd/cri docs: `configs.auths."https://gcr.io"` is a host named "auths" — no credentials for gcr.io', async () => {
    const { at } = await containerd('cri-docs-v1-auths-misplaced.toml');
    const r = await at('gcr.io/p/app:1');
    expect(r.effective.legacyAuth).toBeUndefined();
    expect(r.effective.endpoints.map(line)).toEqual(['https://gcr.io/v2 (server) pull/resolve']);
  });

  it.each([
    ['docs-v2-mirrors-auth.toml', 2, 'io.containerd.grpc.v1.cri'],
    ['docs-v3-mirrors-auth.toml', 3, 'io.containerd.cri.v1.images'],
  ] as const)('containerd docs %s: GCR JSON key in configs."gcr.io".auth — present, never printed', async (name, version, plugin) => {
    const { loaded, at } = await containerd(name);
    expect(loaded.version).toBe(version);
    expect(registrySection(loaded.doc, version).path).toEqual(['plugins', plugin, 'registry']);
    for (const v of [V1620, V2]) {
      const r = await at('gcr.io/p/app:1', v);
      expect(r.effective.legacyAuth).toMatchObject({
        source: 'configs."gcr.io".auth',
        hasUsername: true,
        hasPassword: true,
        hasAuth: false,
      });
      expect(r.effective.endpoints.map(line)).toEqual(['https://gcr.io/v2 (server) pull/resolve']);
      expect(JSON.stringify([r.effective, r.findings, r.notes, r.logLines])).not.toContain('paste output from jq');
    }
  });

  it('containerd 2.x default (v3, single-quoted keys): config_path under plugins."io.containerd.cri.v1.images"', async () => {
    const { loaded, at } = await containerd('kube-install-v3-default.toml');
    expect(loaded.version).toBe(3);
    const sec = registrySection(loaded.doc, 3);
    expect(sec.path).toEqual(['plugins', 'io.containerd.cri.v1.images', 'registry']);
    expect(sec.ignored).toEqual([]);
    const r = await at('docker.io/library/nginx:1', V2);
    expect(r.effective.mode).toBe('hosts-toml');
    expect(r.effective.configPath).toEqual(['/etc/containerd/certs.d']);
    expect(r.effective.endpoints.map(line)).toEqual(['https://registry-1.docker.io/v2 (server) pull/resolve/push']);
    // every local-pull setting at its default (use_local_image_pull = false): 2.1+ pulls through the transfer service;
    // its single config_path directory reads the same either way
    const r22 = await at('docker.io/library/nginx:1', parseSemver('2.2.0')!);
    expect(r22.pullMode).toEqual({ mode: 'transfer' });
    expect(r22.effective.configPath).toEqual(['/etc/containerd/certs.d']);
  });

  it('containerd 2.x default (v3) with the list containerd 2.2 fills in: the transfer service ignores certs.d/<host>/hosts.toml', async () => {
    const list = read('containerd', 'kube-install-v3-default.toml').replace(
      "config_path = '/etc/containerd/certs.d'",
      "config_path = '/etc/containerd/certs.d:/etc/docker/certs.d'",
    );
    const fs = memFs({
      '/etc/containerd/config.toml': list,
      '/etc/containerd/certs.d/docker.io/hosts.toml': read('hosts', 'docker.io__minikube-server-only.toml'),
    });
    const loaded = await loadContainerdConfig(fs);
    const r = await resolveOnNode(fs, loaded, parseTarget('nginx:1').registry, parseSemver('2.1.4')!, true);
    expect(r.effective.hostsFile).toBeUndefined();
    expect(r.findings.find((f) => f.data?.transferIgnored)?.data).toMatchObject({
      file: '/etc/containerd/certs.d/docker.io/hosts.toml',
      singleDir: '/etc/containerd/certs.d',
    });
    // containerd 2.0 splits the list and reads it
    const r20 = await resolveOnNode(fs, loaded, parseTarget('nginx:1').registry, V2, true);
    expect(r20.effective.hostsFile).toBe('/etc/containerd/certs.d/docker.io/hosts.toml');
    expect(r20.findings.filter((f) => f.data?.transferIgnored)).toEqual([]);
  });

  it.each(['minikube-kicbase-v2.toml', 'kairos-v2-imports-config-path.toml'])(
    '%s: config_path = "/etc/containerd/certs.d"',
    async (name) => {
      const { loaded, at } = await containerd(name, {
        '/etc/containerd/certs.d/docker.io/hosts.toml': read('hosts', 'docker.io__minikube-server-only.toml'),
      });
      expect(loaded.version).toBe(2);
      const r = await at('docker.io/library/nginx:1', V2);
      expect(r.effective.configPath).toEqual(['/etc/containerd/certs.d']);
      expect(r.effective.hostsFile).toBe('/etc/containerd/certs.d/docker.io/hosts.toml');
      expect(r.effective.endpoints.map(line)).toEqual(['https://registry-1.docker.io/v2 (server) pull/resolve/push']);
      expect(codes(r)).toEqual([]);
    },
  );

  it('kairos: `imports` with a glob that matches nothing on this node is read as no import', async () => {
    const { loaded } = await containerd('kairos-v2-imports-config-path.toml');
    expect(loaded.imports).toEqual([]);
    expect(loaded.problems).toEqual([]);
  });

  it.each([
    ['default-1.7-dump-v2.toml', 'transfer'],
    ['containerd-custom-1.7.toml', 'transfer'],
    ['kind-base-v2.toml', 'local'],
  ] as const)(
    '%s: no registry settings — defaults on 1.x, certs.d by default from 2.2.2 (empty config_path, no mirrors); %s pull on 2.2',
    async (name, pull) => {
      const { at } = await containerd(name);
      const r16 = await at('docker.io/library/nginx:1');
      expect(r16.effective.mode).toBe('default');
      expect(r16.effective.configPath).toBeUndefined();
      expect(r16.effective.endpoints.map(line)).toEqual(['https://registry-1.docker.io/v2 (server) pull/resolve/push']);
      expect(codes(r16)).toEqual([]);
      const r222 = await at('docker.io/library/nginx:1', V222);
      expect(r222.pullMode.mode).toBe(pull);
      // the transfer service takes containerd's default list as ONE directory (kind's discard_unpacked_layers = true
      // forces the local pull, which splits it)
      expect(r222.effective.configPath).toEqual(
        pull === 'local' ? ['/etc/containerd/certs.d', '/etc/docker/certs.d'] : ['/etc/containerd/certs.d:/etc/docker/certs.d'],
      );
    },
  );

  it('CKE template (not rendered): a TOML syntax error, located, and nothing read from the file', async () => {
    const { loaded, at } = await containerd('cke-template-v2-mirrors.toml');
    expect(loaded.problems).toHaveLength(1);
    expect(loaded.problems[0]).toMatchObject({ file: '/etc/containerd/config.toml', line: 58 });
    expect(read('containerd', 'cke-template-v2-mirrors.toml').split('\n')[57]).toContain('{{ Metadata "cke:pause.ref" }}');
    expect((await at('docker.io/library/nginx:1')).effective.mode).toBe('default');
  });
});

// ------------------------------------------------------------------------------------------------ hosts.toml

/** The host directory a file was written for is the part of its name before "__". */
async function hostsToml(name: string, image: string, v = V1620, extra: Record<string, string> = {}) {
  const dir = name.split('__')[0]!;
  const fs = memFs({
    '/etc/containerd/config.toml':
      'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
    [`/etc/containerd/certs.d/${dir}/hosts.toml`]: read('hosts', name),
    ...extra,
  });
  const loaded = await loadContainerdConfig(fs);
  return resolveOnNode(fs, loaded, parseTarget(image).registry, v, true);
}

const decodeErrors = (r: ResolvedConfig) => r.findings.filter((f) => f.data?.decode).map((f) => f.summary);

describe('hosts.toml', () => {
  it.each(files('hosts'))('%s: read without a throw on 1.5, 1.6.20, 1.7, 2.0, 2.2', async (name) => {
    const dir = name.split('__')[0]!;
    const image = `${dir === '_default' ? 'other.test:5000' : dir}/team/app:1`;
    for (const v of ['1.5.0', '1.6.20', '1.7.30', '2.0.0', '2.2.0']) {
      const r = await hostsToml(name, image, parseSemver(v)!);
      expect(r.effective.endpoints.at(-1)!.isServer).toBe(true);
    }
  });

  it('Mirror-acceleration docker.io: three mirrors in file order, then server https://docker.io', async () => {
    const r = await hostsToml('docker.io__mirror-acceleration.toml', 'nginx:1');
    expect(r.effective.endpoints.map(line)).toEqual([
      'https://docker.m.daocloud.io/v2 pull/resolve/push',
      'https://hub.mirrorify.net/v2 pull/resolve/push',
      'https://proxy.1panel.live/v2 pull/resolve/push',
      'https://docker.io/v2 (server) pull/resolve/push',
    ]);
    expect(r.findings).toEqual([]);
  });

  it('k3s-generated docker.io: server with /v2 and root capabilities, an empty [host] table, override_path', async () => {
    const r = await hostsToml('docker.io__k3s-generated-override-path.toml', 'nginx:1');
    expect(r.effective.endpoints.map(line)).toEqual([
      'https://harbor.svc.lan/v2/docker pull/resolve',
      'https://registry-1.docker.io/v2 (server) pull/resolve/push',
    ]);
    expect(r.findings).toEqual([]);
  });

  it('buildkit docker.io: a trailing comment after server, one pull/resolve mirror', async () => {
    const r = await hostsToml('docker.io__buildkit-mirror.toml', 'nginx:1');
    expect(r.effective.endpoints.map(line)).toEqual([
      'https://xxxdocker-mirror.toolbox.aws.signintra.com/v2 pull/resolve',
      'https://registry-1.docker.io/v2 (server) pull/resolve/push',
    ]);
  });

  it('Nexus group behind http + skip_verify: HTTP fallback only from 1.6.25/1.7.7/2.0', async () => {
    const name = 'group.docker.xuxiaowei.cn__http-skip-verify.toml';
    const image = 'group.docker.xuxiaowei.cn/library/nginx:1';
    expect((await hostsToml(name, image)).effective.endpoints.map(line)).toEqual([
      'http://10.107.234.44:8006/v2 pull/resolve skip_verify',
      'https://group.docker.xuxiaowei.cn/v2 (server) pull/resolve/push',
    ]);
    expect((await hostsToml(name, image, parseSemver('1.6.25')!)).effective.endpoints[0]!.httpFallback).toBe(true);
    expect((await hostsToml(name, image, parseSemver('1.7.6')!)).effective.endpoints[0]!.httpFallback).toBe(false);
    expect((await hostsToml(name, image, V2)).effective.endpoints[0]!.httpFallback).toBe(true);
  });

  it('minikube docker.io (server only, no [host] table): ignored by 1.x ("invalid `host` tree"), read by 2.x', async () => {
    const r16 = await hostsToml('docker.io__minikube-server-only.toml', 'nginx:1');
    expect(decodeErrors(r16)).toHaveLength(1);
    expect(decodeErrors(r16)[0]).toContain('invalid `host` tree');
    // the fallback is containerd's own default for docker.io: the same host, so the pull is unaffected
    expect(r16.effective.endpoints.map(line)).toEqual(['https://registry-1.docker.io/v2 (server) pull/resolve/push']);
    const r2 = await hostsToml('docker.io__minikube-server-only.toml', 'nginx:1', V2);
    expect(r2.findings).toEqual([]);
    expect(r2.effective.endpoints.map(line)).toEqual(['https://registry-1.docker.io/v2 (server) pull/resolve/push']);
  });

  it('docs: _default with a [host] table applies to any registry from 1.6.17; _default server-only needs 2.x', async () => {
    expect((await hostsToml('_default__docs-host-only.toml', 'other.test:5000/a:1')).effective.endpoints.map(line)).toEqual([
      'https://registry.example.com/v2 pull/resolve',
      'https://other.test:5000/v2 (server) pull/resolve/push',
    ]);
    // before 1.6.17 there is no _default directory: nothing applies
    const old = await hostsToml('_default__docs-host-only.toml', 'other.test:5000/a:1', parseSemver('1.6.16')!);
    expect(old.effective.hostsFile).toBeUndefined();
    expect(old.effective.endpoints.map(line)).toEqual(['https://other.test:5000/v2 (server) pull/resolve/push']);
    const so16 = await hostsToml('_default__docs-server-only.toml', 'other.test:5000/a:1');
    expect(decodeErrors(so16)[0]).toContain('invalid `host` tree');
    expect(so16.effective.endpoints.map((e) => e.url)).toEqual(['https://other.test:5000/v2']);
    const so2 = await hostsToml('_default__docs-server-only.toml', 'other.test:5000/a:1', V2);
    expect(so2.effective.endpoints.map(line)).toEqual(['https://registry.example.com/v2 (server) pull/resolve/push']);
  });

  it('docs docker.io examples: simple, local mirror with a relative ca, bypass TLS over http', async () => {
    expect((await hostsToml('docker.io__docs-simple.toml', 'nginx:1')).effective.endpoints.map(line)).toEqual([
      'https://registry-1.docker.io/v2 pull/resolve',
      'https://docker.io/v2 (server) pull/resolve/push',
    ]);
    const ca = '/etc/containerd/certs.d/docker.io/docker-mirror.crt';
    const mirror = await hostsToml('docker.io__docs-local-mirror.toml', 'nginx:1');
    expect(mirror.effective.endpoints.map(line)).toEqual([
      'https://public-mirror.example.com/v2 pull',
      `https://docker-mirror.internal/v2 pull/resolve ca=${ca}`,
      'https://registry-1.docker.io/v2 (server) pull/resolve/push',
    ]);
    // ConfigureHosts reads every ca before any request: the missing file fails every pull from docker.io
    const fatal = mirror.findings.find((f) => f.code === 'config-invalid')!;
    expect(fatal.severity).toBe('critical');
    expect(fatal.data?.resolverError).toBe(`unable to read CA cert "${ca}": open ${ca}: no such file or directory`);
    const withCa = await hostsToml('docker.io__docs-local-mirror.toml', 'nginx:1', V1620, { [ca]: '-----BEGIN CERTIFICATE-----\n' });
    expect(withCa.findings.filter((f) => f.code === 'config-invalid')).toEqual([]);
    expect((await hostsToml('docker.io__docs-bypass-tls.toml', 'nginx:1')).effective.endpoints.map(line)).toEqual([
      'http://192.168.31.250:5000/v2 pull/resolve/push skip_verify',
      'https://registry-1.docker.io/v2 (server) pull/resolve/push',
    ]);
  });

  it('docs host fields: every [host] in order, ca lists, client string/list/pairs, headers, override_path', async () => {
    const dir = '/etc/containerd/certs.d/example.registry';
    const r = await hostsToml('example.registry__docs-host-fields.toml', 'example.registry/a:1');
    expect(r.effective.endpoints.map(line)).toEqual([
      'https://mirror.registry/v2 pull ca=/etc/certs/mirror.pem header={"x-custom-2":["value1","value2"]}',
      'https://mirror-bak.registry/us/v2 pull skip_verify',
      'http://mirror.registry/v2 pull',
      // ["/etc/certs/client.pem", ""]: makeAbsPath joins "" onto the host directory
      `https://test-1.registry/v2 pull/resolve/push ca=/etc/certs/test-1-ca.pem,/etc/certs/special.pem client=/etc/certs/client.cert+/etc/certs/client.key,/etc/certs/client.pem+${dir}`,
      'https://test-2.registry/v2 pull/resolve/push client=/etc/certs/client.pem+',
      'https://test-3.registry/v2 pull/resolve/push client=/etc/certs/client-1.pem+,/etc/certs/client-2.pem+',
      'https://non-compliant-mirror.registry/v2/upstream pull',
      'https://example.registry/v2 (server) pull/resolve/push',
    ]);
    expect(decodeErrors(r)).toEqual([]);
  });

  it('docs "nested" [host] tables are sibling hosts in TOML: both are tried', async () => {
    const r = await hostsToml('example.registry__docs-nested-host.toml', 'example.registry/a:1');
    expect(r.effective.endpoints.map(line)).toEqual([
      'http://mirror.registry/v2 pull',
      'http://double-mirror.registry/v2 pull',
      'https://example.registry/v2 (server) pull/resolve/push',
    ]);
  });

  it('containerd TestParseHostFile: `referrers` decodes from 2.2.0 only; dial_timeout is a key from 2.1', async () => {
    const name = 'test-default.registry__containerd-parse-test.toml';
    const image = 'test-default.registry/a:1';
    for (const v of ['1.6.20', '1.7.30', '2.0.0', '2.1.0']) {
      const r = await hostsToml(name, image, parseSemver(v)!);
      expect(decodeErrors(r), v).toHaveLength(1);
      expect(decodeErrors(r)[0]).toContain('unknown capability referrers');
    }
    const r = await hostsToml(name, image, parseSemver('2.2.0')!);
    expect(decodeErrors(r)).toEqual([]);
    expect(r.findings.filter((f) => f.data?.key === 'dial_timeout')).toEqual([]);
    expect(r.effective.endpoints.map((e) => e.url)).toEqual([
      'https://mirror.registry/v2',
      'https://mirror-bak.registry/us/v2',
      'http://mirror.registry/v2',
      'https://test-1.registry/v2',
      'https://test-2.registry/v2',
      'https://test-3.registry/v2',
      'https://no-referrers.registry/v2',
      'https://noncompliantmirror.registry/v2/namespaceprefix',
      'https://noprefixnoncompliant.registry', // override_path without a path: requests go to /<repo>/…
      'https://onlyheader.registry/v2',
      'https://dial-timeout.registry/v2',
      'https://test-default.registry/v2',
    ]);
    // the root ca and [header] belong to the server entry only
    expect(line(r.effective.endpoints.at(-1)!)).toBe(
      'https://test-default.registry/v2 (server) pull/resolve/push ca=/etc/path/default header={"x-custom-1":["custom header"]}',
    );
    expect(r.effective.endpoints[3]!.capabilities).toEqual(['pull', 'resolve', 'push']);
  });
});

// ------------------------------------------------------------------------------------------------ registries.yaml

async function k3s(name: string) {
  const flavour = name.startsWith('rke2-') ? 'rke2' : 'k3s';
  const fs = memFs({
    [`/var/lib/rancher/${flavour}/agent/etc/containerd/config.toml`]: 'version = 2\n',
    [`/etc/rancher/${flavour}/registries.yaml`]: read('k3s', name),
  });
  const node = (await readK3s(fs))!;
  return { node, judged: judgeK3s(node) };
}

describe('k3s / RKE2 registries.yaml', () => {
  it.each(files('k3s'))('%s: parsed and judged without a throw', async (name) => {
    const { node, judged } = await k3s(name);
    expect(node.registriesError).toBeUndefined();
    expect(node.registries).toBeDefined();
    expect(judged.findings.every((f) => f.code)).toBe(true);
  });

  it('RKE2 air-gap: six registries rewritten onto one Harbor with auth (fields named, never values)', async () => {
    const { node, judged } = await k3s('rke2-airgap-rewrites.yaml');
    const reg = node.registries!;
    expect(Object.keys(reg.mirrors)).toEqual(['registry.rancher.com', 'docker.io', 'quay.io', 'gcr.io', 'k8s.gcr.io', 'ghcr.io']);
    for (const [h, m] of Object.entries(reg.mirrors)) {
      expect(m.endpoints).toEqual(['https://harbor.customer.com']);
      expect(m.rewrite).toEqual({ '(.*)': `${h}/$1` });
    }
    // the tls block is commented out: auth only
    expect(reg.configs).toEqual({ 'harbor.customer.com': { tls: undefined, authFields: ['password', 'username'] } });
    expect(JSON.stringify([reg, judged])).not.toContain('"PASSWORD"');
  });

  it('Harbor proxy cache: an endpoint with a path, CA file, robot account (never printed)', async () => {
    const { node, judged } = await k3s('harbor-proxy-cache-path.yaml');
    expect(node.registries!.mirrors).toEqual({ 'docker.io': { endpoints: ['https://harbor.lan.asio/v2/proxy_cache'], rewrite: {} } });
    expect(node.registries!.configs['harbor.lan.asio']).toEqual({
      tls: { caFile: '/etc/rancher/k3s/ca.pem' },
      authFields: ['password', 'username'],
    });
    const want = expectedRendering(node.registries!);
    expect(want['docker.io']!.endpoints.map((e) => [e.origin, e.tls?.caFile])).toEqual([
      ['https://harbor.lan.asio', '/etc/rancher/k3s/ca.pem'],
    ]);
    expect(JSON.stringify([node, judged])).not.toMatch(/robot\$k3s|REDACTED-PLACEHOLDER/);
  });

  it('offline Rancher: "*" with an unrendered template endpoint, insecure_skip_verify on the shared mirror', async () => {
    const { node } = await k3s('offline-rancher-wildcard-insecure.yaml');
    const reg = node.registries!;
    expect(reg.mirrors['*']!.endpoints).toEqual(['{{ default_mirror_url }}']);
    expect(Object.keys(reg.mirrors)).toHaveLength(8);
    expect(reg.configs['mirror.registry.platform.ske.sotoon.ir']!.tls).toEqual({ insecureSkipVerify: true });
    const want = expectedRendering(reg);
    expect(want['_default']).toBeUndefined(); // no usable endpoint for "*"
    const { judged } = await k3s('offline-rancher-wildcard-insecure.yaml');
    expect(judged.findings.filter((f) => f.data?.endpoint).map((f) => [f.code, f.severity, f.data?.host])).toEqual([
      ['config-ignored', 'warning', '*'],
    ]);
    expect(want['registry.k8s.io']!.endpoints[0]).toMatchObject({
      origin: 'https://mirror.registry.platform.ske.sotoon.ir',
      tls: { insecureSkipVerify: true },
    });
  });

  it.each([
    ['homelab-http-mirror.yaml', 'docker.io', ['http://registry.ucdialplans.com']],
    ['homelab-squid-http.yaml', 'docker.io', ['http://192.168.136.238:3128']],
    ['kairos-port-endpoint.yaml', 'docker.io', ['https://mycustomreg.com:5000']],
    ['picluster-dotless-name.yaml', 'docker-registry', ['http://registry.picluster.dz.pzuj.net:5000']],
    ['rke2-http-port-mirror.yaml', 'dkreg.kube-system:5000', ['http://dkreg.kube-system:5000']],
    ['k3s-flow-empty-maps.yaml', 'registry.k3s.localhost', ['http://registry.k3s.localhost:80']],
  ] as const)('%s: mirror %s → %j, no configs', async (name, host, endpoints) => {
    const { node, judged } = await k3s(name);
    expect(Object.keys(node.registries!.mirrors)).toEqual([host]);
    expect(node.registries!.mirrors[host]!.endpoints).toEqual(endpoints);
    expect(node.registries!.configs).toEqual({});
    expect(judged.findings.filter((f) => f.code === 'config-ignored')).toEqual([]);
  });

  it('four-space indentation and rewrites: six registries through one http mirror', async () => {
    const { node } = await k3s('gitops-four-space-rewrites.yaml');
    const m = node.registries!.mirrors;
    expect(Object.keys(m)).toEqual(['docker.io', 'quay.io', 'ghcr.io', 'gcr.io', 'lscr.io', 'registry.k8s.io']);
    expect(m['ghcr.io']).toEqual({ endpoints: ['http://reg.haijin666.top'], rewrite: { '(.*)': 'ghcr.io/$1' } });
  });

  it('local proxies: one CA file per mirror host, the mirrors rendered with it', async () => {
    const { node } = await k3s('local-proxy-ca-files.yaml');
    const want = expectedRendering(node.registries!);
    expect(want['quay.io']!.endpoints.map((e) => [e.origin, e.tls?.caFile])).toEqual([
      ['https://registry-quayio.local', '/etc/ssl/certs/Registry_Root_CA.pem'],
    ]);
  });

  it('a host written at the top level (no `mirrors:`): k3s reads nothing — a warning names the key', async () => {
    const { node, judged } = await k3s('ha-missing-mirrors-key.yaml');
    expect(node.registries!.mirrors).toEqual({});
    expect(node.registries!.ignoredKeys).toEqual(['harbor.iii.k8s.csie.nuu.edu.tw']);
    const w = judged.findings.find((f) => f.code === 'config-ignored')!;
    expect(w.severity).toBe('warning');
    expect(w.summary).toContain('harbor.iii.k8s.csie.nuu.edu.tw');
    expect(w.summary).toContain('`mirrors:`');
  });
});

// ------------------------------------------------------------------------------------------------ registries.conf

const MAIN = '/etc/containers/registries.conf';
const DROPIN = '/etc/containers/registries.conf.d/100-registry-mirror.conf';

async function crio(name: string, image: string, at = MAIN) {
  const fs = memFs({ [at]: read('crio', name) });
  const t = parseTarget(image);
  return crioNodeConfig(fs, t.registry, t.kind === 'image' ? t.image : undefined);
}
const crioConf = async (name: string, at = MAIN) => loadRegistriesConf(memFs({ [at]: read('crio', name) }));

describe('CRI-O registries.conf', () => {
  it.each(files('crio'))('%s: read without a throw', async (name) => {
    for (const image of ['docker.io/library/nginx:1', 'localhost:5000/a:1', 'quay.io/openshift-release-dev/ocp:1', 'ghcr.io/a/b:1'])
      expect((await crio(name, image)).effective.endpoints.length).toBeGreaterThan(0);
  });

  it.each([
    ['openshift-3.7-v1-insecure.conf', ['registry.access.redhat.com'], [['docker.io', true, false]]],
    [
      'fedora-v1-multiline.conf',
      ['docker.io', 'registry.fedoraproject.org', 'quay.io', 'registry.access.redhat.com', 'registry.centos.org'],
      [],
    ],
    ['minikube-crio-v1.conf', ['docker.io'], []],
    ['projectatomic-v1-block.conf', ['docker.io'], []],
  ] as const)('V1 format %s: converted as ConvertToV2 does (search list; insecure/blocked entries)', async (name, search, entries) => {
    const conf = await crioConf(name);
    expect(conf.problem).toBeUndefined();
    expect(conf.unqualifiedSearchRegistries).toEqual(search);
    expect(conf.registries.map((r) => [r.prefix, r.insecure, r.blocked])).toEqual(entries);
  });

  it('OpenShift 3.7 V1: docker.io is insecure — TLS not verified and HTTP allowed', async () => {
    const n = await crio('openshift-3.7-v1-insecure.conf', 'docker.io/library/nginx:1');
    expect(n.entry?.prefix).toBe('docker.io');
    expect(n.effective.endpoints.map(line)).toEqual([
      'https://registry-1.docker.io/v2 (server) pull/resolve/push skip_verify http-fallback',
    ]);
  });

  it('the May 2017 YAML registries.conf: a located parse error, every pull refused', async () => {
    const n = await crio('projectatomic-yaml-v0.conf', 'docker.io/library/nginx:1');
    expect(n.conf.problem).toMatchObject({ file: MAIN, line: 14 });
    expect(n.findings.map((f) => f.code)).toEqual(['config-invalid']);
  });

  it('a drop-in with a repeated `location` key: TOML refuses it (located), named as a drop-in', async () => {
    const n = await crio('dropin-duplicate-location.conf', 'docker.io/library/nginx:1', DROPIN);
    expect(n.conf.problem).toMatchObject({ file: DROPIN, line: 9 });
    expect(n.findings[0]!.evidence?.[0]).toContain(`loading drop-in registries configuration "${DROPIN}"`);
  });

  it('a drop-in with a "*.io" wildcard and per-registry locations: longest prefix wins, *.io catches the rest', async () => {
    const conf = await crioConf('dropin-wildcard-prefix.conf', DROPIN);
    expect(conf.files).toEqual([DROPIN]);
    expect(conf.registries.map((r) => [r.prefix, r.location])).toEqual([
      ['*.io', 'registry.aliyuncs.com/google_containers'],
      ['docker.io', 'docker.mirrors.ustc.edu.cn'],
      ['gcr.io', 'gcr.mirrors.ustc.edu.cn'],
      ['quay.io', 'quay.mirrors.ustc.edu.cn'],
      ['registry.k8s.io', 'registry.aliyuncs.com/google_containers'],
    ]);
    expect((await crio('dropin-wildcard-prefix.conf', 'docker.io/library/nginx:1', DROPIN)).effective.endpoints.map(line)).toEqual([
      'https://docker.mirrors.ustc.edu.cn/v2 (server) pull/resolve/push',
    ]);
    const ghcr = await crio('dropin-wildcard-prefix.conf', 'ghcr.io/a/b:1', DROPIN);
    expect(ghcr.entry?.prefix).toBe('*.io');
    expect(ghcr.effective.endpoints.map((e) => e.url)).toEqual(['https://registry.aliyuncs.com/v2']);
  });

  it('KNUT lab: three insecure registries (a localhost, an IP:port, a name), docker.io and quay.io as they are', async () => {
    const conf = await crioConf('knut-v2-insecure-ips.conf');
    expect(conf.unqualifiedSearchRegistries).toEqual(['docker.io', 'localhost:5000', '172.30.0.100:5000', 'registry.datacommand.co.kr']);
    expect(conf.registries.filter((r) => r.insecure).map((r) => r.location)).toEqual([
      '172.30.0.100:5000',
      'localhost:5000',
      'registry.datacommand.co.kr',
    ]);
    const ip = await crio('knut-v2-insecure-ips.conf', '172.30.0.100:5000/app:1');
    expect(ip.effective.endpoints.map(line)).toEqual(['https://172.30.0.100:5000/v2 (server) pull/resolve/push skip_verify http-fallback']);
  });

  it('OpenShift appliance: path-scoped mirrors tried before the location; enforcing short names', async () => {
    const conf = await crioConf('openshift-appliance-path-mirrors.conf');
    expect(conf.shortNameMode).toBe('enforcing');
    const n = await crio('openshift-appliance-path-mirrors.conf', 'quay.io/openshift-release-dev/ocp-release:4.14');
    expect(n.entry?.prefix).toBe('quay.io/openshift-release-dev');
    expect(n.effective.endpoints.map(line)).toEqual([
      'https://quay.proxy.example.com/v2 pull/resolve/push',
      'https://quay.io/v2 (server) pull/resolve/push',
    ]);
    // outside the prefix: no entry, quay.io directly
    expect((await crio('openshift-appliance-path-mirrors.conf', 'quay.io/other/app:1')).entry).toBeUndefined();
  });

  it('Aliyun guide with "<your-id>" left in: those locations cannot be used (reference.ParseNamed fails)', async () => {
    const conf = await crioConf('aliyun-v2-mirror-placeholder.conf');
    expect(conf.registries.map((r) => [r.prefix, r.location, r.insecure, r.mirrors.map((m) => m.location)])).toEqual([
      ['docker.io', '<your-id>.mirror.aliyuncs.com', false, []],
      ['k8s.gcr.io', 'gcr.azk8s.cn/google_containers', false, []],
      ['localhost:5000', 'localhost:5000', true, ['<your-id>.mirror.aliyuncs.com']],
    ]);
    const hub = await crio('aliyun-v2-mirror-placeholder.conf', 'docker.io/library/nginx:1');
    expect(hub.findings.map((f) => f.code)).toEqual(['config-invalid']);
    expect(hub.findings[0]!.data?.location).toBe('<your-id>.mirror.aliyuncs.com');
    const gcr = await crio('aliyun-v2-mirror-placeholder.conf', 'k8s.gcr.io/pause:3.9');
    expect(gcr.findings).toEqual([]);
    expect(gcr.effective.endpoints.map((e) => e.url)).toEqual(['https://gcr.azk8s.cn/v2']);
  });

  it('search lists, short-name modes and aliases as written', async () => {
    expect(await crioConf('ocp-tools-search-permissive.conf')).toMatchObject({
      unqualifiedSearchRegistries: ['registry.access.redhat.com', 'registry.redhat.io', 'docker.io'],
      shortNameMode: 'permissive',
      registries: [],
    });
    const shortnames = await crioConf('shortnames-aliases.conf');
    expect(Object.keys(shortnames.aliases)).toHaveLength(139);
    expect(shortnames.aliases['fedora']).toBe('registry.fedoraproject.org/fedora');
    expect(shortnames.unqualifiedSearchRegistries).toBeUndefined();
    const crioTest = await crioConf('crio-test-aliases.conf');
    expect(crioTest.aliases).toEqual({ 'image-for-testing': 'registry.crio.test.com/repo' });
    expect(crioTest.unqualifiedSearchRegistries).toEqual(['quay.io', 'registry.access.redhat.com', 'docker.io']);
    // the containers/image default file is comments only
    expect(await crioConf('containers-image-default.conf')).toMatchObject({ registries: [], aliases: {}, ignored: [] });
    expect((await crioConf('containers-image-default.conf')).unqualifiedSearchRegistries).toBeUndefined();
  });
});

// ------------------------------------------------------------------------------------------------ reader fixes
// Focused cases for what the corpus showed regdoctor reading wrongly, each grounded in the runtime source named.

describe('reader fixes found by the corpus', () => {
  const ctd = (registry: string) =>
    memFs({ '/etc/containerd/config.toml': `version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n${registry}` });
  const legacy = async (registry: string, image: string) => {
    const fs = ctd(registry);
    return resolveOnNode(fs, await loadContainerdConfig(fs), parseTarget(image).registry, V1620, true);
  };

  it('legacy mirrors: an endpoint Go cannot parse fails every pull (was skipped); a good one is unaffected', async () => {
    const bad = await legacy(
      '[plugins."io.containerd.grpc.v1.cri".registry.mirrors."*"]\nendpoint = ["https://m.test:abc"]\n',
      'reg.test/a:1',
    );
    expect(bad.findings.map((f) => [f.code, f.severity])).toEqual([['config-invalid', 'critical']]);
    expect(bad.findings[0]!.data?.resolverError).toBe(
      'get registry endpoints: parse endpoint url: parse "https://m.test:abc": invalid port ":abc" after host',
    );
    const good = await legacy('[plugins."io.containerd.grpc.v1.cri".registry.mirrors."*"]\nendpoint = ["m.test:5000"]\n', 'reg.test/a:1');
    expect(good.findings).toEqual([]);
    expect(good.effective.endpoints.map(line)).toEqual([
      'https://m.test:5000/v2 pull/resolve',
      'https://reg.test/v2 (server) pull/resolve',
    ]);
  });

  it('legacy mirrors: the default appended for a localhost registry is http (defaultScheme), a bare localhost endpoint too', async () => {
    const r = await legacy(
      '[plugins."io.containerd.grpc.v1.cri".registry.mirrors."localhost:5000"]\nendpoint = ["127.0.0.1:5001"]\n',
      'localhost:5000/a:1',
    );
    expect(r.effective.endpoints.map((e) => e.url)).toEqual(['http://127.0.0.1:5001/v2', 'http://localhost:5000/v2']);
  });

  it('legacy mirrors: the path is used as written — "/" means requests to /<repo>/… without /v2', async () => {
    const r = await legacy(
      '[plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]\nendpoint = ["https://m.test/", "https://n.test/google-containers/", "https://o.test"]\n',
      'nginx:1',
    );
    expect(r.effective.endpoints.map((e) => e.url)).toEqual([
      'https://m.test',
      'https://n.test/google-containers',
      'https://o.test/v2',
      'https://registry-1.docker.io/v2',
    ]);
  });

  it('hosts.toml: override_path without a path is the bare host; capabilities compare lower-cased', async () => {
    const fs = memFs({
      '/etc/containerd/config.toml':
        'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\nconfig_path = "/etc/containerd/certs.d"\n',
      '/etc/containerd/certs.d/reg.test/hosts.toml':
        '[host."https://a.test"]\noverride_path = true\n[host."https://b.test/"]\ncapabilities = ["Pull", "RESOLVE"]\n[host."https://c.test/x/../y//"]\n',
    });
    const r = await resolveOnNode(fs, await loadContainerdConfig(fs), parseTarget('reg.test/a:1').registry, V1620, true);
    expect(r.effective.endpoints.map(line)).toEqual([
      'https://a.test pull/resolve/push',
      'https://b.test/v2 pull/resolve',
      'https://c.test/y/v2 pull/resolve/push',
      'https://reg.test/v2 (server) pull/resolve/push',
    ]);
    expect(r.findings).toEqual([]);
  });

  const conf = (text: string, at = MAIN) => loadRegistriesConf(memFs({ [at]: text }));

  it.each([
    [
      'V1 and V2 in one file',
      "unqualified-search-registries = ['docker.io']\n[registries.insecure]\nregistries = []\n",
      'mixing sysregistry v1/v2 is not supported',
    ],
    [
      'a location with a scheme',
      '[[registry]]\nlocation = "https://reg.test"\n',
      "invalid location 'https://reg.test': URI schemes are not supported",
    ],
    ['neither prefix nor location', '[[registry]]\ninsecure = true\n', 'invalid condition: both location and prefix are unset'],
    [
      'a prefix without location',
      '[[registry]]\nprefix = "reg.test"\n',
      'invalid condition: location is unset and prefix is not in the format: *.example.com',
    ],
    [
      'one location, two insecure settings',
      '[[registry]]\nprefix = "a.test"\nlocation = "reg.test"\ninsecure = true\n[[registry]]\nprefix = "b.test"\nlocation = "reg.test"\n',
      "registry 'reg.test' is defined multiple times with conflicting 'insecure' setting",
    ],
    [
      'a search entry that is not a host',
      'unqualified-search-registries = ["reg.test/team"]\n',
      'Invalid unqualified-search-registries entry "reg.test/team"',
    ],
    [
      'a wildcard with a port',
      '[[registry]]\nprefix = "*.reg.test:5000"\n',
      'Wildcarded prefix should be in the format: *.example.com. Current prefix "*.reg.test:5000" is incorrectly formatted',
    ],
    ['an unknown short-name mode', 'short-name-mode = "strict"\n', 'invalid short-name mode: "strict"'],
    [
      'a mirror without location',
      '[[registry]]\nlocation = "reg.test"\n[[registry.mirror]]\ninsecure = true\n',
      'invalid condition: mirror location is unset',
    ],
  ])('registries.conf refused by containers/image: %s', async (_what, text, message) => {
    const c = await conf(text);
    expect(c.problem).toMatchObject({ file: MAIN, message, rejected: true });
    expect(c.registries).toEqual([]);
    const n = await crioNodeConfig(memFs({ [MAIN]: text }), parseTarget('reg.test/a:1').registry);
    expect(n.findings[0]!.code).toBe('config-invalid');
    expect(n.findings[0]!.evidence).toEqual([`containers/image: loading registries configuration "${MAIN}": ${message}`]);
  });

  it('registries.conf: inside one file the first entry of a prefix wins; trailing slashes are dropped', async () => {
    const c = await conf(
      '[[registry]]\nlocation = "reg.test/"\ninsecure = true\n[[registry]]\nprefix = "reg.test"\nlocation = "other.test"\ninsecure = true\n',
    );
    expect(c.problem).toBeUndefined();
    expect(c.registries.map((r) => [r.prefix, r.location])).toEqual([['reg.test', 'reg.test']]);
  });

  it('registries.conf V1 block list: blocked entries (ConvertToV2), the pull refused', async () => {
    const text = "[registries.block]\nregistries = ['reg.test']\n[registries.insecure]\nregistries = ['reg.test', 'other.test:5000']\n";
    const c = await conf(text);
    expect(c.registries.map((r) => [r.prefix, r.insecure, r.blocked])).toEqual([
      ['other.test:5000', true, false],
      ['reg.test', true, true],
    ]);
    expect(c.unqualifiedSearchRegistries).toBeUndefined();
    const n = await crioNodeConfig(memFs({ [MAIN]: text }), parseTarget('reg.test/a:1').registry);
    expect(n.findings.map((f) => f.code)).toEqual(['config-conflict']);
  });

  it('registries.yaml: empty extra keys are not reported; a non-empty one is', async () => {
    const { parseRegistriesYaml } = await import('../../src/runtime/k3s.js');
    expect(parseRegistriesYaml('mirrors: {}\nconfigs: {}\nauths: {}\n').ignoredKeys).toBeUndefined();
    expect(parseRegistriesYaml('mirror:\n  docker.io:\n    endpoint: ["https://m.test"]\n').ignoredKeys).toEqual(['mirror']);
  });
});

describe('containerd 2.2.0–2.2.1: the default config_path applies even with mirrors set (issue #12612)', () => {
  const V220 = parseSemver('2.2.0')!;
  const V221 = parseSemver('2.2.1')!;

  it.each(['hardway-v2-mirrors.toml', 'cri-docs-v1-mirrors.toml', 'nvidia-v2-mirrors-configs-tls.toml', 'docs-v3-mirrors-auth.toml'])(
    '%s: mirrors and no config_path — the CRI plugin does not load on 2.2.0/2.2.1; on 2.2.2 the mirrors apply',
    async (name) => {
      const { at } = await containerd(name);
      for (const v of [V220, V221]) {
        const r = await at('docker.io/library/nginx:1', v);
        const c = r.findings.find((f) => f.code === 'config-conflict')!;
        expect(c.data?.pluginNotLoaded).toBe(true);
        expect(c.evidence?.[0]).toBe(`config_path = "/etc/containerd/certs.d:/etc/docker/certs.d" (containerd 2.2.${v.patch}'s default)`);
        expect(c.summary).toContain('applies its default config_path');
        expect(r.notes).not.toContain('`mirrors` is deprecated, please use `config_path` instead');
      }
      const r222 = await at('docker.io/library/nginx:1', V222);
      expect(r222.findings.filter((f) => f.code === 'config-conflict')).toEqual([]);
      expect(r222.effective.mode).toBe('legacy');
    },
  );

  it('kind base (no registry table): certs.d is read from 2.2.0, not on 2.0/2.1', async () => {
    const { at } = await containerd('kind-base-v2.toml');
    expect((await at('docker.io/library/nginx:1', V220)).effective.configPath).toEqual(['/etc/containerd/certs.d', '/etc/docker/certs.d']);
    expect((await at('docker.io/library/nginx:1', parseSemver('2.1.0')!)).effective.configPath).toBeUndefined();
  });

  it('`config_path = ""`: a v2 file is migrated and refilled with the default; only a v3 file keeps it empty', async () => {
    const registry = '  config_path = ""\n  [REG.mirrors."docker.io"]\n    endpoint = ["https://m.test"]\n';
    for (const [version, plugin, conflict] of [
      [2, 'io.containerd.grpc.v1.cri', true],
      [3, 'io.containerd.cri.v1.images', false],
    ] as const) {
      const table = `plugins."${plugin}".registry`;
      const fs = memFs({ '/etc/containerd/config.toml': `version = ${version}\n[${table}]\n${registry.replace('REG', table)}` });
      const r = await resolveOnNode(fs, await loadContainerdConfig(fs), parseTarget('nginx:1').registry, V221, true);
      expect(
        r.findings.some((f) => f.code === 'config-conflict'),
        `version ${version}`,
      ).toBe(conflict);
      if (!conflict) expect(r.effective.endpoints.map((e) => e.url)).toEqual(['https://m.test/v2', 'https://registry-1.docker.io/v2']);
    }
  });
});

describe('registries.conf short-name aliases as newShortNameAliasCache validates them', () => {
  it.each([
    ['"fedora:39" = "registry.fedoraproject.org/fedora"', 'invalid short name "fedora:39": must not contain tag'],
    ['"quay.io/app" = "quay.io/team/app"', 'invalid short name "quay.io/app": must not contain registry'],
    ['"app" = "team/app"', 'invalid alias "team/app": must contain registry and repository'],
    ['"app" = "reg.test/team/app:1"', 'invalid alias "reg.test/team/app:1": must not contain tag'],
    ['"App" = "reg.test/team/app"', 'cannot parse short name: "App": invalid reference format'],
  ])('%s is refused', async (alias, message) => {
    const c = await loadRegistriesConf(memFs({ [MAIN]: `[aliases]\n${alias}\n` }));
    expect(c.problem).toMatchObject({ rejected: true, message: `validating short-name aliases: ${message}` });
  });

  it('valid aliases, an alias removed with "", and localhost values pass', async () => {
    const c = await loadRegistriesConf(
      memFs({
        [MAIN]:
          '[aliases]\n"ubi8/ubi" = "registry.access.redhat.com/ubi8/ubi"\n"old" = ""\n"dev" = "localhost/dev/app"\n"x" = "reg.test:5000/x"\n',
      }),
    );
    expect(c.problem).toBeUndefined();
    expect(Object.keys(c.aliases)).toEqual(['ubi8/ubi', 'old', 'dev', 'x']);
  });
});

describe('imports: containerd 1.x replaces a plugin section, 2.x merges it (mergeConfig, mergo WithOverride)', () => {
  it('kairos-style conf.d drop-in touching the CRI plugin: registry settings lost on 1.6, kept on 2.0', async () => {
    const fs = memFs({
      '/etc/containerd/config.toml': read('containerd', 'kairos-v2-imports-config-path.toml'),
      '/etc/containerd/conf.d/10-snapshotter.toml':
        'version = 2\n[plugins."io.containerd.grpc.v1.cri".containerd]\n  snapshotter = "native"\n[plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]\n  endpoint = ["https://m.test"]\n',
    });
    const loaded = await loadContainerdConfig(fs);
    expect(loaded.imports).toEqual(['/etc/containerd/conf.d/10-snapshotter.toml']);
    const image = parseTarget('nginx:1').registry;
    const r16 = await resolveOnNode(fs, loaded, image, V1620, true);
    // the imported section replaces config.toml's: config_path is gone, the import's mirrors apply
    expect(r16.effective.configPath).toBeUndefined();
    expect(r16.effective.endpoints.map((e) => e.url)).toEqual(['https://m.test/v2', 'https://registry-1.docker.io/v2']);
    expect(r16.findings.map((f) => [f.code, f.severity])).toEqual([['config-ignored', 'error']]);
    // 2.0 merges: config_path from config.toml and mirrors from the import — the CRI plugin refuses both
    const r2 = await resolveOnNode(fs, loaded, image, V2, true);
    expect(r2.effective.configPath).toEqual(['/etc/containerd/certs.d']);
    expect(r2.findings.map((f) => f.code)).toEqual(['config-conflict']);
  });
});

describe('configurations from bug reports', () => {
  it('containerd #12612 (v2 file, mirrors only): fine on 1.x, 2.0, 2.2.2; the CRI plugin does not load on 2.2.0', async () => {
    const { at } = await containerd('issue-12612-v2-mirrors-only.toml');
    for (const v of [V1620, V2, V222])
      expect(codes(await at('docker.io/library/nginx:1', v)), `${v.major}.${v.minor}.${v.patch}`).toEqual([]);
    const r = await at('docker.io/library/nginx:1', parseSemver('2.2.0')!);
    expect(r.findings.map((f) => f.code)).toEqual(['config-conflict']);
    expect(r.findings[0]!.predictedRuntimeError).toBe('unknown service runtime.v1.ImageService');
    expect(r.logLines).toContain(
      'failed to load plugin io.containerd.cri.v1.images: invalid cri image config: `mirrors` cannot be set when `config_path` is provided',
    );
  });

  it('killer-sh #93 (config_path = "" with mirrors, no version line): long name ignored by 1.x, read by 2.x; fatal on 2.2.1', async () => {
    const { loaded, at } = await containerd('issue-cks-93-empty-config-path-mirrors.toml');
    expect(loaded.version).toBe(1);
    // containerd 1.x reads plugins.cri in a version-1 file: the long-name table is ignored, mirrors unused
    const r16 = await at('docker.io/library/nginx:1');
    expect(r16.effective.mode).toBe('default');
    expect(r16.findings.map((f) => [f.code, f.severity])).toEqual([['config-ignored', 'warning']]);
    // 2.x migrates the file (long names kept): the mirrors apply on 2.0 and 2.2.2 …
    for (const v of [V2, V222])
      expect((await at('docker.io/library/nginx:1', v)).effective.endpoints.map((e) => e.url)).toEqual([
        'https://mirror.gcr.io/v2',
        'https://registry-1.docker.io/v2',
        'https://registry-1.docker.io/v2',
      ]);
    // … while 2.2.1 refills the migrated empty config_path with its default: mirrors + config_path
    const r221 = await at('docker.io/library/nginx:1', parseSemver('2.2.1')!);
    expect(r221.findings.map((f) => f.code)).toEqual(['config-conflict']);
  });
});

describe('registries.conf mirrors by reference kind (PullSourcesFromReference)', () => {
  const text =
    '[[registry]]\nlocation = "reg.test"\nmirror-by-digest-only = true\n[[registry.mirror]]\nlocation = "m.test"\n' +
    '[[registry]]\nlocation = "other.test"\n[[registry.mirror]]\nlocation = "d.test"\npull-from-mirror = "digest-only"\n[[registry.mirror]]\nlocation = "t.test"\npull-from-mirror = "tag-only"\n';
  const urls = async (image: string) => {
    const t = parseTarget(image);
    return (await crioNodeConfig(memFs({ [MAIN]: text }), t.registry, t.kind === 'image' ? t.image : undefined)).effective.endpoints.map(
      (e) => e.url,
    );
  };
  const digest = `sha256:${'a'.repeat(64)}`;

  it('mirror-by-digest-only: a tag goes to the location, a digest through the mirror first', async () => {
    expect(await urls('reg.test/app:1')).toEqual(['https://reg.test/v2']);
    expect(await urls(`reg.test/app@${digest}`)).toEqual(['https://m.test/v2', 'https://reg.test/v2']);
  });

  it('pull-from-mirror digest-only / tag-only per mirror', async () => {
    expect(await urls('other.test/app:1')).toEqual(['https://t.test/v2', 'https://other.test/v2']);
    expect(await urls(`other.test/app@${digest}`)).toEqual(['https://d.test/v2', 'https://other.test/v2']);
  });
});
