// The trust pool as Go loads it, loaded fast: raw-byte de-duplication before parsing, reads shared between pools of
// different environments, RSA key sizes read from DER (the same figure createPublicKey reports).
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RootedFs } from '../../src/adapters/fs.js';
import { clearSystemRootsCache, loadSystemRoots, pemBodies } from '../../src/trust/system-roots.js';
import { fuzz, mutateText, stopWatchdog } from '../fuzz/mutate.js';
import { parseCertificate, parsePemBundle, rsaModulusBits, toPem } from '../../src/x509/cert.js';
import { createCA, selfSigned } from '../../src/x509/build.js';

const roots: string[] = [];
afterEach(() => {
  clearSystemRootsCache();
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function tree(): string {
  const r = mkdtempSync(path.join(tmpdir(), 'regdoctor-roots-'));
  roots.push(r);
  return r;
}

describe('rsaModulusBits', () => {
  it('reports what createPublicKey reports, odd sizes included', () => {
    for (const bits of [1023, 1024, 2047, 2048, 3072]) {
      const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
      const spki = publicKey.export({ format: 'der', type: 'spki' });
      expect(rsaModulusBits(spki)).toBe(createPublicKey({ key: spki, format: 'der', type: 'spki' }).asymmetricKeyDetails?.modulusLength);
    }
  });

  it('refuses a key whose modulus is not a positive INTEGER', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const spki = Buffer.from(publicKey.export({ format: 'der', type: 'spki' }));
    // the modulus INTEGER starts right after its 0x02 0x81 0x81 header and a 0x00 sign byte: flip the sign byte
    const at = spki.indexOf(Buffer.from([0x02, 0x81, 0x81, 0x00]));
    expect(at).toBeGreaterThan(0);
    const negative = Buffer.from(spki);
    negative[at + 3] = 0x80;
    // Go's x509.parsePublicKey: "x509: RSA modulus is not a positive number" (OpenSSL itself accepts it)
    expect(rsaModulusBits(negative)).toBeUndefined();
  });

  it('gives the bits of a certificate key in the parsed pool', async () => {
    const r = tree();
    const rsa = createCA({ cn: 'RSA root', keyType: 'rsa' });
    mkdirSync(path.join(r, 'etc/ssl/certs'), { recursive: true });
    writeFileSync(path.join(r, 'etc/ssl/certs/ca-certificates.crt'), rsa.certPem);
    const pool = await loadSystemRoots(new RootedFs(r));
    expect(pool.certs[0]!.cert.publicKey).toMatchObject({ type: 'RSA', bits: 2048 });
  });
});

describe('loadSystemRoots', () => {
  it('parses each certificate once across the bundle and the directory, and keeps Go order and errors', async () => {
    const r = tree();
    const a = createCA({ cn: 'Root A' });
    const b = createCA({ cn: 'Root B' });
    const c = selfSigned({ cn: 'Dir only' });
    mkdirSync(path.join(r, 'etc/ssl/certs'), { recursive: true });
    mkdirSync(path.join(r, 'usr/share/ca'), { recursive: true });
    const junk = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    writeFileSync(path.join(r, 'etc/ssl/certs/ca-certificates.crt'), a.certPem + junk + b.certPem + a.certPem);
    // the Debian layout: per-root .pem links to the shared copies, hash links, and a DER file
    writeFileSync(path.join(r, 'usr/share/ca/a.crt'), a.certPem);
    symlinkSync('/usr/share/ca/a.crt', path.join(r, 'etc/ssl/certs/a.pem'));
    symlinkSync('a.pem', path.join(r, 'etc/ssl/certs/0a1b2c3d.0'));
    writeFileSync(path.join(r, 'etc/ssl/certs/c.der'), c.der);
    writeFileSync(path.join(r, 'etc/ssl/certs/c.pem'), c.certPem);
    mkdirSync(path.join(r, 'etc/ssl/certs/subdir'));
    const pool = await loadSystemRoots(new RootedFs(r));
    expect(pool.bundle).toBe('/etc/ssl/certs/ca-certificates.crt');
    expect(pool.dirs).toEqual(['/etc/ssl/certs']);
    expect(pool.certs.map((t) => [t.cert.subject.display, t.source])).toEqual([
      ['CN=Root A', '/etc/ssl/certs/ca-certificates.crt'],
      ['CN=Root B', '/etc/ssl/certs/ca-certificates.crt'],
      ['CN=Dir only', expect.stringMatching(/^\/etc\/ssl\/certs\/c\.(der|pem)$/)],
    ]);
    expect(pool.errors).toHaveLength(1);
    expect(pool.errors[0]).toMatch(/^\/etc\/ssl\/certs\/ca-certificates\.crt: certificate #2: /);
  });

  it('a second pool for another environment reuses the reads and parses, and is still its own pool', async () => {
    const r = tree();
    const a = createCA({ cn: 'Root A' });
    const b = createCA({ cn: 'Root B' });
    mkdirSync(path.join(r, 'etc/ssl/certs'), { recursive: true });
    mkdirSync(path.join(r, 'opt'), { recursive: true });
    writeFileSync(path.join(r, 'etc/ssl/certs/ca-certificates.crt'), a.certPem);
    writeFileSync(path.join(r, 'opt/own.pem'), b.certPem);
    const fs = new RootedFs(r);
    const first = await loadSystemRoots(fs, {});
    const own = await loadSystemRoots(fs, { SSL_CERT_FILE: '/opt/own.pem', SSL_CERT_DIR: '/nowhere' });
    const same = await loadSystemRoots(fs, { SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt', SSL_CERT_DIR: '/etc/ssl/certs' });
    expect(first.certs.map((t) => t.cert.subject.display)).toEqual(['CN=Root A']);
    expect(own.certs.map((t) => t.cert.subject.display)).toEqual(['CN=Root B']);
    expect(own.dirs).toEqual([]);
    // the same parsed object: nothing was parsed twice
    expect(same.certs[0]!.cert).toBe(first.certs[0]!.cert);
  });
});

describe('the pool parses lazily, as Go keeps its roots (issue 17)', () => {
  /** A certificate whose DER is well formed but whose subject CN is not UTF-8: Go (and parseCertificate) refuse it. */
  function badUtf8(): Buffer {
    const der = Buffer.from(selfSigned({ cn: 'Broken Utf8 Root' }).der);
    const at = der.indexOf(Buffer.from('Broken Utf8 Root'));
    expect(der[at - 2]).toBe(0x0c); // UTF8String
    der[at] = 0xff;
    return der;
  }

  it('a well-formed block that does not parse is neither counted nor used, and reports the parser’s reason', async () => {
    const r = tree();
    const good = createCA({ cn: 'Good Root' });
    const bad = badUtf8();
    const truncated = toPem(good.der.subarray(0, good.der.length - 10));
    mkdirSync(path.join(r, 'etc/ssl/certs'), { recursive: true });
    const text = toPem(bad) + good.certPem + truncated;
    writeFileSync(path.join(r, 'etc/ssl/certs/ca-certificates.crt'), text);
    const pool = await loadSystemRoots(new RootedFs(r));
    expect(pool.certs.map((t) => t.cert.subject.display)).toEqual(['CN=Good Root']);
    // the same reasons, numbered the same, as parsing every block
    const eager = parsePemBundle(text).errors;
    expect(eager).toHaveLength(2);
    expect(pool.errors).toEqual(eager.map((e) => `/etc/ssl/certs/ca-certificates.crt: ${e}`));
    expect(pool.errors[0]).toMatch(/certificate #1: .*UTF-8/);
  });

  it('a root reads exactly as parseCertificate reads it, spread or field by field', async () => {
    const r = tree();
    const ca = createCA({ cn: 'Lazy Root', keyType: 'rsa' });
    mkdirSync(path.join(r, 'etc/ssl/certs'), { recursive: true });
    writeFileSync(path.join(r, 'etc/ssl/certs/ca-certificates.crt'), ca.certPem);
    const pool = await loadSystemRoots(new RootedFs(r));
    const lazy = pool.certs[0]!.cert;
    const full = parseCertificate(ca.der);
    expect(lazy.subject.raw).toEqual(full.subject.raw);
    expect(lazy.sha256).toBe(full.sha256);
    expect(lazy.pem).toBe(full.pem);
    expect({ ...lazy, subject: { ...lazy.subject } }).toEqual({ ...full, subject: { ...full.subject } });
    // every field is there (the optional ones read undefined when the certificate has none, as parsed ones lack them)
    const defined = (o: object) =>
      Object.entries(o)
        .filter(([, v]) => v !== undefined)
        .map(([k]) => k)
        .sort();
    expect(defined(lazy)).toEqual(defined(full));
    expect(lazy.publicKey).toMatchObject({ type: 'RSA', bits: 2048 });
  });
});

describe('pemBodies', () => {
  afterAll(stopWatchdog);
  const REGEX = /-----BEGIN (?:TRUSTED |X509 )?CERTIFICATE-----([\s\S]*?)-----END (?:TRUSTED |X509 )?CERTIFICATE-----/g;
  const viaRegex = (text: string) => [...text.matchAll(REGEX)].map((m) => m[1]!);
  const viaBytes = (text: string) => {
    const b = Buffer.from(text, 'latin1');
    return [...pemBodies(b)].map(([s, e]) => b.toString('latin1', s, e));
  };
  const a = createCA({ cn: 'Pem A' }).certPem;
  const SEEDS = [
    a + a.replace(/CERTIFICATE/g, 'TRUSTED CERTIFICATE'),
    a.replace('-----END CERTIFICATE-----', '-----END X509 CERTIFICATE-----') + 'junk -----BEGIN PRIVATE KEY-----\n',
    '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CRL-----\n-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----',
    '-----BEGIN -----BEGIN CERTIFICATE-----x-----END -----END TRUSTED CERTIFICATE----- -----BEGIN X509 CERTIFICATE-----',
  ];

  it('finds the blocks parsePemBundle’s expression finds, on damaged bundles too', async () => {
    for (const t of SEEDS) expect(viaBytes(t)).toEqual(viaRegex(t));
    await fuzz({
      name: 'trust.pemBodies',
      iterations: 1500,
      generate: (rng) => mutateText(rng, SEEDS),
      run: (t) => {
        const text = Buffer.from(t, 'latin1').toString('latin1');
        const want = viaRegex(text);
        const got = viaBytes(text);
        if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`blocks differ: ${got.length} vs ${want.length}`);
        return got.length;
      },
      classified: () => false,
    });
  });
});

describe('RootedFs.readFiles (one pass over many small files)', () => {
  it('on the live root answers each path as readFile does: data, or the same error code', async () => {
    const r = tree();
    writeFileSync(path.join(r, 'a.pem'), 'AAA');
    writeFileSync(path.join(r, 'empty'), '');
    writeFileSync(path.join(r, 'big'), Buffer.alloc(5000, 1));
    mkdirSync(path.join(r, 'dir'));
    symlinkSync(path.join(r, 'a.pem'), path.join(r, 'link.pem'));
    const files = ['a.pem', 'empty', 'big', 'dir', 'missing', 'link.pem'].map((n) => path.join(r, n));
    const fs = new RootedFs('/');
    const many = await fs.readFiles(files, 4096);
    const one = await Promise.all(files.map((f) => fs.readFile(f, 4096).catch((e: { code: string }) => e)));
    expect(many.map((x) => (Buffer.isBuffer(x) ? x.toString('latin1') : x.code))).toEqual(
      one.map((x) => (Buffer.isBuffer(x) ? x.toString('latin1') : x.code)),
    );
    expect(many.map((x) => (Buffer.isBuffer(x) ? x.length : x.code))).toEqual([3, 0, 'EFBIG', 'EISDIR', 'ENOENT', 3]);
    // a FIFO with no writer would block a plain open(2) for ever: it is an error entry, at once
    execFileSync('mkfifo', [path.join(r, 'fifo')]);
    const [fifo] = await fs.readFiles([path.join(r, 'fifo')], 4096);
    expect(Buffer.isBuffer(fifo) ? 'data' : fifo!.code).toBe('EFTYPE');
    // a file that reports no size grows its buffer as readFile does
    const [proc] = await fs.readFiles(['/proc/self/status'], 1 << 20);
    expect(Buffer.isBuffer(proc) && proc.toString('utf8')).toMatch(/^Name:/);
  });

  it('a pool on the live root (SSL_CERT_FILE / SSL_CERT_DIR) reads its directory in one pass and keeps Go order', async () => {
    const r = tree();
    const a = createCA({ cn: 'Live A' });
    const b = createCA({ cn: 'Live B' });
    mkdirSync(path.join(r, 'certs'));
    writeFileSync(path.join(r, 'bundle.pem'), a.certPem);
    writeFileSync(path.join(r, 'certs/a.pem'), a.certPem);
    writeFileSync(path.join(r, 'certs/b.pem'), b.certPem);
    writeFileSync(path.join(r, 'certs/junk.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    mkdirSync(path.join(r, 'certs/sub'));
    const pool = await loadSystemRoots(new RootedFs('/'), {
      SSL_CERT_FILE: path.join(r, 'bundle.pem'),
      SSL_CERT_DIR: path.join(r, 'certs'),
    });
    expect(pool.certs.map((t) => [t.cert.subject.display, path.basename(t.source)])).toEqual([
      ['CN=Live A', 'bundle.pem'],
      ['CN=Live B', 'b.pem'],
    ]);
    expect(pool.errors).toEqual([expect.stringMatching(/junk\.pem: certificate #1: /)]);
  });
});

describe('RootedFs.readFile on files that report no size (procfs)', () => {
  it('reads them whole, bounded, without allocating the bound', async () => {
    const { readFileSync } = await import('node:fs');
    const fs = new RootedFs('/');
    const want = readFileSync('/proc/self/mountinfo');
    const got = await fs.readFile('/proc/self/mountinfo', 16 * 1024 * 1024);
    expect(got.length).toBeGreaterThan(0);
    // the same text (the reader's own mounts do not change between the two reads)
    expect(got.toString('utf8').split('\n')[0]).toBe(want.toString('utf8').split('\n')[0]);
    await expect(fs.readFile('/proc/self/mountinfo', 8)).rejects.toMatchObject({ code: 'EFBIG' });
  });
});
