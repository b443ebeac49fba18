// A cluster whose pods fail to pull for many different reasons, as a real kubelet + containerd 1.6/1.7 (and CRI-O,
// Docker) would report them: container waiting states (ErrImagePull, ImagePullBackOff in the old and the 1.32+
// wording), Failed/BackOff/FailedToRetrieveImagePullSecret events, pull secrets. Used by the pod diagnosis, scan and
// CLI tests and the scan benchmark. Each scenario states the cause and the failing host a correct diagnosis names.
import type { KubeObject, KubeServer } from './server.js';

export interface Scenario {
  pod: string;
  namespace: string;
  node: string;
  container: string;
  image: string;
  /** Runtime error as the CRI returned it (what follows `Failed to pull image "<ref>": `). */
  error: string;
  /** How kubelet reports it in the container status. */
  status: 'err-image-pull' | 'backoff-old' | 'backoff-132';
  /** Events kept (false: expired, only the status tells). */
  events: boolean;
  imagePullSecrets?: string[];
  missingSecret?: string;
  init?: boolean;
  expect: { code: string; host: string; hostRole?: string };
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** containerd's CRI wording: rpc error + failed to pull and unpack + failed to resolve reference. */
function containerd(ref: string, inner: string, grpc = 'Unknown'): string {
  return `rpc error: code = ${grpc} desc = failed to pull and unpack image "${ref}": ${inner}`;
}
function resolve(ref: string, inner: string): string {
  return `failed to resolve reference "${ref}": ${inner}`;
}
function head(host: string, repo: string, tag: string, err: string): string {
  return `failed to do request: Head "https://${host}/v2/${repo}/manifests/${tag}": ${err}`;
}
const go120 = (x509: string) => `tls: failed to verify certificate: ${x509}`;

export function scenarios(): Scenario[] {
  const R = 'reg.corp.test:5000';
  const s = (p: Omit<Scenario, 'namespace' | 'node' | 'container' | 'status' | 'events'> & Partial<Scenario>): Scenario => ({
    namespace: 'shop',
    node: 'node-a',
    container: 'app',
    status: 'backoff-old',
    events: true,
    ...p,
  });
  return [
    s({
      pod: 'untrusted',
      image: `${R}/shop/web:1`,
      error: containerd(
        `${R}/shop/web:1`,
        resolve(`${R}/shop/web:1`, head(R, 'shop/web', '1', 'x509: certificate signed by unknown authority')),
      ),
      expect: { code: 'untrusted-ca', host: R },
    }),
    s({
      pod: 'hostname',
      image: `${R}/shop/cart:2`,
      status: 'backoff-132',
      events: false,
      node: 'node-b',
      error: containerd(
        `${R}/shop/cart:2`,
        resolve(
          `${R}/shop/cart:2`,
          head(R, 'shop/cart', '2', go120('x509: certificate is valid for registry.internal, registry, not reg.corp.test')),
        ),
      ),
      expect: { code: 'hostname-mismatch', host: R },
    }),
    s({
      pod: 'expired',
      image: 'old.corp.test/shop/legacy:7',
      error: containerd(
        'old.corp.test/shop/legacy:7',
        resolve(
          'old.corp.test/shop/legacy:7',
          head(
            'old.corp.test',
            'shop/legacy',
            '7',
            go120('x509: certificate has expired or is not yet valid: current time 2025-03-01T10:00:00Z is after 2025-02-28T23:59:59Z'),
          ),
        ),
      ),
      expect: { code: 'expired', host: 'old.corp.test' },
    }),
    s({
      pod: 'plain-http',
      image: 'insecure.corp.test:5000/shop/tools:1',
      status: 'err-image-pull',
      error: containerd(
        'insecure.corp.test:5000/shop/tools:1',
        resolve(
          'insecure.corp.test:5000/shop/tools:1',
          head('insecure.corp.test:5000', 'shop/tools', '1', 'http: server gave HTTP response to HTTPS client'),
        ),
      ),
      expect: { code: 'plain-http-registry', host: 'insecure.corp.test:5000' },
    }),
    s({
      pod: 'refused',
      image: 'down.corp.test:5000/shop/api:3',
      error: containerd(
        'down.corp.test:5000/shop/api:3',
        resolve(
          'down.corp.test:5000/shop/api:3',
          head('down.corp.test:5000', 'shop/api', '3', 'dial tcp 10.20.0.5:5000: connect: connection refused'),
        ),
      ),
      expect: { code: 'connection-refused', host: 'down.corp.test:5000' },
    }),
    s({
      pod: 'dns',
      image: 'reg.gone.test/shop/api:3',
      node: 'node-b',
      error: containerd(
        'reg.gone.test/shop/api:3',
        resolve(
          'reg.gone.test/shop/api:3',
          head('reg.gone.test', 'shop/api', '3', 'dial tcp: lookup reg.gone.test on 10.96.0.10:53: no such host'),
        ),
      ),
      expect: { code: 'dns', host: 'reg.gone.test' },
    }),
    s({
      pod: 'timeout',
      image: 'far.corp.test/shop/api:3',
      error: containerd(
        'far.corp.test/shop/api:3',
        resolve('far.corp.test/shop/api:3', head('far.corp.test', 'shop/api', '3', 'dial tcp 10.20.0.9:443: i/o timeout')),
      ),
      expect: { code: 'timeout', host: 'far.corp.test' },
    }),
    s({
      pod: 'not-found',
      image: `${R}/shop/web:404`,
      status: 'err-image-pull',
      error: containerd(`${R}/shop/web:404`, resolve(`${R}/shop/web:404`, `${R}/shop/web:404: not found`), 'NotFound'),
      expect: { code: 'not-found', host: R },
    }),
    s({
      pod: 'realm-ip',
      image: 'harbor.corp.test/shop/api:5',
      error: containerd(
        'harbor.corp.test/shop/api:5',
        resolve(
          'harbor.corp.test/shop/api:5',
          `failed to authorize: failed to fetch anonymous token: Get "https://10.20.0.7:8443/service/token?scope=repository%3Ashop%2Fapi%3Apull&service=harbor-registry": ${go120("x509: cannot validate certificate for 10.20.0.7 because it doesn't contain any IP SANs")}`,
        ),
      ),
      expect: { code: 'ip-san-missing', host: '10.20.0.7:8443', hostRole: 'token-realm' },
    }),
    s({
      pod: 'mtls',
      image: 'secure.corp.test/shop/vault:1',
      node: 'node-c',
      error: containerd(
        'secure.corp.test/shop/vault:1',
        resolve('secure.corp.test/shop/vault:1', head('secure.corp.test', 'shop/vault', '1', 'remote error: tls: bad certificate')),
      ),
      expect: { code: 'client-cert-required', host: 'secure.corp.test' },
    }),
    s({
      pod: 'sha1',
      image: 'ancient.corp.test/shop/api:1',
      error: containerd(
        'ancient.corp.test/shop/api:1',
        resolve(
          'ancient.corp.test/shop/api:1',
          head(
            'ancient.corp.test',
            'shop/api',
            '1',
            go120(
              'x509: certificate signed by unknown authority (possibly because of "x509: cannot verify signature: insecure algorithm SHA1-RSA (temporarily override with GODEBUG=x509sha1=1)" while trying to verify candidate authority certificate "Corp Root 2009")',
            ),
          ),
        ),
      ),
      expect: { code: 'insecure-signature', host: 'ancient.corp.test' },
    }),
    s({
      pod: 'rate-limited',
      image: 'nginx:1.25',
      namespace: 'web',
      error: containerd(
        'docker.io/library/nginx:1.25',
        'failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/library/nginx/manifests/sha256:6db391d1c0cfb30588ba0bf72ea999404f2764febf0f1f196acd5867ac7efa7e: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
      ),
      expect: { code: 'rate-limited', host: 'registry-1.docker.io' },
    }),
    s({
      pod: 'platform',
      image: 'corp/tool-arm:2',
      namespace: 'web',
      status: 'err-image-pull',
      error: containerd('docker.io/corp/tool-arm:2', 'no match for platform in manifest: not found', 'NotFound'),
      expect: { code: 'platform-mismatch', host: 'docker.io' },
    }),
    s({
      pod: 'wrong-port',
      image: `${R}/shop/private:1`,
      imagePullSecrets: ['regcred-noport'],
      error: containerd(
        `${R}/shop/private:1`,
        resolve(
          `${R}/shop/private:1`,
          `failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://auth.corp.test:8443/token?scope=repository%3Ashop%2Fprivate%3Apull&service=corp-registry: 401 Unauthorized`,
        ),
      ),
      // Decided by the pod's pull secrets: the fix is on the registry's key, although the realm answered 401.
      expect: { code: 'credentials-mismatch', host: R, hostRole: 'registry' },
    }),
    s({
      pod: 'bad-password',
      image: `${R}/shop/private:1`,
      imagePullSecrets: ['regcred'],
      error: containerd(
        `${R}/shop/private:1`,
        resolve(
          `${R}/shop/private:1`,
          'failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://auth.corp.test:8443/token: 401 Unauthorized',
        ),
      ),
      expect: { code: 'unauthorized', host: 'auth.corp.test:8443', hostRole: 'token-realm' },
    }),
    s({
      pod: 'missing-secret',
      image: `${R}/shop/private:1`,
      imagePullSecrets: ['regcred-typo'],
      missingSecret: 'regcred-typo',
      error: containerd(
        `${R}/shop/private:1`,
        resolve(
          `${R}/shop/private:1`,
          `failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://auth.corp.test:8443/token?scope=repository%3Ashop%2Fprivate%3Apull&service=corp-registry: 401 Unauthorized`,
        ),
      ),
      expect: { code: 'credentials-missing', host: R, hostRole: 'registry' },
    }),
    s({
      pod: 'crio-untrusted',
      image: `${R}/shop/web:1`,
      node: 'node-crio',
      error: `rpc error: code = Unknown desc = pinging container registry ${R}: Get "https://${R}/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority`,
      expect: { code: 'untrusted-ca', host: R },
    }),
    s({
      pod: 'docker-http',
      image: 'insecure.corp.test:5000/shop/tools:1',
      node: 'node-docker',
      error:
        'rpc error: code = Unknown desc = Error response from daemon: Get "https://insecure.corp.test:5000/v2/": http: server gave HTTP response to HTTPS client',
      expect: { code: 'plain-http-registry', host: 'insecure.corp.test:5000' },
    }),
    s({
      pod: 'blob-timeout',
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/big:1',
      error: containerd(
        '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/big:1',
        'failed to copy: httpReadSeeker: failed open: failed to do request: Get "https://prod-us-east-1-starport-layer-bucket.s3.us-east-1.amazonaws.com/1a2b-123456789012-3c4d/abcdef?X-Amz-Algorithm=AWS4-HMAC-SHA256": dial tcp 52.216.1.1:443: i/o timeout',
      ),
      expect: { code: 'timeout', host: 'prod-us-east-1-starport-layer-bucket.s3.us-east-1.amazonaws.com', hostRole: 'blob-storage' },
    }),
    s({
      pod: 'init-untrusted',
      image: `${R}/shop/migrate:1`,
      container: 'migrate',
      init: true,
      status: 'err-image-pull',
      error: containerd(
        `${R}/shop/migrate:1`,
        resolve(`${R}/shop/migrate:1`, head(R, 'shop/migrate', '1', 'x509: certificate signed by unknown authority')),
      ),
      expect: { code: 'untrusted-ca', host: R },
    }),
  ];
}

function waiting(sc: PodShape): { reason: string; message: string } {
  switch (sc.status) {
    case 'err-image-pull':
      return { reason: 'ErrImagePull', message: sc.error };
    case 'backoff-old':
      return { reason: 'ImagePullBackOff', message: `Back-off pulling image "${sc.image}"` };
    case 'backoff-132':
      return { reason: 'ImagePullBackOff', message: `Back-off pulling image "${sc.image}": ErrImagePull: ${sc.error}` };
  }
}

let eventSeq = 0;
export function event(
  ns: string,
  pod: string,
  uid: string,
  node: string,
  reason: string,
  type: string,
  message: string,
  opts: { container?: string; init?: boolean; count?: number; last?: string } = {},
): KubeObject {
  eventSeq++;
  const last = opts.last ?? `2025-03-01T10:${String(eventSeq % 60).padStart(2, '0')}:00Z`;
  return {
    metadata: { name: `${pod}.${(0x17f00000 + eventSeq).toString(16)}`, namespace: ns, creationTimestamp: '2025-03-01T09:00:00Z' },
    involvedObject: {
      kind: 'Pod',
      namespace: ns,
      name: pod,
      uid,
      apiVersion: 'v1',
      ...(opts.container ? { fieldPath: `spec.${opts.init ? 'initContainers' : 'containers'}{${opts.container}}` } : {}),
    },
    reason,
    message,
    source: { component: 'kubelet', host: node },
    firstTimestamp: '2025-03-01T09:00:00Z',
    lastTimestamp: last,
    count: opts.count ?? 1,
    type,
    eventTime: null,
    reportingComponent: 'kubelet',
    reportingInstance: node,
  };
}

/** What a pod object is built from: a scenario without what its checks expect. */
export type PodShape = Omit<Scenario, 'expect' | 'events' | 'missingSecret'>;

export function podObject(sc: PodShape, uid: string): KubeObject {
  const w = waiting(sc);
  const containerSpec = { name: sc.container, image: sc.image, imagePullPolicy: 'IfNotPresent' };
  const status = { name: sc.container, image: sc.image, imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: w } };
  return {
    metadata: { name: sc.pod, namespace: sc.namespace, uid, creationTimestamp: '2025-03-01T08:00:00Z', labels: { app: sc.pod } },
    spec: {
      nodeName: sc.node,
      serviceAccountName: 'default',
      ...(sc.imagePullSecrets ? { imagePullSecrets: sc.imagePullSecrets.map((name) => ({ name })) } : {}),
      ...(sc.init
        ? { initContainers: [containerSpec], containers: [{ name: 'main', image: 'reg.corp.test:5000/shop/main:1' }] }
        : { containers: [containerSpec] }),
    },
    status: {
      phase: 'Pending',
      hostIP: '10.0.0.10',
      ...(sc.init
        ? {
            initContainerStatuses: [status],
            containerStatuses: [
              {
                name: 'main',
                image: 'reg.corp.test:5000/shop/main:1',
                ready: false,
                restartCount: 0,
                state: { waiting: { reason: 'PodInitializing' } },
              },
            ],
          }
        : { containerStatuses: [status] }),
    },
  };
}

