// `regdoctor demo`: the embedded default. Starts broken registries on loopback and diagnoses each one.
// parseDemoOptions turns argv into DemoOptions; runDemo holds the policy (DemoDeps injectable).
import { EXIT, UsageError, type CliIO } from '../../app/io.js';
import { EN, causeTitle, fixTitle, summaryText, t } from '../../i18n/index.js';
import { parseCommandArgs, toRunOptions } from '../options.js';
import { startDemoLab } from '../../demo/scenarios.js';
import { diagnose, type DiagnoseParams, type DiagnosisResult } from '../../app/diagnose.js';
import { parseTarget } from '../../core/reference.js';
import { createRealAdapters } from '../../app/adapters.js';
import type { Report } from '../../core/report.js';
import type { RunOptions } from '../../core/types.js';
import { formatMs, paint, wrap } from '../../ui/format.js';

/** `regdoctor demo` flags, parsed. */
export interface DemoOptions {
  json: boolean;
  /** Run options each scenario's diagnosis starts from (root, pull and the deadline are the demo's). */
  run: RunOptions;
}

export function parseDemoOptions(args: string[], env: CliIO['env']): DemoOptions {
  const { values, positionals } = parseCommandArgs(args, {});
  if (positionals.length > 0) throw new UsageError(t('cli.err.demoNoTarget'));
  return { json: Boolean(values.json), run: toRunOptions(values, env) };
}

/** What `runDemo` works with; everything but `io` has a real default. */
export interface DemoDeps {
  io: CliIO;
  startLab?: typeof startDemoLab;
  diagnose?: (p: DiagnoseParams) => Promise<DiagnosisResult>;
  /** Monotonic milliseconds (the total duration printed at the end). */
  now?: () => number;
}

/** A scenario's title in the active language (its English title for one the catalogue lacks). */
function scenarioTitle(id: string, fallback: string): string {
  const key = `demo.scenario.${id}`;
  return key in EN ? t(key as keyof typeof EN & `demo.scenario.${string}`) : fallback;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  return runDemo(parseDemoOptions(args, io.env), { io });
}

export async function runDemo(o: DemoOptions, deps: DemoDeps): Promise<number> {
  const { io } = deps;
  const values = { json: o.json };
  const base = o.run;
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const lab = await (deps.startLab ?? startDemoLab)();
  const results: { id: string; title: string; expected: string; image: string; correct: boolean; report: Report }[] = [];
  try {
    if (!values.json) {
      wrap(t('demo.intro', { n: lab.scenarios.length }), io.columns, '', '  ').forEach((l, k) =>
        io.stdout.write(`${k === 0 ? l.replace('regdoctor demo', paint('regdoctor demo', 'bold', io.color)) : l}\n`),
      );
      for (const l of wrap(t('demo.nodeConfig', { path: `${lab.root}/etc/containerd` }), io.columns, '', '  '))
        io.stdout.write(`${paint(l, 'dim', io.color)}\n`);
    }
    for (const [i, s] of lab.scenarios.entries()) {
      if (io.signal.aborted) break;
      const adapters = createRealAdapters({ root: lab.root, hosts: lab.hosts, env: {} });
      const { report } = await (deps.diagnose ?? diagnose)({
        target: parseTarget(s.image),
        options: { ...base, root: lab.root, pull: false, timeoutMs: Math.min(base.timeoutMs, 15_000) },
        adapters,
        signal: io.signal,
      });
      const correct = report.verdict.code === s.expect;
      results.push({ id: s.id, title: s.title, expected: s.expect, image: s.image, correct, report });
      if (!values.json) {
        const v = report.verdict;
        const tone = v.code === 'healthy' ? 'green' : 'red';
        io.stdout.write('\n');
        for (const l of wrap(`── ${i + 1}/${lab.scenarios.length} ${scenarioTitle(s.id, s.title)}`, io.columns, '', '   '))
          io.stdout.write(`${paint(l, 'bold', io.color)}\n`);
        for (const l of wrap(`$ regdoctor diagnose ${s.image}`, io.columns, '   ', '       ')) io.stdout.write(`${l}\n`);
        const glyph = v.code === 'healthy' ? '✓' : '✗';
        wrap(`${glyph} ${v.code} — ${causeTitle(v.code)} (${formatMs(report.durationMs)})`, io.columns, '   ', '     ').forEach((l, k) =>
          io.stdout.write(
            `${k === 0 ? l.replace(`${glyph} ${v.code}`, `${paint(glyph, tone, io.color)} ${paint(v.code, 'bold', io.color)}`) : l}\n`,
          ),
        );
        if (v.code !== 'healthy') for (const l of wrap(summaryText(v), io.columns, '     ')) io.stdout.write(`${l}\n`);
        if (v.predictedRuntimeError) {
          io.stdout.write(paint(`     ${t('ui.runtimeWillReport')}\n`, 'dim', io.color));
          for (const l of wrap(v.predictedRuntimeError, io.columns, '       ')) io.stdout.write(`${l}\n`);
        }
        const top = report.findings.find((f) => f.code === v.code);
        const fix = top?.fixes[0];
        if (fix)
          for (const l of wrap(
            `${t('demo.fix', { title: fixTitle(fix) })}${fix.restartRequired ? ` ${t('report.restarts')}` : ''}`,
            io.columns,
            '     ',
            '          ',
          ))
            io.stdout.write(`${l}\n`);
        io.stdout.write(
          `     ${correct ? paint(t('demo.correct'), 'green', io.color) : paint(t('demo.expected', { code: s.expect }), 'red', io.color)}\n`,
        );
      }
    }
  } finally {
    await lab.close();
  }
  const correct = results.filter((r) => r.correct).length;
  const distinct = new Set(results.filter((r) => r.correct).map((r) => r.report.verdict.code)).size;
  if (values.json) {
    io.stdout.write(
      `${JSON.stringify(
        {
          schema: 'regdoctor/demo@1',
          scenarios: results.map((r) => ({
            id: r.id,
            title: r.title,
            image: r.image,
            expected: r.expected,
            correct: r.correct,
            report: r.report,
          })),
          correct,
          total: results.length,
          distinctCauses: distinct,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    io.stdout.write('\n');
    for (const l of wrap(t('demo.result', { correct, total: results.length, distinct, took: formatMs(now() - started) }), io.columns))
      io.stdout.write(`${l}\n`);
    for (const l of wrap(t('demo.next'), io.columns, '', '  ')) io.stdout.write(`${paint(l, 'dim', io.color)}\n`);
  }
  return correct === results.length ? EXIT.ok : EXIT.problems;
}
