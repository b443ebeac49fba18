// An imported file that carries the CRI plugin section, against the real containerd 1.6.20: containerd 1.x replaces a
// plugin section wholesale with the last loaded file's (services/server/config/config.go mergeConfig, v1.6/v1.7), so
// config.toml's `config_path` is lost and the registry's CA in certs.d is never read. regdoctor must predict the real
// pull's error, and `fix --ca` must set config_path in the import — where containerd reads it — not in config.toml
// (which already says it): the real pull then works, and one rollback restores every file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Lab, labMode, type LabRegistry } from '../lab/lab.js';
import { snapshotTree } from '../lab/snapshot.js';

const mode = labMode();
const IMPORT = '/etc/containerd/conf.d/10-cri.toml';

interface Report {
  verdict: { code: string; predictedRuntimeError?: string };
  findings: { code: string; severity: string; summary: string; fixes: { id: string; actions: { kind: string; path?: string }[] }[] }[];
}

describe.skipIf(!mode.run)(`an import replacing the CRI section (containerd 1.6.20)${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  let lab: Lab;
  let reg: LabRegistry;
  let caFile: string;
  const etc = () => lab.hostPath('/etc/containerd');

  beforeAll(async () => {
    lab = await Lab.start({ registries: [{ kind: 'private-ca' }] });
    reg = lab.registries[0]!;
    caFile = path.join(lab.base, 'private-root.crt');
    writeFileSync(caFile, lab.pki.privateRoot.certPem);
    const base = lab.containerdConfig();
    expect(base).toContain('config_path = "/etc/containerd/certs.d"');
    writeFileSync(
      path.join(etc(), 'config.toml'),
      base.replace(/^version = 2\n/, 'version = 2\nimports = ["/etc/containerd/conf.d/*.toml"]\n'),
    );
    mkdirSync(path.join(etc(), 'conf.d'), { recursive: true });
    // a drop-in that restates the lab's CRI settings without a registry table (as a package or config tool writes one)
    writeFileSync(
      lab.hostPath(IMPORT),
      [
        'version = 2',
        '[plugins."io.containerd.grpc.v1.cri"]',
        '  disable_tcp_service = true',
        '  [plugins."io.containerd.grpc.v1.cri".containerd]',
        '    snapshotter = "native"',
        '',
      ].join('\n'),
    );
    await lab.restartContainerd();
  }, 90_000);
  afterAll(async () => {
    await lab?.stop();
  });

  it('the prediction is the real error; fix --ca sets config_path in the import, the real pull works; rollback restores', async () => {
    const before = snapshotTree(etc(), { dirModes: true });
    const failing = await lab.pull(reg.image);
    expect(failing.ok).toBe(false);

    const d = await lab.runCli(['diagnose', reg.image, '--json', '--no-pull']);
    expect(d.stderr).toBe('');
    const report = JSON.parse(d.stdout) as Report;
    expect(report.verdict.predictedRuntimeError).toBe(failing.ok ? undefined : failing.message);
    // config.toml's registry table is lost to the import's section: said, naming both files
    const lost = report.findings.find((f) => f.code === 'config-ignored' && f.summary.includes(IMPORT))!;
    expect(lost.severity).toBe('error');
    expect(lost.summary).toContain('/etc/containerd/config.toml');

    // --restart-cmd asks the test to restart the lab's containerd and waits until it did
    const restarts = lab.serveRestarts();
    try {
      const fix = await lab.runCli(['fix', reg.image, '--yes', '--ca', caFile, '--restart-cmd', restarts.cmd], { timeoutMs: 120_000 });
      expect(fix.stderr).toBe('');
      expect(fix.stdout).toContain(`in ${IMPORT}, not /etc/containerd/config.toml`);
      expect(fix.stdout).toContain('verified: a real CRI pull now succeeds');
      expect(fix.code).toBe(0);
      expect(restarts.count).toBe(1);
      expect(readFileSync(lab.hostPath(IMPORT), 'utf8')).toMatch(/config_path = "\/etc\/containerd\/certs\.d"/);
      // config.toml itself is untouched (its config_path was there all along, and not read)
      expect(snapshotTree(etc(), { dirModes: true })[path.join(etc(), 'config.toml')]).toBe(before[path.join(etc(), 'config.toml')]);
      // the pull after the fix reads the written hosts.toml without a decode error
      await lab.removeImage(reg.image);
      const decodeBefore = await lab.decodeErrors();
      expect((await lab.pull(reg.image)).ok).toBe(true);
      expect(await lab.decodeErrors()).toBe(decodeBefore);
      await lab.removeImage(reg.image);

      const rb = await lab.runCli(['rollback', '--restart-cmd', restarts.cmd]);
      expect(rb.code, rb.stdout + rb.stderr).toBe(0);
      expect(snapshotTree(etc(), { dirModes: true })).toEqual(before);
      expect((await lab.pull(reg.image)).ok).toBe(false);
    } finally {
      await restarts.stop();
    }
  }, 240_000);
});
