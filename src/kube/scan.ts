// `regdoctor scan`: every pod failing to pull in a namespace or the whole cluster, grouped by the host that fails
// (the registry, or its token realm / mirror / blob storage) and the cause, with counts, nodes and one fix each.
// Pods and events are streamed page by page; only failing containers are kept, so memory does not grow with the
// number of events (50,000 events or 5 million cost the same).
import type { KubeAdapter, KubeError, KubeListSummary } from '../adapters/kube.js';
import type { CauseCode } from '../core/causes.js';
import { causeInfo } from '../core/causes.js';
import { redactText } from '../text/redact.js';
import { parseImageReference, parseTarget } from '../core/reference.js';
import type { Finding } from '../core/types.js';
import { proposeFixes } from '../fix/propose.js';
import type { KubeEvent, Pod } from './objects.js';
import { failingPullContainers } from './objects.js';
import { isPullEvent, parseWaiting, toPullEvent } from './events.js';
import { classifyForImage, type ClassifyFn, type PullErrorClassification } from './classifier.js';
import { kubeErrorParam } from './kube-error-message.js';
import { diagnoseImageCommand, diagnosePodCommand, type SuggestedCommand } from './suggest.js';
import { messageIn, msg, type Message } from '../i18n/index.js';
import { compareCodeUnits } from '../text/compare.js';

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
  /** One recommended fix (English). */
  fix: string;
  /** `fix` as a catalogue message (rendered in the reader's language). */
  fixMessage?: Message;
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
  /** `warnings` as catalogue messages, one for each (rendered in the reader's language). */
  warningMessages?: Message[];
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
const cap = (s: string | undefined) =>
  s !== undefined && s.length > MAX_MESSAGE ? `${s.slice(0, 1024)} … ${s.slice(-(MAX_MESSAGE - 1024))}` : s;

function addCapped(list: string[], v: string | undefined, cap: number): boolean {
  if (!v || list.includes(v)) return false;
  if (list.length < cap) list.push(v);
  return true;
}

const CREDENTIAL_CODES = new Set<CauseCode>(['credentials-missing', 'credentials-mismatch', 'unauthorized']);
const IMAGE_LEVEL = new Set<CauseCode>([...CREDENTIAL_CODES, 'not-found', 'platform-mismatch', 'rate-limited']);

/** One recommended fix for a group: the fix planner's first proposal for that host, else the cause's advice. */
function fixFor(c: PullErrorClassification, host: string, image: string, registry: string): { fix: string; fixMessage?: Message } {
  if (c.fix) return { fix: c.fix, ...(c.fixMessage ? { fixMessage: c.fixMessage } : {}) };
  try {
    // Credentials and image problems belong to the image's registry even when its token service answered.
    const target = host === registry || IMAGE_LEVEL.has(c.code) ? parseTarget(image) : parseTarget(host);
    const finding: Finding = { code: c.code, severity: 'error', summary: '', evidence: [], fixes: [], source: 'scan' };
    const p = proposeFixes(finding, { target, facts: {}, inputs: {} })[0];
    if (p) {
      const m = msg(CREDENTIAL_CODES.has(c.code) ? 'node.scan.fixRecreate' : 'node.scan.fixSentence', { title: p.titleMessage ?? p.title });
      // the English as it always was (the proposal's stored title), the message for the reader's language
      const fix = CREDENTIAL_CODES.has(c.code)
        ? `${p.title}, then recreate the pods (pull secrets are read at pod creation).`
        : `${p.title}.`;
      return { fix, fixMessage: m };
    }
  } catch {
    // not a host the planner can target
  }
  return { fix: causeInfo(c.code).explanation, fixMessage: msg(`cause.${c.code}.explanation`) };
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
  return messageIn('en', skippedWarningMessage(what, l));
}

