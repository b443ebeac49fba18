// The endpoint walk's rules (issue 13 items 8, 9, 12), over pure inputs and real local HTTP servers: containerd's host
// loop per version (HOSTS_TOML_RULES' walk column), the masked not-found, what a failing first host costs a fresh
// pull, and redirects followed as Go's client inside containerd follows them (limit, raw Location in the error,
// which headers a hop carries). Lab truth for the same rules: test/e2e/runtime-truth-walk.e2e.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decide, maskedNotFound, requestsThrough, resolves } from '../../checks/endpoint-walk.js';
import {
  followRedirects,
  isDomainOrSubdomain,
  namespaceQuery,
  redirectHeaders,
  registryRequest,
  type HostOutcome,
  type ProbeScope,
} from '../../src/probe/endpoint.js';
import { endpointFromUrl, walkStatusError, WALK_1_5_0, WALK_1_5_5, WALK_1_7_0, WALK_2_0_0 } from '../../src/runtime/endpoints.js';
import { hostsTomlRules, parseSemver } from '../../src/runtime/containerd-config.js';
import { judgeRedirectStop, manifestContents, pullRequestPlan } from '../../src/probe/registry.js';
import { RealHttp } from '../../src/adapters/http-real.js';
import { predictTransportPullError } from '../../src/core/predict.js';
import { parseTarget } from '../../src/core/reference.js';
import type { Adapters } from '../../src/core/adapters.js';

const table = endpointFromUrl('https://reg.test:5000', { source: 'hosts.toml [host."https://reg.test:5000"]', isServer: false });
const server = endpointFromUrl('https://reg.test:5000', { source: 'hosts.toml server', isServer: true });
const mirror = endpointFromUrl('https://mirror.test', { source: 'hosts.toml [host."https://mirror.test"]', isServer: false });
const x509: HostOutcome = { kind: 'error', error: 'x509: certificate signed by unknown authority' };
const s401: HostOutcome = { kind: 'error', error: 'pulling from host …: 401 Unauthorized', status: 401 };
const nf: HostOutcome = { kind: 'not-found' };

