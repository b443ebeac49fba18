// The only code that changes a node, all or nothing: prepares a plan (new file contents + unified diffs) without
// writing anything, then — after the single final yes — applies it under an exclusive lock on the state directory
// with atomic writes (through symbolic links, keeping mode and owner), backups and a journal saved before every
// change. Any failing step (a write error, a failed command or restart, an interrupt) rolls back every earlier step
// at once. A journal rolls back exactly: bytes, mode, owner and symbolic links, verified after restoring.
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { FsAdapter } from '../adapters/fs.js';
import type { ExecAdapter } from '../adapters/exec.js';
import type { FixAction } from '../core/types.js';
import { editToml } from './toml-edit.js';
import { editYaml } from './yaml-edit.js';
import { unifiedDiff } from './diff.js';
import { describeAction, describeActionMessage } from './propose.js';
import { msg, t, tr, type Message } from '../i18n/index.js';
import { MessageError, errorParam, joinSaid, saidEnglish, type Said } from './errors.js';
import { shellQuote } from '../text/shell.js';
import { DockerAuthError, editDockerConfig } from './credentials-file.js';
import { applyClusterStep, checkClusterRollback, rollbackCluster, type ClusterUndo } from './credentials-apply.js';

export const DEFAULT_STATE_DIR = '/var/lib/regdoctor';

/** The plan line (and log line) for a restart regdoctor will not do because the files are not the host's. */
export const RESTART_SKIPPED_ROOT = 'restart skipped (--root): restart containerd on that node yourself';

/** A skipped restart's text for the screen: RESTART_SKIPPED_ROOT in the reader's language, any other text as it is. */
export function skipRestartMessage(text: string): Message | undefined {
  return text === RESTART_SKIPPED_ROOT ? msg('fix.log.restartSkippedRoot') : undefined;
}

export interface PlannedStep {
  action: FixAction;
  /** For file actions: the node path, current and new content. */
  path?: string;
  before?: Buffer;
  after?: Buffer;
  mode?: number;
  /** Mode of the existing file (restored by a rollback). */
  beforeMode?: number;
  /** Owner kept for an existing file. */
  uid?: number;
  gid?: number;
  /** When `path` is a symbolic link: its text, and the node path of the file written through it. */
  link?: string;
  target?: string;
  diff?: string;
  /** English (journal, logs); `summaryMessage` is the same step for the screen in the reader's language. */
  summary: string;
  summaryMessage?: Message;
}

export interface JournalFile {
  path: string;
  /** The file actually written when `path` is a symbolic link (the link itself is never replaced). */
  target?: string;
  /** Text of the symbolic link at `path` before the change. */
  link?: string;
  existed: boolean;
  mode: number;
  uid?: number;
  gid?: number;
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
  /** Saved right before a restart: a crash during the restart still leaves a rollback that restarts too. */
  restartPending?: boolean;
  /** Service the fix restarted or reloaded (default containerd), so rollback acts on the same runtime. */
  service?: string;
  reload?: boolean;
  /** Why a planned restart was not done (--root). */
  restartSkipped?: string;
  /** 'applying' until every step is done (a crash leaves it so); 'partially-applied' only in journals of old versions. */
  status: 'applying' | 'applied' | 'rolled-back' | 'partially-applied';
  /** The error that stopped the apply (then rolled back automatically). */
  failure?: string;
  /** Commands the fix ran: their effects are not tracked, so a rollback cannot claim to have undone them. */
  ran?: string[];
  steps: string[];
  /** One guided `fix` session (the id of its first journal): rolling back any journal of it rolls back all of them. */
  session?: string;
  /** Cluster objects the fix created or changed through kubectl, with the commands that undo them (no secrets). */
  cluster?: ClusterUndo[];
  /** Images the fix removed from the runtime's cache (a rollback cannot bring them back; the next pull does). */
  removedImages?: string[];
}

