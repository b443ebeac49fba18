// `regdoctor diagnose <image-ref | host[:port]>`: runs the check graph and prints the verdict.
import { statSync } from 'node:fs';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { parseCommandArgs, toRunOptions } from '../options.js';
import { parseTarget } from '../../core/reference.js';
import { diagnose, type DiagnosisResult } from '../../core/diagnose.js';
import { exitCodeFor } from '../../core/report.js';
import { createRealAdapters } from '../../adapters/index.js';
import type { RunOptions, RunState, Target } from '../../core/types.js';

export interface DiagnoseInvocation {
  target: Target;
  options: RunOptions;
  json: boolean;
  reportFile?: string;
  junitFile?: string;
}

export function parseDiagnoseArgs(args: string[], io: CliIO): DiagnoseInvocation {
  const { values, positionals } = parseCommandArgs(args, {});
  if (positionals.length === 0) throw new UsageError('missing target: an image reference (reg.example.com:5000/app:1.2) or a registry host (reg.example.com:5000)');
  if (positionals.length > 1) throw new UsageError(`one target at a time (got ${positionals.length}: ${positionals.join(' ')})`);
  const options = toRunOptions(values, io.env);
  if (values.root !== undefined) {
    let ok = false;
    try {
      ok = statSync(values.root).isDirectory();
    } catch {
      ok = false;
    }
    if (!ok) throw new UsageError(`--root ${values.root}: not a directory`);
  }
  return {
    target: parseTarget(positionals[0]!),
    options,
    json: Boolean(values.json),
    reportFile: values.report,
    junitFile: values.junit,
  };
}

/** Runs one diagnosis with real adapters. */
export async function runDiagnosis(inv: DiagnoseInvocation, io: CliIO, onUpdate?: (s: RunState) => void): Promise<DiagnosisResult> {
  const adapters = createRealAdapters({ root: inv.options.root, kube: inv.options.kube, env: io.env });
  return diagnose({ target: inv.target, options: inv.options, adapters, signal: io.signal, onUpdate });
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const inv = parseDiagnoseArgs(args, io);
  if (io.interactive && !inv.json) return runWithInk(inv, io);
  const result = await runDiagnosis(inv, io);
  if (inv.json) {
    io.stdout.write(`${JSON.stringify(result.report, null, 2)}\n`);
  } else {
    const { renderText } = await import('../../ui/text.js');
    io.stdout.write(renderText(result.report, { verbose: inv.options.verbose, color: io.color, columns: io.columns }));
  }
  if (result.state.cancelled) return 130;
  return exitCodeFor(result.report) === 0 ? EXIT.ok : EXIT.problems;
}

/** TTY: the live Ink view (lazy-loaded so --json and non-TTY runs never load Ink/React). */
async function runWithInk(inv: DiagnoseInvocation, io: CliIO): Promise<number> {
  const [{ runInteractive }, { CHECKS }, { initialState }] = await Promise.all([
    import('../../ui/interactive.js'),
    import('../../../checks/index.js'),
    import('../../core/engine.js'),
  ]);
  const adapters = createRealAdapters({ root: inv.options.root, kube: inv.options.kube, env: io.env });
  const outcome = await runInteractive({
    io,
    verbose: inv.options.verbose,
    initial: initialState(CHECKS, inv.target),
    run: (onUpdate, signal) => diagnose({ target: inv.target, options: inv.options, adapters, signal, onUpdate }),
  });
  const report = outcome.result?.report;
  if (!report) return io.signal.aborted ? 130 : EXIT.internal;
  return exitCodeFor(report) === 0 ? EXIT.ok : EXIT.problems;
}
