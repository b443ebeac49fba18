// config_path (and the legacy tables a migration removes) held by an IMPORTED file: the planner edits the file whose
// value containerd reads. containerd 1.x replaces a plugin section wholesale with the last loaded file's
// (services/server/config/config.go mergeConfig, v1.7.0 L290-299); 2.x merges config.toml and its imports key by key,
// the last file setting a value winning (cmd/containerd/server/config/config.go mergeConfig, v2.1.4: mergo WithOverride).
// Each case plans through the real containerd-config check over a node tree, applies the planned TOML edits with the
// fix engine's editor, and runs the check again: the edit takes effect — and the same edit of config.toml alone would
// not.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createRealAdapters } from '../../src/app/adapters.js';
import { DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { runGraph } from '../../src/core/engine.js';
import { parseTarget } from '../../src/core/reference.js';
import type { Finding, FixAction, TomlEdit } from '../../src/core/types.js';
import { containerdConfigCheck } from '../../checks/containerd-config.js';
import { runtimeInfoCheck } from '../../checks/runtime-info.js';
import { plannerDirs, proposeFixes, type PlanContext } from '../../src/fix/propose.js';
import { readSnapshot } from '../../src/fix/node-plan.js';
import { editToml } from '../../src/fix/toml-edit.js';
import { planHarden } from '../../src/fix/harden.js';
import type { Facts } from '../../src/core/facts.js';
import { createCA, selfSigned } from '../../src/x509/build.js';
import { messageIn } from '../../src/i18n/index.js';
import {
  loadContainerdConfig,
  parseSemver,
  registryEditFile,
  registryValueFiles,
  runtimeCredential,
  runtimeCredentialRejected,
} from '../../src/runtime/containerd-config.js';
import { memFs } from '../fuzz/memfs.js';

const MAIN = '/etc/containerd/config.toml';
const IMPORT = '/etc/containerd/conf.d/10-registry.toml';
const LIST = '/etc/containerd/certs.d:/etc/docker/certs.d';
const IMAGE = 'reg.test:5000/team/app:1';
const CRI = '[plugins."io.containerd.grpc.v1.cri"';

let root: string | undefined;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = undefined;
});

async function tree(files: Record<string, string>): Promise<string> {
  root = await mkdtemp(path.join(tmpdir(), 'regdoctor-imports-'));
  for (const [p, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, p)), { recursive: true });
    await writeFile(path.join(root, p), text);
  }
  return root;
}

/** The containerd-config check over the tree (no pull, no probe of a real registry: reg.test is a closed loopback port). */
async function diagnose(r: string, containerdVersion: string) {
  const s = await runGraph([runtimeInfoCheck, containerdConfigCheck], {
    target: parseTarget(IMAGE),
    options: { ...DEFAULT_RUN_OPTIONS, root: r, containerdVersion, pull: false, probeTimeoutMs: 500 },
    adapters: createRealAdapters({ root: r, env: {}, hosts: { 'reg.test': '127.0.0.1' } }),
  });
  const c = s.checks.find((x) => x.id === 'containerd-config')!;
  return { state: s, facts: s.facts['containerd-config']!, findings: c.findings as unknown as Finding[] };
}

async function plan(r: string, state: Awaited<ReturnType<typeof diagnose>>['state'], finding: Finding, inputs: PlanContext['inputs'] = {}) {
  const ctx: PlanContext = {
    target: state.target,
    facts: state.facts,
    inputs,
    rawRegistry: state.facts['containerd-config']?.legacyTables,
  };
  const node = await readSnapshot(createRealAdapters({ root: r, env: {} }).fs, plannerDirs(ctx));
  return proposeFixes(finding, { ...ctx, node });
}

const tomlEdits = (actions: FixAction[]) => actions.filter((a): a is Extract<FixAction, { kind: 'edit-toml' }> => a.kind === 'edit-toml');

/** Applies TOML edits to the files under the root, as the fix engine's editor writes them. */
async function apply(r: string, edits: { path: string; edit: TomlEdit }[]): Promise<void> {
  for (const e of edits) {
    const host = path.join(r, e.path);
    await writeFile(host, editToml(await readFile(host, 'utf8'), e.edit));
  }
}

const untrusted: Finding = { code: 'untrusted-ca', severity: 'error', summary: '', evidence: [], fixes: [], source: 'go-verify' };