/** What stops a fix (nothing changed, or every step rolled back): `message` English, `errorText()` for the reader. */
export class FixError extends MessageError {
  override name = 'FixError';
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const errCode = (err: unknown) => (err as { code?: string }).code;

export function journalId(now = new Date()): string {
  // milliseconds: names sort in the order the fixes were made
  return `${now.toISOString().replace(/[-:]/g, '').replace('.', '')}-${randomBytes(3).toString('hex')}`;
}

export interface PlanOptions {
  /** Set when regdoctor must not restart the runtime (--root without --restart-cmd): the reason shown in the plan. */
  skipRestart?: string;
  /** --restart-cmd: shown in the plan instead of systemctl. */
  restartCmd?: string;
}

/** Computes every file's new content and diff. Reads only; throws FixError (nothing changed) on any problem. */
export async function preparePlan(fs: FsAdapter, actions: FixAction[], opts: PlanOptions = {}): Promise<PlannedStep[]> {
  const steps: PlannedStep[] = [];
  const pending = new Map<string, Buffer>();
  const current = async (path: string): Promise<Buffer | undefined> => {
    if (pending.has(path)) return pending.get(path);
    try {
      return await fs.readFile(path, 8 << 20);
    } catch (err) {
      const code = errCode(err);
      if (code === 'ENOENT') return undefined;
      throw new FixError(msg('fix.err.cannotRead', { path, error: (err as Error).message }));
    }
  };
  for (const a of actions) {
    if (a.kind === 'write-file' || a.kind === 'edit-toml' || a.kind === 'edit-yaml' || a.kind === 'docker-auth') {
      const before = await current(a.path);
      let after: Buffer;
      if (a.kind === 'write-file') after = Buffer.from(a.content);
      else if (a.kind === 'docker-auth') {
        try {
          after = Buffer.from(editDockerConfig(before?.toString('utf8'), a));
        } catch (err) {
          if (err instanceof DockerAuthError) throw new FixError(err.said ?? err.message);
          throw err;
        }
      } else if (a.kind === 'edit-yaml') {
        try {
          after = Buffer.from(editYaml(before?.toString('utf8') ?? '', a.edit));
        } catch (err) {
          throw new FixError(msg('fix.err.inFile', { path: a.path, error: errorParam(err) }));
        }
      } else {
        try {
          after = Buffer.from(editToml(before?.toString('utf8') ?? '', a.edit));
        } catch (err) {
          throw new FixError(msg('fix.err.inFile', { path: a.path, error: errorParam(err) }));
        }
      }
      pending.set(a.path, after);
      let link: string | undefined;
      let target: string | undefined;
      try {
        link = await fs.readlink(a.path);
        if (link !== undefined) target = await fs.realPath(a.path);
      } catch (err) {
        throw new FixError(msg('fix.err.cannotFollow', { path: a.path, error: (err as Error).message }));
      }
      const st = await fs.stat(a.path).catch(() => undefined);
      if (st && !st.isFile)
        throw new FixError(
          msg('fix.err.notRegular', { path: a.path, what: msg(st.isDirectory ? 'fix.err.aDirectory' : 'fix.err.aSpecialFile') }),
        );
      steps.push({
        action: a,
        path: a.path,
        before,
        after,
        // a new credential file is readable by root only
        mode: a.kind === 'write-file' && a.mode !== undefined ? a.mode : st ? st.mode : a.kind === 'docker-auth' ? 0o600 : 0o644,
        beforeMode: st?.mode,
        uid: st?.uid,
        gid: st?.gid,
        link,
        target,
        diff:
          before && before.equals(after)
            ? ''
            : unifiedDiff(before?.toString('utf8') ?? '', after.toString('utf8'), before ? a.path : '/dev/null', a.path),
        summary: `${describeAction(a)}${link !== undefined ? ` (a symbolic link: written through to ${target})` : ''}`,
        summaryMessage:
          link === undefined
            ? describeActionMessage(a)
            : msg('fix.step.throughLink', { step: describeActionMessage(a) ?? describeAction(a), target: target ?? '' }),
      });
    } else if (a.kind === 'restart-runtime' && opts.skipRestart)
      steps.push({ action: a, summary: opts.skipRestart, summaryMessage: skipRestartMessage(opts.skipRestart) });
    else if (a.kind === 'restart-runtime' && opts.restartCmd) {
      const said = msg(a.reload ? 'fix.step.reloadCmd' : 'fix.step.restartCmd', {
        service: a.service,
        command: `sh -c ${shellQuote(opts.restartCmd)}`,
      });
      steps.push({ action: a, summary: saidEnglish(said), summaryMessage: said });
    } else steps.push({ action: a, summary: describeAction(a), summaryMessage: describeActionMessage(a) });
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
  /** No restart at all (--root without --restart-cmd): the text logged instead. */
  skipRestart?: string;
  /** Waits until the runtime answers again after a restart; false when it does not. */
  waitForRuntime: () => Promise<boolean>;
  /** CRI client for `remove-image` steps (the runtime's endpoint is in the action, else detected). */
  cri?: { removeImage(image: string, o: { endpoint: string; timeoutMs: number }): Promise<{ ok: boolean; message?: string }> };
  /** An interrupt (Ctrl-C) stops between steps and rolls back what was done. */
  signal?: AbortSignal;
  log: (line: string) => void;
  /** The guided session this apply belongs to (the first journal's id); a first round starts one when true. */
  session?: string | true;
}

async function saveJournal(fs: FsAdapter, stateDir: string, j: Journal) {
  await fs.mkdirp(`${stateDir}/journal`, 0o700);
  await fs.writeFileAtomic(`${stateDir}/journal/${j.id}.json`, `${JSON.stringify(j, null, 2)}\n`, 0o600);
}

async function ensureDir(fs: FsAdapter, dir: string, created: string[], save: () => Promise<void>) {
  const missing: string[] = [];
  let d = dir;
  while (d && d !== '/' && !(await fs.exists(d))) {
    missing.unshift(d);
    d = d.slice(0, d.lastIndexOf('/')) || '/';
  }
  for (const m of missing) {
    created.push(m);
    await save();
    await fs.mkdirp(m, 0o755);
  }
}

export async function restartRuntime(
  o: Pick<ApplyOptions, 'exec' | 'restartCmd' | 'waitForRuntime' | 'log'>,
  service = 'containerd',
  reload = false,
): Promise<{ ok: boolean; message: string; said: Message }> {
  const verb = reload ? 'reload' : 'restart';
  const result = (ok: boolean, said: Message) => ({ ok, message: saidEnglish(said), said });
  let r = o.restartCmd
    ? await o.exec.run('sh', ['-c', o.restartCmd], { timeoutMs: 60_000 })
    : await o.exec.run('systemctl', [verb, service], { timeoutMs: 90_000 });
  // no systemd: OpenRC / SysV `service`
  if (!o.restartCmd && r.notFound) r = await o.exec.run('service', [service, verb], { timeoutMs: 90_000 });
  if (r.notFound) return result(false, msg('fix.err.noServiceManager'));
  if (r.exitCode !== 0)
    return result(
      false,
      msg(reload ? 'fix.err.reloadFailed' : 'fix.err.restartFailed', {
        code: r.exitCode,
        output: (r.stderr || r.stdout).trim().slice(0, 500),
      }),
    );
  // a reload keeps the daemon and its socket: nothing to wait for
  if (reload) return result(true, msg('fix.log.reloaded', { service }));
  o.log(t('fix.log.restarted', { service }));
  return (await o.waitForRuntime()) ? result(true, msg('fix.log.back', { service })) : result(false, msg('fix.err.notBack', { service }));
}

const sameBytes = (a: Buffer | undefined, b: Buffer | undefined) => (a === undefined ? b === undefined : b !== undefined && a.equals(b));

async function readOrUndefined(fs: FsAdapter, path: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(path, 8 << 20);
  } catch (err) {
    if (errCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Applies every prepared step, or none: the caller has already had the one final yes. Files are written atomically
 * after their backup and journal entry; a file that changed since the plan was shown stops the apply. Any failure
 * rolls back every earlier step and throws a FixError naming the journal.
 */
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
    status: 'applying',
    steps: [],
  };
  if (o.session !== undefined) j.session = o.session === true ? j.id : o.session;
  const save = () => saveJournal(o.fs, o.stateDir, j);
  const backupDir = `${o.stateDir}/backups/${j.id}`;
  await save();
  try {
    for (const s of steps) {
      if (o.signal?.aborted) throw new FixError(msg('fix.err.interrupted'));
      const a = s.action;
      if (s.path && s.after) {
        if (s.before && s.before.equals(s.after)) {
          o.log(t('fix.log.unchanged', { path: s.path }));
          continue;
        }
        // the plan the operator approved must still be true: nobody changed the file in between
        const now = j.files.some((f) => f.path === s.path) ? s.before : await readOrUndefined(o.fs, s.path);
        if (!sameBytes(now, s.before)) throw new FixError(msg('fix.err.changedSincePlan', { path: s.path }));
        const dir = s.path.slice(0, s.path.lastIndexOf('/')) || '/';
        await ensureDir(o.fs, dir, j.createdDirs, save);
        const existing = j.files.find((f) => f.path === s.path);
        if (existing) existing.afterSha = sha(s.after);
        else {
          const entry: JournalFile = {
            path: s.path,
            target: s.target,
            link: s.link,
            existed: Boolean(s.before),
            mode: s.beforeMode ?? s.mode ?? 0o644,
            uid: s.uid,
            gid: s.gid,
            beforeSha: s.before ? sha(s.before) : undefined,
            afterSha: sha(s.after),
          };
          if (s.before) {
            await o.fs.mkdirp(backupDir, 0o700);
            entry.backup = `${backupDir}/${s.path.replace(/^\//, '').replace(/\//g, '__')}`;
            await o.fs.writeFileAtomic(entry.backup, s.before, 0o600);
          }
          j.files.push(entry);
        }
        // record before writing: a crash between the two still leaves a way back
        await save();
        await o.fs.writeFileAtomic(
          s.path,
          s.after,
          s.mode,
          s.uid !== undefined && s.gid !== undefined ? { uid: s.uid, gid: s.gid } : undefined,
        );
        j.steps.push(s.summary);
        const backup = j.files.find((f) => f.path === s.path)?.backup;
        o.log(
          t(s.before ? 'fix.log.updated' : 'fix.log.created', {
            path: s.path,
            link: s.link !== undefined ? msg('fix.log.throughLink', { target: s.target ?? '' }) : '',
            backup: backup ?? msg('fix.log.noBackup'),
          }),
        );
      } else if (a.kind === 'restart-runtime') {
        if (o.skipRestart) {
          j.restartSkipped = o.skipRestart;
          j.steps.push(s.summary);
          await save();
          o.log(tr(skipRestartMessage(o.skipRestart), o.skipRestart));
          continue;
        }
        j.restartPending = true;
        await save();
        j.service = a.service;
        if (a.reload) j.reload = true;
        const r = await restartRuntime(o, a.service, a.reload);
        if (!r.ok) throw new FixError(r.said);
        j.restarted = true;
        j.restartPending = false;
        j.steps.push(s.summary);
        await save();
        o.log(tr(r.said, r.message));
      } else if (a.kind === 'kube-create-secret' || a.kind === 'kube-patch-sa') {
        await applyClusterStep(a, { exec: o.exec, journal: j, save, log: o.log });
        j.steps.push(s.summary);
        await save();
      } else if (a.kind === 'remove-image') {
        if (!o.cri || !a.endpoint) throw new FixError(msg('fix.err.noCriEndpoint', { image: a.image }));
        const r = await o.cri.removeImage(a.image, { endpoint: a.endpoint, timeoutMs: 30_000 });
        if (!r.ok)
          throw new FixError(msg('fix.err.removeImageFailed', { image: a.image, error: r.message ?? msg('fix.err.unknownError') }));
        (j.removedImages ??= []).push(a.image);
        j.steps.push(s.summary);
        await save();
        o.log(t('fix.log.removedImage', { image: a.image }));
      } else if (a.kind === 'run') {
        const r = await o.exec.run(a.argv[0]!, a.argv.slice(1), { timeoutMs: 120_000, input: a.stdin });
        (j.ran ??= []).push(a.argv.join(' '));
        await save();
        if (r.exitCode !== 0)
          throw new FixError(
            msg('fix.err.commandFailed', { command: a.argv.join(' '), code: r.exitCode, output: r.stderr.trim().slice(0, 300) }),
          );
        j.steps.push(s.summary);
      } else {
        o.log(t('fix.log.manual', { step: s.summaryMessage ?? s.summary }));
      }
    }
  } catch (err) {
    const message = (err as Error).message;
    const error = errorParam(err);
    j.failure = message;
    await save().catch(() => undefined);
    o.log(t('fix.log.failed', { error }));
    try {
      const back = await rollback(j, { ...o, force: true, restart: Boolean(j.restarted || j.restartPending) });
      const left = back.differences.length
        ? msg('fix.err.leftDiffer', { differences: joinSaid(back.differenceMessages ?? back.differences) })
        : msg('fix.err.leftAsWas');
      throw new FixError(msg('fix.err.rolledBack', { error, left, id: j.id }));
    } catch (rbErr) {
      if (rbErr instanceof FixError && rbErr.message.startsWith(message)) throw rbErr;
      throw new FixError(
        msg('fix.err.rollbackFailedToo', {
          error,
          rollbackError: errorParam(rbErr),
          command: `regdoctor rollback ${j.id} --force`,
          id: j.id,
        }),
      );
    }
  }
  j.status = 'applied';
  await save();
  return j;
}

/** Exclusive lock on the state directory for fix and rollback: a second run waits up to `waitMs`, then fails
 *  clearly; a lock left by a process that no longer runs is taken over. */
export async function withStateLock<T>(
  fs: FsAdapter,
  stateDir: string,
  fn: () => Promise<T>,
  o: { waitMs?: number; log?: (l: string) => void; what?: string } = {},
): Promise<T> {
  const lock = `${stateDir}/lock`;
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString(), what: o.what ?? 'fix' });
  await fs.mkdirp(stateDir, 0o700);
  const deadline = Date.now() + (o.waitMs ?? 5000);
  let said = false;
  for (;;) {
    try {
      await fs.createExclusive(lock, `${mine}\n`, 0o600);
      break;
    } catch (err) {
      if (errCode(err) !== 'EEXIST') throw new FixError(msg('fix.err.cannotLock', { dir: stateDir, error: (err as Error).message }));
    }
    const text = await fs.readText(lock, 4096).catch(() => '');
    let holder: { pid?: number; host?: string; since?: string; what?: string } = {};
    try {
      holder = JSON.parse(text);
    } catch {
      // being written right now, or damaged: stale only when old
    }
    const st = await fs.stat(lock);
    const alive = typeof holder.pid === 'number' ? pidAlive(holder.pid) : st !== undefined && Date.now() - st.mtimeMs < 30_000;
    if (!alive) {
      o.log?.(t('fix.log.staleLock', { dir: stateDir, pid: holder.pid ?? '?' }));
      await fs.remove(lock);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new FixError(msg('fix.err.locked', { what: holder.what ?? 'run', pid: holder.pid ?? '?', since: holder.since ?? '?', lock }));
    }
    if (!said) o.log?.(t('fix.log.waitingLock', { pid: holder.pid ?? '?', lock }));
    said = true;
    await new Promise((r) => setTimeout(r, 150));
  }
  try {
    return await fn();
  } finally {
    const text = await fs.readText(lock, 4096).catch(() => '');
    if (text.trim() === mine) await fs.remove(lock).catch(() => undefined);
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errCode(err) === 'EPERM';
  }
}

