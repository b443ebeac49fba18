// `regdoctor diagnose pod/<name>`: read the pod and its events through kubectl and, for each container that cannot
// pull its image, report the image, kubelet's waiting reason, the parsed events, the runtime error, its cause, and
// the targets worth diagnosing live (the image, plus the failing host when it is not the registry itself).
import type { KubeAdapter, KubeError } from '../adapters/kube.js';
import type { CauseCode } from '../core/causes.js';
import type { Target } from '../core/types.js';
import { parseImageReference, parseRegistry, registryHost } from '../core/reference.js';
import { redactText } from '../text/redact.js';
import type { KubeEvent, Pod } from './objects.js';
import { podContainers, PULL_WAITING_REASONS, secretNames } from './objects.js';
import { isPullEvent, parseWaiting, toPullEvent, type PullEvent } from './events.js';
import { classifyForImage, loadClassifier, type ClassifyFn, type PullErrorClassification } from './classifier.js';
import { sameImage, skippedWarning, skippedWarningMessage } from './scan.js';
import { collectPullSecrets } from './pull-secrets-collect.js';
import { analyzePullSecrets } from './pull-secrets.js';
import { describeKubeError } from '../adapters/kubectl/errors.js';
import { kubeErrorParam } from './kube-error-message.js';
import { causeInfo } from '../core/causes.js';
import { diagnoseImageCommand, type SuggestedCommand } from './suggest.js';
import type { SecretFetch } from './pull-secrets.js';
import { messageIn, msg, type Message } from '../i18n/index.js';

export interface ContainerPullDiagnosis {
  container: string;
  kind: 'container' | 'initContainer' | 'ephemeralContainer';
  image: string;
  waitingReason?: string;
  waitingMessage?: string;
  /** Pull-related events for this container, newest first (at most 20). */
  events: PullEvent[];
  /** The runtime error the classification is based on (latest `Failed to pull image` event, else the status). */
  runtimeError?: string;
  /** Where runtimeError came from. */
  errorSource?: 'event' | 'status';
  /** What the runtime error alone says. */
  classification: PullErrorClassification;
  /** The cause, after checking the pod's pull secrets when the error is about credentials. */
  code: CauseCode;
  /** One or two sentences for the operator. */
  summary: string;
  /** `summary` as a catalogue message (rendered in the reader's language). */
  summaryMessage?: Message;
  /** Set when the pull-secret analysis decided the code (e.g. a key with the wrong port). */
  refinedBy?: 'pull-secrets';
  pullSecrets?: {
    source: 'pod' | 'service-account' | 'none';
    secrets: string[];
    matching: { secret: string; key: string }[];
    findings: { code: CauseCode; summary: string; summaryMessage?: Message }[];
  };
  /** host[:port] that fails (registry, token realm, mirror, blob storage, proxy). */
  host?: string;
  hostRole?: string;
  failingUrl?: string;
  /** Pull secrets kubelet could not read (FailedToRetrieveImagePullSecret). */
  missingSecrets?: string[];
  /** What to diagnose live from the node: the image first, then the failing host when it differs. */
  targets: Target[];
  /** The command to run on the node (`regdoctor diagnose IMAGE`), built from the validated image; absent when the
   *  image is not a valid reference (then `invalidImage` is set and the image is only shown as data). */
  next?: SuggestedCommand;
  invalidImage?: boolean;
  /** Set when the pull secrets that would decide a credentials cause could not be read: the code is then
   *  `kube-access` and this says what the runtime error alone suggested and what stays undecided. */
  undecided?: { suggested: CauseCode; reason: string; reasonMessage?: Message };
}

/** Something the diagnosis needed and could not read (RBAC, API errors): the verdict is weaker for it. */
export interface PodAccessNote {
  code: 'kube-access';
  /** e.g. `secrets`, `serviceaccounts`, `events`. */
  resource: string;
  /** `pull secret shop/regcred`, `ServiceAccount shop/default`. */
  what: string;
  kind: KubeError['error'];
  message: string;
  verb?: string;
  namespace?: string;
  /** What the missing read leaves undecided. */
  undecided: string;
  /** `what` and `undecided` as catalogue messages (rendered in the reader's language). */
  whatMessage?: Message;
  undecidedMessage?: Message;
}

