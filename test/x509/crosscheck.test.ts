// Cross-check of the hand-written X.509 parser (src/x509) against two independent ones: @peculiar/x509 (pure
// TypeScript ASN.1) and Node's X509Certificate (OpenSSL). Corpus: every root in the machine's CA bundle, certificates
// made by src/x509/build.ts (every option the demo uses), and those certificates DER-mutated with the fuzzers' seeded
// PRNG (FUZZ_SEED / FUZZ_ITERATIONS as in test/fuzz).
//
// Each parser's answer is projected onto the fields regdoctor uses (`Projection` below; a field a library does not
// expose is left out for it). Agreement means:
//  1. every parser accepts every system root and every built certificate, and all three projections are equal;
//  2. for a mutated certificate, any two parsers that both accept it give equal projections on every field both
//     expose — a parser may be stricter than another (reject what another accepts), never accept with other fields;
//  3. src/x509 rejects only with CertificateParseError (never a crash such as a TypeError).
import 'reflect-metadata';
import * as px from '@peculiar/x509';
import { X509Certificate as NodeX509, webcrypto } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { children, readNode, seq, tlv } from '../../src/x509/asn1.js';
import { createCA, issueCert, selfSigned, type IssuedCert } from '../../src/x509/build.js';
import { CertificateParseError, EKU_NAMES, parseCertificate, parsePemBundle, type CertInfo } from '../../src/x509/cert.js';
import { BASE_SEED, iterations, mutateBytes, Rng } from '../fuzz/mutate.js';

px.cryptoProvider.set(webcrypto as unknown as Parameters<typeof px.cryptoProvider.set>[0]);

/** The fields regdoctor reads from a certificate, in a form every parser can be brought to. */
interface Projection {
  subjectCN?: string | null;
  subjectO?: string[];
  issuerCN?: string | null;
  /** Subject and issuer attribute values in DER order, `type=value` per line (multi-valued RDNs joined by `+`). */
  subjectLines?: string[];
  issuerLines?: string[];
  /** Serial as a signed decimal integer. */
  serial?: string;
  notBefore?: number;
  notAfter?: number;
  dns?: string[];
  ips?: string[];
  emails?: string[];
  uris?: string[];
  /** undefined: no basicConstraints extension. */
  isCA?: boolean | null;
  pathLen?: number | null;
  keyUsage?: string[] | null;
  eku?: string[] | null;
  sigAlg?: string;
  sha1?: string;
  sha256?: string;
}

type Answer = { ok: true; p: Projection } | { ok: false; error: string };

const KU_NAMES = [
  'digitalSignature',
  'contentCommitment',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];
const EKU_OID: Record<string, string> = Object.fromEntries(Object.entries(EKU_NAMES).map(([oid, name]) => [name, oid]));
/** Go's signature algorithm names as (WebCrypto name, hash) — how @peculiar/x509 reports them. */
function sigAlgOfGoName(name: string): string {
  const rsa = name.match(/^(SHA\d+)-RSA$/);
  if (rsa) return `RSASSA-PKCS1-v1_5/${rsa[1]!.replace('SHA', 'SHA-')}`;
  const pss = name.match(/^(SHA\d+)-RSAPSS$/);
  if (pss) return `RSA-PSS/${pss[1]!.replace('SHA', 'SHA-')}`;
  const ec = name.match(/^ECDSA-(SHA\d+)$/);
  if (ec) return `ECDSA/${ec[1]!.replace('SHA', 'SHA-')}`;
  return name;
}

/** An IP address as 32 or 8 hex digits (formats differ: Go-style compressed IPv6, OpenSSL's full form). */
function ipKey(s: string): string {
  if (isIP(s) === 4) return Buffer.from(s.split('.').map(Number)).toString('hex');
  if (isIP(s) === 6) {
    const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    return groups.map((g) => g.padStart(4, '0').toLowerCase()).join('');
  }
  return `invalid:${s}`;
}

