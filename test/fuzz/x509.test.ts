// Fuzz: certificate DER (what a registry presents, CA files on the node, pull-secret bundles) through the DER reader,
// the X.509 parser, the X.501 Name parser (CertificateRequest CA names) and the PEM bundle reader. Classified:
//  - readNode/children/parseNameDer: Asn1Error;
//  - parseCertificate: CertificateParseError whose cause (if any) is an Asn1Error — "malformed certificate:
//    Cannot read properties of undefined" is a crash dressed up, not a reason;
//  - parsePemBundle / parseAnyCertificates: never throw (errors are returned).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Asn1Error,
  children,
  encodeBoolean,
  encodeInteger,
  encodeNull,
  encodeOctets,
  encodeOid,
  encodeUtf8,
  explicit,
  implicit,
  readNode,
  seq,
  set,
  tlv,
  encodeBitString,
  type Node,
} from '../../src/x509/asn1.js';
import { CertificateParseError, parseAnyCertificates, parseCertificate, parseNameDer, parsePemBundle, toPem } from '../../src/x509/cert.js';
import { fuzz, mutateBytes, mutateText, stopWatchdog, thrownBy, type Rng } from './mutate.js';

afterAll(stopWatchdog);

/** A certificate exercising every branch of the parser (name constraints, RSA-PSS params, odd string types,
 * GeneralizedTime, critical unknown extension). Unsigned: the parser does not check signatures. */
function handcrafted(): Buffer {
  const name = seq(
    set(seq(encodeOid('2.5.4.3'), encodeUtf8('odd, "name"+x'))),
    set(seq(encodeOid('2.5.4.10'), tlv(0x1e, Buffer.from([0, 0x41, 0xd8, 0x3d, 0xde, 0x00])))), // BMPString
    set(
      seq(encodeOid('2.5.4.11'), tlv(0x1c, Buffer.from([0, 0, 0, 0x41, 0, 1, 0xf6, 0]))),
      seq(encodeOid('2.5.4.7'), tlv(0x14, Buffer.from('T61 é', 'latin1'))),
    ),
  );
  const subtrees = (tag: number, dns: string, ip: number[]) =>
    tlv(tag, [seq(implicit(2, Buffer.from(dns))), seq(implicit(7, Buffer.from(ip)))]);
  const ext = (oid: string, critical: boolean, value: Buffer) =>
    seq(encodeOid(oid), ...(critical ? [encodeBoolean(true)] : []), encodeOctets(value));
  const pss = seq(encodeOid('1.2.840.113549.1.1.10'), seq(explicit(0, seq(encodeOid('2.16.840.1.101.3.4.2.2'), encodeNull()))));
  const spki = seq(seq(encodeOid('1.2.840.10045.2.1'), encodeOid('1.3.132.0.34')), encodeBitString(Buffer.from([4, 1, 2, 3])));
  const tbs = seq(
    explicit(0, encodeInteger(2)),
    tlv(0x02, Buffer.from([0x80, 1, 2])), // negative serial
    pss,
    name,
    seq(tlv(0x18, Buffer.from('20500101000000.5Z')), tlv(0x17, Buffer.from('491231235959Z'))),
    name,
    spki,
    explicit(
      3,
      seq(
        ext(
          '2.5.29.30',
          true,
          seq(
            subtrees(0xa0, 'corp.test', [10, 0, 0, 0, 255, 0, 0, 0]),
            subtrees(
              0xa1,
              'bad.test',
              [
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
                255,
              ],
            ),
          ),
        ),
        ext('2.5.29.19', true, seq(encodeBoolean(true), encodeInteger(3))),
        ext('2.5.29.15', true, encodeBitString(Buffer.from([0x86, 0x80]), 7)),
        ext('2.5.29.37', false, seq(encodeOid('1.3.6.1.5.5.7.3.1'), encodeOid('1.2.3.4.5'))),
        ext(
          '2.5.29.17',
          false,
          seq(
            implicit(1, Buffer.from('a@b')),
            implicit(2, Buffer.from('x.test')),
            implicit(6, Buffer.from('https://u')),
            implicit(7, Buffer.from([127, 0, 0, 1])),
            implicit(7, Buffer.alloc(16)),
            implicit(7, Buffer.from([1, 2, 3])),
          ),
        ),
        ext(
          '1.3.6.1.5.5.7.1.1',
          false,
          seq(
            seq(encodeOid('1.3.6.1.5.5.7.48.1'), implicit(6, Buffer.from('http://ocsp'))),
            seq(encodeOid('1.3.6.1.5.5.7.48.2'), implicit(6, Buffer.from('http://ca'))),
          ),
        ),
        ext('2.5.29.35', false, seq(implicit(0, Buffer.from([1, 2, 3])))),
        ext('2.5.29.14', false, encodeOctets(Buffer.from([4, 5, 6]))),
        ext('1.2.3.4', true, encodeNull()),
      ),
    ),
  );
  return seq(tbs, pss, encodeBitString(Buffer.from([1, 2, 3, 4])));
}

