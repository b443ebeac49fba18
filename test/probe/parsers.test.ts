import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from '../../src/probe/www-authenticate.js';
import { noProxyMatches, proxyFor } from '../../src/probe/proxy.js';
import { buildClientHello, ServerFlightParser } from '../../src/wire/tls12.js';
import { realmInfo, tokenUrl, readManifest, indexPlatforms, judgeManifest } from '../../src/probe/registry.js';
import { parseTarget } from '../../src/core/reference.js';

describe('WWW-Authenticate', () => {
  it('parses a Bearer challenge with quoted params', () => {
    expect(
      parseWwwAuthenticate(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"',
      ),
    ).toEqual([
      {
        scheme: 'bearer',
        params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:samalba/my-app:pull,push' },
      },
    ]);
  });
  it('parses several challenges, escapes, case and unquoted values', () => {
    const c = parseWwwAuthenticate(['Basic realm="Reg \\"Realm\\"", charset=UTF-8', 'bearer Realm=https://t.test/token , Service=x']);
    expect(c).toEqual([
      { scheme: 'basic', params: { realm: 'Reg "Realm"', charset: 'UTF-8' } },
      { scheme: 'bearer', params: { realm: 'https://t.test/token', service: 'x' } },
    ]);
    expect(parseWwwAuthenticate(undefined)).toEqual([]);
  });
});

describe('proxy selection like Go httpproxy', () => {
  const env = {
    HTTPS_PROXY: 'proxy.corp:3128',
    https_proxy: 'http://lower:1',
    NO_PROXY: '.internal.test,registry.test,10.0.0.0/8,fd00::/8,cache.test:5000,*.wild.test',
  };
  it.each([
    ['https://reg.example.com/v2', 'http://proxy.corp:3128'],
    ['https://a.internal.test/v2', undefined],
    ['https://internal.test/v2', 'http://proxy.corp:3128'],
    ['https://registry.test/v2', undefined],
    ['https://sub.registry.test/v2', undefined],
    ['https://10.1.2.3:5000/v2', undefined],
    ['https://11.1.2.3/v2', 'http://proxy.corp:3128'],
    ['https://[fd00::5]/v2', undefined],
    ['https://cache.test:5000/v2', undefined],
    ['https://cache.test:443/v2', 'http://proxy.corp:3128'],
    ['https://x.wild.test/v2', undefined],
    ['https://localhost:5000/v2', undefined],
    ['https://127.0.0.5/v2', undefined],
    ['http://reg.example.com/v2', undefined],
  ])('%s → %s', (url, expected) => {
    expect(proxyFor(url, env).proxy).toBe(expected);
  });
  it('upper case wins, lower case is used alone, * disables', () => {
    expect(proxyFor('https://r.test/v2', { https_proxy: 'http://lower:1' }).proxy).toBe('http://lower:1');
    expect(proxyFor('https://r.test/v2', { HTTPS_PROXY: 'p:1', NO_PROXY: '*' }).proxy).toBeUndefined();
    expect(noProxyMatches('', 'r.test', '443')).toBeUndefined();
    expect(proxyFor('https://r.test/v2', { HTTPS_PROXY: 'http://u:secret@p:1' }).reason).not.toContain('secret');
  });
});

