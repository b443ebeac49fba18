// kubectl stderr (as kubectl 1.32 prints it) and kubectl-proxy answers → typed errors.
import { describe, expect, it } from 'vitest';
import { describeKubeError, parseKubectlError } from '../../src/adapters/kubectl/errors.js';
import { proxyError } from '../../src/adapters/kubectl/proxy.js';

const err = (stderr: string) => parseKubectlError({ exitCode: 1, stderr });

describe('parseKubectlError', () => {
  it('RBAC: verb, resource, group, namespace or cluster scope, user', () => {
    expect(
      err(
        'Error from server (Forbidden): secrets "pull" is forbidden: User "system:serviceaccount:ci:bot" cannot get resource "secrets" in API group "" in the namespace "shop"\n',
      ),
    ).toMatchObject({
      error: 'forbidden',
      verb: 'get',
      resource: 'secrets',
      apiGroup: '',
      namespace: 'shop',
      name: 'pull',
      user: 'system:serviceaccount:ci:bot',
    });
    const nodes = err(
      'Error from server (Forbidden): nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    expect(nodes).toMatchObject({ error: 'forbidden', verb: 'list', resource: 'nodes', namespace: undefined });
    expect(describeKubeError(nodes)).toBe('RBAC forbids "list" on "nodes" at cluster scope for jane');
    const grp = err(
      'Error from server (Forbidden): events.events.k8s.io is forbidden: User "jane" cannot watch resource "events" in API group "events.k8s.io" in the namespace "x"',
    );
    expect(describeKubeError(grp)).toBe('RBAC forbids "watch" on "events.events.k8s.io" in namespace "x" for jane');
  });

  it('not found, unauthorized, credential plugins, config errors', () => {
    expect(err('Error from server (NotFound): pods "nope" not found')).toMatchObject({
      error: 'not-found',
      resource: 'pods',
      name: 'nope',
    });
    expect(err('error: You must be logged in to the server (Unauthorized)')).toMatchObject({ error: 'unauthorized' });
    expect(err('Unable to connect to the server: getting credentials: exec: executable gke-gcloud-auth-plugin not found')).toMatchObject({
      error: 'unauthorized',
    });
    expect(err('error: context "prod" does not exist')).toMatchObject({ error: 'invalid', message: 'context "prod" does not exist' });
    expect(err('error: cannot locate context nope')).toMatchObject({ error: 'invalid' });
    expect(err('error: current-context must exist in order to minify')).toMatchObject({ error: 'invalid' });
    expect(
      err('error: error loading config file "/x/kubeconfig": yaml: line 3: mapping values are not allowed in this context'),
    ).toMatchObject({ error: 'invalid' });
  });

  it('transport: refused (after klog noise), TLS, DNS, timeouts, no kubeconfig at all', () => {
    const refused = err(
      'E1123 04:57:29.306591   15639 memcache.go:265] "Unhandled Error" err="couldn\'t get current server API group list: Get \\"https://127.0.0.1:1/api?timeout=32s\\": dial tcp 127.0.0.1:1: connect: connection refused"\nThe connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n',
    );
    expect(refused).toMatchObject({
      error: 'unreachable',
      detail: 'refused',
      message: 'The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?',
    });
    expect(
      err('Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority'),
    ).toMatchObject({ error: 'unreachable', detail: 'tls' });
    expect(err('Unable to connect to the server: dial tcp: lookup api.k8s.example on 10.0.0.2:53: no such host')).toMatchObject({
      error: 'unreachable',
      detail: 'dns',
    });
    expect(err('Unable to connect to the server: dial tcp 10.0.0.1:6443: i/o timeout')).toMatchObject({
      error: 'unreachable',
      detail: 'timeout',
    });
    expect(
      err(
        'Error from server (Timeout): the server was unable to return a response in the time allotted, but may still be processing the request (get events)',
      ),
    ).toMatchObject({ error: 'unreachable', detail: 'timeout' });
    expect(err('The connection to the server localhost:8080 was refused - did you specify the right host or port?')).toMatchObject({
      error: 'unreachable',
      detail: 'no-config',
    });
    expect(parseKubectlError({ stderr: '', timedOut: true, timeoutMs: 35_000 })).toMatchObject({
      error: 'unreachable',
      detail: 'timeout',
      message: expect.stringContaining('35s'),
    });
    expect(parseKubectlError({ stderr: '', notFound: true, file: 'kubectl' })).toMatchObject({ error: 'missing-kubectl' });
  });

  it('never echoes a token from stderr', () => {
    const e = err('error: failed to refresh token: Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig rejected');
    expect(e.message).not.toContain('eyJhbGciOiJSUzI1NiJ9');
  });
});

describe('proxyError (answers through kubectl proxy)', () => {
  it('maps Status objects and the proxy’s own transport errors', () => {
    const forbidden = JSON.stringify({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message: 'events is forbidden: User "u" cannot list resource "events" in API group "" in the namespace "web"',
      reason: 'Forbidden',
      code: 403,
    });
    expect(proxyError(403, 'application/json', forbidden)).toMatchObject({
      error: 'forbidden',
      verb: 'list',
      resource: 'events',
      namespace: 'web',
    });
    expect(
      proxyError(401, 'application/json', JSON.stringify({ kind: 'Status', message: 'Unauthorized', reason: 'Unauthorized', code: 401 })),
    ).toMatchObject({ error: 'unauthorized' });
    expect(
      proxyError(404, 'application/json', JSON.stringify({ kind: 'Status', message: 'pods "x" not found', reason: 'NotFound', code: 404 })),
    ).toMatchObject({ error: 'not-found', name: 'x' });
    expect(proxyError(500, 'text/plain; charset=utf-8', 'dial tcp 127.0.0.1:1: connect: connection refused\n')).toMatchObject({
      error: 'unreachable',
      detail: 'refused',
    });
    expect(
      proxyError(500, 'text/plain; charset=utf-8', 'tls: failed to verify certificate: x509: certificate signed by unknown authority\n'),
    ).toMatchObject({ error: 'unreachable', detail: 'tls' });
  });
});
