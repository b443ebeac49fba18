// containerd 2.1+ pulls through the transfer service unless a setting forces the local pull
// (internal/cri/config/config.go CheckLocalImagePullConfigs, v2.1.0 L535-590); the transfer service reads config_path
// as ONE directory (core/transfer/registry/registry.go NewOCIRegistry: HostDirFromRoot without SplitList), so a list —
// containerd 2.2's own default "/etc/containerd/certs.d:/etc/docker/certs.d" included — hides every hosts.toml under
// it (containerd issues #12415, #12636). Mode rules, the resolver, the fix, and the containerd-config check over a real
// node tree with a real self-signed registry on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { memFs } from '../fuzz/memfs.js';
import {
  criPullMode,
  hostDirRoots,
  loadContainerdConfig,
  parseSemver,
  registrySection,
  resolveOnNode,
  type LoadedConfig,
} from '../../src/runtime/containerd-config.js';
import { parseTarget } from '../../src/core/reference.js';
import { runGraph } from '../../src/core/engine.js';
import { DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { createRealAdapters } from '../../src/app/adapters.js';
import { containerdConfigCheck } from '../../checks/containerd-config.js';
import { runtimeInfoCheck } from '../../checks/runtime-info.js';
import { messageIn } from '../../src/i18n/index.js';
import { proposeFixes } from '../../src/fix/propose.js';
import { startTreeRegistry, type TreeRegistry } from '../helpers/node-root.js';

const CFG = '/etc/containerd/config.toml';
const V = (s: string) => parseSemver(s)!;
const LIST = '/etc/containerd/certs.d:/etc/docker/certs.d';

async function load(files: Record<string, string>): Promise<{ fs: ReturnType<typeof memFs>; loaded: LoadedConfig }> {
  const fs = memFs(files);
  return { fs, loaded: await loadContainerdConfig(fs) };
}
const v3 = (images = '', registry = '') =>
  `version = 3\n[plugins.'io.containerd.cri.v1.images']\n${images}\n[plugins.'io.containerd.cri.v1.images'.registry]\n${registry}\n`;
const mode = async (toml: string, v = '2.2.0') => criPullMode((await load({ [CFG]: toml })).loaded, V(v));

describe('pull mode (CheckLocalImagePullConfigs)', () => {
  it('2.0.x always pulls locally; 2.1.0, 2.1.4, 2.2.0, 2.2.7 default to the transfer service', async () => {
    for (const v of ['1.7.13', '2.0.0', '2.0.6']) expect(await mode(v3(), v), v).toEqual({ mode: 'local' });
    for (const v of ['2.1.0', '2.1.4', '2.2.0', '2.2.7']) expect(await mode(v3(), v), v).toEqual({ mode: 'transfer' });
    // no file at all: containerd's defaults, the transfer service
    expect(criPullMode((await load({})).loaded, V('2.2.0'))).toEqual({ mode: 'transfer' });
  });

  it.each([
    ['use_local_image_pull = true', '', 'use_local_image_pull'],
    ['disable_snapshot_annotations = false', '', 'DisableSnapshotAnnotations'],
    ['discard_unpacked_layers = true', '', 'DiscardUnpackedLayers'],
    ['', '[plugins.\'io.containerd.cri.v1.images\'.registry.mirrors."docker.io"]\nendpoint = ["https://m.test"]', 'Registry.Mirrors'],
    ['', '[plugins.\'io.containerd.cri.v1.images\'.registry.configs."r.test".auth]\nusername = "u"', 'Registry.Configs'],
    ['', '[plugins.\'io.containerd.cri.v1.images\'.registry.auths."https://r.test"]\nusername = "u"', 'Registry.Auths'],
    ['max_concurrent_downloads = 5', '', 'MaxConcurrentDownloads'],
    ['max_concurrent_downloads = 0', '', 'MaxConcurrentDownloads'],
    ['image_pull_with_sync_fs = true', '', 'ImagePullWithSyncFs'],
  ])('v3 file: %s %s → local pull (%s)', async (images, registry, trigger) => {
    expect(await mode(v3(images, registry), '2.1.4')).toEqual({ mode: 'local', trigger });
    expect(await mode(v3(images, registry), '2.0.0')).toEqual({ mode: 'local' });
  });

  it.each([
    'disable_snapshot_annotations = true',
    'discard_unpacked_layers = false',
    'max_concurrent_downloads = 3',
    'image_pull_with_sync_fs = false',
    'use_local_image_pull = false',
  ])('the default value %s keeps the transfer service', async (images) => {
    expect(await mode(v3(images))).toEqual({ mode: 'transfer' });
  });

  it("the first trigger in containerd's order is the one named", async () => {
    expect(await mode(v3('max_concurrent_downloads = 8\ndiscard_unpacked_layers = true'))).toEqual({
      mode: 'local',
      trigger: 'DiscardUnpackedLayers',
    });
  });

  it('version-2 and version-1 files are migrated (cri top level and its containerd table)', async () => {
    const v2 = (body: string) => `version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n${body}\n`;
    expect(await mode(v2('max_concurrent_downloads = 10'))).toEqual({ mode: 'local', trigger: 'MaxConcurrentDownloads' });
    expect(await mode(v2('[plugins."io.containerd.grpc.v1.cri".containerd]\ndiscard_unpacked_layers = true'))).toEqual({
      mode: 'local',
      trigger: 'DiscardUnpackedLayers',
    });
    expect(await mode(v2('[plugins."io.containerd.grpc.v1.cri".containerd]\ndisable_snapshot_annotations = false'))).toEqual({
      mode: 'local',
      trigger: 'DisableSnapshotAnnotations',
    });
    expect(await mode(v2('[plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]\nendpoint = ["https://m.test"]'))).toEqual({
      mode: 'local',
      trigger: 'Registry.Mirrors',
    });
    // a version-2 file's containerd-table key is the CRI plugin's, not a top-level one
    expect(await mode(v2('discard_unpacked_layers = true'))).toEqual({ mode: 'transfer' });
    expect(await mode('[plugins.cri]\nmax_concurrent_downloads = 1\n')).toEqual({ mode: 'local', trigger: 'MaxConcurrentDownloads' });
    expect(await mode(v2('[plugins."io.containerd.grpc.v1.cri".registry]\nconfig_path = "/etc/containerd/certs.d"'))).toEqual({
      mode: 'transfer',
    });
  });
});

describe('hostDirRoots: the directories containerd reads hosts.toml from', () => {
  const roots = async (toml: string, v: string) => {
    const { loaded } = await load({ [CFG]: toml });
    const section = registrySection(loaded.docMerged ?? loaded.doc, loaded.version, V(v));
    return hostDirRoots(section.table, V(v), loaded.version, criPullMode(loaded, V(v)));
  };
  it('a list: split on 2.0 and in local mode, one literal directory in transfer mode', async () => {
    const list = v3('', `config_path = "${LIST}"`);
    expect(await roots(list, '2.0.0')).toEqual(['/etc/containerd/certs.d', '/etc/docker/certs.d']);
    expect(await roots(list, '1.7.13')).toEqual(['/etc/containerd/certs.d', '/etc/docker/certs.d']);
    expect(await roots(list, '2.1.0')).toEqual([LIST]);
    expect(await roots(list, '2.2.7')).toEqual([LIST]);
    expect(await roots(v3('use_local_image_pull = true', `config_path = "${LIST}"`), '2.2.0')).toEqual([
      '/etc/containerd/certs.d',
      '/etc/docker/certs.d',
    ]);
  });
  it('one directory is the same in both modes; the 2.2 default is one literal directory in transfer mode', async () => {
    expect(await roots(v3('', 'config_path = "/etc/containerd/certs.d"'), '2.2.0')).toEqual(['/etc/containerd/certs.d']);
    expect(await roots(v3(), '2.1.4')).toEqual([]);
    expect(await roots(v3(), '2.2.0')).toEqual([LIST]);
    expect(await roots(v3(), '2.2.2')).toEqual([LIST]);
    expect(await roots(v3('max_concurrent_downloads = 4'), '2.2.2')).toEqual(['/etc/containerd/certs.d', '/etc/docker/certs.d']);
  });
});

describe('resolver: a hosts.toml under a config_path list on the transfer service', () => {
  const target = parseTarget('reg.test:5000/team/app:1');
  const hosts = 'server = "https://reg.test:5000"\n[host."https://reg.test:5000"]\n  ca = "/etc/containerd/certs.d/reg.test:5000/ca.crt"\n';
  const tree = (toml: string) => ({
    [CFG]: toml,
    '/etc/containerd/certs.d/reg.test:5000/hosts.toml': hosts,
    '/etc/containerd/certs.d/reg.test:5000/ca.crt': 'x',
  });
  const resolve = async (toml: string, v: string) => {
    const { fs, loaded } = await load(tree(toml));
    return resolveOnNode(fs, loaded, target.registry, V(v), true);
  };

  it('2.2 default config: the hosts.toml is ignored, the default endpoint is used, the fix names the directory', async () => {
    const r = await resolve(v3(), '2.2.0');
    expect(r.pullMode).toEqual({ mode: 'transfer' });
    expect(r.effective.configPath).toEqual([LIST]);
    expect(r.effective.hostsFile).toBeUndefined();
    expect(r.effective.endpoints.map((e) => [e.url, e.tls.caFiles])).toEqual([['https://reg.test:5000/v2', []]]);
    const f = r.findings.find((x) => x.data?.transferIgnored)!;
    expect(f.code).toBe('config-ignored');
    expect(f.summary).toContain(
      '/etc/containerd/certs.d/reg.test:5000/hosts.toml is never read: containerd 2.2.0 pulls through the transfer service',
    );
    expect(f.summary).toContain('Set `config_path = "/etc/containerd/certs.d"`');
    expect(f.summary).toContain('`use_local_image_pull = true`');
    expect(f.evidence?.[0]).toBe(`config_path = ${LIST} (built-in default of this containerd version)`);
    expect(f.evidence?.[2]).toBe(`the transfer service looks for the host in one directory: ${LIST}/reg.test_5000_`);
    expect(f.data).toMatchObject({ singleDir: '/etc/containerd/certs.d', table: ['plugins', 'io.containerd.cri.v1.images', 'registry'] });
    // what the file meant: the local pull's endpoints, with its CA
    const alt = r.alternatives.find((a) => a.index === r.findings.indexOf(f))!;
    expect(alt.intended?.map((e) => [e.url, e.tls.caFiles])).toEqual([
      ['https://reg.test:5000/v2', ['/etc/containerd/certs.d/reg.test:5000/ca.crt']],
      ['https://reg.test:5000/v2', []],
    ]);
    for (const lang of ['zh-CN', 'ja'] as const) expect(messageIn(lang, f.summaryMessage!)).toContain('use_local_image_pull = true');
  });

  it('explicit list on 2.1: the same; on 2.0 and with a local-pull trigger the list is split and the file applies', async () => {
    const list = v3('', `config_path = "${LIST}"`);
    const r21 = await resolve(list, '2.1.0');
    expect(r21.findings.some((x) => x.data?.transferIgnored)).toBe(true);
    expect(r21.findings.find((x) => x.data?.transferIgnored)!.evidence?.[0]).toBe(`config_path = "${LIST}"`);
    for (const [toml, v] of [
      [list, '2.0.0'],
      [v3('use_local_image_pull = true', `config_path = "${LIST}"`), '2.2.0'],
      [v3('discard_unpacked_layers = true', `config_path = "${LIST}"`), '2.1.4'],
      [v3('', 'config_path = "/etc/containerd/certs.d"'), '2.2.0'],
    ] as const) {
      const r = await resolve(toml, v);
      expect(
        r.findings.filter((x) => x.data?.transferIgnored),
        `${v} ${toml}`,
      ).toEqual([]);
      expect(r.effective.hostsFile).toBe('/etc/containerd/certs.d/reg.test:5000/hosts.toml');
      expect(r.effective.endpoints[0]!.tls.caFiles).toEqual(['/etc/containerd/certs.d/reg.test:5000/ca.crt']);
    }
  });

  it('_default under the list is ignored the same way (#12636); a list with nothing for the host is only a note', async () => {
    const fs = memFs({
      [CFG]: v3(),
      '/etc/containerd/certs.d/_default/hosts.toml': '[host."https://mirror.test"]\n  capabilities = ["pull", "resolve"]\n',
    });
    const r = await resolveOnNode(fs, await loadContainerdConfig(fs), parseTarget('docker.io/library/nginx:1').registry, V('2.2.0'), true);
    expect(r.findings.find((x) => x.data?.transferIgnored)?.data?.file).toBe('/etc/containerd/certs.d/_default/hosts.toml');
    expect(r.effective.endpoints.map((e) => e.url)).toEqual(['https://registry-1.docker.io/v2']);
    const empty = await resolve(v3(), '2.2.0').then(async () => {
      const fs2 = memFs({ [CFG]: v3() });
      return resolveOnNode(fs2, await loadContainerdConfig(fs2), target.registry, V('2.2.0'), true);
    });
    expect(empty.findings).toEqual([]);
    expect(empty.notes.join('\n')).toContain('pulls through the transfer service, which reads it as one directory');
  });
});

describe('containerd-config check on a 2.2 node tree, self-signed registry on loopback', () => {
  let reg: TreeRegistry;
  let root: string;
  let port: number;

  beforeAll(async () => {
    reg = await startTreeRegistry('reg.transfer.test', '3');
    ({ root, port } = reg);
  }, 30_000);

  afterAll(() => reg.close());

  const check = async (configToml: string) => {
    await writeFile(path.join(root, 'etc/containerd/config.toml'), configToml);
    const image = `reg.transfer.test:${port}/team/app:1`;
    const s = await runGraph([runtimeInfoCheck, containerdConfigCheck], {
      target: parseTarget(image),
      options: { ...DEFAULT_RUN_OPTIONS, root, containerdVersion: '2.2.0', pull: false, probeTimeoutMs: 3000, goVersion: 'go1.24.0' },
      adapters: createRealAdapters({ root, env: {}, hosts: { 'reg.transfer.test': '127.0.0.1' } }),
    });
    const c = s.checks.find((x) => x.id === 'containerd-config')!;
    return { findings: c.findings, facts: s.facts['containerd-config']!, image, state: s };
  };

  it('default config (version 3, no config_path): the hosts.toml is ignored, the pull is predicted to fail on x509', async () => {
    const { findings, facts, image, state } = await check('version = 3\n');
    expect(facts.effective.configPath).toEqual([LIST]);
    expect(facts.effective.endpoints.map((e) => e.tls.caFiles)).toEqual([[]]);
    const f = findings.find((x) => x.data?.transferIgnored)!;
    expect(f.severity).toBe('critical');
    expect(f.predictedRuntimeError).toContain(`failed to pull and unpack image "${image}"`);
    expect(f.predictedRuntimeError).toContain('x509: certificate signed by unknown authority');
    const fixes = proposeFixes(f, { target: state.target, facts: state.facts, inputs: {} });
    expect(fixes.map((x) => x.id)).toEqual(['single-config-path']);
    const fix = fixes[0]!;
    expect(fix.actions[0]).toMatchObject({
      kind: 'edit-toml',
      path: '/etc/containerd/config.toml',
      edit: { table: ['plugins', 'io.containerd.cri.v1.images', 'registry'], set: { config_path: '/etc/containerd/certs.d' } },
    });
    expect(fix.restartRequired).toBe(true);
    // the other hosts.toml files under that directory take effect too: said loudly where the change is confirmed
    expect((fix.actions[0] as { description?: string }).description).toMatch(
      /WARNING: every hosts\.toml under \/etc\/containerd\/certs\.d then takes effect/,
    );
    // a CA fix planned on this node writes where the local pull and a single-directory config_path read, and sets
    // that config_path — never under the list taken as one directory
    const untrusted = { ...f, code: 'untrusted-ca' as const };
    const ca1 = proposeFixes(untrusted, { target: state.target, facts: state.facts, inputs: { ca: reg.caPem } })[0]!;
    const paths = ca1.actions.map((a) => ('path' in a ? a.path : a.kind));
    expect(paths.some((p) => p.includes(LIST))).toBe(false);
    expect(paths).toContain(`/etc/containerd/certs.d/reg.transfer.test:${port}/hosts.toml`);
    expect(ca1.actions.find((a) => a.kind === 'edit-toml')).toMatchObject({ edit: { set: { config_path: '/etc/containerd/certs.d' } } });
    expect((ca1.actions.find((a) => a.kind === 'edit-toml') as { description?: string }).description).toContain('WARNING');
    expect(ca1.restartRequired).toBe(true);
  });

  it('config_path = "/etc/containerd/certs.d": the hosts.toml is honoured (its CA), no finding', async () => {
    const { findings, facts } = await check(
      `version = 3\n[plugins.'io.containerd.cri.v1.images'.registry]\n  config_path = "/etc/containerd/certs.d"\n`,
    );
    expect(findings.filter((x) => x.data?.transferIgnored)).toEqual([]);
    expect(facts.effective.hostsFile).toBe(path.posix.join('/etc/containerd/certs.d', `reg.transfer.test:${port}`, 'hosts.toml'));
    expect(facts.effective.endpoints[0]!.tls.caFiles).toEqual([`/etc/containerd/certs.d/reg.transfer.test:${port}/ca.crt`]);
  });
});
