// Every reader of config.toml's registry settings asks registrySectionFor (src/runtime/containerd-config.ts) for the
// section containerd <version> uses, and every reader of host directories asks hostDirRoots: containerd's own
// credentials (registry-api), the audit, the containerd-config facts, fix --harden's table, node-hygiene's exposed
// credentials. The rules come from containerd's sources: 2.x migrates a version-1 file in memory and reads its
// long-name table (cmd/containerd/server/config/config.go v1Migrate, v2.0.0 L152-206), 1.x reads only
// [plugins.cri] in a version-1 file; 1.x replaces a plugin section wholesale with an import's
// (services/server/config/config.go mergeConfig, v1.7.0 L290-299), 2.x merges key by key (mergo WithOverride,
// cmd/containerd/server/config/config.go mergeConfig, v2.1.4); the 2.1+ transfer service reads config_path as one
// directory (core/transfer/registry/registry.go NewOCIRegistry).
import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { memFs } from '../fuzz/memfs.js';
import { loadContainerdConfig, parseSemver, registrySectionFor, runtimeCredential } from '../../src/runtime/containerd-config.js';
import { discoverNodeRegistries } from '../../src/app/audit.js';
import { createRealAdapters } from '../../src/app/adapters.js';
import { runGraph } from '../../src/core/engine.js';
import { parseTarget } from '../../src/core/reference.js';
import { DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { containerdConfigCheck } from '../../checks/containerd-config.js';
import { nodeHygieneCheck } from '../../checks/node-hygiene.js';
import { runtimeInfoCheck } from '../../checks/runtime-info.js';
import { msg } from '../../src/i18n/index.js';
import type { Check } from '../../src/core/types.js';

const CFG = '/etc/containerd/config.toml';
const V = (s: string) => parseSemver(s)!;

// a version-1 file (no `version`) whose registry table is written under the version-2 long plugin name
const V1_LONG = [
  '[plugins."io.containerd.grpc.v1.cri".registry.configs."reg.test:5000".auth]',
  '  username = "robot"',
  '  password = "s3cret"',
  '[plugins."io.containerd.grpc.v1.cri".registry.mirrors."mirror.test"]',
  '  endpoint = ["https://mirror.test"]',
  '',
].join('\n');

describe('registrySectionFor: the one answer for "the registry table containerd <version> reads"', () => {
  it('a version-1 file with the long-name table: ignored by 1.x, read by 2.x (migrated in memory)', async () => {
    const loaded = await loadContainerdConfig(memFs({ [CFG]: V1_LONG }));
    expect(registrySectionFor(loaded, V('1.7.13')).table).toBeUndefined();
    expect(registrySectionFor(loaded, V('1.7.13')).path).toEqual(['plugins', 'cri', 'registry']);
    expect(registrySectionFor(loaded, V('2.0.0')).path).toEqual(['plugins', 'io.containerd.grpc.v1.cri', 'registry']);
    expect(Object.keys(registrySectionFor(loaded, V('2.1.4')).table?.configs as object)).toEqual(['reg.test:5000']);
  });

  it("imports: 1.x takes the import's plugin section wholesale, 2.x merges both files' keys", async () => {
    const fs = memFs({
      [CFG]: [
        'version = 2',
        'imports = ["/etc/containerd/conf.d/*.toml"]',
        '[plugins."io.containerd.grpc.v1.cri".registry.configs."a.test".auth]',
        '  username = "a"',
        '  password = "pa"',
        '',
      ].join('\n'),
      '/etc/containerd/conf.d/10-b.toml': [
        'version = 2',
        '[plugins."io.containerd.grpc.v1.cri".registry.configs."b.test".auth]',
        '  username = "b"',
        '  password = "pb"',
        '',
      ].join('\n'),
    });
    const loaded = await loadContainerdConfig(fs);
    expect(Object.keys(registrySectionFor(loaded, V('1.7.13')).table?.configs as object)).toEqual(['b.test']);
    expect(Object.keys(registrySectionFor(loaded, V('2.0.0')).table?.configs as object).sort()).toEqual(['a.test', 'b.test']);
    // containerd's own credentials follow the same rule
    expect(await runtimeCredential(fs, CFG, 'a.test', V('1.7.13'))).toBeUndefined();
    expect(await runtimeCredential(fs, CFG, 'a.test', V('2.0.0'))).toMatchObject({ username: 'a', source: 'configs."a.test".auth' });
    // each names the file that holds it (a finding's file, where an edit of it goes)
    expect(await runtimeCredential(fs, CFG, 'b.test', V('1.7.13'))).toMatchObject({
      username: 'b',
      file: '/etc/containerd/conf.d/10-b.toml',
    });
    expect((await runtimeCredential(fs, CFG, 'a.test', V('2.0.0')))?.file).toBe(CFG);
    expect((await runtimeCredential(fs, CFG, 'b.test', V('2.0.0')))?.file).toBe('/etc/containerd/conf.d/10-b.toml');
  });

  it("runtimeCredential (registry-api's containerd credential): the long-name table of a version-1 file on 2.x only", async () => {
    const fs = memFs({ [CFG]: V1_LONG });
    expect(await runtimeCredential(fs, CFG, 'reg.test:5000', V('1.6.20'))).toBeUndefined();
    expect(await runtimeCredential(fs, CFG, 'reg.test:5000', V('2.1.4'))).toMatchObject({
      username: 'robot',
      password: 's3cret',
      source: 'configs."reg.test:5000".auth',
    });
  });

  it('no reader in src/ or checks/ reads a registry table without the runtime version', () => {
    // registrySection(doc, fileVersion) alone applies the 1.x rule; every caller outside containerd-config.ts must pass
    // the containerd version (or call registrySectionFor)
    const here = path.dirname(new URL(import.meta.url).pathname);
    const repo = path.resolve(here, '../..');
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
      );
    const offenders: string[] = [];
    for (const f of [...files(path.join(repo, 'src')), ...files(path.join(repo, 'checks'))]) {
      if (f.endsWith('src/runtime/containerd-config.ts')) continue;
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/\bregistrySection\(/g)) {
        // the argument list up to the matching parenthesis, counting top-level commas
        let depth = 1;
        let commas = 0;
        let i = m.index + m[0].length;
        for (; i < text.length && depth > 0; i++) {
          const c = text[i];
          if (c === '(' || c === '[' || c === '{') depth++;
          else if (c === ')' || c === ']' || c === '}') depth--;
          else if (c === ',' && depth === 1) commas++;
        }
        if (commas < 2) offenders.push(`${path.relative(repo, f)}: ${text.slice(m.index, i)}`);
      }
      if (/registrySection\(\s*\w+\.doc\b/.test(text)) offenders.push(`${path.relative(repo, f)}: reads loaded.doc (1.x merge)`);
    }
    expect(offenders).toEqual([]);
  });
});

