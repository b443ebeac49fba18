// The fix engine is all or nothing and crash-safe (issue 11, items 9–12): a failing or interrupted step rolls back
// every earlier one; --root never restarts the host's runtime; rollback restores bytes, mode, owner and symbolic
// links exactly and says so only when it verified it; the journal records a pending restart before restarting; fix
// and rollback hold an exclusive lock on the state directory; an older journal never silently undoes a newer fix.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmod, chown, lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RootedFs, FsError } from '../../src/adapters/fs.js';
import type { ExecAdapter, ExecResult } from '../../src/adapters/exec.js';
import {
  applyPlan,
  FixError,
  interruptedJournals,
  loadJournal,
  preparePlan,
  RESTART_SKIPPED_ROOT,
  rollback,
  withStateLock,
  type Journal,
} from '../../src/fix/engine.js';
import type { FixAction } from '../../src/core/types.js';

const CONFIG = `# hand-written\nversion = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  [plugins."io.containerd.grpc.v1.cri".registry.configs."reg.test:5000".tls]\n    ca_file = "/etc/ssl/reg.pem"\n`;
const STATE = '/var/lib/regdoctor';
const isRoot = process.getuid?.() === 0;

// a plan like the legacy CA fix: new files in new directories, an edited config.toml, more files, a restart
const ACTIONS: FixAction[] = [
  { kind: 'write-file', path: '/etc/containerd/certs.d/docker.io/hosts.toml', content: 'server = "https://registry-1.docker.io"\n' },
  {
    kind: 'edit-toml',
    path: '/etc/containerd/config.toml',
    description: 'set config_path',
    edit: { table: ['plugins', 'io.containerd.grpc.v1.cri', 'registry'], set: { config_path: '/etc/containerd/certs.d' } },
  },
  {
    kind: 'write-file',
    path: '/etc/containerd/certs.d/reg.test:5000/ca.crt',
    content: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  },
  {
    kind: 'write-file',
    path: '/etc/containerd/certs.d/reg.test:5000/hosts.toml',
    content: 'server = "https://reg.test:5000"\n[host."https://reg.test:5000"]\n  ca = "ca.crt"\n',
  },
  { kind: 'restart-runtime', service: 'containerd' },
];

const roots: string[] = [];
afterEach(async () => {
  for (const r of roots.splice(0)) await rm(r, { recursive: true, force: true });
});

async function node(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'regdoctor-safety-'));
  roots.push(root);
  await mkdir(path.join(root, 'etc/containerd'), { recursive: true });
  await writeFile(path.join(root, 'etc/containerd/config.toml'), CONFIG, { mode: 0o640 });
  await chmod(path.join(root, 'etc/containerd/config.toml'), 0o640);
  // owned by someone else than the process: a rollback must give it back to them
  if (isRoot) await chown(path.join(root, 'etc/containerd/config.toml'), 1234, 2345);
  return root;
}

/** Every entry under dir (state directory excluded): type, bytes, mode, owner, link text. */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string) => {
    for (const n of (await readdir(d)).sort()) {
      const p = path.join(d, n);
      if (p === path.join(dir, 'var')) continue;
      const st = await lstat(p);
      const who = `${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid}`;
      if (st.isSymbolicLink()) out[p.slice(dir.length)] = `link ${await readlink(p)}`;
      else if (st.isDirectory()) {
        out[`${p.slice(dir.length)}/`] = `dir ${who}`;
        await walk(p);
      } else out[p.slice(dir.length)] = `${(await readFile(p)).toString('base64')} ${who}`;
    }
  };
  await walk(dir);
  return out;
}

function fakeExec(
  onRun: (file: string, args: readonly string[]) => Promise<Partial<ExecResult>> | Partial<ExecResult> = () => ({}),
): ExecAdapter & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    run: async (file, args) => {
      calls.push([file, ...args].join(' '));
      return { exitCode: 0, stdout: '', stderr: '', notFound: false, timedOut: false, durationMs: 1, ...(await onRun(file, args)) };
    },
  };
}