/** Events kubelet emits for one failing pull cycle (and the back-off that follows). */
export function eventsFor(sc: Scenario, uid: string): KubeObject[] {
  const o = { container: sc.container, init: sc.init };
  const out: KubeObject[] = [
    event(sc.namespace, sc.pod, uid, sc.node, 'Scheduled', 'Normal', `Successfully assigned ${sc.namespace}/${sc.pod} to ${sc.node}`, {
      last: '2025-03-01T08:00:01Z',
    }),
  ];
  if (sc.missingSecret)
    out.push(
      event(
        sc.namespace,
        sc.pod,
        uid,
        sc.node,
        'FailedToRetrieveImagePullSecret',
        'Warning',
        `Unable to retrieve some image pull secrets (${sc.missingSecret}); attempting to pull the image may not succeed.`,
        { count: 9 },
      ),
    );
  if (!sc.events) return out;
  out.push(
    event(sc.namespace, sc.pod, uid, sc.node, 'Pulling', 'Normal', `Pulling image "${sc.image}"`, { ...o, count: 4 }),
    event(sc.namespace, sc.pod, uid, sc.node, 'Failed', 'Warning', `Failed to pull image "${sc.image}": ${sc.error}`, { ...o, count: 4 }),
    event(sc.namespace, sc.pod, uid, sc.node, 'Failed', 'Warning', 'Error: ErrImagePull', { ...o, count: 4 }),
    event(sc.namespace, sc.pod, uid, sc.node, 'BackOff', 'Normal', `Back-off pulling image "${sc.image}"`, { ...o, count: 31 }),
    event(sc.namespace, sc.pod, uid, sc.node, 'Failed', 'Warning', 'Error: ImagePullBackOff', { ...o, count: 31 }),
  );
  return out;
}

