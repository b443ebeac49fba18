// Issue 14: one guided `fix --yes` session fixes every blocking cause in causal order (trust, then the client
// certificate), verified by a real CRI pull, and one `rollback` undoes every round byte for byte (modes included).
// `--allow-skip-verify` selects skip-verify only when nothing else applies; plain HTTP still gets the http:// entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, labMode } from '../lab/lab.js';
import { writeTrustFiles } from '../lab/pki-files.js';
import { snapshotTree } from '../lab/snapshot.js';

const mode = labMode();
let lab: Lab;
/** --ca, --client-cert and --client-key naming the lab's CA and client pair (written in beforeAll). */
let trustArgs: string[] = [];

const snapshot = (dir: string) => snapshotTree(dir, { dirModes: true });

describe.skipIf(!mode.run)(`guided fix session against a real containerd${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  beforeAll(async () => {
    lab = await Lab.start({
      registries: [{ kind: 'mtls' }, { kind: 'san-mismatch', trustCa: true }, { kind: 'plain-http' }],
    });
    trustArgs = writeTrustFiles(lab);
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
  });

  it('mTLS behind an untrusted CA: ONE fix --yes run with --ca and the client pair; one rollback restores everything', async () => {
    const reg = lab.registries.find((r) => r.kind === 'mtls')!;
    const etc = lab.hostPath('/etc/containerd');
    const before = snapshot(etc);
    const failing = await lab.pull(reg.image);
    expect(failing.ok).toBe(false);

    const fix = await lab.runCli(['fix', reg.image, '--yes', ...trustArgs]);
    expect(fix.stderr).toBe('');
    expect(fix.stdout).toContain('next: client-cert-required');
    expect(fix.stdout).toContain('verified: a real CRI pull now succeeds');
    expect(fix.code).toBe(0);
    expect((fix.stdout.match(/Applied \(journal /g) ?? []).length).toBe(2);
    await lab.removeImage(reg.image);
    expect((await lab.pull(reg.image)).ok).toBe(true);
    await lab.removeImage(reg.image);
    expect(snapshot(etc)).not.toEqual(before);

    const rb = await lab.runCli(['rollback']);
    expect(rb.code).toBe(0);
    expect(snapshot(etc)).toEqual(before);
    expect((await lab.pull(reg.image)).ok).toBe(false);
  });

  it('hostname mismatch: No fix names --allow-skip-verify; with it skip-verify is applied and pulls; plain HTTP still gets http://', async () => {
    const reg = lab.registries.find((r) => r.kind === 'san-mismatch')!;
    const etc = lab.hostPath('/etc/containerd');
    const before = snapshot(etc);
    const plain = await lab.runCli(['fix', reg.image, '--yes']);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain('No fix regdoctor can apply');
    expect(plain.stdout).toContain('re-run with --allow-skip-verify');
    expect(snapshot(etc)).toEqual(before);

    const fix = await lab.runCli(['fix', reg.image, '--yes', '--allow-skip-verify']);
    expect(fix.stdout).toContain('DISABLES TLS VERIFICATION');
    expect(fix.stdout).toContain('verified: a real CRI pull now succeeds');
    expect(fix.code).toBe(0);
    await lab.removeImage(reg.image);
    const rb = await lab.runCli(['rollback']);
    expect(rb.code).toBe(0);
    expect(snapshot(etc)).toEqual(before);

    // a plain-HTTP registry with --allow-skip-verify still gets the server = "http://…" entry (skip-verify would not help)
    const http = lab.registries.find((r) => r.kind === 'plain-http')!;
    const httpFix = await lab.runCli(['fix', http.image, '--yes', '--allow-skip-verify']);
    expect(httpFix.stdout).toContain('server = "http://');
    expect(httpFix.stdout).not.toContain('DISABLES TLS VERIFICATION');
    expect(httpFix.stdout).toContain('verified: a real CRI pull now succeeds');
    expect(httpFix.code).toBe(0);
    await lab.removeImage(http.image);
    expect((await lab.runCli(['rollback'])).code).toBe(0);
    expect(snapshot(etc)).toEqual(before);
  });
});
