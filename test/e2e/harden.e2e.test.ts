// `regdoctor fix --harden` end to end (issue 19 item 3), real containerd 1.6: the runbook (legacy
// `configs."h".tls.insecure_skip_verify = true` + the cargo-cult `configs."h".http.skip_verify = true`, no
// config_path) on a self-signed registry, beside a legacy http:// mirror for another registry. Harden, with the
// registry's certificate named by its fingerprint: stage 1 moves every legacy table into hosts.toml exactly (skip_verify
// kept) with the certificate trusted and config_path set, restarts, verifies with a real pull and Go's verification
// with the installed trust; stage 2 removes skip_verify and verifies again. Afterwards verification is on, the legacy
// tables are gone, the real pull works, containerd logged no "failed to decode hosts.toml"; one rollback restores the
// workaround byte for byte. A wrong fingerprint or a CA that does not sign the chain changes nothing, and a stage that
// fails (a restart that fails) leaves the node exactly as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Lab, LAB_RESTART_CMD, labMode, type LabRegistry } from '../lab/lab.js';
import { snapshotTree } from '../lab/snapshot.js';

const mode = labMode();
let lab: Lab;
let self: LabRegistry;
let plain: LabRegistry;
const REG = 'plugins."io.containerd.grpc.v1.cri".registry';
const SELF = 'self-signed.lab.test:5000';
const PLAIN = 'plain-http.lab.test:5000';
const RUNBOOK = `
[${REG}.mirrors."${PLAIN}"]
  endpoint = ["http://${PLAIN}"]
[${REG}.configs."${SELF}".tls]
  insecure_skip_verify = true
[${REG}.configs."${SELF}".http]
  skip_verify = true
`;

interface Finding {
  code: string;
  severity: string;
  host?: string;
  data?: Record<string, unknown>;
}

const snapshot = (dir: string) => snapshotTree(dir);