/** skippedWarning as a catalogue message. */
export function skippedWarningMessage(what: 'pod' | 'event', l: KubeListSummary): Message {
  const e = l.skippedItems
    .filter((x) => x.name)
    .slice(0, 3)
    .map((x) => (x.namespace ? `${x.namespace}/${x.name}` : x.name));
  const one = l.skipped === 1;
  return msg(
    what === 'pod'
      ? one
        ? 'node.scan.skippedPods.one'
        : 'node.scan.skippedPods.other'
      : one
        ? 'node.scan.skippedEvents.one'
        : 'node.scan.skippedEvents.other',
    { n: l.skipped, bytes: l.maxItemBytes, examples: e.length ? msg('node.scan.examples', { names: e.join(', ') }) : '' },
  );
}

export class ScanAccessError extends Error {
  /** The message as a catalogue message (the CLI prints it in the reader's language; --json keeps the English). */
  readonly reason?: Message;
  constructor(
    reason: Message | string,
    readonly kube: KubeError,
  ) {
    super(typeof reason === 'string' ? reason : messageIn('en', reason));
    if (typeof reason !== 'string') this.reason = reason;
    this.name = 'ScanAccessError';
  }
}

export async function scanCluster(o: ScanOptions): Promise<ScanResult> {
  const started = Date.now();
  const namespace = await scanNamespace(o);
  const listOpts: ScanListOptions = {
    namespace: o.allNamespaces ? undefined : namespace,
    allNamespaces: o.allNamespaces,
    chunkSize: o.chunkSize ?? 500,
    signal: o.signal,
  };
  const failing = new FailingContainers(o.maxTracked ?? 200_000);
  const warningMessages: Message[] = [];

  const pods = await collectFailingContainers(o, listOpts, failing);
  if (pods.skipped) warningMessages.push(skippedWarningMessage('pod', pods));
  const events = failing.tracked.size > 0 ? await attachPullErrors(o, listOpts, failing, pods.scanned) : NO_EVENTS;
  if (events.warning) warningMessages.push(events.warning);
  const warnings = warningMessages.map((m) => messageIn('en', m));

  return {
    schema: 'regdoctor/scan@1',
    scope: { namespace: o.allNamespaces ? undefined : namespace, allNamespaces: Boolean(o.allNamespaces) },
    podsScanned: pods.scanned,
    eventsScanned: events.scanned,
    pullEvents: events.pullEvents,
    failingPods: new Set([...failing.tracked.values()].map((t) => `${t.ns}/${t.pod}`)).size,
    failingContainers: failing.tracked.size + failing.untracked,
    groups: groupByHostAndCause(failing.tracked.values(), o.classify),
    warnings,
    ...(warningMessages.length ? { warningMessages } : {}),
    untracked: failing.untracked,
    skipped: { pods: pods.skipped, events: events.skipped },
    pages: { pods: pods.pages, events: events.pages },
    durationMs: Date.now() - started,
  };
}

interface ScanListOptions {
  namespace?: string;
  allNamespaces?: boolean;
  chunkSize: number;
  signal?: AbortSignal;
}

/** The namespace scanned: the option, else the kubectl context's (unless all namespaces are scanned). */
async function scanNamespace(o: ScanOptions): Promise<string | undefined> {
  if (o.allNamespaces || o.namespace !== undefined) return o.namespace;
  const ns = await o.kube.namespace(o.signal);
  if (!ns.ok) throw new ScanAccessError(msg('node.scan.noNamespace', { why: kubeErrorParam(ns) }), ns);
  return ns.value;
}

/** The failing containers kept for classification, indexed so events can find them by pod UID or by name. */
class FailingContainers {
  /** `${uid}/${container}` → the container. */
  readonly tracked = new Map<string, Tracked>();
  /** `${ns}/${name}` → uid. */
  readonly byPodName = new Map<string, string>();
  /** uid → its failing containers. */
  readonly byPod = new Map<string, Tracked[]>();
  /** Failing containers beyond maxTracked: counted, not classified. */
  untracked = 0;

  constructor(private readonly maxTracked: number) {}

