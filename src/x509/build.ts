// A small PKI builder: CAs, intermediates, leaves with any of the faults regdoctor diagnoses (wrong names, CN-only,
// expired, SHA-1, clientAuth-only EKU...). Used by the demo, the integration tests and the end-to-end lab.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIP } from '../text/ip.js';
import {
  encodeBitString,
  encodeBoolean,
  encodeInteger,
  encodeNull,
  encodeOctets,
  encodeOid,
  encodeTime,
  encodeUnsigned,
  encodeUtf8,
  explicit,
  implicit,
  seq,
  set,
  bitStringBytes,
  children,
  readNode,
} from './asn1.js';
import { EKU_NAMES, KEY_USAGE_BITS, parseCertificate, toPem, type CertInfo } from './cert.js';

export type KeyType = 'ec' | 'rsa';

export interface KeyPair {
  type: KeyType;
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyPem: string;
  spki: Buffer;
}

export interface CertSpec {
  cn?: string;
  o?: string;
  /** DNS SANs; default [cn] for leaves unless ips are given or omitSan is set. */
  dns?: string[];
  ips?: string[];
  /** No SAN extension at all (CN-only certificate). */
  omitSan?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  keyType?: KeyType;
  rsaBits?: number;
  hash?: 'sha256' | 'sha384' | 'sha1';
  isCA?: boolean;
  /** Basic constraints pathLen for CAs. */
  pathLen?: number;
  /** EKU names (serverAuth, clientAuth, any, codeSigning...); null omits the extension. */
  eku?: string[] | null;
  /** Key usage names; null omits the extension. */
  keyUsage?: string[] | null;
  /** Omit basic constraints entirely (a v3 certificate that Go will not accept as a parent). */
  omitBasicConstraints?: boolean;
  /** AIA caIssuers URL. */
  issuerUrl?: string;
  ocspUrl?: string;
  /** Reuse a key (e.g. to re-issue a certificate for the same key). */
  key?: KeyPair;
  serial?: Buffer;
}

export interface IssuedCert {
  certPem: string;
  keyPem: string;
  der: Buffer;
  info: CertInfo;
  key: KeyPair;
}

const EKU_OIDS: Record<string, string> = Object.fromEntries(Object.entries(EKU_NAMES).map(([oid, name]) => [name, oid]));

export function generateKey(type: KeyType = 'ec', rsaBits = 2048): KeyPair {
  const pair =
    type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: rsaBits }) : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    type,
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    keyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    spki: pair.publicKey.export({ type: 'spki', format: 'der' }),
  };
}

function keyId(spki: Buffer): Buffer {
  const [, bits] = children(readNode(spki));
  return createHash('sha1').update(bitStringBytes(bits!).bytes).digest();
}

function algorithmIdentifier(key: KeyPair, hash: string): Buffer {
  if (key.type === 'ec') {
    const oid = hash === 'sha1' ? '1.2.840.10045.4.1' : hash === 'sha384' ? '1.2.840.10045.4.3.3' : '1.2.840.10045.4.3.2';
    return seq(encodeOid(oid));
  }
  const oid = hash === 'sha1' ? '1.2.840.113549.1.1.5' : hash === 'sha384' ? '1.2.840.113549.1.1.12' : '1.2.840.113549.1.1.11';
  return seq(encodeOid(oid), encodeNull());
}

function name(cn?: string, o?: string): Buffer {
  const rdns: Buffer[] = [];
  if (o) rdns.push(set(seq(encodeOid('2.5.4.10'), encodeUtf8(o))));
  if (cn) rdns.push(set(seq(encodeOid('2.5.4.3'), encodeUtf8(cn))));
  return seq(...rdns);
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  // expand IPv6
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g || '0', 16), i * 2));
  return b;
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(encodeOid(oid), encodeBoolean(true), encodeOctets(value)) : seq(encodeOid(oid), encodeOctets(value));
}

function keyUsageValue(names: string[]): Buffer {
  let bits = 0;
  let highest = -1;
  for (const n of names) {
    const i = KEY_USAGE_BITS.indexOf(n);
    if (i < 0) throw new Error(`unknown key usage ${n}`);
    bits |= 1 << (15 - i);
    highest = Math.max(highest, i);
  }
  const bytes = highest >= 8 ? Buffer.from([bits >> 8, bits & 0xff]) : Buffer.from([bits >> 8]);
  const usedBits = highest + 1;
  const unused = bytes.length * 8 - usedBits;
  return encodeBitString(bytes, unused);
}

interface Issuer {
  cn?: string;
  o?: string;
  nameDer: Buffer;
  key: KeyPair;
}