function ours(der: Buffer): Answer {
  let c: CertInfo;
  try {
    c = parseCertificate(der);
  } catch (err) {
    if (!(err instanceof CertificateParseError)) throw err; // agreement rule 3
    return { ok: false, error: err.message };
  }
  return {
    ok: true,
    p: {
      subjectCN: c.subject.commonName ?? null,
      subjectO: c.subject.organization,
      issuerCN: c.issuer.commonName ?? null,
      subjectLines: ourLines(c.subject.display),
      issuerLines: ourLines(c.issuer.display),
      serial: c.serial,
      notBefore: c.notBefore.getTime(),
      notAfter: c.notAfter.getTime(),
      dns: c.dnsNames,
      ips: c.ipAddresses.map(ipKey),
      emails: c.emailAddresses,
      uris: c.uris,
      isCA: c.basicConstraintsValid ? c.isCA : null,
      // A negative path length constrains nothing (Go: MaxPathLen -1 is "unset", and only >= 0 is enforced).
      pathLen: c.basicConstraintsValid && c.maxPathLen >= 0 ? c.maxPathLen : null,
      keyUsage: c.keyUsagePresent ? c.keyUsage : null,
      eku: c.extKeyUsage.length || hasExtension(der, '2.5.29.37') ? c.extKeyUsage.map((e) => EKU_OID[e] ?? e) : null,
      // An algorithm WebCrypto has no name for (MD5-RSA, DSA...) is compared by its OID, as @peculiar/x509 reports it.
      sigAlg:
        sigAlgOfGoName(c.signatureAlgorithm) === c.signatureAlgorithm ? c.signatureAlgorithmOid : sigAlgOfGoName(c.signatureAlgorithm),
      sha1: c.sha1,
      sha256: c.sha256,
    },
  };
}

/** Whether the certificate has an extension, by its DER (the EKU list can be present and empty). */
function hasExtension(der: Buffer, oid: string): boolean {
  try {
    return new px.X509Certificate(der).getExtension(oid) !== null;
  } catch {
    return false;
  }
}

/** Splits on a separator that is not escaped with a backslash. */
function splitUnescaped(text: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) {
      cur += ch + text[i + 1];
      i++;
    } else if (ch === sep) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

/** Our display is RFC 2253-like, most specific first: its RDNs reversed into DER order, each RDN's values (types
 *  are named differently by each library; CN and O are compared by type through subjectCN/subjectO/issuerCN). */
function ourLines(display: string): string[] {
  if (display === '') return [];
  return splitUnescaped(display, ',')
    .reverse()
    .map((rdn) =>
      splitUnescaped(rdn, '+')
        .map((atv) => atv.slice(atv.indexOf('=') + 1).replace(/\\(.)/g, '$1'))
        .join('+'),
    );
}

function nameLines(n: px.Name): string[] {
  return n.toJSON().map((rdn) =>
    Object.values(rdn)
      .flatMap((values) => values)
      .join('+'),
  );
}

