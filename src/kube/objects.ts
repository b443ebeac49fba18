// The parts of core/v1 objects regdoctor reads, and small accessors that tolerate missing fields.

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  ownerReferences?: { kind?: string; name?: string }[];
  managedFields?: { manager?: string; operation?: string; time?: string }[];
}

export interface ContainerSpec {
  name: string;
  image?: string;
  imagePullPolicy?: string;
}

export interface ContainerStateWaiting {
  reason?: string;
  message?: string;
}

export interface ContainerStatus {
  name: string;
  image?: string;
  imageID?: string;
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: ContainerStateWaiting; running?: unknown; terminated?: { reason?: string; message?: string; exitCode?: number } };
}

export interface Pod {
  kind?: string;
  metadata: ObjectMeta;
  spec?: {
    nodeName?: string;
    serviceAccountName?: string;
    serviceAccount?: string;
    imagePullSecrets?: { name?: string }[];
    containers?: ContainerSpec[];
    initContainers?: ContainerSpec[];
    ephemeralContainers?: ContainerSpec[];
  };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    hostIP?: string;
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
    ephemeralContainerStatuses?: ContainerStatus[];
  };
}

export interface KubeEvent {
  metadata?: ObjectMeta;
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string } | null;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  reportingInstance?: string;
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string; fieldPath?: string };
}

export interface Secret {
  metadata: ObjectMeta;
  type?: string;
  data?: Record<string, string>;
}

export interface ServiceAccount {
  metadata: ObjectMeta;
  imagePullSecrets?: { name?: string }[];
}

/** Waiting reasons that mean the image could not be pulled (kubelet images package). */
export const PULL_WAITING_REASONS = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'ErrImageNeverPull',
  'InvalidImageName',
  'RegistryUnavailable',
  'SignatureValidationFailed',
]);

export interface ContainerRef {
  name: string;
  kind: 'container' | 'initContainer' | 'ephemeralContainer';
  image: string;
  status?: ContainerStatus;
}

/** Every container of the pod with its spec image and status (init containers first, as kubelet runs them). */
export function podContainers(pod: Pod): ContainerRef[] {
  const out: ContainerRef[] = [];
  const add = (specs: ContainerSpec[] | undefined, statuses: ContainerStatus[] | undefined, kind: ContainerRef['kind']) => {
    for (const c of specs ?? []) {
      const st = statuses?.find((s) => s.name === c.name);
      out.push({ name: c.name, kind, image: c.image ?? st?.image ?? '', status: st });
    }
  };
  add(pod.spec?.initContainers, pod.status?.initContainerStatuses, 'initContainer');
  add(pod.spec?.containers, pod.status?.containerStatuses, 'container');
  add(pod.spec?.ephemeralContainers, pod.status?.ephemeralContainerStatuses, 'ephemeralContainer');
  return out;
}

/** Containers currently waiting because their image cannot be pulled. */
export function failingPullContainers(pod: Pod): ContainerRef[] {
  return podContainers(pod).filter((c) => PULL_WAITING_REASONS.has(c.status?.state?.waiting?.reason ?? ''));
}

/** Latest time this object was written, from managedFields (falls back to creationTimestamp). */
export function lastWriteTime(meta: ObjectMeta | undefined): string | undefined {
  let latest = meta?.creationTimestamp;
  for (const f of meta?.managedFields ?? []) if (f.time && (!latest || Date.parse(f.time) > Date.parse(latest))) latest = f.time;
  return latest;
}

export function secretNames(list: { name?: string }[] | undefined): string[] {
  return (list ?? []).map((s) => s.name ?? '').filter(Boolean);
}

/** When the event last happened (series, lastTimestamp, eventTime, firstTimestamp, creation). */
export function eventTime(e: KubeEvent): number {
  const t = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
  const n = t ? Date.parse(t) : NaN;
  return Number.isFinite(n) ? n : 0;
}

export function eventCount(e: KubeEvent): number {
  return Math.max(1, e.series?.count ?? e.count ?? 1);
}

/** Container name from an event's fieldPath, e.g. `spec.containers{app}` → app. */
export function fieldPathContainer(fieldPath: string | undefined): string | undefined {
  return fieldPath?.match(/^spec\.(?:initContainers|containers|ephemeralContainers)\{(.+)\}$/)?.[1];
}