function build(spec: CertSpec, issuer: Issuer | 'self'): IssuedCert {
  const key = spec.key ?? generateKey(spec.keyType ?? 'ec', spec.rsaBits);
  const signer = issuer === 'self' ? key : issuer.key;
  const hash = spec.hash ?? 'sha256';
  const now = Date.now();
  const notBefore = spec.notBefore ?? new Date(now - 3600_000);
  const notAfter = spec.notAfter ?? new Date(now + 30 * 86400_000);
  const subject = name(spec.cn, spec.o);
  const issuerName = issuer === 'self' ? subject : issuer.nameDer;
  const exts: Buffer[] = [];
  const isCA = Boolean(spec.isCA);
  if (!spec.omitBasicConstraints) {
    const bc: Buffer[] = [];
    if (isCA) bc.push(encodeBoolean(true));
    if (isCA && spec.pathLen !== undefined) bc.push(encodeInteger(spec.pathLen));
    exts.push(extension('2.5.29.19', true, seq(...bc)));
  }
  const ku =
    spec.keyUsage === undefined
      ? isCA
        ? ['keyCertSign', 'cRLSign', 'digitalSignature']
        : key.type === 'rsa'
          ? ['digitalSignature', 'keyEncipherment']
          : ['digitalSignature']
      : spec.keyUsage;
  if (ku) exts.push(extension('2.5.29.15', true, keyUsageValue(ku)));
  const eku = spec.eku === undefined ? (isCA ? null : ['serverAuth']) : spec.eku;
  if (eku) {
    exts.push(
      extension(
        '2.5.29.37',
        false,
        seq(
          ...eku.map((e) => {
            const oid = EKU_OIDS[e] ?? e;
            if (!/^\d+(\.\d+)+$/.test(oid)) throw new Error(`unknown extended key usage ${e}`);
            return encodeOid(oid);
          }),
        ),
      ),
    );
  }
  exts.push(extension('2.5.29.14', false, encodeOctets(keyId(key.spki))));
  exts.push(extension('2.5.29.35', false, seq(implicit(0, keyId(signer.spki)))));
  if (!spec.omitSan) {
    const dns = spec.dns ?? (spec.ips?.length || isCA || !spec.cn ? [] : [spec.cn]);
    const names = [...dns.map((d) => implicit(2, Buffer.from(d, 'latin1'))), ...(spec.ips ?? []).map((ip) => implicit(7, ipBytes(ip)))];
    if (names.length > 0) exts.push(extension('2.5.29.17', false, seq(...names)));
  }
  if (spec.issuerUrl || spec.ocspUrl) {
    const ads: Buffer[] = [];
    if (spec.ocspUrl) ads.push(seq(encodeOid('1.3.6.1.5.5.7.48.1'), implicit(6, Buffer.from(spec.ocspUrl))));
    if (spec.issuerUrl) ads.push(seq(encodeOid('1.3.6.1.5.5.7.48.2'), implicit(6, Buffer.from(spec.issuerUrl))));
    exts.push(extension('1.3.6.1.5.5.7.1.1', false, seq(...ads)));
  }
  const serial = spec.serial ?? Buffer.concat([Buffer.from([(0x1f & randomBytes(1)[0]!) | 0x01]), randomBytes(15)]);
  const sigAlg = algorithmIdentifier(signer, hash);
  const tbs = seq(
    explicit(0, encodeInteger(2)),
    encodeUnsigned(serial),
    sigAlg,
    issuerName,
    seq(encodeTime(notBefore), encodeTime(notAfter)),
    subject,
    key.spki,
    explicit(3, seq(...exts)),
  );
  const signature = sign(hash, tbs, signer.privateKey);
  const der = seq(tbs, sigAlg, encodeBitString(signature));
  return { der, certPem: toPem(der), keyPem: key.keyPem, info: parseCertificate(der), key };
}

function asIssuer(c: IssuedCert): Issuer {
  return { nameDer: c.info.subject.raw, key: c.key };
}

/** A self-signed CA certificate. */
export function createCA(spec: CertSpec & { cn: string }): IssuedCert {
  return build({ ...spec, isCA: true }, 'self');
}

/** A self-signed end-entity certificate (the classic "self-signed registry certificate"). */
export function selfSigned(spec: CertSpec & { cn: string }): IssuedCert {
  return build({ isCA: false, ...spec }, 'self');
}

/** A certificate signed by `issuer` (an intermediate when spec.isCA is set). */
export function issueCert(issuer: IssuedCert, spec: CertSpec): IssuedCert {
  return build(spec, asIssuer(issuer));
}

/** PEM bundle of several certificates (leaf first). */
export function bundle(...certs: IssuedCert[]): string {
  return certs.map((c) => c.certPem).join('');
}
