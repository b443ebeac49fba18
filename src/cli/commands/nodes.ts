// `regdoctor nodes <image-ref>`: the node diagnosis on every selected node at once, through Kubernetes itself (one
// short-lived pod per node), grouped into a matrix of outcomes with a fleet fix plan for the failing groups.
// parseNodesOptions turns argv into NodesOptions; runNodesCommand holds the policy (NodesDeps injectable).
import { EXIT, UsageError, exitForKubeError, type CliIO } from '../../app/io.js';
import { messageIn, msg, sanitizeMessage, t, tr, type Message } from '../../i18n/index.js';
import { parseTarget } from '../../core/reference.js';
import { checkReportOption, parseStrict } from '../options.js';
import { sanitizeDeep, sanitizeLine } from '../../text/sanitize.js';
import { VERSION } from '../../core/version.js';
import { DEFAULT_ENDPOINT, DEFAULT_IMAGE, socketPath } from '../../kube/nodes-plan.js';
import { fleetFix, groupKey, groupOutcomes, type FleetFix } from '../../kube/nodes-matrix.js';
import type { KubectlNodesApi as RealNodesApi, NodesApi, NodesApiOptions } from '../../kube/nodes-api.js';
import type { Target } from '../../core/types.js';

const SPEC = {
  selector: { type: 'string', short: 'l' },
  nodes: { type: 'string' },
  parallel: { type: 'string' },
  image: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  json: { type: 'boolean' },
  report: { type: 'string' },
  junit: { type: 'string' },
  timeout: { type: 'string' },
  'runtime-endpoint': { type: 'string' },
  'no-pull': { type: 'boolean' },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  kubectl: { type: 'string' },
  yes: { type: 'boolean' },
} as const;

/** `regdoctor nodes` flags, parsed. */
export interface NodesOptions {
  target: Target;
  selector?: string;
  nodes?: string[];
  parallel: number;
  /** Image of the per-node diagnosis pod. */
  image: string;
  namespace?: string;
  json: boolean;
  reportFile?: string;
  junitFile?: string;
  /** Per node. */
  timeoutMs: number;
  runtimeEndpoint: string;
  noPull: boolean;
  context?: string;
  kubeconfig?: string;
  kubectl?: string;
  /** Apply the fleet fix plan. */
  yes: boolean;
}

// the blanks after an operator are taken whole (`(?=(\s*))\1`, an atomic group): `\s*` there and `\s*` before the next
// ',' split a blank run two ways per item — exponential on a 90-character selector (test/security/redos.test.ts)
const SELECTOR =
  /^[A-Za-z0-9_./-]+(?:\s*(?:==?|!=)(?=(\s*))\1[A-Za-z0-9_.-]*)?(?:\s*,\s*!?[A-Za-z0-9_./-]+(?:\s*(?:==?|!=)(?=(\s*))\2[A-Za-z0-9_.-]*)?)*$/;

export function parseNodesOptions(args: string[], _env: CliIO['env']): NodesOptions {
  const { values: v, positionals } = parseStrict(args, SPEC);
  if (positionals.length !== 1)
    throw new UsageError(positionals.length ? t('cli.err.nodesOneImage', { n: positionals.length }) : t('cli.err.nodesMissingImage'));
  const target = parseTarget(positionals[0]!);
  if (target.kind !== 'image') throw new UsageError(t('cli.err.nodesNeedsImage'));
  const parallel = v.parallel === undefined ? 10 : Number(v.parallel);
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > 200)
    throw new UsageError(t('cli.err.numberBetween', { flag: 'parallel', min: 1, max: 200 }));
  const timeoutMs = v.timeout === undefined ? 120_000 : Number(v.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1000 || timeoutMs > 3_600_000) throw new UsageError(t('cli.err.nodesTimeout'));
  if (v.selector !== undefined && !SELECTOR.test(v.selector)) throw new UsageError(t('cli.err.selector', { selector: v.selector }));
  const nodes = v.nodes
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (nodes?.some((n) => !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(n))) throw new UsageError(t('cli.err.nodesList'));
  const endpoint = v['runtime-endpoint'] ?? DEFAULT_ENDPOINT;
  try {
    socketPath(endpoint);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  checkReportOption(v.report);
  const image = v.image ?? DEFAULT_IMAGE;
  if (!/^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/.test(image)) throw new UsageError(t('cli.err.notImage', { image }));
  return {
    target,
    selector: v.selector,
    nodes,
    parallel,
    image,
    namespace: v.namespace,
    json: Boolean(v.json),
    reportFile: v.report,
    junitFile: v.junit,
    timeoutMs,
    runtimeEndpoint: endpoint,
    noPull: Boolean(v['no-pull']),
    context: v.context,
    kubeconfig: v.kubeconfig,
    kubectl: v.kubectl,
    yes: Boolean(v.yes),
  };
}