/** A RootedFs whose k-th write of a node file (not the state directory) fails with `code`. */
function failingFs(root: string, k: number, code: string): RootedFs {
  const fs = new RootedFs(root);
  const f = Object.create(fs) as RootedFs;
  let n = 0;
  f.writeFileAtomic = async (p, data, mode, owner) => {
    if (!p.startsWith(STATE) && ++n === k) throw new FsError(`${p}: injected ${code}`, code, p);
    return fs.writeFileAtomic(p, data, mode, owner);
  };
  return f;
}

const opts = (fs: RootedFs, exec: ExecAdapter = fakeExec(), extra: object = {}) => ({
  fs,
  exec,
  stateDir: STATE,
  target: 'reg.test:5000/app:1',
  proposal: 'hosts-toml-ca',
  restartCmd: 'restart-it',
  waitForRuntime: async () => true,
  log: () => undefined,
  ...extra,
});

describe('item 9: a failing or interrupted step leaves the node as it was', () => {
  for (const code of ['ENOTDIR', 'EACCES', 'EROFS', 'ENOSPC']) {
    it(`${code} at step 3 rolls back steps 1 and 2 (files, created directories) and names the journal`, async () => {
      const root = await node();
      const before = await tree(root);
      const plan = await preparePlan(new RootedFs(root), ACTIONS);
      const exec = fakeExec();
      const err = await applyPlan(plan, opts(failingFs(root, 3, code), exec)).catch((e) => e);
      expect(err).toBeInstanceOf(FixError);
      const j = await loadJournal(new RootedFs(root), STATE).catch(() => undefined);
      const all = await readdir(path.join(root, 'var/lib/regdoctor/journal'));
      expect(all).toHaveLength(1);
      const id = all[0]!.replace(/\.json$/, '');
      expect(err.message).toContain(`journal ${id}`);
      expect(err.message).toContain(code);
      expect(err.message).toMatch(/every earlier step was rolled back; the node is as it was/);
      expect(await tree(root)).toEqual(before);
      // nothing restarted: the failure came before the restart
      expect(exec.calls).toEqual([]);
      expect(j).toBeUndefined(); // the journal is closed as rolled back
    });
  }

  it('a failed restart rolls back every file and restarts again on the old configuration', async () => {
    const root = await node();
    const before = await tree(root);
    const plan = await preparePlan(new RootedFs(root), ACTIONS);
    let n = 0;
    const exec = fakeExec(() => (n++ === 0 ? { exitCode: 1, stderr: 'Job for containerd.service failed' } : {}));
    await expect(applyPlan(plan, opts(new RootedFs(root), exec))).rejects.toThrow(/restart failed .*rolled back.*journal /);
    expect(exec.calls).toEqual(['sh -c restart-it', 'sh -c restart-it']);
    expect(await tree(root)).toEqual(before);
  });

  it('an interrupt (Ctrl-C) between steps rolls back what was done', async () => {
    const root = await node();
    const before = await tree(root);
    const plan = await preparePlan(new RootedFs(root), ACTIONS);
    const ctrl = new AbortController();
    const log = (l: string) => {
      if (l.startsWith('updated /etc/containerd/config.toml')) ctrl.abort();
    };
    await expect(applyPlan(plan, opts(new RootedFs(root), fakeExec(), { signal: ctrl.signal, log }))).rejects.toThrow(
      /interrupted; nothing is left applied/,
    );
    expect(await tree(root)).toEqual(before);
  });

  it('a file changed after the plan was shown stops the apply before it is overwritten', async () => {
    const root = await node();
    const plan = await preparePlan(new RootedFs(root), ACTIONS);
    await writeFile(path.join(root, 'etc/containerd/config.toml'), `${CONFIG}# edited meanwhile\n`);
    const before = await tree(root);
    await expect(applyPlan(plan, opts(new RootedFs(root)))).rejects.toThrow(/config\.toml changed since the plan was shown/);
    expect(await tree(root)).toEqual(before);
  });

  it('a file where a directory must go (ENOTDIR) is refused while planning, before step 1 is written', async () => {
    const root = await node();
    await mkdir(path.join(root, 'etc/containerd/certs.d'), { recursive: true });
    await writeFile(path.join(root, 'etc/containerd/certs.d/reg.test:5000'), 'not a directory\n');
    const before = await tree(root);
    await expect(preparePlan(new RootedFs(root), ACTIONS)).rejects.toThrow(
      /cannot read \/etc\/containerd\/certs\.d\/reg\.test:5000\/ca\.crt: .*ENOTDIR|not a directory/,
    );
    expect(await tree(root)).toEqual(before);
  });
});

