// kubelet's docker-config credential matching (pkg/credentialprovider keyring): a key is normalised (scheme added,
// /v1 and /v2 suffixes stripped), the port must match exactly (none = none), host labels are compared one by one
// as globs with the same label count, and the key's path must be a prefix of the image path. Every match is tried.
import type { ImageReference } from '../core/reference.js';

export interface ParsedKey {
  key: string;
  host: string;
  port: string;
  path: string;
}

/** Normalises a docker config key like kubelet does; undefined when it cannot be parsed. */
export function parseKey(key: string): ParsedKey | undefined {
  let k = key.trim();
  if (!k) return undefined;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(k)) k = `https://${k}`;
  let u: URL;
  try {
    u = new URL(k);
  } catch {
    return undefined;
  }
  // Go's url.Parse refuses a malformed %-escape (kubelet then skips the key); a valid escape of non-UTF-8 bytes is kept.
  if (/%(?![0-9a-f]{2})/i.test(u.pathname)) return undefined;
  let path = Buffer.from(
    u.pathname.replace(/%([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  )
    .toString('utf8')
    .replace(/(?<!\/)\/+$/, '');
  path = path.replace(/\/v[12]$/, '');
  const host = u.hostname.toLowerCase();
  // Go's url.Parse keeps an explicit default port (":443" stays "443"); WHATWG URL drops it, so read it raw.
  const port = k.match(/^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(?:\[[^\]]*\]|[^/:?#]*):(\d+)/i)?.[1] ?? u.port;
  return { key, host, port, path: path.replace(/^\//, '') };
}

/** `*` = any run of characters, `?` = one character. Linear two-pointer match: a regex built from a hostile key
 * full of `*` backtracks exponentially (a pull secret key of ten `*` hung the check for minutes). */
function globLabel(pattern: string, label: string): boolean {
  let p = 0;
  let l = 0;
  let star = -1;
  let mark = 0;
  while (l < label.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === label[l])) {
      p++;
      l++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = l;
    } else if (star !== -1) {
      p = star + 1;
      l = ++mark;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

export type MatchFailure = 'port' | 'host' | 'path';

/** Does a docker config key apply to the image? On no, says why (for "wrong port" hints). */
export function keyMatches(
  key: string,
  image: Pick<ImageReference, 'domain' | 'path'>,
): { ok: true } | { ok: false; why: MatchFailure | 'unparseable' } {
  const k = parseKey(key);
  if (!k) return { ok: false, why: 'unparseable' };
  const domain = image.domain === 'docker.io' ? 'index.docker.io' : image.domain;
  const m = domain.match(/^(.*?)(?::(\d+))?$/)!;
  const imgHost = m[1]!.toLowerCase().replace(/^\[|\]$/g, '');
  const imgPort = m[2] ?? '';
  const keyHosts = k.host === 'docker.io' || k.host === 'registry-1.docker.io' ? 'index.docker.io' : k.host;
  const kl = keyHosts.split('.');
  const il = imgHost.split('.');
  const hostOk = kl.length === il.length && kl.every((p, i) => globLabel(p, il[i]!));
  if (!hostOk) return { ok: false, why: 'host' };
  if (k.port !== imgPort) return { ok: false, why: 'port' };
  if (k.path && !(`${image.path}/`.startsWith(`${k.path}/`) || image.path === k.path)) return { ok: false, why: 'path' };
  return { ok: true };
}

export interface DockerAuthEntry {
  key: string;
  username?: string;
  password?: string;
  auth?: string;
  identitytoken?: string;
}

export interface DockerConfigParse {
  entries: DockerAuthEntry[];
  /** Keys kubelet ignores (credHelpers, credsStore). */
  ignored: string[];
  error?: { message: string; line?: number; column?: number };
}

function lineCol(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  return { line, column: pos - before.lastIndexOf('\n') };
}

/** Parses config.json ({"auths": {...}}) or legacy .dockercfg ({key: {...}}). */
export function parseDockerConfig(text: string, legacy = false): DockerConfigParse {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const pos = Number(msg.match(/position (\d+)/)?.[1]);
    return { entries: [], ignored: [], error: { message: msg, ...(Number.isFinite(pos) ? lineCol(text, pos) : {}) } };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return { entries: [], ignored: [], error: { message: 'not a JSON object' } };
  const obj = doc as Record<string, unknown>;
  const ignored: string[] = [];
  if (!legacy) {
    if (obj.credHelpers) ignored.push(`credHelpers (${Object.keys(obj.credHelpers as object).join(', ')})`);
    if (obj.credsStore) ignored.push(`credsStore (${String(obj.credsStore)})`);
  }
  const auths = (legacy ? obj : obj.auths) as Record<string, unknown> | undefined;
  const entries: DockerAuthEntry[] = [];
  for (const [key, v] of Object.entries(auths ?? {})) {
    if (typeof v !== 'object' || v === null) continue;
    const e = v as Record<string, unknown>;
    const entry: DockerAuthEntry = { key };
    for (const f of ['username', 'password', 'auth', 'identitytoken'] as const)
      if (typeof e[f] === 'string' && e[f] !== '') entry[f] = e[f] as string;
    if (entry.auth && !entry.username) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i > 0) {
        entry.username = decoded.slice(0, i);
        entry.password = decoded.slice(i + 1);
      }
    }
    entries.push(entry);
  }
  return { entries, ignored };
}
