// Issue 14 item 3: credentials fixed where they live, against a real containerd 1.6.20 and a real docker-registry with
// htpasswd auth behind a CA the node does not trust. One `fix --yes --ca … --username … --password-stdin` run fixes
// trust, then the node credential (kubelet's file), verified by a real CRI pull sending what kubelet would send; one
// `rollback` restores every file byte for byte, modes included. A stale entry (wrong password) is replaced at its
// source: /root/.docker/config.json (kubelet's file on that node) or containerd's configs."h".auth in config.toml.
// The password never appears on any output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { Lab, labMode, PASSWORD, USER } from '../lab/lab.js';
import { snapshotTree } from '../lab/snapshot.js';
import { RootedFs } from '../../src/adapters/fs.js';
import { RealExec } from '../../src/adapters/exec.js';
import { applyPlan, preparePlan } from '../../src/fix/engine.js';
import type { FixAction } from '../../src/core/types.js';

const mode = labMode();

function rmdirIfEmpty(d: string) {
  try {
    rmdirSync(d);
  } catch {
    // not empty or gone: left as it is
  }
}
let lab: Lab;

const snapshot = (dir: string) => snapshotTree(dir, { dirModes: true });

const b64 = (s: string) => Buffer.from(s).toString('base64');
/** Every form of the secret that must never be printed. */
const SECRET_FORMS = [PASSWORD, b64(`${USER}:${PASSWORD}`), 'wrong-pass-7c1', b64(`${USER}:wrong-pass-7c1`)];

function expectNoSecret(text: string) {
  for (const s of SECRET_FORMS) expect(text).not.toContain(s);
}