  /** Keeps the pod's containers waiting on a pull (up to maxTracked in all). */
  addPod(pod: Pod): void {
    const failing = failingPullContainers(pod);
    if (!failing.length) return;
    const ns = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    const uid = pod.metadata.uid ?? `${ns}/${name}`;
    this.byPodName.set(`${ns}/${name}`, uid);
    for (const c of failing) {
      if (this.tracked.size >= this.maxTracked) {
        this.untracked++;
        continue;
      }
      const w = c.status?.state?.waiting;
      const t: Tracked = {
        ns,
        pod: name,
        node: pod.spec?.nodeName,
        container: c.name,
        image: c.image,
        waitingReason: w?.reason,
        waitingMessage: cap(w?.message),
        eventTime: 0,
      };
      this.tracked.set(`${uid}/${c.name}`, t);
      let list = this.byPod.get(uid);
      if (!list) this.byPod.set(uid, (list = []));
      list.push(t);
    }
  }

  /** The failing containers of the event's pod: by UID (a pod recreated under the same name has a new one), else by
   *  name for events without it. */
  containersOf(e: KubeEvent): Tracked[] | undefined {
    const io = e.involvedObject ?? {};
    const uid = io.uid ? (this.byPod.has(io.uid) ? io.uid : undefined) : this.byPodName.get(`${io.namespace ?? ''}/${io.name ?? ''}`);
    return uid ? this.byPod.get(uid)! : undefined;
  }
}

/** Phase 1, pods: streams every pod and keeps only the containers waiting on a pull. A pod list that fails ends the scan. */
async function collectFailingContainers(
  o: ScanOptions,
  listOpts: ScanListOptions,
  failing: FailingContainers,
): Promise<KubeListSummary & { scanned: number }> {
  let scanned = 0;
  const pr = await o.kube.list<Pod>('pods', listOpts, (pod) => {
    scanned++;
    if (scanned % 5000 === 0) o.onProgress?.({ phase: 'pods', pods: scanned, events: 0 });
    failing.addPod(pod);
  });
  if (!pr.ok) throw new ScanAccessError(msg('node.scan.cannotListPods', { why: kubeErrorParam(pr) }), pr);
  return { ...pr.value, scanned };
}

interface EventPhase {
  scanned: number;
  pullEvents: number;
  pages: number;
  skipped: number;
  warning?: Message;
}

const NO_EVENTS: EventPhase = { scanned: 0, pullEvents: 0, pages: 0, skipped: 0 };

/**
 * Phase 2, events: the runtime error behind each failure (BackOff statuses before 1.32 carry none). Events that
 * cannot be read (forbidden, not served) leave a warning and statuses-only causes; any other error ends the scan.
 */
async function attachPullErrors(
  o: ScanOptions,
  listOpts: ScanListOptions,
  failing: FailingContainers,
  podsScanned: number,
): Promise<EventPhase> {
  let scanned = 0;
  let pullEvents = 0;
  const er = await o.kube.list<KubeEvent>('events', { ...listOpts, fieldSelector: 'involvedObject.kind=Pod' }, (e) => {
    scanned++;
    if (scanned % 10000 === 0) o.onProgress?.({ phase: 'events', pods: podsScanned, events: scanned });
    if (!isPullEvent(e)) return;
    pullEvents++;
    const containers = failing.containersOf(e);
    if (containers) recordPullEvent(containers, toPullEvent(e));
  });
  if (er.ok) {
    const warning = er.value.skipped ? skippedWarningMessage('event', er.value) : undefined;
    return { scanned, pullEvents, pages: er.value.pages, skipped: er.value.skipped, ...(warning ? { warning } : {}) };
  }
  if (er.error === 'forbidden' || er.error === 'not-found') {
    return {
      scanned,
      pullEvents,
      pages: 0,
      skipped: 0,
      warning: msg('node.scan.eventsUnreadable', { why: kubeErrorParam(er) }),
    };
  }
  throw new ScanAccessError(msg('node.scan.cannotListEvents', { why: kubeErrorParam(er) }), er);
}

/** A pull event on a pod: missing pull secrets mark all its containers; a runtime error goes to the matching
 *  containers (by container name and image when the event names them), the latest event winning. */