describe('which file holds the config_path containerd reads (registryEditFile, registryValueFiles)', () => {
  const files = {
    [MAIN]: `version = 2\nimports = ["/etc/containerd/conf.d/*.toml"]\n${CRI}.registry]\n  config_path = "/etc/containerd/certs.d"\n`,
    [IMPORT]: `version = 2\n${CRI}.registry]\n  config_path = "${LIST}"\n`,
    '/etc/containerd/conf.d/20-runtime.toml': `version = 2\n${CRI}.containerd]\n  snapshotter = "overlayfs"\n`,
  };
  it('2.x: the last file that sets the key; 1.x: the last file holding the plugin section, whatever it sets', async () => {
    const loaded = await loadContainerdConfig(memFs(files));
    expect(loaded.sources?.map((s) => s.file)).toEqual([MAIN, IMPORT, '/etc/containerd/conf.d/20-runtime.toml']);
    expect(registryEditFile(loaded, parseSemver('2.1.4')!, 'config_path')).toEqual({
      file: IMPORT,
      table: ['plugins', 'io.containerd.grpc.v1.cri', 'registry'],
      overrides: MAIN,
    });
    expect(registryValueFiles(loaded, parseSemver('2.1.4')!, ['config_path'])).toEqual([IMPORT]);
    // 1.7: 20-runtime.toml's [plugins."io.containerd.grpc.v1.cri"] replaces the whole section: no config_path at all,
    // and only an edit of that file takes effect
    expect(registryEditFile(loaded, parseSemver('1.7.13')!, 'config_path').file).toBe('/etc/containerd/conf.d/20-runtime.toml');
    expect(registryValueFiles(loaded, parseSemver('1.7.13')!, ['config_path'])).toEqual([]);
  });

  it("an import's own imports are read after it, relative to its directory (LoadConfig's queue)", async () => {
    const loaded = await loadContainerdConfig(
      memFs({
        [MAIN]: `version = 2\nimports = ["conf.d/a.toml", "conf.d/b.toml"]\n`,
        '/etc/containerd/conf.d/a.toml': `version = 2\nimports = ["nested/c.toml"]\n${CRI}.registry]\n  config_path = "/a"\n`,
        '/etc/containerd/conf.d/b.toml': `version = 2\n`,
        '/etc/containerd/conf.d/nested/c.toml': `version = 2\n${CRI}.registry]\n  config_path = "/c"\n`,
      }),
    );
    expect(loaded.imports).toEqual([
      '/etc/containerd/conf.d/a.toml',
      '/etc/containerd/conf.d/b.toml',
      '/etc/containerd/conf.d/nested/c.toml',
    ]);
    expect(registryEditFile(loaded, parseSemver('2.0.0')!, 'config_path').file).toBe('/etc/containerd/conf.d/nested/c.toml');
  });
});

