// Structure of kubelet's image-pull events and container waiting messages: which image, which container, and the
// runtime's error text. Classifying that text (cause code, failing URL and host) is the classifier's job; this
// module only cuts kubelet's own wording away. Wordings (kubelet images manager and kuberuntime):
//   Normal  Pulling   Pulling image "<ref>"
//   Warning Failed    Failed to pull image "<ref>": <runtime error>
//   Warning Failed    Error: ErrImagePull | Error: ImagePullBackOff          (container start failure)
//   Normal  BackOff   Back-off pulling image "<ref>"                         (event; unchanged in 1.32+)
//   Warning InspectFailed  Failed to apply default image tag "<ref>": couldn't parse image reference ...
//   Warning ErrImageNeverPull  Container image "<ref>" is not present with pull policy of Never
//   Warning FailedToRetrieveImagePullSecret  Unable to retrieve some image pull secrets (<a>, <b>); attempting ...
// Container waiting messages: ErrImagePull → the runtime error itself; ImagePullBackOff → `Back-off pulling image
// "<ref>"`, and since Kubernetes 1.32 `Back-off pulling image "<ref>": ErrImagePull: <previous runtime error>`;
// RegistryUnavailable → `image pull failed for <ref> because the registry is unavailable[: detail]`.
import type { KubeEvent } from './objects.js';
import { eventCount, eventTime, fieldPathContainer } from './objects.js';

export type PullEventKind =
  | 'pulling'
  | 'pulled'
  | 'pull-failed'
  | 'container-error'
  | 'back-off'
  | 'invalid-image-name'
  | 'never-pull'
  | 'secret-unavailable'
  | 'other';

export interface ParsedPullMessage {
  kind: PullEventKind;
  image?: string;
  /** The runtime's error text (CRI status message as kubelet got it), when the message carries one. */
  runtimeError?: string;
  /** `Error: <X>` events and 1.32+ back-off messages: the kubelet error name (ErrImagePull, ImagePullBackOff...). */
  kubeletError?: string;
  /** FailedToRetrieveImagePullSecret: the secrets kubelet could not read. */
  secrets?: string[];
}

export interface PullEvent extends ParsedPullMessage {
  reason: string;
  type?: string;
  message: string;
  container?: string;
  count: number;
  /** ms since epoch of the last occurrence (0 when unknown). */
  lastSeen: number;
  node?: string;
  pod?: { namespace?: string; name?: string; uid?: string };
}

const QUOTED = String.raw`"((?:[^"\\]|\\.)*)"`;
const RE_FAILED = new RegExp(`^Failed to pull image ${QUOTED}: ([\\s\\S]*)$`);
const RE_BACKOFF = new RegExp(`^Back-off pulling image ${QUOTED}(?::\\s*(?:(\\w+):\\s*)?([\\s\\S]*))?$`);
const RE_PULLING = new RegExp(`^Pulling image ${QUOTED}`);
const RE_PULLED = new RegExp(`^(?:Successfully pulled image|Container image) ${QUOTED}(?! is not present)`);
const RE_NEVER = new RegExp(`^Container image ${QUOTED} is not present with pull policy of Never`);
const RE_INVALID = new RegExp(`^Failed to apply default image tag ${QUOTED}: ([\\s\\S]*)$`);
const RE_SECRETS = /^Unable to retrieve some image pull secrets \(([^)]*)\)/;
const RE_ERROR = /^Error: (\w+)$/;
const RE_UNAVAILABLE = /^image pull failed for (\S+) because the registry is unavailable(?:[.:]\s*([\s\S]*))?$/;

