// runtime-drift and containerd 2.1+'s pull mode. The drift check compares the registry table the running containerd
// reports over CRI (Status verbose `config`) with config.toml, and models the pull both ways when they differ. The
// pull mode (transfer service: config_path is ONE directory; local pull: a ':' list is split) is decided by settings
// outside the registry table (CheckLocalImagePullConfigs, internal/cri/config/config.go v2.1.0 L535-590), which the
// CRI status never carries — both ways take the file's mode (criPullMode). And containerd 2.x reports no registry table
// at all (internal/cri/config/config.go v2.0.0–v2.2.0: Config embeds RuntimeConfig only; the registry lives in the
// images plugin's ImageConfig), so a 2.1+ node's hosts.toml directories are never compared or modelled by the drift
// check. Real check graph over a node tree, a real self-signed registry on loopback; the CRI boundary is a stub
// shaped like each version's Status answer (no containerd 2.x runs here).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { createRealAdapters } from '../../src/app/adapters.js';
import { DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { runGraph } from '../../src/core/engine.js';
import { parseTarget } from '../../src/core/reference.js';
import type { CriAdapter } from '../../src/adapters/cri.js';
import { containerdConfigCheck } from '../../checks/containerd-config.js';
import { runtimeInfoCheck } from '../../checks/runtime-info.js';
import { criPullCheck } from '../../checks/cri-pull.js';
import { runtimeDriftCheck } from '../../checks/runtime-drift.js';
import { startTreeRegistry, type TreeRegistry } from '../helpers/node-root.js';

const LIST = '/etc/containerd/certs.d:/etc/docker/certs.d';
const v3 = (images: string, registry: string) =>
  `version = 3\n[plugins.'io.containerd.cri.v1.images']\n${images}\n[plugins.'io.containerd.cri.v1.images'.registry]\n${registry}\n`;

describe('runtime-drift on a containerd 2.1+ node (pull mode)', () => {
  let reg: TreeRegistry;
  let root: string;
  let port: number;

  beforeAll(async () => {
    reg = await startTreeRegistry('reg.drift.test', '4');
    ({ root, port } = reg);
  }, 30_000);

  afterAll(() => reg.close());

  /** CRI Status as containerd answers it: `config` is the CRI plugin's config JSON. */
  const cri = (version: string, config: Record<string, unknown>): CriAdapter => ({
    detect: async () => ({
      endpoint: 'unix:///run/containerd/containerd.sock',
      runtimeName: 'containerd',
      runtimeVersion: `v${version}`,
      runtimeApiVersion: 'v1',
      conditions: [],
      info: { config: JSON.stringify(config) },
    }),
    pullImage: async () => ({ ok: false, grpcCode: 2, message: 'not pulled in this test', durationMs: 0 }),
    removeImage: async () => ({ ok: true }),
  });

  const run = async (configToml: string, version: string, status: Record<string, unknown>) => {
    await writeFile(path.join(root, 'etc/containerd/config.toml'), configToml);
    const real = createRealAdapters({ root, env: {}, hosts: { 'reg.drift.test': '127.0.0.1' } });
    const s = await runGraph([runtimeInfoCheck, containerdConfigCheck, { ...criPullCheck, wants: [] }, runtimeDriftCheck], {
      target: parseTarget(`reg.drift.test:${port}/team/app:1`),
      options: {
        ...DEFAULT_RUN_OPTIONS,
        root,
        liveRoot: true,
        pull: false,
        containerdVersion: version,
        probeTimeoutMs: 3000,
        goVersion: 'go1.24.0',
      },
      adapters: { ...real, cri: cri(version, status) },
    });
    const drift = s.checks.find((c) => c.id === 'runtime-drift')!;
    return { drift, config: s.facts['containerd-config']!, findings: s.checks.flatMap((c) => c.findings) };
  };

  // containerd 2.2's Status `config`: RuntimeConfig fields, no `registry` (its shape in internal/cri/config/config.go)
  const status2x = {
    containerd: { defaultRuntimeName: 'runc' },
    cni: { binDir: '/opt/cni/bin' },
    enableSelinux: false,
    rootDir: '/var/lib/containerd',
  };

  it('2.2, default config (transfer service, the list ignored): containerd-config reports it, runtime-drift has nothing to compare', async () => {
    const { drift, config, findings } = await run('version = 3\n', '2.2.0', status2x);
    expect(config.effective.hostsFile).toBeUndefined();
    expect(findings.some((f) => f.data?.transferIgnored === true)).toBe(true);
    expect(drift.findings.filter((f) => f.code === 'config-not-applied')).toEqual([]);
    // no registry table came back from CRI: no comparison, no pull modelled both ways
    expect(drift.evidence.join('\n')).not.toMatch(/as containerd runs|matches what containerd loaded/);
  });

  it('a reported registry table equal to the file: no finding, whatever the pull mode (the file decides it both ways)', async () => {
    // use_local_image_pull = true: the local pull splits the list and reads the hosts.toml with its CA; the registry
    // table alone (as CRI would report it) carries no such setting — modelled on its own it would read as the
    // transfer service, ignore the hosts.toml and fail on x509, a restart-only cause that is not there
    const toml = v3('use_local_image_pull = true', `config_path = "${LIST}"`);
    const reported = { ...status2x, registry: { configPath: LIST, mirrors: {}, configs: {} } };
    for (const version of ['2.1.4', '2.2.0']) {
      const { drift, config } = await run(toml, version, reported);
      expect(config.effective.hostsFile).toBe(`/etc/containerd/certs.d/reg.drift.test:${port}/hosts.toml`);
      expect(
        drift.findings.filter((f) => f.code === 'config-not-applied'),
        version,
      ).toEqual([]);
    }
    // the transfer service (no trigger): both ways ignore the hosts.toml alike — still no drift finding
    const { drift } = await run(v3('', `config_path = "${LIST}"`), '2.2.0', reported);
    expect(drift.findings.filter((f) => f.code === 'config-not-applied')).toEqual([]);
  });

  it('a reported table that differs still finds the restart-only cause (same mode both ways)', async () => {
    // the file sets a single config_path (hosts.toml read, pull works); containerd still runs without one (default
    // host, x509): the restart is what is missing
    const toml = v3('use_local_image_pull = true', 'config_path = "/etc/containerd/certs.d"');
    const reported = { ...status2x, registry: { configPath: '', mirrors: {}, configs: {} } };
    const { drift } = await run(toml, '2.1.4', reported);
    const f = drift.findings.find((x) => x.data?.restartOnly === true);
    expect(f?.code).toBe('config-not-applied');
    expect(f?.predictedRuntimeError).toContain('x509: certificate signed by unknown authority');
  });
});
