// Issue 14 item 1: every round of one guided `fix` session is journalled in the same session; rolling back any of its
// journals (the newest, as `regdoctor rollback` picks, or the session's first id) undoes every round, newest first,
// byte for byte with modes, restarting the runtime once.
import { describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RootedFs } from '../../src/adapters/fs.js';
import type { ExecAdapter } from '../../src/adapters/exec.js';
import { applyPlan, loadJournal, preparePlan, rollback } from '../../src/fix/engine.js';

const HOSTS = '/etc/containerd/certs.d/reg.test:5000/hosts.toml';
const ORIGINAL = '# hand-written\nserver = "https://reg.test:5000"\n';

async function setup() {
  const root = await mkdtemp(path.join(tmpdir(), 'regdoctor-session-'));
  await mkdir(path.join(root, 'etc/containerd/certs.d/reg.test:5000'), { recursive: true });
  await writeFile(path.join(root, HOSTS), ORIGINAL, { mode: 0o640 });
  const fs = new RootedFs(root);
  const restarts: string[] = [];
  // records the restart commands the engine runs (sh -c CMD); a real process would restart nothing here
  const exec: ExecAdapter = {
    run: async (_file, args) => (
      restarts.push(String(args.at(-1))),
      { exitCode: 0, stdout: '', stderr: '', notFound: false, timedOut: false, durationMs: 0 }
    ),
  };
  const o = { fs, exec, stateDir: '/var/lib/regdoctor', restartCmd: 'restart-it', waitForRuntime: async () => true, log: () => undefined };
  // round 1: the CA (new file + hosts.toml edit); round 2: the client pair (new files + the same hosts.toml again)
  const r1 = await preparePlan(fs, [
    { kind: 'write-file', path: '/etc/containerd/certs.d/reg.test:5000/ca.pem', content: 'CA\n', mode: 0o644 },
    { kind: 'write-file', path: HOSTS, content: `${ORIGINAL}ca = "ca.pem"\n`, mode: 0o640 },
  ]);
  const j1 = await applyPlan(r1, { ...o, target: 'reg.test:5000/app:1', proposal: 'hosts-toml-ca', session: true });
  const r2 = await preparePlan(fs, [
    { kind: 'write-file', path: '/etc/containerd/certs.d/reg.test:5000/key.pem', content: 'KEY\n', mode: 0o600 },
    { kind: 'write-file', path: HOSTS, content: `${ORIGINAL}ca = "ca.pem"\nclient = [["c.pem", "key.pem"]]\n`, mode: 0o640 },
    { kind: 'restart-runtime', service: 'containerd' },
  ]);
  const j2 = await applyPlan(r2, { ...o, target: 'reg.test:5000/app:1', proposal: 'hosts-toml-client', session: j1.id });
  return { root, fs, o, j1, j2, restarts };
}

async function expectOriginal(root: string) {
  expect(await readFile(path.join(root, HOSTS), 'utf8')).toBe(ORIGINAL);
  expect((await stat(path.join(root, HOSTS))).mode & 0o7777).toBe(0o640);
  await expect(stat(path.join(root, 'etc/containerd/certs.d/reg.test:5000/ca.pem'))).rejects.toThrow(/ENOENT/);
  await expect(stat(path.join(root, 'etc/containerd/certs.d/reg.test:5000/key.pem'))).rejects.toThrow(/ENOENT/);
}

describe('one rollback undoes a whole guided session', () => {
  it('the newest journal (what `regdoctor rollback` picks) rolls back both rounds, restarting once', async () => {
    const { root, fs, o, j1, j2, restarts } = await setup();
    expect(j1.session).toBe(j1.id);
    expect(j2.session).toBe(j1.id);
    restarts.length = 0;
    const latest = await loadJournal(fs, o.stateDir);
    expect(latest.id).toBe(j2.id);
    const back = await rollback(latest, o);
    expect(back.differences).toEqual([]);
    await expectOriginal(root);
    expect(restarts).toEqual(['restart-it']);
    await expect(loadJournal(fs, o.stateDir)).rejects.toThrow(/already rolled back/);
  });

  it('the session id (the first journal, as fix prints it) rolls back the later round first, then the first', async () => {
    const { root, fs, o, j1 } = await setup();
    const back = await rollback(await loadJournal(fs, o.stateDir, j1.id), o);
    expect(back.differences).toEqual([]);
    await expectOriginal(root);
  });
});
