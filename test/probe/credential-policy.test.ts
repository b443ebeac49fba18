// The credential policy, pure: send only where containerd would send, over a connection containerd would accept.
import { describe, expect, it } from 'vitest';
import {
  decideEndpoint,
  decideRealm,
  forbiddenAddress,
  isSensitiveHeader,
  unsupportedRealmError,
  withoutSensitiveHeaders,
  type EndpointState,
} from '../../src/probe/credential-policy.js';
import { messageIn } from '../../src/i18n/index.js';

const verified: EndpointState = { url: 'https://reg.corp:5000/v2', skipVerify: false, verify: { ok: true } };
const rejected: EndpointState = {
  url: 'https://reg.corp:5000/v2',
  skipVerify: false,
  verify: { ok: false, message: 'x509: certificate signed by unknown authority' },
};
const skip: EndpointState = { url: 'https://reg.corp:5000/v2', skipVerify: true };
const plain: EndpointState = { url: 'http://reg.corp:5000/v2', skipVerify: false };
const unchecked: EndpointState = { url: 'https://reg.corp:5000/v2', skipVerify: false };

describe('endpoint (registry or mirror)', () => {
  it('sends over a chain that verifies with the runtime trust, and verifies the carrying connection too', () => {
    expect(decideEndpoint(verified)).toEqual({ send: true, basis: 'verified', verifyTls: true });
  });
  it('withholds when Go rejects the chain (containerd stops at the handshake) and says why', () => {
    const d = decideEndpoint(rejected);
    expect(d).toMatchObject({ send: false, code: 'tls-unverified' });
    expect(d.send === false && d.reason).toContain('x509: certificate signed by unknown authority');
  });
  it('withholds when the chain could not be replayed at all', () => {
    expect(decideEndpoint(unchecked)).toMatchObject({ send: false, code: 'tls-not-checked' });
  });
  it('sends where the effective config makes the host skip_verify or plain HTTP (containerd sends there too)', () => {
    expect(decideEndpoint(skip)).toEqual({ send: true, basis: 'skip-verify', verifyTls: false });
    expect(decideEndpoint(plain)).toEqual({ send: true, basis: 'plain-http', verifyTls: false });
    // skip_verify wins over a failed replay: the runtime does not verify that host
    expect(decideEndpoint({ ...rejected, skipVerify: true })).toMatchObject({ send: true, basis: 'skip-verify' });
  });
});

