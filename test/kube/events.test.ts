// kubelet event and waiting-message parsing, then classification of the runtime error they carry: every cause code
// an event can show, in containerd (Go 1.19 bare and 1.20+ prefixed x509 errors), CRI-O and Docker wordings.
import { describe, expect, it } from 'vitest';
import { isPullEvent, parsePullMessage, parseWaiting, toPullEvent } from '../../src/kube/events.js';
import { classifyForImage, loadClassifier } from '../../src/kube/classifier.js';

const IMG = 'reg.corp.test:5000/shop/web:1';
const cd = (inner: string, grpc = 'Unknown', ref = IMG) =>
  `rpc error: code = ${grpc} desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${inner}`;
const head = (err: string, host = 'reg.corp.test:5000') => `failed to do request: Head "https://${host}/v2/shop/web/manifests/1": ${err}`;
const crio = (err: string) =>
  `rpc error: code = Unknown desc = pinging container registry reg.corp.test:5000: Get "https://reg.corp.test:5000/v2/": ${err}`;
const docker = (err: string) => `rpc error: code = Unknown desc = Error response from daemon: Get "https://reg.corp.test:5000/v2/": ${err}`;
const v120 = (x: string) => `tls: failed to verify certificate: ${x}`;

const X509 = {
  'untrusted-ca': 'x509: certificate signed by unknown authority',
  'hostname-mismatch': 'x509: certificate is valid for registry.internal, not reg.corp.test',
  'legacy-common-name': 'x509: certificate relies on legacy Common Name field, use SANs instead',
  expired: 'x509: certificate has expired or is not yet valid: current time 2025-03-01T10:00:00Z is after 2025-02-28T23:59:59Z',
  'not-yet-valid': 'x509: certificate has expired or is not yet valid: current time 2025-03-01T10:00:00Z is before 2025-03-02T00:00:00Z',
  'insecure-signature':
    'x509: certificate signed by unknown authority (possibly because of "x509: cannot verify signature: insecure algorithm SHA1-RSA (temporarily override with GODEBUG=x509sha1=1)" while trying to verify candidate authority certificate "Corp Root")',
  'incompatible-key-usage': 'x509: certificate specifies an incompatible key usage',
} as const;

interface Row {
  name: string;
  message: string;
  code: string;
  host: string;
}