/** Polls the CRI socket until the runtime answers (after a restart), up to `timeoutMs`. */
export function criWaiter(
  cri: { detect(o: { endpoint?: string; timeoutMs: number }): Promise<object> },
  endpoint?: string,
  timeoutMs = 30_000,
): () => Promise<boolean> {
  return async () => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!('error' in (await cri.detect({ endpoint, timeoutMs: 1000 })))) return true;
      await new Promise((r) => setTimeout(r, 300));
    }
    return false;
  };
}

async function readJournals(fs: FsAdapter, stateDir: string): Promise<Journal[]> {
  const dir = `${stateDir}/journal`;
  const names = (await fs.readdir(dir)).filter((n) => n.endsWith('.json'));
  const out: Journal[] = [];
  for (const n of names) {
    try {
      out.push(JSON.parse(await fs.readText(`${dir}/${n}`)) as Journal);
    } catch (err) {
      throw new FixError(msg('fix.err.journalUnreadable', { file: `${dir}/${n}`, error: (err as Error).message }));
    }
  }
  return out.sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1));
}

const isNewer = (x: Journal, than: Journal) => x.createdAt > than.createdAt || (x.createdAt === than.createdAt && x.id > than.id);

/** Journals left half-applied by a crash (kill -9, power loss) during an apply or its restart: roll those back first. */
export async function interruptedJournals(fs: FsAdapter, stateDir: string): Promise<Journal[]> {
  return (await readJournals(fs, stateDir)).filter((j) => j.status === 'applying');
}

