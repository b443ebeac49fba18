import { describe, expect, it } from 'vitest';
import { goVerify, matchHostnames, withTlsPrefix } from '../../src/goverify/verify.js';
import { createCA, issueCert, selfSigned, generateKey, type IssuedCert } from '../../src/x509/build.js';
import type { CertInfo } from '../../src/x509/cert.js';

const NOW = new Date('2026-11-23T04:30:00Z');
const DAY = 86400_000;
const valid = { notBefore: new Date(NOW.getTime() - 10 * DAY), notAfter: new Date(NOW.getTime() + 300 * DAY) };

const rsaKey = generateKey('rsa');
const root = createCA({ cn: 'Acme Root CA', o: 'Acme', ...valid, key: rsaKey });
const inter = issueCert(root, { cn: 'Acme Intermediate CA', o: 'Acme', isCA: true, pathLen: 0, ...valid });
const leaf = issueCert(inter, { cn: 'reg.test', dns: ['reg.test'], ...valid });

const info = (...c: IssuedCert[]): CertInfo[] => c.map((x) => x.info);

function verify(chain: IssuedCert[], roots: IssuedCert[], serverName = 'reg.test', goVersion = 'go1.19.8') {
  return goVerify({ chain: info(...chain), roots: info(...roots), serverName, now: NOW, goVersion });
}

function expectBoth(r: ReturnType<typeof goVerify>, bare: string) {
  expect(r.ok).toBe(false);
  expect(r.messages!.go119).toBe(bare);
  expect(r.messages!.go120plus).toBe(`tls: failed to verify certificate: ${bare}`);
}