describe('item 10: --root never restarts the host runtime', () => {
  it('the plan says the restart is skipped; apply and rollback run nothing and wait on no socket', async () => {
    const root = await node();
    const plan = await preparePlan(new RootedFs(root), ACTIONS, { skipRestart: RESTART_SKIPPED_ROOT });
    expect(plan.at(-1)!.summary).toBe('restart skipped (--root): restart containerd on that node yourself');
    expect((await preparePlan(new RootedFs(root), ACTIONS, { restartCmd: 'kill -HUP $(cat /run/containerd.pid)' })).at(-1)!.summary).toBe(
      `restart containerd: sh -c 'kill -HUP $(cat /run/containerd.pid)'`,
    );
    const exec = fakeExec();
    let waited = 0;
    const o = opts(new RootedFs(root), exec, {
      restartCmd: undefined,
      skipRestart: RESTART_SKIPPED_ROOT,
      waitForRuntime: async () => (waited++, true),
    });
    const j = await applyPlan(plan, o);
    expect(j.status).toBe('applied');
    expect(j.restarted).toBe(false);
    expect(j.restartSkipped).toBe(RESTART_SKIPPED_ROOT);
    const back = await rollback(j, { ...o, restart: true });
    expect(back.differences).toEqual([]);
    expect(exec.calls).toEqual([]);
    expect(waited).toBe(0);
  });

  it('`regdoctor rollback --root` does not run the host systemctl/service (fake ones on PATH record any call)', async () => {
    const root = await node();
    const bin = await mkdtemp(path.join(tmpdir(), 'regdoctor-bin-'));
    roots.push(bin);
    const marker = path.join(bin, 'called');
    for (const b of ['systemctl', 'service']) await writeFile(path.join(bin, b), `#!/bin/sh\necho "$0 $*" >> ${marker}\n`, { mode: 0o755 });
    const fs = new RootedFs(root);
    const j = await applyPlan(await preparePlan(fs, ACTIONS), opts(fs));
    expect(j.restarted).toBe(true);
    const { run } = await import('../../src/cli/commands/rollback.js');
    const stdout: string[] = [];
    const stderr: string[] = [];
    const io = {
      stdout: { write: (s: string) => stdout.push(s) },
      stderr: { write: (s: string) => stderr.push(s) },
      stdin: process.stdin,
      env: {},
      interactive: false,
      color: false,
      columns: 80,
      signal: new AbortController().signal,
    };
    const oldPath = process.env.PATH;
    process.env.PATH = `${bin}:${oldPath}`;
    try {
      expect(await run(['--root', root], io)).toBe(0);
    } finally {
      process.env.PATH = oldPath;
    }
    expect(stderr.join('')).toBe('');
    expect(stdout.join('')).toContain('restart skipped (--root): restart containerd on that node yourself');
    await expect(stat(marker)).rejects.toThrow();
    expect(await readFile(path.join(root, 'etc/containerd/config.toml'), 'utf8')).toBe(CONFIG);
  });
});