describe('the host loop per containerd version (HOSTS_TOML_RULES walk column)', () => {
  it('each release range gets the rules of its source', () => {
    const walk = (v: string) => hostsTomlRules(parseSemver(v)!).walk;
    expect(walk('1.5.0')).toBe(WALK_1_5_0);
    expect(walk('1.5.4')).toBe(WALK_1_5_0);
    expect(walk('1.5.5')).toBe(WALK_1_5_5);
    expect(walk('1.6.20')).toBe(WALK_1_5_5);
    expect(walk('1.7.3')).toBe(WALK_1_7_0);
    expect(walk('2.0.0')).toBe(WALK_2_0_0);
    expect(walk('2.2.1')).toBe(WALK_2_0_0);
    for (const w of [WALK_1_5_0, WALK_1_5_5, WALK_1_7_0, WALK_2_0_0]) {
      expect(w.redirectVia).toBe(10);
      expect(w.dialTimeoutMs).toBe(30_000);
    }
  });

  it("1.5.5–1.7: a 404 tries the next host and the first other error is kept (item 8: the server entry's x509)", () => {
    expect(decide([table, server], [nf, x509], WALK_1_5_5)).toEqual({ index: 1, result: 'error' });
    expect(maskedNotFound([table, server], [nf, x509], WALK_1_5_5)).toEqual({ notFound: 0, error: 1 });
    // a mirror's 404 does not mask: another host's 404 says nothing about the registry's
    expect(maskedNotFound([mirror, server], [nf, x509], WALK_1_5_5)).toBeUndefined();
    // the registry's own 404 behind a failing mirror tried first does
    expect(maskedNotFound([mirror, server], [x509, nf], WALK_1_5_5)).toEqual({ notFound: 1, error: 0 });
    expect(maskedNotFound([mirror, table, server], [x509, nf, x509], WALK_1_5_5)).toEqual({ notFound: 1, error: 0 });
    expect(decide([mirror, server], [x509, s401], WALK_1_5_5)).toEqual({ index: 0, result: 'error' });
    expect(decide([mirror, server], [x509, { kind: 'ok' }], WALK_1_5_5)).toEqual({ index: 1, result: 'ok' });
    expect(decide([mirror, server], [nf, nf], WALK_1_5_5)).toEqual({ index: 1, result: 'not-found' });
  });

  it('only hosts with every capability asked for take part in the resolve: pull + resolve for a tag, pull for a digest', () => {
    const pullOnly = { ...mirror, capabilities: ['pull' as const] };
    expect(resolves(pullOnly, false)).toBe(false);
    expect(resolves(pullOnly, true)).toBe(true);
    expect(resolves({ ...mirror, capabilities: ['resolve' as const] }, true)).toBe(false);
    // a failing pull-only mirror is not the resolve error for a tag, but is for a digest
    expect(decide([pullOnly, server], [x509, nf], WALK_1_5_5, false)).toEqual({ index: 1, result: 'not-found' });
    expect(decide([pullOnly, server], [x509, nf], WALK_1_5_5, true)).toEqual({ index: 0, result: 'error' });
    expect(maskedNotFound([pullOnly, server], [x509, nf], WALK_1_5_5, false)).toBeUndefined();
  });

  it('2.0+: a status error outranks a 404, which outranks a transport error — the same file reads "not found"', () => {
    expect(decide([table, server], [nf, x509], WALK_2_0_0)).toEqual({ index: 0, result: 'not-found' });
    expect(maskedNotFound([table, server], [nf, x509], WALK_2_0_0)).toBeUndefined();
    expect(maskedNotFound([mirror, server], [x509, nf], WALK_2_0_0)).toBeUndefined();
    expect(decide([mirror, server], [x509, s401], WALK_2_0_0)).toEqual({ index: 1, result: 'error' });
    expect(decide([mirror, table, server], [x509, nf, nf], WALK_2_0_0)).toEqual({ index: 1, result: 'not-found' });
  });

  it('1.5.0–1.5.4: a non-404 status ends the loop at once', () => {
    expect(decide([mirror, server], [s401, { kind: 'ok' }], WALK_1_5_0)).toEqual({ index: 0, result: 'error' });
    expect(decide([mirror, server], [x509, { kind: 'ok' }], WALK_1_5_0)).toEqual({ index: 1, result: 'ok' });
  });

  it('status error texts per version', () => {
    const o = { host: 'reg.test:5000', manifestReference: '1.0', url: 'https://reg.test:5000/v2/a/manifests/1.0', method: 'HEAD' as const };
    const s = { ...o, status: 401, statusText: 'Unauthorized' };
    expect(walkStatusError(WALK_1_5_0, s)).toBe('unexpected status code [manifests 1.0]: 401 Unauthorized');
    expect(walkStatusError(WALK_1_5_5, s)).toBe(
      'pulling from host reg.test:5000 failed with status code [manifests 1.0]: 401 Unauthorized',
    );
    expect(walkStatusError(WALK_1_7_0, s)).toBe(
      'unexpected status from HEAD request to https://reg.test:5000/v2/a/manifests/1.0: 401 Unauthorized',
    );
  });

  it("?ns= goes only to a host other than the reference's (isProxy)", () => {
    expect(namespaceQuery('reg.test:5000', server)).toBe('');
    expect(namespaceQuery('reg.test:5000', mirror)).toBe('?ns=reg.test%3A5000');
    expect(namespaceQuery('docker.io', endpointFromUrl('https://registry-1.docker.io', { source: 'd', isServer: true }))).toBe('');
  });
});

describe('predicted transport errors carry ?ns= for a mirror, as containerd sends it', () => {
  it('a mirror gets the reference host; the registry itself and registry-1.docker.io for docker.io do not', () => {
    const img = parseTarget('reg.test:5000/lab/app:1.0').image!;
    expect(predictTransportPullError(img, 'https://mirror.test/v2', 'x509: e')).toContain(
      'Head "https://mirror.test/v2/lab/app/manifests/1.0?ns=reg.test%3A5000": x509: e',
    );
    expect(predictTransportPullError(img, 'https://reg.test:5000/v2', 'x509: e')).toContain(
      'Head "https://reg.test:5000/v2/lab/app/manifests/1.0": x509: e',
    );
    const hub = parseTarget('nginx:1').image!;
    expect(predictTransportPullError(hub, 'https://registry-1.docker.io/v2', 'e')).toContain(
      'Head "https://registry-1.docker.io/v2/library/nginx/manifests/1": e',
    );
  });
});

