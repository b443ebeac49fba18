// The fix planner is safe by construction (issue 11, items 1–5): never _default, exact legacy migration with host
// names validated, in-place merges, the hosts.toml form the containerd version decodes, explicit trust on first use.
import { describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'smol-toml';
import { RootedFs } from '../../src/adapters/fs.js';
import { preparePlan } from '../../src/fix/engine.js';
import { proposeFixes, plannerDirs, type PlanContext } from '../../src/fix/propose.js';
import { readSnapshot, tofuDecision } from '../../src/fix/node-plan.js';
import { checkSuppliedCa, presentedCert } from '../../src/fix/trust-check.js';
import { migrateLegacy } from '../../src/fix/legacy-migration.js';
import { needsHostTable } from '../../src/fix/hosts-toml.js';
import { parseTarget } from '../../src/core/reference.js';
import { createCA, issueCert, selfSigned } from '../../src/x509/build.js';
import {
  findHostDir,
  loadContainerdConfig,
  parseSemver,
  resolveRegistryConfig,
  effectiveConfigPath,
  registrySection,
} from '../../src/runtime/containerd-config.js';
import type { Finding, FixAction } from '../../src/core/types.js';
import { partialFacts } from '../helpers/facts.js';

const finding = (code: Finding['code']): Finding => ({
  code,
  severity: 'error',
  summary: '',
  evidence: [],
  fixes: [],
  source: 'go-verify',
});

/** A node tree under a temp root; the containerd-config facts are computed by the real resolver from it. */
async function nodeCtx(
  files: Record<string, string>,
  image: string,
  version = '1.6.20',
  extra: Partial<PlanContext> = {},
): Promise<{ root: string; fs: RootedFs; ctx: PlanContext }> {
  const root = await mkdtemp(path.join(tmpdir(), 'regdoctor-planner-'));
  for (const [p, content] of Object.entries(files)) {
    await mkdir(p.endsWith('/') ? path.join(root, p) : path.dirname(path.join(root, p)), { recursive: true });
    if (p.endsWith('/')) continue;
    await writeFile(path.join(root, p), content);
  }
  const fs = new RootedFs(root);
  const target = parseTarget(image);
  const v = parseSemver(version)!;
  const loaded = await loadContainerdConfig(fs);
  const section = registrySection(loaded.doc, loaded.version);
  const roots = effectiveConfigPath(section.table, v);
  const hostDir = roots.length ? await findHostDir(fs, roots, target.registry.name, v) : undefined;
  const resolved = resolveRegistryConfig({
    loaded,
    registry: target.registry,
    version: v,
    versionKnown: true,
    hostDir,
    unusedCertDirs: [],
    missingFiles: [],
  });
  const t = section.table ?? {};
  const mirrors = (t.mirrors ?? {}) as Record<string, { endpoint?: string[] }>;
  const configs = Object.fromEntries(
    Object.entries((t.configs ?? {}) as Record<string, { tls?: Record<string, unknown> }>).filter(([, c]) => c.tls),
  );
  const leaf = selfSigned({ cn: target.registry.hostname });
  const ctx: PlanContext = {
    target,
    inputs: {},
    rawRegistry: { mirrors, configs },
    facts: partialFacts({
      'containerd-config': {
        file: '/etc/containerd/config.toml',
        exists: true,
        configVersion: loaded.version,
        containerdVersion: version,
        registryTable: section.path,
        effective: resolved.effective,
        registrySummary: {
          configPath: typeof t.config_path === 'string' ? t.config_path : undefined,
          mirrors: Object.keys(mirrors),
          configs: Object.keys(configs),
        },
      },
      'cert-chain': { certs: [{ info: leaf.info }] },
    }),
    ...extra,
  };
  ctx.node = await readSnapshot(fs, plannerDirs(ctx));
  return { root, fs, ctx };
}

const V2 = (body: string) => `version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n${body}`;
const paths = (actions: FixAction[]) => actions.map((a) => ('path' in a ? a.path : a.kind));

describe('item 1: certs.d/_default is never a fix target', () => {
  it('when _default is what applies, the fix writes certs.d/<host>/ and copies _default’s meaning for this host', async () => {
    const { fs, ctx } = await nodeCtx(
      {
        '/etc/containerd/config.toml': V2('  config_path = "/etc/containerd/certs.d"\n'),
        '/etc/containerd/certs.d/_default/corp-ca.crt': 'x',
      },
      'reg.test:15443/app:1',
    );
    expect((ctx.facts['containerd-config'] as { effective: { hostsDir: string } }).effective.hostsDir).toBe(
      '/etc/containerd/certs.d/_default',
    );
    for (const code of ['self-signed', 'hostname-mismatch', 'plain-http-registry'] as const) {
      const node = proposeFixes(finding(code), ctx).filter((f) => f.actions.length);
      expect(node.length).toBeGreaterThan(0);
      for (const f of node) {
        for (const p of paths(f.actions)) expect(p).not.toMatch(/_default/);
        expect(paths(f.actions)).toContain('/etc/containerd/certs.d/reg.test:15443/hosts.toml');
      }
    }
    const ca = proposeFixes(finding('self-signed'), ctx).find((p) => p.id === 'hosts-toml-ca');
    const steps = await preparePlan(fs, ca!.actions);
    const hosts = parse(steps.find((s) => s.path?.endsWith('/hosts.toml'))!.after!.toString()) as {
      server: string;
      ca: string[];
      host: Record<string, { ca: string[] }>;
    };
    expect(hosts.server).toBe('https://reg.test:15443');
    // corp-ca.crt applied to this host through _default: it still does, by absolute path
    expect(hosts.ca[0]).toBe('/etc/containerd/certs.d/_default/corp-ca.crt');
    expect(hosts.host['https://reg.test:15443']!.ca).toEqual(hosts.ca);
    expect(ca!.description).toContain('left untouched');
  });

  it('an existing reg_15443_ directory wins over creating reg:15443 (containerd’s own name for the host)', async () => {
    const { ctx } = await nodeCtx(
      { '/etc/containerd/config.toml': V2('  config_path = "/etc/containerd/certs.d"\n'), '/etc/containerd/certs.d/reg.test_15443_/': '' },
      'reg.test:15443/app:1',
    );
    const ca = proposeFixes(finding('self-signed'), ctx).find((p) => p.id === 'hosts-toml-ca');
    expect(paths(ca!.actions)).toContain('/etc/containerd/certs.d/reg.test_15443_/hosts.toml');
  });
});

describe('item 2: legacy migration preserves meaning; a host name is never a path', () => {
  const raw = {
    mirrors: {
      'insecure.corp:5000': { endpoint: ['http://insecure.corp:5000'] },
      '*': { endpoint: ['https://cache.corp', 'mirror.corp:8443'] },
      'docker.io': { endpoint: ['https://m1.corp', 'http://m2.corp:5000', 'https://m3.corp/custom/path'] },
    },
    configs: {
      'm1.corp': { tls: { ca_file: '/etc/ssl/m1.pem', insecure_skip_verify: false } },
      'tls-only.corp': { tls: { cert_file: '/etc/c.pem', key_file: '/etc/k.pem' } },
    },
  };

  it('scheme, order, capabilities, * → _default, docker.io → registry-1.docker.io, endpoint equal to the registry', () => {
    const m = migrateLegacy(raw, '/etc/containerd/certs.d', '1.6.20');
    const by = Object.fromEntries(m.hosts.map((h) => [h.key, h]));
    // plain HTTP stays plain HTTP; the endpoint is the registry itself, so no https default is appended
    expect(by['insecure.corp:5000']!.dir).toBe('/etc/containerd/certs.d/insecure.corp:5000');
    expect(by['insecure.corp:5000']!.model.server).toBe('http://insecure.corp:5000');
    expect(by['insecure.corp:5000']!.model.hosts.map((h) => h.url)).toEqual(['http://insecure.corp:5000']); // 1.6 needs a table
    // * is containerd's _default, without a server (the requested host), endpoints in order, no-scheme → https
    expect(by['*']!.dir).toBe('/etc/containerd/certs.d/_default');
    expect(by['*']!.model.server).toBeUndefined();
    expect(by['*']!.model.hosts.map((h) => h.url)).toEqual(['https://cache.corp', 'https://mirror.corp:8443']);
    // docker.io: mirrors in order, schemes kept, TLS from configs of the endpoint host, non-/v2 path kept as given
    const d = by['docker.io']!.model;
    expect(d.server).toBe('https://registry-1.docker.io');
    expect(d.hosts.map((h) => h.url)).toEqual(['https://m1.corp', 'http://m2.corp:5000', 'https://m3.corp/custom/path']);
    expect(d.hosts.every((h) => JSON.stringify(h.settings.capabilities) === '["pull","resolve"]')).toBe(true);
    expect(d.hosts[0]!.settings.ca).toEqual(['/etc/ssl/m1.pem']);
    expect(d.hosts[2]!.settings.override_path).toBe(true);
    // configs-only host: gets *'s endpoints (legacy used them for it) and its client pair on the server entry
    const t = by['tls-only.corp']!.model;
    expect(t.hosts.map((h) => h.url)).toEqual(['https://cache.corp', 'https://mirror.corp:8443']);
    expect(t.root.client).toEqual([['/etc/c.pem', '/etc/k.pem']]);
    expect(m.removeTables).toEqual(
      expect.arrayContaining([
        ['mirrors', '*'],
        ['mirrors', 'docker.io'],
        ['configs', 'tls-only.corp', 'tls'],
        ['configs', 'm1.corp', 'tls'],
      ]),
    );
  });

  it('a mirror key that is a path is refused with a clear error and no action at all', async () => {
    const { fs, ctx, root } = await nodeCtx(
      {
        '/etc/containerd/config.toml': V2(
          '  [plugins."io.containerd.grpc.v1.cri".registry.mirrors."../../../systemd/system/containerd.service.d"]\n    endpoint = ["https://x.corp"]\n',
        ),
      },
      'reg.test:5000/app:1',
    );
    for (const code of ['self-signed', 'plain-http-registry', 'hostname-mismatch'] as const) {
      const node = proposeFixes(finding(code), ctx).filter((f) => f.where === 'node' && f.id.startsWith('hosts-toml'));
      expect(node.length).toBeGreaterThan(0);
      for (const f of node) {
        expect(f.actions).toEqual([]);
        expect(f.blocked).toMatch(
          /cannot migrate the legacy registry configuration exactly: registry host "\.\.\/\.\.\/\.\.\/systemd\/system\/containerd\.service\.d" is not a registry host name/,
        );
      }
    }
    const before = await readFile(path.join(root, 'etc/containerd/config.toml'), 'utf8');
    expect(await preparePlan(fs, [])).toEqual([]);
    expect(await readFile(path.join(root, 'etc/containerd/config.toml'), 'utf8')).toBe(before);
  });

  it('refuses what cannot be migrated exactly: relative ca_file, cert without key, endpoint with credentials', () => {
    expect(() => migrateLegacy({ mirrors: {}, configs: { 'a.corp': { tls: { ca_file: 'ca.pem' } } } }, '/r', '1.6.20')).toThrow(
      /relative path/,
    );
    expect(() => migrateLegacy({ mirrors: {}, configs: { 'a.corp': { tls: { cert_file: '/c.pem' } } } }, '/r', '1.6.20')).toThrow(
      /cert_file without key_file/,
    );
    expect(() => migrateLegacy({ mirrors: { 'a.corp': { endpoint: ['https://u:p@m.corp'] } }, configs: {} }, '/r', '1.6.20')).toThrow(
      /credentials/,
    );
    expect(() => migrateLegacy({ mirrors: { 'a.corp': { endpoint: ['https://m.corp/../../x'] } }, configs: {} }, '/r', '1.6.20')).toThrow();
  });

  it('the target host’s own legacy settings are kept in its new hosts.toml (ca_file + the new CA)', async () => {
    const { fs, ctx } = await nodeCtx(
      {
        '/etc/containerd/config.toml': V2(
          '  [plugins."io.containerd.grpc.v1.cri".registry.mirrors."reg.test:5000"]\n    endpoint = ["http://reg.test:5000"]\n',
        ),
      },
      'reg.test:5000/app:1',
    );
    const [http] = proposeFixes(finding('plain-http-registry'), ctx);
    const steps = await preparePlan(fs, http!.actions);
    const doc = parse(steps.find((s) => s.path === '/etc/containerd/certs.d/reg.test:5000/hosts.toml')!.after!.toString()) as {
      server: string;
    };
    expect(doc.server).toBe('http://reg.test:5000');
    const cfg = steps.find((s) => s.path === '/etc/containerd/config.toml')!.after!.toString();
    expect(cfg).toContain('config_path = "/etc/containerd/certs.d"');
    expect(cfg).not.toContain('mirrors');
  });
});

describe('item 3: merge, never overwrite', () => {
  const EXISTING = [
    '# our registry — do not remove this comment',
    'server = "https://reg.test:5000"',
    'ca = ["/a.crt", "/b.crt"]',
    '',
    '[host."https://reg.test:5000"]',
    '  ca = ["/a.crt", "/b.crt"]',
    '  [host."https://reg.test:5000".header]',
    '    X-Team = "platform"',
    '',
    '[host."https://other-mirror.corp"]',
    '  capabilities = ["pull"]',
    '',
  ].join('\n');

  it('the CA fix appends to ca lists in place and keeps comments, headers and other hosts', async () => {
    const { fs, ctx } = await nodeCtx(
      {
        '/etc/containerd/config.toml': V2('  config_path = "/etc/containerd/certs.d"\n'),
        '/etc/containerd/certs.d/reg.test:5000/hosts.toml': EXISTING,
      },
      'reg.test:5000/app:1',
    );
    const ca = proposeFixes(finding('self-signed'), ctx).find((p) => p.id === 'hosts-toml-ca');
    const steps = await preparePlan(fs, ca!.actions);
    const after = steps
      .filter((s) => s.path?.endsWith('hosts.toml'))
      .at(-1)!
      .after!.toString();
    expect(after).toContain('# our registry — do not remove this comment');
    expect(after).toContain('X-Team = "platform"');
    expect(after).toContain('[host."https://other-mirror.corp"]');
    const doc = parse(after) as { ca: string[]; host: Record<string, { ca?: string[]; capabilities?: string[] }> };
    expect(doc.ca.slice(0, 2)).toEqual(['/a.crt', '/b.crt']);
    expect(doc.ca[2]).toMatch(/^regdoctor-ca-[0-9a-f]{12}\.pem$/);
    expect(doc.host['https://reg.test:5000']!.ca).toEqual(doc.ca);
    expect(doc.host['https://other-mirror.corp']).toEqual({ capabilities: ['pull'] });
  });

  it('the plain-HTTP fix edits server in place and keeps everything else', async () => {
    const { fs, ctx } = await nodeCtx(
      {
        '/etc/containerd/config.toml': V2('  config_path = "/etc/containerd/certs.d"\n'),
        '/etc/containerd/certs.d/reg.test:5000/hosts.toml': EXISTING,
      },
      'reg.test:5000/app:1',
    );
    const [http] = proposeFixes(finding('plain-http-registry'), ctx);
    const steps = await preparePlan(fs, http!.actions);
    const after = steps.at(-1)!.after!.toString();
    expect(after).toContain('server = "http://reg.test:5000"');
    expect(after).toContain('X-Team = "platform"');
    expect(after).toContain('# our registry — do not remove this comment');
    expect(after).toContain('[host."https://other-mirror.corp"]');
  });

  it('a Docker-style directory (client.cert/client.key/*.crt, no hosts.toml) is carried into the new hosts.toml', async () => {
    const { fs, ctx } = await nodeCtx(
      {
        '/etc/containerd/config.toml': V2('  config_path = "/etc/containerd/certs.d"\n'),
        '/etc/containerd/certs.d/reg.test:5000/corp.crt': 'x',
        '/etc/containerd/certs.d/reg.test:5000/client.cert': 'x',
        '/etc/containerd/certs.d/reg.test:5000/client.key': 'x',
      },
      'reg.test:5000/app:1',
    );
    const [skip] = proposeFixes(finding('hostname-mismatch'), ctx).filter((f) => f.id === 'hosts-toml-skip-verify');
    const steps = await preparePlan(fs, skip!.actions);
    const doc = parse(steps.at(-1)!.after!.toString()) as {
      ca: string;
      client: string[][];
      skip_verify: boolean;
      host: Record<string, { ca: string; client: string[][]; skip_verify: boolean }>;
    };
    expect(doc.ca).toBe('corp.crt');
    expect(doc.client).toEqual([['client.cert', 'client.key']]);
    expect(doc.host['https://reg.test:5000']).toMatchObject({ ca: 'corp.crt', client: [['client.cert', 'client.key']], skip_verify: true });
  });
});

describe('item 4: the hosts.toml form each containerd version decodes', () => {
  it('1.x needs a [host."…"] table (measured: 1.6.20 ignores a root-only file); 2.x decodes the root', () => {
    expect(needsHostTable('1.6.20')).toBe(true);
    expect(needsHostTable('1.7.13')).toBe(true);
    expect(needsHostTable('2.0.0')).toBe(false);
    expect(needsHostTable(undefined)).toBe(true);
  });

  for (const [code, key] of [
    ['hostname-mismatch', 'skip_verify'],
    ['self-signed', 'ca'],
    ['plain-http-registry', 'capabilities'],
  ] as const) {
    it(`${code} on 1.6.20: the setting is inside [host."…"]; on 2.0 the root carries it`, async () => {
      for (const version of ['1.6.20', '2.0.0']) {
        const { fs, ctx } = await nodeCtx(
          { '/etc/containerd/config.toml': V2('  config_path = "/etc/containerd/certs.d"\n') },
          'reg.test:5000/app:1',
          version,
        );
        const f = proposeFixes(finding(code), ctx).find((p) => p.actions.length)!;
        const steps = await preparePlan(fs, f.actions);
        const doc = parse(steps.at(-1)!.after!.toString()) as Record<string, unknown> & { host?: Record<string, Record<string, unknown>> };
        if (version === '1.6.20') expect(Object.values(doc.host ?? {}).some((t) => t[key] !== undefined)).toBe(true);
        else if (code !== 'plain-http-registry') expect(doc[key]).toBeDefined();
      }
    });
  }

  it('an existing root-only hosts.toml gets a table (with its root settings and the dir’s Docker files) so 1.6 decodes it', async () => {
    const { fs, ctx } = await nodeCtx(
      {
        '/etc/containerd/config.toml': V2('  config_path = "/etc/containerd/certs.d"\n'),
        '/etc/containerd/certs.d/reg.test:5000/hosts.toml': 'server = "https://reg.test:5000"\nca = "ca.crt"\n',
        '/etc/containerd/certs.d/reg.test:5000/ca.crt': 'x',
      },
      'reg.test:5000/app:1',
    );
    const pem = issueCert(createCA({ cn: 'c' }), { cn: 'client', eku: ['clientAuth'] });
    ctx.inputs = { clientCert: pem.certPem, clientKey: pem.keyPem };
    const [client] = proposeFixes(finding('client-cert-required'), ctx);
    const steps = await preparePlan(fs, client!.actions);
    const doc = parse(steps.at(-1)!.after!.toString()) as {
      ca: string[];
      client: string[][];
      host: Record<string, { ca: string[]; client: string[][] }>;
    };
    const t = doc.host['https://reg.test:5000']!;
    expect(t.ca).toEqual(['ca.crt']);
    expect(t.client[0]![0]).toMatch(/^regdoctor-client-[0-9a-f]{12}\.pem$/);
    expect(doc.client).toEqual(t.client);
    // installed material never uses a name containerd's Docker-style fallback would pick up on its own
    for (const a of client!.actions)
      if (a.kind === 'write-file' && !a.path.endsWith('hosts.toml')) expect(a.path).not.toMatch(/\.(crt|cert|key)$/);
  });
});

describe('item 5: trust on first use is explicit; a supplied CA must sign the chain', () => {
  const root = createCA({ cn: 'Lab Root' });
  const leaf = issueCert(root, { cn: 'reg.test', dns: ['reg.test'] });
  const self = selfSigned({ cn: 'reg.test', dns: ['reg.test'] });
  const other = createCA({ cn: 'Unrelated Root' });

  it('the self-signed proposal names the presented certificate; --yes alone is refused, the right fingerprint passes', async () => {
    const { ctx } = await nodeCtx(
      { '/etc/containerd/config.toml': V2('  config_path = "/etc/containerd/certs.d"\n') },
      'reg.test:5000/app:1',
    );
    ctx.facts = { ...ctx.facts, ...partialFacts({ 'cert-chain': { certs: [{ info: self.info }] } }) };
    const ca = proposeFixes(finding('self-signed'), ctx).find((p) => p.id === 'hosts-toml-ca');
    expect(ca!.presented!.sha256).toBe(self.info.sha256);
    const refuse = tofuDecision(ca!.presented!, undefined, false);
    expect(refuse.kind).toBe('refuse');
    expect(refuse.kind === 'refuse' && refuse.message).toContain(`--trust-presented ${self.info.sha256}`);
    expect(refuse.kind === 'refuse' && refuse.message).toMatch(/subject: CN=reg\.test[\s\S]*valid: \d{4}-/);
    const colon = self.info.sha256.toUpperCase().match(/../g)!.join(':');
    expect(tofuDecision(ca!.presented!, colon, false).kind).toBe('trusted');
    expect(tofuDecision(ca!.presented!, other.info.sha256, false).kind).toBe('refuse');
    expect(tofuDecision(ca!.presented!, undefined, true).kind).toBe('ask');
    // with --ca the supplied file is installed, not the network's certificate
    ctx.inputs = { ca: root.certPem };
    expect(proposeFixes(finding('self-signed'), ctx).find((p) => p.id === 'hosts-toml-ca')!.presented).toBeUndefined();
  });

  it('checkSuppliedCa replays Go: the right root passes, an unrelated CA is "signed by unknown authority"', () => {
    const base = { chain: [leaf.info], serverName: 'reg.test', pool: [], goVersion: 'go1.19', now: new Date() };
    expect(checkSuppliedCa({ ...base, caPem: root.certPem })).toEqual({ ok: true });
    const bad = checkSuppliedCa({ ...base, caPem: other.certPem });
    expect(bad).toEqual({ ok: false, message: expect.stringMatching(/^x509: certificate signed by unknown authority/) });
    expect(checkSuppliedCa({ ...base, chain: [self.info], caPem: self.certPem })).toEqual({ ok: true });
    expect(presentedCert(self.info).subject).toBe('CN=reg.test');
  });
});

describe('the TOML editor the planner relies on', () => {
  it('scans hostile lines in linear time (an unterminated header or key with 40,000 spaces)', async () => {
    const { editToml, TomlEditError } = await import('../../src/fix/toml-edit.js');
    const pad = ' '.repeat(40_000);
    for (const text of [`[host."https://reg.te${pad}\nx = 1\n`, `key${pad}\n`, `a = 1\n[host."h"]\n  ca${pad}x\n`]) {
      const t0 = performance.now();
      try {
        editToml(text, { table: [], set: { server: 'https://h' } });
      } catch (err) {
        expect(err).toBeInstanceOf(TomlEditError);
      }
      expect(performance.now() - t0).toBeLessThan(400);
    }
  });

  it('append: a string becomes a list, items already present are kept once, comments stay', async () => {
    const { editToml } = await import('../../src/fix/toml-edit.js');
    const out = editToml('# keep\nca = "a.pem" # mine\n[host."https://h"]\n  ca = ["x.pem"]\n', {
      table: ['host', 'https://h'],
      append: { ca: ['x.pem', 'y.pem'] },
    });
    expect(out).toBe('# keep\nca = "a.pem" # mine\n[host."https://h"]\n  ca = ["x.pem", "y.pem"]\n');
    expect(editToml('ca = "a.pem"\n', { table: [], append: { ca: ['b.pem'] } })).toBe('ca = ["a.pem", "b.pem"]\n');
  });
});