describe.skipIf(!isRoot)('item 11: rollback restores bytes, mode, owner and symbolic links', () => {
  // a live node (RootedFs('/') with host paths) and a copied tree (--root)
  for (const live of [false, true]) {
    it(`${live ? 'live node' : '--root tree'}: a symlinked config.toml (0640, uid 1234) is written through and comes back exactly`, async () => {
      const root = await node();
      const base = live ? root : '';
      const fs = new RootedFs(live ? '/' : root);
      const real = path.join(root, 'srv/containerd/config.toml');
      await mkdir(path.dirname(real), { recursive: true });
      await writeFile(real, CONFIG, { mode: 0o640 });
      await chmod(real, 0o640);
      await chown(real, 1234, 2345);
      await rm(path.join(root, 'etc/containerd/config.toml'));
      await symlink('../../srv/containerd/config.toml', path.join(root, 'etc/containerd/config.toml'));
      // the CA file of an earlier hand-made setup, owned by someone else, mode 0600
      const hostDir = path.join(root, 'etc/containerd/certs.d/reg.test:5000');
      await mkdir(hostDir, { recursive: true });
      await writeFile(path.join(hostDir, 'ca.crt'), 'old\n', { mode: 0o600 });
      await chown(path.join(hostDir, 'ca.crt'), 1234, 2345);
      const before = await tree(root);
      const actions = ACTIONS.slice(0, 4).map((a) => ({ ...a, path: `${base}${(a as { path: string }).path}` })) as FixAction[];
      const plan = await preparePlan(fs, actions);
      const o = { ...opts(fs), stateDir: `${base}${STATE}` };
      const j = await applyPlan(plan, o);
      // written through: the link is still the same link, the target has the new bytes, its mode and its owner
      expect(await readlink(path.join(root, 'etc/containerd/config.toml'))).toBe('../../srv/containerd/config.toml');
      expect(await readFile(real, 'utf8')).toContain('config_path = "/etc/containerd/certs.d"');
      const st = await stat(real);
      expect([st.mode & 0o7777, st.uid, st.gid]).toEqual([0o640, 1234, 2345]);
      const ca = await stat(path.join(hostDir, 'ca.crt'));
      expect([ca.mode & 0o7777, ca.uid, ca.gid]).toEqual([0o600, 1234, 2345]);
      const back = await rollback(j, o);
      expect(back.differences).toEqual([]);
      expect(await tree(root)).toEqual(before);
    });
  }

  it('a link replaced by a plain file after the fix is drift; forced, the link itself comes back', async () => {
    const root = await node();
    const real = path.join(root, 'srv/config.toml');
    await mkdir(path.dirname(real), { recursive: true });
    await writeFile(real, CONFIG, { mode: 0o640 });
    await chmod(real, 0o640);
    await rm(path.join(root, 'etc/containerd/config.toml'));
    await symlink('/srv/config.toml', path.join(root, 'etc/containerd/config.toml'));
    const before = await tree(root);
    const fs = new RootedFs(root);
    const o = opts(fs);
    const j = await applyPlan(await preparePlan(fs, [ACTIONS[1]!]), o);
    const edited = await readFile(real);
    await rm(path.join(root, 'etc/containerd/config.toml'));
    await writeFile(path.join(root, 'etc/containerd/config.toml'), edited);
    await expect(rollback(j, o)).rejects.toThrow(/no longer a symbolic link/);
    const back = await rollback(j, { ...o, force: true });
    expect(back.differences).toEqual([]);
    expect(await tree(root)).toEqual(before);
  });

  it('says what is not as before instead of claiming success (a filesystem that drops the mode)', async () => {
    const root = await node();
    const fs = new RootedFs(root);
    const o = opts(fs);
    const j = await applyPlan(await preparePlan(fs, [ACTIONS[1]!]), o);
    const lossy = Object.create(fs) as RootedFs;
    lossy.writeFileAtomic = (p, d) => fs.writeFileAtomic(p, d, 0o666);
    const back = await rollback(j, { ...o, fs: lossy });
    expect(back.differences).toEqual(['/etc/containerd/config.toml has mode 666, was 640']);
  });
});