describe('the planner edits the file whose config_path wins', () => {
  it('2.1 transfer service, config_path list set by an import: the single-directory edit goes into the import', async () => {
    const ca = createCA({ cn: 'Imports CA' });
    const r = await tree({
      [MAIN]: `version = 2\nimports = ["/etc/containerd/conf.d/*.toml"]\n${CRI}.registry]\n  config_path = "/etc/containerd/certs.d"\n`,
      [IMPORT]: `version = 2\n${CRI}.registry]\n  config_path = "${LIST}"\n`,
      '/etc/containerd/certs.d/reg.test:5000/hosts.toml': `server = "https://reg.test:5000"\n[host."https://reg.test:5000"]\n  ca = "ca.crt"\n`,
      '/etc/containerd/certs.d/reg.test:5000/ca.crt': ca.certPem,
    });
    const before = await diagnose(r, '2.1.4');
    expect(before.facts.configPathEdit).toEqual({
      file: IMPORT,
      table: ['plugins', 'io.containerd.grpc.v1.cri', 'registry'],
      overrides: MAIN,
    });
    expect(before.facts.effective.hostsFile).toBeUndefined();
    const f = before.findings.find((x) => x.data?.transferIgnored)!;
    expect(f.data?.configFile).toBe(IMPORT);
    const [fix] = await plan(r, before.state, f);
    expect(fix!.id).toBe('single-config-path');
    const [edit] = tomlEdits(fix!.actions);
    expect(edit).toMatchObject({ path: IMPORT, edit: { set: { config_path: '/etc/containerd/certs.d' } } });
    // said in the action confirmed: why the import and not config.toml
    expect(edit!.description).toContain(`in ${IMPORT}, not ${MAIN}`);
    expect(edit!.description).toContain('merges config.toml and its imports key by key');
    for (const lang of ['zh-CN', 'ja'] as const) expect(messageIn(lang, edit!.descriptionMessage!)).toContain(IMPORT);

    // the same edit of config.toml alone changes nothing: the import still overrides it
    const mainText = await readFile(path.join(r, MAIN), 'utf8');
    await apply(r, [{ path: MAIN, edit: edit!.edit }]);
    expect((await diagnose(r, '2.1.4')).facts.effective.hostsFile).toBeUndefined();
    await writeFile(path.join(r, MAIN), mainText);
    // the planned edit takes effect: the hosts.toml and its CA are read
    await apply(r, [edit!]);
    const after = await diagnose(r, '2.1.4');
    expect(after.facts.effective.configPath).toEqual(['/etc/containerd/certs.d']);
    expect(after.facts.effective.hostsFile).toBe('/etc/containerd/certs.d/reg.test:5000/hosts.toml');
    expect(after.findings.filter((x) => x.data?.transferIgnored)).toEqual([]);
  });

  // a legacy node whose import carries the CRI plugin section (a drop-in from a package or a config tool)
  const legacyTree = {
    [MAIN]: [
      'version = 2',
      'imports = ["/etc/containerd/conf.d/*.toml"]',
      `${CRI}.registry.mirrors."reg.test:5000"]`,
      '  endpoint = ["https://mirror-main.test"]',
      '',
    ].join('\n'),
    [IMPORT]: [
      'version = 2',
      `${CRI}]`,
      '  sandbox_image = "registry.k8s.io/pause:3.9"',
      `${CRI}.registry.mirrors."reg.test:5000"]`,
      '  endpoint = ["https://mirror.test"]',
      '',
    ].join('\n'),
  };

  it('1.7, the import replaces the CRI section wholesale: config_path and the removal of its mirrors both go into the import', async () => {
    const r = await tree(legacyTree);
    const before = await diagnose(r, '1.7.13');
    expect(before.facts.effective.mode).toBe('legacy');
    expect(before.facts.effective.endpoints[0]!.url).toBe('https://mirror.test/v2');
    expect(before.facts.configPathEdit).toMatchObject({ file: IMPORT, overrides: MAIN });
    const [fix] = await plan(r, before.state, untrusted, { ca: createCA({ cn: 'Legacy CA' }).certPem });
    const edits = tomlEdits(fix!.actions);
    expect(edits.map((e) => [e.path, e.edit.set, e.edit.removeTables])).toEqual([
      [IMPORT, { config_path: '/etc/containerd/certs.d' }, [['mirrors', 'reg.test:5000']]],
    ]);
    expect(edits[0]!.description).toContain('takes the whole [plugins.io.containerd.grpc.v1.cri] section from the last file');
    // config.toml edited instead: its section is still replaced by the import's, nothing changes
    const mainText = await readFile(path.join(r, MAIN), 'utf8');
    await apply(r, [{ path: MAIN, edit: edits[0]!.edit }]);
    expect((await diagnose(r, '1.7.13')).facts.effective.mode).toBe('legacy');
    await writeFile(path.join(r, MAIN), mainText);
    await apply(r, edits);
    const after = await diagnose(r, '1.7.13');
    expect(after.facts.effective.mode).toBe('hosts-toml');
    expect(after.facts.effective.configPath).toEqual(['/etc/containerd/certs.d']);
    expect(after.findings.filter((x) => x.code === 'config-conflict')).toEqual([]);
  });

  it('2.0, the files merge: config_path goes into config.toml, the mirror is removed from both files that set it', async () => {
    const r = await tree(legacyTree);
    const before = await diagnose(r, '2.0.0');
    expect(before.facts.effective.mode).toBe('legacy');
    expect(before.facts.configPathEdit).toEqual({ file: MAIN, table: ['plugins', 'io.containerd.grpc.v1.cri', 'registry'] });
    expect(before.facts.legacyTableFiles).toEqual([{ table: ['mirrors', 'reg.test:5000'], files: [MAIN, IMPORT] }]);
    const [fix] = await plan(r, before.state, untrusted, { ca: createCA({ cn: 'Legacy CA' }).certPem });
    const edits = tomlEdits(fix!.actions);
    expect(edits.map((e) => [e.path, e.edit.set, e.edit.removeTables])).toEqual([
      [MAIN, { config_path: '/etc/containerd/certs.d' }, [['mirrors', 'reg.test:5000']]],
      [IMPORT, undefined, [['mirrors', 'reg.test:5000']]],
    ]);
    expect(edits[0]!.description).not.toContain(' not ');
    // config.toml's edit alone leaves the import's mirror beside config_path: the CRI plugin would not load
    const importText = await readFile(path.join(r, IMPORT), 'utf8');
    await apply(r, [edits[0]!]);
    expect((await diagnose(r, '2.0.0')).findings.map((x) => x.code)).toContain('config-conflict');
    await writeFile(path.join(r, IMPORT), importText);
    await apply(r, [edits[1]!]);
    const after = await diagnose(r, '2.0.0');
    expect(after.facts.effective.mode).toBe('hosts-toml');
    expect(after.findings.filter((x) => x.code === 'config-conflict')).toEqual([]);
  });

  it("containerd's own credential held by an import: the rejected table is replaced where it is", async () => {
    const r = await tree({
      [MAIN]: `version = 2\nimports = ["/etc/containerd/conf.d/*.toml"]\n`,
      [IMPORT]: `version = 2\n${CRI}.registry.configs."reg.test:5000".auth]\n  username = "old"\n  password = "old-secret"\n`,
    });
    const fs = createRealAdapters({ root: r, env: {} }).fs;
    for (const version of ['1.7.13', '2.1.4']) {
      const { state, facts } = await diagnose(r, version);
      expect(facts.effective.legacyAuth?.source).toBe('configs."reg.test:5000".auth');
      const cred = (await runtimeCredential(fs, MAIN, 'reg.test:5000', parseSemver(version)!))!;
      expect(cred.file).toBe(IMPORT);
      const rejected = runtimeCredentialRejected(
        { code: 'unauthorized', severity: 'error', summary: '401', evidence: [] },
        cred,
        'reg.test:5000',
      ) as unknown as Finding;
      const fixes = await plan(r, state, { ...rejected, fixes: [], source: 'registry-api' }, { username: 'robot', password: 'n3w' });
      const fix = fixes.find((x) => x.id === 'containerd-auth')!;
      const [edit] = tomlEdits(fix.actions);
      expect(edit!.path).toBe(IMPORT);
      const importText = await readFile(path.join(r, IMPORT), 'utf8');
      await apply(r, [edit!]);
      expect(await runtimeCredential(fs, MAIN, 'reg.test:5000', parseSemver(version)!)).toMatchObject({ username: 'robot', file: IMPORT });
      await writeFile(path.join(r, IMPORT), importText);
    }
  });
});

