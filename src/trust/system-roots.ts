// The trust pool Go builds on Linux (crypto/x509 root_linux.go + root_unix.go), read through the FsAdapter so a
// copied node tree (--root) is judged by its own bundle: the first existing bundle file, then every file in the
// certificate directories (SSL_CERT_FILE / SSL_CERT_DIR from the runtime's environment override both).
import type { FsAdapter } from '../adapters/fs.js';
import { createHash } from 'node:crypto';
import { parseAnyCertificates, parseCertificate, toPem, type CertInfo, type DistinguishedName } from '../x509/cert.js';
import { readNode } from '../x509/asn1.js';
import { checkedSubject } from './cert-check.js';

export const GO_CERT_FILES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/pki/tls/cacert.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/cert.pem',
];
export const GO_CERT_DIRS = ['/etc/ssl/certs', '/etc/pki/tls/certs'];

export interface TrustedCert {
  cert: CertInfo;
  /** Where it comes from: a file path (bundle, directory entry, hosts.toml ca, legacy ca_file). */
  source: string;
}

export interface SystemRoots {
  certs: TrustedCert[];
  /** The bundle file used, if any. */
  bundle?: string;
  dirs: string[];
  errors: string[];
}

const MAX_DIR_FILES = 2000;
const MAX_CERTS = 5000;
const cache = new Map<string, Promise<SystemRoots>>();

/** Loads (once per fs root and environment) the roots Go would load. */
export function loadSystemRoots(fs: FsAdapter, env: Readonly<Record<string, string | undefined>> = {}): Promise<SystemRoots> {
  const key = `${fs.root}\u0000${env.SSL_CERT_FILE ?? ''}\u0000${env.SSL_CERT_DIR ?? ''}`;
  let p = cache.get(key);
  if (!p) {
    p = load(fs, env);
    cache.set(key, p);
  }
  return p;
}

/**
 * A root of the pool, parsed when first looked at. Go's AppendCertsFromPEM parses each block once to decide that it
 * enters the pool and keeps it by raw subject, parsing it again only when a verification reaches it
 * (crypto/x509/cert_pool.go addCertFunc + lazyCert). Here the decision is checkedSubject's (src/trust/cert-check.ts:
 * the parser's own checks without building anything), the subject's raw bytes, the DER, its SHA-256 (the pool's
 * de-duplication key, Go's is SHA-224) and the PEM text are at hand at once, and the rest of CertInfo is
 * parseCertificate's answer, built on first use. A diagnosis reads a handful of the ~150 roots: the chain's issuer.
 */
const LAZY_FIELDS = [
  'sha1',
  'version',
  'serial',
  'serialHex',
  'issuer',
  'notBefore',
  'notAfter',
  'signatureAlgorithm',
  'signatureAlgorithmOid',
  'signatureHash',
  'publicKey',
  'dnsNames',
  'ipAddresses',
  'emailAddresses',
  'uris',
  'hasSanExtension',
  'basicConstraintsValid',
  'isCA',
  'maxPathLen',
  'keyUsage',
  'keyUsagePresent',
  'extKeyUsage',
  'subjectKeyId',
  'authorityKeyId',
  'ocspServers',
  'issuingCertificateUrls',
  'nameConstraints',
  'unhandledCriticalExtensions',
  'selfIssued',
  'tbs',
  'signature',
] as const satisfies readonly (keyof CertInfo)[];
/** Every CertInfo field is either built at once or in LAZY_FIELDS (a new field fails to compile until placed). */
type Unplaced = Exclude<keyof CertInfo, (typeof LAZY_FIELDS)[number] | 'der' | 'pem' | 'sha256' | 'subject'>;
const allPlaced: [Unplaced] extends [never] ? true : never = true;
void allPlaced;

interface LazyState {
  der: Buffer;
  full?: CertInfo;
  pem?: string;
  sha256?: string;
}

/** Each pool root's state; the accessors below are shared by all of them (no closures per root). */
const lazyStates = new WeakMap<object, LazyState>();

function stateOf(o: object): LazyState {
  return lazyStates.get(o)!;
}

// checkedSubject accepted these bytes, so parseCertificate does too (test/trust/cert-check.test.ts)
const parsedOf = (st: LazyState): CertInfo => (st.full ??= parseCertificate(st.der));

const CERT_ACCESSORS: PropertyDescriptorMap = {
  pem: {
    enumerable: true,
    get(this: object) {
      const st = stateOf(this);
      return (st.pem ??= toPem(st.der));
    },
  },
  sha256: {
    enumerable: true,
    get(this: object) {
      const st = stateOf(this);
      return (st.sha256 ??= createHash('sha256').update(st.der).digest('hex'));
    },
  },
  ...Object.fromEntries(
    LAZY_FIELDS.map((k) => [
      k,
      {
        enumerable: true,
        get(this: object) {
          return parsedOf(stateOf(this))[k];
        },
      },
    ]),
  ),
};

