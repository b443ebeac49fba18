// Fuzz: what a registry (or anything listening on its port) sends back to the probes — the TLS server flight read
// byte by byte (ServerFlightParser) and WWW-Authenticate challenges. Classified:
//  - ServerFlightParser.push: never throws ("Throws nothing; bounded by maxBytes"); it answers a FlightState, and a
//    malformed handshake is a `not-tls` state with a reason that is not a JavaScript engine error;
//  - parseWwwAuthenticate: never throws; returns challenges with string params.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerFlightParser, type FlightState } from '../../src/wire/tls12.js';
import { parseWwwAuthenticate } from '../../src/probe/www-authenticate.js';
import { parsePemBundle } from '../../src/x509/cert.js';
import { fuzz, mutateBytes, mutateText, stopWatchdog, type Rng } from './mutate.js';

afterAll(stopWatchdog);

// ------------------------------------------------------------------------------------------------ TLS flight

const u8 = (n: number) => Buffer.from([n & 0xff]);
const u16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const u24 = (n: number) => Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
const hs = (type: number, body: Buffer) => Buffer.concat([u8(type), u24(body.length), body]);
const record = (type: number, body: Buffer) => Buffer.concat([u8(type), u16(0x0303), u16(body.length), body]);

function serverHello(): Buffer {
  const alpn = Buffer.concat([u16(0x0010), u16(11), u16(9), u8(8), Buffer.from('http/1.1')]);
  const ems = Buffer.concat([u16(0x0017), u16(0)]);
  const exts = Buffer.concat([alpn, ems]);
  return hs(2, Buffer.concat([u16(0x0303), Buffer.alloc(32, 7), u8(32), Buffer.alloc(32, 9), u16(0xc02f), u8(0), u16(exts.length), exts]));
}

function certificateMsg(chain: Buffer[]): Buffer {
  const list = Buffer.concat(chain.map((c) => Buffer.concat([u24(c.length), c])));
  return hs(11, Buffer.concat([u24(list.length), list]));
}

function certificateRequest(names: Buffer[]): Buffer {
  const types = Buffer.from([2, 1, 64]);
  const sig = Buffer.concat([u16(4), u16(0x0403), u16(0x0804)]);
  const dns = Buffer.concat(names.map((n) => Buffer.concat([u16(n.length), n])));
  return hs(13, Buffer.concat([u8(types.length), types, sig, u16(dns.length), dns]));
}

let FLIGHTS: Buffer[] = [];

beforeAll(() => {
  const certs = parsePemBundle(readFileSync(new URL('seeds/certs.pem', import.meta.url), 'utf8')).certs;
  const chain = [certs[3]!.der, certs[2]!.der];
  const handshake = Buffer.concat([
    serverHello(),
    certificateMsg(chain),
    certificateRequest([certs[0]!.subject.raw, certs[1]!.subject.raw]),
    hs(14, Buffer.alloc(0)),
  ]);
  // one record, split across records, with an alert, a TLS 1.3-style change_cipher_spec, plain HTTP
  FLIGHTS = [
    record(0x16, handshake),
    Buffer.concat([record(0x16, handshake.subarray(0, 100)), record(0x14, Buffer.from([1])), record(0x16, handshake.subarray(100))]),
    Buffer.concat([record(0x16, serverHello()), record(0x15, Buffer.from([2, 40]))]),
    record(0x15, Buffer.from([2, 116])),
    Buffer.from('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'),
  ];
});

const ENGINE_MESSAGE = /out of range|Cannot read propert|is not a function|Invalid array length|Maximum call stack|ERR_/;