function peculiar(der: Buffer): Answer {
  let c: px.X509Certificate;
  try {
    c = new px.X509Certificate(der);
  } catch (err) {
    return { ok: false, error: String(err) };
  }
  try {
    const san = c.getExtension(px.SubjectAlternativeNameExtension);
    const items = san?.names.items ?? [];
    const bc = c.getExtension(px.BasicConstraintsExtension);
    const ku = c.getExtension(px.KeyUsagesExtension);
    const eku = c.getExtension(px.ExtendedKeyUsageExtension);
    const alg = c.signatureAlgorithm as { name: string; hash?: { name: string } };
    // The serial's content octets (two's complement): `serialNumber` drops a leading 00, which loses the sign.
    const serialHex = Buffer.from(
      (c as unknown as { asn: { tbsCertificate: { serialNumber: ArrayBuffer } } }).asn.tbsCertificate.serialNumber,
    ).toString('hex');
    return {
      ok: true,
      p: {
        subjectCN: c.subjectName.getField('CN')[0] ?? null,
        subjectO: c.subjectName.getField('O'),
        issuerCN: c.issuerName.getField('CN')[0] ?? null,
        subjectLines: nameLines(c.subjectName),
        issuerLines: nameLines(c.issuerName),
        serial: signedSerial(serialHex),
        notBefore: c.notBefore.getTime(),
        notAfter: c.notAfter.getTime(),
        dns: items.filter((i) => i.type === 'dns').map((i) => i.value),
        ips: items.filter((i) => i.type === 'ip').map((i) => ipKey(i.value)),
        emails: items.filter((i) => i.type === 'email').map((i) => i.value),
        uris: items.filter((i) => i.type === 'url').map((i) => i.value),
        isCA: bc ? bc.ca : null,
        pathLen: bc && bc.pathLength !== undefined && bc.pathLength >= 0 ? bc.pathLength : null,
        keyUsage: ku ? KU_NAMES.filter((_, bit) => ku.usages & (1 << bit)) : null,
        eku: eku ? eku.usages.map(String) : null,
        sigAlg: alg.hash ? `${alg.name}/${alg.hash.name}` : alg.name,
      },
    };
  } catch (err) {
    return { ok: false, error: `extension: ${String(err)}` };
  }
}

/** A DER INTEGER's content bytes (hex, two's complement) as a signed decimal. */
function signedSerial(hex: string): string {
  if (hex === '') return '0';
  const v = BigInt(`0x${hex}`);
  const negative = parseInt(hex.slice(0, 2), 16) >= 0x80;
  return (negative ? v - (1n << BigInt(hex.length * 4)) : v).toString(10);
}

function node(der: Buffer): Answer {
  let c: NodeX509;
  try {
    c = new NodeX509(der);
  } catch (err) {
    return { ok: false, error: String(err) };
  }
  const colonless = (f: string) => f.replace(/:/g, '').toLowerCase();
  const serial = c.serialNumber.startsWith('-')
    ? (-BigInt(`0x${c.serialNumber.slice(1)}`)).toString(10)
    : BigInt(`0x${c.serialNumber || '0'}`).toString(10);
  const san = nodeAltNames(c.subjectAltName);
  return {
    ok: true,
    p: {
      ...(san ?? {}),
      serial,
      // OpenSSL prints the validity as text; a date that text cannot carry (no such day) is not compared.
      notBefore: readableDate(c.validFrom),
      notAfter: readableDate(c.validTo),
      isCA: c.ca || undefined,
      eku: c.keyUsage ?? undefined,
      sha1: colonless(c.fingerprint),
      sha256: colonless(c.fingerprint256),
    },
  };
}

/**
 * Node's subjectAltName text ("DNS:a, IP Address:127.0.0.1, email:x, URI:y"; a value with a separator or quote is
 * JSON-quoted). undefined when there is none or a value cannot be read back ("<invalid>" for an IP of odd length).
 */
function nodeAltNames(text: string | undefined): Pick<Projection, 'dns' | 'ips' | 'emails' | 'uris'> | undefined {
  // No text: no SAN extension, or one OpenSSL could not print — either way nothing to compare.
  if (text === undefined || text === null) return undefined;
  const out = { dns: [] as string[], ips: [] as string[], emails: [] as string[], uris: [] as string[] };
  const entries = text.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? [];
  for (const raw of entries) {
    const entry = raw.trim();
    const colon = entry.indexOf(':');
    const kind = entry.slice(0, colon);
    let value = entry.slice(colon + 1);
    if (value.startsWith('"')) value = JSON.parse(value) as string;
    if (kind === 'DNS') out.dns.push(value);
    else if (kind === 'IP Address') {
      if (!isIP(value)) return undefined;
      out.ips.push(ipKey(value));
    } else if (kind === 'email') out.emails.push(value);
    else if (kind === 'URI') out.uris.push(value);
  }
  return out;
}

