// Pull-secret fixtures as the Kubernetes API gives them to analyzePullSecrets: base64 data, a dockerconfigjson
// secret, and the pod that names them.
import type { SecretFetch } from '../../src/kube/pull-secrets.js';

export const b64 = (s: string) => Buffer.from(s).toString('base64');

/** A `.dockerconfigjson` data map with these `auths`. */
export const dockerConfig = (auths: Record<string, unknown>) => ({ '.dockerconfigjson': b64(JSON.stringify({ auths })) });

/** A secret that was read (status ok) in namespace `ns`. */
export const okSecret = (name: string, data: Record<string, string>, type = 'kubernetes.io/dockerconfigjson'): SecretFetch => ({
  name,
  namespace: 'ns',
  status: 'ok',
  type,
  data,
});

/** Pod `p` in `ns` (service account default) naming these imagePullSecrets. */
export const podNaming = (secrets: string[], extra: Partial<{ creationTimestamp: string; serviceAccountName: string }> = {}) => ({
  name: 'p',
  namespace: 'ns',
  serviceAccountName: 'default',
  imagePullSecrets: secrets,
  creationTimestamp: '2024-05-01T00:00:00Z',
  ...extra,
});
