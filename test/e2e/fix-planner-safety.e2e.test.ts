// The fix planner against the real containerd (issue 11, items 1–5). Every fix: a real CRI pull fails before and
// works after, containerd's log gains no "failed to decode hosts.toml" line, the installed CA / client files are out
// of reach of containerd's Docker-style fallback (only a decoded hosts.toml can make them apply), and rollback puts
// every file back and the pull fails again with the same message. certs.d/_default (which applies to every host)
// stays byte for byte as it was; an existing hosts.toml is edited in place; a legacy node is migrated exactly; a
// mirror named like a path is refused; trust on first use needs the fingerprint; a wrong --ca is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Lab, labMode, type LabRegistry } from '../lab/lab.js';
import { snapshotTree } from '../lab/snapshot.js';
import { sameGoError } from '../helpers/go-errors.js';

const mode = labMode();

const snapshot = (dir: string) => snapshotTree(dir, { dirModes: true, owners: true });

const colon = (hex: string) => hex.toUpperCase().match(/../g)!.join(':');

describe.skipIf(!mode.run)(`fix planner safety against a real containerd${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  let lab: Lab;
  const reg = (k: LabRegistry['kind']) => lab.registries.find((r) => r.kind === k)!;
  const etc = () => lab.hostPath('/etc/containerd');
  const certsD = () => path.join(etc(), 'certs.d');
  const fallbackNames = (dir: string) => readdirSync(dir).filter((f) => /\.(crt|cert|key)$/.test(f));

  beforeAll(async () => {
    lab = await Lab.start({
      registries: [{ kind: 'self-signed' }, { kind: 'private-ca' }, { kind: 'plain-http' }, { kind: 'san-mismatch' }, { kind: 'mtls' }],
    });
    // the operator's fallback for every host: trusts the lab root (signs san-mismatch's and mtls's chains)
    mkdirSync(path.join(certsD(), '_default'), { recursive: true });
    writeFileSync(path.join(certsD(), '_default', 'corp-ca.crt'), lab.pki.root.certPem);
    writeFileSync(path.join(lab.base, 'private-root.crt'), lab.pki.privateRoot.certPem);
    writeFileSync(path.join(lab.base, 'lab-root.crt'), lab.pki.root.certPem);
    writeFileSync(path.join(lab.base, 'client.crt'), lab.pki.client.certPem);
    writeFileSync(path.join(lab.base, 'client.key'), lab.pki.client.keyPem, { mode: 0o600 });
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
  });

  /** fix → works (no decode error, _default untouched) → rollback → exactly as before, and fails the same way. */
  async function fixAndRollBack(kind: LabRegistry['kind'], args: string[], during?: (hostDir: string) => Promise<void>) {
    const r = reg(kind);
    const before = snapshot(etc());
    const defaultBefore = snapshot(path.join(certsD(), '_default'));
    const failing = await lab.pull(r.image);
    expect(failing.ok).toBe(false);
    const errorsBefore = await lab.decodeErrors();

    const fix = await lab.runCli(['fix', r.image, '--yes', ...args]);
    expect(fix.stderr).toBe('');
    expect(fix.stdout).toContain('verified: a real CRI pull now succeeds');
    expect(fix.code).toBe(0);
    await lab.removeImage(r.image);
    expect((await lab.pull(r.image)).ok).toBe(true);
    expect(await lab.decodeErrors()).toBe(errorsBefore);
    // item 1: the fix went to the host's own directory; _default is exactly as it was
    expect(snapshot(path.join(certsD(), '_default'))).toEqual(defaultBefore);
    const hostDir = path.join(certsD(), r.hostPort);
    expect(existsSync(path.join(hostDir, 'hosts.toml'))).toBe(true);
    if (during) await during(hostDir);
    await lab.removeImage(r.image);

    const rb = await lab.runCli(['rollback']);
    expect(rb.code).toBe(0);
    expect(snapshot(etc())).toEqual(before);
    const again = await lab.pull(r.image);
    expect(sameGoError(again.ok ? '' : again.message)).toBe(sameGoError(failing.ok ? '' : failing.message));
  }

  it('item 5: without --ca, --yes alone never installs the presented certificate; a wrong fingerprint is refused; nothing changes', async () => {
    const r = reg('self-signed');
    const before = snapshot(etc());
    const plain = await lab.runCli(['fix', r.image, '--yes']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain(colon(r.leaf!.info.sha256));
    expect(plain.stderr).toContain(`--trust-presented ${r.leaf!.info.sha256}`);
    expect(plain.stderr).toMatch(/subject: CN=self-signed\.lab\.test/);
    expect(plain.stderr).toMatch(/valid: \d{4}-\d\d-\d\dT.* to \d{4}-/);
    expect(plain.stderr).toContain('Nothing was changed.');
    const wrong = await lab.runCli(['fix', r.image, '--yes', '--trust-presented', lab.pki.privateRoot.info.sha256]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/presented a different certificate/);
    expect(snapshot(etc())).toEqual(before);
  });

  it('item 5: a --ca that does not sign the registry’s chain is refused before planning; nothing changes', async () => {
    const r = reg('private-ca');
    const before = snapshot(etc());
    const res = await lab.runCli(['fix', r.image, '--yes', '--ca', path.join(lab.base, 'lab-root.crt')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/this CA does not sign the registry's chain: x509: certificate signed by unknown authority/);
    expect(res.stderr).toContain('Nothing was changed.');
    expect(res.stdout).not.toContain('Plan:');
    expect(snapshot(etc())).toEqual(before);
  });

  it('items 1+4+5: self-signed with --trust-presented goes to certs.d/<host:port>/, copies what _default gave the host, decodes on 1.6', async () => {
    const r = reg('self-signed');
    await fixAndRollBack('self-signed', ['--trust-presented', r.leaf!.info.sha256], async (dir) => {
      expect(fallbackNames(dir)).toEqual([]);
      const text = readFileSync(path.join(dir, 'hosts.toml'), 'utf8');
      expect(text).toContain('/etc/containerd/certs.d/_default/corp-ca.crt');
      expect(text).toContain(`[host."https://${r.hostPort}"]`);
    });
  }, 90_000);

  it('items 3+4: private CA via --ca, an existing hosts.toml edited in place (comment, header, ca list kept); the file must decode (negative control)', async () => {
    const r = reg('private-ca');
    const dir = path.join(certsD(), r.hostPort);
    mkdirSync(dir, { recursive: true });
    mkdirSync(path.join(etc(), 'other'), { recursive: true });
    writeFileSync(path.join(etc(), 'other', 'unrelated.pem'), lab.pki.clientCa.certPem);
    const existing = [
      '# platform team: keep this comment',
      `server = "https://${r.hostPort}"`,
      'ca = ["/etc/containerd/other/unrelated.pem"]',
      '',
      `[host."https://${r.hostPort}"]`,
      '  ca = ["/etc/containerd/other/unrelated.pem"]',
      `  [host."https://${r.hostPort}".header]`,
      '    X-Lab = "kept"',
      '',
    ].join('\n');
    writeFileSync(path.join(dir, 'hosts.toml'), existing);
    try {
      await fixAndRollBack('private-ca', ['--ca', path.join(lab.base, 'private-root.crt')], async (d) => {
        expect(fallbackNames(d)).toEqual([]);
        const text = readFileSync(path.join(d, 'hosts.toml'), 'utf8');
        expect(text).toContain('# platform team: keep this comment');
        expect(text).toContain('X-Lab = "kept"');
        expect(text).toMatch(/ca = \["\/etc\/containerd\/other\/unrelated\.pem", "regdoctor-ca-[0-9a-f]{12}\.pem"\]/);
        // negative control: the same settings without the [host] table do not decode on 1.6 → the pull fails
        const errors = await lab.decodeErrors();
        writeFileSync(path.join(d, 'hosts.toml'), text.split(/\n\[host\./)[0]!);
        await lab.removeImage(r.image);
        const broken = await lab.pull(r.image);
        expect(broken.ok).toBe(false);
        expect(broken.ok ? '' : broken.message).toMatch(/x509: certificate signed by unknown authority/);
        expect(await lab.decodeErrors()).toBeGreaterThan(errors);
        writeFileSync(path.join(d, 'hosts.toml'), text);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(path.join(etc(), 'other'), { recursive: true, force: true });
    }
  }, 90_000);

  it('item 4: plain HTTP — server and [host."http://…"] so 1.6 decodes it', async () => {
    await fixAndRollBack('plain-http', [], async (dir) => {
      expect(readFileSync(path.join(dir, 'hosts.toml'), 'utf8')).toContain(`[host."http://${reg('plain-http').hostPort}"]`);
    });
  }, 90_000);

  it('item 4: skip_verify inside [host."…"] really disables verification (a root-only skip_verify never did)', async () => {
    await fixAndRollBack('san-mismatch', ['--proposal', 'hosts-toml-skip-verify', '--allow-skip-verify'], async (dir) => {
      expect(fallbackNames(dir)).toEqual([]);
    });
  }, 90_000);

  it('items 3+4: mTLS into a Docker-style directory (ca.crt, no hosts.toml): the CA is carried over, the client pair is out of the fallback’s reach', async () => {
    const r = reg('mtls');
    const dir = path.join(certsD(), r.hostPort);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'ca.crt'), lab.pki.root.certPem);
    try {
      await fixAndRollBack(
        'mtls',
        ['--client-cert', path.join(lab.base, 'client.crt'), '--client-key', path.join(lab.base, 'client.key')],
        async (d) => {
          expect(fallbackNames(d)).toEqual(['ca.crt']);
          const text = readFileSync(path.join(d, 'hosts.toml'), 'utf8');
          expect(text).toMatch(/ca = "ca\.crt"/);
          expect(text).toMatch(/client = \[\["regdoctor-client-[0-9a-f]{12}\.pem", "regdoctor-client-[0-9a-f]{12}-key\.pem"\]\]/);
          expect(
            statSync(
              path.join(
                d,
                readdirSync(d).find((f) => f.endsWith('-key.pem'))!,
              ),
            ).mode & 0o777,
          ).toBe(0o600);
        },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe.skipIf(!mode.run)(`legacy migration against a real containerd${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  let lab: Lab;
  const reg = (k: LabRegistry['kind']) => lab.registries.find((r) => r.kind === k)!;
  const etc = () => lab.hostPath('/etc/containerd');
  const mirrorTable = (host: string, endpoints: string[]) =>
    `\n[plugins."io.containerd.grpc.v1.cri".registry.mirrors."${host}"]\n  endpoint = ${JSON.stringify(endpoints)}\n`;

  beforeAll(async () => {
    // plain-http works today only through its legacy http:// mirror endpoint
    lab = await Lab.start({
      registries: [{ kind: 'self-signed' }, { kind: 'plain-http' }],
      legacy: true,
      extraConfig: mirrorTable('plain-http.lab.test:5000', ['http://plain-http.lab.test:5000']),
    });
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
  });

  it('item 2: a mirror named like a path is refused with a clear error; nothing changes', async () => {
    const cfg = path.join(etc(), 'config.toml');
    const good = readFileSync(cfg, 'utf8');
    writeFileSync(cfg, good + mirrorTable('../../../systemd/system/containerd.service.d', ['https://x.lab.test']));
    try {
      const before = snapshot(etc());
      const r = reg('self-signed');
      const res = await lab.runCli(['fix', r.image, '--yes', '--trust-presented', r.leaf!.info.sha256, '--restart-cmd', 'false']);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(
        /cannot migrate the legacy registry configuration exactly: registry host "\.\.\/\.\.\/\.\.\/systemd\/system\/containerd\.service\.d" is not a registry host name/,
      );
      expect(res.stderr).toContain('Nothing was changed.');
      expect(snapshot(etc())).toEqual(before);
      expect(existsSync(path.join(etc(), 'systemd'))).toBe(false);
    } finally {
      writeFileSync(cfg, good);
    }
  });

  it('item 2: enabling config_path migrates the http:// mirror exactly — plain HTTP keeps working; rollback restores the legacy node', async () => {
    const plain = reg('plain-http');
    const r = reg('self-signed');
    expect((await lab.pull(plain.image)).ok).toBe(true);
    await lab.removeImage(plain.image);
    const before = snapshot(etc());
    const failing = await lab.pull(r.image);
    expect(failing.ok).toBe(false);

    const restarts = lab.serveRestarts();
    const restartCmd = restarts.cmd;
    try {
      const errorsBefore = await lab.decodeErrors();
      const fix = await lab.runCli(['fix', r.image, '--yes', '--trust-presented', r.leaf!.info.sha256, '--restart-cmd', restartCmd]);
      expect(fix.stderr).toBe('');
      expect(fix.stdout).toContain('verified: a real CRI pull now succeeds');
      const migrated = readFileSync(path.join(etc(), 'certs.d', plain.hostPort, 'hosts.toml'), 'utf8');
      expect(migrated).toContain(`server = "http://${plain.hostPort}"`);
      expect(readFileSync(path.join(etc(), 'config.toml'), 'utf8')).not.toContain('mirrors');
      // the migrated plain-HTTP registry still pulls (today's code wrote https:// and broke it)
      expect((await lab.pull(plain.image)).ok).toBe(true);
      expect(await lab.decodeErrors()).toBe(errorsBefore);
      await lab.removeImage(plain.image);
      await lab.removeImage(r.image);

      const rb = await lab.runCli(['rollback', '--restart-cmd', restartCmd]);
      expect(rb.code).toBe(0);
      expect(snapshot(etc())).toEqual(before);
      expect((await lab.pull(plain.image)).ok).toBe(true);
      const again = await lab.pull(r.image);
      expect(sameGoError(again.ok ? '' : again.message)).toBe(sameGoError(failing.ok ? '' : failing.message));
    } finally {
      await restarts.stop();
    }
  }, 120_000);
});