describe('fix --harden with imports: one file where the migration takes effect, or refused', () => {
  const leaf = selfSigned({ cn: 'reg.test', dns: ['reg.test'] });
  /** The real check's facts over the tree, plus what node-hygiene and the probes would say (as test/fix/harden.test.ts). */
  const harden = async (r: string, version: string, deprecated: string[]) => {
    const { state } = await diagnose(r, version);
    const cfg = state.facts['containerd-config']!;
    const skip = cfg.effective.endpoints.filter((e) => e.tls.skipVerify);
    const facts = {
      ...state.facts,
      'tls-handshake': { serverName: 'reg.test', endpoint: { url: 'https://reg.test:5000/v2' } },
      'cert-chain': { certs: [{ info: leaf.info, index: 0 }], pool: [] },
      'node-hygiene': {
        skipVerify: skip.map((e) => ({ url: e.url, source: e.source, certificate: 'self-signed', trustSha256: leaf.info.sha256 })),
        deprecated,
        plainHttp: [],
        exposed: [],
      },
      'cri-pull': { ok: true, endpoint: 'x', runtime: 'containerd', durationMs: 1 },
    } as unknown as Facts;
    return planHarden({ target: parseTarget(IMAGE), facts, findings: [], inputs: {}, now: new Date() });
  };

  it('1.6: the import carries the CRI section with configs.tls skip_verify — the config edit goes into the import', async () => {
    const r = await tree({
      [MAIN]: `version = 2\nimports = ["/etc/containerd/conf.d/*.toml"]\n${CRI}.registry.configs."reg.test:5000".tls]\n  insecure_skip_verify = false\n`,
      [IMPORT]: `version = 2\n${CRI}]\n  sandbox_image = "pause:3.9"\n${CRI}.registry.configs."reg.test:5000".tls]\n  insecure_skip_verify = true\n`,
    });
    const p = await harden(r, '1.6.20', ['configs."reg.test:5000".tls']);
    expect(p.kind).toBe('plan');
    const edits = p.kind === 'plan' ? p.stages.flatMap((st) => tomlEdits(st.actions)).filter((e) => !e.path.endsWith('/hosts.toml')) : [];
    expect(edits.map((e) => [e.path, e.edit.set])).toEqual([[IMPORT, { config_path: '/etc/containerd/certs.d' }]]);
  });

  it('2.0: the migrated mirror is set in both files (merged) — refused, naming them', async () => {
    const r = await tree({
      [MAIN]: `version = 2\nimports = ["/etc/containerd/conf.d/*.toml"]\n${CRI}.registry.mirrors."reg.test:5000"]\n  endpoint = ["https://a.test"]\n`,
      [IMPORT]: `version = 2\n${CRI}.registry.mirrors."reg.test:5000"]\n  endpoint = ["https://b.test"]\n`,
    });
    const p = await harden(r, '2.0.0', ['mirrors."reg.test:5000"']);
    expect(p.kind).toBe('blocked');
    expect(p.kind === 'blocked' && p.reason).toContain(`more than one file (${MAIN}, ${IMPORT})`);
  });
});
