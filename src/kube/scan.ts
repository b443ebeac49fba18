// `regdoctor scan`: every pod failing to pull in a namespace or the whole cluster, grouped by the host that fails
// (the registry, or its token realm / mirror / blob storage) and the cause, with counts, nodes and one fix each.
// Pods and events are streamed page by page; only failing containers are kept, so memory does not grow with the
// number of events (50,000 events or 5 million cost the same).
import type { KubeAdapter, KubeError, KubeListSummary } from '../adapters/kube.js';
import type { CauseCode } from '../core/causes.js';
import { causeInfo } from '../core/causes.js';
import { redactText } from '../core/redact.js';
import { parseImageReference, parseTarget } from '../core/reference.js';
import type { Finding } from '../core/types.js';
import { proposeFixes } from '../fix/propose.js';
import type { KubeEvent, Pod } from './objects.js';
import { failingPullContainers } from './objects.js';
import { isPullEvent, parseWaiting, toPullEvent } from './events.js';
import { classifyForImage, type ClassifyFn, type PullErrorClassification } from './classifier.js';
import { describeKubeError } from './kubectl-errors.js';
import { diagnoseImageCommand, diagnosePodCommand, type SuggestedCommand } from './suggest.js';

export interface ScanOptions {
  kube: KubeAdapter;
  /** Namespace to scan (default: the context's); ignored with allNamespaces. */
  namespace?: string;
  allNamespaces?: boolean;
  /** Items per API page (default 500). */
  chunkSize?: number;
  signal?: AbortSignal;
  classify: ClassifyFn;
  /** Failing containers tracked individually (beyond that they are still counted). Default 200,000. */
  maxTracked?: number;
  onProgress?(p: { phase: 'pods' | 'events'; pods: number; events: number }): void;
}

export interface ScanGroup {
  /** Host whose failure blocks the pulls (registry, token realm, mirror, blob storage, proxy). */
  host: string;
  hostRole: string;
  code: CauseCode;
  title: string;
  pods: number;
  containers: number;
  namespaces: string[];
  nodes: string[];
  nodeCount: number;
  images: string[];
  imageCount: number;
  /** A few affected pods, `ns/name`. */
  examples: string[];
  /** One runtime error as kubelet reported it (redacted). */
  sampleError?: string;
  /** One recommended fix. */
  fix: string;
  /** Next command: live diagnosis (from an affected node for an image), quoted for a POSIX shell. Absent when no
   *  affected pod or image validates (an invalid reference is shown as data, never as a command). */
  diagnose?: string;
  /** The same command as argv. */
  diagnoseArgv?: string[];
}

export interface ScanResult {
  schema: 'regdoctor/scan@1';
  scope: { namespace?: string; allNamespaces: boolean; context?: string };
  podsScanned: number;
  eventsScanned: number;
  pullEvents: number;
  failingPods: number;
  failingContainers: number;
  groups: ScanGroup[];
  /** Events could not be read (RBAC...): causes come from pod statuses only. */
  warnings: string[];
  /** Failing containers beyond maxTracked were counted but not classified. */
  untracked: number;
  /** Objects over the list item size limit, skipped (each also named in warnings). */
  skipped: { pods: number; events: number };
  pages: { pods: number; events: number };
  durationMs: number;
}

interface Tracked {
  ns: string;
  pod: string;
  node?: string;
  container: string;
  image: string;
  waitingReason?: string;
  waitingMessage?: string;
  /** Latest runtime error from a `Failed to pull image` event. */
  eventError?: string;
  eventTime: number;
  missingSecrets?: string[];
}

const LIMITS = { namespaces: 20, nodes: 50, images: 10, examples: 5 };
/** Messages kept per failing container (a runtime error is a few hundred bytes; this bounds hostile ones). */
const MAX_MESSAGE = 4096;
// Head (names the image) and tail (names the fault) of an over-long message.
const cap = (s: string | undefined) => (s !== undefined && s.length > MAX_MESSAGE ? `${s.slice(0, 1024)} … ${s.slice(-(MAX_MESSAGE - 1024))}` : s);

