// End-to-end on a CRI-O-style node: Debian's podman (containers/image, the library CRI-O pulls with) in a private
// namespace with its own /etc/containers. For each TLS fault: podman's real pull fails; regdoctor's prediction equals
// podman's error (CRI-O returns containers/image's error as is — the CRI-O version is unknown here, so no 1.34+
// wrapping); `fix --yes` writes only CRI-O's files (never /etc/containerd) and the pull works; `rollback` restores
// every file and the pull fails again with the same error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CrioLab, crioLabMode, type CrioRegistryKind } from '../lab/crio-lab.js';
import { snapshotTree } from '../lab/snapshot.js';

const mode = crioLabMode();
let lab: CrioLab;
// regdoctor reads the Go version from the runtime binary on a real node; here the pulling binary is podman
let go: string[] = [];

const snapshot = (dir: string) => (existsSync(dir) ? snapshotTree(dir) : {});

interface JsonFinding {
  code: string;
  severity: string;
  predictedRuntimeError?: string;
  fixes: { id: string; actions: { kind: string; path?: string; service?: string }[] }[];
}

describe.skipIf(!mode.run)(`CRI-O node (podman / containers/image)${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  beforeAll(async () => {
    lab = await CrioLab.start(['self-signed', 'private-ca', 'plain-http', 'mtls', 'basic-auth']);
    go = ['--go-version', lab.goVersion()];
    writeFileSync(path.join(lab.base, 'private-root.crt'), lab.pki.privateRoot.certPem);
    writeFileSync(path.join(lab.base, 'client.crt'), lab.pki.client.certPem);
    writeFileSync(path.join(lab.base, 'client.key'), lab.pki.client.keyPem, { mode: 0o600 });
    // mTLS: the server's CA is trusted already (in /etc/docker/certs.d: containers/image reads it when
    // /etc/containers/certs.d has no directory for the host); only the client certificate is missing
    await lab.writeNodeFile(`/etc/docker/certs.d/${lab.registry('mtls').hostPort}/lab-root.crt`, lab.pki.root.certPem);
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
  });

  const cases: [CrioRegistryKind, string, () => string[]][] = [
    ['self-signed', 'self-signed', () => ['--trust-presented', lab.registry('self-signed').leaf!.info.sha256]],
    ['private-ca', 'untrusted-ca', () => ['--ca', path.join(lab.base, 'private-root.crt')]],
    ['plain-http', 'plain-http-registry', () => ['--proposal', 'crio-registries-insecure', '--allow-skip-verify']],
    [
      'mtls',
      'client-cert-required',
      () => ['--client-cert', path.join(lab.base, 'client.crt'), '--client-key', path.join(lab.base, 'client.key')],
    ],
  ];

  for (const [kind, code, extra] of cases) {
    it(`${kind}: prediction = podman's error; fix writes CRI-O's files, the pull works; rollback and it fails again`, async () => {
      const reg = lab.registry(kind);
      const dirs = ['/etc/containers', '/etc/docker'].map((d) => lab.hostPath(d));
      const before = dirs.map(snapshot);
      const failing = await lab.pull(reg.image);
      expect(failing.code).not.toBe(0);

      const diag = await lab.runCli(['diagnose', reg.image, '--json', '--no-pull', ...go]);
      const report = JSON.parse(diag.stdout) as { findings: JsonFinding[] };
      const finding = report.findings.find((f) => f.code === code);
      expect(finding, diag.stdout).toBeDefined();
      expect(finding!.predictedRuntimeError).toBe(failing.error);
      // no containerd edit is proposed on a CRI-O node
      expect(JSON.stringify(finding!.fixes)).not.toMatch(/\/etc\/containerd|hosts\.toml|"service":"containerd"/);

      const fix = await lab.runCli(['fix', reg.image, '--yes', '--no-pull', '--restart-cmd', 'true', ...go, ...extra()]);
      expect(fix.stderr).toBe('');
      expect(fix.code, fix.stdout).toBe(0);
      expect(fix.stdout).not.toMatch(/\/etc\/containerd/);
      const ok = await lab.pull(reg.image);
      expect(ok.error).toBeUndefined();
      expect(dirs.map(snapshot)).not.toEqual(before);

      const rb = await lab.runCli(['rollback']);
      expect(rb.code, rb.stdout + rb.stderr).toBe(0);
      expect(dirs.map(snapshot)).toEqual(before);
      const again = await lab.pull(reg.image);
      expect(again.error).toBe(failing.error);
    });
  }

  it('plain HTTP: the fix is a registries.conf.d drop-in with a reload of crio; a drop-in entry replaces the main one', async () => {
    const reg = lab.registry('plain-http');
    const dry = await lab.runCli([
      'fix',
      reg.image,
      '--dry-run',
      '--no-pull',
      '--proposal',
      'crio-registries-insecure',
      '--allow-skip-verify',
    ]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`+++ /etc/containers/registries.conf.d/99-regdoctor-${reg.host}_5000.conf`);
    expect(dry.stdout).toContain('systemctl reload crio');
    // a drop-in entry for the same location without insecure replaces an insecure main entry: podman fails again
    await lab.writeNodeFile(
      '/etc/containers/registries.conf',
      `unqualified-search-registries = []\n[[registry]]\nlocation = "${reg.hostPort}"\ninsecure = true\n`,
    );
    expect((await lab.pull(reg.image)).error).toBeUndefined();
    await lab.writeNodeFile('/etc/containers/registries.conf.d/50-team.conf', `[[registry]]\nlocation = "${reg.hostPort}"\n`);
    const failing = await lab.pull(reg.image);
    const diag = await lab.runCli(['diagnose', reg.image, '--json', '--no-pull', ...go]);
    const report = JSON.parse(diag.stdout) as { findings: JsonFinding[] };
    expect(report.findings.find((f) => f.code === 'plain-http-registry')?.predictedRuntimeError).toBe(failing.error);
    await lab.removeNodePath('/etc/containers/registries.conf.d/50-team.conf');
    await lab.writeNodeFile('/etc/containers/registries.conf', 'unqualified-search-registries = []\n');
  });

  it("short name and blocked registry: the prediction equals podman's error", async () => {
    const short = await lab.pull('hello:1.0');
    const d1 = JSON.parse((await lab.runCli(['diagnose', 'hello:1.0', '--json', '--no-pull', ...go])).stdout) as {
      findings: JsonFinding[];
    };
    expect(d1.findings.map((f) => f.predictedRuntimeError)).toEqual([short.error]);
    const reg = lab.registry('private-ca');
    await lab.writeNodeFile(
      '/etc/containers/registries.conf.d/10-policy.conf',
      `[[registry]]\nlocation = "${reg.hostPort}"\nblocked = true\n`,
    );
    try {
      const blocked = await lab.pull(reg.image);
      expect(blocked.error).toMatch(/is blocked in/);
      const d2 = JSON.parse((await lab.runCli(['diagnose', reg.image, '--json', '--no-pull', ...go])).stdout) as {
        findings: JsonFinding[];
      };
      expect(d2.findings.find((f) => f.code === 'config-conflict')?.predictedRuntimeError).toBe(blocked.error);
    } finally {
      await lab.removeNodePath('/etc/containers/registries.conf.d/10-policy.conf');
    }
  });

  it('basic auth without credentials: CRI-O words it as the manifest read, as podman does', async () => {
    const reg = lab.registry('basic-auth');
    await lab.writeNodeFile(`/etc/containers/certs.d/${reg.hostPort}/lab-root.crt`, lab.pki.root.certPem);
    try {
      const failing = await lab.pull(reg.image);
      const diag = await lab.runCli(['diagnose', reg.image, '--json', '--no-pull', ...go]);
      const report = JSON.parse(diag.stdout) as { findings: JsonFinding[] };
      const f = report.findings.find((x) => x.code === 'credentials-missing');
      expect(f, diag.stdout).toBeDefined();
      expect(f!.predictedRuntimeError).toBe(failing.error);
    } finally {
      await lab.removeNodePath(`/etc/containers/certs.d/${reg.hostPort}`);
    }
  });
});
