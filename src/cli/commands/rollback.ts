// `regdoctor rollback [id]`: restores the files of a fix journal exactly — bytes, mode, owner and symbolic links —
// (the latest one by default), under the state-directory lock, and verifies the result before saying so.
// parseRollbackOptions turns argv into RollbackOptions; runRollback holds the policy (RollbackDeps injectable).
import * as path from 'node:path';
import { EXIT, UsageError, type CliIO } from '../../app/io.js';
import { parseCommandArgs } from '../options.js';
import { createRealAdapters } from '../../app/adapters.js';
import type { Adapters } from '../../core/adapters.js';
import { criWaiter, DEFAULT_STATE_DIR, FixError, loadJournal, RESTART_SKIPPED_ROOT, rollback, withStateLock } from '../../fix/engine.js';

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
  if (positionals.length > 1) throw new UsageError('rollback takes at most one journal id');
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
    const names = (await adapters.fs.readdir(`${stateDir}/journal`)).filter((n) => n.endsWith('.json'));
    for (const n of names) {
      const j = JSON.parse(await adapters.fs.readText(`${stateDir}/journal/${n}`));
      out(
        `${j.id}  ${j.status.padEnd(17)} ${j.target}  ${j.proposal}  (${j.files.length} files)${j.restartPending ? '  restart pending' : ''}`,
      );
    }
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
        out(
          `rolling back ${j.id} (${j.proposal} for ${j.target}, ${j.createdAt}${j.status !== 'applied' ? `, ${j.status}${j.restartPending ? ', restart was pending' : ''}` : ''})`,
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
            `regdoctor rollback: restored from journal ${j.id}, but not everything is as it was:\n${back.differences.map((d) => `  - ${d}\n`).join('')}`,
          );
          return EXIT.problems;
        }
        out('done: the files are back as they were (contents, modes, owners and symbolic links verified).');
        return EXIT.ok;
      },
      { log: (l) => out(l), what: 'rollback' },
    );
  } catch (err) {
    if (err instanceof FixError) {
      io.stderr.write(`regdoctor rollback: ${err.message}\n`);
      return EXIT.problems;
    }
    throw err;
  }
}