function addCapped(list: string[], v: string | undefined, cap: number): boolean {
  if (!v || list.includes(v)) return false;
  if (list.length < cap) list.push(v);
  return true;
}

const CREDENTIAL_CODES = new Set<CauseCode>(['credentials-missing', 'credentials-mismatch', 'unauthorized']);
const IMAGE_LEVEL = new Set<CauseCode>([...CREDENTIAL_CODES, 'not-found', 'platform-mismatch', 'rate-limited']);

/** One recommended fix for a group: the fix planner's first proposal for that host, else the cause's advice. */
function fixFor(c: PullErrorClassification, host: string, image: string, registry: string): string {
  if (c.fix) return c.fix;
  try {
    // Credentials and image problems belong to the image's registry even when its token service answered.
    const target = host === registry || IMAGE_LEVEL.has(c.code) ? parseTarget(image) : parseTarget(host);
    const finding: Finding = { code: c.code, severity: 'error', summary: '', evidence: [], fixes: [], source: 'scan' };
    const p = proposeFixes(finding, { target, facts: {}, inputs: {} })[0];
    if (p) return CREDENTIAL_CODES.has(c.code) ? `${p.title}, then recreate the pods (pull secrets are read at pod creation).` : `${p.title}.`;
  } catch {
    // not a host the planner can target
  }
  return causeInfo(c.code).explanation;
}

/** The next command for a group: the pod's diagnosis for credential causes (the pull secrets decide), else the
 *  image's live diagnosis on a node. Only built from names and references that validate. */
function nextCommand(code: CauseCode, t: Tracked): SuggestedCommand | undefined {
  if (CREDENTIAL_CODES.has(code)) {
    const pod = diagnosePodCommand(t.pod, t.ns);
    if (pod) return pod;
  }
  return diagnoseImageCommand(t.image);
}

const normCache = new Map<string, string>();
/** kubelet puts the spec image in events, with `:latest` added when there is no tag. */
export function sameImage(a: string, b: string): boolean {
  if (a === b) return true;
  const norm = (x: string) => {
    let n = normCache.get(x);
    if (n === undefined) {
      try {
        n = parseImageReference(x).normalized;
      } catch {
        n = x;
      }
      if (normCache.size < 10_000) normCache.set(x, n);
    }
    return n;
  };
  return norm(a) === norm(b);
}

/** `2 events over the 8388608-byte list item limit were skipped (e.g. shop/big.17f): …`. */
export function skippedWarning(what: 'pod' | 'event', l: KubeListSummary): string {
  const e = l.skippedItems.filter((x) => x.name).slice(0, 3).map((x) => (x.namespace ? `${x.namespace}/${x.name}` : x.name));
  const consequence = what === 'pod' ? 'their containers are not checked' : 'their messages are not used';
  return `${l.skipped} ${what}${l.skipped === 1 ? '' : 's'} over the ${l.maxItemBytes}-byte list item limit ${l.skipped === 1 ? 'was' : 'were'} skipped${e.length ? ` (e.g. ${e.join(', ')})` : ''}: ${consequence}`;
}

export class ScanAccessError extends Error {
  constructor(
    message: string,
    readonly kube: KubeError,
  ) {
    super(message);
    this.name = 'ScanAccessError';
  }
}