describe.skipIf(!mode.run)(`fix --harden against a real containerd${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  // --restart-cmd asks the test to restart the lab's containerd and waits until it did (lab.serveRestarts)
  let restarts: ReturnType<Lab['serveRestarts']>;
  const restartCmd = LAB_RESTART_CMD;
  const etc = () => lab.hostPath('/etc/containerd');
  const diagnose = async () => {
    const r = await lab.runCli(['diagnose', self.image, '--json']);
    return JSON.parse(r.stdout) as { verdict: { code: string }; findings: Finding[] };
  };

  beforeAll(async () => {
    lab = await Lab.start({ registries: [{ kind: 'self-signed' }, { kind: 'plain-http' }], legacy: true, extraConfig: RUNBOOK });
    self = lab.registries.find((r) => r.kind === 'self-signed')!;
    plain = lab.registries.find((r) => r.kind === 'plain-http')!;
    writeFileSync(path.join(lab.base, 'self.crt'), self.leaf!.certPem);
    writeFileSync(path.join(lab.base, 'wrong-ca.crt'), lab.pki.root.certPem);
    restarts = lab.serveRestarts();
  }, 60_000);
  afterAll(async () => {
    await restarts?.stop();
    await lab?.stop();
  });

  it('the runbook works and warns; a wrong fingerprint, a CA that does not sign the chain, or a failing stage change nothing', async () => {
    expect((await lab.pull(self.image)).ok).toBe(true);
    const d = await diagnose();
    expect(d.verdict.code).toBe('healthy');
    const codes = d.findings.filter((f) => f.severity === 'warning' && !f.host).map((f) => f.code);
    expect(codes).toContain('verification-disabled');
    expect(codes).toContain('config-deprecated');
    const before = snapshot(etc());

    const dry = await lab.runCli(['fix', '--harden', self.image, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/Stage 1: .*skip-verify kept for now/);
    expect(dry.stdout).toMatch(/Stage 2: Turn certificate verification back on for self-signed\.lab\.test:5000/);
    expect(dry.stdout).toContain('--dry-run: nothing was changed.');
    expect(snapshot(etc())).toEqual(before);

    // trust on first use needs the fingerprint: --yes alone is refused
    const noFp = await lab.runCli(['fix', '--harden', self.image, '--yes', '--restart-cmd', restartCmd]);
    expect(noFp.code).toBe(1);
    expect(noFp.stderr).toContain(`--trust-presented ${self.leaf!.info.sha256}`);
    const wrongFp = await lab.runCli([
      'fix',
      '--harden',
      self.image,
      '--yes',
      '--trust-presented',
      'ab'.repeat(32),
      '--restart-cmd',
      restartCmd,
    ]);
    expect(wrongFp.code).toBe(1);
    expect(wrongFp.stderr).toMatch(/presented a different certificate/);
    const wrongCa = await lab.runCli([
      'fix',
      '--harden',
      self.image,
      '--yes',
      '--ca',
      path.join(lab.base, 'wrong-ca.crt'),
      '--restart-cmd',
      restartCmd,
    ]);
    expect(wrongCa.code).toBe(1);
    expect(wrongCa.stderr).toMatch(/this CA does not sign the registry's chain/);
    expect(snapshot(etc())).toEqual(before);

    // a stage that fails (the restart fails): rolled back, the node as it was, the workaround still works
    const failing = await lab.runCli([
      'fix',
      '--harden',
      self.image,
      '--yes',
      '--ca',
      path.join(lab.base, 'self.crt'),
      '--restart-cmd',
      'false',
    ]);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/restart failed.*rolled back/s);
    expect(snapshot(etc())).toEqual(before);
    expect((await lab.pull(self.image)).ok).toBe(true);
  }, 120_000);

  it('harden with the fingerprint confirmed: verification on, legacy tables gone, real pull works, no decode error; one rollback restores the workaround byte-exact', async () => {
    const before = snapshot(etc());
    const configBefore = readFileSync(path.join(etc(), 'config.toml'), 'utf8');
    const errorsBefore = await lab.decodeErrors();
    const r = await lab.runCli(
      ['fix', '--harden', self.image, '--yes', '--trust-presented', self.leaf!.info.sha256, '--restart-cmd', restartCmd],
      {
        timeoutMs: 120_000,
      },
    );
    expect(r.stderr).toBe('');
    expect(r.code, r.stdout).toBe(0);
    // each stage verified by a real pull before the next one
    expect(r.stdout.match(/✓ verified: a real CRI pull works/g)).toHaveLength(2);
    expect(r.stdout).toMatch(/the certificate verifies with the trust now configured/);
    expect(r.stdout).toMatch(/hardened self-signed\.lab\.test:5000: certificate verification is on, the legacy tables are gone/);

    const config = readFileSync(path.join(etc(), 'config.toml'), 'utf8');
    expect(config).not.toMatch(/configs\."self-signed/);
    expect(config).not.toMatch(/mirrors/);
    expect(config).not.toMatch(/skip_verify/);
    expect(config).toContain('config_path = "/etc/containerd/certs.d"');
    const hosts = readFileSync(path.join(etc(), 'certs.d', SELF, 'hosts.toml'), 'utf8');
    expect(hosts).not.toMatch(/skip_verify/);
    expect(hosts).toMatch(/\[host\."https:\/\/self-signed\.lab\.test:5000"\]\n(.*\n)*\s*ca = "regdoctor-ca-[0-9a-f]{12}\.pem"/);
    // the other legacy registry was migrated exactly and still pulls over http
    expect(readFileSync(path.join(etc(), 'certs.d', PLAIN, 'hosts.toml'), 'utf8')).toContain(`[host."http://${PLAIN}"]`);

    await lab.removeImage(self.image);
    expect((await lab.pull(self.image)).ok).toBe(true);
    expect((await lab.pull(plain.image)).ok).toBe(true);
    expect(await lab.decodeErrors()).toBe(errorsBefore);
    const after = await diagnose();
    expect(after.verdict.code).toBe('healthy');
    expect(after.findings.map((f) => f.code)).not.toContain('verification-disabled');
    expect(after.findings.map((f) => f.code)).not.toContain('config-deprecated');

    const rb = await lab.runCli(['rollback', '--restart-cmd', restartCmd]);
    expect(rb.code, rb.stdout + rb.stderr).toBe(0);
    expect(snapshot(etc())).toEqual(before);
    expect(readFileSync(path.join(etc(), 'config.toml'), 'utf8')).toBe(configBefore);
    // the workaround is back and works again
    await lab.removeImage(self.image);
    expect((await lab.pull(self.image)).ok).toBe(true);
    const back = await diagnose();
    expect(back.findings.map((f) => f.code)).toContain('verification-disabled');
  }, 180_000);
  it('only legacy tables (an http:// mirror): one stage moves every legacy table exactly — the other host keeps its skip-verify — then rollback', async () => {
    const before = snapshot(etc());
    expect((await lab.pull(plain.image)).ok).toBe(true);
    const r = await lab.runCli(['fix', '--harden', plain.image, '--yes', '--restart-cmd', restartCmd], { timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/1 stage,/);
    expect(r.stdout).toMatch(/hardened plain-http\.lab\.test:5000: configured through hosts\.toml, the legacy tables are gone/);
    expect(readFileSync(path.join(etc(), 'config.toml'), 'utf8')).not.toMatch(/mirrors|configs\./);
    // migrated exactly: the self-signed registry keeps its workaround (harden it on its own), and both still pull
    expect(readFileSync(path.join(etc(), 'certs.d', SELF, 'hosts.toml'), 'utf8')).toMatch(/skip_verify = true/);
    await lab.removeImage(plain.image);
    expect((await lab.pull(plain.image)).ok).toBe(true);
    expect((await lab.pull(self.image)).ok).toBe(true);
    const rb = await lab.runCli(['rollback', '--restart-cmd', restartCmd]);
    expect(rb.code, rb.stdout + rb.stderr).toBe(0);
    expect(snapshot(etc())).toEqual(before);
  }, 180_000);
});

describe.skipIf(!mode.run)(`fix --harden on a hosts.toml node (skip_verify in hosts.toml)${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  let lab2: Lab;
  let reg: LabRegistry;
  beforeAll(async () => {
    lab2 = await Lab.start({ registries: [{ kind: 'private-ca' }] });
    reg = lab2.registries[0]!;
    const dir = lab2.hostPath(`/etc/containerd/certs.d/${reg.hostPort}`);
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(dir, { recursive: true });
    await writeFile(
      path.join(dir, 'hosts.toml'),
      `# set by the on-call runbook\nserver = "https://${reg.hostPort}"\n\n[host."https://${reg.hostPort}"]\n  capabilities = ["pull", "resolve"]\n  skip_verify = true # TODO remove\n`,
    );
    writeFileSync(path.join(lab2.base, 'private-root.crt'), lab2.pki.privateRoot.certPem);
  }, 60_000);
  afterAll(async () => {
    await lab2?.stop();
  });

  it('private CA: the CA (--ca, checked against the chain) is added beside skip_verify, verified, then skip_verify goes; rollback restores it byte-exact', async () => {
    const etc2 = lab2.hostPath('/etc/containerd');
    expect((await lab2.pull(reg.image)).ok).toBe(true);
    const before = snapshot(etc2);
    const file = path.join(etc2, 'certs.d', reg.hostPort, 'hosts.toml');
    const text = readFileSync(file, 'utf8');
    const decode = async () => ((await lab2.log('containerd')).match(/failed to decode hosts\.toml/g) ?? []).length;
    const decode0 = await decode();
    const r = await lab2.runCli(['fix', '--harden', reg.image, '--yes', '--ca', path.join(lab2.base, 'private-root.crt')]);
    expect(r.stderr).toBe('');
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).not.toMatch(/restarted/);
    expect(r.stdout).toContain('[no restart]');
    expect(r.stdout.match(/✓ verified: a real CRI pull works/g)).toHaveLength(2);
    const after = readFileSync(file, 'utf8');
    // edited in place: the comment and the layout stay, the CA is added, skip_verify is gone
    expect(after).toContain('# set by the on-call runbook');
    expect(after).toMatch(/ca = \["regdoctor-ca-[0-9a-f]{12}\.pem"\]/);
    expect(after).not.toMatch(/skip_verify/);
    await lab2.removeImage(reg.image);
    expect((await lab2.pull(reg.image)).ok).toBe(true);
    expect(await decode()).toBe(decode0);
    const d = JSON.parse((await lab2.runCli(['diagnose', reg.image, '--json'])).stdout) as {
      verdict: { code: string };
      findings: Finding[];
    };
    expect(d.verdict.code).toBe('healthy');
    expect(d.findings.map((f) => f.code)).not.toContain('verification-disabled');

    const rb = await lab2.runCli(['rollback']);
    expect(rb.code, rb.stdout + rb.stderr).toBe(0);
    expect(snapshot(etc2)).toEqual(before);
    expect(readFileSync(file, 'utf8')).toBe(text);
  }, 120_000);
});