describe('fuzz: TLS server flight', () => {
  it('ServerFlightParser: a FlightState for any bytes in any chunking, never a throw or an engine error as reason', async () => {
    await fuzz({
      name: 'tls12.flight',
      iterations: 1000,
      generate: (rng: Rng) => {
        const bytes = mutateBytes(rng, FLIGHTS, {
          nest: [
            [0x16, 0x03, 0x03, 0xff, 0xff],
            [0x0b, 0xff, 0xff, 0xff],
          ],
          maxLength: 40 * 1024,
        });
        // every push re-reads what arrived so far: byte-by-byte delivery only for small inputs keeps the suite fast
        return { bytes, chunk: bytes.length < 256 ? rng.pick([1, 5, 1 << 20]) : rng.pick([64, 517, 1460, 1 << 20]) };
      },
      run: ({ bytes, chunk }) => {
        const p = new ServerFlightParser(32 * 1024);
        const states: FlightState[] = [];
        for (let i = 0; i < bytes.length; i += chunk) {
          const s = p.push(bytes.subarray(i, i + chunk));
          states.push(s);
          if (s.kind !== 'need-more') break;
        }
        return states;
      },
      classified: () => false,
      check: (r) => {
        for (const s of r as FlightState[]) {
          expect(['need-more', 'done', 'alert', 'plain-http', 'not-tls']).toContain(s.kind);
          if (s.kind === 'not-tls') expect(s.reason).not.toMatch(ENGINE_MESSAGE);
        }
      },
      regressions: TLS_REGRESSIONS,
    });
  });
});

describe('TLS flight regressions', () => {
  it('a flight of thousands of tiny handshake records is read in linear time (joining per record was quadratic)', () => {
    const tiny = record(0x16, Buffer.from([0x0b]));
    const flood = Buffer.concat(Array.from({ length: 60_000 }, () => tiny));
    const p = new ServerFlightParser();
    const t0 = performance.now();
    let s: FlightState = { kind: 'need-more' };
    for (let i = 0; i < flood.length; i += 65_536) s = p.push(flood.subarray(i, i + 65_536));
    expect(s.kind).toBe('need-more');
    expect(performance.now() - t0).toBeLessThan(1_500);
  });

  it('a ServerHello or CertificateRequest cut short is "not-tls" with a reason, not an engine error', () => {
    for (const r of TLS_REGRESSIONS) {
      const s = new ServerFlightParser().push(r.bytes);
      expect(s.kind).toBe('not-tls');
      expect((s as { reason: string }).reason).toMatch(/cut short/);
    }
  });
});

// Handshake messages cut short: the parser read past their end (RangeError from readUInt16BE, caught and reported
// as `not-tls` "malformed handshake message 2: The value of "offset" is out of range").
const TLS_REGRESSIONS = [
  { bytes: record(0x16, hs(2, Buffer.from([3, 3]))), chunk: 1 << 20 },
  { bytes: record(0x16, hs(13, Buffer.from([1, 1]))), chunk: 1 << 20 },
];

// ------------------------------------------------------------------------------------------------ WWW-Authenticate

const AUTH_SEEDS = [
  'Bearer realm="https://auth.test/token",service="reg.test:5000",scope="repository:team/app:pull"',
  'Basic realm="Registry Realm"',
  'Bearer realm="https://a/t",error="invalid_token",error_description="The access token expired"',
  'Basic realm="x", Bearer realm="https://a\\"b/t", service=reg',
  'Negotiate, NTLM, Bearer realm=file:///etc/passwd',
  'bearer REALM="http://169.254.169.254/latest",scope=""',
];

describe('fuzz: WWW-Authenticate', () => {
  it('parseWwwAuthenticate: challenges with string params, never a throw', async () => {
    await fuzz({
      name: 'www-authenticate',
      iterations: 3000,
      generate: (rng) => {
        const one = () =>
          mutateText(rng, AUTH_SEEDS, {
            dictionary: ['"', '\\', '\\"', ',', '=', ' ', '\t', 'realm', 'Bearer', 'Basic', '__proto__', 'constructor', '==', '""'],
            maxLength: 8_000,
          });
        return rng.chance(0.2) ? [one(), one()] : one();
      },
      run: (h) => parseWwwAuthenticate(h),
      classified: () => false,
      check: (r) => {
        for (const c of r as ReturnType<typeof parseWwwAuthenticate>) {
          expect(typeof c.scheme).toBe('string');
          for (const v of Object.values(c.params)) expect(typeof v).toBe('string');
        }
      },
    });
  });
});
