// The only code that changes a node: prepares a plan (new file contents + unified diffs), applies it with atomic
// writes and timestamped backups under the state directory, records a journal, restarts the runtime only when
// needed (rolling back that step if the restart fails), and rolls a journal back byte for byte.
import { createHash, randomBytes } from 'node:crypto';
import type { FsAdapter } from '../adapters/fs.js';
import type { ExecAdapter } from '../adapters/exec.js';
import type { FixAction } from '../core/types.js';
import { editToml } from './toml-edit.js';
import { unifiedDiff } from './diff.js';
import { describeAction } from './propose.js';

export const DEFAULT_STATE_DIR = '/var/lib/regdoctor';

export interface PlannedStep {
  action: FixAction;
  /** For file actions: the node path, current and new content. */
  path?: string;
  before?: Buffer;
  after?: Buffer;
  mode?: number;
  diff?: string;
  summary: string;
}

export interface JournalFile {
  path: string;
  existed: boolean;
  mode: number;
  beforeSha?: string;
  afterSha: string;
  /** Node path of the backup copy (when the file existed). */
  backup?: string;
}

export interface Journal {
  schema: 'regdoctor/journal@1';
  id: string;
  createdAt: string;
  target: string;
  proposal: string;
  files: JournalFile[];
  createdDirs: string[];
  restarted: boolean;
  status: 'applied' | 'rolled-back' | 'partially-applied';
  steps: string[];
}

