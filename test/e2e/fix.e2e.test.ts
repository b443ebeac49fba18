// End-to-end fix mode against the real containerd: `regdoctor fix --yes` turns a failing CRI pull into a working
// one; `regdoctor rollback` restores every file byte for byte and the pull fails again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Lab, labMode, type RegistryKind } from '../lab/lab.js';
import { snapshotTree } from '../lab/snapshot.js';

const mode = labMode();
let lab: Lab;

const snapshot = (dir: string) => snapshotTree(dir);

describe.skipIf(!mode.run)(`fix and rollback against a real containerd${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  beforeAll(async () => {
    lab = await Lab.start({
      registries: [
        { kind: 'self-signed' },
        { kind: 'private-ca' },
        { kind: 'missing-intermediate' },
        { kind: 'plain-http' },
        { kind: 'mtls', trustCa: true },
      ],
    });
    writeFileSync(path.join(lab.base, 'private-root.crt'), lab.pki.privateRoot.certPem);
    writeFileSync(path.join(lab.base, 'bundle.crt'), lab.pki.inter.certPem + lab.pki.root.certPem);
    writeFileSync(path.join(lab.base, 'client.crt'), lab.pki.client.certPem);
    writeFileSync(path.join(lab.base, 'client.key'), lab.pki.client.keyPem, { mode: 0o600 });
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
  });

  const cases: [RegistryKind, () => string[]][] = [
    // trust on first use is explicit: name the presented certificate by its SHA-256 fingerprint
    ['self-signed', () => ['--trust-presented', lab.registries.find((r) => r.kind === 'self-signed')!.leaf!.info.sha256]],
    ['private-ca', () => ['--ca', path.join(lab.base, 'private-root.crt')]],
    ['missing-intermediate', () => ['--ca', path.join(lab.base, 'bundle.crt')]],
    ['plain-http', () => []],
    ['mtls', () => ['--client-cert', path.join(lab.base, 'client.crt'), '--client-key', path.join(lab.base, 'client.key')]],
  ];

  for (const [kind, extra] of cases) {
    it(`${kind}: fix --yes makes the real pull work; rollback restores the files byte for byte and the pull fails again`, async () => {
      const reg = lab.registries.find((r) => r.kind === kind)!;
      const etc = lab.hostPath('/etc/containerd');
      const before = snapshot(etc);
      const failing = await lab.pull(reg.image);
      expect(failing.ok).toBe(false);

      const dry = await lab.runCli(['fix', reg.image, '--dry-run', ...extra()]);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain('--dry-run: nothing was changed.');
      expect(dry.stdout).toMatch(/\+\+\+ \/etc\/containerd\/certs\.d\//);
      expect(snapshot(etc)).toEqual(before);

      const fix = await lab.runCli(['fix', reg.image, '--yes', ...extra()]);
      expect(fix.stderr).toBe('');
      expect(fix.stdout).toContain('verified: a real CRI pull now succeeds');
      expect(fix.code).toBe(0);
      // the fixed files decode: a pull after the fix adds no "failed to decode hosts.toml" line to containerd's log
      // (a lab file from before the fix may log one during fix's own first diagnosis; that is the broken state)
      await lab.removeImage(reg.image);
      const decodeBefore = await lab.decodeErrors();
      expect((await lab.pull(reg.image)).ok).toBe(true);
      expect(await lab.decodeErrors()).toBe(decodeBefore);
      expect(snapshot(etc)).not.toEqual(before);
      await lab.removeImage(reg.image);

      const rb = await lab.runCli(['rollback']);
      expect(rb.code).toBe(0);
      expect(snapshot(etc)).toEqual(before);
      const again = await lab.pull(reg.image);
      expect(again.ok).toBe(false);
      // Go's HTTP transport words an mTLS rejection with or without a `readLoopPeekFailLocked: ` prefix depending on
      // whether the alert arrives before or after the request is written: the same failure either way
      const same = (m: string) => m.replace(/readLoopPeekFailLocked: /g, '');
      expect(same(again.ok ? '' : again.message)).toBe(same(failing.ok ? '' : failing.message));
    });
  }

  it('non-interactive without --yes refuses to change anything', async () => {
    const reg = lab.registries.find((r) => r.kind === 'self-signed')!;
    const before = snapshot(lab.hostPath('/etc/containerd'));
    const r = await lab.runCli(['fix', reg.image]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/re-run with --yes/);
    expect(snapshot(lab.hostPath('/etc/containerd'))).toEqual(before);
  });
});
