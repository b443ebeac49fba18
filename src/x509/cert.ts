// X.509 certificate parsing into the fields regdoctor reasons about (Go's view of a certificate), plus PEM helpers.
import { createHash, createPublicKey, verify as cryptoVerify, constants, type KeyObject } from 'node:crypto';
import {
  Asn1Error,
  TAG,
  bitStringBytes,
  children,
  content,
  decodeInteger,
  decodeOid,
  decodeString,
  decodeTime,
  expectTag,
  raw,
  readNode,
  type Node,
} from './asn1.js';
import { ipv6Text } from '../text/ip.js';

export interface DistinguishedName {
  /** RFC 2253-like display, most specific first (as Go and OpenSSL print it): "CN=x,O=y". */
  display: string;
  commonName?: string;
  organization: string[];
  /** DER of the Name, for exact issuer/subject matching like Go. */
  raw: Buffer;
}

export interface CertInfo {
  der: Buffer;
  pem: string;
  sha256: string;
  sha1: string;
  version: number;
  /** Decimal serial number (as Go prints it). */
  serial: string;
  serialHex: string;
  subject: DistinguishedName;
  issuer: DistinguishedName;
  notBefore: Date;
  notAfter: Date;
  /** Go's name for the signature algorithm, e.g. SHA256-RSA, ECDSA-SHA256, SHA1-RSA. */
  signatureAlgorithm: string;
  signatureAlgorithmOid: string;
  /** Hash used by the signature (sha1, sha256, ... or null for Ed25519, 'md5'...). */
  signatureHash: string | null;
  publicKey: { type: 'RSA' | 'EC' | 'Ed25519' | 'DSA' | 'unknown'; bits?: number; curve?: string; spki: Buffer };
  dnsNames: string[];
  /** IP SANs formatted as Go does (net.IP.String()). */
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
  hasSanExtension: boolean;
  basicConstraintsValid: boolean;
  isCA: boolean;
  /** -1 when unset (Go: MaxPathLen -1 / MaxPathLenZero false). */
  maxPathLen: number;
  /** Key usage bit names (digitalSignature, keyEncipherment, keyCertSign...), [] when absent. */
  keyUsage: string[];
  keyUsagePresent: boolean;
  /** EKU short names (serverAuth, clientAuth, any, codeSigning...) or dotted OIDs for unknown ones. */
  extKeyUsage: string[];
  subjectKeyId?: string;
  authorityKeyId?: string;
  ocspServers: string[];
  issuingCertificateUrls: string[];
  nameConstraints?: {
    critical: boolean;
    permittedDns: string[];
    excludedDns: string[];
    permittedIp: string[];
    excludedIp: string[];
  };
  unhandledCriticalExtensions: string[];
  /** Subject equals issuer (names only; signature not checked). */
  selfIssued: boolean;
  tbs: Buffer;
  signature: Buffer;
}