describe.skipIf(!mode.run)(`credential fixes against a real containerd${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  const nodeDirs = () => ['/etc/containerd', '/var/lib/kubelet', '/root/.docker'].map((d) => lab.hostPath(d));
  const snapAll = () => Object.assign({}, ...nodeDirs().map(snapshot)) as Record<string, string>;
  let caFile: string;

  // the lab bind-mounts private copies over these node paths; mount points it had to create on the host go again
  const mountPoints = ['/var/lib/kubelet', '/root/.docker'].filter((d) => !existsSync(d));

  beforeAll(async () => {
    lab = await Lab.start({ registries: [{ kind: 'basic-auth' }], extraDirs: ['/var/lib/kubelet', '/root/.docker'] });
    caFile = path.join(lab.base, 'root.crt');
    writeFileSync(caFile, lab.pki.root.certPem);
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
    for (const d of mountPoints) rmdirIfEmpty(d);
  });

  it('basic auth behind an untrusted CA: ONE fix --yes run with --ca and --username/--password-stdin; one rollback restores everything', async () => {
    const reg = lab.registries.find((r) => r.kind === 'basic-auth')!;
    const before = snapAll();
    expect((await lab.pull(reg.image)).ok).toBe(false);

    const fix = await lab.runCli(['fix', reg.image, '--yes', '--ca', caFile, '--username', USER, '--password-stdin'], {
      input: `${PASSWORD}\n`,
      timeoutMs: 120_000,
    });
    expect(fix.stderr).toBe('');
    expectNoSecret(fix.stdout);
    expect(fix.stdout).toContain('next: credentials-missing');
    expect(fix.stdout).toContain('/var/lib/kubelet/config.json');
    expect(fix.stdout).toContain('"auth": "[REDACTED]"');
    expect(fix.stdout).toContain('verified: a real CRI pull now succeeds');
    expect(fix.code).toBe(0);
    expect((fix.stdout.match(/Applied \(journal /g) ?? []).length).toBe(2);

    // the node credential is where kubelet reads it, root-only, and it is what makes the real pull work
    const file = lab.hostPath('/var/lib/kubelet/config.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const entry = JSON.parse(readFileSync(file, 'utf8')).auths[reg.hostPort];
    expect(entry).toEqual({ auth: b64(`${USER}:${PASSWORD}`) });
    await lab.removeImage(reg.image);
    expect((await lab.pull(reg.image)).ok).toBe(false);
    expect((await lab.pull(reg.image, { auth: entry.auth })).ok).toBe(true);

    // the engine's remove-image step (CRI RemoveImage, what crictl rmi calls) against the real runtime, journalled
    const listed = () =>
      execFileSync('ctr', ['--address', lab.hostPath('/run/containerd/containerd.sock'), '-n', 'k8s.io', 'images', 'ls', '-q'], {
        encoding: 'utf8',
      });
    expect(listed()).toContain(reg.image);
    const stateFs = new RootedFs(mkdtempSync(path.join(lab.base, 'state-')));
    const o = { fs: stateFs, exec: new RealExec(), stateDir: '/s', waitForRuntime: async () => true, log: () => undefined };
    const action: FixAction = { kind: 'remove-image', image: reg.image, endpoint: lab.endpoint, description: 'x' };
    const j = await applyPlan(await preparePlan(stateFs, [action]), {
      ...o,
      target: reg.image,
      proposal: 'remove-cached-image',
      cri: lab.cri,
    });
    expect(j.removedImages).toEqual([reg.image]);
    expect(listed()).not.toContain(reg.image);

    const rb = await lab.runCli(['rollback']);
    expect(rb.code, rb.stdout + rb.stderr).toBe(0);
    expectNoSecret(rb.stdout + rb.stderr);
    expect(snapAll()).toEqual(before);
    expect(existsSync(file)).toBe(false);
    expect((await lab.pull(reg.image, { auth: entry.auth })).ok).toBe(false);
  }, 180_000);

  it('a stale entry in /root/.docker/config.json is replaced at its source (key, other entries and mode kept)', async () => {
    const reg = lab.registries.find((r) => r.kind === 'basic-auth')!;
    const file = lab.hostPath('/root/.docker/config.json');
    const original = `{\n  "auths": {\n    "${reg.hostPort}": {\n      "auth": "${b64(`${USER}:wrong-pass-7c1`)}"\n    },\n    "other.example:5000": {\n      "auth": "${b64('x:y')}"\n    }\n  }\n}\n`;
    writeFileSync(file, original, { mode: 0o640 });
    const before = snapAll();
    try {
      const fix = await lab.runCli(['fix', reg.image, '--yes', '--ca', caFile, '--username', USER, '--password-stdin'], {
        input: PASSWORD,
        timeoutMs: 120_000,
      });
      expect(fix.stderr).toBe('');
      expectNoSecret(fix.stdout);
      expect(fix.stdout).toContain('next: unauthorized');
      expect(fix.stdout).toContain(`Replace the rejected credential for ${reg.hostPort} in /root/.docker/config.json`);
      expect(fix.stdout).toContain('verified: a real CRI pull now succeeds');
      expect(fix.code).toBe(0);
      const doc = JSON.parse(readFileSync(file, 'utf8'));
      expect(doc.auths[reg.hostPort]).toEqual({ auth: b64(`${USER}:${PASSWORD}`) });
      expect(doc.auths['other.example:5000']).toEqual({ auth: b64('x:y') });
      expect(statSync(file).mode & 0o777).toBe(0o640);
      // kubelet's earlier file was not created: it would hide this one
      expect(existsSync(lab.hostPath('/var/lib/kubelet/config.json'))).toBe(false);
      await lab.removeImage(reg.image);

      const rb = await lab.runCli(['rollback']);
      expect(rb.code, rb.stdout + rb.stderr).toBe(0);
      expect(snapAll()).toEqual(before);
      expect(readFileSync(file, 'utf8')).toBe(original);
    } finally {
      rmSync(file, { force: true });
    }
  }, 180_000);

  it('a stale containerd configs."h".auth is replaced in config.toml (restart), rolled back byte for byte', async () => {
    const reg = lab.registries.find((r) => r.kind === 'basic-auth')!;
    const cfg = lab.hostPath('/etc/containerd/config.toml');
    const original = readFileSync(cfg, 'utf8');
    // trust first (the CA round is covered above), then a wrong password where containerd reads it
    const dir = lab.hostPath(`/etc/containerd/certs.d/${reg.hostPort}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'ca.crt'), lab.pki.root.certPem);
    const stale = `${original}\n[plugins."io.containerd.grpc.v1.cri".registry.configs."${reg.hostPort}".auth]\n  username = "${USER}"\n  password = "wrong-pass-7c1"\n`;
    writeFileSync(cfg, stale);
    await lab.restartContainerd();
    const before = snapAll();
    expect((await lab.pull(reg.image)).ok).toBe(false);

    const restarts = lab.serveRestarts();
    const restartCmd = restarts.cmd;
    try {
      const fix = await lab.runCli(['fix', reg.image, '--yes', '--username', USER, '--password-stdin', '--restart-cmd', restartCmd], {
        input: PASSWORD,
        timeoutMs: 120_000,
      });
      expect(fix.stderr).toBe('');
      expectNoSecret(fix.stdout);
      expect(fix.stdout).toContain(`configs."${reg.hostPort}".auth`);
      expect(fix.stdout).toContain('password = "[REDACTED]"');
      expect(fix.stdout).toContain('verified: a real CRI pull now succeeds');
      expect(fix.code).toBe(0);
      expect(restarts.count).toBe(1);
      expect(readFileSync(cfg, 'utf8')).toContain(`password = "${PASSWORD}"`);
      await lab.removeImage(reg.image);

      const rb = await lab.runCli(['rollback', '--restart-cmd', restartCmd]);
      expect(rb.code, rb.stdout + rb.stderr).toBe(0);
      expect(restarts.count).toBe(2);
      expect(snapAll()).toEqual(before);
      expect((await lab.pull(reg.image)).ok).toBe(false);
    } finally {
      await restarts.stop();
      writeFileSync(cfg, original);
      rmSync(dir, { recursive: true, force: true });
      await lab.restartContainerd();
    }
  }, 240_000);

  it('a cached image whose blob is gone from the content store: fix removes it through CRI and the real pull works again', async () => {
    const reg = lab.registries.find((r) => r.kind === 'basic-auth')!;
    const dir = lab.hostPath(`/etc/containerd/certs.d/${reg.hostPort}`);
    const creds = lab.hostPath('/var/lib/kubelet/config.json');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'ca.crt'), lab.pki.root.certPem);
    writeFileSync(creds, JSON.stringify({ auths: { [reg.hostPort]: { auth: b64(`${USER}:${PASSWORD}`) } } }), { mode: 0o600 });
    try {
      const auth = { username: USER, password: PASSWORD };
      expect((await lab.pull(reg.image, auth)).ok).toBe(true);
      // break the cache the way a disk incident does: the manifest blob disappears, containerd's metadata keeps it
      const ctr = (...a: string[]) =>
        execFileSync('ctr', ['--address', lab.hostPath('/run/containerd/containerd.sock'), '-n', 'k8s.io', ...a], { encoding: 'utf8' });
      const row = ctr('images', 'ls')
        .split('\n')
        .find((l) => l.startsWith(`${reg.image} `))!;
      const digest = row.match(/sha256:([0-9a-f]{64})/)![1]!;
      rmSync(path.join(lab.base, 'containerd-root/io.containerd.content.v1.content/blobs/sha256', digest));
      const broken = await lab.pull(reg.image, auth);
      expect(broken.ok).toBe(false);
      expect(broken.ok ? '' : broken.message).toMatch(/expected at .*: blob not found/);
      const before = snapAll();

      // removing a cached image cannot be rolled back: destructive, so it is opted in (src/fix/risk.ts)
      const fix = await lab.runCli(['fix', reg.image, '--yes', '--allow-destructive'], { timeoutMs: 120_000 });
      expect(fix.stderr).toBe('');
      expectNoSecret(fix.stdout);
      expect(fix.stdout).toContain(`Remove the broken cached copy of ${reg.image}`);
      expect(fix.stdout).toContain(`removed the cached image ${reg.image}`);
      expect(fix.stdout).toContain('verified: a real CRI pull now succeeds');
      expect(fix.code).toBe(0);
      expect((await lab.pull(reg.image, auth)).ok).toBe(true);
      expect(snapAll()).toEqual(before);

      // the journal says what a rollback cannot restore (the cache entry); no file was touched
      const rb = await lab.runCli(['rollback']);
      expect(rb.stdout).toContain('was removed from the image cache: not restored');
      expect(rb.code, rb.stdout + rb.stderr).toBe(0);
      expect(snapAll()).toEqual(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(creds, { force: true });
      await lab.removeImage(reg.image);
    }
  }, 180_000);
});