export class FixError extends Error {
  override name = 'FixError';
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export function journalId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

/** Computes every file's new content and diff. Throws FixError (nothing changed) on any problem. */
export async function preparePlan(fs: FsAdapter, actions: FixAction[]): Promise<PlannedStep[]> {
  const steps: PlannedStep[] = [];
  const pending = new Map<string, Buffer>();
  const current = async (path: string): Promise<Buffer | undefined> => {
    if (pending.has(path)) return pending.get(path);
    try {
      return await fs.readFile(path, 8 << 20);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw new FixError(`cannot read ${path}: ${(err as Error).message}`);
    }
  };
  for (const a of actions) {
    if (a.kind === 'write-file' || a.kind === 'edit-toml') {
      const before = await current(a.path);
      let after: Buffer;
      if (a.kind === 'write-file') after = Buffer.from(a.content);
      else {
        try {
          after = Buffer.from(editToml(before?.toString('utf8') ?? '', a.edit));
        } catch (err) {
          throw new FixError(`${a.path}: ${(err as Error).message}`);
        }
      }
      pending.set(a.path, after);
      const st = await fs.stat(a.path).catch(() => undefined);
      steps.push({
        action: a,
        path: a.path,
        before,
        after,
        mode: a.kind === 'write-file' && a.mode !== undefined ? a.mode : st ? st.mode : 0o644,
        diff: before && before.equals(after) ? '' : unifiedDiff(before?.toString('utf8') ?? '', after.toString('utf8'), before ? a.path : '/dev/null', a.path),
        summary: describeAction(a),
      });
    } else steps.push({ action: a, summary: describeAction(a) });
  }
  return steps;
}

export interface ApplyOptions {
  fs: FsAdapter;
  exec: ExecAdapter;
  stateDir: string;
  target: string;
  proposal: string;
  /** Shell command that restarts the runtime (default: systemctl restart containerd). */
  restartCmd?: string;
  /** Waits until the runtime answers again after a restart; false when it does not. */
  waitForRuntime: () => Promise<boolean>;
  /** Asked before each step when set (interactive mode); false skips the step... and stops. */
  confirm?: (step: PlannedStep, index: number) => Promise<boolean>;
  log: (line: string) => void;
}

async function saveJournal(fs: FsAdapter, stateDir: string, j: Journal) {
  await fs.mkdirp(`${stateDir}/journal`, 0o700);
  await fs.writeFileAtomic(`${stateDir}/journal/${j.id}.json`, `${JSON.stringify(j, null, 2)}\n`, 0o600);
}

async function ensureDir(fs: FsAdapter, dir: string, created: string[]) {
  const missing: string[] = [];
  let d = dir;
  while (d && d !== '/' && !(await fs.exists(d))) {
    missing.unshift(d);
    d = d.slice(0, d.lastIndexOf('/')) || '/';
  }
  for (const m of missing) {
    await fs.mkdirp(m, 0o755);
    created.push(m);
  }
}

export async function restartRuntime(o: Pick<ApplyOptions, 'exec' | 'restartCmd' | 'waitForRuntime' | 'log'>, service = 'containerd'): Promise<{ ok: boolean; message: string }> {
  let r = o.restartCmd ? await o.exec.run('sh', ['-c', o.restartCmd], { timeoutMs: 60_000 }) : await o.exec.run('systemctl', ['restart', service], { timeoutMs: 90_000 });
  // no systemd: OpenRC / SysV `service`
  if (!o.restartCmd && r.notFound) r = await o.exec.run('service', [service, 'restart'], { timeoutMs: 90_000 });
  if (r.notFound) return { ok: false, message: 'neither systemctl nor service found: restart the runtime with your service manager, or pass --restart-cmd' };
  if (r.exitCode !== 0) return { ok: false, message: `restart failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim().slice(0, 500)}` };
  o.log(`restarted ${service}; waiting for its CRI socket…`);
  return (await o.waitForRuntime()) ? { ok: true, message: `${service} is back` } : { ok: false, message: `${service} did not come back on its socket in time` };
}

/** Applies prepared steps. Files are written atomically with a backup first; the journal is saved after each step. */
export async function applyPlan(steps: PlannedStep[], o: ApplyOptions): Promise<Journal> {
  const j: Journal = {
    schema: 'regdoctor/journal@1',
    id: journalId(),
    createdAt: new Date().toISOString(),
    target: o.target,
    proposal: o.proposal,
    files: [],
    createdDirs: [],
    restarted: false,
    status: 'partially-applied',
    steps: [],
  };
  const backupDir = `${o.stateDir}/backups/${j.id}`;
  for (const [i, s] of steps.entries()) {
    if (o.confirm && !(await o.confirm(s, i))) {
      o.log(`skipped: ${s.summary} — stopping here`);
      break;
    }
    const a = s.action;
    if (s.path && s.after) {
      if (s.before && s.before.equals(s.after)) {
        o.log(`unchanged: ${s.path}`);
        continue;
      }
      const dir = s.path.slice(0, s.path.lastIndexOf('/')) || '/';
      await ensureDir(o.fs, dir, j.createdDirs);
      const entry: JournalFile = { path: s.path, existed: Boolean(s.before), mode: s.mode ?? 0o644, beforeSha: s.before ? sha(s.before) : undefined, afterSha: sha(s.after) };
      if (s.before) {
        await o.fs.mkdirp(backupDir, 0o700);
        entry.backup = `${backupDir}/${s.path.replace(/^\//, '').replace(/\//g, '__')}`;
        await o.fs.writeFileAtomic(entry.backup, s.before, 0o600);
      }
      // record before writing: a crash between the two still leaves a way back
      const existing = j.files.find((f) => f.path === s.path);
      if (existing) existing.afterSha = entry.afterSha;
      else j.files.push(entry);
      await saveJournal(o.fs, o.stateDir, j);
      await o.fs.writeFileAtomic(s.path, s.after, s.mode);
      j.steps.push(s.summary);
      o.log(`${entry.existed ? 'updated' : 'created'} ${s.path} (backup: ${entry.backup ?? 'none, new file'})`);
    } else if (a.kind === 'restart-runtime') {
      const r = await restartRuntime(o, a.service);
      if (!r.ok) {
        o.log(`${r.message} — rolling back the configuration change and restarting on the old configuration`);
        j.status = 'partially-applied';
        await saveJournal(o.fs, o.stateDir, j);
        await rollback(j, { ...o, force: true, restart: true });
        throw new FixError(`${r.message}; the change was rolled back (journal ${j.id})`);
      }
      j.restarted = true;
      j.steps.push(s.summary);
      o.log(r.message);
    } else if (a.kind === 'run') {
      const r = await o.exec.run(a.argv[0]!, a.argv.slice(1), { timeoutMs: 120_000, input: a.stdin });
      if (r.exitCode !== 0) throw new FixError(`${a.argv.join(' ')} failed (exit ${r.exitCode}): ${r.stderr.trim().slice(0, 300)}`);
      j.steps.push(s.summary);
    } else {
      o.log(`manual: ${s.summary}`);
    }
  }
  j.status = j.steps.length === steps.filter((s) => !(s.before && s.after && s.before.equals(s.after))).length ? 'applied' : 'partially-applied';
  await saveJournal(o.fs, o.stateDir, j);
  return j;
}

/** Polls the CRI socket until the runtime answers (after a restart), up to `timeoutMs`. */
export function criWaiter(cri: { detect(o: { endpoint?: string; timeoutMs: number }): Promise<object> }, endpoint?: string, timeoutMs = 30_000): () => Promise<boolean> {
  return async () => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!('error' in (await cri.detect({ endpoint, timeoutMs: 1000 })))) return true;
      await new Promise((r) => setTimeout(r, 300));
    }
    return false;
  };
}