describe('TLS 1.2 flight parser', () => {
  it('builds a ClientHello record with SNI only for names', () => {
    const withSni = buildClientHello('reg.test');
    expect(withSni[0]).toBe(0x16);
    expect(withSni.includes(Buffer.from('reg.test'))).toBe(true);
    expect(buildClientHello('10.0.0.1').includes(Buffer.from('10.0.0.1'))).toBe(false);
  });
  it('recognises plain HTTP, garbage, alerts and oversized records', () => {
    expect(new ServerFlightParser().push(Buffer.from('HTTP/1.1 400 Bad Request\r\n')).kind).toBe('plain-http');
    expect(new ServerFlightParser().push(Buffer.from('SSH-2.0-OpenSSH\r\n')).kind).toBe('not-tls');
    const alert = new ServerFlightParser().push(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]));
    expect(alert).toMatchObject({ kind: 'alert', name: 'handshake failure' });
    expect(new ServerFlightParser().push(Buffer.from([0x16, 0x03, 0x03, 0xff, 0xff])).kind).toBe('not-tls');
    expect(new ServerFlightParser().push(Buffer.from([0x16, 0x03])).kind).toBe('need-more');
  });
  it('parses Certificate and CertificateRequest across records', () => {
    const cert = Buffer.from('fake-der');
    const certMsg = Buffer.concat([Buffer.from([11, 0, 0, 3 + 3 + cert.length, 0, 0, 3 + cert.length, 0, 0, cert.length]), cert]);
    const dn = Buffer.from([0x30, 0x00]);
    const crBody = Buffer.concat([Buffer.from([1, 1, 0, 2, 4, 3, 0, 4, 0, 2]), dn]);
    const cr = Buffer.concat([Buffer.from([13, 0, 0, crBody.length]), crBody]);
    const done = Buffer.from([14, 0, 0, 0]);
    const hs = Buffer.concat([certMsg, cr, done]);
    const rec = (b: Buffer) => Buffer.concat([Buffer.from([0x16, 3, 3, b.length >> 8, b.length & 0xff]), b]);
    const p = new ServerFlightParser();
    expect(p.push(rec(hs.subarray(0, 7))).kind).toBe('need-more');
    const st = p.push(rec(hs.subarray(7)));
    expect(st.kind).toBe('done');
    if (st.kind === 'done') {
      expect(st.flight.chain).toEqual([cert]);
      expect(st.flight.clientCertRequested).toBe(true);
      expect(st.flight.acceptableCANames).toEqual([dn]);
    }
  });
});

describe('registry API judges', () => {
  const target = parseTarget('reg.test:5000/team/app:1');
  it('describes a token realm on another host, by IP, over HTTP', () => {
    const r = realmInfo({ scheme: 'bearer', params: { realm: 'http://10.0.0.9:8080/token', service: 'reg' } }, 'https://reg.test:5000/v2')!;
    expect(r).toMatchObject({ otherHost: true, byIp: true, downgrade: true, host: '10.0.0.9:8080' });
    expect(tokenUrl(r, 'team/app')).toBe('http://10.0.0.9:8080/token?scope=repository%3Ateam%2Fapp%3Apull&service=reg');
  });
  it('judges 404, 401, 429 and platform mismatch', () => {
    const url = 'https://reg.test:5000/v2/team/app/manifests/1';
    const res = (status: number, headers: Record<string, string> = {}, body = '') =>
      readManifest({ ok: true, response: { status, headers, body: Buffer.from(body), truncated: false, url, durationMs: 1 } });
    expect(judgeManifest(target, url, res(404), { hasCredentials: false, arch: 'amd64' })[0]!.code).toBe('not-found');
    expect(judgeManifest(target, url, res(404), { hasCredentials: false, arch: 'amd64' })[0]!.predictedRuntimeError).toBe(
      'failed to pull and unpack image "reg.test:5000/team/app:1": failed to resolve reference "reg.test:5000/team/app:1": reg.test:5000/team/app:1: not found',
    );
    const denied = judgeManifest(target, url, res(401, {}, '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}'), {
      hasCredentials: false,
      arch: 'amd64',
    })[0]!;
    expect(denied.code).toBe('credentials-missing');
    expect(judgeManifest(target, url, res(403), { hasCredentials: true, arch: 'amd64' })[0]!.code).toBe('unauthorized');
    expect(judgeManifest(target, url, res(429, { 'ratelimit-remaining': '0' }), { hasCredentials: false, arch: 'amd64' })[0]!.code).toBe(
      'rate-limited',
    );
    const idx = JSON.stringify({
      manifests: [{ platform: { os: 'linux', architecture: 'arm64' } }, { platform: { os: 'windows', architecture: 'amd64' } }],
    });
    const platforms = indexPlatforms(Buffer.from(idx));
    const ok = res(200, { 'content-type': 'application/vnd.oci.image.index.v1+json' });
    expect(judgeManifest(target, url, ok, { hasCredentials: false, platforms, arch: 'amd64' })[0]!.code).toBe('platform-mismatch');
    expect(judgeManifest(target, url, ok, { hasCredentials: false, platforms, arch: 'arm64' })).toEqual([]);
  });
});