export async function loadJournal(fs: FsAdapter, stateDir: string, id?: string): Promise<Journal> {
  const dir = `${stateDir}/journal`;
  const all = await readJournals(fs, stateDir);
  if (all.length === 0) throw new FixError(msg('fix.err.noJournals', { dir }));
  const j = id
    ? (all.find((x) => x.id === id) ?? all.find((x) => x.id.startsWith(id)))
    : [...all].reverse().find((x) => x.status !== 'rolled-back');
  if (!j) throw new FixError(id ? msg('fix.err.noJournal', { id, dir }) : msg('fix.err.allRolledBack', { dir }));
  return j;
}

export interface RollbackResult extends Journal {
  /** What is not exactly as before after restoring (empty: bytes, mode, owner and links all verified). English. */
  differences: string[];
  /** The same, one entry each, for the screen in the reader's language (differencesText). */
  differenceMessages?: Said[];
}

type RollbackOptions = Pick<ApplyOptions, 'fs' | 'exec' | 'stateDir' | 'restartCmd' | 'skipRestart' | 'waitForRuntime' | 'log'> & {
  force?: boolean;
  restart?: boolean;
};

/** Where the bytes of a journal entry live: the link's target when the path was a symbolic link. */
const realFile = (f: JournalFile) => f.target ?? f.path;
const touched = (f: JournalFile) => [f.path, realFile(f)];

