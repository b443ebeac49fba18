// `regdoctor diagnose <image-ref | host[:port] | pod/NAME>`: runs the check graph and prints the verdict.
// parseDiagnoseOptions turns argv into DiagnoseOptions; runDiagnose holds the policy (DiagnoseDeps injectable).
import { EXIT, UsageError, exitForKubeError, type CliIO } from '../../app/io.js';
import { sanitizeMessage, t } from '../../i18n/index.js';
import { checkReportOption, checkRootOption, parseCommandArgs, toRunOptions } from '../options.js';
import { parseTarget } from '../../core/reference.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { truncateWidth } from '../../text/width.js';
import type { DiagnoseParams, DiagnosisResult } from '../../app/diagnose.js';
import type { Adapters } from '../../core/adapters.js';
import type { RunOptions, RunState, Target } from '../../core/types.js';

export interface DiagnoseInvocation {
  target: Target;
  options: RunOptions;
  json: boolean;
  reportFile?: string;
  junitFile?: string;
  /** --strict: warnings on a healthy verdict make the exit code 1. */
  strict?: boolean;
}

/** `diagnose pod/<name>`: what kubelet and the events say, optionally with a live diagnosis of each failing image. */
export interface PodDiagnoseOptions {
  name: string;
  options: RunOptions;
  json: boolean;
  live: boolean;
  reportFile?: string;
  junitFile?: string;
}

/** `regdoctor diagnose` flags, parsed: a registry or image target, or a pod. */
export type DiagnoseOptions = ({ kind: 'target' } & DiagnoseInvocation) | ({ kind: 'pod' } & PodDiagnoseOptions);