export interface PodDiagnosis {
  pod: {
    name: string;
    namespace: string;
    uid?: string;
    node?: string;
    phase?: string;
    serviceAccount: string;
    imagePullSecrets: string[];
    creationTimestamp?: string;
  };
  /** Containers that cannot pull, in kubelet's start order. */
  failing: ContainerPullDiagnosis[];
  /** Containers whose image is fine (names). */
  ok: string[];
  /** Events could not be read, etc. */
  notes: string[];
  /** `notes` as catalogue messages, same index (rendered in the reader's language; the English is `notes`). */
  noteMessages: Message[];
  /** Reads that were refused or failed (each also in notes as a `kube-access:` line). */
  access: PodAccessNote[];
}

export type PodDiagnosisResult = { ok: true; value: PodDiagnosis } | KubeError;

export interface DiagnosePodParams {
  kube: KubeAdapter;
  name: string;
  namespace?: string;
  signal?: AbortSignal;
  /** Defaults to the project's classifier (src/classify). */
  classify?: ClassifyFn;
}

const MAX_EVENTS = 20;

function errorText(e: PullEvent): string | undefined {
  return e.runtimeError;
}

function targetsFor(image: string, c: PullErrorClassification): Target[] {
  const out: Target[] = [];
  let registryName: string | undefined;
  try {
    const ref = parseImageReference(image);
    registryName = ref.domain;
    out.push({ input: image, kind: 'image', image: ref, registry: registryHost(ref.domain) });
  } catch {
    return out;
  }
  if (c.host && c.host !== registryName && !(registryName === 'docker.io' && c.host === 'registry-1.docker.io')) {
    try {
      out.push({ input: c.host, kind: 'registry', registry: parseRegistry(c.host) });
    } catch {
      // not a host we can probe
    }
  }
  return out;
}

function nextFor(image: string): Pick<ContainerPullDiagnosis, 'next' | 'invalidImage'> {
  const next = diagnoseImageCommand(image);
  return next ? { next } : { invalidImage: true };
}

/** Sets a container's summary from a message (the English stored, the message for the reader's language). */
function say(f: ContainerPullDiagnosis, m: Message): void {
  f.summary = messageIn('en', m);
  f.summaryMessage = m;
}

const explained = (m: Message) => ({ explanation: messageIn('en', m), explanationMessage: m });
const fixed = (m: Message) => ({ fix: messageIn('en', m), fixMessage: m });

/** A credentials cause that the unread pull secrets would decide: say so instead of guessing. */
function undecide(f: ContainerPullDiagnosis, whyMessage: Message): void {
  if (!CREDENTIAL_VERDICTS.has(f.code) && f.code !== 'not-found') return;
  const why = messageIn('en', whyMessage);
  if (f.code === 'not-found') {
    // A registry may answer "not found" for an image it hides from anonymous or wrong credentials.
    const m = msg('node.pod.notFoundUndecided', { summary: f.summaryMessage ?? f.summary, why: whyMessage });
    f.summary = `${f.summary} (${why}: whether the registry hides the image from missing credentials is undecided)`;
    f.summaryMessage = m;
    return;
  }
  f.undecided = { suggested: f.code, reason: why, reasonMessage: whyMessage };
  say(f, msg('node.pod.undecided', { code: f.code, title: msg(`cause.${f.code}.title`), why: whyMessage }));
  f.code = 'kube-access';
}

const CREDENTIAL_VERDICTS = new Set<CauseCode>(['credentials-missing', 'credentials-mismatch', 'unauthorized']);

