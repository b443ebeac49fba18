// Whether a DER certificate parses, without building what a parse returns (issue 17): Go's AppendCertsFromPEM
// (crypto/x509/cert_pool.go) parses every block of the system bundle to decide whether it enters the pool, but a
// diagnosis looks at a handful of those ~150 roots. This walks the certificate exactly as parseCertificate
// (src/x509/cert.ts) does — the same DER reader, the same checks in the same order — and keeps nothing but the
// verdict and the subject's raw bytes (the pool's index, as Go's CertPool indexes by RawSubject). Whatever this
// accepts, parseCertificate accepts, and the reverse: test/trust/cert-check.test.ts compares the two on mutated
// certificates. When it refuses a block, parseCertificate is asked for the exact reason.
import { isUtf8 } from 'node:buffer';
import { TAG, bitStringBytes, children, content, decodeOid, decodeTime, expectTag, readNode, type Node } from '../x509/asn1.js';

const MAX_DER = 64 * 1024;
const NUMERIC_STRING = 0x12;
const refused = new Error('refused');

/** decodeOid's refusals (empty, an arc too large), without building the dotted text. */
function checkOid(n: Node): void {
  if (n.end === n.contentStart) throw refused;
  let v = 0;
  for (let i = n.contentStart; i < n.end; i++) {
    const b = n.buf[i]!;
    v = v * 128 + (b & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 256) throw refused;
    if (!(b & 0x80)) v = 0;
  }
}

/** decodeString's refusals, without building the text: the UTF-8 check is the fatal decoder's (buffer.isUtf8 accepts
 *  exactly the well-formed sequences TextDecoder's fatal mode does), the ASCII types refuse a byte above 0x7f, a
 *  UniversalString a code point above U+10FFFF, any other type is refused. */
function checkString(n: Node): void {
  const { buf, contentStart: a, end: e } = n;
  switch (n.tag) {
    case TAG.BMPString:
    case TAG.T61String:
      return;
    case TAG.UniversalString:
      for (let i = a; i + 3 < e; i += 4) if (buf.readUInt32BE(i) > 0x10ffff) throw refused;
      return;
    case TAG.UTF8String:
      if (!isUtf8(buf.subarray(a, e))) throw refused;
      return;
    case TAG.PrintableString:
    case TAG.IA5String:
    case NUMERIC_STRING:
      for (let i = a; i < e; i++) if (buf[i]! > 0x7f) throw refused;
      return;
    default:
      throw refused;
  }
}

/** children(n)'s refusals (not constructed, an element that does not read, more than 10 000 of them), each element
 *  handed to `fn` as it is read: no array of them is built. */
function eachChild(n: Node, fn: (c: Node, k: number) => void): void {
  if (!(n.tag & 0x20)) throw refused;
  let k = 0;
  for (let p = n.contentStart; p < n.end;) {
    const c = readNode(n.buf, p, n.end);
    if (++k > 10_000) throw refused;
    fn(c, k - 1);
    p = c.end;
  }
}

function checkName(n: Node | undefined): void {
  expectTag(n, TAG.SEQUENCE, 'Name');
  eachChild(n!, (rdn) => {
    eachChild(expectTag(rdn, TAG.SET, 'RDN'), (atv) => {
      let typeNode: Node | undefined;
      let valueNode: Node | undefined;
      eachChild(expectTag(atv, TAG.SEQUENCE, 'AttributeTypeAndValue'), (c, k) => {
        if (k === 0) typeNode = c;
        else if (k === 1) valueNode = c;
      });
      checkOid(expectTag(typeNode, TAG.OID, 'attribute type'));
      if (!valueNode) throw refused;
      checkString(valueNode);
    });
  });
}

/** The subject's raw DER when `der` parses as a certificate, else undefined. Throws nothing. */
export function checkedSubject(der: Buffer): Buffer | undefined {
  try {
    return walk(der);
  } catch {
    return undefined;
  }
}

function walk(der: Buffer): Buffer {
  if (der.length > MAX_DER) throw refused;
  const top = readNode(der);
  if (top.end !== der.length) throw refused;
  const [tbsNode, sigAlgNode, sigNode] = children(expectTag(top, TAG.SEQUENCE, 'Certificate'));
  const tbsParts = children(expectTag(tbsNode, TAG.SEQUENCE, 'TBSCertificate'));
  let i = 0;
  if (tbsParts[0]?.tag === 0xa0) {
    expectTag(children(tbsParts[0])[0], TAG.INTEGER, 'version');
    i++;
  }
  expectTag(tbsParts[i++], TAG.INTEGER, 'serialNumber');
  i++;
  checkName(tbsParts[i++]);
  const [nb, na] = children(expectTag(tbsParts[i++], TAG.SEQUENCE, 'Validity'));
  if (!nb || !na) throw refused;
  const subject = tbsParts[i++];
  checkName(subject);
  expectTag(tbsParts[i++], TAG.SEQUENCE, 'SubjectPublicKeyInfo');
  const [sigOidNode, sigParams] = children(expectTag(sigAlgNode, TAG.SEQUENCE, 'signatureAlgorithm'));
  const sigOid = decodeOid(expectTag(sigOidNode, TAG.OID, 'signature algorithm'));
  if (sigOid === '1.2.840.113549.1.1.10' && sigParams && sigParams.tag === TAG.SEQUENCE) {
    const hashParam = children(sigParams).find((c) => c.tag === 0xa0);
    if (hashParam)
      decodeOid(
        expectTag(children(expectTag(children(hashParam)[0], TAG.SEQUENCE, 'PSS hash algorithm'))[0], TAG.OID, 'PSS hash algorithm'),
      );
  }
  decodeTime(nb);
  decodeTime(na);
  bitStringBytes(expectTag(sigNode, TAG.BIT_STRING, 'signatureValue'));
  if (tbsParts[i]?.tag === 0x81) i++;
  if (tbsParts[i]?.tag === 0x82) i++;
  const extWrapper = tbsParts[i]?.tag === 0xa3 ? tbsParts[i] : undefined;
  if (extWrapper) {
    for (const ext of children(expectTag(children(extWrapper)[0], TAG.SEQUENCE, 'extensions'))) {
      const parts = children(ext);
      const oid = decodeOid(expectTag(parts[0], TAG.OID, 'extension id'));
      let valueNode = parts[1];
      if (valueNode?.tag === TAG.BOOLEAN) valueNode = parts[2];
      const value = readNode(content(expectTag(valueNode, TAG.OCTET_STRING, `extension ${oid}`)));
      switch (oid) {
        case '2.5.29.17':
        case '2.5.29.19':
          children(value);
          break;
        case '2.5.29.15':
          bitStringBytes(value);
          break;
        case '2.5.29.37':
          for (const c of children(value)) checkOid(expectTag(c, TAG.OID, 'extended key usage'));
          break;
        case '2.5.29.35':
          children(value);
          break;
        case '1.3.6.1.5.5.7.1.1':
          for (const ad of children(value)) {
            const [m] = children(ad);
            checkOid(expectTag(m, TAG.OID, 'access method'));
          }
          break;
        case '2.5.29.30': {
          const subs = children(value);
          for (const t of [subs.find((c) => c.tag === 0xa0), subs.find((c) => c.tag === 0xa1)])
            if (t) for (const st of children(t)) children(st);
          break;
        }
        default:
          break;
      }
    }
  }
  return subject!.buf.subarray(subject!.start, subject!.end);
}