function readableDate(text: string): number | undefined {
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

/** Fields both projections expose that differ. Node's `ca` is only true-or-absent: it is compared when true. */
function disagreements(a: Projection, b: Projection): string[] {
  const out: string[] = [];
  for (const k of Object.keys(a) as (keyof Projection)[]) {
    if (!(k in b) || a[k] === undefined || b[k] === undefined) continue;
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) out.push(`${k}: ${JSON.stringify(a[k])} vs ${JSON.stringify(b[k])}`);
  }
  return out;
}

/** Compares src/x509 with each reference parser (`allPairs`: the references with each other too). */
function crossCheck(der: Buffer, allPairs = false): { answers: Record<string, Answer>; problems: string[] } {
  const answers: Record<string, Answer> = { 'src/x509': ours(der), '@peculiar/x509': peculiar(der), 'node:crypto': node(der) };
  const problems: string[] = [];
  const names = Object.keys(answers);
  for (let i = 0; i < (allPairs ? names.length : 1); i++) {
    for (let j = i + 1; j < names.length; j++) {
      const a = answers[names[i]!]!;
      const b = answers[names[j]!]!;
      if (!a.ok || !b.ok) continue;
      for (const d of disagreements(a.p, b.p)) problems.push(`${names[i]} vs ${names[j]}: ${d}`);
    }
  }
  return { answers, problems };
}

/** A UTC date whose year may be below 100 (Date.UTC would read 50 as 1950). */
function utc(year: number, month: number, day: number, h = 0, m = 0, sec = 0): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  d.setUTCHours(h, m, sec, 0);
  return d;
}

function builtCorpus(): IssuedCert[] {
  const DAY = 86400_000;
  const now = Date.now();
  const root = createCA({ cn: 'xcheck Root CA', o: 'xcheck' });
  const rsaRoot = createCA({ cn: 'xcheck RSA Root', o: 'xcheck, Inc. "quoted"', keyType: 'rsa', hash: 'sha384' });
  const inter = issueCert(root, {
    cn: 'xcheck Intermediate CA',
    o: 'xcheck',
    isCA: true,
    pathLen: 0,
    issuerUrl: 'http://ca.xcheck.test/inter.crt',
    ocspUrl: 'http://ocsp.xcheck.test',
  });
  return [
    root,
    rsaRoot,
    inter,
    issueCert(inter, { cn: 'reg.xcheck.test', dns: ['reg.xcheck.test', '*.reg.xcheck.test'], ips: ['127.0.0.1', '::1', '2001:db8::10'] }),
    issueCert(rsaRoot, { cn: 'rsa.xcheck.test', keyType: 'rsa', hash: 'sha1' }),
    issueCert(root, { cn: 'cn-only.xcheck.test', omitSan: true }),
    issueCert(root, { cn: 'client', eku: ['clientAuth'], keyUsage: ['digitalSignature'] }),
    issueCert(root, { cn: 'no-eku.xcheck.test', eku: null, keyUsage: null }),
    issueCert(root, { cn: 'any.xcheck.test', eku: ['any', 'serverAuth', 'codeSigning'] }),
    issueCert(root, { cn: 'expired.xcheck.test', notBefore: new Date(now - 400 * DAY), notAfter: new Date(now - 35 * DAY) }),
    issueCert(root, { cn: 'far.xcheck.test', notAfter: new Date(Date.UTC(2060, 0, 1)) }),
    issueCert(root, { cn: 'legacy-intermediate', isCA: true, omitBasicConstraints: true }),
    issueCert(root, { cn: 'serial.xcheck.test', serial: Buffer.from([0x00, 0x80, 0x01]) }),
    selfSigned({ cn: 'self.xcheck.test', dns: ['self.xcheck.test'] }),
    issueCert(root, { cn: 'ünïcödé 名前.xcheck.test', o: 'a+b;c<d>', dns: ['xn--nicd-2ra4b.xcheck.test'] }),
    issueCert(root, { cn: 'gen-time.xcheck.test', notBefore: utc(1949, 11, 31, 23, 59, 59), notAfter: utc(2050, 0, 1) }),
  ];
}

