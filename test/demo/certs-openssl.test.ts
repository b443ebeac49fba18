// The demo's certificate builder (src/x509/build.ts, every fault the demo scenarios and the builder's options make)
// checked by a second, independent verifier: `openssl verify`. For each chain, regdoctor's Go-verify replay predicts
// an outcome; openssl must reach the same one — valid chains verify, and each fault Go reports is the fault openssl
// reports (X509_V_ERR_* numbers, the library's documented meanings):
//   self-signed → 18 (self-signed leaf)   untrusted-ca / incomplete-chain → 20 (unable to get local issuer)
//   expired → 10   not-yet-valid → 9   hostname-mismatch → 62   ip-san-missing → 64   incompatible-key-usage → 26
//   untrusted-ca because the candidate parent cannot sign (no basic constraints) → 79; because of a path length → 25
//   insecure-signature (SHA-1, rejected by Go since 1.18) → 68, with -auth_level 1 (openssl's default level 0
//   accepts SHA-1 signatures; level 1 asks for 80-bit security, which SHA-1's collision resistance does not give)
// The pool is the one Go would use: the machine's CA bundle plus the CA the scenario trusts through hosts.toml;
// openssl is told to use exactly that file (-no-CApath -no-CAstore), the sent intermediates as -untrusted, the
// server purpose (-purpose sslserver, Go's serverAuth EKU check) and the name containerd dials.
// Divergence not covered (openssl accepts, Go rejects): a certificate with only a CN (openssl's -verify_hostname
// falls back to the CN; Go >= 1.15 does not).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildScenarios } from '../../src/demo/scenarios.js';
import { goVerify, type GoFault } from '../../src/goverify/verify.js';
import { parsePemBundle, type CertInfo } from '../../src/x509/cert.js';
import { createCA, issueCert, selfSigned } from '../../src/x509/build.js';
import type { CauseCode } from '../../src/core/causes.js';

const SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const GO = 'go1.22.2';
const DAY = 86400_000;
const NOW = Date.now();
const dir = mkdtempSync(path.join(tmpdir(), 'regdoctor-openssl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const systemPem = readFileSync(SYSTEM_BUNDLE, 'utf8');
const systemRoots = parsePemBundle(systemPem).certs;

/** X509_V_ERR_* for the fault Go reports (see the header). */
const OPENSSL_ERROR: Partial<Record<CauseCode, number>> = {
  'self-signed': 18,
  'untrusted-ca': 20,
  'incomplete-chain': 20,
  expired: 10,
  'not-yet-valid': 9,
  'hostname-mismatch': 62,
  'ip-san-missing': 64,
  'incompatible-key-usage': 26,
  'insecure-signature': 68,
};

interface Case {
  name: string;
  /** PEM the server sends, leaf first. */
  chainPem: string;
  /** CA trusted for the host in addition to the system roots (hosts.toml `ca`). */
  trustPem?: string;
  host: string;
  at?: Date;
  /** openssl -auth_level (security level of signatures and keys). */
  authLevel?: number;
}

let n = 0;
function opensslVerify(c: Case): { ok: boolean; errors: number[]; output: string } {
  const id = n++;
  const chain = parsePemBundle(c.chainPem).certs;
  const leaf = path.join(dir, `${id}-leaf.pem`);
  writeFileSync(leaf, chain[0]!.pem);
  const caFile = path.join(dir, `${id}-ca.pem`);
  writeFileSync(caFile, systemPem + (c.trustPem ?? ''));
  const args = ['verify', '-no-CApath', '-no-CAstore', '-CAfile', caFile, '-purpose', 'sslserver'];
  if (chain.length > 1) {
    const untrusted = path.join(dir, `${id}-untrusted.pem`);
    writeFileSync(
      untrusted,
      chain
        .slice(1)
        .map((x) => x.pem)
        .join(''),
    );
    args.push('-untrusted', untrusted);
  }
  args.push(/^[\d.]+$|:/.test(c.host) ? '-verify_ip' : '-verify_hostname', c.host);
  if (c.at) args.push('-attime', String(Math.floor(c.at.getTime() / 1000)));
  if (c.authLevel !== undefined) args.push('-auth_level', String(c.authLevel));
  args.push(leaf);
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  const output = `${r.stdout}${r.stderr}`;
  const errors = [...output.matchAll(/^error (\d+) at \d+ depth lookup/gm)].map((m) => Number(m[1]));
  return { ok: r.status === 0 && /: OK$/m.test(r.stdout), errors: [...new Set(errors)].sort((a, b) => a - b), output };
}

/**
 * The X509_V_ERR_* for one fault Go reports. An unknown authority that Go explains with a rejected candidate
 * ("possibly because of …") is the candidate's fault in openssl's words: a parent that cannot sign (no or non-CA
 * basic constraints) → 79 invalid CA certificate; a path length constraint → 25.
 */
function opensslErrorFor(f: GoFault): number {
  if (f.message.includes('parent certificate cannot sign this kind of certificate')) return 79;
  if (f.message.includes('too many intermediates for path length constraint')) return 25;
  return OPENSSL_ERROR[f.code] ?? -1;
}

function predict(c: Case): { ok: boolean; codes: CauseCode[]; errors: number[] } {
  const chain: CertInfo[] = parsePemBundle(c.chainPem).certs;
  const roots = [...systemRoots, ...(c.trustPem ? parsePemBundle(c.trustPem).certs : [])];
  const r = goVerify({ chain, serverName: c.host, roots, now: c.at ?? new Date(NOW), goVersion: GO });
  const errors = [...new Set(r.faults.map(opensslErrorFor))].sort((a, b) => a - b);
  return { ok: r.ok, codes: r.faults.map((f) => f.code), errors };
}

function scenarioCases(): Case[] {
  return buildScenarios(NOW)
    .filter((s) => s.registry.tls)
    .map((s) => ({
      name: `demo scenario ${s.id}`,
      chainPem: s.registry.tls!.cert + (s.registry.tls!.chain ?? ''),
      trustPem: s.trustCa,
      host: s.host,
    }));
}

function builderCases(): Case[] {
  const root = createCA({ cn: 'xcheck Root CA', o: 'xcheck' });
  const inter = issueCert(root, { cn: 'xcheck Intermediate CA', o: 'xcheck', isCA: true, pathLen: 0 });
  const rsaRoot = createCA({ cn: 'xcheck RSA Root CA', keyType: 'rsa', hash: 'sha384' });
  const leaf = (spec: Parameters<typeof issueCert>[1], issuer = inter) =>
    issueCert(issuer, { cn: 'reg.xcheck.test', dns: ['reg.xcheck.test'], ...spec });
  const chainOf = (...cs: { certPem: string }[]) => cs.map((c) => c.certPem).join('');
  const expiredInter = issueCert(root, {
    cn: 'xcheck Expired Intermediate CA',
    isCA: true,
    notBefore: new Date(NOW - 400 * DAY),
    notAfter: new Date(NOW - 10 * DAY),
  });
  const expired = leaf({ notBefore: new Date(NOW - 400 * DAY), notAfter: new Date(NOW - 35 * DAY) });
  const host = 'reg.xcheck.test';
  const trustedSelf = selfSigned({ cn: host, dns: [host] });
  const legacyInter = issueCert(root, { cn: 'xcheck Legacy Intermediate CA', isCA: true, omitBasicConstraints: true });
  const subInter = issueCert(inter, { cn: 'xcheck Sub Intermediate CA', isCA: true });
  const codeSigningInter = issueCert(root, { cn: 'xcheck Code Signing Intermediate CA', isCA: true, eku: ['codeSigning'] });
  // A chain issued long ago, to verify at a past time with -attime.
  const oldRoot = createCA({ cn: 'xcheck Old Root CA', notBefore: new Date(NOW - 600 * DAY), notAfter: new Date(NOW + 600 * DAY) });
  const oldInter = issueCert(oldRoot, {
    cn: 'xcheck Old Intermediate CA',
    isCA: true,
    notBefore: new Date(NOW - 500 * DAY),
    notAfter: new Date(NOW + 500 * DAY),
  });
  const oldLeaf = issueCert(oldInter, { cn: host, dns: [host], notBefore: new Date(NOW - 300 * DAY), notAfter: new Date(NOW - 35 * DAY) });
  return [
    { name: 'valid EC chain with intermediate', chainPem: chainOf(leaf({}), inter), trustPem: root.certPem, host },
    {
      name: 'valid RSA leaf straight from an RSA root',
      chainPem: chainOf(leaf({ keyType: 'rsa' }, rsaRoot)),
      trustPem: rsaRoot.certPem,
      host,
    },
    { name: 'leaf without an EKU extension (any purpose)', chainPem: chainOf(leaf({ eku: null }), inter), trustPem: root.certPem, host },
    { name: 'wrong EKU: clientAuth only', chainPem: chainOf(leaf({ eku: ['clientAuth'] }), inter), trustPem: root.certPem, host },
    {
      name: 'wrong EKU on the intermediate',
      chainPem: chainOf(leaf({}, codeSigningInter), codeSigningInter),
      trustPem: root.certPem,
      host,
    },
    { name: 'expired leaf', chainPem: chainOf(expired, inter), trustPem: root.certPem, host },
    {
      name: 'expired leaf verified when it was valid (-attime)',
      chainPem: chainOf(oldLeaf, oldInter),
      trustPem: oldRoot.certPem,
      host,
      at: new Date(NOW - 200 * DAY),
    },
    {
      name: 'expired leaf verified before it was valid (-attime)',
      chainPem: chainOf(oldLeaf, oldInter),
      trustPem: oldRoot.certPem,
      host,
      at: new Date(NOW - 380 * DAY),
    },
    {
      name: 'leaf not yet valid',
      chainPem: chainOf(leaf({ notBefore: new Date(NOW + 5 * DAY), notAfter: new Date(NOW + 90 * DAY) }), inter),
      trustPem: root.certPem,
      host,
    },
    { name: 'expired intermediate', chainPem: chainOf(leaf({}, expiredInter), expiredInter), trustPem: root.certPem, host },
    { name: 'missing intermediate', chainPem: chainOf(leaf({})), trustPem: root.certPem, host },
    { name: 'intermediate sent, root not trusted', chainPem: chainOf(leaf({}), inter), host },
    {
      name: 'SHA-1 signed leaf (RSA)',
      chainPem: chainOf(leaf({ keyType: 'rsa', hash: 'sha1' }, rsaRoot)),
      trustPem: rsaRoot.certPem,
      host,
      authLevel: 1,
    },
    {
      name: 'SHA-384 signed leaf at the same level',
      chainPem: chainOf(leaf({ keyType: 'rsa', hash: 'sha384' }, rsaRoot)),
      trustPem: rsaRoot.certPem,
      host,
      authLevel: 1,
    },
    { name: 'intermediate without basic constraints', chainPem: chainOf(leaf({}, legacyInter), legacyInter), trustPem: root.certPem, host },
    {
      name: 'path length exceeded (pathLen 0 intermediate above another CA)',
      chainPem: chainOf(leaf({}, subInter), subInter, inter),
      trustPem: root.certPem,
      host,
    },
    { name: 'self-signed leaf', chainPem: chainOf(selfSigned({ cn: host, dns: [host] })), host },
    { name: 'self-signed leaf trusted directly', chainPem: chainOf(trustedSelf), host, trustPem: trustedSelf.certPem },
    {
      name: 'name mismatch',
      chainPem: chainOf(leaf({ cn: 'other.xcheck.test', dns: ['other.xcheck.test'] }), inter),
      trustPem: root.certPem,
      host,
    },
    { name: 'wildcard SAN', chainPem: chainOf(leaf({ dns: ['*.xcheck.test'] }), inter), trustPem: root.certPem, host },
    {
      name: 'IP SAN for an IP host',
      chainPem: chainOf(leaf({ dns: [], ips: ['127.0.0.1'] }), inter),
      trustPem: root.certPem,
      host: '127.0.0.1',
    },
    { name: 'DNS-only certificate dialled by IP', chainPem: chainOf(leaf({}), inter), trustPem: root.certPem, host: '127.0.0.1' },
  ];
}

describe("openssl verify agrees with regdoctor's Go-verify replay on the demo builder's certificates", () => {
  const cases = [...scenarioCases(), ...builderCases()];
  it('openssl is available', () => {
    expect(execFileSync('openssl', ['version'], { encoding: 'utf8' })).toMatch(/^OpenSSL 3\./);
  });
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const predicted = predict(c);
    const actual = opensslVerify(c);
    if (process.env.XCHECK_DEBUG) console.log(c.name, JSON.stringify(predicted), JSON.stringify(actual.errors), actual.ok);
    expect({ ok: actual.ok, errors: actual.errors }, actual.output).toEqual({ ok: predicted.ok, errors: predicted.errors });
  });
  it('covers every outcome the mapping names, and both valid and failing chains', () => {
    const codes = new Set(cases.flatMap((c) => predict(c).codes));
    for (const code of Object.keys(OPENSSL_ERROR)) expect(codes, code).toContain(code);
    const errors = new Set(cases.flatMap((c) => predict(c).errors));
    for (const e of [25, 79]) expect(errors, String(e)).toContain(e);
    expect(cases.some((c) => predict(c).ok)).toBe(true);
  });
});