const SIG_ALGS: Record<string, { name: string; hash: string | null; pss?: boolean }> = {
  '1.2.840.113549.1.1.2': { name: 'MD2-RSA', hash: 'md2' },
  '1.2.840.113549.1.1.4': { name: 'MD5-RSA', hash: 'md5' },
  '1.2.840.113549.1.1.5': { name: 'SHA1-RSA', hash: 'sha1' },
  '1.3.14.3.2.29': { name: 'SHA1-RSA', hash: 'sha1' },
  '1.2.840.113549.1.1.11': { name: 'SHA256-RSA', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { name: 'SHA384-RSA', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { name: 'SHA512-RSA', hash: 'sha512' },
  '1.2.840.113549.1.1.10': { name: 'SHA256-RSAPSS', hash: 'sha256', pss: true },
  '1.2.840.10040.4.3': { name: 'DSA-SHA1', hash: 'sha1' },
  '2.16.840.1.101.3.4.3.2': { name: 'DSA-SHA256', hash: 'sha256' },
  '1.2.840.10045.4.1': { name: 'ECDSA-SHA1', hash: 'sha1' },
  '1.2.840.10045.4.3.2': { name: 'ECDSA-SHA256', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { name: 'ECDSA-SHA384', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { name: 'ECDSA-SHA512', hash: 'sha512' },
  '1.3.101.112': { name: 'Ed25519', hash: null },
};

const HASH_OIDS: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '1.3.14.3.2.26': 'sha1',
};

const CURVES: Record<string, string> = {
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
  '1.3.132.0.33': 'P-224',
};

export const EKU_NAMES: Record<string, string> = {
  '2.5.29.37.0': 'any',
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.5': 'ipsecEndSystem',
  '1.3.6.1.5.5.7.3.6': 'ipsecTunnel',
  '1.3.6.1.5.5.7.3.7': 'ipsecUser',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '1.3.6.1.4.1.311.10.3.3': 'microsoftServerGatedCrypto',
  '2.16.840.1.113730.4.1': 'netscapeServerGatedCrypto',
  '1.3.6.1.4.1.311.2.1.22': 'microsoftCommercialCodeSigning',
  '1.3.6.1.4.1.311.61.1.1': 'microsoftKernelCodeSigning',
};

/** RFC 5280 KeyUsage bit names, bit 0 first. */
export const KEY_USAGE_BITS = [
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

const ATTR_SHORT: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.17': 'POSTALCODE',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.25': 'DC',
};

// Extensions Go understands; any other critical extension makes Go refuse the certificate.
const HANDLED_EXTENSIONS = new Set([
  '2.5.29.14',
  '2.5.29.15',
  '2.5.29.17',
  '2.5.29.19',
  '2.5.29.30',
  '2.5.29.31',
  '2.5.29.32',
  '2.5.29.35',
  '2.5.29.37',
  '1.3.6.1.5.5.7.1.1',
]);

function escapeRdnValue(v: string): string {
  return v
    .replace(/([,+"\\<>;])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ');
}

function parseName(n: Node): DistinguishedName {
  expectTag(n, TAG.SEQUENCE, 'Name');
  const rdns: string[] = [];
  let commonName: string | undefined;
  const organization: string[] = [];
  for (const rdn of children(n)) {
    const parts: string[] = [];
    for (const atv of children(expectTag(rdn, TAG.SET, 'RDN'))) {
      const [typeNode, valueNode] = children(expectTag(atv, TAG.SEQUENCE, 'AttributeTypeAndValue'));
      const oid = decodeOid(expectTag(typeNode, TAG.OID, 'attribute type'));
      if (!valueNode) throw new Asn1Error('attribute without value');
      const value = decodeString(valueNode);
      const short = ATTR_SHORT[oid] ?? oid;
      if (oid === '2.5.4.3' && commonName === undefined) commonName = value;
      if (oid === '2.5.4.10') organization.push(value);
      parts.push(`${short}=${escapeRdnValue(value)}`);
    }
    rdns.push(parts.join('+'));
  }
  return { display: rdns.reverse().join(','), commonName, organization, raw: Buffer.from(raw(n)) };
}

/** Parses a DER-encoded X.501 Name (e.g. the acceptable CA names of a CertificateRequest). */
export function parseNameDer(der: Buffer): DistinguishedName {
  return parseName(readNode(der));
}

/** Formats an IP address as Go's net.IP.String() does (IPv4 dotted quad; IPv6 RFC 5952). */
export function formatIp(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join('.');
  if (bytes.length !== 16) return `?${bytes.toString('hex')}`;
  // IPv4-mapped addresses print as IPv4
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return [...bytes.subarray(12)].join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i));
  return ipv6Text(groups);
}

function parseGeneralNames(n: Node) {
  const dns: string[] = [];
  const ips: string[] = [];
  const emails: string[] = [];
  const uris: string[] = [];
  for (const gn of children(n)) {
    const tagNo = gn.tag & 0x1f;
    const body = content(gn);
    if (tagNo === 1) emails.push(body.toString('latin1'));
    else if (tagNo === 2) dns.push(body.toString('latin1'));
    else if (tagNo === 6) uris.push(body.toString('latin1'));
    else if (tagNo === 7) ips.push(formatIp(body));
  }
  return { dns, ips, emails, uris };
}

function parseSubtrees(n: Node | undefined): { dns: string[]; ip: string[] } {
  const dns: string[] = [];
  const ip: string[] = [];
  if (!n) return { dns, ip };
  for (const st of children(n)) {
    const [base] = children(st);
    if (!base) continue;
    const tagNo = base.tag & 0x1f;
    if (tagNo === 2) dns.push(content(base).toString('latin1'));
    if (tagNo === 7) {
      const b = content(base);
      const half = b.length / 2;
      ip.push(`${formatIp(b.subarray(0, half))}/${formatIp(b.subarray(half))}`);
    }
  }
  return { dns, ip };
}

/**
 * The modulus size of an RSA SubjectPublicKeyInfo read from its DER (RFC 8017 RSAPublicKey: SEQUENCE { modulus INTEGER,
 * publicExponent INTEGER }), as Go's x509.parsePublicKey reads it: both positive, nothing after them. No key object
 * is built: a system bundle holds ~150 RSA roots and createPublicKey per key cost tens of milliseconds.
 */
export function rsaModulusBits(spki: Buffer): number | undefined {
  const [, bitString] = children(readNode(spki));
  if (!bitString || bitString.tag !== TAG.BIT_STRING) return undefined;
  const { bytes, unused } = bitStringBytes(bitString);
  if (unused !== 0) return undefined;
  const seq = readNode(bytes);
  if (seq.tag !== TAG.SEQUENCE || seq.end !== bytes.length) return undefined;
  const [n, e, extra] = children(seq);
  if (!n || !e || extra || n.tag !== TAG.INTEGER || e.tag !== TAG.INTEGER) return undefined;
  const mod = content(n);
  const exp = content(e);
  if (mod.length === 0 || exp.length === 0 || mod[0]! & 0x80 || exp[0]! & 0x80) return undefined;
  let i = 0;
  while (i < mod.length && mod[i] === 0) i++;
  if (i === mod.length) return undefined;
  return (mod.length - i - 1) * 8 + (32 - Math.clz32(mod[i]!));
}

function describeKey(spki: Buffer): CertInfo['publicKey'] {
  try {
    const [alg] = children(readNode(spki));
    const [oidNode, param] = children(alg!);
    const oid = decodeOid(oidNode!);
    if (oid === '1.2.840.113549.1.1.1' || oid === '1.2.840.113549.1.1.10') {
      const bits = rsaModulusBits(spki);
      if (bits !== undefined) return { type: 'RSA', bits, spki };
      return { type: 'unknown', spki };
    }
    if (oid === '1.2.840.10045.2.1') {
      const curve = param && param.tag === TAG.OID ? (CURVES[decodeOid(param)] ?? decodeOid(param)) : undefined;
      const bits = curve === 'P-256' ? 256 : curve === 'P-384' ? 384 : curve === 'P-521' ? 521 : curve === 'P-224' ? 224 : undefined;
      return { type: 'EC', curve, bits, spki };
    }
    if (oid === '1.3.101.112') return { type: 'Ed25519', bits: 256, spki };
    if (oid === '1.2.840.10040.4.1') return { type: 'DSA', spki };
  } catch {
    // fall through
  }
  return { type: 'unknown', spki };
}

export class CertificateParseError extends Error {
  override name = 'CertificateParseError';
  constructor(
    message: string,
    options?: ErrorOptions,
    /** What is wrong, for a translated sentence: too large, or malformed (`detail`: the DER decoder's own words). */
    readonly fault: { kind: 'too-large' } | { kind: 'malformed'; detail: string } = { kind: 'malformed', detail: message },
  ) {
    super(message, options);
  }
}

/** Parses a DER certificate. Throws CertificateParseError with a readable reason on malformed input. */
export function parseCertificate(der: Buffer): CertInfo {
  try {
    return parseUnchecked(der);
  } catch (err) {
    if (err instanceof CertificateParseError) throw err;
    const detail = (err as Error).message;
    throw new CertificateParseError(`malformed certificate: ${detail}`, { cause: err }, { kind: 'malformed', detail });
  }
}

function parseUnchecked(der: Buffer): CertInfo {
  if (der.length > 64 * 1024) throw new CertificateParseError('certificate larger than 64 KiB', undefined, { kind: 'too-large' });
  const top = readNode(der);
  if (top.end !== der.length) throw new Asn1Error('trailing data after certificate');
  const [tbsNode, sigAlgNode, sigNode] = children(expectTag(top, TAG.SEQUENCE, 'Certificate'));
  const tbsParts = children(expectTag(tbsNode, TAG.SEQUENCE, 'TBSCertificate'));
  let i = 0;
  let version = 1;
  if (tbsParts[0]?.tag === 0xa0) {
    version = Number(decodeInteger(expectTag(children(tbsParts[0])[0], TAG.INTEGER, 'version'))) + 1;
    i++;
  }
  const serialNode = expectTag(tbsParts[i++], TAG.INTEGER, 'serialNumber');
  i++; // inner signature algorithm
  const issuer = parseName(tbsParts[i++]!);
  const [nb, na] = children(expectTag(tbsParts[i++], TAG.SEQUENCE, 'Validity'));
  if (!nb || !na) throw new Asn1Error('Validity needs notBefore and notAfter');
  const subject = parseName(tbsParts[i++]!);
  const spkiNode = expectTag(tbsParts[i++], TAG.SEQUENCE, 'SubjectPublicKeyInfo');
  const [sigOidNode, sigParams] = children(expectTag(sigAlgNode, TAG.SEQUENCE, 'signatureAlgorithm'));
  const sigOid = decodeOid(expectTag(sigOidNode, TAG.OID, 'signature algorithm'));
  let sig = SIG_ALGS[sigOid] ?? { name: sigOid, hash: null };
  if (sig.pss && sigParams && sigParams.tag === TAG.SEQUENCE) {
    const hashParam = children(sigParams).find((c) => c.tag === 0xa0);
    if (hashParam) {
      const hashOid = decodeOid(
        expectTag(children(expectTag(children(hashParam)[0], TAG.SEQUENCE, 'PSS hash algorithm'))[0], TAG.OID, 'PSS hash algorithm'),
      );
      const h = HASH_OIDS[hashOid] ?? 'sha256';
      sig = { name: `${h.toUpperCase()}-RSAPSS`, hash: h, pss: true };
    } else sig = { name: 'SHA1-RSAPSS', hash: 'sha1', pss: true };
  }

  const info: CertInfo = {
    der: Buffer.from(der),
    pem: toPem(der),
    sha256: createHash('sha256').update(der).digest('hex'),
    sha1: createHash('sha1').update(der).digest('hex'),
    version,
    serial: decodeInteger(serialNode).toString(10),
    serialHex: content(serialNode).toString('hex'),
    subject,
    issuer,
    notBefore: decodeTime(nb),
    notAfter: decodeTime(na),
    signatureAlgorithm: sig.name,
    signatureAlgorithmOid: sigOid,
    signatureHash: sig.hash,
    publicKey: describeKey(Buffer.from(raw(spkiNode))),
    dnsNames: [],
    ipAddresses: [],
    emailAddresses: [],
    uris: [],
    hasSanExtension: false,
    basicConstraintsValid: false,
    isCA: false,
    maxPathLen: -1,
    keyUsage: [],
    keyUsagePresent: false,
    extKeyUsage: [],
    ocspServers: [],
    issuingCertificateUrls: [],
    unhandledCriticalExtensions: [],
    selfIssued: subject.raw.equals(issuer.raw),
    tbs: Buffer.from(raw(tbsNode!)),
    signature: bitStringBytes(expectTag(sigNode, TAG.BIT_STRING, 'signatureValue')).bytes,
  };

  // As Go reads the rest of the TBS: optional issuerUniqueID [1], optional subjectUniqueID [2], then the extensions
  // [3] only if they come next (a [3] further on, after other data, is not read: it used to be searched for).
  if (tbsParts[i]?.tag === 0x81) i++;
  if (tbsParts[i]?.tag === 0x82) i++;
  const extWrapper = tbsParts[i]?.tag === 0xa3 ? tbsParts[i] : undefined;
  if (extWrapper) {
    for (const ext of children(expectTag(children(extWrapper)[0], TAG.SEQUENCE, 'extensions'))) {
      const parts = children(ext);
      const oid = decodeOid(expectTag(parts[0], TAG.OID, 'extension id'));
      let critical = false;
      let valueNode = parts[1];
      if (valueNode?.tag === TAG.BOOLEAN) {
        critical = content(valueNode)[0] !== 0;
        valueNode = parts[2];
      }
      const value = readNode(content(expectTag(valueNode, TAG.OCTET_STRING, `extension ${oid}`)));
      if (critical && !HANDLED_EXTENSIONS.has(oid)) info.unhandledCriticalExtensions.push(oid);
      switch (oid) {
        case '2.5.29.17': {
          info.hasSanExtension = true;
          const g = parseGeneralNames(value);
          info.dnsNames = g.dns;
          info.ipAddresses = g.ips;
          info.emailAddresses = g.emails;
          info.uris = g.uris;
          break;
        }
        case '2.5.29.19': {
          info.basicConstraintsValid = true;
          // As Go reads it: an optional cA BOOLEAN first, then an optional pathLenConstraint INTEGER; nothing else
          // counts (a second INTEGER, or a BOOLEAN after the INTEGER, used to override the first).
          const bc = children(value);
          let k = 0;
          if (bc[k]?.tag === TAG.BOOLEAN) info.isCA = content(bc[k++]!)[0] !== 0;
          if (bc[k]?.tag === TAG.INTEGER) info.maxPathLen = Number(decodeInteger(bc[k]!));
          break;
        }
        case '2.5.29.15': {
          info.keyUsagePresent = true;
          const { bytes } = bitStringBytes(value);
          KEY_USAGE_BITS.forEach((name, bit) => {
            const byte = bytes[bit >> 3] ?? 0;
            if (byte & (0x80 >> (bit & 7))) info.keyUsage.push(name);
          });
          break;
        }
        case '2.5.29.37':
          info.extKeyUsage = children(value).map((c) => {
            // Go refuses an EKU list holding anything but OIDs (a tag read as an OID would invent a usage).
            const o = decodeOid(expectTag(c, TAG.OID, 'extended key usage'));
            return EKU_NAMES[o] ?? o;
          });
          break;
        case '2.5.29.14':
          info.subjectKeyId = content(value).toString('hex');
          break;
        case '2.5.29.35': {
          const kid = children(value).find((c) => c.tag === 0x80);
          if (kid) info.authorityKeyId = content(kid).toString('hex');
          break;
        }
        case '1.3.6.1.5.5.7.1.1':
          for (const ad of children(value)) {
            const [m, loc] = children(ad);
            const method = decodeOid(expectTag(m, TAG.OID, 'access method'));
            if (!loc || (loc.tag & 0x1f) !== 6) continue;
            const url = content(loc).toString('latin1');
            if (method === '1.3.6.1.5.5.7.48.1') info.ocspServers.push(url);
            if (method === '1.3.6.1.5.5.7.48.2') info.issuingCertificateUrls.push(url);
          }
          break;
        case '2.5.29.30': {
          const subs = children(value);
          const permitted = parseSubtrees(subs.find((c) => c.tag === 0xa0));
          const excluded = parseSubtrees(subs.find((c) => c.tag === 0xa1));
          info.nameConstraints = {
            critical,
            permittedDns: permitted.dns,
            excludedDns: excluded.dns,
            permittedIp: permitted.ip,
            excludedIp: excluded.ip,
          };
          break;
        }
        default:
          break;
      }
    }
  }
  return info;
}

export function toPem(der: Buffer, label = 'CERTIFICATE'): string {
  const b64 = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

export interface PemBundleResult {
  certs: CertInfo[];
  /** Blocks that could not be parsed (reason per block). */
  errors: string[];
}

/** Unparsable blocks reported one by one; past this many, one line counts the rest. */
const MAX_BLOCK_ERRORS = 100;

/** Parses every CERTIFICATE block in a PEM bundle, skipping junk; bounded in count and size. A block is a BEGIN line
 *  and the first END line after it (as a lazy `BEGIN([\s\S]*?)END` expression reads it), found by two linear searches:
 *  the lazy expression rescanned the rest of the file from every BEGIN without an END (quadratic). */
export function parsePemBundle(text: string, maxCerts = 5000): PemBundleResult {
  const certs: CertInfo[] = [];
  const errors: string[] = [];
  const beginRe = /-----BEGIN (?:TRUSTED |X509 )?CERTIFICATE-----/g;
  const endRe = /-----END (?:TRUSTED |X509 )?CERTIFICATE-----/g;
  let m: RegExpExecArray | null;
  let index = 0;
  let failed = 0;
  while ((m = beginRe.exec(text)) !== null) {
    endRe.lastIndex = beginRe.lastIndex;
    const end = endRe.exec(text);
    // no END after this BEGIN: none after any later one either
    if (!end) break;
    beginRe.lastIndex = endRe.lastIndex;
    index++;
    if (certs.length >= maxCerts) {
      errors.push(`more than ${maxCerts} certificates; the rest were ignored`);
      break;
    }
    const body = text.slice(m.index + m[0].length, end.index).replace(/[^A-Za-z0-9+/=]/g, '');
    try {
      let der = Buffer.from(body, 'base64');
      // OpenSSL "TRUSTED CERTIFICATE" blocks carry trust settings after the certificate
      const top = readNode(der);
      der = der.subarray(0, top.end);
      certs.push(parseCertificate(der));
    } catch (err) {
      if (++failed <= MAX_BLOCK_ERRORS) errors.push(`certificate #${index}: ${(err as Error).message}`);
    }
  }
  if (failed > MAX_BLOCK_ERRORS)
    errors.push(`${failed - MAX_BLOCK_ERRORS} more blocks could not be parsed (only the first ${MAX_BLOCK_ERRORS} are listed)`);
  return { certs, errors };
}

/** Accepts PEM text or DER bytes. */
export function parseAnyCertificates(data: Buffer): PemBundleResult {
  const text = data.toString('latin1');
  if (text.includes('-----BEGIN')) return parsePemBundle(text);
  try {
    return { certs: [parseCertificate(data)], errors: [] };
  } catch (err) {
    return { certs: [], errors: [(err as Error).message] };
  }
}

const keyCache = new WeakMap<Buffer, KeyObject | null>();

function publicKeyOf(cert: CertInfo): KeyObject | null {
  const cached = keyCache.get(cert.publicKey.spki);
  if (cached !== undefined) return cached;
  let key: KeyObject | null = null;
  try {
    key = createPublicKey({ key: cert.publicKey.spki, format: 'der', type: 'spki' });
  } catch {
    key = null;
  }
  keyCache.set(cert.publicKey.spki, key);
  return key;
}

/** Verifies `child`'s signature with `parent`'s public key (cryptography only, no policy). */
export function signatureValid(child: CertInfo, parent: CertInfo): boolean {
  const key = publicKeyOf(parent);
  if (!key) return false;
  try {
    if (child.signatureAlgorithm.endsWith('RSAPSS')) {
      return cryptoVerify(
        child.signatureHash ?? 'sha256',
        child.tbs,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
        child.signature,
      );
    }
    return cryptoVerify(child.signatureHash, child.tbs, key, child.signature);
  } catch {
    return false;
  }
}