/** Loads every scenario (pods, events, secrets, ServiceAccounts) plus a healthy pod into the server. */
export function populateBrokenCluster(server: KubeServer): Scenario[] {
  const all = scenarios();
  let n = 0;
  for (const sc of all) {
    const uid = `5ce0a710-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;
    server.add('pods', podObject(sc, uid));
    server.add('events', ...eventsFor(sc, uid));
  }
  for (const ns of new Set(all.map((s) => s.namespace))) server.add('serviceaccounts', { metadata: { name: 'default', namespace: ns } });
  const auths = (key: string) => b64(JSON.stringify({ auths: { [key]: { auth: b64('ci-bot:not-the-password') } } }));
  server.add(
    'secrets',
    // Key without the port: kubelet never uses it for reg.corp.test:5000.
    {
      metadata: { name: 'regcred-noport', namespace: 'shop' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': auths('reg.corp.test') },
    },
    {
      metadata: { name: 'regcred', namespace: 'shop' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': auths('reg.corp.test:5000') },
    },
  );
  server.add('pods', {
    metadata: { name: 'healthy', namespace: 'shop', uid: '5ce0a710-0000-4000-8000-0000000000ff' },
    spec: { nodeName: 'node-a', containers: [{ name: 'app', image: 'reg.corp.test:5000/shop/ok:1' }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        { name: 'app', image: 'reg.corp.test:5000/shop/ok:1', ready: true, state: { running: { startedAt: '2025-03-01T08:00:05Z' } } },
      ],
    },
  });
  return all;
}