/** Go's %q → the string inside (only the escapes %q produces for image references). */
function unquote(s: string): string {
  return s.replace(/\\(["\\])/g, '$1');
}

/** Parses an event or waiting message text (reason helps disambiguate but is optional). */
export function parsePullMessage(message: string, reason?: string): ParsedPullMessage {
  const msg = message.trim();
  let m: RegExpMatchArray | null;
  if ((m = msg.match(RE_FAILED))) return { kind: 'pull-failed', image: unquote(m[1]!), runtimeError: m[2]!.trim() };
  if ((m = msg.match(RE_BACKOFF))) {
    const prev = m[3]?.trim();
    return { kind: 'back-off', image: unquote(m[1]!), ...(m[2] ? { kubeletError: m[2] } : {}), ...(prev ? { runtimeError: prev } : {}) };
  }
  if ((m = msg.match(RE_SECRETS)) || reason === 'FailedToRetrieveImagePullSecret')
    return {
      kind: 'secret-unavailable',
      secrets: m
        ? m[1]!
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : [],
    };
  if ((m = msg.match(RE_NEVER))) return { kind: 'never-pull', image: unquote(m[1]!) };
  if ((m = msg.match(RE_INVALID))) return { kind: 'invalid-image-name', image: unquote(m[1]!), runtimeError: m[2]!.trim() };
  if ((m = msg.match(RE_PULLING))) return { kind: 'pulling', image: unquote(m[1]!) };
  if ((m = msg.match(RE_PULLED))) return { kind: 'pulled', image: unquote(m[1]!) };
  if ((m = msg.match(RE_ERROR))) return { kind: 'container-error', kubeletError: m[1] };
  if ((m = msg.match(RE_UNAVAILABLE)))
    return { kind: 'pull-failed', image: m[1], kubeletError: 'RegistryUnavailable', runtimeError: m[2]?.trim() || msg };
  return { kind: 'other' };
}

/** Waiting state (reason + message) of a container: what kubelet last reported. */
export function parseWaiting(reason: string | undefined, message: string | undefined): ParsedPullMessage & { reason?: string } {
  const msg = (message ?? '').trim();
  if (!msg) return { kind: 'other', reason };
  const parsed = parsePullMessage(msg, reason);
  if (parsed.kind !== 'other') return { ...parsed, reason };
  // ErrImagePull: the message is the runtime error itself.
  if (reason === 'ErrImagePull' || reason === 'RegistryUnavailable' || reason === 'SignatureValidationFailed')
    return { kind: 'pull-failed', runtimeError: msg, kubeletError: reason, reason };
  if (reason === 'InvalidImageName') return { kind: 'invalid-image-name', runtimeError: msg, reason };
  if (reason === 'ErrImageNeverPull') return { kind: 'never-pull', runtimeError: msg, reason };
  return { kind: 'other', reason };
}

/** Is this event about pulling images (the ones worth keeping for a diagnosis)? */
export function isPullEvent(e: Pick<KubeEvent, 'reason' | 'message'>): boolean {
  const r = e.reason ?? '';
  if (
    r === 'Failed' ||
    r === 'BackOff' ||
    r === 'FailedToRetrieveImagePullSecret' ||
    r === 'InspectFailed' ||
    r === 'ErrImageNeverPull' ||
    r === 'Pulling' ||
    r === 'Pulled'
  ) {
    const k = parsePullMessage(e.message ?? '', r).kind;
    return (
      k !== 'other' &&
      !(
        k === 'container-error' &&
        !/^Error: (ErrImagePull|ImagePullBackOff|ErrImageNeverPull|InvalidImageName|RegistryUnavailable|SignatureValidationFailed)$/.test(
          (e.message ?? '').trim(),
        )
      )
    );
  }
  return false;
}

export function toPullEvent(e: KubeEvent): PullEvent {
  const message = e.message ?? '';
  return {
    ...parsePullMessage(message, e.reason),
    reason: e.reason ?? '',
    type: e.type,
    message,
    container: fieldPathContainer(e.involvedObject?.fieldPath),
    count: eventCount(e),
    lastSeen: eventTime(e),
    node: e.source?.host ?? e.reportingInstance ?? undefined,
    pod:
      e.involvedObject?.kind === 'Pod'
        ? { namespace: e.involvedObject.namespace, name: e.involvedObject.name, uid: e.involvedObject.uid }
        : undefined,
  };
}