const NAME_ACCESSORS: PropertyDescriptorMap = Object.fromEntries(
  (['display', 'commonName', 'organization'] as const).map((k) => [
    k,
    {
      enumerable: true,
      get(this: object) {
        return parsedOf(stateOf(this)).subject[k];
      },
    },
  ]),
);

function lazyCert(der: Buffer, subjectRaw: Buffer): CertInfo {
  const st: LazyState = { der };
  const subject = Object.defineProperties({ raw: subjectRaw }, NAME_ACCESSORS) as DistinguishedName;
  const cert = Object.defineProperties({ der, subject }, CERT_ACCESSORS) as CertInfo;
  lazyStates.set(subject, st);
  lazyStates.set(cert, st);
  return cert;
}

/** Blocks by their base64 body: a pool loaded again for another environment parses nothing twice. */
const parsedBlocks = new Map<string, CertInfo | Error>();

function parseBlock(body: string): CertInfo | Error {
  let r = parsedBlocks.get(body);
  if (r === undefined) {
    // parsePemBundle's steps for one block (an OpenSSL TRUSTED CERTIFICATE carries trust settings after it)
    try {
      const all = Buffer.from(body, 'base64');
      const der = all.subarray(0, readNode(all).end);
      const subject = checkedSubject(der);
      // refused: the parser says why, in its own words
      r = subject ? lazyCert(der, subject) : parseCertificate(der);
    } catch (err) {
      r = err as Error;
    }
    parsedBlocks.set(body, r);
  }
  return r;
}

/** File reads by root and path, shared by every pool loaded in this process (each starts at most once). */
const reads = new Map<string, Promise<Buffer>>();

function readOnce(fs: FsAdapter, file: string, maxBytes: number): Promise<Buffer> {
  const key = `${fs.root}\u0000${file}`;
  let p = reads.get(key);
  if (!p) {
    p = fs.readFile(file, maxBytes);
    p.catch(() => undefined);
    reads.set(key, p);
  }
  return p;
}

/** Several files through the same cache: in one pass when the adapter reads many at once (RootedFs on the live
 *  root), else a few at a time so they do not fill the I/O thread pool ahead of the critical path. */
async function readManyOnce(fs: FsAdapter, files: readonly string[], maxBytes: number): Promise<(Buffer | undefined)[]> {
  const todo = files.filter((f) => !reads.has(`${fs.root}\u0000${f}`));
  if (todo.length && fs.readFiles) {
    const got = await fs.readFiles(todo, maxBytes);
    todo.forEach((f, i) => {
      const key = `${fs.root}\u0000${f}`;
      const r = got[i]!;
      const p = r instanceof Error ? Promise.reject(r) : Promise.resolve(r);
      p.catch(() => undefined);
      if (!reads.has(key)) reads.set(key, p);
    });
  }
  return mapLimit(files, DIR_READS_IN_FLIGHT, (f) => readOnce(fs, f, maxBytes).catch(() => undefined));
}

const listings = new Map<string, Promise<string[]>>();

function readdirOnce(fs: FsAdapter, dir: string): Promise<string[]> {
  const key = `${fs.root}\u0000${dir}`;
  let p = listings.get(key);
  if (!p) {
    p = fs.readdir(dir).catch(() => []);
    listings.set(key, p);
  }
  return p;
}

const BEGIN_MARKERS = ['-----BEGIN CERTIFICATE-----', '-----BEGIN TRUSTED CERTIFICATE-----', '-----BEGIN X509 CERTIFICATE-----'].map((m) =>
  Buffer.from(m, 'latin1'),
);
const END_MARKERS = ['-----END CERTIFICATE-----', '-----END TRUSTED CERTIFICATE-----', '-----END X509 CERTIFICATE-----'].map((m) =>
  Buffer.from(m, 'latin1'),
);

function markerAt(data: Buffer, at: number, markers: Buffer[]): Buffer | undefined {
  return markers.find((m) => at + m.length <= data.length && data.compare(m, 0, m.length, at, at + m.length) === 0);
}

/**
 * The bodies of a bundle's PEM blocks as [start, end) offsets, found as parsePemBundle's expression finds them
 * (`-----BEGIN (TRUSTED |X509 )?CERTIFICATE-----` … the first `-----END (TRUSTED |X509 )?CERTIFICATE-----` after
 * it), on the bytes: no text of the whole file is built.
 */
export function* pemBodies(data: Buffer): Generator<[number, number]> {
  let from = 0;
  for (;;) {
    const at = data.indexOf('-----BEGIN ', from, 'latin1');
    if (at < 0) return;
    const begin = markerAt(data, at, BEGIN_MARKERS);
    if (!begin) {
      from = at + 1;
      continue;
    }
    const start = at + begin.length;
    let end = start;
    let endMarker: Buffer | undefined;
    for (;;) {
      end = data.indexOf('-----END ', end, 'latin1');
      if (end < 0) return;
      endMarker = markerAt(data, end, END_MARKERS);
      if (endMarker) break;
      end++;
    }
    yield [start, end];
    from = end + endMarker.length;
  }
}