export async function scanCluster(o: ScanOptions): Promise<ScanResult> {
  const started = Date.now();
  const chunkSize = o.chunkSize ?? 500;
  const maxTracked = o.maxTracked ?? 200_000;
  const tracked = new Map<string, Tracked>(); // `${uid}/${container}`
  const byPodName = new Map<string, string>(); // `${ns}/${name}` → uid
  const byPod = new Map<string, Tracked[]>(); // uid → its failing containers
  let untracked = 0;
  let podsScanned = 0;
  let eventsScanned = 0;
  let pullEvents = 0;
  const warnings: string[] = [];
  let eventPages = 0;
  let namespace = o.namespace;
  if (!o.allNamespaces && namespace === undefined) {
    const ns = await o.kube.namespace(o.signal);
    if (!ns.ok) throw new ScanAccessError(`cannot determine the namespace: ${describeKubeError(ns)}`, ns);
    namespace = ns.value;
  }
  const listOpts = { namespace: o.allNamespaces ? undefined : namespace, allNamespaces: o.allNamespaces, chunkSize, signal: o.signal };

  // 1. Pods: keep only containers waiting on a pull.
  const pr = await o.kube.list<Pod>('pods', listOpts, (pod) => {
    podsScanned++;
    if (podsScanned % 5000 === 0) o.onProgress?.({ phase: 'pods', pods: podsScanned, events: 0 });
    const failing = failingPullContainers(pod);
    if (!failing.length) return;
    const ns = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    const uid = pod.metadata.uid ?? `${ns}/${name}`;
    byPodName.set(`${ns}/${name}`, uid);
    for (const c of failing) {
      if (tracked.size >= maxTracked) {
        untracked++;
        continue;
      }
      const w = c.status?.state?.waiting;
      const t: Tracked = { ns, pod: name, node: pod.spec?.nodeName, container: c.name, image: c.image, waitingReason: w?.reason, waitingMessage: cap(w?.message), eventTime: 0 };
      tracked.set(`${uid}/${c.name}`, t);
      let list = byPod.get(uid);
      if (!list) byPod.set(uid, (list = []));
      list.push(t);
    }
  });
  if (!pr.ok) throw new ScanAccessError(`cannot list pods: ${describeKubeError(pr)}`, pr);
  const skipped = { pods: pr.value.skipped, events: 0 };
  if (pr.value.skipped) warnings.push(skippedWarning('pod', pr.value));

  // 2. Events: the runtime error behind each failure (BackOff statuses before 1.32 carry none).
  if (tracked.size > 0) {
    const er = await o.kube.list<KubeEvent>('events', { ...listOpts, fieldSelector: 'involvedObject.kind=Pod' }, (e) => {
      eventsScanned++;
      if (eventsScanned % 10000 === 0) o.onProgress?.({ phase: 'events', pods: podsScanned, events: eventsScanned });
      if (!isPullEvent(e)) return;
      pullEvents++;
      const io = e.involvedObject ?? {};
      // Match by UID (a pod recreated under the same name has a new one), else by name for events without it.
      const uid = io.uid ? (byPod.has(io.uid) ? io.uid : undefined) : byPodName.get(`${io.namespace ?? ''}/${io.name ?? ''}`);
      if (!uid) return;
      const containers = byPod.get(uid)!;
      const pe = toPullEvent(e);
      if (pe.kind === 'secret-unavailable') {
        for (const t of containers) t.missingSecrets = pe.secrets;
        return;
      }
      if (pe.kind !== 'pull-failed' || !pe.runtimeError) return;
      for (const t of containers) {
        if (pe.container && t.container !== pe.container) continue;
        if (pe.image && !sameImage(t.image, pe.image)) continue;
        if (pe.lastSeen >= t.eventTime) {
          t.eventError = cap(pe.runtimeError);
          t.eventTime = pe.lastSeen;
        }
      }
    });
    if (er.ok) {
      eventPages = er.value.pages;
      skipped.events = er.value.skipped;
      if (er.value.skipped) warnings.push(skippedWarning('event', er.value));
    } else {
      if (er.error === 'forbidden' || er.error === 'not-found') warnings.push(`events not readable (${describeKubeError(er)}): causes come from pod statuses only`);
      else throw new ScanAccessError(`cannot list events: ${describeKubeError(er)}`, er);
    }
  }

  // 3. Classify (cached by text: many pods share one message) and group.
  const cache = new Map<string, PullErrorClassification>();
  const classify = (text: string, image: string) => {
    const key = `${image}\u0000${text}`;
    let c = cache.get(key);
    if (!c) {
      c = classifyForImage(o.classify, text, image);
      if (cache.size < 20_000) cache.set(key, c);
    }
    return c;
  };
  interface G extends ScanGroup {
    podSet: Set<string>;
    nodeSet: Set<string>;
    imageSet: Set<string>;
  }
  const groups = new Map<string, G>();
  for (const t of tracked.values()) {
    const waiting = parseWaiting(t.waitingReason, t.waitingMessage);
    const text = t.eventError ?? waiting.runtimeError ?? t.waitingMessage ?? t.waitingReason ?? '';
    let c: PullErrorClassification;
    if (waiting.kind === 'invalid-image-name') c = { code: 'unknown', hostRole: 'registry', explanation: 'The image reference does not parse (InvalidImageName).', fix: 'Fix the image reference in the pod spec.' };
    else if (waiting.kind === 'never-pull') c = { code: 'unknown', hostRole: 'registry', explanation: 'imagePullPolicy is Never and the image is not on the node.', fix: 'Load the image onto the node or change imagePullPolicy.' };
    else if (!t.eventError && !waiting.runtimeError && t.missingSecrets?.length) c = { code: 'credentials-missing', hostRole: 'registry', fix: `Create pull secret ${t.missingSecrets.join(', ')} in namespace ${t.ns}.` };
    else c = classify(text, t.image);
    let registry = '';
    try {
      registry = parseImageReference(t.image).domain;
    } catch {
      registry = t.image;
    }
    const host = c.host ?? registry;
    const key = `${host}\u0000${c.code}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        host,
        hostRole: c.hostRole ?? 'registry',
        code: c.code,
        title: causeInfo(c.code).title,
        pods: 0,
        containers: 0,
        namespaces: [],
        nodes: [],
        nodeCount: 0,
        images: [],
        imageCount: 0,
        examples: [],
        sampleError: text ? redactText(text).slice(0, 2000) : undefined,
        fix: fixFor(c, host, t.image, registry),
        podSet: new Set(),
        nodeSet: new Set(),
        imageSet: new Set(),
      };
      groups.set(key, g);
    }
    if (!g.diagnose) {
      const next = nextCommand(c.code, t);
      if (next) {
        g.diagnose = next.command;
        g.diagnoseArgv = next.argv;
      }
    }
    g.containers++;
    const podKey = `${t.ns}/${t.pod}`;
    if (!g.podSet.has(podKey)) {
      g.podSet.add(podKey);
      g.pods++;
      addCapped(g.examples, podKey, LIMITS.examples);
    }
    addCapped(g.namespaces, t.ns, LIMITS.namespaces);
    if (t.node && !g.nodeSet.has(t.node)) {
      g.nodeSet.add(t.node);
      g.nodeCount++;
      addCapped(g.nodes, t.node, LIMITS.nodes);
    }
    if (!g.imageSet.has(t.image)) {
      g.imageSet.add(t.image);
      g.imageCount++;
      addCapped(g.images, t.image, LIMITS.images);
    }
  }
  const failingPods = new Set([...tracked.values()].map((t) => `${t.ns}/${t.pod}`)).size;
  const out: ScanGroup[] = [...groups.values()]
    .sort((a, b) => b.pods - a.pods || b.containers - a.containers || a.host.localeCompare(b.host))
    .map(({ podSet: _p, nodeSet: _n, imageSet: _i, ...g }) => g);
  return {
    schema: 'regdoctor/scan@1',
    scope: { namespace: o.allNamespaces ? undefined : namespace, allNamespaces: Boolean(o.allNamespaces) },
    podsScanned,
    eventsScanned,
    pullEvents,
    failingPods,
    failingContainers: tracked.size + untracked,
    groups: out,
    warnings,
    untracked,
    skipped,
    pages: { pods: pr.value.pages, events: eventPages },
    durationMs: Date.now() - started,
  };
}