describe('goVerify: Go crypto/x509 replay', () => {
  it('accepts a complete chain to a trusted root', () => {
    const r = verify([leaf, inter], [root]);
    expect(r.ok).toBe(true);
    expect(r.faults).toEqual([]);
    expect(r.chain!.map((c) => c.subject.commonName)).toEqual(['reg.test', 'Acme Intermediate CA', 'Acme Root CA']);
  });

  it('self-signed certificate not trusted', () => {
    const ss = selfSigned({ cn: 'reg.test', ...valid });
    const r = verify([ss], [root]);
    expectBoth(r, 'x509: certificate signed by unknown authority');
    expect(r.faults.map((f) => f.code)).toEqual(['self-signed']);
    expect(r.message).toBe('x509: certificate signed by unknown authority');
    expect(verify([ss], [root], 'reg.test', 'go1.22.5').message).toBe(
      'tls: failed to verify certificate: x509: certificate signed by unknown authority',
    );
    // trusting it (hosts.toml ca = the certificate itself) fixes it
    expect(verify([ss], [ss]).ok).toBe(true);
  });

  it('private CA not trusted (server sends leaf + root, or leaf only)', () => {
    const direct = issueCert(root, { cn: 'reg.test', dns: ['reg.test'], ...valid });
    const a = verify([direct, root], []);
    expectBoth(a, 'x509: certificate signed by unknown authority');
    expect(a.faults[0]!.code).toBe('untrusted-ca');
    const b = verify([direct], []);
    expect(b.faults[0]!.code).toBe('untrusted-ca');
    expect(verify([direct], [root]).ok).toBe(true);
  });

  it('missing intermediate: server sends only the leaf', () => {
    const r = verify([leaf], [root]);
    expectBoth(r, 'x509: certificate signed by unknown authority');
    expect(r.faults[0]!.code).toBe('incomplete-chain');
    expect(r.faults[0]!.detail).toContain('Acme Intermediate CA');
    // a bundle with intermediate + root trusted fixes it (as measured on containerd 1.6)
    expect(verify([leaf], [inter, root]).ok).toBe(true);
    // AIA caIssuers marks an intermediate even without a telling name
    const ica = issueCert(root, { cn: 'Plain Name', isCA: true, ...valid });
    const l2 = issueCert(ica, { cn: 'reg.test', dns: ['reg.test'], issuerUrl: 'http://pki.acme.test/ica.crt', ...valid });
    const r2 = verify([l2], [root]);
    expect(r2.faults[0]!.code).toBe('incomplete-chain');
    expect(r2.faults[0]!.detail).toContain('http://pki.acme.test/ica.crt');
  });

  it('SAN mismatch is reported before an untrusted CA, and both are listed in order', () => {
    const wrong = issueCert(inter, { cn: 'other.test', dns: ['other.test', 'www.other.test'], ...valid });
    const r = verify([wrong, inter], [], 'reg.test');
    expectBoth(r, 'x509: certificate is valid for other.test, www.other.test, not reg.test');
    expect(r.faults.map((f) => f.code)).toEqual(['hostname-mismatch', 'untrusted-ca']);
    expect(r.faults[1]!.message).toBe('x509: certificate signed by unknown authority');
  });

  it('IP address without IP SAN, and IP SAN mismatch', () => {
    const r = verify([leaf, inter], [root], '10.1.2.3');
    expectBoth(r, "x509: cannot validate certificate for 10.1.2.3 because it doesn't contain any IP SANs");
    expect(r.faults[0]!.code).toBe('ip-san-missing');
    const withIp = issueCert(inter, { cn: 'reg', ips: ['10.9.9.9', 'fd00::10'], ...valid });
    const m = verify([withIp, inter], [root], '10.1.2.3');
    expectBoth(m, 'x509: certificate is valid for 10.9.9.9, fd00::10, not 10.1.2.3');
    expect(m.faults[0]!.code).toBe('hostname-mismatch');
    expect(verify([withIp, inter], [root], '10.9.9.9').ok).toBe(true);
    expect(verify([withIp, inter], [root], 'fd00:0:0::10').ok).toBe(true);
  });

  it('CN-only certificate: legacy Common Name, per Go version', () => {
    const cnOnly = issueCert(inter, { cn: 'reg.test', omitSan: true, ...valid });
    const r = verify([cnOnly, inter], [root]);
    expectBoth(r, 'x509: certificate relies on legacy Common Name field, use SANs instead');
    expect(r.faults[0]!.code).toBe('legacy-common-name');
    expect(verify([cnOnly, inter], [root], 'reg.test', 'go1.16').message).toBe(
      'x509: certificate relies on legacy Common Name field, use SANs or temporarily enable Common Name matching with GODEBUG=x509ignoreCN=0',
    );
    expect(verify([cnOnly, inter], [root], 'reg.test', 'go1.14').ok).toBe(true);
    const other = verify([cnOnly, inter], [root], 'elsewhere.test');
    expectBoth(other, 'x509: certificate is not valid for any names, but wanted to match elsewhere.test');
  });

  it('expired and not-yet-valid leaves, with RFC 3339 times', () => {
    const expired = issueCert(inter, {
      cn: 'reg.test',
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2026-01-01T00:00:00Z'),
    });
    const r = verify([expired, inter], [root]);
    expectBoth(r, 'x509: certificate has expired or is not yet valid: current time 2026-11-23T04:30:00Z is after 2026-01-01T00:00:00Z');
    expect(r.faults[0]!.code).toBe('expired');
    const future = issueCert(inter, {
      cn: 'reg.test',
      notBefore: new Date('2027-01-01T00:00:00Z'),
      notAfter: new Date('2028-01-01T00:00:00Z'),
    });
    const f = verify([future, inter], [root]);
    expectBoth(f, 'x509: certificate has expired or is not yet valid: current time 2026-11-23T04:30:00Z is before 2027-01-01T00:00:00Z');
    expect(f.faults[0]!.code).toBe('not-yet-valid');
  });

  it('expiry is reported before hostname and chain problems, and the rest follow', () => {
    const bad = issueCert(inter, {
      cn: 'x.test',
      dns: ['x.test'],
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2026-01-01T00:00:00Z'),
    });
    const r = verify([bad], []);
    expect(r.faults.map((f) => f.code)).toEqual(['expired', 'hostname-mismatch', 'incomplete-chain']);
  });

  it('an expired intermediate surfaces as an expiry error for that CA', () => {
    const oldInter = issueCert(root, {
      cn: 'Acme Intermediate CA',
      isCA: true,
      notBefore: new Date('2024-01-01T00:00:00Z'),
      notAfter: new Date('2025-06-01T00:00:00Z'),
    });
    const l = issueCert(oldInter, { cn: 'reg.test', ...valid });
    const r = verify([l, oldInter], [root]);
    expectBoth(r, 'x509: certificate has expired or is not yet valid: current time 2026-11-23T04:30:00Z is after 2025-06-01T00:00:00Z');
    expect(r.faults[0]!.code).toBe('expired');
    expect(r.faults[0]!.subject).toBe('CN=Acme Intermediate CA');
  });

  it('SHA-1 signatures: rejected from go1.18 with the GODEBUG hint until go1.24, accepted before', () => {
    const sha1Leaf = issueCert(root, { cn: 'reg.test', hash: 'sha1', ...valid });
    const hint = (override: boolean) =>
      `x509: certificate signed by unknown authority (possibly because of "x509: cannot verify signature: insecure algorithm SHA1-RSA${override ? ' (temporarily override with GODEBUG=x509sha1=1)' : ''}" while trying to verify candidate authority certificate "Acme Root CA")`;
    const r = verify([sha1Leaf], [root], 'reg.test', 'go1.19.8');
    expectBoth(r, hint(true));
    expect(r.faults[0]!.code).toBe('insecure-signature');
    expect(verify([sha1Leaf], [root], 'reg.test', 'go1.22.1').message).toBe(`tls: failed to verify certificate: ${hint(true)}`);
    expect(verify([sha1Leaf], [root], 'reg.test', 'go1.24.2').message).toBe(`tls: failed to verify certificate: ${hint(false)}`);
    expect(verify([sha1Leaf], [root], 'reg.test', 'go1.17.13').ok).toBe(true);
    const ecRoot = createCA({ cn: 'EC Root', ...valid });
    const ecLeaf = issueCert(ecRoot, { cn: 'reg.test', hash: 'sha1', ...valid });
    expect(verify([ecLeaf], [ecRoot]).message).toContain('insecure algorithm ECDSA-SHA1 (temporarily override with GODEBUG=x509sha1=1)');
  });

  it('clientAuth-only EKU: incompatible key usage, reported only once trust is fixed', () => {
    const clientOnly = issueCert(inter, { cn: 'reg.test', eku: ['clientAuth'], ...valid });
    const trusted = verify([clientOnly, inter], [root]);
    expectBoth(trusted, 'x509: certificate specifies an incompatible key usage');
    expect(trusted.faults[0]!.code).toBe('incompatible-key-usage');
    const untrusted = verify([clientOnly, inter], []);
    expect(untrusted.faults.map((f) => f.code)).toEqual(['untrusted-ca', 'incompatible-key-usage']);
    // an EKU on a CA restricts everything below it
    const serverOnlyCa = issueCert(root, { cn: 'Email CA', isCA: true, eku: ['emailProtection'], ...valid });
    const l = issueCert(serverOnlyCa, { cn: 'reg.test', ...valid });
    expect(verify([l, serverOnlyCa], [root]).faults[0]!.code).toBe('incompatible-key-usage');
    const anyLeaf = issueCert(inter, { cn: 'reg.test', eku: ['any'], ...valid });
    expect(verify([anyLeaf, inter], [root]).ok).toBe(true);
  });

  it('parent constraints: a non-CA cannot sign, path length is enforced', () => {
    const notCa = issueCert(root, { cn: 'Not A CA', isCA: false, eku: null, ...valid });
    const l = issueCert(notCa, { cn: 'reg.test', ...valid });
    const r = verify([l, notCa], [root]);
    expect(r.message).toBe(
      'x509: certificate signed by unknown authority (possibly because of "x509: invalid signature: parent certificate cannot sign this kind of certificate" while trying to verify candidate authority certificate "Not A CA")',
    );
    const i2 = issueCert(inter, { cn: 'Acme Sub CA 2', isCA: true, ...valid });
    const deep = issueCert(i2, { cn: 'reg.test', ...valid });
    expect(verify([deep, i2, inter], [root]).message).toBe('x509: too many intermediates for path length constraint');
  });

  it('hostname rules: wildcards one label deep, case-insensitive, trailing dot', () => {
    const wild = issueCert(inter, { cn: 'w', dns: ['*.Reg.Test'], ...valid });
    expect(verify([wild, inter], [root], 'a.reg.test').ok).toBe(true);
    expect(verify([wild, inter], [root], 'A.REG.TEST.').ok).toBe(true);
    expect(verify([wild, inter], [root], 'a.b.reg.test').faults[0]!.code).toBe('hostname-mismatch');
    expect(verify([wild, inter], [root], 'reg.test').faults[0]!.code).toBe('hostname-mismatch');
    expect(matchHostnames('w*.example.com', 'www.example.com')).toBe(false);
  });

  it('stays bounded on a 50-certificate chain', () => {
    let parent = root;
    const chain: IssuedCert[] = [];
    for (let i = 0; i < 49; i++) {
      parent = issueCert(parent, { cn: `Level ${i}`, isCA: true, ...valid });
      chain.unshift(parent);
    }
    const l = issueCert(parent, { cn: 'reg.test', ...valid });
    const t0 = performance.now();
    const r = verify([l, ...chain], [root]);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(r.ok).toBe(true);
    // without the root: a clear unknown-authority verdict, not a hang
    expect(verify([l, ...chain], []).faults[0]!.message).toMatch(
      /^x509: (certificate signed by unknown authority|signature check attempts limit reached)/,
    );
  });

  it('adds the TLS prefix from go1.20', () => {
    expect(withTlsPrefix('x509: a', 'go1.19.13')).toBe('x509: a');
    expect(withTlsPrefix('x509: a', 'go1.20')).toBe('tls: failed to verify certificate: x509: a');
  });
});
