// `regdoctor scan [-n ns | -A]`: every pod failing to pull, grouped by failing host and cause, with counts,
// affected nodes and one recommended fix per group. Streams pods and events page by page (--chunk-size).
// parseScanOptions turns argv into ScanOptions; runScan holds the policy (ScanDeps injectable).
import { EXIT, UsageError, exitForKubeError, type CliIO } from '../../app/io.js';
import { causeTitle, t, tn, tr } from '../../i18n/index.js';
import { displayWidth } from '../../text/width.js';
import { CAUSES, type CauseCode } from '../../core/causes.js';
import { parseCommandArgs } from '../options.js';
import { KubectlAdapter, type KubeAdapter } from '../../adapters/kube.js';
import { scanCluster, ScanAccessError, type ScanResult } from '../../kube/scan.js';
import { loadClassifier } from '../../kube/classifier.js';
import { formatMs, paint, wrap } from '../../ui/format.js';
import { isValidImageReference } from '../../kube/suggest.js';
import { sanitizeLine } from '../../text/sanitize.js';

const SCAN_OPTIONS = {
  'all-namespaces': { type: 'boolean', short: 'A' },
  'chunk-size': { type: 'string' },
  kubectl: { type: 'string' },
} as const;

/** Every string of the result as one inert line (cluster data: names, images, messages). */
function inert<T>(v: T): T {
  if (typeof v === 'string') return sanitizeLine(v) as T;
  if (Array.isArray(v)) return v.map(inert) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, inert(x)])) as T;
  return v;
}

export function renderScan(result: ScanResult, o: { color: boolean; columns: number; verbose?: boolean }): string {
  // Images are checked before escaping (an escaped string could look valid); everything printed is escaped.
  const validImages = new Set(result.groups.flatMap((g) => g.images.filter((i) => isValidImageReference(i))));
  const r = inert(result);
  const out: string[] = [];
  const scope = r.scope.allNamespaces ? t('cli.scan.allNamespaces') : t('cli.scan.namespace', { namespace: r.scope.namespace ?? '' });
  // prose lines wrap at the terminal's width (display columns: CJK counts two); colour is painted after wrapping
  const lines = (text: string, indent = '', rest = `${indent}  `) => wrap(text, o.columns, indent, rest);
  const read = t('cli.scan.read', {
    scope,
    pods: r.podsScanned.toLocaleString('en-US'),
    events: r.eventsScanned.toLocaleString('en-US'),
    took: formatMs(r.durationMs),
  });
  lines(`regdoctor scan — ${read}`).forEach((l, k) =>
    out.push(k === 0 ? l.replace('regdoctor scan', paint('regdoctor scan', 'bold', o.color)) : l),
  );
  r.warnings.forEach((w, i) => out.push(paint(t('cli.scan.warning', { warning: tr(r.warningMessages?.[i], w) }), 'yellow', o.color)));
  if (r.failingPods === 0) {
    out.push(`${paint('✓', 'green', o.color)} ${t('cli.scan.none')}`);
    return `${out.join('\n')}\n`;
  }
  out.push(
    ...lines(
      t('cli.scan.failing', {
        pods: tn('cli.scan.pods', r.failingPods),
        containers: tn('cli.scan.containers', r.failingContainers),
        groups: tn('cli.scan.groups', r.groups.length),
      }),
    ),
  );
  for (const g of r.groups) {
    out.push('');
    const role = g.hostRole && g.hostRole !== 'registry' ? ` (${g.hostRole})` : '';
    // the cause's title in the reader's language (a code this build does not know keeps the title it came with)
    const title = Object.prototype.hasOwnProperty.call(CAUSES, g.code) ? causeTitle(g.code as CauseCode) : g.title;
    // one line per group (grep-able), as the group's key: host, role, title, code
    out.push(`${paint('✗', 'red', o.color)} ${paint(g.host, 'bold', o.color)}${role} — ${title} ${paint(`[${g.code}]`, 'dim', o.color)}`);
    const more = (shown: number, total: number) => (total > shown ? t('cli.scan.more', { n: total - shown }) : '');
    out.push(
      ...lines(
        t('cli.scan.where', {
          pods: tn('cli.scan.pods', g.pods),
          containers: tn('cli.scan.containers', g.containers),
          namespaces: g.namespaces.join(', '),
          n: g.nodeCount,
          nodes: g.nodes.slice(0, 8).join(', ') || t('cli.scan.notScheduled'),
          more: more(Math.min(8, g.nodes.length), g.nodeCount),
        }),
        '  ',
      ),
    );
    // An invalid reference is shown as data, marked, never as part of a command.
    const shownImage = (i: string) => (validImages.has(i) ? i : t('cli.scan.invalidRef', { image: i }));
    const images = g.images.slice(0, 3).map(shownImage).join(', ');
    out.push(...lines(t('cli.scan.images', { images, more: more(Math.min(3, g.images.length), g.imageCount) }), '  '));
    out.push(...lines(t('cli.scan.examples', { pods: g.examples.join(', ') }), '  '));
    if (g.sampleError) {
      // The end of an error chain is the part that names the fault.
      const e = o.verbose || g.sampleError.length <= 240 ? g.sampleError : `…${g.sampleError.slice(-240)}`;
      for (const l of wrap(t('cli.scan.error', { error: e }), o.columns, '  ')) out.push(paint(l, 'dim', o.color));
    }
    for (const l of wrap(t('cli.scan.fix', { fix: tr(g.fixMessage, g.fix) }), o.columns, '  ')) out.push(l);
    if (g.diagnose) {
      // the command stays whole on its line; the note goes below it when both do not fit
      const next = `  ${t('cli.scan.next', { command: g.diagnose })}`;
      const note = g.diagnoseArgv?.[2]?.startsWith('pod/') ? '' : t('cli.scan.onNode');
      if (!note || displayWidth(`${next}${note}`) <= o.columns) out.push(`${next}${note}`);
      else out.push(next, `    ${note.trim()}`);
    } else out.push(...lines(t('cli.scan.noCommand'), '  ').map((l) => paint(l, 'dim', o.color)));
  }
  if (r.untracked) out.push('', ...lines(t('cli.scan.untracked', { n: r.untracked })).map((l) => paint(l, 'dim', o.color)));
  return `${out.join('\n')}\n`;
}