describe('what a failing first host costs a fresh pull (item 9)', () => {
  it("counts resolve + manifests + blobs, per the host's capabilities", () => {
    const m = manifestContents(
      Buffer.from(
        JSON.stringify({ schemaVersion: 2, config: { digest: 'sha256:c' }, layers: [{ digest: 'sha256:l1' }, { digest: 'sha256:l2' }] }),
      ),
      'amd64',
    );
    expect(m).toEqual({ kind: 'manifest', config: 'sha256:c', layers: ['sha256:l1', 'sha256:l2'] });
    const plan = pullRequestPlan(false, m as { config?: string; layers: string[] });
    expect(plan).toEqual({ resolve: 1, manifests: 1, blobs: 3 });
    expect(requestsThrough(mirror, plan)).toBe(5);
    expect(requestsThrough({ ...mirror, capabilities: ['pull'] }, plan)).toBe(4);
    expect(requestsThrough({ ...mirror, capabilities: ['pull'] }, plan, true)).toBe(5);
    expect(requestsThrough({ ...mirror, capabilities: ['resolve'] }, plan)).toBe(0);
    expect(pullRequestPlan(true, { layers: ['a'] })).toEqual({ resolve: 1, manifests: 2, blobs: 1 });
    const idx = manifestContents(
      Buffer.from(
        JSON.stringify({
          manifests: [
            { digest: 'sha256:arm', platform: { os: 'linux', architecture: 'arm64' } },
            { digest: 'sha256:amd', platform: { os: 'linux', architecture: 'amd64' } },
          ],
        }),
      ),
      'amd64',
    );
    expect(idx).toEqual({ kind: 'index', platformManifest: 'sha256:amd' });
    expect(manifestContents(Buffer.from('not json'), 'amd64')).toBeUndefined();
  });
});

