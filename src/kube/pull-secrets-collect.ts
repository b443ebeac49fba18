// Reads what kubelet would use as pull secrets for a pod (or for a new pod of a ServiceAccount): the pod, its
// ServiceAccount and each named secret (and, for a missing one, the namespaces that have a secret of that name).
import type { KubeAdapter, KubeError } from '../adapters/kube.js';
import type { Pod, Secret, ServiceAccount } from './objects.js';
import { lastWriteTime, secretNames } from './objects.js';
import type { PodPullInfo, SecretFetch, ServiceAccountInfo } from './pull-secrets.js';

export interface CollectedPullSecrets {
  namespace: string;
  pod?: PodPullInfo;
  serviceAccountName: string;
  serviceAccount: ServiceAccountInfo | { error: KubeError };
  secrets: SecretFetch[];
}

const MAX_SECRETS = 50;

async function fetchSecret(kube: KubeAdapter, namespace: string, name: string, signal?: AbortSignal): Promise<SecretFetch> {
  const r = await kube.get<Secret>('secrets', name, { namespace, signal });
  if (r.ok) return { name, namespace, status: 'ok', type: r.value.type ?? '', data: r.value.data ?? {} };
  if (r.error !== 'not-found') return { name, namespace, status: 'error', error: r };
  // A secret of that name elsewhere (needs cluster-wide list; skipped silently when not allowed). Only the
  // namespace names are kept.
  const elsewhere: string[] = [];
  await kube.list<Secret>('secrets', { allNamespaces: true, fieldSelector: `metadata.name=${name}`, chunkSize: 100, signal }, (s) => {
    if (s.metadata.namespace && elsewhere.length < 20) elsewhere.push(s.metadata.namespace);
  });
  return { name, namespace, status: 'not-found', elsewhere };
}

/** `pod` is an already-read Pod, a pod name to read, or undefined for the namespace's `default` ServiceAccount. */
export async function collectPullSecrets(
  kube: KubeAdapter,
  namespace: string,
  pod: Pod | string | undefined,
  signal?: AbortSignal,
): Promise<{ ok: true; value: CollectedPullSecrets } | KubeError> {
  let podObj: Pod | undefined;
  if (typeof pod === 'string') {
    const r = await kube.get<Pod>('pods', pod, { namespace, signal });
    if (!r.ok) return r;
    podObj = r.value;
  } else podObj = pod;
  const saName = podObj?.spec?.serviceAccountName || podObj?.spec?.serviceAccount || 'default';
  const info: PodPullInfo | undefined = podObj
    ? {
        name: podObj.metadata.name ?? String(pod),
        namespace,
        creationTimestamp: podObj.metadata.creationTimestamp,
        serviceAccountName: saName,
        imagePullSecrets: secretNames(podObj.spec?.imagePullSecrets),
      }
    : undefined;
  const sa = await kube.get<ServiceAccount>('serviceaccounts', saName, { namespace, signal });
  if (!sa.ok && !info && sa.error !== 'not-found') return sa;
  const serviceAccount: CollectedPullSecrets['serviceAccount'] = sa.ok
    ? {
        name: saName,
        namespace,
        creationTimestamp: sa.value.metadata.creationTimestamp,
        lastWrite: lastWriteTime(sa.value.metadata),
        imagePullSecrets: secretNames(sa.value.imagePullSecrets),
      }
    : { error: sa };
  const names = info ? info.imagePullSecrets : sa.ok ? secretNames(sa.value.imagePullSecrets) : [];
  const secrets: SecretFetch[] = [];
  for (const n of names.slice(0, MAX_SECRETS)) secrets.push(await fetchSecret(kube, namespace, n, signal));
  return { ok: true, value: { namespace, pod: info, serviceAccountName: saName, serviceAccount, secrets } };
}