/** Checks that the node is exactly as before a journal: link text, bytes, mode and owner of every file. */
async function differencesFromBefore(fs: FsAdapter, j: Journal): Promise<Message[]> {
  const diffs: Message[] = [];
  for (const f of j.files) {
    const link = await fs.readlink(f.path).catch(() => undefined);
    if (link !== f.link)
      diffs.push(
        f.link === undefined
          ? msg('fix.diff.nowLink', { path: f.path, link: String(link) })
          : msg('fix.diff.noLongerLink', {
              path: f.path,
              link: f.link,
              now: link ? msg('fix.diff.nowTo', { link }) : '',
            }),
      );
    const cur = await readOrUndefined(fs, realFile(f)).catch(() => undefined);
    if (!f.existed) {
      if (cur !== undefined) diffs.push(msg('fix.diff.stillExists', { path: realFile(f) }));
      continue;
    }
    if (!cur) diffs.push(msg('fix.diff.missing', { path: realFile(f) }));
    else if (f.beforeSha && sha(cur) !== f.beforeSha) diffs.push(msg('fix.diff.differs', { path: realFile(f) }));
    const st = await fs.stat(realFile(f)).catch(() => undefined);
    if (st) {
      if ((st.mode & 0o7777) !== f.mode)
        diffs.push(msg('fix.diff.mode', { path: realFile(f), mode: st.mode.toString(8), was: f.mode.toString(8) }));
      if (f.uid !== undefined && (st.uid !== f.uid || st.gid !== f.gid))
        diffs.push(msg('fix.diff.owner', { path: realFile(f), owner: `${st.uid}:${st.gid}`, was: `${f.uid}:${f.gid}` }));
    }
  }
  for (const d of j.createdDirs) if (await fs.exists(d)) diffs.push(msg('fix.diff.dirStill', { dir: d }));
  for (const c of j.ran ?? []) diffs.push(msg('fix.diff.ran', { command: c }));
  return diffs;
}

