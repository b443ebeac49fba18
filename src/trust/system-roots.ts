// The trust pool Go builds on Linux (crypto/x509 root_linux.go + root_unix.go), read through the FsAdapter so a
// copied node tree (--root) is judged by its own bundle: the first existing bundle file, then every file in the
// certificate directories (SSL_CERT_FILE / SSL_CERT_DIR from the runtime's environment override both).
import type { FsAdapter } from '../adapters/fs.js';
import { parseAnyCertificates, type CertInfo } from '../x509/cert.js';

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

async function load(fs: FsAdapter, env: Readonly<Record<string, string | undefined>>): Promise<SystemRoots> {
  const seen = new Set<string>();
  const out: SystemRoots = { certs: [], dirs: [], errors: [] };
  const add = (data: Buffer, source: string) => {
    const { certs, errors } = parseAnyCertificates(data);
    for (const c of certs) {
      if (seen.has(c.sha256)) continue;
      seen.add(c.sha256);
      out.certs.push({ cert: c, source });
    }
    for (const e of errors.slice(0, 3)) out.errors.push(`${source}: ${e}`);
  };
  const files = env.SSL_CERT_FILE ? [env.SSL_CERT_FILE] : GO_CERT_FILES;
  for (const f of files) {
    try {
      add(await fs.readFile(f, 32 * 1024 * 1024), f);
      out.bundle = f;
      break;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') out.errors.push((err as Error).message);
    }
  }
  const dirs = env.SSL_CERT_DIR ? env.SSL_CERT_DIR.split(':').filter(Boolean) : GO_CERT_DIRS;
  for (const dir of dirs) {
    const names = (await fs.readdir(dir).catch(() => [])).slice(0, MAX_DIR_FILES);
    if (names.length === 0) continue;
    out.dirs.push(dir);
    // Go skips symlinks that point inside the same directory (hash links); reading them again is harmless here
    // because certificates are de-duplicated, but skipping the obvious hash links saves work.
    const wanted = names.filter((n) => !/^[0-9a-f]{8}\.\d+$/.test(n));
    await Promise.all(
      wanted.map(async (n) => {
        const path = `${dir}/${n}`;
        const st = await fs.stat(path).catch(() => undefined);
        if (!st?.isFile || st.size > 4 * 1024 * 1024) return;
        try {
          add(await fs.readFile(path, 4 * 1024 * 1024), path);
        } catch {
          // unreadable entries are skipped, as Go does
        }
      }),
    );
  }
  return out;
}

/** Test hook: forget cached pools. */
export function clearSystemRootsCache(): void {
  cache.clear();
}