class PoolBuilder {
  private readonly rawSeen = new Set<string>();
  private readonly verbatimSeen = new Set<string>();
  private readonly added = new WeakSet<Buffer>();
  private readonly seen = new Set<string>();
  readonly out: SystemRoots = { certs: [], dirs: [], errors: [] };

  /** Adds one file's certificates; a bundle's blocks are taken a slice at a time, giving the event loop a turn in
   *  between (the pool loads from t=0, beside the checks on the critical path). */
  async add(data: Buffer, source: string): Promise<void> {
    // the same read twice (the bundle is also an entry of /etc/ssl/certs): every block of it was seen already
    if (this.added.has(data)) return;
    this.added.add(data);
    if (data.indexOf('-----BEGIN', 0, 'latin1') < 0) {
      const key = data.toString('base64');
      if (this.rawSeen.has(key)) return;
      this.rawSeen.add(key);
      this.merge(parseAnyCertificates(data), source);
      return;
    }
    const certs: CertInfo[] = [];
    const errors: string[] = [];
    let index = 0;
    for (const [start, end] of pemBodies(data)) {
      if (++index % SLICE === 0) await yieldTurn();
      // a directory entry repeats a bundle block byte for byte (update-ca-certificates concatenates the files):
      // known as it stands, without cleaning it up first
      const verbatim = data.toString('latin1', start, end);
      if (this.verbatimSeen.has(verbatim)) continue;
      this.verbatimSeen.add(verbatim);
      const body = verbatim.replace(/[^A-Za-z0-9+/=]/g, '');
      if (this.rawSeen.has(body)) continue;
      this.rawSeen.add(body);
      if (this.rawSeen.size > MAX_CERTS) {
        errors.push(`more than ${MAX_CERTS} certificates; the rest were ignored`);
        break;
      }
      const parsed = parseBlock(body);
      if (parsed instanceof Error) errors.push(`certificate #${index}: ${parsed.message}`);
      else certs.push(parsed);
    }
    this.merge({ certs, errors }, source);
  }

  private merge({ certs, errors }: { certs: CertInfo[]; errors: string[] }, source: string): void {
    for (const c of certs) {
      if (this.seen.has(c.sha256)) continue;
      this.seen.add(c.sha256);
      this.out.certs.push({ cert: c, source });
    }
    for (const e of errors.slice(0, 3)) this.out.errors.push(`${source}: ${e}`);
  }
}

async function load(fs: FsAdapter, env: Readonly<Record<string, string | undefined>>): Promise<SystemRoots> {
  const pool = new PoolBuilder();
  const out = pool.out;
  const files = env.SSL_CERT_FILE ? [env.SSL_CERT_FILE] : GO_CERT_FILES;
  const dirs = env.SSL_CERT_DIR ? env.SSL_CERT_DIR.split(':').filter(Boolean) : GO_CERT_DIRS;
  // The bundle and the directory listings are read at once, then the directory entries (~150 small files on a Debian
  // node, nearly all copies of the bundle's roots: readManyOnce). Results are merged in Go's order (bundle first,
  // then the directories).
  const bundle = (async () => {
    for (const f of files) {
      try {
        return { file: f, data: await readOnce(fs, f, 32 * 1024 * 1024) };
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') out.errors.push((err as Error).message);
      }
    }
    return undefined;
  })();
  const dirReads = dirs.map(async (dir) => {
    const names = (await readdirOnce(fs, dir)).slice(0, MAX_DIR_FILES);
    // Go skips symlinks that point inside the same directory (hash links); reading them again is harmless here
    // because certificates are de-duplicated, but skipping the obvious hash links saves work.
    const wanted = names.filter((n) => !/^[0-9a-f]{8}\.\d+$/.test(n));
    const paths = wanted.map((n) => `${dir}/${n}`);
    // readFile refuses directories and files over the bound itself (EISDIR / EFBIG): no separate stat
    const datas = await readManyOnce(fs, paths, 4 * 1024 * 1024);
    const entries = paths.map((path, i) => (datas[i] ? { path, data: datas[i] } : undefined));
    return { dir, listed: names.length > 0, entries };
  });
  const b = await bundle;
  if (b) {
    await pool.add(b.data, b.file);
    out.bundle = b.file;
  }
  for (const d of await Promise.all(dirReads)) {
    if (!d.listed) continue;
    out.dirs.push(d.dir);
    // unreadable entries are skipped, as Go does
    let n = 0;
    for (const e of d.entries) {
      if (++n % SLICE === 0) await yieldTurn();
      if (e) await pool.add(e.data, e.path);
    }
  }
  return out;
}

/** Blocks (or directory files) handled between two turns of the event loop. */
const SLICE = 4;
const DIR_READS_IN_FLIGHT = 4;

const yieldTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** `fn` over `items` with at most `limit` calls in flight; results in the items' order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Test hook: forget cached pools. */
export function clearSystemRootsCache(): void {
  cache.clear();
  reads.clear();
  listings.clear();
  parsedBlocks.clear();
}
