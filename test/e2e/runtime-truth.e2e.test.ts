// The runtime model against the real containerd (issue 13, items 1–4): for each configuration trap a real CRI pull
// runs in the lab and regdoctor's verdict and top prediction must equal what containerd really does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Lab, labMode, type LabRegistry } from '../lab/lab.js';

const mode = labMode();
let lab: Lab;
let reg: LabRegistry;

interface Finding {
  code: string;
  severity: string;
  summary: string;
  predictedRuntimeError?: string;
}

describe.skipIf(!mode.run)(`runtime truth: containerd's configuration traps${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  beforeAll(async () => {
    // no trustCa: the tests write the registry's certs.d entries themselves
    lab = await Lab.start({ registries: [{ kind: 'healthy' }] });
    reg = lab.registries[0]!;
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
  });

  const certsd = (name: string) => lab.hostPath(`/etc/containerd/certs.d/${name}`);

  async function writeDir(name: string, files: Record<string, string>) {
    const dir = certsd(name);
    await mkdir(dir, { recursive: true });
    for (const [f, text] of Object.entries(files)) await writeFile(path.join(dir, f), text);
    return dir;
  }

  async function clean() {
    for (const n of [reg.hostPort, reg.host, `${reg.host}_5000_`]) await rm(certsd(n), { recursive: true, force: true });
  }

  async function diagnose(image = reg.image) {
    const r = await lab.runCli(['diagnose', image, '--json', '--no-pull']);
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as { verdict: { code: string; predictedRuntimeError?: string }; findings: Finding[] };
  }

  it('1. a hosts.toml under certs.d/<host>/ (port left out) is not read for host:5000: config-ignored with the move, exact error', async () => {
    await clean();
    try {
      await writeDir(reg.host, {
        'ca.crt': lab.pki.root.certPem,
        'hosts.toml': `server = "https://${reg.hostPort}"\n\n[host."https://${reg.hostPort}"]\n  ca = "ca.crt"\n`,
      });
      const pull = await lab.pull(reg.image);
      expect(pull.ok).toBe(false);
      const report = await diagnose();
      expect(report.verdict.code).toBe('config-ignored');
      expect(report.verdict.predictedRuntimeError).toBe(pull.ok ? undefined : pull.message);
      const f = report.findings.find((x) => x.code === 'config-ignored')!;
      expect(f.summary).toContain(`mv /etc/containerd/certs.d/${reg.host} /etc/containerd/certs.d/${reg.hostPort}`);
      // the verdict is the misplaced file, ranked above the x509 symptom it causes
      expect(report.findings[0]!.code).toBe('config-ignored');
      // the move regdoctor names is the fix: containerd reads the directory once it has the port
      await rename(certsd(reg.host), certsd(reg.hostPort));
      expect((await lab.pull(reg.image)).ok).toBe(true);
      expect((await diagnose()).verdict.code).toBe('healthy');
    } finally {
      await clean();
    }
  });

  it('2a. a hosts.toml without a [host] table does not decode: the fallback has no CA, config-ignored is the cause, exact error', async () => {
    await clean();
    try {
      await writeDir(reg.hostPort, {
        'lab-root.pem': lab.pki.root.certPem,
        'hosts.toml': `server = "https://${reg.hostPort}"\nca = "lab-root.pem"\n`,
      });
      const pull = await lab.pull(reg.image);
      expect(pull.ok).toBe(false);
      const report = await diagnose();
      expect(report.verdict.code).toBe('config-ignored');
      expect(report.verdict.predictedRuntimeError).toBe(pull.ok ? undefined : pull.message);
      expect(report.findings[0]!.summary).toMatch(/does not decode on containerd 1\.6\.\d+: invalid `host` tree/);
      expect(await lab.log('containerd')).toContain('failed to decode hosts.toml');
    } finally {
      await clean();
    }
  });

  it('2b. the same undecodable file with a ca.crt beside it pulls through the Docker-style fallback: healthy, with the warning', async () => {
    await clean();
    try {
      await writeDir(reg.hostPort, {
        'ca.crt': lab.pki.root.certPem,
        'hosts.toml': `server = "https://${reg.hostPort}"\nca = "ca.crt"\n`,
      });
      expect((await lab.pull(reg.image)).ok).toBe(true);
      const report = await diagnose();
      expect(report.verdict.code).toBe('healthy');
      const w = report.findings.find((x) => x.code === 'config-ignored' && /does not decode/.test(x.summary))!;
      expect(w.severity).toBe('warning');
      expect(w.summary).toMatch(/only through this fallback/);
    } finally {
      await clean();
    }
  });

  it('3. insecure_skip_verify in hosts.toml is silently ignored: flagged with skip_verify, and it is the cause of the x509 error', async () => {
    await clean();
    try {
      await writeDir(reg.hostPort, {
        'hosts.toml': `server = "https://${reg.hostPort}"\n\n[host."https://${reg.hostPort}"]\n  insecure_skip_verify = true\n`,
      });
      const pull = await lab.pull(reg.image);
      expect(pull.ok).toBe(false);
      const report = await diagnose();
      expect(report.verdict.code).toBe('config-ignored');
      expect(report.verdict.predictedRuntimeError).toBe(pull.ok ? undefined : pull.message);
      const f = report.findings.find((x) => x.code === 'config-ignored')!;
      expect(f.summary).toMatch(/`insecure_skip_verify` in \[host\."https:\/\/[^"]+"\] is not a hosts\.toml key.*`skip_verify`/);
      // and the key it names is the one containerd reads
      await writeDir(reg.hostPort, {
        'hosts.toml': `server = "https://${reg.hostPort}"\n\n[host."https://${reg.hostPort}"]\n  skip_verify = true\n`,
      });
      expect((await lab.pull(reg.image)).ok).toBe(true);
    } finally {
      await clean();
    }
  });

  it('4. a `ca` that cannot be read fails the pull before any request: config-invalid with the exact message, not untrusted-ca', async () => {
    await clean();
    try {
      await writeDir(reg.hostPort, {
        'hosts.toml': `server = "https://${reg.hostPort}"\n\n[host."https://${reg.hostPort}"]\n  ca = "missing.crt"\n`,
      });
      const pull = await lab.pull(reg.image);
      expect(pull.ok).toBe(false);
      expect(pull.ok ? '' : pull.message).toContain(`unable to read CA cert "/etc/containerd/certs.d/${reg.hostPort}/missing.crt"`);
      const report = await diagnose();
      expect(report.verdict.code).toBe('config-invalid');
      expect(report.verdict.predictedRuntimeError).toBe(pull.ok ? undefined : pull.message);
    } finally {
      await clean();
    }
  });
});