describe('src/x509 agrees with @peculiar/x509 and node:crypto', () => {
  const roots = parsePemBundle(readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8'));

  it('every system root: all three parse it and agree on every field', () => {
    expect(roots.certs.length).toBeGreaterThan(50);
    expect(roots.errors).toEqual([]);
    const problems: string[] = [];
    for (const c of roots.certs) {
      const { answers, problems: p } = crossCheck(c.der, true);
      for (const [name, a] of Object.entries(answers)) if (!a.ok) problems.push(`${c.subject.display}: ${name} rejects it: ${a.error}`);
      problems.push(...p.map((x) => `${c.subject.display}: ${x}`));
    }
    expect(problems).toEqual([]);
  });

  it('every certificate the builder makes: all three parse it and agree on every field', () => {
    const problems: string[] = [];
    for (const c of builtCorpus()) {
      const { answers, problems: p } = crossCheck(c.der, true);
      for (const [name, a] of Object.entries(answers))
        if (!a.ok) problems.push(`${c.info.subject.display}: ${name} rejects it: ${a.error}`);
      problems.push(...p.map((x) => `${c.info.subject.display}: ${x}`));
    }
    expect(problems).toEqual([]);
  });

  it('a validity date the calendar does not have (February 30, hour 24) is refused, as Go refuses it', () => {
    const cert = issueCert(createCA({ cn: 'xcheck Root CA' }), {
      cn: 'feb.xcheck.test',
      notBefore: utc(2026, 0, 1),
      notAfter: utc(2026, 1, 28, 12, 0, 0),
    });
    for (const bad of ['260230120000Z', '260228240000Z', '260228125960Z', '261301120000Z']) {
      const der = Buffer.from(cert.der.toString('latin1').replace('260228120000Z', bad), 'latin1');
      expect(der.equals(cert.der)).toBe(false);
      const { answers, problems } = crossCheck(der);
      expect(problems).toEqual([]);
      expect(answers['src/x509'], bad).toMatchObject({ ok: false, error: expect.stringContaining(`time ${bad} is not a calendar date`) });
      // OpenSSL has no such day to print either.
      const n = answers['node:crypto']!;
      if (n.ok) expect(n.p.notAfter, bad).toBeUndefined();
    }
  });

  it('a UTF8String that is not UTF-8 makes the certificate unreadable, as Go refuses it', () => {
    const root = createCA({ cn: 'xcheck Root CA' });
    const cert = issueCert(root, { cn: 'utf8.xcheck.test', omitSan: true });
    for (const bad of ['\xa3', '\xc3', '\xed\xa0\x80']) {
      const der = Buffer.from(cert.der.toString('latin1').replace('utf8.xcheck', `utf8${bad}${'xcheck'.slice(bad.length - 1)}`), 'latin1');
      expect(der.length).toBe(cert.der.length);
      const { answers, problems } = crossCheck(der);
      expect(problems).toEqual([]);
      expect(answers['src/x509']).toMatchObject({ ok: false, error: expect.stringContaining('UTF8String is not valid UTF-8') });
    }
  });

  it('a name value of a type Go does not read as a string, or an ASCII type holding a high byte, is refused', () => {
    const cert = issueCert(createCA({ cn: 'xcheck Root CA' }), { cn: 'tag.xcheck.test', omitSan: true });
    const cnValue = Buffer.concat([Buffer.from([0x0c, 'tag.xcheck.test'.length]), Buffer.from('tag.xcheck.test')]);
    const at = cert.der.indexOf(cnValue);
    expect(at).toBeGreaterThan(0);
    const variants: [string, (b: Buffer) => void, string][] = [
      ['tag 0x0e (TIME)', (b) => (b[at] = 0x0e), 'unsupported string type 0xe'],
      ['tag 0x04 (OCTET STRING)', (b) => (b[at] = 0x04), 'unsupported string type 0x4'],
      ['PrintableString with 0xe9', (b) => ((b[at] = 0x13), (b[at + 5] = 0xe9)), 'string type 0x13 holds a byte above 0x7f'],
      ['IA5String with 0xae', (b) => ((b[at] = 0x16), (b[at + 5] = 0xae)), 'string type 0x16 holds a byte above 0x7f'],
    ];
    for (const [what, mutate, reason] of variants) {
      const der = Buffer.from(cert.der);
      mutate(der);
      const { answers, problems } = crossCheck(der);
      expect(problems, what).toEqual([]);
      expect(answers['src/x509'], what).toMatchObject({ ok: false, error: expect.stringContaining(reason) });
    }
    // The ASCII types themselves still read (PrintableString is what most system roots use).
    const printable = Buffer.from(cert.der);
    printable[at] = 0x13;
    expect(crossCheck(printable, true)).toMatchObject({
      problems: [],
      answers: { 'src/x509': { ok: true, p: { subjectCN: 'tag.xcheck.test' } } },
    });
  });

  it('a validity byte with its high bit set is not a digit (0xb2 is not "2")', () => {
    const cert = issueCert(createCA({ cn: 'xcheck Root CA' }), {
      cn: 'hibit.xcheck.test',
      notBefore: utc(2026, 0, 1),
      notAfter: utc(2026, 11, 30, 12, 0, 0),
    });
    const der = Buffer.from(cert.der.toString('latin1').replace('261230120000Z', '261\xb230120000Z'), 'latin1');
    expect(der.equals(cert.der)).toBe(false);
    const { answers, problems } = crossCheck(der);
    expect(problems).toEqual([]);
    expect(answers['src/x509']).toMatchObject({ ok: false, error: expect.stringContaining('bad UTCTime') });
  });

  it('a signature BIT STRING whose unused bits are not zero is refused (OpenSSL re-encodes it: another fingerprint)', () => {
    const cert = issueCert(createCA({ cn: 'xcheck Root CA' }), { cn: 'bits.xcheck.test' });
    for (const [unused, last] of [
      [1, 0x01],
      [3, 0x04],
      [8, 0x00],
    ] as const) {
      const der = Buffer.from(cert.der);
      const sigLen = cert.info.signature.length;
      der[der.length - sigLen - 1] = unused; // the unused-bits octet before the signature bytes
      der[der.length - 1] = (der[der.length - 1]! & ~((1 << Math.min(unused, 7)) - 1)) | last;
      const { answers, problems } = crossCheck(der);
      expect(problems, `unused ${unused}`).toEqual([]);
      expect(answers['src/x509'], `unused ${unused}`).toMatchObject({
        ok: false,
        error: expect.stringContaining(`BIT STRING with ${unused} unused bits is not DER`),
      });
    }
  });

  it('an EKU list holding something other than an OID is refused, not read as a usage', () => {
    const cert = issueCert(createCA({ cn: 'xcheck Root CA' }), { cn: 'eku.xcheck.test', eku: ['serverAuth'] });
    const serverAuth = Buffer.from('06082b06010505070301', 'hex');
    const at = cert.der.indexOf(serverAuth);
    expect(at).toBeGreaterThan(0);
    for (const tag of [0x1d, 0x04, 0x0c]) {
      const der = Buffer.from(cert.der);
      der[at] = tag;
      const { answers, problems } = crossCheck(der);
      expect(problems, `tag ${tag}`).toEqual([]);
      expect(answers['src/x509'], `tag ${tag}`).toMatchObject({ ok: false, error: expect.stringContaining('extended key usage') });
    }
  });

  it('basic constraints are read in order: an optional cA BOOLEAN, then an optional path length — nothing after', () => {
    const ca = issueCert(createCA({ cn: 'xcheck Root CA' }), { cn: 'xcheck Intermediate CA', isCA: true, pathLen: 0 });
    const bcValue = Buffer.from('30060101ff020100', 'hex'); // SEQUENCE { BOOLEAN TRUE, INTEGER 0 }
    const at = ca.der.indexOf(bcValue);
    expect(at).toBeGreaterThan(0);
    const variants: [string, Buffer, { isCA: boolean; pathLen: number | null }][] = [
      ['cA tag turned INTEGER (-1), then INTEGER 0', Buffer.from('30060201ff020100', 'hex'), { isCA: false, pathLen: null }],
      ['INTEGER 0 first, then BOOLEAN TRUE', Buffer.from('30060201000101ff', 'hex'), { isCA: false, pathLen: 0 }],
      ['BOOLEAN TRUE, INTEGER 0 (unchanged)', bcValue, { isCA: true, pathLen: 0 }],
    ];
    for (const [what, replacement, want] of variants) {
      const der = Buffer.concat([ca.der.subarray(0, at), replacement, ca.der.subarray(at + bcValue.length)]);
      const { answers, problems } = crossCheck(der);
      expect(problems, what).toEqual([]);
      expect(answers['src/x509'], what).toMatchObject({ ok: true, p: want });
      expect(answers['@peculiar/x509'], what).toMatchObject({ ok: true, p: want });
    }
  });

  it('extensions are read only where they belong: right after the key (and the optional unique IDs)', () => {
    const cert = issueCert(createCA({ cn: 'xcheck Root CA' }), { cn: 'ext.xcheck.test', dns: ['ext.xcheck.test'] });
    const spki = cert.key.spki;
    const afterKey = cert.der.indexOf(spki) + spki.length;
    expect(cert.der[afterKey]).toBe(0xa3);
    // Re-wrap the TBS with something inserted before [3]: the outer lengths are rebuilt from the parts.
    const rebuild = (insert: Buffer) => {
      const top = readNode(cert.der);
      const [tbs, ...rest] = children(top);
      const tbsBody = Buffer.concat([cert.der.subarray(tbs!.contentStart, afterKey), insert, cert.der.subarray(afterKey, tbs!.end)]);
      return seq(tlv(0x30, tbsBody), ...rest.map((n) => cert.der.subarray(n.start, n.end)));
    };
    const withGarbage = rebuild(Buffer.from('0400', 'hex'));
    const { answers, problems } = crossCheck(withGarbage);
    expect(problems).toEqual([]);
    expect(answers['src/x509']).toMatchObject({ ok: true, p: { dns: [], isCA: null, keyUsage: null, eku: null } });
    // The unique IDs [1] and [2] may sit between the key and the extensions.
    const withIds = rebuild(Buffer.from('810100820100', 'hex'));
    const ids = crossCheck(withIds);
    expect(ids.problems).toEqual([]);
    expect(ids.answers['src/x509']).toMatchObject({ ok: true, p: { dns: ['ext.xcheck.test'] } });
  });

  it('mutated certificates: parsers that accept agree; src/x509 rejects only with CertificateParseError', () => {
    const seeds = builtCorpus().map((c) => c.der);
    const rng = new Rng(BASE_SEED ^ 0x0c0ffee);
    const n = iterations(600);
    const problems: string[] = [];
    let allAccepted = 0;
    let someRejected = 0;
    for (let i = 0; i < n; i++) {
      const der = mutateBytes(rng, seeds, { maxLength: 16 * 1024 });
      const { answers, problems: p } = crossCheck(der);
      if (Object.values(answers).every((a) => a.ok)) allAccepted++;
      else if (Object.values(answers).some((a) => a.ok)) someRejected++;
      if (p.length) problems.push(`#${i} ${der.toString('base64')}: ${p.join('; ')}`);
    }
    if (process.env.XCHECK_DUMP) writeFileSync(process.env.XCHECK_DUMP, problems.join('\n'));
    expect(problems.slice(0, 5)).toEqual([]);
    // The corpus exercises both sides of the rule: some mutants everyone accepts (fields compared), some split.
    expect(allAccepted).toBeGreaterThan(0);
    expect(someRejected).toBeGreaterThan(0);
  });
});