describe('readers over a node tree', () => {
  let root: string | undefined;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
    root = undefined;
  });
  async function node(files: Record<string, string>, mode = 0o644): Promise<string> {
    root = await mkdtemp(path.join(tmpdir(), 'regdoctor-readers-'));
    for (const [p, text] of Object.entries(files)) {
      const host = path.join(root, p);
      await mkdir(path.dirname(host), { recursive: true });
      await writeFile(host, text);
      await chmod(host, mode);
    }
    return root;
  }

  it("audit: a version-1 file's long-name mirrors and credentials are registries on 2.x, not on 1.x", async () => {
    const r = await node({ 'etc/containerd/config.toml': V1_LONG });
    const fs = createRealAdapters({ root: r, env: {} }).fs;
    const on2 = await discoverNodeRegistries(fs, { containerdVersion: '2.1.4' });
    expect(on2.candidates.map((c) => c.host).sort()).toEqual(['mirror.test', 'reg.test:5000']);
    expect(on2.candidates.find((c) => c.host === 'reg.test:5000')!.sources[0]!.where).toContain(
      '[plugins."io.containerd.grpc.v1.cri".registry].configs."reg.test:5000"',
    );
    const on1 = await discoverNodeRegistries(fs, { containerdVersion: '1.7.13' });
    expect(on1.candidates).toEqual([]);
  });

  it('audit: host directories under a config_path list are marked unread on the 2.1+ transfer service, read otherwise', async () => {
    const list = '/etc/containerd/certs.d:/etc/docker/certs.d';
    const files = (extra = '') => ({
      'etc/containerd/config.toml': `version = 3\n[plugins."io.containerd.cri.v1.images"]\n${extra}\n[plugins."io.containerd.cri.v1.images".registry]\n  config_path = "${list}"\n`,
      'etc/containerd/certs.d/reg.test:5000/hosts.toml': 'server = "https://reg.test:5000"\n',
      'etc/docker/certs.d/other.test/ca.crt': 'x',
    });
    const r = await node(files());
    const fs = createRealAdapters({ root: r, env: {} }).fs;
    const where = async (v: string) =>
      Object.fromEntries((await discoverNodeRegistries(fs, { containerdVersion: v })).candidates.map((c) => [c.host, c.sources[0]!.where]));
    const transfer = await where('2.2.0');
    expect(Object.keys(transfer).sort()).toEqual(['other.test', 'reg.test:5000']);
    expect(transfer['reg.test:5000']).toMatch(
      /hosts\.toml \(containerd 2\.2\.0 pulls through the transfer service, .* it does not read this one\)$/,
    );
    expect(transfer['other.test']).toMatch(/it does not read this one\)$/);
    // 2.0 splits the list (local pull): read, no mark
    const local = await where('2.0.0');
    expect(local['reg.test:5000']).toBe('/etc/containerd/certs.d/reg.test:5000/hosts.toml');
    // a list with one directory and a trailing ':' is still one (missing) directory to the transfer service, as the
    // resolver says (transferListRoot)
    await writeFile(
      path.join(r, 'etc/containerd/config.toml'),
      files()['etc/containerd/config.toml'].replace(list, '/etc/containerd/certs.d:'),
    );
    expect((await where('2.2.0'))['reg.test:5000']).toMatch(
      /config_path "\/etc\/containerd\/certs\.d:" as one directory: it does not read this one\)$/,
    );
    // a setting that forces the local pull on 2.2 (CheckLocalImagePullConfigs): read, no mark
    await writeFile(path.join(r, 'etc/containerd/config.toml'), files('use_local_image_pull = true')['etc/containerd/config.toml']);
    expect((await where('2.2.0'))['reg.test:5000']).toBe('/etc/containerd/certs.d/reg.test:5000/hosts.toml');
  });

  it("the containerd-config facts and node-hygiene's exposed credentials use the 2.x table of a version-1 file", async () => {
    const r = await node({ 'etc/containerd/config.toml': V1_LONG }, 0o644);
    // node-hygiene's other inputs (the probes, the CRI pull) are not part of this case: present in the graph, skipped
    const skipped = (['tls-handshake', 'cert-chain', 'auth-files', 'registry-api', 'cri-pull'] as const).map(
      (id) =>
        ({
          id,
          title: id,
          needs: [],
          skipIf: () => msg('skip.offline'),
          run: () => Promise.reject(new Error('skipped')),
        }) as unknown as Check,
    );
    const run = (containerdVersion: string) =>
      runGraph([runtimeInfoCheck, containerdConfigCheck, nodeHygieneCheck, ...skipped], {
        target: parseTarget('reg.test:5000/app:1'),
        options: { ...DEFAULT_RUN_OPTIONS, root: r, containerdVersion, pull: false },
        adapters: createRealAdapters({ root: r, env: {} }),
      });
    const s2 = await run('2.1.4');
    const f2 = s2.facts['containerd-config']!;
    expect(f2.registryTable).toEqual(['plugins', 'io.containerd.grpc.v1.cri', 'registry']);
    expect(f2.registrySummary.configs).toEqual(['reg.test:5000']);
    expect(f2.registrySummary.mirrors).toEqual(['mirror.test']);
    expect(f2.effective.legacyAuth?.source).toBe('configs."reg.test:5000".auth');
    // a world-readable file holding the credential containerd sends
    const hygiene = s2.checks.find((c) => c.id === 'node-hygiene')!;
    expect(hygiene.findings.map((f) => f.code)).toContain('credentials-exposed');
    const s1 = await run('1.7.13');
    const f1 = s1.facts['containerd-config']!;
    expect(f1.registryTable).toEqual(['plugins', 'cri', 'registry']);
    expect(f1.registrySummary.configs).toEqual([]);
    expect(s1.checks.find((c) => c.id === 'node-hygiene')!.findings.map((f) => f.code)).not.toContain('credentials-exposed');
  });
});