/** `regdoctor scan` flags, parsed. */
export interface ScanOptions {
  namespace?: string;
  allNamespaces: boolean;
  chunkSize: number;
  timeoutMs: number;
  json: boolean;
  verbose: boolean;
  context?: string;
  kubeconfig?: string;
  kubectl?: string;
}

export function parseScanOptions(args: string[], _env: CliIO['env']): ScanOptions {
  const { values, positionals } = parseCommandArgs(args, SCAN_OPTIONS);
  if (positionals.length) throw new UsageError(t('cli.err.scanNoArgs', { args: positionals.join(' ') }));
  const all = Boolean(values['all-namespaces']);
  if (all && values.namespace) throw new UsageError(t('cli.err.namespaceOrAll'));
  const cs = values['chunk-size'] as string | undefined;
  if (cs !== undefined && (!/^\d+$/.test(cs) || Number(cs) < 1 || Number(cs) > 10_000))
    throw new UsageError(t('cli.err.numberBetween', { flag: 'chunk-size', min: 1, max: 10_000 }));
  const timeoutMs = values.timeout !== undefined ? Number(values.timeout) : 300_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new UsageError(t('cli.err.scanTimeout'));
  return {
    namespace: values.namespace,
    allNamespaces: all,
    chunkSize: cs ? Number(cs) : 500,
    timeoutMs,
    json: Boolean(values.json),
    verbose: Boolean(values.verbose),
    context: values.context,
    kubeconfig: values.kubeconfig,
    kubectl: values.kubectl as string | undefined,
  };
}

/** What `runScan` works with; everything but `io` has a real default. */
export interface ScanDeps {
  io: CliIO;
  kube?: (o: ConstructorParameters<typeof KubectlAdapter>[0]) => KubeAdapter;
  scanCluster?: typeof scanCluster;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  return runScan(parseScanOptions(args, io.env), { io });
}

export async function runScan(o: ScanOptions, deps: ScanDeps): Promise<number> {
  const { io } = deps;
  const kube = (deps.kube ?? ((x) => new KubectlAdapter(x)))({
    context: o.context,
    kubeconfig: o.kubeconfig,
    namespace: o.namespace,
    kubectl: o.kubectl,
    env: io.env,
  });
  const signal = AbortSignal.any([io.signal, AbortSignal.timeout(o.timeoutMs)]);
  let result: ScanResult;
  try {
    result = await (deps.scanCluster ?? scanCluster)({
      kube,
      namespace: o.namespace,
      allNamespaces: o.allNamespaces,
      chunkSize: o.chunkSize,
      signal,
      classify: await loadClassifier(),
    });
  } catch (err) {
    if (err instanceof ScanAccessError) {
      if (o.json)
        io.stdout.write(
          `${JSON.stringify({ schema: 'regdoctor/scan@1', error: { code: 'kube-access', kind: err.kube.error, message: err.message, verb: err.kube.verb, resource: err.kube.resource, namespace: err.kube.namespace } }, null, 2)}\n`,
        );
      else io.stderr.write(`regdoctor scan: ${sanitizeLine(tr(err.reason, err.message))}\n`);
      return io.signal.aborted ? 130 : exitForKubeError(err.kube.error);
    }
    throw err;
  }
  if (o.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout.write(renderScan(result, { color: io.color, columns: io.columns, verbose: o.verbose }));
  return result.failingPods > 0 ? EXIT.problems : EXIT.ok;
}