/** A rollback's differences in the reader's language (the English ones for a result without messages). */
export function differencesText(r: Pick<RollbackResult, 'differences' | 'differenceMessages'>): string[] {
  return r.differenceMessages ? r.differenceMessages.map((d) => (typeof d === 'string' ? d : tr(d))) : r.differences;
}

/**
 * Restores a journal exactly: files byte for byte with their mode and owner (through symbolic links, which stay
 * links), created files and directories removed, the runtime restarted when the fix restarted it (or was about to),
 * then verifies. Refuses (unless forced) when a file changed since regdoctor wrote it, or when a newer fix that is
 * not rolled back touched the same files.
 */
export async function rollback(j: Journal, o: RollbackOptions): Promise<RollbackResult> {
  if (j.status === 'rolled-back') throw new FixError(msg('fix.err.alreadyRolledBack', { id: j.id }));
  if (!j.session) return rollbackOne(j, o);
  // a guided session: every round's journal, newest first, with one restart at the end when any round restarted
  const members = (await readJournals(o.fs, o.stateDir)).filter((x) => x.session === j.session && x.status !== 'rolled-back').reverse();
  if (!members.some((x) => x.id === j.id)) members.push(j);
  const restart = o.restart || members.some((x) => x.restarted || x.restartPending);
  const said = new Map<string, Said>();
  let last: RollbackResult | undefined;
  for (const [i, m] of members.entries()) {
    const final = i === members.length - 1;
    last = await rollbackOne(m, { ...o, restart: final && restart }, j.session, !final);
    (last.differenceMessages ?? last.differences).forEach((d) => said.set(saidEnglish(d), d));
  }
  return { ...last!, differences: [...said.keys()], differenceMessages: [...said.values()] };
}