describe('token realm', () => {
  it('never a non-http(s) scheme, whatever the endpoint', () => {
    for (const url of ['file:///etc/shadow', 'gopher://127.0.0.1:70/_x', 'ftp://x/y', 'javascript:alert(1)', 'data:,x']) {
      for (const ep of [verified, skip, plain])
        expect(decideRealm(ep, { url, verify: { ok: true } })).toMatchObject({ send: false, code: 'realm-scheme' });
    }
    expect(unsupportedRealmError('file:///etc/shadow')).toBe('unsupported protocol scheme "file"');
    expect(unsupportedRealmError('GOPHER://h/x')).toBe('unsupported protocol scheme "gopher"');
    expect(unsupportedRealmError('https://auth.corp/token')).toBeUndefined();
    expect(decideRealm(verified, { url: 'not a url' })).toMatchObject({ send: false, code: 'realm-invalid' });
  });

  it('inherits the endpoint decision on the same origin (scheme, host and port)', () => {
    expect(decideRealm(verified, { url: 'https://reg.corp:5000/token' })).toMatchObject({ send: true, basis: 'verified' });
    expect(decideRealm(plain, { url: 'http://reg.corp:5000/token' })).toMatchObject({ send: true, basis: 'plain-http' });
    expect(decideRealm(skip, { url: 'https://REG.corp:5000/token' })).toMatchObject({ send: true, basis: 'skip-verify' });
    expect(decideRealm(rejected, { url: 'https://reg.corp:5000/token' })).toMatchObject({ send: false, code: 'tls-unverified' });
    // default ports count: https://h and https://h:443 are one origin
    expect(decideRealm({ ...verified, url: 'https://reg.corp/v2' }, { url: 'https://reg.corp:443/token' })).toMatchObject({ send: true });
  });

  it('plain HTTP on another origin is withheld, even when the registry itself is plain HTTP or a port away', () => {
    expect(decideRealm(verified, { url: 'http://auth.corp/token' })).toMatchObject({ send: false, code: 'realm-plain-http' });
    expect(decideRealm(verified, { url: 'http://reg.corp:5001/token' })).toMatchObject({ send: false, code: 'realm-plain-http' });
    expect(decideRealm(plain, { url: 'http://auth.corp:5001/token' })).toMatchObject({ send: false, code: 'realm-plain-http' });
    // a downgrade on the same host and port is another origin too
    expect(decideRealm(verified, { url: 'http://reg.corp:5000/token' })).toMatchObject({ send: false, code: 'realm-plain-http' });
  });

  it("https on another origin must verify on its own; the registry's skip_verify does not extend to it", () => {
    expect(decideRealm(verified, { url: 'https://auth.corp/token', verify: { ok: true } })).toEqual({
      send: true,
      basis: 'verified',
      verifyTls: true,
    });
    expect(decideRealm(verified, { url: 'https://auth.corp/token' })).toMatchObject({ send: false, code: 'realm-unverified' });
    const d = decideRealm(skip, {
      url: 'https://auth.corp/token',
      verify: { ok: false, message: 'x509: certificate has expired or is not yet valid' },
    });
    expect(d).toMatchObject({ send: false, code: 'realm-unverified' });
    expect(d.send === false && d.reason).toMatch(/containerd applies the registry's skip_verify to it and would send the credentials/);
    // an endpoint containerd would not talk to never gets as far as its realm
    expect(decideRealm(rejected, { url: 'https://auth.corp/token', verify: { ok: true } })).toMatchObject({
      send: false,
      code: 'tls-unverified',
    });
  });

  it('never a link-local, unspecified or multicast address, by literal or by resolution', () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'https://169.254.169.254/token',
      'https://[fe80::1]/token',
      'https://[::ffff:169.254.169.254]/t',
      'https://0.0.0.0/t',
      'https://[fd00:ec2::254]/t',
    ]) {
      expect(decideRealm(verified, { url, verify: { ok: true } })).toMatchObject({ send: false, code: 'realm-address' });
    }
    expect(
      decideRealm(verified, { url: 'https://metadata.corp/token', verify: { ok: true }, addresses: ['10.0.0.1', '169.254.169.254'] }),
    ).toMatchObject({ send: false, code: 'realm-address' });
    // same origin as the registry, but resolving into the metadata range: still withheld
    expect(decideRealm(verified, { url: 'https://reg.corp:5000/token', addresses: ['169.254.170.2'] })).toMatchObject({
      send: false,
      code: 'realm-address',
    });
    expect(
      decideRealm(verified, { url: 'https://auth.corp/token', verify: { ok: true }, addresses: ['10.1.2.3', '2001:db8::1'] }),
    ).toMatchObject({ send: true });
  });
});

describe('helpers', () => {
  it('classifies addresses', () => {
    const why = (a: string) => messageIn('en', forbiddenAddress(a));
    expect(why('169.254.169.254')).toBe('169.254.169.254 is link-local (the cloud metadata range)');
    expect(why('224.0.0.1')).toMatch(/multicast/);
    expect(why('ff02::1')).toMatch(/multicast/);
    expect(why('::')).toMatch(/unspecified/);
    expect(why('::ffff:a9fe:a9fe')).toBe('169.254.169.254 is link-local (the cloud metadata range)');
    expect(forbiddenAddress('127.0.0.1')).toBeUndefined();
    expect(forbiddenAddress('10.0.0.1')).toBeUndefined();
    expect(forbiddenAddress('not-an-ip')).toBeUndefined();
  });
  it('keeps secret-bearing configured headers back where no credential may go', () => {
    expect(isSensitiveHeader('Authorization')).toBe(true);
    expect(isSensitiveHeader('X-Registry-Token')).toBe(true);
    expect(isSensitiveHeader('Cookie')).toBe(true);
    expect(isSensitiveHeader('X-Custom-Header')).toBe(false);
    expect(withoutSensitiveHeaders({ Authorization: 'Basic x', 'X-Trace': '1', 'X-Api-Key': 'k' })).toEqual({ 'X-Trace': '1' });
  });
});