describe('item 11: "back as they were" only when it is true', () => {
  it('a command the fix ran (its effects untracked) is reported by the rollback, never claimed undone', async () => {
    const root = await node();
    const fs = new RootedFs(root);
    const exec = fakeExec();
    const o = opts(fs, exec);
    const j = await applyPlan(
      await preparePlan(fs, [ACTIONS[0]!, { kind: 'run', argv: ['update-ca-certificates'], description: 'rebuild the bundle' }]),
      o,
    );
    expect(exec.calls).toEqual(['update-ca-certificates']);
    const back = await rollback(j, o);
    expect(back.differences).toEqual(['the fix ran `update-ca-certificates`: what that command changed is not tracked and was not undone']);
  });
});

describe('item 12: crash-safe journal, lock, drift between journals', () => {
  it('kill -9 during the restart: the journal says "restart pending", and the rollback restarts the runtime too', async () => {
    const root = await node();
    const before = await tree(root);
    const fs = new RootedFs(root);
    const plan = await preparePlan(fs, ACTIONS);
    let restarting!: () => void;
    const reached = new Promise<void>((r) => (restarting = r));
    // the restart never returns: the process dies there (kill -9); nothing after it runs
    const hang = fakeExec(() => (restarting(), new Promise(() => undefined)));
    void applyPlan(plan, opts(fs, hang));
    await reached;
    const j = await loadJournal(fs, STATE);
    expect(j.status).toBe('applying');
    expect(j.restartPending).toBe(true);
    expect((await interruptedJournals(fs, STATE)).map((x) => x.id)).toEqual([j.id]);
    const exec = fakeExec();
    const back = await rollback(j, opts(fs, exec));
    expect(await interruptedJournals(fs, STATE)).toEqual([]);
    expect(exec.calls).toEqual(['sh -c restart-it']);
    expect(back.differences).toEqual([]);
    expect(await tree(root)).toEqual(before);
  });

  it('a crash between journal entry and write: rolling back the interrupted journal is not drift', async () => {
    const root = await node();
    const before = await tree(root);
    const fs = new RootedFs(root);
    // the process "dies" at the third node write: fs throws something the engine cannot see (simulated by never returning)
    const dying = Object.create(fs) as RootedFs;
    let n = 0;
    let died!: () => void;
    const dead = new Promise<void>((r) => (died = r));
    dying.writeFileAtomic = async (p, d, m, ow) => {
      if (!p.startsWith(STATE) && ++n === 3) {
        died();
        return new Promise(() => undefined);
      }
      return fs.writeFileAtomic(p, d, m, ow);
    };
    void applyPlan(await preparePlan(fs, ACTIONS), opts(dying));
    await dead;
    const j = await loadJournal(fs, STATE);
    expect(j.files.map((f) => f.path)).toContain('/etc/containerd/certs.d/reg.test:5000/ca.crt'); // recorded, never written
    const back = await rollback(j, opts(fs));
    expect(back.differences).toEqual([]);
    expect(await tree(root)).toEqual(before);
  });

  it('rolling back an older journal after a newer fix touched the same file is refused, naming the newer one', async () => {
    const root = await node();
    const fs = new RootedFs(root);
    const o = opts(fs);
    const a = await applyPlan(
      await preparePlan(fs, [
        { kind: 'write-file', path: '/etc/containerd/certs.d/reg.test:5000/hosts.toml', content: 'server = "https://a"\n' },
      ]),
      o,
    );
    await new Promise((r) => setTimeout(r, 5));
    const b = await applyPlan(
      await preparePlan(fs, [
        { kind: 'write-file', path: '/etc/containerd/certs.d/reg.test:5000/hosts.toml', content: 'server = "https://b"\n' },
        ACTIONS[1]!,
      ]),
      o,
    );
    expect(b.createdAt >= a.createdAt).toBe(true);
    await expect(rollback(a, o)).rejects.toThrow(
      new RegExp(`journal ${b.id} \\(newer, applied\\) also changed /etc/containerd/certs.d/reg.test:5000/hosts.toml`),
    );
    expect(await readFile(path.join(root, 'etc/containerd/certs.d/reg.test:5000/hosts.toml'), 'utf8')).toBe('server = "https://b"\n');
    await rollback(b, o);
    expect((await rollback(a, o)).differences).toEqual([]);
    await expect(stat(path.join(root, 'etc/containerd/certs.d'))).rejects.toThrow();
    expect(await readFile(path.join(root, 'etc/containerd/config.toml'), 'utf8')).toBe(CONFIG);
  });

  it('the state-directory lock: a live holder makes a second run fail clearly; a dead holder’s lock is taken over', async () => {
    const root = await node();
    const fs = new RootedFs(root);
    await mkdir(path.join(root, 'var/lib/regdoctor'), { recursive: true });
    const holder = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await writeFile(
        path.join(root, 'var/lib/regdoctor/lock'),
        JSON.stringify({ pid: holder.pid, since: '2026-01-01T00:00:00Z', what: 'fix' }),
      );
      let ran = false;
      const t0 = Date.now();
      await expect(withStateLock(fs, STATE, async () => (ran = true), { waitMs: 400 })).rejects.toThrow(
        new RegExp(`another regdoctor fix \\(pid ${holder.pid}, .*holds the lock /var/lib/regdoctor/lock`),
      );
      expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
      expect(ran).toBe(false);
    } finally {
      holder.kill('SIGKILL');
    }
    // a lock left by a process that no longer runs
    const gone = spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim();
    await writeFile(path.join(root, 'var/lib/regdoctor/lock'), JSON.stringify({ pid: Number(gone), what: 'fix' }));
    const logs: string[] = [];
    expect(await withStateLock(fs, STATE, async () => 'ran', { log: (l) => logs.push(l) })).toBe('ran');
    expect(logs.join('\n')).toMatch(/taking over a stale lock .*pid \d+ no longer runs/);
    await expect(stat(path.join(root, 'var/lib/regdoctor/lock'))).rejects.toThrow(); // released
  });

  it('fix and rollback hold the lock: two applies at once never interleave; `regdoctor rollback` fails clearly while a fix holds it', async () => {
    const root = await node();
    const fs = new RootedFs(root);
    let release!: () => void;
    const held = withStateLock(fs, STATE, () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 50));
    const lockText = await readFile(path.join(root, 'var/lib/regdoctor/lock'), 'utf8');
    expect(JSON.parse(lockText).pid).toBe(process.pid);
    // a second holder in this very process (same pid, alive) must wait, not enter
    let second = false;
    const waiting = withStateLock(fs, STATE, async () => (second = true), { waitMs: 2000 });
    await new Promise((r) => setTimeout(r, 200));
    expect(second).toBe(false);
    release();
    await held;
    await waiting;
    expect(second).toBe(true);

    // the CLI: a journal to roll back, and a lock held by another live process
    const j: Journal = await applyPlan(await preparePlan(fs, [ACTIONS[0]!]), opts(fs));
    const holder = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await writeFile(path.join(root, 'var/lib/regdoctor/lock'), JSON.stringify({ pid: holder.pid, what: 'fix' }));
      const { run } = await import('../../src/cli/commands/rollback.js');
      const stderr: string[] = [];
      const io = {
        stdout: { write: () => true },
        stderr: { write: (s: string) => stderr.push(s) },
        stdin: process.stdin,
        env: {},
        interactive: false,
        color: false,
        columns: 80,
        signal: new AbortController().signal,
      };
      const t0 = Date.now();
      expect(await run(['--root', root, j.id], io)).toBe(1);
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect(stderr.join('')).toMatch(/another regdoctor fix \(pid \d+.*holds the lock/);
      expect(await readFile(path.join(root, 'etc/containerd/certs.d/docker.io/hosts.toml'), 'utf8')).toContain('registry-1.docker.io');
    } finally {
      holder.kill('SIGKILL');
    }
  });
});