export async function loadJournal(fs: FsAdapter, stateDir: string, id?: string): Promise<Journal> {
  const dir = `${stateDir}/journal`;
  const names = (await fs.readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  if (names.length === 0) throw new FixError(`no journal in ${dir}: nothing to roll back`);
  let name: string | undefined;
  if (id) name = names.find((n) => n === `${id}.json` || n.startsWith(id));
  else {
    for (const n of [...names].reverse()) {
      const j = JSON.parse(await fs.readText(`${dir}/${n}`)) as Journal;
      if (j.status !== 'rolled-back') {
        name = n;
        break;
      }
    }
  }
  if (!name) throw new FixError(id ? `no journal ${id} in ${dir}` : `every journal in ${dir} is already rolled back`);
  return JSON.parse(await fs.readText(`${dir}/${name}`)) as Journal;
}

/** Restores a journal exactly: files byte for byte with their modes, created files and directories removed. */
export async function rollback(
  j: Journal,
  o: Pick<ApplyOptions, 'fs' | 'exec' | 'stateDir' | 'restartCmd' | 'waitForRuntime' | 'log'> & { force?: boolean; restart?: boolean },
): Promise<Journal> {
  if (j.status === 'rolled-back') throw new FixError(`journal ${j.id} is already rolled back`);
  if (!o.force) {
    for (const f of j.files) {
      const cur = await o.fs.readFile(f.path, 8 << 20).catch(() => undefined);
      if (!cur || sha(cur) !== f.afterSha) throw new FixError(`${f.path} changed since regdoctor wrote it; refusing to roll back over that (use --force)`);
    }
  }
  for (const f of [...j.files].reverse()) {
    if (f.existed && f.backup) {
      const data = await o.fs.readFile(f.backup, 8 << 20);
      if (f.beforeSha && sha(data) !== f.beforeSha) throw new FixError(`backup ${f.backup} is damaged (checksum mismatch); ${f.path} left as is`);
      await o.fs.writeFileAtomic(f.path, data, f.mode);
      o.log(`restored ${f.path}`);
    } else {
      await o.fs.remove(f.path);
      o.log(`removed ${f.path} (regdoctor created it)`);
    }
  }
  for (const d of [...j.createdDirs].reverse()) {
    const left = await o.fs.readdir(d);
    if (left.length === 0) {
      const { rmdir } = await import('node:fs/promises');
      await rmdir(await o.fs.resolve(d)).catch(() => undefined);
    }
  }
  if (j.restarted || o.restart) {
    const r = await restartRuntime(o);
    o.log(r.ok ? 'runtime restarted on the restored configuration' : `warning: ${r.message}`);
  }
  const done: Journal = { ...j, status: 'rolled-back' };
  await saveJournal(o.fs, o.stateDir, done);
  return done;
}
