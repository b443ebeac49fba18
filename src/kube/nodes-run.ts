// `regdoctor nodes` collection: lists the selected nodes, creates one diagnosis pod per node (at most `parallel` at
// a time), waits for each to finish, reads its report from the pod's logs, deletes the pod, and keeps per node only
// a small outcome (plus one example report per group), so memory grows with the number of groups, not reports.
// Everything it creates carries owner labels; it deletes its pods whatever happens (finally: errors, timeouts,
// Ctrl-C) and, first, the leftovers of an earlier run that was killed before it could clean up.
import { randomBytes } from 'node:crypto';
import type { Report } from '../core/report.js';
import type { NodesApi } from './nodes-api.js';
import { OWNER_SELECTOR, RUN_LABEL, planNodePod, podName } from './nodes-plan.js';
import { groupKey, outcomeFromReport, type NodeOutcome } from './nodes-matrix.js';
import { describeKubeError } from '../adapters/kubectl/errors.js';
import { kubeErrorParam } from './kube-error-message.js';
import { messageIn, msg, summaryOf, type Message } from '../i18n/index.js';

export interface NodesRunOptions {
  api: NodesApi;
  namespace: string;
  ref: string;
  image: string;
  selector?: string;
  /** Only these nodes (names). */
  nodes?: string[];
  parallel: number;
  /** Bound for one node's pod, from create to report (ms). */
  podTimeoutMs: number;
  pollMs?: number;
  runtimeEndpoint?: string;
  extraArgs?: string[];
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; node: string; outcome: NodeOutcome; running: number }) => void;
  /** Fired once the nodes are known. */
  onStart?: (p: { total: number; leftoversRemoved: number; runId: string }) => void;
}

export interface NodesRunResult {
  runId: string;
  total: number;
  outcomes: NodeOutcome[];
  /** One report per group key (the first node's), for the fix plan and exports. */
  examples: Map<string, Report>;
  leftoversRemoved: number;
  /** Pods of another run young enough to be in use by it: left alone. */
  otherRunPods: number;
  cleanup: { deleted: number; errors: string[] };
  cancelled: boolean;
  /** The run could not start (nodes not listable, namespace forbidden …). */
  error?: string;
  /** `error` as a catalogue message (rendered in the reader's language). */
  errorMessage?: Message;
  /** KubeError kind of `error` (forbidden, unreachable, …). */
  errorKind?: string;
  /** Highest number of pods that existed at once. */
  peakPods: number;
}

const enc = encodeURIComponent;
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** Pods of this tool in the namespace (optionally one run), by label. */
async function ownedPods(
  api: NodesApi,
  namespace: string,
  extra?: string,
  keep?: (pod: any) => boolean,
): Promise<{ ok: true; names: string[]; kept: number } | { ok: false; message: string }> {
  const names: string[] = [];
  let kept = 0;
  let cont: string | undefined;
  do {
    const sel = enc(`${OWNER_SELECTOR}${extra ? `,${extra}` : ''}`);
    const r = await api.request(
      'GET',
      `/api/v1/namespaces/${enc(namespace)}/pods?labelSelector=${sel}&limit=500${cont ? `&continue=${enc(cont)}` : ''}`,
    );
    if (!r.ok) return { ok: false, message: describeKubeError(r) };
    for (const p of r.value?.items ?? []) {
      if (typeof p?.metadata?.name !== 'string') continue;
      if (keep?.(p)) kept++;
      else names.push(p.metadata.name);
    }
    cont = r.value?.metadata?.continue || undefined;
  } while (cont);
  return { ok: true, names, kept };
}

/** A pod of another run that may still be in use: younger than its own deadline plus a minute (a second regdoctor
 *  nodes running in the same namespace right now). Older ones are leftovers of a run that was killed. */
export function maybeInUse(pod: any, now = Date.now()): boolean {
  const created = Date.parse(pod?.metadata?.creationTimestamp ?? '');
  if (!Number.isFinite(created)) return false;
  const deadline = Number(pod?.spec?.activeDeadlineSeconds ?? 0) || 300;
  return now - created < (deadline + 60) * 1000;
}

async function deletePod(api: NodesApi, namespace: string, name: string): Promise<string | undefined> {
  const r = await api.request('DELETE', `/api/v1/namespaces/${enc(namespace)}/pods/${enc(name)}?gracePeriodSeconds=0`);
  if (r.ok || r.error === 'not-found') return undefined;
  return `${name}: ${describeKubeError(r)}`;
}

/** Deletes every pod of this tool in the namespace (all runs, or one run): returns how many and the failures. */
export async function removeOwnedPods(
  api: NodesApi,
  namespace: string,
  runId?: string,
  keep?: (pod: any) => boolean,
): Promise<{ deleted: number; errors: string[]; kept: number }> {
  const listed = await ownedPods(api, namespace, runId ? `${RUN_LABEL}=${runId}` : undefined, keep);
  if (!listed.ok) return { deleted: 0, errors: [listed.message], kept: 0 };
  const errors: string[] = [];
  let deleted = 0;
  for (const name of listed.names) {
    const e = await deletePod(api, namespace, name);
    if (e) errors.push(e);
    else deleted++;
  }
  return { deleted, errors, kept: listed.kept };
}