let SEEDS: Buffer[] = [];
let NAME_SEEDS: Buffer[] = [];

beforeAll(() => {
  // certificates made with src/x509/build.ts (test/fuzz/seeds/generate-certs.ts), stored so inputs are reproducible
  const pem = readFileSync(new URL('seeds/certs.pem', import.meta.url), 'utf8');
  const generated = parsePemBundle(pem).certs.map((c) => c.der);
  expect(generated.length).toBe(6);
  SEEDS = [...generated, handcrafted()];
  NAME_SEEDS = SEEDS.map((d) => {
    const tbs = children(children(readNode(d))[0]!);
    return Buffer.from(tbs[0]!.tag === 0xa0 ? rawOf(tbs[3]!) : rawOf(tbs[2]!));
  });
});

function rawOf(n: Node): Buffer {
  return n.buf.subarray(n.start, n.end);
}

const DER_NEST = [
  [0x30, 0x80],
  [0x30, 0x84, 0x7f, 0xff, 0xff, 0xff],
  [0xa3, 0x82, 0xff, 0xff],
  [0x31, 0x81, 0xff],
];

function der(rng: Rng): Buffer {
  return mutateBytes(rng, SEEDS, { nest: DER_NEST, maxLength: 80 * 1024 });
}

const isAsn1 = (err: unknown) => err instanceof Asn1Error;

/** JavaScript engine wording: a parser that lets one of these through has crashed, whatever wraps it. */
const ENGINE_MESSAGE =
  /Cannot read propert|is not a function|is not iterable|Invalid code point|Maximum call stack|out of range|Invalid array length|undefined/;

/** parseCertificate's own refusal: a CertificateParseError that is not a JavaScript engine error dressed up. */
function isCertRefusal(err: unknown): boolean {
  if (!(err instanceof CertificateParseError)) return false;
  const cause = (err as Error & { cause?: unknown }).cause;
  if (cause !== undefined && !(cause instanceof Asn1Error || cause instanceof CertificateParseError)) return false;
  return !ENGINE_MESSAGE.test(err.message);
}

describe('fuzz: certificate DER', () => {
  it('readNode / children: Asn1Error or nodes inside the buffer', async () => {
    await fuzz({
      name: 'asn1.readNode',
      iterations: 2000,
      generate: der,
      run: (b) => {
        // walk the whole tree the way the parsers do (bounded by the reader's own limits)
        const stack: Node[] = [readNode(b)];
        let seen = 0;
        while (stack.length && seen < 20_000) {
          const n = stack.pop()!;
          seen++;
          if (n.end > b.length || n.contentStart > n.end)
            throw new Error(`node outside the buffer: ${JSON.stringify({ s: n.start, c: n.contentStart, e: n.end })}`);
          if (n.tag & 0x20) stack.push(...children(n));
        }
        return seen;
      },
      classified: isAsn1,
    });
  });

  it('parseCertificate: a CertInfo or a CertificateParseError with a real reason', async () => {
    await fuzz({
      name: 'parseCertificate',
      iterations: 3000,
      generate: der,
      run: (b) => parseCertificate(b),
      classified: isCertRefusal,
      check: (c) => {
        const info = c as ReturnType<typeof parseCertificate>;
        expect(typeof info.subject.display).toBe('string');
        expect(typeof info.serial).toBe('string');
      },
      regressions: REGRESSIONS,
    });
  });

  it('parseNameDer (CertificateRequest CA names): Asn1Error or a name', async () => {
    await fuzz({
      name: 'parseNameDer',
      iterations: 2000,
      generate: (rng) => mutateBytes(rng, NAME_SEEDS, { nest: DER_NEST, maxLength: 16 * 1024 }),
      run: (b) => parseNameDer(b),
      classified: isAsn1,
      regressions: [universalNameDer()],
    });
  });

  it('parsePemBundle / parseAnyCertificates: errors are returned, never thrown', async () => {
    await fuzz({
      name: 'parsePemBundle',
      iterations: 600,
      generate: (rng) => {
        if (rng.chance(0.3)) return { pem: false, data: der(rng) };
        const blocks = Array.from({ length: rng.range(1, 3) }, () =>
          toPem(der(rng), rng.pick(['CERTIFICATE', 'TRUSTED CERTIFICATE', 'X509 CERTIFICATE'])),
        );
        const text = mutateText(rng, [blocks.join('junk\n')], {
          dictionary: ['-----BEGIN CERTIFICATE-----', '-----END CERTIFICATE-----', '=', '\n', 'A', '/'],
        });
        return { pem: true, data: Buffer.from(text, 'latin1') };
      },
      run: ({ pem, data }) => (pem ? parsePemBundle(data.toString('latin1')) : parseAnyCertificates(data)),
      classified: () => false,
    });
  });
});