export function parseDiagnoseOptions(args: string[], env: CliIO['env']): DiagnoseOptions {
  const pod = args.find((a) => /^pods?\//.test(a));
  if (pod) return { kind: 'pod', ...parsePodArgs(args, pod, env) };
  const inv = parseDiagnoseArgs(args, env);
  checkReportOption(inv.reportFile);
  return { kind: 'target', ...inv };
}

function parsePodArgs(argv: string[], podArg: string, env: CliIO['env']): PodDiagnoseOptions {
  const { values, positionals } = parseCommandArgs(argv, { live: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError(t('cli.err.podTakesOne'));
  const name = podArg.replace(/^pods?\//, '');
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) throw new UsageError(t('cli.err.badPodName', { name: JSON.stringify(name) }));
  checkReportOption(values.report);
  const options = toRunOptions(values, env);
  return { name, options, json: Boolean(values.json), live: Boolean(values.live), reportFile: values.report, junitFile: values.junit };
}

export function parseDiagnoseArgs(args: string[], env: CliIO['env']): DiagnoseInvocation {
  const { values, positionals } = parseCommandArgs(args, { strict: { type: 'boolean' } });
  if (positionals.length === 0) throw new UsageError(t('cli.err.missingTarget'));
  if (positionals.length > 1) throw new UsageError(t('cli.err.oneTarget', { n: positionals.length, args: positionals.join(' ') }));
  const options = toRunOptions(values, env);
  checkRootOption(values.root);
  return {
    target: parseTarget(positionals[0]!),
    options,
    json: Boolean(values.json),
    reportFile: values.report,
    junitFile: values.junit,
    strict: Boolean(values.strict),
  };
}

/** Runs one diagnosis with real adapters. */
export async function runDiagnosis(inv: DiagnoseInvocation, io: CliIO, onUpdate?: (s: RunState) => void): Promise<DiagnosisResult> {
  const { createRealAdapters, diagnose } = await engine();
  const adapters = createRealAdapters({ root: inv.options.root, kube: inv.options.kube, env: io.env });
  return diagnose({ target: inv.target, options: inv.options, adapters, signal: io.signal, onUpdate });
}

async function exportReports(inv: DiagnoseInvocation, report: DiagnosisResult['report'], io: CliIO) {
  if (!inv.reportFile && !inv.junitFile) return;
  const { writeReport, writeJUnit } = await import('../../report/export.js');
  if (inv.reportFile) io.stderr.write(`${t('ui.reportWritten', { file: await writeReport(inv.reportFile, report) })}\n`);
  // --strict: a warning fails the JUnit case too, as it fails the exit code
  if (inv.junitFile)
    io.stderr.write(`${t('cli.junitWritten', { file: await writeJUnit(inv.junitFile, report, { strict: inv.strict }) })}\n`);
}

/** What `runDiagnose` works with; everything but `io` has a real default. */
export interface DiagnoseDeps {
  io: CliIO;
  adapters?: (o: { root: string; kube: RunOptions['kube']; env: CliIO['env'] }) => Adapters;
  diagnose?: (p: DiagnoseParams) => Promise<DiagnosisResult>;
  /** Milliseconds since the epoch (the pod report's start). */
  now?: () => number;
}

/** The diagnosis and the real adapters (node:tls, crypto, net, dns...), imported when a run starts: on a TTY the first
 *  frame is on the screen before they load. */
async function engine() {
  const [{ diagnose }, { createRealAdapters }] = await Promise.all([import('../../app/diagnose.js'), import('../../app/adapters.js')]);
  return { diagnose, createRealAdapters };
}

/** The report's exit code (core/report.ts, loaded with the engine by then: not before the first frame, as it brings
 *  node:crypto with the redaction helpers). */
async function exitFor(report: DiagnosisResult['report'], strict: boolean | undefined): Promise<number> {
  const { exitCodeFor } = await import('../../core/report.js');
  return exitCodeFor(report, { strict });
}

export async function run(args: string[], io: CliIO): Promise<number> {
  return runDiagnose(parseDiagnoseOptions(args, io.env), { io });
}

export async function runDiagnose(o: DiagnoseOptions, deps: DiagnoseDeps): Promise<number> {
  if (o.kind === 'pod') return runPod(o, deps);
  const { io } = deps;
  const inv: DiagnoseInvocation = {
    target: o.target,
    options: o.options,
    json: o.json,
    reportFile: o.reportFile,
    junitFile: o.junitFile,
    strict: o.strict,
  };
  if (io.interactive && !inv.json) return runLive(inv, deps);
  const { createRealAdapters, diagnose } = await engine();
  const adapters = (deps.adapters ?? createRealAdapters)({ root: inv.options.root, kube: inv.options.kube, env: io.env });
  const result = await (deps.diagnose ?? diagnose)({ target: inv.target, options: inv.options, adapters, signal: io.signal });
  await exportReports(inv, result.report, io);
  if (inv.json) {
    io.stdout.write(`${JSON.stringify(result.report, null, 2)}\n`);
  } else {
    const { renderText } = await import('../../ui/text.js');
    io.stdout.write(renderText(result.report, { verbose: inv.options.verbose, color: io.color, columns: io.columns }));
  }
  if (result.state.cancelled) return 130;
  return (await exitFor(result.report, inv.strict)) === 0 ? EXIT.ok : EXIT.problems;
}

/** TTY: the live view (src/ui/interactive.ts: no Ink, so the verdict is drawn the moment the run ends). */
async function runLive(inv: DiagnoseInvocation, deps: DiagnoseDeps): Promise<number> {
  const { io } = deps;
  // The first frame before the heavy imports (the checks, the engine, TLS): the view's own header line, in the run's
  // language, cut to the width (one line: the view's first frame erases exactly it and draws itself, header included).
  const { target } = inv;
  const what = target.image
    ? t('ui.target.image', { image: target.image.normalized })
    : t('ui.target.registry', { registry: target.registry.name });
  const head = truncateWidth(`regdoctor ${sanitizeLine(what)}`, Math.max(20, io.columns - 1));
  io.stdout.write(`${io.color ? head.replace(/^regdoctor/, '\x1b[1mregdoctor\x1b[22m') : head}\n`);
  const [{ CHECKS }, { initialState }, { createRealAdapters, diagnose }] = await Promise.all([
    import('../../../checks/index.js'),
    import('../../core/engine.js'),
    engine(),
  ]);
  const adapters = (deps.adapters ?? createRealAdapters)({ root: inv.options.root, kube: inv.options.kube, env: io.env });
  const run = deps.diagnose ?? diagnose;
  // The checks start now, while the view's module loads; its first run takes this one over with the updates so far,
  // and its cancel reaches it.
  const early = earlyRun((onUpdate, signal) => run({ target: inv.target, options: inv.options, adapters, signal, onUpdate }));
  const { runInteractive } = await import('../../ui/interactive.js');
  const outcome = await runInteractive({
    io,
    verbose: inv.options.verbose,
    initial: initialState(CHECKS, inv.target),
    run: early,
    replaces: 1,
    onExport: async (result) => {
      const { writeReport } = await import('../../report/export.js');
      const file =
        inv.reportFile ??
        `regdoctor-${inv.target.registry.name.replace(/[^\w.-]/g, '_')}-${new Date().toISOString().replace(/[:.]/g, '-')}.html`;
      // the absolute path: the person may be anywhere when they go looking for it
      const { resolve } = await import('node:path');
      return `report written to ${resolve(await writeReport(file, result.report))}`;
    },
    canFix: (result) => result.findings.some((f) => f.fixes.some((x) => x.actions.length > 0)),
  });
  // q, Esc or Ctrl-C during the checks (or SIGINT/SIGTERM): the last frame says "cancelled after N checks"
  if (outcome.action === 'cancel') return 130;
  const report = outcome.result?.report;
  if (!report) return io.signal.aborted ? 130 : EXIT.internal;
  await exportReports(inv, report, io);
  if (outcome.action === 'fix') {
    const { run: fix } = await import('./fix.js');
    return fix(args(inv), io);
  }
  return (await exitFor(report, inv.strict)) === 0 ? EXIT.ok : EXIT.problems;
}

type RunFn = (onUpdate: (s: RunState) => void, signal: AbortSignal) => Promise<DiagnosisResult>;

/** Starts `run` at once; the first call of the returned function adopts that run (the latest update is replayed, its
 *  signal aborts it), later calls start new runs (re-run). */
export function earlyRun(run: RunFn): RunFn {
  const ctrl = new AbortController();
  let latest: RunState | undefined;
  let listener: ((s: RunState) => void) | undefined;
  const first = run((s) => {
    latest = s;
    listener?.(s);
  }, ctrl.signal);
  // settled by the view; a failure before it adopts the run is reported there, not as an unhandled rejection
  first.catch(() => undefined);
  let adopted = false;
  return (onUpdate, signal) => {
    if (adopted) return run(onUpdate, signal);
    adopted = true;
    const abort = () => ctrl.abort(signal.reason);
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
    listener = onUpdate;
    if (latest) onUpdate(latest);
    return first;
  };
}

/** Arguments for `fix` equivalent to this invocation. */
function args(inv: DiagnoseInvocation): string[] {
  const a = [inv.target.input];
  if (inv.options.root !== '/') a.push('--root', inv.options.root);
  if (inv.options.runtimeEndpoint) a.push('--runtime-endpoint', inv.options.runtimeEndpoint);
  if (inv.options.goVersion) a.push('--go-version', inv.options.goVersion);
  return a;
}

/** `diagnose pod/<name> [-n ns]`: what kubelet and the events say for each failing container, optionally live. */
async function runPod(o: PodDiagnoseOptions, deps: DiagnoseDeps): Promise<number> {
  const { io } = deps;
  const started = (deps.now ?? Date.now)();
  const { name, options } = o;
  const { createRealAdapters, diagnose } = await engine();
  const values = { live: o.live, report: o.reportFile, junit: o.junitFile, json: o.json };
  const adapters = (deps.adapters ?? createRealAdapters)({ root: options.root, kube: options.kube, env: io.env });
  const { diagnosePod } = await import('../../kube/pod-diagnosis.js');
  const { sanitizeLine } = await import('../../text/sanitize.js');
  const r = await diagnosePod({ kube: adapters.kube, name, namespace: options.kube.namespace, signal: io.signal });
  if (!r.ok) {
    const { kubeErrorParam } = await import('../../kube/kube-error-message.js');
    const why = kubeErrorParam(r);
    io.stderr.write(
      `regdoctor: ${t('cli.pod.cannotRead', { name, why: typeof why === 'object' ? sanitizeMessage(why, sanitizeLine) : sanitizeLine(String(why)) })}\n`,
    );
    return io.signal.aborted ? 130 : exitForKubeError(r.error);
  }
  const d = r.value;
  const live: Record<string, DiagnosisResult['report']> = {};
  if (values.live) {
    for (const c of d.failing) {
      const t = c.targets[0];
      if (!t) continue;
      const res = await (deps.diagnose ?? diagnose)({
        target: t,
        options: { ...options, kube: { ...options.kube, namespace: d.pod.namespace, pod: d.pod.name }, useKube: true },
        adapters,
        signal: io.signal,
      });
      live[c.container] = res.report;
    }
  }
  if (values.report || values.junit) {
    const [{ buildPodReport }, { writeReport, writeJUnit }] = await Promise.all([
      import('../../kube/pod-report.js'),
      import('../../report/export.js'),
    ]);
    const report = buildPodReport(d, { startedAt: started, cancelled: io.signal.aborted, live });
    if (values.report) io.stderr.write(`${t('ui.reportWritten', { file: await writeReport(values.report, report) })}\n`);
    if (values.junit) io.stderr.write(`${t('cli.junitWritten', { file: await writeJUnit(values.junit, report) })}\n`);
  }
  if (values.json) {
    io.stdout.write(
      `${JSON.stringify({ schema: 'regdoctor/pod@1', pod: d.pod, notes: d.notes, access: d.access, ok: d.ok, containers: d.failing.map((c) => ({ ...c, live: live[c.container] })) }, null, 2)}\n`,
    );
  } else {
    const { elideLong, paint, wrap } = await import('../../ui/format.js');
    const { causeTitle, summaryText, tr } = await import('../../i18n/index.js');
    const col = io.color;
    // Names, images and messages are cluster data: printed as inert text.
    const inert = (x: string | undefined) => sanitizeLine(x ?? '');
    io.stdout.write(
      `${paint('regdoctor', 'bold', col)} ${t(d.pod.node ? 'cli.pod.headerNode' : 'cli.pod.header', { pod: `${inert(d.pod.namespace)}/${inert(d.pod.name)}`, node: inert(d.pod.node), sa: inert(d.pod.serviceAccount) })}\n`,
    );
    if (d.failing.length === 0)
      io.stdout.write(
        `${paint('✓', 'green', col)} ${d.ok.length ? t('cli.pod.noneOk', { containers: inert(d.ok.join(', ')) }) : t('cli.pod.none')}\n`,
      );
    for (const c of d.failing) {
      io.stdout.write(
        `\n${paint('✗', 'red', col)} ${inert(c.container)}: ${paint(c.code, 'bold', col)} — ${causeTitle(c.code)}${c.host ? ` [${inert(c.host)}${c.hostRole && c.hostRole !== 'registry' ? `, ${inert(c.hostRole)}` : ''}]` : ''}\n`,
      );
      io.stdout.write(
        `  ${t('cli.pod.image', { image: inert(c.image) })}${c.invalidImage ? t('cli.pod.invalid') : ''}${c.waitingReason ? ` (${inert(c.waitingReason)})` : ''}\n`,
      );
      for (const l of wrap(inert(summaryText(c)), io.columns, '  ')) io.stdout.write(`${l}\n`);
      if (c.runtimeError)
        for (const l of wrap(`kubelet: ${inert(c.runtimeError)}`, io.columns, '    ')) io.stdout.write(`${paint(l, 'dim', col)}\n`);
      const l = live[c.container];
      if (l)
        io.stdout.write(`  ${t('cli.pod.live', { code: inert(l.verdict.code), summary: elideLong(inert(summaryText(l.verdict))) })}\n`);
      // Built from the validated image and shell-quoted; an invalid reference gets no command.
      else if (c.next) io.stdout.write(paint(`  ${t('cli.pod.onNode', { command: c.next.command })}\n`, 'dim', col));
    }
    d.notes.forEach((n, i) => io.stdout.write(paint(`${t('cli.note', { note: inert(tr(d.noteMessages[i], n)) })}\n`, 'dim', col)));
  }
  return d.failing.length ? EXIT.problems : EXIT.ok;
}
