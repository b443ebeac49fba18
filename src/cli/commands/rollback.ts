// `regdoctor rollback [id]`: restores the files of a fix journal exactly — bytes, mode, owner and symbolic links —
// (the latest one by default), under the state-directory lock, and verifies the result before saying so.
import * as path from 'node:path';
import { EXIT, UsageError, type CliIO } from '../../app/io.js';
import { parseCommandArgs } from '../options.js';
import { createRealAdapters } from '../../app/adapters.js';
import { criWaiter, DEFAULT_STATE_DIR, FixError, loadJournal, RESTART_SKIPPED_ROOT, rollback, withStateLock } from '../../fix/engine.js';

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    'state-dir': { type: 'string' },
    'restart-cmd': { type: 'string' },
    force: { type: 'boolean' },
    list: { type: 'boolean' },
  });
  if (positionals.length > 1) throw new UsageError('rollback takes at most one journal id');
  const root = (values.root as string | undefined) ?? '/';
  const stateDir = (values['state-dir'] as string | undefined) ?? DEFAULT_STATE_DIR;
  const restartCmd = values['restart-cmd'] as string | undefined;
  const adapters = createRealAdapters({ root, env: io.env });
  const out = (s: string) => io.stdout.write(`${s}\n`);
  if (values.list) {
    const names = (await adapters.fs.readdir(`${stateDir}/journal`)).filter((n) => n.endsWith('.json'));
    for (const n of names) {
      const j = JSON.parse(await adapters.fs.readText(`${stateDir}/journal/${n}`));
      out(`${j.id}  ${j.status.padEnd(17)} ${j.target}  ${j.proposal}  (${j.files.length} files)${j.restartPending ? '  restart pending' : ''}`);
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
        const j = await loadJournal(adapters.fs, stateDir, positionals[0]);
        out(`rolling back ${j.id} (${j.proposal} for ${j.target}, ${j.createdAt}${j.status !== 'applied' ? `, ${j.status}${j.restartPending ? ', restart was pending' : ''}` : ''})`);
        const back = await rollback(j, {
          fs: adapters.fs,
          exec: adapters.exec,
          stateDir,
          restartCmd,
          skipRestart,
          force: Boolean(values.force),
          waitForRuntime: criWaiter(adapters.cri, values['runtime-endpoint'] as string | undefined),
          log: (l) => out(`  ${l}`),
        });
        if (back.differences.length) {
          io.stderr.write(`regdoctor rollback: restored from journal ${j.id}, but not everything is as it was:\n${back.differences.map((d) => `  - ${d}\n`).join('')}`);
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
