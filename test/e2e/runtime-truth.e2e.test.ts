// The runtime model against the real containerd (issue 13, items 1–4): for each configuration trap a real CRI pull
// runs in the lab and regdoctor's verdict and top prediction must equal what containerd really does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rename, rm } from 'node:fs/promises';
import { Lab, labMode, type LabRegistry } from '../lab/lab.js';
import { cleanCase, diagnoseInLab, expectPredictedFailure } from '../lab/truth.js';

const mode = labMode();
let lab: Lab;
let reg: LabRegistry;

describe.skipIf(!mode.run)(`runtime truth: containerd's configuration traps${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  beforeAll(async () => {
    // no trustCa: the tests write the registry's certs.d entries themselves
    lab = await Lab.start({ registries: [{ kind: 'healthy' }] });
    reg = lab.registries[0]!;
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
  });

  async function clean() {
    for (const n of [reg.hostPort, reg.host, `${reg.host}_5000_`]) await rm(lab.certsDir(n), { recursive: true, force: true });
  }

  const diagnose = (image = reg.image) => diagnoseInLab(lab, image);

  it('1. a hosts.toml under certs.d/<host>/ (port left out) is not read for host:5000: config-ignored with the move, exact error', async () => {
    await cleanCase(clean, async () => {
      await lab.writeCertsDir(reg.host, {
        'ca.crt': lab.pki.root.certPem,
        'hosts.toml': `server = "https://${reg.hostPort}"\n\n[host."https://${reg.hostPort}"]\n  ca = "ca.crt"\n`,
      });
      const { report } = await expectPredictedFailure(lab, reg.image, 'config-ignored');
      const f = report.findings.find((x) => x.code === 'config-ignored')!;
      expect(f.summary).toContain(`mv /etc/containerd/certs.d/${reg.host} /etc/containerd/certs.d/${reg.hostPort}`);
      // the verdict is the misplaced file, ranked above the x509 symptom it causes
      expect(report.findings[0]!.code).toBe('config-ignored');
      // the move regdoctor names is the fix: containerd reads the directory once it has the port
      await rename(lab.certsDir(reg.host), lab.certsDir(reg.hostPort));
      expect((await lab.pull(reg.image)).ok).toBe(true);
      expect((await diagnose()).verdict.code).toBe('healthy');
    });
  });

  it('1b. for a reference without a port, certs.d/<host>:443/ is not read either: config-ignored with the move, exact error', async () => {
    const lab443 = await Lab.start({ registries: [{ kind: 'healthy', port: 443 }] });
    try {
      const r = lab443.registries[0]!;
      expect(r.image).toBe(`${r.host}/lab/hello:1.0`);
      const dir = await lab443.writeCertsDir(`${r.host}:443`, {
        'ca.crt': lab443.pki.root.certPem,
        'hosts.toml': `server = "https://${r.host}"\n\n[host."https://${r.host}"]\n  ca = "ca.crt"\n`,
      });
      const { report } = await expectPredictedFailure(lab443, r.image, 'config-ignored');
      expect(report.findings[0]!.summary).toContain(`mv /etc/containerd/certs.d/${r.host}:443 /etc/containerd/certs.d/${r.host}`);
      await rename(dir, lab443.certsDir(r.host));
      expect((await lab443.pull(r.image)).ok).toBe(true);
    } finally {
      await lab443.stop();
    }
  }, 60_000);

  it('2a. a hosts.toml without a [host] table does not decode: the fallback has no CA, config-ignored is the cause, exact error', async () => {
    await cleanCase(clean, async () => {
      await lab.writeCertsDir(reg.hostPort, {
        'lab-root.pem': lab.pki.root.certPem,
        'hosts.toml': `server = "https://${reg.hostPort}"\nca = "lab-root.pem"\n`,
      });
      const { report } = await expectPredictedFailure(lab, reg.image, 'config-ignored');
      expect(report.findings[0]!.summary).toMatch(/does not decode on containerd 1\.6\.\d+: invalid `host` tree/);
      expect(await lab.log('containerd')).toContain('failed to decode hosts.toml');
    });
  });

  it('2b. the same undecodable file with a ca.crt beside it pulls through the Docker-style fallback: healthy, with the warning', async () => {
    await cleanCase(clean, async () => {
      await lab.writeCertsDir(reg.hostPort, {
        'ca.crt': lab.pki.root.certPem,
        'hosts.toml': `server = "https://${reg.hostPort}"\nca = "ca.crt"\n`,
      });
      expect((await lab.pull(reg.image)).ok).toBe(true);
      const report = await diagnose();
      expect(report.verdict.code).toBe('healthy');
      const w = report.findings.find((x) => x.code === 'config-ignored' && /does not decode/.test(x.summary))!;
      expect(w.severity).toBe('warning');
      expect(w.summary).toMatch(/only through this fallback/);
    });
  });

  it.each([
    ['a wrong type', (hp: string) => `[host."https://${hp}"]\n  ca = "lab-root.pem"\n  skip_verify = "no"\n`, /skip_verify is a string/],
    ['a TOML syntax error', (hp: string) => `[host."https://${hp}"]\n  ca = "lab-root.pem\n`, /does not parse \(line 2/],
  ])('2c. %s: the file is ignored too, the fallback fails, config-ignored is the cause, exact error', async (_what, body, why) => {
    await cleanCase(clean, async () => {
      await lab.writeCertsDir(reg.hostPort, { 'lab-root.pem': lab.pki.root.certPem, 'hosts.toml': body(reg.hostPort) });
      const { report } = await expectPredictedFailure(lab, reg.image, 'config-ignored');
      expect(report.findings[0]!.summary).toMatch(why);
    });
  });

  it('3. insecure_skip_verify in hosts.toml is silently ignored: flagged with skip_verify, and it is the cause of the x509 error', async () => {
    await cleanCase(clean, async () => {
      await lab.writeCertsDir(reg.hostPort, {
        'hosts.toml': `server = "https://${reg.hostPort}"\n\n[host."https://${reg.hostPort}"]\n  insecure_skip_verify = true\n`,
      });
      const { report } = await expectPredictedFailure(lab, reg.image, 'config-ignored');
      const f = report.findings.find((x) => x.code === 'config-ignored')!;
      expect(f.summary).toMatch(/`insecure_skip_verify` in \[host\."https:\/\/[^"]+"\] is not a hosts\.toml key.*`skip_verify`/);
      // and the key it names is the one containerd reads
      await lab.writeCertsDir(reg.hostPort, {
        'hosts.toml': `server = "https://${reg.hostPort}"\n\n[host."https://${reg.hostPort}"]\n  skip_verify = true\n`,
      });
      expect((await lab.pull(reg.image)).ok).toBe(true);
    });
  });

  it('4. a `ca` that cannot be read fails the pull before any request: config-invalid with the exact message, not untrusted-ca', async () => {
    await cleanCase(clean, async () => {
      await lab.writeCertsDir(reg.hostPort, {
        'hosts.toml': `server = "https://${reg.hostPort}"\n\n[host."https://${reg.hostPort}"]\n  ca = "missing.crt"\n`,
      });
      const { message } = await expectPredictedFailure(lab, reg.image, 'config-invalid');
      expect(message).toContain(`unable to read CA cert "/etc/containerd/certs.d/${reg.hostPort}/missing.crt"`);
    });
  });
});
