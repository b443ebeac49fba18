// `regdoctor scan [-n ns | -A]`: every pod failing to pull, grouped by failing host and cause, with counts,
// affected nodes and one recommended fix per group. Streams pods and events page by page (--chunk-size).
// parseScanOptions turns argv into ScanOptions; runScan holds the policy (ScanDeps injectable).
import { EXIT, UsageError, exitForKubeError, type CliIO } from '../../app/io.js';
import { t } from '../../i18n/index.js';
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
  const scope = r.scope.allNamespaces ? 'all namespaces' : `namespace ${r.scope.namespace}`;
  out.push(
    `${paint('regdoctor scan', 'bold', o.color)} — ${scope}: ${r.podsScanned.toLocaleString('en-US')} pods, ${r.eventsScanned.toLocaleString('en-US')} events read in ${formatMs(r.durationMs)}`,
  );
  for (const w of r.warnings) out.push(paint(`warning: ${w}`, 'yellow', o.color));
  if (r.failingPods === 0) {
    out.push(`${paint('✓', 'green', o.color)} no pod is failing to pull its image`);
    return `${out.join('\n')}\n`;
  }
  out.push(
    `${r.failingPods} pod${r.failingPods === 1 ? '' : 's'} failing to pull (${r.failingContainers} container${r.failingContainers === 1 ? '' : 's'}) in ${r.groups.length} group${r.groups.length === 1 ? '' : 's'}:`,
  );
  for (const g of r.groups) {
    out.push('');
    const role = g.hostRole && g.hostRole !== 'registry' ? ` (${g.hostRole})` : '';
    out.push(`${paint('✗', 'red', o.color)} ${paint(g.host, 'bold', o.color)}${role} — ${g.title} ${paint(`[${g.code}]`, 'dim', o.color)}`);
    const more = (shown: number, total: number) => (total > shown ? ` +${total - shown} more` : '');
    out.push(
      `  ${g.pods} pod${g.pods === 1 ? '' : 's'}, ${g.containers} container${g.containers === 1 ? '' : 's'} · namespaces: ${g.namespaces.join(', ')} · node${g.nodeCount === 1 ? '' : 's'} (${g.nodeCount}): ${g.nodes.slice(0, 8).join(', ') || '(not scheduled)'}${more(Math.min(8, g.nodes.length), g.nodeCount)}`,
    );
    // An invalid reference is shown as data, marked, never as part of a command.
    const shownImage = (i: string) => (validImages.has(i) ? i : `${i} (invalid reference)`);
    out.push(
      `  image${g.imageCount === 1 ? '' : 's'}: ${g.images.slice(0, 3).map(shownImage).join(', ')}${more(Math.min(3, g.images.length), g.imageCount)}`,
    );
    out.push(`  e.g. ${g.examples.join(', ')}`);
    if (g.sampleError) {
      // The end of an error chain is the part that names the fault.
      const e = o.verbose || g.sampleError.length <= 240 ? g.sampleError : `…${g.sampleError.slice(-240)}`;
      for (const l of wrap(`error: ${e}`, o.columns, '  ')) out.push(paint(l, 'dim', o.color));
    }
    for (const l of wrap(`fix: ${g.fix}`, o.columns, '  ')) out.push(l);
    if (g.diagnose) out.push(`  next: ${g.diagnose}${g.diagnoseArgv?.[2]?.startsWith('pod/') ? '' : '   (on an affected node)'}`);
    else out.push(paint('  next: no command to suggest: the image reference is not valid (fix it in the pod spec)', 'dim', o.color));
  }
  if (r.untracked)
    out.push(paint(`\n${r.untracked} more failing containers were counted but not classified (limit reached)`, 'dim', o.color));
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
      else io.stderr.write(`regdoctor scan: ${sanitizeLine(err.message)}\n`);
      return io.signal.aborted ? 130 : exitForKubeError(err.kube.error);
    }
    throw err;
  }
  if (o.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout.write(renderScan(result, { color: io.color, columns: io.columns, verbose: o.verbose }));
  return result.failingPods > 0 ? EXIT.problems : EXIT.ok;
}