/** Node names: label selector, then the --nodes filter (names not found become outcomes of their own). */
export async function listNodes(
  api: NodesApi,
  selector?: string,
): Promise<{ ok: true; names: string[] } | { ok: false; message: string; kind: string }> {
  const names: string[] = [];
  let cont: string | undefined;
  do {
    const q = new URLSearchParams({ limit: '500' });
    if (selector) q.set('labelSelector', selector);
    if (cont) q.set('continue', cont);
    const r = await api.request('GET', `/api/v1/nodes?${q.toString()}`);
    if (!r.ok) return { ok: false, message: describeKubeError(r), kind: r.error };
    for (const n of r.value?.items ?? []) if (typeof n?.metadata?.name === 'string') names.push(n.metadata.name);
    cont = r.value?.metadata?.continue || undefined;
  } while (cont);
  return { ok: true, names };
}

/** The report in a pod's logs: the last top-level JSON object (stderr lines before it are kubectl-logs noise). */
export function reportFromLogs(logs: string): Report | undefined {
  const start = logs.search(/^\{/m);
  const end = logs.lastIndexOf('}');
  if (start < 0 || end < start) return undefined;
  try {
    const r = JSON.parse(logs.slice(start, end + 1)) as Report;
    return r && r.schema === 'regdoctor/report@1' && r.verdict ? r : undefined;
  } catch {
    return undefined;
  }
}

function waitingReason(pod: any): string | undefined {
  const cs = pod?.status?.containerStatuses?.[0];
  const w = cs?.state?.waiting;
  if (w?.reason) return `${w.reason}${w.message ? `: ${w.message}` : ''}`;
  const cond = (pod?.status?.conditions ?? []).find((c: any) => c?.type === 'PodScheduled' && c?.status === 'False');
  if (cond) return `${cond.reason ?? 'Unschedulable'}${cond.message ? `: ${cond.message}` : ''}`;
  return pod?.status?.phase ? `pod ${pod.status.phase}` : undefined;
}

export async function runNodes(o: NodesRunOptions): Promise<NodesRunResult> {
  const runId = randomBytes(4).toString('hex');
  const api = o.api;
  const ns = o.namespace;
  const outcomes: NodeOutcome[] = [];
  const examples = new Map<string, Report>();
  const created = new Set<string>();
  const result: NodesRunResult = {
    runId,
    total: 0,
    outcomes,
    examples,
    leftoversRemoved: 0,
    otherRunPods: 0,
    cleanup: { deleted: 0, errors: [] },
    cancelled: false,
    peakPods: 0,
  };
  try {
    const left = await removeOwnedPods(api, ns, undefined, (p) => maybeInUse(p));
    result.leftoversRemoved = left.deleted;
    result.otherRunPods = left.kept;
    const listed = await listNodes(api, o.selector);
    if (!listed.ok) {
      result.errorMessage = msg('node.nodes.cannotList', { why: listed.message });
      result.error = messageIn('en', result.errorMessage);
      result.errorKind = listed.kind;
      return result;
    }
    let names = listed.names;
    const missing: string[] = [];
    if (o.nodes?.length) {
      const known = new Set(names);
      missing.push(...o.nodes.filter((n) => !known.has(n)));
      const wanted = new Set(o.nodes);
      names = names.filter((n) => wanted.has(n));
    }
    result.total = names.length + missing.length;
    o.onStart?.({ total: result.total, leftoversRemoved: result.leftoversRemoved, runId });
    let done = 0;
    const record = (outcome: NodeOutcome, report?: Report) => {
      outcomes.push(outcome);
      const k = groupKey(outcome);
      if (report && !examples.has(k)) examples.set(k, report);
      done++;
      o.onProgress?.({ done, total: result.total, node: outcome.node, outcome, running: created.size });
    };
    for (const m of missing)
      record({
        node: m,
        state: 'error',
        code: 'node-not-found',
        title: 'node not found',
        ...summaryOf('node.nodes.notFound', {
          node: m,
          selector: o.selector ? msg('node.nodes.notFoundSelector', { selector: o.selector }) : '',
        }),
        durationMs: 0,
      });

    const one = async (node: string, index: number) => {
      const t0 = Date.now();
      const fail = (state: NodeOutcome['state'], code: string, summary: Message, exitCode?: number): NodeOutcome => ({
        node,
        state,
        code,
        title: code,
        summary: messageIn('en', summary),
        summaryMessage: summary,
        exitCode,
        durationMs: Date.now() - t0,
      });
      const pod = planNodePod(
        {
          ref: o.ref,
          node,
          runId,
          namespace: ns,
          image: o.image,
          runtimeEndpoint: o.runtimeEndpoint,
          extraArgs: o.extraArgs,
          deadlineSeconds: Math.ceil(o.podTimeoutMs / 1000) + 10,
        },
        index,
      );
      const name = podName(runId, index);
      const c = await api.request('POST', `/api/v1/namespaces/${enc(ns)}/pods`, pod);
      if (!c.ok) return record(fail('error', 'pod-create-failed', msg('node.nodes.podCreate', { pod: name, why: kubeErrorParam(c) })));
      created.add(name);
      result.peakPods = Math.max(result.peakPods, created.size);
      try {
        const deadline = t0 + o.podTimeoutMs;
        let last: any;
        for (;;) {
          if (o.signal?.aborted) return record(fail('cancelled', 'cancelled', msg('node.nodes.interrupted')));
          const g = await api.request('GET', `/api/v1/namespaces/${enc(ns)}/pods/${enc(name)}`);
          if (g.ok) last = g.value;
          const phase = last?.status?.phase;
          if (phase === 'Succeeded' || phase === 'Failed') break;
          if (Date.now() > deadline)
            return record(
              fail(
                'timeout',
                'timeout',
                msg('node.nodes.podTimeout', {
                  pod: name,
                  ms: o.podTimeoutMs,
                  why: waitingReason(last) ?? msg('node.nodes.noStatus'),
                }),
              ),
            );
          await sleep(o.pollMs ?? 500, o.signal);
        }
        const exitCode = last?.status?.containerStatuses?.[0]?.state?.terminated?.exitCode as number | undefined;
        const logs = await api.request('GET', `/api/v1/namespaces/${enc(ns)}/pods/${enc(name)}/log?container=diagnose`, undefined, {
          text: true,
          maxBytes: 8 * 1024 * 1024,
        });
        const report = logs.ok ? reportFromLogs(String(logs.value)) : undefined;
        if (!report) {
          const why = !logs.ok
            ? describeKubeError(logs)
            : (last?.status?.containerStatuses?.[0]?.state?.terminated?.message ??
                String(logs.value).trim().split('\n').slice(-3).join(' | ')) ||
              'no output';
          return record(fail('pod-failed', 'pod-failed', msg('node.nodes.podFailed', { pod: name, exit: exitCode ?? '?', why }), exitCode));
        }
        return record(outcomeFromReport(node, report, Date.now() - t0, exitCode), report);
      } finally {
        const e = await deletePod(api, ns, name);
        if (!e) created.delete(name);
      }
    };

    // Bounded worker pool: at most `parallel` pods exist at once.
    let next = 0;
    const workers = Array.from({ length: Math.max(1, Math.min(o.parallel, names.length)) }, async () => {
      while (next < names.length && !o.signal?.aborted) {
        const i = next++;
        await one(names[i]!, i);
      }
    });
    await Promise.all(workers);
    result.cancelled = Boolean(o.signal?.aborted);
    return result;
  } finally {
    // Whatever happened: this run's pods (by label, which also catches a create that answered late), then any name
    // we created that the list missed.
    const byLabel = await removeOwnedPods(api, ns, runId);
    result.cleanup.deleted += byLabel.deleted;
    result.cleanup.errors.push(...byLabel.errors);
    for (const name of created) {
      const e = await deletePod(api, ns, name);
      if (e) result.cleanup.errors.push(e);
    }
    result.cancelled ||= Boolean(o.signal?.aborted);
  }
}

/** Creates one pod, waits until it ends (or timeoutMs), reads its logs and deletes it — whatever happens. */
export async function runPodToEnd(
  api: NodesApi,
  ns: string,
  pod: Record<string, any>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ ok: true; exitCode?: number; logs: string } | { ok: false; message: string }> {
  const name = String(pod.metadata.name);
  const t0 = Date.now();
  const c = await api.request('POST', `/api/v1/namespaces/${enc(ns)}/pods`, pod);
  if (!c.ok) return { ok: false, message: `cannot create pod ${name}: ${describeKubeError(c)}` };
  try {
    let last: any;
    for (;;) {
      if (signal?.aborted) return { ok: false, message: 'interrupted' };
      const g = await api.request('GET', `/api/v1/namespaces/${enc(ns)}/pods/${enc(name)}`);
      if (g.ok) last = g.value;
      const phase = last?.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') break;
      if (Date.now() - t0 > timeoutMs)
        return { ok: false, message: `pod ${name} did not finish within ${timeoutMs} ms (${waitingReason(last) ?? 'no status'})` };
      await sleep(300, signal);
    }
    const exitCode = last?.status?.containerStatuses?.[0]?.state?.terminated?.exitCode as number | undefined;
    const logs = await api.request('GET', `/api/v1/namespaces/${enc(ns)}/pods/${enc(name)}/log`, undefined, {
      text: true,
      maxBytes: 4 * 1024 * 1024,
    });
    if (!logs.ok) return { ok: false, message: `logs of ${name}: ${describeKubeError(logs)}` };
    return { ok: true, exitCode, logs: String(logs.value) };
  } finally {
    await deletePod(api, ns, name);
  }
}