function recordPullEvent(containers: Tracked[], pe: ReturnType<typeof toPullEvent>): void {
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
}

interface GroupBuilder extends ScanGroup {
  podSet: Set<string>;
  nodeSet: Set<string>;
  imageSet: Set<string>;
}

/** Phase 3: classifies every tracked container and groups them by failing host and cause, most pods first. */
function groupByHostAndCause(tracked: Iterable<Tracked>, classifyFn: ClassifyFn): ScanGroup[] {
  const classify = cachedClassifier(classifyFn);
  const groups = new Map<string, GroupBuilder>();
  for (const t of tracked) {
    const { text, c } = classifyContainer(t, classify);
    const registry = registryOf(t.image);
    const host = c.host ?? registry;
    const key = `${host}\u0000${c.code}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = newGroup(host, c, text, fixFor(c, host, t.image, registry))));
    addToGroup(g, t, c.code);
  }
  return [...groups.values()]
    .sort((a, b) => b.pods - a.pods || b.containers - a.containers || compareCodeUnits(a.host, b.host))
    .map(({ podSet: _p, nodeSet: _n, imageSet: _i, ...g }) => g);
}

/** Classification cached by image and text: many pods share one message. */
function cachedClassifier(classifyFn: ClassifyFn): (text: string, image: string) => PullErrorClassification {
  const cache = new Map<string, PullErrorClassification>();
  return (text, image) => {
    const key = `${image}\u0000${text}`;
    let c = cache.get(key);
    if (!c) {
      c = classifyForImage(classifyFn, text, image);
      if (cache.size < 20_000) cache.set(key, c);
    }
    return c;
  };
}

/**
 * A container's cause: the waiting reason decides invalid references and `Never` pull policies; missing pull secrets
 * with no runtime error are missing credentials; otherwise the best runtime error text (event, then status) is classified.
 */
function classifyContainer(
  t: Tracked,
  classify: (text: string, image: string) => PullErrorClassification,
): { text: string; c: PullErrorClassification } {
  const waiting = parseWaiting(t.waitingReason, t.waitingMessage);
  const text = t.eventError ?? waiting.runtimeError ?? t.waitingMessage ?? t.waitingReason ?? '';
  if (waiting.kind === 'invalid-image-name')
    return {
      text,
      c: {
        code: 'unknown',
        hostRole: 'registry',
        ...explained(msg('node.scan.invalidName')),
        ...fixed(msg('node.scan.invalidName.fix')),
      },
    };
  if (waiting.kind === 'never-pull')
    return {
      text,
      c: {
        code: 'unknown',
        hostRole: 'registry',
        ...explained(msg('node.scan.neverPull')),
        ...fixed(msg('node.scan.neverPull.fix')),
      },
    };
  if (!t.eventError && !waiting.runtimeError && t.missingSecrets?.length)
    return {
      text,
      c: {
        code: 'credentials-missing',
        hostRole: 'registry',
        ...fixed(msg('node.scan.createSecret', { secrets: t.missingSecrets.join(', '), namespace: t.ns })),
      },
    };
  return { text, c: classify(text, t.image) };
}

/** The image's registry host; an image that does not parse stands for itself. */
function registryOf(image: string): string {
  try {
    return parseImageReference(image).domain;
  } catch {
    return image;
  }
}

const explained = (m: Message) => ({ explanation: messageIn('en', m), explanationMessage: m });
const fixed = (m: Message) => ({ fix: messageIn('en', m), fixMessage: m });

function newGroup(host: string, c: PullErrorClassification, text: string, fix: { fix: string; fixMessage?: Message }): GroupBuilder {
  return {
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
    ...fix,
    podSet: new Set(),
    nodeSet: new Set(),
    imageSet: new Set(),
  };
}

/** Counts the container in its group (pods, nodes and images once each, lists capped) and gives the group its
 *  next command from the first container that yields one. */
function addToGroup(g: GroupBuilder, t: Tracked, code: CauseCode): void {
  if (!g.diagnose) {
    const next = nextCommand(code, t);
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