describe('redirects as containerd follows them (item 12)', () => {
  it("headers of a hop: Authorization only to the same origin; a host's own token where it was issued", () => {
    const first = { url: 'https://reg.test:5000/v2/a/manifests/1', headers: { Accept: 'x', Authorization: 'Bearer t' } };
    expect(redirectHeaders(first, 'https://reg.test:5000/v2/b')).toEqual({ Accept: 'x', Authorization: 'Bearer t' });
    expect(redirectHeaders(first, 'https://cdn.reg.test/blob')).toEqual({ Accept: 'x' });
    // a downgrade to plain HTTP on the same host is another origin: no credential
    expect(redirectHeaders(first, 'http://reg.test:5000/v2/b')).toEqual({ Accept: 'x' });
    expect(redirectHeaders(first, 'https://s3.test/b', (o) => (o === 'https://s3.test' ? 'Bearer s3' : undefined))).toEqual({
      Accept: 'x',
      Authorization: 'Bearer s3',
    });
    expect(isDomainOrSubdomain('cdn.reg.test', 'reg.test')).toBe(true);
    expect(isDomainOrSubdomain('evilreg.test', 'reg.test')).toBe(false);
    expect(isDomainOrSubdomain('10.0.0.1', '0.0.1')).toBe(false);
  });

  const seen: { url: string; auth?: string }[] = [];
  let base = '';
  let srv: http.Server;
  beforeAll(async () => {
    srv = http.createServer((req, res) => {
      seen.push({ url: req.url!, auth: req.headers.authorization });
      const url = new URL(req.url!, 'http://x');
      const m = url.pathname.match(/^\/chain\/(\d+)\/(\d+)$/);
      if (url.pathname === '/loop') return res.writeHead(302, { Location: '/loop' }).end();
      if (url.pathname === '/no-location') return res.writeHead(302).end();
      if (m) {
        const [k, n] = [Number(m[1]), Number(m[2])];
        if (k < n) return res.writeHead(k % 2 ? 307 : 301, { Location: `${base}/chain/${k + 1}/${n}` }).end();
        return res.writeHead(200).end('done');
      }
      if (url.pathname === '/v2/lab/app/manifests/1.0') return res.writeHead(302, { Location: '/tokened/manifest' }).end();
      if (url.pathname === '/tokened/manifest') {
        if (req.headers.authorization !== 'Bearer anon') {
          return res
            .writeHead(401, { 'WWW-Authenticate': `Bearer realm="${base}/token",service="t"` })
            .end('{"errors":[{"code":"UNAUTHORIZED","message":"x"}]}');
        }
        return res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' }).end('{}');
      }
      if (url.pathname === '/token') return res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"token":"anon"}');
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => srv.close(() => r())));

  const httpAdapter = new RealHttp();
  const send = (method: 'GET' | 'HEAD') => (url: string, headers: Record<string, string>) =>
    httpAdapter.request({ url, method, headers, timeoutMs: 5000 });

  it("a loop stops at the 10th redirect with Go's error naming the Location as sent (relative here)", async () => {
    seen.length = 0;
    const r = await followRedirects(send('HEAD'), { url: `${base}/loop`, method: 'HEAD', headers: {} });
    expect(r.goError).toBe('Head "/loop": stopped after 10 redirects');
    expect(seen).toHaveLength(10);
    expect(r.hops).toHaveLength(10);
  });

  it('9 redirects are followed to the answer; the 10th is not', async () => {
    const ok = await followRedirects(send('GET'), { url: `${base}/chain/0/9`, method: 'GET', headers: {} });
    expect(ok.goError).toBeUndefined();
    expect(ok.result.ok && ok.result.response.status).toBe(200);
    expect(ok.hops).toHaveLength(9);
    expect(ok.finalUrl).toBe(`${base}/chain/9/9`);
    const stopped = await followRedirects(send('GET'), { url: `${base}/chain/0/10`, method: 'GET', headers: {} });
    expect(stopped.goError).toBe(`Get "${base}/chain/10/10": stopped after 10 redirects`);
  });

  it('a 3xx without Location is the answer', async () => {
    const r = await followRedirects(send('GET'), { url: `${base}/no-location`, method: 'GET', headers: {} });
    expect(r.goError).toBeUndefined();
    expect(r.result.ok && r.result.response.status).toBe(302);
  });

  it("a redirected request that meets a 401 gets that host's anonymous token and is sent again (doWithRetries)", async () => {
    seen.length = 0;
    const target = parseTarget(`127.0.0.1:${new URL(base).port}/lab/app:1.0`);
    const scope: ProbeScope = {
      adapters: { http: httpAdapter, env: {} } as unknown as Adapters,
      target,
      timeoutMs: 5000,
      goVersion: 'go1.19.8',
    };
    const ep = endpointFromUrl(`${base}/v2`, { source: 'test', isServer: true });
    const r = await registryRequest(scope, ep, { url: `${base}/v2/lab/app/manifests/1.0`, method: 'HEAD', accept: '*/*' });
    expect(r.result.ok && r.result.response.status).toBe(200);
    expect(r.hops).toHaveLength(1);
    expect(seen.map((s) => [s.url.replace(/\?.*/, ''), s.auth ?? null])).toEqual([
      ['/v2/lab/app/manifests/1.0', null],
      ['/tokened/manifest', null],
      ['/token', null],
      ['/v2/lab/app/manifests/1.0', 'Bearer anon'],
      ['/tokened/manifest', 'Bearer anon'],
    ]);
  });

  it("judgeRedirectStop predicts containerd's text and names a loop as one", () => {
    const target = parseTarget('reg.test:5000/lab/app:1.0');
    const hops = Array.from({ length: 10 }, () => ({
      url: 'https://reg.test:5000/v2/lab/app/manifests/1.0',
      status: 302,
      location: '/v2/lab/app/manifests/1.0',
    }));
    const f = judgeRedirectStop(target, 'Head "/v2/lab/app/manifests/1.0": stopped after 10 redirects', hops, 'reg.test:5000');
    expect(f.predictedRuntimeError).toBe(
      'failed to pull and unpack image "reg.test:5000/lab/app:1.0": failed to resolve reference "reg.test:5000/lab/app:1.0": failed to do request: Head "/v2/lab/app/manifests/1.0": stopped after 10 redirects',
    );
    expect(f.data?.reason).toBe('redirect-loop');
    const chain = hops.map((h, i) => ({ ...h, url: `${h.url}?hop=${i}` }));
    expect(judgeRedirectStop(target, 'x', chain, 'reg.test:5000').data?.reason).toBe('too-many-redirects');
  });
});