/** What `runNodesCommand` works with; everything but `io` has a real default. */
export interface NodesDeps {
  io: CliIO;
  /** A Kubernetes API client for the run (and one more for applying fixes with --yes). */
  api?: (o: NodesApiOptions) => NodesApi & Pick<RealNodesApi, 'start'>;
  runNodes?: typeof import('../../kube/nodes-run.js').runNodes;
  applyFleetFixes?: typeof import('../../kube/nodes-fix.js').applyFleetFixes;
  /** Milliseconds since the epoch (the run's duration and the document's date). */
  now?: () => number;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  return runNodesCommand(parseNodesOptions(args, io.env), { io });
}

export async function runNodesCommand(o: NodesOptions, deps: NodesDeps): Promise<number> {
  const { io } = deps;
  const { target, nodes, parallel, image } = o;
  const timeoutMs = o.timeoutMs;
  const endpoint = o.runtimeEndpoint;
  const now = deps.now ?? Date.now;

  const { KubectlNodesApi } = await import('../../kube/nodes-api.js');
  const runFleet = deps.runNodes ?? (await import('../../kube/nodes-run.js')).runNodes;
  const newApi = deps.api ?? ((x: NodesApiOptions) => new KubectlNodesApi(x));
  const api = newApi({ kubectl: o.kubectl, kubeconfig: o.kubeconfig, context: o.context, env: io.env });
  const started = await api.start();
  if (!started.ok) {
    const { kubeErrorParam } = await import('../../kube/kube-error-message.js');
    const why = kubeErrorParam(started);
    io.stderr.write(
      `regdoctor nodes: ${t('cli.nodes.cannotReach', { why: typeof why === 'object' ? sanitizeMessage(why, sanitizeLine) : sanitizeLine(String(why)) })}\n`,
    );
    return exitForKubeError(started.error);
  }
  const t0 = now();
  const ink =
    io.interactive && !o.json
      ? (await import('../../ui/nodes-view.js')).startInkProgress({ stdout: io.stdout as NodeJS.WritableStream, columns: io.columns })
      : undefined;
  const progress = {
    done: 0,
    running: 0,
    total: undefined as number | undefined,
    phase: t('node.nodes.phase.listing'),
    last: undefined as string | undefined,
  };
  let result;
  try {
    let namespace = o.namespace;
    if (!namespace) namespace = 'default';
    result = await runFleet({
      api,
      namespace,
      ref: target.input,
      image,
      selector: o.selector,
      nodes,
      parallel,
      podTimeoutMs: timeoutMs,
      runtimeEndpoint: endpoint,
      extraArgs: o.noPull ? ['--no-pull'] : [],
      signal: io.signal,
      onStart: (s) => {
        progress.total = s.total;
        progress.phase = t('node.nodes.phase.diagnosing');
        if (s.leftoversRemoved) io.stderr.write(`${t('cli.nodes.leftovers', { n: s.leftoversRemoved })}\n`);
        if (ink) ink.update({ ...progress });
        else if (!o.json)
          io.stderr.write(`${t('cli.nodes.start', { total: s.total, parallel: Math.min(parallel, s.total), run: s.runId })}\n`);
      },
      onProgress: (p) => {
        progress.done = p.done;
        progress.running = p.running;
        progress.last = `${p.node}: ${p.outcome.code}`;
        if (ink) ink.update({ ...progress });
        else if (!o.json) io.stderr.write(`[${p.done}/${p.total}] ${sanitizeLine(p.node)}: ${sanitizeLine(p.outcome.code)}\n`);
      },
    });
  } finally {
    await api.close();
  }
  const groups = groupOutcomes(result.outcomes);
  // the largest healthy group is the reference the failing ones are fixed towards
  const reference = [...groups].filter((g) => g.healthy).sort((a, b) => b.nodes.length - a.nodes.length)[0];
  const kubectlArgs = [...(o.kubeconfig ? [`--kubeconfig=${o.kubeconfig}`] : []), ...(o.context ? [`--context=${o.context}`] : [])];
  const fixes: FleetFix[] = groups
    .map((g) => fleetFix(g, result.examples.get(g.key), { ref: target.input, image, kubectlArgs, reference }))
    .filter((f): f is FleetFix => Boolean(f));
  // --yes: apply the plan, node by node, through pods like `kubectl debug node/…` creates
  let applied: import('../../kube/nodes-fix.js').NodeFixResult[] | undefined;
  if (o.yes && fixes.length && !result.cancelled && !io.signal.aborted) {
    const applyFleetFixes = deps.applyFleetFixes ?? (await import('../../kube/nodes-fix.js')).applyFleetFixes;
    const fixApi = newApi({ kubectl: o.kubectl, kubeconfig: o.kubeconfig, context: o.context, env: io.env });
    const s = await fixApi.start();
    if (s.ok) {
      try {
        if (!o.json) io.stderr.write(`${t('cli.nodes.applying', { n: fixes.reduce((n, f) => n + f.nodes.length, 0) })}\n`);
        applied = await applyFleetFixes({
          api: fixApi,
          namespace: o.namespace ?? 'default',
          image,
          runId: result.runId,
          fixes,
          timeoutMs: Math.max(timeoutMs, 60_000),
          signal: io.signal,
          onResult: (r) =>
            !o.json &&
            io.stderr.write(
              `${r.journal ? t(r.ok ? 'cli.nodes.fixAppliedJournal' : 'cli.nodes.fixFailedJournal', { node: sanitizeLine(r.node), journal: sanitizeLine(r.journal) }) : t(r.ok ? 'cli.nodes.fixApplied' : 'cli.nodes.fixFailed', { node: sanitizeLine(r.node) })}\n`,
            ),
        });
      } finally {
        await fixApi.close();
      }
    }
  }
  // notes as messages: the JSON keeps the English, the views print the reader's language
  const noteMessages: (Message | string)[] = [];
  if (result.error) noteMessages.push(result.errorMessage ?? result.error);
  if (result.otherRunPods)
    noteMessages.push(msg('node.nodes.note.otherRun', { n: result.otherRunPods, namespace: o.namespace ?? 'default' }));
  if (result.cancelled) noteMessages.push(msg('node.nodes.note.interrupted'));
  if (result.cleanup.errors.length)
    noteMessages.push(
      msg('node.nodes.note.cleanup', {
        pods: result.cleanup.errors.join('; '),
        command: 'kubectl delete pods -l app.kubernetes.io/managed-by=regdoctor',
      }),
    );
  const notes = noteMessages.map((m) => (typeof m === 'string' ? m : messageIn('en', m)));
  const noteTexts = noteMessages.map((m) => (typeof m === 'string' ? m : tr(m)));
  const doc = sanitizeDeep({
    schema: 'regdoctor/nodes@1' as const,
    tool: { name: 'regdoctor', version: VERSION },
    generatedAt: new Date(now()).toISOString(),
    target: target.input,
    image,
    namespace: o.namespace ?? 'default',
    runId: result.runId,
    durationMs: now() - t0,
    total: result.total,
    cancelled: result.cancelled,
    leftoversRemoved: result.leftoversRemoved,
    otherRunPods: result.otherRunPods,
    cleanup: result.cleanup,
    groups: groups.map((g) => ({
      code: g.code,
      title: g.title,
      summary: g.summary,
      ...(g.summaryMessage ? { summaryMessage: g.summaryMessage } : {}),
      predictedRuntimeError: g.predictedRuntimeError,
      config: g.config,
      healthy: g.healthy,
      count: g.nodes.length,
      nodes: g.nodes,
      fix: fixes.find((f) => f.group === g.key),
    })),
    nodes: result.outcomes.map((o) => ({ ...o, group: groups.findIndex((g) => g.key === groupKey(o)) })),
    notes,
    ...(applied ? { applied } : {}),
  });
  if (o.reportFile || o.junitFile) {
    const ex = await import('../../report/export.js');
    const { writeFile } = await import('node:fs/promises');
    if (o.reportFile) {
      const f = o.reportFile.toLowerCase();
      const body = f.endsWith('.json')
        ? `${JSON.stringify(doc, null, 2)}\n`
        : /\.html?$/.test(f)
          ? ex.renderNodesHtml(doc)
          : ex.renderNodesMarkdown(doc);
      await writeFile(o.reportFile, body);
      io.stderr.write(`${t('ui.reportWritten', { file: o.reportFile })}\n`);
    }
    if (o.junitFile) {
      await writeFile(o.junitFile, ex.renderNodesJUnit(doc));
      io.stderr.write(`${t('cli.junitWritten', { file: o.junitFile })}\n`);
    }
  }
  const view = { target: target.input, total: result.total, groups, fixes, notes: noteTexts };
  if (o.json) io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  else if (ink) ink.finish(view);
  else {
    const { renderMatrixText } = await import('../../ui/nodes-view.js');
    io.stdout.write(renderMatrixText(view, { color: io.color, columns: io.columns }));
  }
  if (ink && noteTexts.length) for (const n of noteTexts) io.stderr.write(`${t('cli.note', { note: sanitizeLine(n) })}\n`);
  if (applied && !o.json) {
    io.stdout.write(`\n${t('cli.nodes.appliedTitle')}\n`);
    for (const a of applied)
      io.stdout.write(
        `  ${sanitizeLine(a.node)}: ${a.ok ? t('cli.nodes.appliedJournal', { journal: sanitizeLine(a.journal ?? '?') }) : t('cli.nodes.appliedFailed', { message: sanitizeLine(a.message) })}\n`,
      );
  }
  if (applied) return applied.every((a) => a.ok) ? EXIT.ok : EXIT.problems;
  if (result.error && result.total === 0) return io.signal.aborted ? 130 : exitForKubeError(result.errorKind ?? 'failure');
  if (result.cancelled) return 130;
  return result.outcomes.length && result.outcomes.every((o) => o.code === 'healthy') ? EXIT.ok : EXIT.problems;
}