/** Reads pod/<name> and its events and explains every failing image pull. */
export async function diagnosePod(p: DiagnosePodParams): Promise<PodDiagnosisResult> {
  let namespace = p.namespace;
  if (!namespace) {
    const ns = await p.kube.namespace(p.signal);
    if (!ns.ok) return ns;
    namespace = ns.value;
  }
  const pr = await p.kube.get<Pod>('pods', p.name, { namespace, signal: p.signal });
  if (!pr.ok) return pr;
  const pod = pr.value;
  const classify = p.classify ?? (await loadClassifier());
  const notes: string[] = [];
  const noteMessages: Message[] = [];
  const access: PodAccessNote[] = [];
  const denied = (r: { resource: string; what: Message; undecided: Message }, e: KubeError) => {
    const n = {
      resource: r.resource,
      what: messageIn('en', r.what),
      undecided: messageIn('en', r.undecided),
      whatMessage: r.what,
      undecidedMessage: r.undecided,
    };
    access.push({ code: 'kube-access', ...n, kind: e.error, message: describeKubeError(e), verb: e.verb, namespace: e.namespace });
    notes.push(`kube-access: ${n.resource} could not be read: ${n.what}: ${describeKubeError(e)} — ${n.undecided}`);
    noteMessages.push(msg('node.pod.accessNote', { resource: n.resource, what: r.what, why: kubeErrorParam(e), undecided: r.undecided }));
  };
  const events: PullEvent[] = [];
  const sel = [`involvedObject.kind=Pod`, `involvedObject.name=${p.name}`, `involvedObject.namespace=${namespace}`];
  if (pod.metadata.uid) sel.push(`involvedObject.uid=${pod.metadata.uid}`);
  const er = await p.kube.list<KubeEvent>('events', { namespace, fieldSelector: sel.join(','), chunkSize: 500, signal: p.signal }, (e) => {
    if (!isPullEvent(e)) return;
    events.push(toPullEvent(e));
    // Keep the newest only; a pod in back-off for days produces a steady stream.
    if (events.length > 4 * MAX_EVENTS * Math.max(1, pod.spec?.containers?.length ?? 1)) {
      events.sort((a, b) => b.lastSeen - a.lastSeen);
      events.length = 2 * MAX_EVENTS;
    }
  });
  if (er.ok && er.value.skipped) {
    notes.push(skippedWarning('event', er.value));
    noteMessages.push(skippedWarningMessage('event', er.value));
  }
  if (!er.ok)
    denied(
      {
        resource: 'events',
        what: msg('node.pod.access.events', { pod: `${namespace}/${p.name}` }),
        undecided: msg('node.pod.access.statusOnly'),
      },
      er,
    );
  events.sort((a, b) => b.lastSeen - a.lastSeen);
  const missingSecrets = events.find((e) => e.kind === 'secret-unavailable')?.secrets;

  const failing: ContainerPullDiagnosis[] = [];
  const ok: string[] = [];
  for (const c of podContainers(pod)) {
    const w = c.status?.state?.waiting;
    const mine = events.filter(
      (e) =>
        (e.container ? e.container === c.name : e.image !== undefined && sameImage(c.image, e.image)) && e.kind !== 'secret-unavailable',
    );
    if (!w || !PULL_WAITING_REASONS.has(w.reason ?? '')) {
      ok.push(c.name);
      continue;
    }
    const waiting = parseWaiting(w.reason, w.message);
    const failedEvent = mine.find((e) => e.kind === 'pull-failed' && errorText(e));
    let runtimeError: string | undefined;
    let errorSource: ContainerPullDiagnosis['errorSource'];
    if (failedEvent) {
      runtimeError = failedEvent.runtimeError;
      errorSource = 'event';
    } else if (waiting.runtimeError) {
      runtimeError = waiting.runtimeError;
      errorSource = 'status';
    }
    let classification: PullErrorClassification;
    if (waiting.kind === 'invalid-image-name')
      classification = {
        code: 'unknown',
        ...explained(msg('node.pod.invalidName', { image: c.image })),
        fix: 'Fix the image reference in the pod spec.',
        fixMessage: msg('node.scan.invalidName.fix'),
      };
    else if (waiting.kind === 'never-pull')
      classification = {
        code: 'unknown',
        ...explained(msg('node.pod.neverPull', { image: c.image, node: pod.spec?.nodeName ?? '?' })),
        fix: 'Load the image onto the node or change imagePullPolicy.',
        fixMessage: msg('node.scan.neverPull.fix'),
      };
    else if (runtimeError) classification = classifyForImage(classify, runtimeError, c.image);
    else if (missingSecrets?.length)
      classification = {
        code: 'credentials-missing',
        ...explained(msg('node.pod.secretUnreadable', { secrets: missingSecrets.join(', ') })),
        ...fixed(msg('node.pod.createSecret', { namespace })),
      };
    else
      classification = {
        code: 'unknown',
        ...explained(msg('node.pod.noRuntimeError', { reason: String(w.reason) })),
      };
    failing.push({
      container: c.name,
      kind: c.kind,
      image: c.image,
      waitingReason: w.reason,
      waitingMessage: w.message !== undefined ? redactText(w.message) : undefined,
      events: mine
        .slice(0, MAX_EVENTS)
        .map((e) => ({ ...e, message: redactText(e.message), runtimeError: e.runtimeError && redactText(e.runtimeError) })),
      runtimeError: runtimeError && redactText(runtimeError),
      errorSource,
      classification,
      code: classification.code,
      summary: classification.explanation ?? causeInfo(classification.code).explanation,
      summaryMessage: classification.explanationMessage ?? msg(`cause.${classification.code}.explanation`),
      host: classification.host,
      hostRole: classification.hostRole,
      failingUrl: classification.failingUrl,
      missingSecrets,
      targets: targetsFor(c.image, classification),
      ...nextFor(c.image),
    });
  }
  // Credential-looking failures: kubelet's keyring decides what was sent; check the pod's pull secrets.
  const AUTH = new Set<CauseCode>(['credentials-missing', 'unauthorized', 'not-found']);
  if (failing.some((f) => AUTH.has(f.code))) {
    const col = await collectPullSecrets(p.kube, namespace, pod, p.signal);
    if (!col.ok) {
      denied({ resource: 'secrets', what: msg('node.pod.access.secrets'), undecided: msg('node.pod.access.credentialsUndecided') }, col);
      for (const f of failing) if (AUTH.has(f.code)) undecide(f, msg('node.pod.secretsUnreadable', { why: kubeErrorParam(col) }));
    } else {
      const sa = col.value.serviceAccount;
      const saUnreadable = 'error' in sa && sa.error.error !== 'not-found' ? sa.error : undefined;
      if (saUnreadable)
        denied(
          {
            resource: 'serviceaccounts',
            what: msg('node.secrets.serviceAccount', { name: `${namespace}/${col.value.serviceAccountName}` }),
            undecided: msg('node.pod.access.saUndecided'),
          },
          saUnreadable,
        );
      const unreadable = col.value.secrets.filter((x): x is Extract<SecretFetch, { status: 'error' }> => x.status === 'error');
      for (const x of unreadable)
        denied(
          {
            resource: 'secrets',
            what: msg('node.ps.secret', { name: `${x.namespace}/${x.name}` }),
            undecided: msg('node.pod.access.credentialsUndecided'),
          },
          x.error,
        );
      for (const f of failing) {
        if (!AUTH.has(f.code)) continue;
        let ref;
        try {
          ref = parseImageReference(f.image);
        } catch {
          continue;
        }
        const a = analyzePullSecrets({
          image: ref,
          namespace,
          pod: col.value.pod,
          serviceAccount: col.value.serviceAccount,
          secrets: col.value.secrets,
        });
        f.pullSecrets = {
          source: a.source,
          secrets: a.secretNames,
          matching: a.candidates.map((c) => ({ secret: c.secret, key: c.key })),
          findings: a.findings.map((x) => ({ code: x.code, summary: x.summary, summaryMessage: x.summaryMessage })),
        };
        // Secrets kubelet itself reported as unretrievable are decided by its event; the others could hold the entry
        // that matches (or the wrong password): without them a credentials verdict would be a guess.
        const hidden = unreadable.filter((x) => !f.missingSecrets?.includes(x.name));
        if (hidden.length && a.candidates.length === 0 && !a.breaksAllPulls) {
          undecide(
            f,
            msg(hidden.length > 1 ? 'node.pod.hiddenSecrets.other' : 'node.pod.hiddenSecrets.one', {
              secrets: hidden.map((x) => x.name).join(', '),
              why: kubeErrorParam(hidden[0]!.error),
            }),
          );
          continue;
        }
        const blocking = (code: CauseCode) => a.findings.find((x) => x.code === code && (x.severity ?? 'error') === 'error');
        const decisive = a.candidates.length === 0 ? (blocking('credentials-mismatch') ?? blocking('credentials-missing')) : undefined;
        if (decisive) {
          f.code = decisive.code;
          f.summary = decisive.summary;
          f.summaryMessage = decisive.summaryMessage;
          f.refinedBy = 'pull-secrets';
          // The fix is a secret keyed to the image's registry, whichever host (e.g. its token realm) answered 401.
          f.host = ref.domain;
          f.hostRole = 'registry';
        } else if (a.candidates.length && f.code === 'unauthorized') {
          const c = a.candidates[0]!;
          say(f, msg('node.pod.secretRejected', { secretName: c.secret, key: c.key, registry: ref.domain }));
        } else if (a.candidates.length === 0 && f.code === 'credentials-missing' && a.source === 'none') {
          say(
            f,
            saUnreadable
              ? msg('node.pod.needsCredentials', { registry: ref.domain, pod: p.name })
              : msg('node.pod.needsCredentialsSa', { registry: ref.domain, pod: p.name, sa: col.value.serviceAccountName }),
          );
        }
      }
    }
  }
  return {
    ok: true,
    value: {
      pod: {
        name: p.name,
        namespace,
        uid: pod.metadata.uid,
        node: pod.spec?.nodeName,
        phase: pod.status?.phase,
        serviceAccount: pod.spec?.serviceAccountName || pod.spec?.serviceAccount || 'default',
        imagePullSecrets: secretNames(pod.spec?.imagePullSecrets),
        creationTimestamp: pod.metadata.creationTimestamp,
      },
      failing,
      ok,
      notes,
      noteMessages,
      access,
    },
  };
}
