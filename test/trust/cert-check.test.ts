// checkedSubject (src/trust/cert-check.ts) decides which blocks of the system bundle enter the pool without building a
// CertInfo: it must accept exactly what parseCertificate accepts, or a broken root would be counted (or a good one
// dropped). Compared here on the stored certificate seeds, certificates from the builder and mutations of them: random
// byte damage, and targeted damage to one element's content or tag (names' string types and bytes, times, extensions).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { children, readNode, type Node } from '../../src/x509/asn1.js';
import { parseCertificate, parsePemBundle } from '../../src/x509/cert.js';
import { createCA, issueCert, selfSigned } from '../../src/x509/build.js';
import { checkedSubject } from '../../src/trust/cert-check.js';
import { fuzz, mutateBytes, stopWatchdog, type Rng } from '../fuzz/mutate.js';

afterAll(stopWatchdog);

let SEEDS: Buffer[] = [];

beforeAll(() => {
  const pem = readFileSync(new URL('../fuzz/seeds/certs.pem', import.meta.url), 'utf8');
  const ca = createCA({ cn: 'Check Root', keyType: 'rsa' });
  const leaf = issueCert(ca, { cn: 'registry.test', dns: ['registry.test'], ips: ['10.0.0.1', '::1'] });
  SEEDS = [...parsePemBundle(pem).certs.map((c) => c.der), ca.der, leaf.der, selfSigned({ cn: 'self' }).der];
});

function nodes(der: Buffer): Node[] {
  const out: Node[] = [];
  const stack = [readNode(der)];
  while (stack.length && out.length < 5000) {
    const n = stack.pop()!;
    out.push(n);
    if (n.tag & 0x20) {
      try {
        stack.push(...children(n));
      } catch {
        // a damaged element: its children are not walked
      }
    }
  }
  return out;
}

const STRING_TAGS = [0x0c, 0x13, 0x14, 0x16, 0x12, 0x1e, 0x1c, 0x04, 0x17, 0x18, 0x02, 0x06];
const BYTES = [0x00, 0x20, 0x41, 0x7f, 0x80, 0xbf, 0xc3, 0xa9, 0xe0, 0xed, 0xa0, 0xf0, 0xf4, 0xf5, 0xff, 0x30, 0x5a];

/** One element's content rewritten in place (same length, so the DER stays well formed), or its tag changed. */
function targeted(rng: Rng, seeds: Buffer[]): Buffer {
  const der = Buffer.from(rng.pick(seeds));
  const leaves = nodes(der).filter((n) => !(n.tag & 0x20) && n.end > n.contentStart);
  const n = rng.pick(leaves);
  if (rng.range(0, 3) === 0) der[n.start] = rng.pick(STRING_TAGS);
  else for (let i = n.contentStart; i < n.end; i++) if (rng.range(0, 2) === 0) der[i] = rng.pick(BYTES);
  return der;
}

function verdicts(der: Buffer): { check: Buffer | undefined; parse: Buffer | undefined } {
  let parse: Buffer | undefined;
  try {
    parse = parseCertificate(der).subject.raw;
  } catch {
    parse = undefined;
  }
  return { check: checkedSubject(der), parse };
}

function same(der: Buffer): { accepted: boolean } {
  const v = verdicts(der);
  if (Boolean(v.check) !== Boolean(v.parse))
    throw new Error(`checkedSubject ${v.check ? 'accepts' : 'refuses'} what parseCertificate ${v.parse ? 'accepts' : 'refuses'}`);
  if (v.check && !v.check.equals(v.parse!)) throw new Error('subject bytes differ');
  return { accepted: Boolean(v.check) };
}

describe('checkedSubject', () => {
  it('accepts the seeds with parseCertificate’s subject bytes', () => {
    for (const d of SEEDS) expect(checkedSubject(d)).toEqual(parseCertificate(d).subject.raw);
  });

  it('agrees with parseCertificate on targeted damage (strings, times, OIDs, extensions)', async () => {
    let accepted = 0;
    const stats = await fuzz({
      name: 'trust.checkedSubject.targeted',
      iterations: 3000,
      generate: (rng) => targeted(rng, SEEDS),
      run: (d) => same(d),
      classified: () => false,
      check: (r) => {
        if ((r as { accepted: boolean }).accepted) accepted++;
      },
    });
    // both answers occur, or the comparison proves nothing
    expect(accepted).toBeGreaterThan(stats.iterations / 10);
    expect(accepted).toBeLessThan(stats.iterations * 0.9);
  });

  it('agrees with parseCertificate on random byte damage', async () => {
    await fuzz({
      name: 'trust.checkedSubject.bytes',
      iterations: 2000,
      generate: (rng) => mutateBytes(rng, SEEDS, { maxLength: 80 * 1024 }),
      run: (d) => same(d),
      classified: () => false,
    });
  });
});