/** Name: SET { SEQUENCE { OID CN, UniversalString U+110000 } } */
function universalNameDer(): Buffer {
  return seq(set(seq(encodeOid('2.5.4.3'), tlv(0x1c, Buffer.from([0x00, 0x11, 0x00, 0x00])))));
}

function replaceOnce(b: Buffer, fromHex: string, toHex: string): Buffer {
  const h = b.toString('hex');
  if (!h.includes(fromHex)) throw new Error(`seed does not contain ${fromHex}`);
  return Buffer.from(h.replace(fromHex, toHex), 'hex');
}

// Inputs the fuzzer found. Each threw a TypeError/RangeError that parseCertificate wrapped as
// "malformed certificate: <engine message>".
const REGRESSIONS: Buffer[] = [
  // RangeError: Invalid code point (a UniversalString in the subject past U+10FFFF)
  replaceOnce(handcrafted(), '1c08000000410001f600', '1c08000000417f000041'),
];

describe('x509 regressions', () => {
  it('a UniversalString holding a value past U+10FFFF is an Asn1Error, not a RangeError from String.fromCodePoint', () => {
    const err = thrownBy(() => parseNameDer(universalNameDer()));
    expect(err).toBeInstanceOf(Asn1Error);
  });

  // Certificates cut short in one field each (what a hostile registry or a damaged CA file presents). Before: the
  // parser dereferenced the missing node and said "malformed certificate: Cannot read properties of undefined".
  const alg = seq(encodeOid('1.2.840.10045.4.3.2'));
  const nm = seq(set(seq(encodeOid('2.5.4.3'), encodeUtf8('x'))));
  const validity = seq(tlv(0x17, Buffer.from('250101000000Z')), tlv(0x17, Buffer.from('350101000000Z')));
  const spki = seq(seq(encodeOid('1.2.840.10045.2.1')), encodeBitString(Buffer.from([4])));
  const cert = (o: { version?: Buffer; validity?: Buffer; sigAlg?: Buffer; exts?: Buffer }) =>
    seq(
      seq(
        o.version ?? explicit(0, encodeInteger(2)),
        encodeInteger(7),
        alg,
        nm,
        o.validity ?? validity,
        nm,
        spki,
        ...(o.exts ? [o.exts] : []),
      ),
      o.sigAlg ?? alg,
      encodeBitString(Buffer.from([1])),
    );
  const ext = (...parts: Buffer[]) => explicit(3, seq(seq(...parts)));
  const cases: [string, Buffer, RegExp][] = [
    ['empty version', cert({ version: explicit(0, Buffer.alloc(0)) }), /missing version/],
    ['one validity time', cert({ validity: seq(tlv(0x17, Buffer.from('250101000000Z'))) }), /Validity needs notBefore and notAfter/],
    ['empty signature algorithm', cert({ sigAlg: seq() }), /missing signature algorithm/],
    [
      'RSA-PSS without a hash OID',
      cert({ sigAlg: seq(encodeOid('1.2.840.113549.1.1.10'), seq(explicit(0, seq()))) }),
      /missing PSS hash algorithm/,
    ],
    ['empty extensions wrapper', cert({ exts: explicit(3, Buffer.alloc(0)) }), /missing extensions/],
    ['extension without id', cert({ exts: ext() }), /missing extension id/],
    ['extension without value', cert({ exts: ext(encodeOid('2.5.29.19')) }), /missing extension 2\.5\.29\.19/],
    ['AIA entry without a method', cert({ exts: ext(encodeOid('1.3.6.1.5.5.7.1.1'), encodeOctets(seq(seq()))) }), /missing access method/],
  ];
  for (const [what, der, reason] of cases) {
    it(`a certificate with ${what} is refused with a reason, not a TypeError`, () => {
      const err = thrownBy(() => parseCertificate(der));
      expect(err).toBeInstanceOf(CertificateParseError);
      expect((err as Error).message).toMatch(reason);
      expect(isCertRefusal(err)).toBe(true);
    });
  }
  it('the cut-short certificates are fuzz regressions too', async () => {
    await fuzz({
      name: 'parseCertificate.cut',
      iterations: 0,
      generate: () => Buffer.alloc(0),
      run: (b) => parseCertificate(b),
      classified: isCertRefusal,
      regressions: cases.map((c) => c[1]),
    });
  });
});
