// `regdoctor rollback [id]`: restores the files of a fix journal byte for byte (the latest one by default).
import { EXIT, UsageError, type CliIO } from '../io.js';
import { parseCommandArgs } from '../options.js';
import { createRealAdapters } from '../../adapters/index.js';
import { criWaiter, DEFAULT_STATE_DIR, FixError, loadJournal, rollback } from '../../fix/engine.js';

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
  const adapters = createRealAdapters({ root, env: io.env });
  const out = (s: string) => io.stdout.write(`${s}\n`);
  if (values.list) {
    const names = (await adapters.fs.readdir(`${stateDir}/journal`)).filter((n) => n.endsWith('.json'));
    for (const n of names) {
      const j = JSON.parse(await adapters.fs.readText(`${stateDir}/journal/${n}`));
      out(`${j.id}  ${j.status.padEnd(17)} ${j.target}  ${j.proposal}  (${j.files.length} files)`);
    }
    return EXIT.ok;
  }
  try {
    const j = await loadJournal(adapters.fs, stateDir, positionals[0]);
    out(`rolling back ${j.id} (${j.proposal} for ${j.target}, ${j.createdAt})`);
    await rollback(j, {
      fs: adapters.fs,
      exec: adapters.exec,
      stateDir,
      restartCmd: values['restart-cmd'] as string | undefined,
      force: Boolean(values.force),
      waitForRuntime: criWaiter(adapters.cri),
      log: (l) => out(`  ${l}`),
    });
    out('done: the files are back as they were.');
    return EXIT.ok;
  } catch (err) {
    if (err instanceof FixError) {
      io.stderr.write(`regdoctor rollback: ${err.message}\n`);
      return EXIT.problems;
    }
    throw err;
  }
}
