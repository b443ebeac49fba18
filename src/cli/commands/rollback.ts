// `regdoctor rollback [id]`: restores the files of a fix journal exactly — bytes, mode, owner and symbolic links —
// (the latest one by default), under the state-directory lock, and verifies the result before saying so.
// parseRollbackOptions turns argv into RollbackOptions; runRollback holds the policy (RollbackDeps injectable).
import * as path from 'node:path';
import { EXIT, UsageError, type CliIO } from '../../app/io.js';
import { t, tn } from '../../i18n/index.js';
import { displayWidth, padEndWidth } from '../../text/width.js';
import { parseCommandArgs } from '../options.js';
import { createRealAdapters } from '../../app/adapters.js';
import type { Adapters } from '../../core/adapters.js';
import {
  criWaiter,
  DEFAULT_STATE_DIR,
  differencesText,
  FixError,
  loadJournal,
  RESTART_SKIPPED_ROOT,
  rollback,
  withStateLock,
  type Journal,
} from '../../fix/engine.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { errorText } from '../../fix/errors.js';
import { compareCodeUnits } from '../../text/compare.js';

/** `regdoctor rollback` flags, parsed. */
export interface RollbackOptions {
  /** Journal id; the latest journal when absent. */
  id?: string;
  root: string;
  stateDir: string;
  restartCmd?: string;
  runtimeEndpoint?: string;
  force: boolean;
  list: boolean;
}

export function parseRollbackOptions(args: string[], _env: CliIO['env']): RollbackOptions {
  const { values, positionals } = parseCommandArgs(args, {
    'state-dir': { type: 'string' },
    'restart-cmd': { type: 'string' },
    force: { type: 'boolean' },
    list: { type: 'boolean' },
  });
  if (positionals.length > 1) throw new UsageError(t('cli.err.rollbackOneId'));
  return {
    id: positionals[0],
    root: (values.root as string | undefined) ?? '/',
    stateDir: (values['state-dir'] as string | undefined) ?? DEFAULT_STATE_DIR,
    restartCmd: values['restart-cmd'] as string | undefined,
    runtimeEndpoint: values['runtime-endpoint'] as string | undefined,
    force: Boolean(values.force),
    list: Boolean(values.list),
  };
}

/** The journal fields `rollback --list` shows (an unreadable journal has only its id and status). */
export type JournalRow = Partial<Pick<Journal, 'createdAt' | 'target' | 'proposal' | 'files' | 'restartPending'>> & {
  id: string;
  status: string;
};

/** `rollback --list`: a header and aligned columns, oldest first; the journal a bare `rollback` would undo is marked. */
export function renderJournalList(journals: readonly JournalRow[], dir: string): string {
  if (journals.length === 0) return `${t('cli.rollback.none', { dir: sanitizeLine(dir) })}\n`;
  const sorted = [...journals].sort((a, b) => compareCodeUnits(a.createdAt ?? '', b.createdAt ?? '') || compareCodeUnits(a.id, b.id));
  const next = [...sorted].reverse().find((j) => j.status !== 'rolled-back' && j.status !== 'unreadable');
  const table = [
    (['id', 'created', 'status', 'target', 'fix', 'files', 'note'] as const).map((c) => t(`cli.rollback.col.${c}`)),
    ...sorted.map((j) => {
      const n = j.files?.length;
      const notes = [...(j.restartPending ? [t('cli.rollback.restartPending')] : []), ...(j === next ? [t('cli.rollback.next')] : [])];
      return [
        j.id,
        j.createdAt ? j.createdAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, 'Z') : '-',
        j.status,
        j.target ?? '-',
        j.proposal ?? '-',
        n === undefined ? '-' : tn('cli.rollback.files', n),
        notes.join(t('tally.sep')),
      ].map((c) => sanitizeLine(String(c)));
    }),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => displayWidth(r[i]!))));
  return `${table
    .map((r) =>
      r
        .map((c, i) => padEndWidth(c, widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

/** What `runRollback` works with; everything but `io` has a real default. */
export interface RollbackDeps {
  io: CliIO;
  adapters?: (o: { root: string; env: CliIO['env'] }) => Adapters;
  rollback?: typeof rollback;
  loadJournal?: typeof loadJournal;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  return runRollback(parseRollbackOptions(args, io.env), { io });
}

export async function runRollback(o: RollbackOptions, deps: RollbackDeps): Promise<number> {
  const { io } = deps;
  const { root, stateDir, restartCmd } = o;
  const adapters = (deps.adapters ?? createRealAdapters)({ root, env: io.env });
  const out = (s: string) => io.stdout.write(`${s}\n`);
  if (o.list) {
    const dir = `${stateDir}/journal`;
    const rows: JournalRow[] = [];
    for (const n of (await adapters.fs.readdir(dir)).filter((x) => x.endsWith('.json'))) {
      try {
        rows.push(JSON.parse(await adapters.fs.readText(`${dir}/${n}`)) as JournalRow);
      } catch {
        rows.push({ id: n.replace(/\.json$/, ''), status: 'unreadable' });
      }
    }
    io.stdout.write(renderJournalList(rows, dir));
    return EXIT.ok;
  }
  // --root: never the host's service manager nor its CRI socket, unless --restart-cmd says how
  const skipRestart = path.resolve(root) !== '/' && !restartCmd ? RESTART_SKIPPED_ROOT : undefined;
  try {
    return await withStateLock(
      adapters.fs,
      stateDir,
      async () => {
        const j = await (deps.loadJournal ?? loadJournal)(adapters.fs, stateDir, o.id);
        const about = { id: j.id, proposal: j.proposal, target: j.target, created: j.createdAt, status: j.status };
        out(
          j.status === 'applied'
            ? t('cli.rollback.start', about)
            : t(j.restartPending ? 'cli.rollback.startPending' : 'cli.rollback.startState', about),
        );
        const back = await (deps.rollback ?? rollback)(j, {
          fs: adapters.fs,
          exec: adapters.exec,
          stateDir,
          restartCmd,
          skipRestart,
          force: o.force,
          waitForRuntime: criWaiter(adapters.cri, o.runtimeEndpoint),
          log: (l) => out(`  ${l}`),
        });
        if (back.differences.length) {
          io.stderr.write(
            `regdoctor rollback: ${t('cli.rollback.differences', { id: j.id })}\n${differencesText(back)
              .map((d) => `  - ${d}\n`)
              .join('')}`,
          );
          return EXIT.problems;
        }
        out(t('cli.rollback.done'));
        return EXIT.ok;
      },
      { log: (l) => out(l), what: 'rollback' },
    );
  } catch (err) {
    if (err instanceof FixError) {
      io.stderr.write(`regdoctor rollback: ${errorText(err)}\n`);
      return EXIT.problems;
    }
    throw err;
  }
}