const rows: Row[] = [];
for (const [code, err] of Object.entries(X509)) {
  rows.push({ name: `containerd go1.19 ${code}`, message: cd(head(err)), code, host: 'reg.corp.test:5000' });
  rows.push({ name: `containerd go1.20+ ${code}`, message: cd(head(v120(err))), code, host: 'reg.corp.test:5000' });
  rows.push({ name: `CRI-O ${code}`, message: crio(v120(err)), code, host: 'reg.corp.test:5000' });
  rows.push({ name: `Docker ${code}`, message: docker(err), code, host: 'reg.corp.test:5000' });
}
rows.push(
  {
    name: 'IP SAN missing (go1.20+)',
    message: cd(
      head(v120("x509: cannot validate certificate for 10.0.0.5 because it doesn't contain any IP SANs"), '10.0.0.5:5000'),
      'Unknown',
      '10.0.0.5:5000/shop/web:1',
    ),
    code: 'ip-san-missing',
    host: '10.0.0.5:5000',
  },
  { name: 'mTLS', message: cd(head('remote error: tls: bad certificate')), code: 'client-cert-required', host: 'reg.corp.test:5000' },
  {
    name: 'mTLS TLS 1.3',
    message: cd(head('remote error: tls: certificate required')),
    code: 'client-cert-required',
    host: 'reg.corp.test:5000',
  },
  {
    name: 'plain HTTP registry',
    message: cd(head('http: server gave HTTP response to HTTPS client')),
    code: 'plain-http-registry',
    host: 'reg.corp.test:5000',
  },
  {
    name: 'plain HTTP registry (Docker)',
    message: docker('http: server gave HTTP response to HTTPS client'),
    code: 'plain-http-registry',
    host: 'reg.corp.test:5000',
  },
  {
    name: 'not TLS',
    message: cd(head('tls: first record does not look like a TLS handshake')),
    code: 'tls-handshake-failed',
    host: 'reg.corp.test:5000',
  },
  {
    name: 'refused',
    message: cd(head('dial tcp 10.0.0.5:5000: connect: connection refused')),
    code: 'connection-refused',
    host: 'reg.corp.test:5000',
  },
  { name: 'timeout', message: cd(head('dial tcp 10.0.0.5:5000: i/o timeout')), code: 'timeout', host: 'reg.corp.test:5000' },
  { name: 'TLS handshake timeout', message: cd(head('net/http: TLS handshake timeout')), code: 'timeout', host: 'reg.corp.test:5000' },
  {
    name: 'DNS no such host',
    message: cd(head('dial tcp: lookup reg.corp.test on 10.96.0.10:53: no such host')),
    code: 'dns',
    host: 'reg.corp.test',
  },
  {
    name: 'DNS timeout is DNS',
    message: cd(head('dial tcp: lookup reg.corp.test on 10.96.0.10:53: read udp 10.0.0.10:41234->10.96.0.10:53: i/o timeout')),
    code: 'dns',
    host: 'reg.corp.test',
  },
  {
    name: 'proxy',
    message: cd(head('proxyconnect tcp: dial tcp 10.1.1.1:3128: connect: connection refused')),
    code: 'proxy',
    host: '10.1.1.1:3128',
  },
  {
    name: 'not found (containerd)',
    message: cd('reg.corp.test:5000/shop/web:1: not found', 'NotFound'),
    code: 'not-found',
    host: 'reg.corp.test:5000',
  },
  {
    name: 'not found (CRI-O)',
    message: 'rpc error: code = Unknown desc = reading manifest 1 in reg.corp.test:5000/shop/web: manifest unknown: manifest unknown',
    code: 'not-found',
    host: 'reg.corp.test:5000',
  },
  {
    name: 'anonymous token 401 → credentials missing',
    message: cd(
      'failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://auth.corp.test/token?scope=repository%3Ashop%2Fweb%3Apull&service=reg: 401 Unauthorized',
    ),
    code: 'credentials-missing',
    host: 'auth.corp.test',
  },
  {
    name: 'oauth 401 → unauthorized',
    message: cd(
      'failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://auth.corp.test/token: 401 Unauthorized',
    ),
    code: 'unauthorized',
    host: 'auth.corp.test',
  },
  {
    name: 'Docker pull access denied',
    message:
      "rpc error: code = Unknown desc = Error response from daemon: pull access denied for shop/web, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
    code: 'unauthorized',
    host: 'docker.io',
  },
  {
    name: 'token realm on another host, TLS',
    message: cd(
      `failed to authorize: failed to fetch anonymous token: Get "https://auth.corp.test:8443/token?scope=repository%3Ashop%2Fweb%3Apull&service=reg": ${v120(X509['untrusted-ca'])}`,
    ),
    code: 'untrusted-ca',
    host: 'auth.corp.test:8443',
  },
  {
    name: 'rate limited',
    message: cd(
      'unexpected status code [manifests 1]: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit.',
    ),
    code: 'rate-limited',
    host: 'reg.corp.test:5000',
  },
  {
    name: 'platform',
    message: `rpc error: code = NotFound desc = failed to pull and unpack image "${IMG}": no match for platform in manifest: not found`,
    code: 'platform-mismatch',
    host: 'reg.corp.test:5000',
  },
  {
    name: 'blob storage redirect',
    message: `rpc error: code = Unknown desc = failed to pull and unpack image "${IMG}": failed to copy: httpReadSeeker: failed open: failed to do request: Get "https://blobs.s3.us-east-1.amazonaws.com/x/y?sig=1": dial tcp 52.216.1.1:443: i/o timeout`,
    code: 'timeout',
    host: 'blobs.s3.us-east-1.amazonaws.com',
  },
  {
    name: 'CRI plugin not loaded',
    message: 'rpc error: code = Unimplemented desc = unknown service runtime.v1.ImageService',
    code: 'runtime-unavailable',
    host: 'reg.corp.test:5000',
  },
  {
    name: 'unrecognised',
    message: 'rpc error: code = Unknown desc = something nobody has seen before',
    code: 'unknown',
    host: 'reg.corp.test:5000',
  },
);