async function rollbackOne(j: Journal, o: RollbackOptions, session?: string, deferRestart = false): Promise<RollbackResult> {
  if (!o.force) {
    const mine = new Set(j.files.flatMap(touched));
    const newer = (await readJournals(o.fs, o.stateDir)).filter(
      (x) => x.id !== j.id && isNewer(x, j) && x.status !== 'rolled-back' && (session === undefined || x.session !== session),
    );
    for (const n of newer) {
      const both = n.files.flatMap(touched).filter((p) => mine.has(p));
      if (both.length) {
        throw new FixError(msg('fix.err.newerJournal', { newer: n.id, status: n.status, files: [...new Set(both)].join(', '), id: j.id }));
      }
    }
    const interrupted = j.status !== 'applied';
    for (const f of j.files) {
      const link = await o.fs.readlink(f.path).catch(() => undefined);
      if (link !== f.link)
        throw new FixError(
          link === undefined ? msg('fix.err.linkGone', { path: f.path }) : msg('fix.err.linkChanged', { path: f.path, link }),
        );
      const cur = await readOrUndefined(o.fs, realFile(f)).catch(() => undefined);
      const ok =
        (cur !== undefined && sha(cur) === f.afterSha) ||
        (interrupted && (f.existed ? cur !== undefined && sha(cur) === f.beforeSha : cur === undefined));
      if (!ok) throw new FixError(msg('fix.err.changedSinceWritten', { path: f.path }));
    }
    if (j.cluster?.length)
      await checkClusterRollback(j, o.exec).catch((err: Error) =>
        Promise.reject(new FixError(err instanceof MessageError && err.said ? err.said : err.message)),
      );
  }
  for (const f of [...j.files].reverse()) {
    if (f.link !== undefined && (await o.fs.readlink(f.path).catch(() => undefined)) !== f.link) {
      await o.fs.symlink(f.link, f.path);
      o.log(t('fix.log.restoredLink', { path: f.path, link: f.link }));
    }
    const cur = await readOrUndefined(o.fs, realFile(f)).catch(() => undefined);
    if (f.existed && f.backup) {
      const st = await o.fs.stat(realFile(f)).catch(() => undefined);
      if (
        cur &&
        sha(cur) === f.beforeSha &&
        st &&
        (st.mode & 0o7777) === f.mode &&
        (f.uid === undefined || (st.uid === f.uid && st.gid === f.gid))
      )
        continue; // never written
      const data = await o.fs.readFile(f.backup, 8 << 20);
      if (f.beforeSha && sha(data) !== f.beforeSha) throw new FixError(msg('fix.err.backupDamaged', { backup: f.backup, path: f.path }));
      await o.fs.writeFileAtomic(
        realFile(f),
        data,
        f.mode,
        f.uid !== undefined && f.gid !== undefined ? { uid: f.uid, gid: f.gid } : undefined,
      );
      o.log(t('fix.log.restored', { path: f.path, link: f.target ? msg('fix.log.inLinkTarget', { target: f.target }) : '' }));
    } else if (!f.existed && cur !== undefined) {
      await o.fs.remove(realFile(f));
      o.log(t('fix.log.removedCreated', { path: realFile(f) }));
    }
  }
  for (const d of [...j.createdDirs].reverse()) await o.fs.rmdirIfEmpty(d);
  const clusterDiffs = j.cluster?.length ? await rollbackCluster(j, o) : [];
  for (const img of j.removedImages ?? []) o.log(t('fix.log.imageNotRestored', { image: img }));
  if (!deferRestart && (j.restarted || j.restartPending || o.restart)) {
    if (o.skipRestart) o.log(tr(skipRestartMessage(o.skipRestart), o.skipRestart));
    else {
      const r = await restartRuntime(o, j.service, j.reload);
      o.log(r.ok ? t('fix.log.runtimeRestored') : t('fix.log.warning', { message: r.said }));
    }
  }
  const done: Journal = { ...j, status: 'rolled-back', restartPending: false };
  await saveJournal(o.fs, o.stateDir, done);
  const said: Said[] = [...(await differencesFromBefore(o.fs, j)), ...clusterDiffs];
  return { ...done, differences: said.map(saidEnglish), differenceMessages: said };
}