describe('parsePullMessage (kubelet wording)', () => {
  it('Failed to pull image: image and the runtime error, quotes unescaped', () => {
    const r = parsePullMessage(`Failed to pull image "${IMG}": ${cd(head(X509['untrusted-ca']))}`, 'Failed');
    expect(r).toEqual({ kind: 'pull-failed', image: IMG, runtimeError: cd(head(X509['untrusted-ca'])) });
  });
  it('back-off: old wording and 1.32+ with the previous error', () => {
    expect(parsePullMessage(`Back-off pulling image "${IMG}"`, 'BackOff')).toEqual({ kind: 'back-off', image: IMG });
    const err = cd(head(v120(X509.expired)));
    expect(parseWaiting('ImagePullBackOff', `Back-off pulling image "${IMG}": ErrImagePull: ${err}`)).toEqual({
      kind: 'back-off',
      image: IMG,
      kubeletError: 'ErrImagePull',
      runtimeError: err,
      reason: 'ImagePullBackOff',
    });
  });
  it('ErrImagePull waiting message is the runtime error itself; RegistryUnavailable; InvalidImageName; Never', () => {
    const err = cd(head(X509['untrusted-ca']));
    expect(parseWaiting('ErrImagePull', err)).toMatchObject({ kind: 'pull-failed', runtimeError: err });
    expect(
      parseWaiting('RegistryUnavailable', `image pull failed for ${IMG} because the registry is unavailable: dial tcp: i/o timeout`),
    ).toMatchObject({ kind: 'pull-failed', image: IMG, runtimeError: 'dial tcp: i/o timeout' });
    expect(
      parseWaiting(
        'InvalidImageName',
        'Failed to apply default image tag "Reg/App": couldn\'t parse image reference "Reg/App": invalid reference format: repository name must be lowercase',
      ),
    ).toMatchObject({ kind: 'invalid-image-name', image: 'Reg/App' });
    expect(parseWaiting('ErrImageNeverPull', `Container image "${IMG}" is not present with pull policy of Never`)).toMatchObject({
      kind: 'never-pull',
      image: IMG,
    });
  });
  it('FailedToRetrieveImagePullSecret lists the secrets; Error: events; Pulling/Pulled; unrelated events', () => {
    expect(
      parsePullMessage(
        'Unable to retrieve some image pull secrets (regcred, other-cred); attempting to pull the image may not succeed.',
        'FailedToRetrieveImagePullSecret',
      ),
    ).toEqual({ kind: 'secret-unavailable', secrets: ['regcred', 'other-cred'] });
    expect(parsePullMessage('Error: ImagePullBackOff', 'Failed')).toEqual({ kind: 'container-error', kubeletError: 'ImagePullBackOff' });
    expect(parsePullMessage(`Pulling image "${IMG}"`, 'Pulling')).toEqual({ kind: 'pulling', image: IMG });
    expect(
      parsePullMessage(`Successfully pulled image "${IMG}" in 1.2s (1.2s including waiting). Image size: 123 bytes.`, 'Pulled'),
    ).toEqual({ kind: 'pulled', image: IMG });
    expect(parsePullMessage(`Container image "${IMG}" already present on machine`, 'Pulled')).toEqual({ kind: 'pulled', image: IMG });
    expect(isPullEvent({ reason: 'Failed', message: 'Error: CreateContainerConfigError' })).toBe(false);
    expect(isPullEvent({ reason: 'Killing', message: 'Stopping container app' })).toBe(false);
    expect(isPullEvent({ reason: 'Failed', message: 'Error: ErrImagePull' })).toBe(true);
  });
  it('toPullEvent: container from fieldPath, node, count, newest time (series, lastTimestamp, eventTime)', () => {
    const e = toPullEvent({
      reason: 'Failed',
      type: 'Warning',
      message: `Failed to pull image "${IMG}": x`,
      involvedObject: { kind: 'Pod', name: 'p', namespace: 'n', uid: 'u', fieldPath: 'spec.initContainers{migrate}' },
      source: { component: 'kubelet', host: 'node-1' },
      count: 7,
      lastTimestamp: '2025-03-01T10:00:00Z',
    });
    expect(e).toMatchObject({
      container: 'migrate',
      node: 'node-1',
      count: 7,
      lastSeen: Date.parse('2025-03-01T10:00:00Z'),
      pod: { name: 'p', namespace: 'n', uid: 'u' },
    });
    const s = toPullEvent({
      reason: 'BackOff',
      message: `Back-off pulling image "${IMG}"`,
      eventTime: '2025-03-01T10:00:00.000000Z',
      series: { count: 40, lastObservedTime: '2025-03-01T11:00:00.000000Z' },
      reportingInstance: 'node-2',
    });
    expect(s).toMatchObject({ count: 40, lastSeen: Date.parse('2025-03-01T11:00:00Z'), node: 'node-2' });
  });
});

describe('events → runtime error → cause (every code an event can show)', async () => {
  const classify = await loadClassifier();
  it.each(rows)('$name → $code @ $host', ({ message, code, host }) => {
    const ev = parsePullMessage(`Failed to pull image "${IMG}": ${message}`, 'Failed');
    expect(ev.kind).toBe('pull-failed');
    expect(ev.runtimeError).toBe(message);
    const c = classifyForImage(classify, ev.runtimeError!, ev.image!);
    expect(c.code).toBe(code);
    expect(c.host).toBe(host);
    // The same error carried by a 1.32+ back-off status classifies the same way.
    const w = parseWaiting('ImagePullBackOff', `Back-off pulling image "${IMG}": ErrImagePull: ${message}`);
    expect(classify(w.runtimeError!).code).toBe(code);
  });
  it('covers at least 20 distinct cause codes', () => {
    expect(new Set(rows.map((r) => r.code)).size).toBeGreaterThanOrEqual(20);
  });
});
