// containerd's registry configuration for one target host, per containerd version: which config.toml table is
// actually read (v1 `plugins.cri`, v2 `plugins."io.containerd.grpc.v1.cri"`, v3 `plugins."io.containerd.cri.v1.images"`),
// imports, `config_path` and the hosts.toml (or docker-style certs.d directory) that applies, legacy
// mirrors/configs/auths, and every conflict or ignored setting with the log line containerd prints.
import { messageIn, msg, summaryOf, type Message } from '../i18n/index.js';
import { joinMessages } from '../i18n/node-join.js';
import { evidence, said } from '../i18n/evidence.js';
import { parse as parseToml } from 'smol-toml';
import type { FsAdapter } from '../adapters/fs.js';
import type { EffectiveEndpoint, EffectiveRegistryConfig, EndpointTls, LegacyAuthSummary } from '../core/runtime-config.js';
import type { FindingInput, RegistryHost } from '../core/types.js';
import { goHostPort, parseGoUrl, type GoUrl } from './go-url.js';
import { endpointFromUrl, isLoopbackHost, sourceOf, WALK_1_5_0, WALK_1_5_5, WALK_1_7_0, WALK_2_0_0, type WalkRules } from './endpoints.js';
import { isIP } from 'node:net';
import { posix } from 'node:path';
import { assertShallow } from '../text/nesting.js';
import { shellJoin } from '../text/shell.js';

export const CONFIG_FILE = '/etc/containerd/config.toml';

export interface Semver {
  major: number;
  minor: number;
  patch: number;
}

export function parseSemver(v: string | undefined): Semver | undefined {
  const m = v?.match(/(?<!\d)(\d+)\.(\d+)(?:\.(\d+))?/);
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) } : undefined;
}

export function gte(v: Semver, major: number, minor: number, patch = 0): boolean {
  return v.major !== major ? v.major > major : v.minor !== minor ? v.minor > minor : v.patch >= patch;
}

/** Version assumed when the runtime's version is unknown (stated in the facts). */
export const ASSUMED_CONTAINERD = '1.7.0';

export interface TomlProblem {
  file: string;
  message: string;
  line?: number;
  column?: number;
}

type Table = Record<string, unknown>;

function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function tomlProblem(file: string, err: unknown): TomlProblem {
  const e = err as { message?: string; line?: number; column?: number };
  const first = (e.message ?? String(err)).split('\n')[0]!.replace(/^Invalid TOML document: /, '');
  return { file, message: first, line: e.line, column: e.column };
}

function get(t: unknown, ...path: string[]): unknown {
  let cur = t;
  for (const p of path) {
    if (!isTable(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

// ------------------------------------------------------------------------------------------------ config.toml

export interface LoadedConfig {
  file: string;
  exists: boolean;
  /** Merged document (main file + imports, plugin sections replaced wholesale as containerd does). */
  doc: Table;
  /** The main file alone. */
  mainDoc?: Table;
  version: 1 | 2 | 3;
  imports: string[];
  problems: TomlProblem[];
  /** Plugin sections an imported file replaced wholesale (containerd 1.x does not merge inside a plugin section). */
  replaced: { plugin: string; by: string }[];
  /** Main file + imports as containerd 2.x merges them (mergo.Merge WithOverride: tables merged key by key, other
   *  values replaced — cmd/containerd/server/config/config.go mergeConfig, v2.0.0 L432-452). Absent when nothing
   *  was imported. Read through docFor(). */
  docMerged?: Table;
  /** Every file containerd reads, in its load order (config.toml, then imports breadth first, an import's own imports
   *  after it — LoadConfig's `pending` queue), each parsed alone: which one's value is in effect, and where an edit
   *  takes effect (registryEditFile, registryValueFiles). Absent for a configuration not read from files. */
  sources?: { file: string; doc: Table }[];
  /** mtime of the main file, for drift detection. */
  mtimeMs?: number;
}

/** One path element against a glob (`*` any run, `?` one character; names never hold `/`). A linear two-pointer
 * match: the regex it replaces backtracked exponentially on a pattern of many `*`, and a huge pattern was a
 * SyntaxError ("regular expression too large"). */
function globMatch(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let star = -1;
  let mark = 0;
  while (n < name.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === name[n])) {
      p++;
      n++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = n;
    } else if (star !== -1) {
      p = star + 1;
      n = ++mark;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

async function expandImport(fs: FsAdapter, baseDir: string, pattern: string): Promise<string[]> {
  const abs = pattern.startsWith('/') ? pattern : `${baseDir}/${pattern}`;
  if (!/[*?[]/.test(abs)) return [abs];
  const dir = abs.slice(0, abs.lastIndexOf('/')) || '/';
  const glob = abs.slice(abs.lastIndexOf('/') + 1);
  return (await fs.readdir(dir)).filter((n) => globMatch(glob, n)).map((n) => `${dir}/${n}`);
}

/** Reads config.toml and its imports. Never throws on content: problems are reported. */
export async function loadContainerdConfig(fs: FsAdapter, file = CONFIG_FILE): Promise<LoadedConfig> {
  const out: LoadedConfig = { file, exists: false, doc: {}, version: 1, imports: [], problems: [], replaced: [] };
  const st = await fs.stat(file).catch((err) => {
    out.problems.push({ file, message: (err as Error).message });
    // a path that is there but cannot be read (a link loop, no permission): containerd refuses to start on it
    // (LoadConfig's error is fatal unless the file does not exist), so it counts as present and invalid, not absent
    out.exists = true;
    return undefined;
  });
  if (!st) return out;
  out.exists = true;
  out.mtimeMs = st.mtimeMs;
  let main: Table;
  try {
    main = parseToml(await fs.readText(file, 4 * 1024 * 1024)) as Table;
    assertShallow(main);
  } catch (err) {
    out.problems.push(tomlProblem(file, err));
    return out;
  }
  out.doc = main;
  out.mainDoc = main;
  out.sources = [{ file, doc: main }];
  const v = main.version;
  out.version = v === 3 ? 3 : v === 2 ? 2 : 1;
  const importsOf = (doc: Table) => (Array.isArray(doc.imports) ? doc.imports.filter((x): x is string => typeof x === 'string') : []);
  const dirOf = (f: string) => f.slice(0, f.lastIndexOf('/')) || '/';
  const merged: Table = { ...main, plugins: isTable(main.plugins) ? { ...main.plugins } : {} };
  let deep: Table | undefined;
  // containerd's LoadConfig (services/server/config/config.go v1.7.0 L188-222; cmd/containerd/server/config/config.go
  // v2.1.4 LoadConfig): a queue — each file's imports (relative to that file's directory, globs sorted) are appended
  // after the files already pending, and a file already loaded is skipped
  const pending: { pattern: string; baseDir: string }[] = importsOf(main).map((pattern) => ({ pattern, baseDir: dirOf(file) }));
  while (pending.length && out.imports.length < 256) {
    const { pattern, baseDir } = pending.shift()!;
    for (const path of (await expandImport(fs, baseDir, pattern)).sort()) {
      if (path === file || out.imports.includes(path)) continue;
      out.imports.push(path);
      try {
        const imp = parseToml(await fs.readText(path, 4 * 1024 * 1024)) as Table;
        assertShallow(imp);
        out.sources.push({ file: path, doc: imp });
        pending.push(...importsOf(imp).map((p) => ({ pattern: p, baseDir: dirOf(path) })));
        if (isTable(imp.plugins)) {
          for (const [k, val] of Object.entries(imp.plugins)) {
            if ((merged.plugins as Table)[k] !== undefined) out.replaced.push({ plugin: k, by: path });
            (merged.plugins as Table)[k] = val;
          }
        }
        for (const [k, val] of Object.entries(imp)) if (k !== 'plugins' && k !== 'imports' && k !== 'version') merged[k] = val;
        const { imports: _i, version: _v, ...rest } = imp;
        deep = mergeLikeMergo(deep ?? structuredClone(main), rest);
      } catch (err) {
        out.problems.push(tomlProblem(path, err));
      }
    }
  }
  out.doc = merged;
  if (deep) out.docMerged = deep;
  return out;
}

/** mergo.Merge(to, from, WithOverride) over TOML tables (see docMerged): inside a map, a nested table is merged key by
 *  key and any other value — an array or a scalar, even an empty one — replaces the existing one (mergo deepMerge,
 *  reflect.Map case; containerd's slice transformer only applies to the typed top-level slices). */
function mergeLikeMergo(to: Table, from: Table): Table {
  for (const [k, src] of Object.entries(from)) {
    const dst = to[k];
    if (isTable(dst) && isTable(src)) mergeLikeMergo(dst, src);
    else to[k] = structuredClone(src);
  }
  return to;
}

/** The configuration containerd `v` runs with: 1.x replaces plugin sections wholesale, 2.x merges them. */
function docFor(loaded: LoadedConfig, v: Semver): Table {
  return gte(v, 2, 0) && loaded.docMerged ? loaded.docMerged : loaded.doc;
}

// ------------------------------------------------------------------------------------------------ hosts.toml

export interface HostDirInfo {
  dir: string;
  /** Present when the directory has a hosts.toml. */
  hostsToml?: { path: string; doc?: Table; problem?: TomlProblem };
  files: string[];
}

/**
 * How each containerd version reads certs.d — the one table of these rules (the fix planner reads it too). Each row
 * holds from its version on, until the next row; the comment names the containerd source the row follows and the lab
 * case (test/e2e/runtime-truth.e2e.test.ts, measured on 1.6.20) that proves it.
 */
export interface HostsTomlRules {
  from: Semver;
  /** `_default` is tried after the host's own directories. */
  defaultDir: boolean;
  /** The file decodes only with at least one [host."…"] table (else "invalid `host` tree" and the Docker-style fallback). */
  needsHostTable: boolean;
  /** Keys containerd decodes, at the root and inside [host."…"] (anything else is silently ignored). */
  rootKeys: readonly string[];
  hostKeys: readonly string[];
  /** `capabilities` values parseHostConfig accepts (compared lower-cased); any other fails the file ("unknown capability"). */
  capabilities: readonly string[];
  /** How the resolver walks the hosts (errors kept, status text, redirects, dial timeout): WalkRules in
   *  src/runtime/endpoints.ts, with its sources. Lab: test/e2e/runtime-truth-walk.e2e.test.ts. */
  walk: WalkRules;
}

const HOST_KEYS = ['capabilities', 'ca', 'client', 'skip_verify', 'header', 'override_path'] as const;
/** parseHostConfig's capability names from 1.5 (strings.ToLower(c): "pull", "resolve", "push"). */
const CAPS_1_5 = ['pull', 'resolve', 'push'] as const;

export const HOSTS_TOML_RULES: readonly HostsTomlRules[] = [
  // 1.5.0: remotes/docker/config/config_unix.go hostPaths = [hostDirectory(host) if it differs ("h:p" → "h_p_"),
  //   host]; hosts.go loadHostDir: no/empty hosts.toml → loadCertFiles (Docker-style *.crt, *.cert + *.key), a decode
  //   error → log "failed to decode hosts.toml" and loadCertFiles; parseHostsFile (go-toml v1) → getSortedHosts
  //   returns "invalid `host` tree" without a [host] table; hostFileConfig: capabilities, ca, client, skip_verify,
  //   header, override_path (+ server, host at the root); go-toml v1 Unmarshal ignores unknown keys.
  //   ConfigureHosts reads every host's ca/client files before any request ("unable to read CA cert %q: %w").
  //   Lab (test/e2e/runtime-truth.e2e.test.ts, containerd 1.6.20): 1 (directory names), 2a/2b (no [host] table →
  //   Docker-style fallback), 3 (unknown key), 4 (unreadable ca).
  {
    from: { major: 1, minor: 5, patch: 0 },
    defaultDir: false,
    needsHostTable: true,
    rootKeys: ['server', 'host', ...HOST_KEYS],
    hostKeys: HOST_KEYS,
    capabilities: CAPS_1_5,
    walk: WALK_1_5_0,
  },
  // 1.5.5: resolver.go keeps the first non-404 error and tries the next host (:300), its own CheckRedirect
  //   re-authorizes each redirect (:561). Lab: runtime-truth-walk 8 (404 then the server entry's x509 error), 12.
  {
    from: { major: 1, minor: 5, patch: 5 },
    defaultDir: false,
    needsHostTable: true,
    rootKeys: ['server', 'host', ...HOST_KEYS],
    hostKeys: HOST_KEYS,
    capabilities: CAPS_1_5,
    walk: WALK_1_5_5,
  },
  // 1.6.17 (and 1.7.0): config_unix.go hostPaths appends filepath.Join(root, "_default"). Same decoder (v1.6.39,
  //   v1.7.34 still return "invalid `host` tree").
  {
    from: { major: 1, minor: 6, patch: 17 },
    defaultDir: true,
    needsHostTable: true,
    rootKeys: ['server', 'host', ...HOST_KEYS],
    hostKeys: HOST_KEYS,
    capabilities: CAPS_1_5,
    walk: WALK_1_5_5,
  },
  // 1.7.0: a status error reads `unexpected status from HEAD request to <url>: <status>` (resolver.go:306 →
  //   remotes/errors/errors.go:36).
  {
    from: { major: 1, minor: 7, patch: 0 },
    defaultDir: true,
    needsHostTable: true,
    rootKeys: ['server', 'host', ...HOST_KEYS],
    hostKeys: HOST_KEYS,
    capabilities: CAPS_1_5,
    walk: WALK_1_7_0,
  },
  // 2.0.0: core/remotes/docker/config/hosts.go parseHostsFile uses go-toml/v2; getSortedHosts walks table headers
  //   (no [host] table needed); loadHostDir keeps the Docker-style fallback on a decode error.
  {
    from: { major: 2, minor: 0, patch: 0 },
    defaultDir: true,
    needsHostTable: false,
    rootKeys: ['server', 'host', ...HOST_KEYS],
    hostKeys: HOST_KEYS,
    capabilities: CAPS_1_5,
    // resolver.go:312-337 ranks errors (status > not found > transport): a 404 behind a [host] table now reads
    //   "not found" even when the server entry fails TLS.
    walk: WALK_2_0_0,
  },
  // 2.1.0: hostFileConfig gains dial_timeout.
  {
    from: { major: 2, minor: 1, patch: 0 },
    defaultDir: true,
    needsHostTable: false,
    rootKeys: ['server', 'host', ...HOST_KEYS, 'dial_timeout'],
    hostKeys: [...HOST_KEYS, 'dial_timeout'],
    capabilities: CAPS_1_5,
    walk: WALK_2_0_0,
  },
  // 2.2.0: parseHostConfig accepts the `referrers` capability (core/remotes/docker/config/hosts.go v2.2.0 L461,
  //   HostCapabilityReferrers; absent in v2.1.0), and a host without `capabilities` gets it too.
  {
    from: { major: 2, minor: 2, patch: 0 },
    defaultDir: true,
    needsHostTable: false,
    rootKeys: ['server', 'host', ...HOST_KEYS, 'dial_timeout'],
    hostKeys: [...HOST_KEYS, 'dial_timeout'],
    capabilities: [...CAPS_1_5, 'referrers'],
    walk: WALK_2_0_0,
  },
];

/**
 * What the CRI plugin does with config.toml's registry table, per containerd version — the sibling of
 * HOSTS_TOML_RULES (read the same way: a row holds from its version until the next). Each row names the containerd
 * source it follows and the lab case (test/e2e/runtime-truth-config.e2e.test.ts, measured on 1.6.20) that proves it.
 */
export interface CriRegistryRules {
  from: Semver;
  /** `mirrors` together with config_path: the CRI plugin refuses its config and does not load. */
  mirrorsWithConfigPath: 'fatal';
  /** `configs."h".tls` together with config_path: the plugin does not load (fatal), or the table is ignored. */
  configsTlsWithConfigPath: 'fatal' | 'ignored';
  /** `configs."h".auth` (and `auths`) is sent for host h when kubelet sends no credentials — also with config_path. */
  legacyAuthWithConfigPath: boolean;
  /** What every CRI image call answers while the CRI plugin is not loaded (its gRPC service is never registered). */
  pluginNotLoadedError: string;
}

export const CRI_REGISTRY_RULES: readonly CriRegistryRules[] = [
  // 1.5.0: pkg/cri/config/config.go ValidatePluginConfig returns "`mirrors` cannot be set when `config_path` is
  //   provided" and "`configs.tls` cannot be set when `config_path` is provided" (v1.5.0 L366, L379; v1.6.20 L402,
  //   L415; v1.7.0 L468, L481); services/server/server.go logs "failed to load plugin %s" and carries on without it
  //   (v1.6.20 L253), so gRPC answers every runtime.v1 call with "unknown service" (code Unimplemented).
  //   pkg/cri/server/image_pull.go registryHosts: with config_path, hostOptions.Credentials uses the request's auth,
  //   else c.config.Registry.Configs[host].Auth (v1.5.0 L337-346, v1.6.20 L339-348, v1.7.0 L388-397); `auths` are
  //   folded into Configs[u.Host] at load (v1.6.20 config.go L421-438).
  //   Lab: 5 (configs auth with config_path, wrong password → 401), 6 (configs.tls / mirrors + config_path →
  //   "unknown service runtime.v1.ImageService").
  {
    from: { major: 1, minor: 5, patch: 0 },
    mirrorsWithConfigPath: 'fatal',
    configsTlsWithConfigPath: 'fatal',
    legacyAuthWithConfigPath: true,
    pluginNotLoadedError: 'unknown service runtime.v1.ImageService',
  },
  // 2.0.0: internal/cri/config/config.go ValidateImageConfig keeps "`mirrors` cannot be set…" (v2.0.0 L468-471);
  //   RegistryConfig has only Auth (L238-241): a `tls` table is dropped ("Ignoring unknown key"); the images plugin
  //   failing takes the CRI gRPC plugin (which depends on it) down with it (not measured here).
  //   internal/cri/server/images/image_pull.go: credentials fall back to Configs[host].Auth (v2.0.0 L102-111).
  {
    from: { major: 2, minor: 0, patch: 0 },
    mirrorsWithConfigPath: 'fatal',
    configsTlsWithConfigPath: 'ignored',
    legacyAuthWithConfigPath: true,
    pluginNotLoadedError: 'unknown service runtime.v1.ImageService',
  },
];

/** The row of CRI_REGISTRY_RULES that applies to a containerd version. */
export function criRegistryRules(v: Semver): CriRegistryRules {
  let row = CRI_REGISTRY_RULES[0]!;
  for (const r of CRI_REGISTRY_RULES) if (gte(v, r.from.major, r.from.minor, r.from.patch)) row = r;
  return row;
}

/** The row of HOSTS_TOML_RULES that applies to a containerd version. */
export function hostsTomlRules(v: Semver): HostsTomlRules {
  let row = HOSTS_TOML_RULES[0]!;
  for (const r of HOSTS_TOML_RULES) if (gte(v, r.from.major, r.from.minor, r.from.patch)) row = r;
  return row;
}

/** Does this containerd version need at least one [host."…"] table for a hosts.toml to decode? Unknown → yes. */
export function needsHostTable(version: string | Semver | undefined): boolean {
  const v = typeof version === 'string' || version === undefined ? parseSemver(version) : version;
  return v ? hostsTomlRules(v).needsHostTable : true;
}

/** Directory names containerd tries for a host, in order (hostPaths: hostDirectory(host) when it differs, host, _default). */
export function hostDirNames(host: string, v: Semver): string[] {
  const names: string[] = [];
  const idx = host.lastIndexOf(':');
  if (idx > 0) names.push(`${host.slice(0, idx)}_${host.slice(idx + 1)}_`);
  names.push(host);
  if (hostsTomlRules(v).defaultDir) names.push('_default');
  return names;
}

/** Directory names people write for a host that containerd never reads for it: the host without its port, or with
 *  the default port spelt out (measured on 1.6.20: certs.d/h/ is not read for h:5101, certs.d/h:443/ not for h). */
export function strayHostDirNames(host: string): string[] {
  const m = host.match(/^(.+):(\d+)$/);
  if (m && !m[1]!.endsWith(':')) return [m[1]!];
  return [`${host}:443`, `${host}_443_`];
}

/** A host directory as containerd reads it: its files, and its hosts.toml parsed (or why it does not parse). */
export async function readHostDir(fs: FsAdapter, dir: string): Promise<HostDirInfo> {
  const files = await fs.readdir(dir);
  const info: HostDirInfo = { dir, files };
  if (files.includes('hosts.toml')) {
    const path = `${dir}/hosts.toml`;
    const text = await fs.readText(path, 1024 * 1024).catch(() => '');
    // An empty hosts.toml counts as none (loadHostDir: len(b) == 0 → Docker-style files).
    if (text.length === 0) return info;
    try {
      const doc = parseToml(text) as Table;
      assertShallow(doc);
      info.hostsToml = { path, doc };
    } catch (err) {
      info.hostsToml = { path, problem: tomlProblem(path, err) };
    }
  }
  return info;
}

export async function findHostDir(fs: FsAdapter, roots: string[], host: string, v: Semver): Promise<HostDirInfo | undefined> {
  for (const root of roots) {
    for (const name of hostDirNames(host, v)) {
      const dir = `${root.replace(/(?<!\/)\/+$/, '')}/${name}`;
      const st = await fs.stat(dir).catch(() => undefined);
      if (!st?.isDirectory) continue;
      return readHostDir(fs, dir);
    }
  }
  return undefined;
}

/** Directories under the roots that people name for this host but containerd never reads (strayHostDirNames). */
export async function findStrayHostDirs(fs: FsAdapter, roots: string[], host: string): Promise<HostDirInfo[]> {
  const out: HostDirInfo[] = [];
  for (const root of roots) {
    for (const name of strayHostDirNames(host)) {
      const dir = `${root.replace(/(?<!\/)\/+$/, '')}/${name}`;
      const st = await fs.stat(dir).catch(() => undefined);
      if (st?.isDirectory) out.push(await readHostDir(fs, dir));
    }
  }
  return out;
}

function asList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** Go's path.Clean for an absolute or empty URL path ("" stays ""): dot segments and repeated slashes removed. */
function goPathClean(p: string): string {
  if (p === '') return '';
  const c = posix.normalize(p).replace(/(?<!\/)\/+$/, '');
  return c === '' ? '/' : c.replace(/^\/\/+/, '/');
}

/** Go's makeAbsPath: an absolute path as written, a relative one filepath.Join'ed (cleaned) onto the host directory. */
export function hostsPath(p: string, dir: string): string {
  if (p.startsWith('/')) return p;
  const joined = posix.join(dir, p);
  return joined.length > 1 ? joined.replace(/(?<!\/)\/+$/, '') : joined;
}

function clientPairs(v: unknown, dir: string): { cert: string; key?: string }[] {
  const rel = (p: string) => hostsPath(p, dir);
  if (typeof v === 'string') return [{ cert: rel(v) }];
  if (!Array.isArray(v)) return [];
  return v.flatMap((x) => {
    if (typeof x === 'string') return [{ cert: rel(x) }];
    if (Array.isArray(x) && typeof x[0] === 'string') return [{ cert: rel(x[0]), key: typeof x[1] === 'string' ? rel(x[1]) : undefined }];
    return [];
  });
}

function headersOf(v: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!isTable(v)) return out;
  for (const [k, val] of Object.entries(v)) out[k] = asList(val);
  return out;
}

const CAPS = new Set(['pull', 'resolve', 'push']);

/** A hosts.toml whose `server` or `[host."…"]` key is not a URL: the file cannot configure the host. */
export class HostsTomlError extends Error {
  override name = 'HostsTomlError';
  /** The English message as a catalogue message (rendered in the reader's language). */
  readonly reason: Message;
  constructor(reason: Message) {
    super(messageIn('en', reason));
    this.reason = reason;
  }
}

function hostEntry(url: string, t: Table, dir: string, source: string, isServer: boolean, v: Semver): EffectiveEndpoint {
  // parseHostConfig (remotes/docker/config/hosts.go): a value not starting with "http" (case-sensitive) gets
  // https://, then Go's url.Parse — not WHATWG's URL, which lower-cases and accepts or rejects other forms
  const withScheme = url.startsWith('http') ? url : `https://${url}`;
  let g: GoUrl;
  try {
    g = parseGoUrl(withScheme);
  } catch (err) {
    throw new HostsTomlError(
      msg(isServer ? 'node.hosts.badServerUrl' : 'node.hosts.badHostUrl', { url: JSON.stringify(url), why: (err as Error).message }),
    );
  }
  // an empty host name (`https://:5000`): Go dials the local machine and, for https, has no name to verify
  if ((g.scheme !== 'http' && g.scheme !== 'https') || goHostPort(g.host).hostname === '')
    throw new HostsTomlError(
      msg(isServer ? 'node.hosts.badServerUrl' : 'node.hosts.badHostUrl', {
        url: JSON.stringify(url),
        why: msg('node.hosts.goReads', { scheme: g.scheme, host: g.host }),
      }),
    );
  const u = { protocol: `${g.scheme}:`, host: g.host, port: goHostPort(g.host).port, pathname: g.path };
  // parseHostConfig: a path is path.Clean'ed and gets /v2 appended unless it ends so or override_path is set; no path
  // is /v2, or nothing with override_path. dockerBase.request path.Join's it with the repository: "//v2" is /v2, and
  // an empty or "/" root means requests to /<repo>/… (the base URL then carries no path).
  let path = goPathClean(u.pathname);
  if (!path.endsWith('/v2') && t.override_path !== true) path = `${path}/v2`;
  path = goPathClean(path || '/').replace(/^\/$/, '');
  const ca = asList(t.ca).map((p) => hostsPath(p, dir));
  const tls: EndpointTls = { caFiles: ca, clientPairs: clientPairs(t.client, dir), skipVerify: t.skip_verify === true };
  const hasTlsSettings = t.ca !== undefined || t.client !== undefined || t.skip_verify !== undefined;
  const httpFallback =
    u.protocol === 'http:' &&
    hasTlsSettings &&
    u.port !== '80' &&
    (gte(v, 2, 0) || (v.major === 1 && v.minor === 7 && v.patch >= 7) || (v.major === 1 && v.minor === 6 && v.patch >= 25));
  // compared lower-cased, as parseHostConfig does (`Pull` is pull); `referrers` (2.2+) is not a pull-path capability
  const caps = Array.isArray(t.capabilities)
    ? ([...new Set(t.capabilities.filter((c): c is string => typeof c === 'string').map((c) => c.toLowerCase()))].filter((c) =>
        CAPS.has(c),
      ) as EffectiveEndpoint['capabilities'])
    : (['pull', 'resolve', 'push'] as EffectiveEndpoint['capabilities']);
  const ep = endpointFromUrl(`${u.protocol}//${u.host}${path}`, {
    capabilities: caps,
    tls,
    headers: headersOf(t.header),
    source,
    isServer,
    httpFallback,
  });
  return path === '' ? { ...ep, url: `${ep.scheme}://${ep.host}` } : ep;
}

const TYPE_NAME = (v: unknown): string => (Array.isArray(v) ? 'array' : isTable(v) ? 'table' : v instanceof Date ? 'datetime' : typeof v);

/** One host entry as parseHostConfig (and go-toml's Unmarshal into hostFileConfig) accepts it, or the reason it fails. */
function hostEntryProblem(t: Table, where: string, caps: readonly string[]): string | undefined {
  const isStr = (x: unknown) => typeof x === 'string';
  if (t.capabilities !== undefined) {
    if (!Array.isArray(t.capabilities) || !t.capabilities.every(isStr))
      return `${where}capabilities is a ${TYPE_NAME(t.capabilities)}, not a list of strings`;
    const bad = t.capabilities.find((c) => !caps.includes(String(c).toLowerCase()));
    if (bad !== undefined) return `unknown capability ${String(bad)}`;
  }
  if (t.skip_verify !== undefined && typeof t.skip_verify !== 'boolean')
    return `${where}skip_verify is a ${TYPE_NAME(t.skip_verify)}, not a boolean`;
  if (t.override_path !== undefined && typeof t.override_path !== 'boolean')
    return `${where}override_path is a ${TYPE_NAME(t.override_path)}, not a boolean`;
  if (t.ca !== undefined && !isStr(t.ca) && !(Array.isArray(t.ca) && t.ca.every(isStr)))
    return `invalid type for "ca" (${TYPE_NAME(t.ca)})`;
  if (t.client !== undefined) {
    const ok =
      isStr(t.client) ||
      (Array.isArray(t.client) && t.client.every((x) => isStr(x) || (Array.isArray(x) && x.length === 2 && x.every(isStr))));
    if (!ok) return `invalid type or pair for "client"`;
  }
  if (t.header !== undefined) {
    if (!isTable(t.header)) return `${where}header is a ${TYPE_NAME(t.header)}, not a table`;
    for (const [k, v] of Object.entries(t.header))
      if (!isStr(v) && !(Array.isArray(v) && v.every(isStr))) return `invalid type for header "${k}"`;
  }
  return undefined;
}

/**
 * Whether containerd `v` decodes this hosts.toml, and if not why (parseHostsFile + parseHostConfig). A file that does
 * not decode is ignored: containerd falls back to the directory's Docker-style files and https://host.
 */
export function hostsTomlDecodeProblem(doc: Table, v: Semver): string | undefined {
  const rules = hostsTomlRules(v);
  if (doc.host !== undefined && !isTable(doc.host)) return 'invalid `host` tree';
  if (rules.needsHostTable && !isTable(doc.host)) return 'invalid `host` tree';
  if (doc.server !== undefined && typeof doc.server !== 'string') return `server is a ${TYPE_NAME(doc.server)}, not a string`;
  for (const [url, t] of Object.entries(isTable(doc.host) ? doc.host : {})) {
    if (!isTable(t)) return `host."${url}" is a ${TYPE_NAME(t)}, not a table`;
    const p = hostEntryProblem(t, `host."${url}".`, rules.capabilities);
    if (p) return p;
  }
  return hostEntryProblem(doc, '', rules.capabilities);
}

/** Keys a near-miss most likely meant (the config.toml / Docker spellings people carry over). */
const INTENDED_KEY: Record<string, string> = {
  insecure_skip_verify: 'skip_verify',
  insecure: 'skip_verify',
  skip_tls_verify: 'skip_verify',
  skipverify: 'skip_verify',
  ca_file: 'ca',
  ca_cert: 'ca',
  cacert: 'ca',
  cert_file: 'client',
  key_file: 'client',
  capability: 'capabilities',
  headers: 'header',
  endpoint: 'server',
  hosts: 'host',
};

export interface UnknownHostsKey {
  /** Where: "" for the root, else `host."<url>"`. */
  table: string;
  key: string;
  intended?: string;
}

/** Every key containerd `v` does not decode in this hosts.toml (silently ignored), with the key meant when obvious. */
export function unknownHostsTomlKeys(doc: Table, v: Semver): UnknownHostsKey[] {
  const rules = hostsTomlRules(v);
  const out: UnknownHostsKey[] = [];
  const scan = (t: Table, known: readonly string[], table: string) => {
    for (const key of Object.keys(t)) {
      if (known.includes(key)) continue;
      const guess = INTENDED_KEY[key.toLowerCase()] ?? known.find((k) => k === key.toLowerCase().replace(/-/g, '_'));
      out.push({ table, key, intended: guess && known.includes(guess) ? guess : undefined });
    }
  };
  scan(doc, rules.rootKeys, '');
  for (const [url, t] of Object.entries(isTable(doc.host) ? doc.host : {})) if (isTable(t)) scan(t, rules.hostKeys, `host."${url}"`);
  return out;
}

/** The document as its author meant it: every unknown key with an obvious intended key renamed to that key. */
export function withIntendedKeys(doc: Table, unknown: UnknownHostsKey[]): Table | undefined {
  const fixable = unknown.filter((u) => u.intended && u.intended !== 'client' && u.intended !== 'host');
  if (!fixable.length) return undefined;
  const copy = structuredClone(doc) as Table;
  for (const u of fixable) {
    const t = u.table === '' ? copy : ((copy.host as Table)[u.table.slice(6, -1)] as Table);
    if (t[u.intended!] === undefined) t[u.intended!] = t[u.key];
    delete t[u.key];
  }
  return copy;
}

/** hosts.toml semantics: [host."..."] tables in file order, then the server (root-level settings). */
export function endpointsFromHostsToml(doc: Table, dir: string, path: string, registry: RegistryHost, v: Semver): EffectiveEndpoint[] {
  const out: EffectiveEndpoint[] = [];
  const hosts = isTable(doc.host) ? doc.host : {};
  for (const [url, t] of Object.entries(hosts)) {
    if (!isTable(t)) continue;
    out.push(hostEntry(url, t, dir, `${path} [host."${url}"]`, false, v));
  }
  const serverUrl = typeof doc.server === 'string' ? doc.server : `https://${registry.apiHost}`;
  // The server is always tried last, with the root-level settings only — even when a [host."<same url>"] table
  // exists (measured on containerd 1.6.20: the two are separate hosts; the table's `ca` does not apply to `server`).
  out.push(hostEntry(serverUrl, doc, dir, `${path} server`, true, v));
  return out;
}

/** A certs.d directory without hosts.toml: docker-style files (*.crt CA, *.cert + *.key client pairs). */
export function endpointFromDockerDir(info: HostDirInfo, registry: RegistryHost): EffectiveEndpoint {
  const caFiles = info.files.filter((f) => f.endsWith('.crt')).map((f) => `${info.dir}/${f}`);
  const clientPairs = info.files
    .filter((f) => f.endsWith('.cert'))
    .map((f) => ({
      cert: `${info.dir}/${f}`,
      key: info.files.includes(f.replace(/\.cert$/, '.key')) ? `${info.dir}/${f.replace(/\.cert$/, '.key')}` : undefined,
    }));
  return endpointFromUrl(`https://${registry.apiHost}/v2`, {
    tls: { caFiles, clientPairs, skipVerify: false },
    ...sourceOf('evidence.source.dockerDir', { dir: info.dir }),
    isServer: true,
  });
}

// ------------------------------------------------------------------------------------------------ resolution

export interface RegistrySection {
  /** Table path actually read for this config version. */
  path: string[];
  table?: Table;
  /** Registry tables present under a name this version ignores. */
  ignored: { path: string[]; why: string; whyMessage: Message }[];
}

const V1 = ['plugins', 'cri', 'registry'];
const V2 = ['plugins', 'io.containerd.grpc.v1.cri', 'registry'];
const V3 = ['plugins', 'io.containerd.cri.v1.images', 'registry'];

/**
 * The registry table containerd reads for a config file of `version`. containerd 1.x reads exactly one name per file
 * version. containerd 2.x (`runtime` given, 2.0+) migrates older files in memory: a version-1 file's short plugin names
 * get their long names and long names are kept (cmd/containerd/server/config/config.go v1Migrate, v2.0.0 L152-206),
 * then the CRI plugin copies a version-1/2 [plugins."io.containerd.grpc.v1.cri".registry] over
 * [plugins."io.containerd.cri.v1.images".registry] (plugins/cri/images/plugin.go configMigration) — so a version-1
 * file's long-name table and a version-2 file's images table are read too.
 */
export function registrySection(doc: Table, version: 1 | 2 | 3, runtime?: Semver): RegistrySection {
  const paths: Record<1 | 2 | 3, string[]> = { 1: V1, 2: V2, 3: V3 };
  let read = paths[version];
  if (runtime && gte(runtime, 2, 0) && version < 3) {
    const order = version === 1 ? [V1, V2, V3] : [V2, V3];
    read = order.find((p) => isTable(get(doc, ...p))) ?? read;
  }
  const ignored: RegistrySection['ignored'] = [];
  for (const other of [1, 2, 3] as const) {
    if (paths[other] === read) continue;
    const t = get(doc, ...paths[other]);
    if (!isTable(t)) continue;
    const tableName = (path: string[]) => path.map((p) => (p.includes('.') ? `"${p}"` : p)).join('.');
    const why =
      version === 1
        ? msg('node.table.noVersion', { other })
        : version === 3 && other === 2
          ? msg('node.table.v3UnderCri')
          : msg('node.table.wrongName', { version, table: tableName(paths[version]), other: tableName(paths[other]) });
    ignored.push({ path: paths[other], why: messageIn('en', why), whyMessage: why });
  }
  const t = get(doc, ...read);
  return { path: read, table: isTable(t) ? t : undefined, ignored };
}

/**
 * THE registry section containerd `v` uses from a loaded configuration: the document that version runs with (docFor:
 * 1.x replaces a plugin section wholesale with an import's, 2.x merges key by key) and the table it reads there
 * (registrySection with 2.x's in-memory migration of version-1/2 files). Every reader of config.toml's registry
 * settings — the resolver, the pull mode, containerd's own credentials, the audit, the facts — asks this one function,
 * so a version-1 file's long-name table or an import's merged keys are never read with another version's rule.
 */
export function registrySectionFor(loaded: LoadedConfig, v: Semver): RegistrySection {
  return registrySection(docFor(loaded, v), loaded.version, v);
}

/**
 * The files whose value at `rel` (a key or table under the registry section containerd `v` reads) is in effect, in
 * load order. containerd 1.x (services/server/config/config.go mergeConfig, v1.7.0 L290-299) replaces a plugin
 * section wholesale with the last loaded file's: only that file's value counts. containerd 2.x
 * (cmd/containerd/server/config/config.go mergeConfig, v2.1.4: mergo.Merge WithOverride over the plugins map) merges
 * tables key by key, and any other value is replaced by the last file that sets it: every file holding a table
 * counts, only the last one for a scalar (docMerged, mergeLikeMergo).
 */
export function registryValueFiles(loaded: LoadedConfig, v: Semver, rel: string[]): string[] {
  const path = [...registrySectionFor(loaded, v).path, ...rel];
  const sources = loaded.sources ?? [];
  if (!gte(v, 2, 0)) {
    const owner = pluginSectionOwner(sources, path);
    return owner && get(owner.doc, ...path) !== undefined ? [owner.file] : [];
  }
  const holding = sources.filter((s) => get(s.doc, ...path) !== undefined);
  return isTable(get(docFor(loaded, v), ...path)) ? holding.map((s) => s.file) : holding.slice(-1).map((s) => s.file);
}

/**
 * The file where setting `key` of the registry section containerd `v` reads takes effect: 1.x — the last loaded file
 * holding that plugin section (an edit of config.toml is lost when an import carries the section); 2.x — the last
 * file that sets the key (an edit of an earlier file is overridden by it), else config.toml. `overrides` names
 * config.toml when the answer is an import, i.e. when an edit of config.toml would not take effect.
 */
export function registryEditFile(loaded: LoadedConfig, v: Semver, key: string): { file: string; table: string[]; overrides?: string } {
  const section = registrySectionFor(loaded, v);
  const sources = loaded.sources ?? [];
  const owner = gte(v, 2, 0)
    ? [...sources].reverse().find((s) => get(s.doc, ...section.path, key) !== undefined)
    : pluginSectionOwner(sources, section.path);
  const file = owner?.file ?? loaded.file;
  return { file, table: section.path, ...(file !== loaded.file ? { overrides: loaded.file } : {}) };
}

/** containerd 1.x: the last loaded file holding the plugin section `path` lies in — the one whose section is read. */
function pluginSectionOwner(sources: { file: string; doc: Table }[], path: string[]): { file: string; doc: Table } | undefined {
  return [...sources].reverse().find((s) => isTable(get(s.doc, ...path.slice(0, 2))));
}

/** The default config_path containerd 2.2+ applies on Linux (internal/cri/config/config_unix.go v2.2.0 L36). */
const DEFAULT_CONFIG_PATH = ['/etc/containerd/certs.d', '/etc/docker/certs.d'];

/**
 * config_path as containerd applies it: the explicit list, or containerd's default on Linux —
 *  * 2.2.0–2.2.1: DefaultImageConfig carries the default, so a file without config_path gets it, and a v1/v2 file's
 *    `config_path = ""` is refilled by the migration (plugins/cri/images/plugin.go migrateConfig v2.2.0 L213-224):
 *    only an explicit "" in a version-3 file clears it — mirrors or not (containerd issue #12612: mirrors then fail
 *    the plugin);
 *  * 2.2.2+: set at plugin init only when config_path is empty and there are no mirrors (commit a20dead7c).
 */
/** The directories of a config_path as the local pull lists them (filepath.SplitList; empty parts dropped). */
export function configPathList(raw: string): string[] {
  return raw.split(':').filter(Boolean);
}

export function effectiveConfigPath(table: Table | undefined, v: Semver, fileVersion: 1 | 2 | 3 = 3): string[] {
  const cp = table?.config_path;
  if (typeof cp === 'string' && cp !== '') return configPathList(cp);
  if (gte(v, 2, 2, 0) && !gte(v, 2, 2, 2)) return cp === '' && fileVersion === 3 ? [] : [...DEFAULT_CONFIG_PATH];
  const hasMirrors = isTable(table?.mirrors) && Object.keys(table!.mirrors as Table).length > 0;
  return !hasMirrors && gte(v, 2, 2, 2) ? [...DEFAULT_CONFIG_PATH] : [];
}

// ------------------------------------------------------------------------------------------------ pull mode

/**
 * How the CRI plugin pulls: `transfer` (the transfer service) or `local` (the containerd client's own pull).
 * containerd 2.0.x always pulls locally. From 2.1.0 (internal/cri/server/images/image_pull.go v2.1.0 L179-188) the
 * transfer service is used unless UseLocalImagePull is true, which internal/cri/config/config.go
 * CheckLocalImagePullConfigs (v2.1.0 L535-590, called from plugins/cri/images/plugin.go InitFn when
 * use_local_image_pull is not set) turns on for the first of its settings that is present.
 */
export interface PullMode {
  mode: 'transfer' | 'local';
  /** Why local on 2.1+: `use_local_image_pull`, or the first setting CheckLocalImagePullConfigs finds (its Name). */
  trigger?: string;
}

/**
 * The settings CheckLocalImagePullConfigs tests, in its order (v2.1.0 L547-590; the same list in v2.2.0), read from
 * the images config as containerd 2.x decodes it: each with the Name containerd logs ("Found '<Name>' in CRI config
 * which is incompatible with transfer service …"). Linux only: there DisableSnapshotAnnotations defaults to true
 * and MaxConcurrentDownloads to 3 (internal/cri/config/config_unix.go DefaultImageConfig).
 */
const LOCAL_PULL_TRIGGERS: readonly { name: string; present: (images: Table, registry: Table) => boolean }[] = [
  { name: 'DisableSnapshotAnnotations', present: (i) => i.disable_snapshot_annotations === false },
  { name: 'DiscardUnpackedLayers', present: (i) => i.discard_unpacked_layers === true },
  { name: 'Registry.Mirrors', present: (_i, r) => isTable(r.mirrors) && Object.keys(r.mirrors).length > 0 },
  { name: 'Registry.Configs', present: (_i, r) => isTable(r.configs) && Object.keys(r.configs).length > 0 },
  { name: 'Registry.Auths', present: (_i, r) => isTable(r.auths) && Object.keys(r.auths).length > 0 },
  {
    name: 'MaxConcurrentDownloads',
    present: (i) =>
      (typeof i.max_concurrent_downloads === 'number' || typeof i.max_concurrent_downloads === 'bigint') &&
      Number(i.max_concurrent_downloads) !== 3,
  },
  { name: 'ImagePullWithSyncFs', present: (i) => i.image_pull_with_sync_fs === true },
];

/**
 * The CRI images settings as containerd 2.x decodes them: [plugins."io.containerd.cri.v1.images"], with a version-1/2
 * file's CRI plugin keys copied over it (plugins/cri/images/plugin.go migrateConfig v2.1.0 L185-250: the top-level
 * max_concurrent_downloads and image_pull_with_sync_fs, and the `containerd` table's disable_snapshot_annotations
 * and discard_unpacked_layers). A version-1 file's short plugin name is read as registrySection reads it.
 */
function imagesSettings(doc: Table, fileVersion: 1 | 2 | 3): Table {
  const images = get(doc, 'plugins', 'io.containerd.cri.v1.images');
  const out: Table = isTable(images) ? { ...images } : {};
  if (fileVersion === 3) return out;
  const cri = [fileVersion === 1 ? get(doc, 'plugins', 'cri') : undefined, get(doc, 'plugins', 'io.containerd.grpc.v1.cri')].find(isTable);
  if (!cri) return out;
  for (const k of ['max_concurrent_downloads', 'image_pull_with_sync_fs']) if (k in cri) out[k] = cri[k];
  const ctr = cri.containerd;
  if (isTable(ctr)) for (const k of ['disable_snapshot_annotations', 'discard_unpacked_layers']) if (k in ctr) out[k] = ctr[k];
  return out;
}

/** The pull mode of containerd `v` for this configuration (before 2.1, and for an unknown version: local). */
export function criPullMode(loaded: LoadedConfig, v: Semver): PullMode {
  if (!gte(v, 2, 1)) return { mode: 'local' };
  const doc = docFor(loaded, v);
  const images = imagesSettings(doc, loaded.version);
  if (images.use_local_image_pull === true) return { mode: 'local', trigger: 'use_local_image_pull' };
  const registry = registrySectionFor(loaded, v).table ?? {};
  const hit = LOCAL_PULL_TRIGGERS.find((t) => t.present(images, registry));
  return hit ? { mode: 'local', trigger: hit.name } : { mode: 'transfer' };
}

/**
 * The directories containerd looks in for a host's hosts.toml. The local pull splits config_path on ':'
 * (filepath.SplitList in registryHosts, internal/cri/server/images/image_pull.go v2.0.0–v2.2.x); the transfer
 * service passes the whole string to config.HostDirFromRoot (core/transfer/registry/registry.go NewOCIRegistry,
 * v2.1.0–v2.2.x: `hostOptions.HostDir = config.HostDirFromRoot(ropts.hostDir)`), so a list is ONE directory whose
 * name contains ':' — which does not exist, and the host gets containerd's defaults (containerd issues #12415, #12636).
 */
export function hostDirRoots(table: Table | undefined, v: Semver, fileVersion: 1 | 2 | 3, mode: PullMode): string[] {
  const listed = effectiveConfigPath(table, v, fileVersion);
  if (mode.mode === 'local' || !listed.length) return listed;
  const cp = table?.config_path;
  return [typeof cp === 'string' && cp !== '' ? cp : listed.join(':')];
}

/** The ':' list the transfer service takes as ONE directory (`roots` from hostDirRoots), else undefined. */
export function transferListRoot(mode: PullMode, roots: string[]): string | undefined {
  return mode.mode === 'transfer' && roots.length === 1 && roots[0]!.includes(':') ? roots[0] : undefined;
}

export interface TransferIgnored {
  /** The host directory the local pull would read (found under the split list), which the transfer service never reads. */
  hostDir: HostDirInfo;
  /** config_path as the transfer service takes it (one directory). */
  raw: string;
}

export interface ResolveInput {
  loaded: LoadedConfig;
  registry: RegistryHost;
  version: Semver;
  versionKnown: boolean;
  /** The host directory found under config_path (if config_path is set), and certs.d dirs that exist otherwise. */
  hostDir?: HostDirInfo;
  /** certs.d directories for the host that exist while config_path is unset. */
  unusedCertDirs: string[];
  /** Directories under config_path named for this host in a way containerd never reads (strayHostDirNames). */
  strayDirs?: HostDirInfo[];
  /** Files referenced by the effective config that do not exist or cannot be read. */
  missingFiles: { path: string; error: string }[];
  /** The pull mode (default: criPullMode of the configuration). */
  pullMode?: PullMode;
  /** Transfer-service pull with a config_path list: the host directory under the list that is never read. */
  transferIgnored?: TransferIgnored;
}

export interface ResolvedConfig {
  effective: EffectiveRegistryConfig;
  section: RegistrySection;
  configPath: string[];
  /** How the CRI plugin pulls (the transfer service reads config_path as one directory). */
  pullMode: PullMode;
  findings: FindingInput[];
  /** Deprecation and other notes (not findings). */
  notes: string[];
  /** regdoctor's own notes as messages, same index (null: containerd's own words, printed as they are). */
  noteMessages: (Message | null)[];
  /** containerd log lines the configuration produces. */
  logLines: string[];
  /** Ignored files and what they meant, by finding index. */
  alternatives: ConfigAlternative[];
}

function tablePathText(p: string[]): string {
  return p.map((x) => (x.includes('.') ? `"${x}"` : x)).join('.');
}

/** The effective configuration for the target host (pure). */
export function resolveRegistryConfig(input: ResolveInput): ResolvedConfig {
  const { loaded, registry, version: v } = input;
  const out: ConfigDiagnostics = { findings: [], notes: [], noteMessages: [], logLines: [], alternatives: [] };
  const section = registrySectionFor(loaded, v);
  const sectionName = tablePathText(section.path);
  const legacy = legacyRegistryTables(section.table ?? {});
  const pullMode = input.pullMode ?? criPullMode(loaded, v);
  const effectivePath = hostDirRoots(section.table ?? {}, v, loaded.version, pullMode);

  out.findings.push(...(gte(v, 2, 0) ? [] : importReplacementFindings(loaded)), ...ignoredSectionFindings(loaded, section, registry));
  checkPluginLoadConflicts(out, legacy, v, loaded, sectionName, registry.name, effectivePath);
  const resolved = effectivePath.length
    ? endpointsFromConfigPath(out, input, effectivePath)
    : endpointsWithoutConfigPath(out, registry, legacy, sectionName, loaded.file);
  if (resolved.endpoints.length === 0) resolved.endpoints = [legacyDefault(registry)];
  const listRoot = transferListRoot(pullMode, effectivePath);
  if (listRoot !== undefined) transferServiceFindings(out, input, section, listRoot, resolved.endpoints);
  out.findings.push(...unreadableFileFindings(input, effectivePath, sectionName, resolved.endpoints));

  return {
    effective: {
      registry: registry.name,
      mode: resolved.mode,
      configPath: effectivePath.length ? effectivePath : undefined,
      hostsFile: resolved.hostsFile,
      hostsDir: resolved.hostsDir,
      endpoints: resolved.endpoints,
      legacyAuth: legacyAuthSummary(legacyCredentials(section.table, loaded.file), registry.name),
    },
    section,
    configPath: legacy.configPath,
    pullMode,
    findings: out.findings,
    notes: out.notes,
    noteMessages: out.noteMessages,
    logLines: out.logLines,
    alternatives: out.alternatives,
  };
}

/** What resolving the configuration reports besides the endpoints, in the order containerd would meet them. */
interface ConfigDiagnostics {
  findings: FindingInput[];
  notes: string[];
  noteMessages: (Message | null)[];
  logLines: string[];
  alternatives: ConfigAlternative[];
}

/** A file containerd ignores (does not decode, or sits in a directory it does not read): what it meant. */
export interface ConfigAlternative {
  /** Index of its finding in ResolvedConfig.findings. */
  index: number;
  /** The endpoints containerd would use if it read the file as meant (unknown for a file that does not parse). */
  intended?: EffectiveEndpoint[];
  /** e.g. "if containerd decoded the file" (evidence.alt.*). */
  what: Message;
}

/** The registry table's settings as written: explicit config_path, and the legacy mirrors / configs / auths. */
interface LegacyRegistryTables {
  configPath: string[];
  mirrors: Table;
  configs: Table;
  auths: Table;
  hasMirrors: boolean;
  /** configs."<host>" entries with a tls table. */
  tlsConfigs: [string, unknown][];
}

function legacyRegistryTables(reg: Table): LegacyRegistryTables {
  const mirrors = isTable(reg.mirrors) ? reg.mirrors : {};
  const configs = isTable(reg.configs) ? reg.configs : {};
  return {
    configPath: typeof reg.config_path === 'string' && reg.config_path !== '' ? configPathList(reg.config_path) : [],
    mirrors,
    configs,
    auths: isTable(reg.auths) ? reg.auths : {},
    hasMirrors: Object.keys(mirrors).length > 0,
    tlsConfigs: Object.entries(configs).filter(([, c]) => isTable(c) && isTable(c.tls)),
  };
}

/** An imported file's plugin section replaces config.toml's whole section; an error when that drops registry settings. */
function importReplacementFindings(loaded: LoadedConfig): FindingInput[] {
  return loaded.replaced.map((r) => {
    const lostRegistry = isTable(get(loaded.mainDoc, 'plugins', r.plugin, 'registry'));
    return {
      code: 'config-ignored',
      severity: lostRegistry ? 'error' : 'warning',
      ...summaryOf('finding.config.importReplaces', {
        by: r.by,
        file: loaded.file,
        plugin: r.plugin,
        lost: lostRegistry ? msg('finding.config.importReplaces.lost') : '',
      }),
      evidence: [`imports = ${JSON.stringify(loaded.imports)}`],
      data: { plugin: r.plugin, file: r.by },
    };
  });
}

/** Registry tables under a name this config version does not read: a warning when they mention the target host. */
function ignoredSectionFindings(loaded: LoadedConfig, section: RegistrySection, registry: RegistryHost): FindingInput[] {
  return section.ignored.map((ig) => {
    const touches = JSON.stringify(get(loaded.doc, ...ig.path) ?? {}).includes(registry.hostname);
    return {
      code: 'config-ignored',
      severity: touches ? 'warning' : 'info',
      ...summaryOf('finding.config.tableIgnored', { table: tablePathText(ig.path), file: loaded.file, why: ig.whyMessage }),
      evidence: [`read table: [${tablePathText(section.path)}]`],
      data: { table: ig.path, file: loaded.file },
    };
  });
}

/**
 * Settings the CRI plugin refuses (config_path with mirrors; config_path with configs.tls before 2.0 — every pull
 * fails), configs.tls that 2.0+ ignores, and the deprecation lines containerd logs for legacy settings.
 */
function checkPluginLoadConflicts(
  out: ConfigDiagnostics,
  legacy: LegacyRegistryTables,
  v: Semver,
  loaded: LoadedConfig,
  sectionName: string,
  host: string,
  effectivePath: string[],
): void {
  const { configPath, mirrors, hasMirrors, tlsConfigs } = legacy;
  const pluginName = loaded.version === 3 ? 'io.containerd.cri.v1.images' : 'io.containerd.grpc.v1.cri';
  const rules = criRegistryRules(v);
  // Every CRI call fails while the plugin is not loaded: what kubelet (and `crictl pull`) get back, measured on 1.6.20.
  const notLoaded = msg('finding.config.notLoaded', { error: rules.pluginNotLoadedError });
  // the config_path in force, containerd's default included (2.2.0–2.2.1 apply it even with mirrors set)
  if (effectivePath.length && hasMirrors && rules.mirrorsWithConfigPath === 'fatal') {
    // 2.x: the images plugin fails with "invalid cri image config: %w" (plugins/cri/images/plugin.go v2.0.0 L62)
    const line = gte(v, 2, 0)
      ? 'failed to load plugin io.containerd.cri.v1.images: invalid cri image config: `mirrors` cannot be set when `config_path` is provided'
      : `failed to load plugin ${pluginName}: invalid plugin config: \`mirrors\` cannot be set when \`config_path\` is provided`;
    out.logLines.push(line);
    out.findings.push({
      code: 'config-conflict',
      ...(configPath.length
        ? summaryOf('finding.config.mirrorsWithConfigPath', { file: loaded.file, section: sectionName, notLoaded })
        : summaryOf('finding.config.mirrorsWithDefaultConfigPath', {
            file: loaded.file,
            section: sectionName,
            version: `${v.major}.${v.minor}.${v.patch}`,
            path: effectivePath.join(':'),
            notLoaded,
          })),
      evidence: [
        `config_path = "${effectivePath.join(':')}"${configPath.length ? '' : ` (containerd ${v.major}.${v.minor}.${v.patch}'s default)`}`,
        `mirrors for: ${Object.keys(mirrors).join(', ')}`,
        `containerd logs: ${line}`,
      ],
      predictedRuntimeError: rules.pluginNotLoadedError,
      data: { conflict: 'mirrors+config_path', file: loaded.file, pluginNotLoaded: true },
    });
  }
  if (configPath.length && tlsConfigs.length && rules.configsTlsWithConfigPath === 'fatal') {
    const line = `failed to load plugin ${pluginName}: invalid plugin config: \`configs.tls\` cannot be set when \`config_path\` is provided`;
    out.logLines.push(line);
    out.findings.push({
      code: 'config-conflict',
      ...summaryOf('finding.config.tlsWithConfigPath', {
        file: loaded.file,
        hosts: tlsConfigs.map(([h]) => h).join(', '),
        version: `${v.major}.${v.minor}`,
        notLoaded,
      }),
      evidence: [`config_path = "${configPath.join(':')}"`, `containerd logs: ${line}`],
      predictedRuntimeError: rules.pluginNotLoadedError,
      data: { conflict: 'configs.tls+config_path', file: loaded.file, pluginNotLoaded: true },
    });
  }
  if (tlsConfigs.length && rules.configsTlsWithConfigPath === 'ignored') {
    out.findings.push({
      code: 'config-ignored',
      severity: tlsConfigs.some(([h]) => h === host) ? 'warning' : 'info',
      ...summaryOf('finding.config.tlsIgnored', { version: `${v.major}.${v.minor}`, hosts: tlsConfigs.map(([h]) => h).join(', ') }),
      data: { file: loaded.file },
    });
  } else if (tlsConfigs.length && !configPath.length) {
    out.notes.push('`configs.tls` is deprecated, please use `config_path` instead');
    out.noteMessages.push(null);
    out.logLines.push('`configs.tls` is deprecated, please use `config_path` instead');
  }
  if (hasMirrors && !effectivePath.length) {
    out.notes.push('`mirrors` is deprecated, please use `config_path` instead');
    out.noteMessages.push(null);
    out.logLines.push('`mirrors` is deprecated, please use `config_path` instead');
  }
}

/** The endpoints containerd tries for the host, and which file or directory they came from. */
interface ResolvedEndpoints {
  mode: EffectiveRegistryConfig['mode'];
  endpoints: EffectiveEndpoint[];
  hostsFile?: string;
  hostsDir?: string;
}

/**
 * config_path in force: the host's hosts.toml, else its Docker-style certificate directory, else containerd's
 * default host. A hosts.toml that does not parse or decode is ignored and the directory's Docker-style files apply
 * (loadHostDir); a hosts.toml in a directory containerd does not read for the host is reported with the move that
 * fixes it. Each of these records what the file meant (`alternatives`), so the check can tell whether it decides the
 * outcome of the pull.
 */
function endpointsFromConfigPath(out: ConfigDiagnostics, input: ResolveInput, effectivePath: string[]): ResolvedEndpoints {
  const { registry, version: v } = input;
  const host = registry.name;
  const r: ResolvedEndpoints = { mode: 'hosts-toml', endpoints: [] };
  const hd = input.hostDir;
  const vText = `${v.major}.${v.minor}.${v.patch}`;
  const fallback = (info: HostDirInfo) => {
    const docker = endpointFromDockerDir(info, registry);
    const base = defaultHostsEndpoint(registry, v, effectivePath);
    return {
      ...base,
      tls: { ...base.tls, caFiles: docker.tls.caFiles, clientPairs: docker.tls.clientPairs },
      source: docker.source,
      sourceMessage: docker.sourceMessage,
    };
  };
  const fallbackText = (info: HostDirInfo, ep: EffectiveEndpoint): Message => {
    const files = [...ep.tls.caFiles, ...ep.tls.clientPairs.map((c) => c.cert)].map((f) => f.slice(info.dir.length + 1));
    return msg('node.hosts.fallback', {
      version: vText,
      files: files.length
        ? msg('node.hosts.fallback.dockerFiles', { dir: info.dir, files: files.join(', ') })
        : msg('node.hosts.fallback.noFiles', { dir: info.dir }),
      url: ep.url.replace(/\/v2$/, ''),
    });
  };
  if (hd?.hostsToml?.problem || hd?.hostsToml?.doc) {
    r.hostsFile = hd.hostsToml.path;
    r.hostsDir = hd.dir;
    const doc = hd.hostsToml.doc;
    const tomlProblem = hd.hostsToml.problem;
    let why: Message | undefined = tomlProblem
      ? msg('node.hosts.notParse', {
          at: tomlProblem.line ? msg('node.hosts.atLine', { line: tomlProblem.line, column: tomlProblem.column ?? '' }) : '',
          why: tomlProblem.message,
        })
      : undefined;
    let intended: EffectiveEndpoint[] | undefined;
    if (doc) {
      const problem = hostsTomlDecodeProblem(doc, v);
      try {
        const eps = endpointsFromHostsToml(doc, hd.dir, hd.hostsToml.path, registry, v);
        if (problem) intended = problem === 'invalid `host` tree' ? eps : undefined;
        else r.endpoints = eps;
      } catch (err) {
        if (!(err instanceof HostsTomlError)) throw err;
        why = msg('node.hosts.unusable', { why: err.reason });
      }
      if (problem)
        why = msg('node.hosts.noDecode', {
          version: vText,
          problem,
          note: problem === 'invalid `host` tree' ? msg('node.hosts.noDecode.hostTree') : '',
        });
      const unknown = unknownHostsTomlKeys(doc, v);
      for (const u of unknown) {
        out.findings.push({
          code: 'config-ignored',
          severity: 'warning',
          ...summaryOf('node.hosts.unknownKey', {
            file: hd.hostsToml.path,
            key: u.key,
            inTable: u.table ? msg('node.hosts.inTable', { table: u.table }) : '',
            version: vText,
            intended: u.intended
              ? msg('node.hosts.intendedKey', {
                  intended: u.intended,
                  note: u.key === 'insecure_skip_verify' ? msg('node.hosts.configTomlSpelling') : '',
                })
              : '',
          }),
          ...said('evidence.config.keysRead', {
            version: vText,
            where: u.table ? msg('evidence.config.inTable', { table: u.table }) : msg('evidence.config.atRoot'),
            keys: (u.table ? hostsTomlRules(v).hostKeys : hostsTomlRules(v).rootKeys).join(', '),
          }),
          data: { file: hd.hostsToml.path, table: u.table, key: u.key, intended: u.intended },
        });
      }
      const meant = !why ? withIntendedKeys(doc, unknown) : undefined;
      if (meant && !hostsTomlDecodeProblem(meant, v)) {
        try {
          out.alternatives.push({
            index: out.findings.length - 1,
            intended: endpointsFromHostsToml(meant, hd.dir, hd.hostsToml.path, registry, v),
            what: msg('evidence.alt.withKeys', {
              keys: joinMessages(
                unknown.filter((u) => u.intended).map((u) => msg('evidence.alt.insteadOf', { intended: u.intended!, key: u.key })),
                'node.list.comma',
              ),
            }),
          });
        } catch {
          // what the author meant is not usable either: the warning stands alone
        }
      }
    }
    if (why) {
      r.endpoints = [fallback(hd)];
      const whyEn = messageIn('en', why);
      out.findings.push({
        code: 'config-ignored',
        severity: 'error',
        ...summaryOf('node.hosts.ignored', { file: hd.hostsToml.path, why, fallback: fallbackText(hd, r.endpoints[0]!) }),
        evidence: [
          `containerd logs: failed to decode hosts.toml error="${whyEn.replace(/^does not decode on containerd [^:]+: /, '').replace(/ \(containerd 1\.x.*$/, '')}"`,
        ],
        data: { file: hd.hostsToml.path, line: hd.hostsToml.problem?.line, column: hd.hostsToml.problem?.column, decode: true },
      });
      out.alternatives.push({ index: out.findings.length - 1, intended, what: msg('evidence.alt.decoded') });
    }
  } else if (hd) {
    r.hostsDir = hd.dir;
    r.endpoints = [fallback(hd)];
  }
  if (r.endpoints.length === 0) r.endpoints = [defaultHostsEndpoint(registry, v, effectivePath)];
  const readsOwnDir = hd && !hd.dir.endsWith('/_default');
  for (const stray of input.strayDirs ?? []) {
    const root = stray.dir.slice(0, stray.dir.lastIndexOf('/'));
    const names = hostDirNames(host, v);
    const right = `${root}/${host}`;
    const file = stray.hostsToml?.path ?? stray.dir;
    let intended: EffectiveEndpoint[] | undefined;
    if (stray.hostsToml?.doc && !hostsTomlDecodeProblem(stray.hostsToml.doc, v)) {
      try {
        intended = endpointsFromHostsToml(stray.hostsToml.doc, stray.dir, stray.hostsToml.path, registry, v);
      } catch {
        intended = undefined;
      }
    } else if (!stray.hostsToml) intended = [fallback(stray)];
    out.findings.push({
      code: 'config-ignored',
      severity: readsOwnDir ? 'warning' : 'error',
      ...summaryOf('node.stray', {
        file,
        version: vText,
        host,
        dirs: joinMessages(
          names.map((n) => `${root}/${n}/`),
          'node.list.then',
        ),
        uses: readsOwnDir ? msg('node.stray.uses', { dir: hd!.dir }) : '',
        action: readsOwnDir
          ? msg('node.stray.merge', { dir: hd!.dir })
          : msg('node.stray.move', { command: shellJoin(['mv', stray.dir, right]) }),
      }),
      evidence: [`${stray.dir}: ${stray.files.join(', ') || 'empty'}`],
      data: {
        file,
        dir: stray.dir,
        readDir: readsOwnDir ? hd!.dir : right,
        move: readsOwnDir ? undefined : shellJoin(['mv', stray.dir, right]),
      },
    });
    if (!readsOwnDir) out.alternatives.push({ index: out.findings.length - 1, intended, what: msg('evidence.alt.inDir', { dir: right }) });
  }
  return r;
}

/**
 * The transfer service reads config_path `raw` (a list) as one directory: the host directory the local pull would
 * read under the list is ignored — a finding with what it meant (the check probes both and keeps the finding as the
 * cause only when it changes the pull) and the fix (config_path = the directory that holds it, or the local pull).
 * Without such a directory, a note that no directory of the list is read.
 */
function transferServiceFindings(
  out: ConfigDiagnostics,
  input: ResolveInput,
  section: RegistrySection,
  raw: string,
  endpoints: EffectiveEndpoint[],
): void {
  const { loaded, registry, version: v } = input;
  const vText = `${v.major}.${v.minor}.${v.patch}`;
  const listed = configPathList(raw);
  const ti = input.transferIgnored;
  if (!ti) {
    const note = msg('evidence.config.manyDirs', { n: listed.length, version: vText, path: raw });
    out.notes.push(messageIn('en', note));
    out.noteMessages.push(note);
    return;
  }
  const hd = ti.hostDir;
  const file = hd.hostsToml?.path ?? hd.dir;
  const root = hd.dir.slice(0, hd.dir.lastIndexOf('/'));
  const table = tablePathText(section.path);
  const explicit = typeof section.table?.config_path === 'string' && section.table.config_path !== '';
  let intended: EffectiveEndpoint[] | undefined;
  try {
    const local = resolveRegistryConfig({
      ...input,
      pullMode: { mode: 'local' },
      hostDir: hd,
      transferIgnored: undefined,
      missingFiles: [],
    });
    intended = local.effective.endpoints;
  } catch {
    intended = undefined;
  }
  out.findings.push({
    code: 'config-ignored',
    severity: 'error',
    ...summaryOf('node.transfer.ignored', {
      file,
      version: vText,
      path: raw,
      dirs: joinMessages(listed, 'node.list.comma'),
      url: (endpoints[0]?.url ?? `https://${registry.apiHost}/v2`).replace(/\/v2$/, ''),
      root,
      table,
    }),
    ...(explicit ? evidence().raw(`config_path = "${raw}"`) : evidence().say('evidence.config.configPath', { path: raw }))
      .say('evidence.transfer.mode', { version: vText })
      .say('evidence.transfer.readAs', { dir: `${raw}/${hostDirNames(registry.name, v)[0]}` })
      .out(),
    // configFile: where setting config_path takes effect (an import may override config.toml)
    data: {
      file,
      dir: hd.dir,
      transferIgnored: true,
      configPath: raw,
      singleDir: root,
      table: section.path,
      configFile: registryEditFile(loaded, v, 'config_path').file,
    },
  });
  out.alternatives.push({ index: out.findings.length - 1, intended, what: msg('evidence.alt.localPull', { dir: root }) });
}

/** Reads what the resolver needs from the node (the host's certs.d directories, the files the result references)
 *  and resolves the configuration for the target host. certs.d is read as it is now: containerd re-reads it on
 *  every pull, whatever config.toml it was started with. */
export async function resolveOnNode(
  fs: FsAdapter,
  loaded: LoadedConfig,
  registry: RegistryHost,
  version: Semver,
  versionKnown: boolean,
  /** The pull mode when it is not this configuration's own (runtime-drift: a registry table read back from CRI
   *  carries none of the settings that decide it). Default: criPullMode(loaded, version). */
  mode?: PullMode,
): Promise<ResolvedConfig> {
  const section = registrySectionFor(loaded, version);
  const pullMode = mode ?? criPullMode(loaded, version);
  const roots = hostDirRoots(section.table, version, loaded.version, pullMode);
  const hostDir = roots.length ? await findHostDir(fs, roots, registry.name, version) : undefined;
  // the transfer service reads a config_path list as one directory: what the list's directories hold is ignored
  const listRoot = hostDir ? undefined : transferListRoot(pullMode, roots);
  const ignoredDir =
    listRoot !== undefined
      ? await findHostDir(fs, effectiveConfigPath(section.table, version, loaded.version), registry.name, version)
      : undefined;
  const transferIgnored = ignoredDir ? { hostDir: ignoredDir, raw: listRoot! } : undefined;
  const strayDirs = roots.length ? await findStrayHostDirs(fs, roots, registry.name) : [];
  const unusedCertDirs: string[] = [];
  if (!roots.length) {
    for (const base of ['/etc/containerd/certs.d', '/etc/docker/certs.d']) {
      for (const name of hostDirNames(registry.name, version).filter((n) => n !== '_default')) {
        const st = await fs.stat(`${base}/${name}`).catch(() => undefined);
        if (st?.isDirectory) unusedCertDirs.push(`${base}/${name}`);
      }
    }
  }
  const input: ResolveInput = {
    loaded,
    registry,
    version,
    versionKnown,
    pullMode,
    hostDir,
    unusedCertDirs,
    strayDirs,
    missingFiles: [],
    transferIgnored,
  };
  const resolved = resolveRegistryConfig(input);
  const missing = await missingReferencedFiles(fs, resolved.effective.endpoints);
  return missing.length ? resolveRegistryConfig({ ...input, missingFiles: missing }) : resolved;
}

/**
 * The registry table the running containerd reports over CRI (Status, verbose: `config.registry`, camelCase JSON of
 * the table it loaded at start), as a config document the resolver reads like config.toml. containerd has already
 * folded `auths` into `configs` there.
 */
export function loadedFromCriStatus(registry: unknown, file: string): LoadedConfig | undefined {
  if (!isTable(registry)) return undefined;
  const t: Table = {};
  if (typeof registry.configPath === 'string' && registry.configPath) t.config_path = registry.configPath;
  if (isTable(registry.mirrors)) {
    t.mirrors = Object.fromEntries(Object.entries(registry.mirrors).map(([h, m]) => [h, { endpoint: asList(get(m, 'endpoint')) }]));
  }
  if (isTable(registry.configs)) {
    const configs: Table = {};
    for (const [h, c] of Object.entries(registry.configs)) {
      if (!isTable(c)) continue;
      const entry: Table = {};
      if (isTable(c.auth)) entry.auth = c.auth;
      if (isTable(c.tls)) {
        entry.tls = {
          insecure_skip_verify: c.tls.insecure_skip_verify === true,
          ca_file: c.tls.caFile ?? '',
          cert_file: c.tls.certFile ?? '',
          key_file: c.tls.keyFile ?? '',
        };
      }
      configs[h] = entry;
    }
    t.configs = configs;
  }
  if (isTable(registry.headers)) t.headers = registry.headers;
  const doc: Table = { version: 2, plugins: { 'io.containerd.grpc.v1.cri': { registry: t } } };
  return {
    file: `${file} (as the running containerd loaded it)`,
    exists: true,
    doc,
    mainDoc: doc,
    version: 2,
    imports: [],
    problems: [],
    replaced: [],
  };
}

/** No config_path: legacy mirrors/configs decide the endpoints when any are set, else there are none yet (default). */
function endpointsWithoutConfigPath(
  out: ConfigDiagnostics,
  registry: RegistryHost,
  legacy: LegacyRegistryTables,
  sectionName: string,
  file: string,
): ResolvedEndpoints {
  if (legacy.hasMirrors || legacy.tlsConfigs.length || Object.keys(legacy.configs).length) {
    const r = legacyEndpoints(registry, legacy.mirrors, legacy.configs, sectionName);
    if (r.error) {
      out.findings.push({
        code: 'config-invalid',
        severity: 'critical',
        ...summaryOf('node.legacy.badEndpoint', { file, section: sectionName, host: registry.name, error: r.error }),
        evidence: [`containerd: ${r.error}`],
        data: { file, resolverError: r.error },
      });
    }
    return { mode: 'legacy', endpoints: r.endpoints };
  }
  return { mode: 'default', endpoints: [] };
}

/** certs.d directories containerd never reads (no config_path), and referenced files it cannot read. */
function unreadableFileFindings(
  input: ResolveInput,
  effectivePath: string[],
  sectionName: string,
  endpoints: EffectiveEndpoint[],
): FindingInput[] {
  const { loaded, registry, version: v } = input;
  const findings: FindingInput[] = [];
  if (!effectivePath.length && input.unusedCertDirs.length) {
    findings.push({
      code: 'config-ignored',
      severity: 'warning',
      ...summaryOf(input.unusedCertDirs.length === 1 ? 'node.certsd.unread.one' : 'node.certsd.unread.other', {
        dirs: input.unusedCertDirs.join(', '),
        section: sectionName,
        version: `${v.major}.${v.minor}`,
      }),
      ...said('evidence.config.pathEmpty', { file: loaded.file }),
      data: { dirs: input.unusedCertDirs },
    });
  }
  const fatal = effectivePath.length ? configureHostsError(endpoints, input.missingFiles) : undefined;
  if (fatal) {
    const m = input.missingFiles.find((x) => fatal.includes(JSON.stringify(x.path)))!;
    findings.push({
      code: 'config-invalid',
      severity: 'critical',
      ...summaryOf('node.file.missingFatal', { file: m.path, host: registry.name, error: fatal }),
      evidence: [`${m.error}`],
      data: { file: m.path, resolverError: fatal },
    });
  }
  for (const m of input.missingFiles) {
    if (fatal && fatal.includes(JSON.stringify(m.path))) continue;
    findings.push({
      code: 'config-ignored',
      severity: 'error',
      ...summaryOf('node.file.unreadable', { file: m.path, host: registry.name, why: m.error }),
      data: { file: m.path },
    });
  }
  return findings;
}

/** containerd's own credentials for one registry host, from config.toml. The values never go into facts or
 *  findings: only the registry-api check reads them (runtimeCredential), to test them as containerd sends them. */
export interface LegacyCredential {
  /** The table they come from, e.g. 'configs."reg.test:5000".auth'. */
  source: string;
  /** That table's path under the registry section, e.g. ['configs', 'reg.test:5000', 'auth']. */
  table?: string[];
  file: string;
  username?: string;
  password?: string;
  auth?: string;
  identityToken?: string;
}

/** The Configs key containerd files an `auths` entry under (config.go: url.Parse(key); with a scheme, u.Host). Go
 *  reads "reg:5000" as scheme "reg" with an opaque part, so that key lands on "" and is never used; a key whose
 *  first segment holds a colon without a scheme does not parse (undefined). */
function authsKeyHost(key: string): string | undefined {
  const m = key.match(/^[A-Za-z][A-Za-z0-9+.-]*:([\s\S]*)$/);
  if (!m) return /^[^/]*:/.test(key) ? undefined : key;
  if (!m[1]!.startsWith('//')) return '';
  return m[1]!.slice(2).split(/[/?#]/)[0]!.replace(/^.*@/, '');
}

/** Per host: the credentials containerd sends when kubelet sends none (configs."h".auth; an `auths` entry for the
 *  same host replaces it, as containerd folds auths into configs after reading them). */
export function legacyCredentials(reg: Table | undefined, file: string): Record<string, LegacyCredential> {
  const legacy = legacyRegistryTables(reg ?? {});
  const out: Record<string, LegacyCredential> = {};
  const str = (t: Table, k: string) => (typeof t[k] === 'string' && t[k] !== '' ? (t[k] as string) : undefined);
  const add = (host: string, a: unknown, source: string, table: string[]) => {
    if (!isTable(a)) return;
    const c: LegacyCredential = {
      source,
      table,
      file,
      username: str(a, 'username'),
      password: str(a, 'password'),
      auth: str(a, 'auth'),
      identityToken: str(a, 'identitytoken'),
    };
    if (c.username || c.password || c.auth || c.identityToken) out[host] = c;
  };
  for (const [h, c] of Object.entries(legacy.configs)) add(h, get(c, 'auth'), `configs."${h}".auth`, ['configs', h, 'auth']);
  for (const [k, a] of Object.entries(legacy.auths)) {
    const h = authsKeyHost(k);
    if (h) add(h, a, `auths."${k}"`, ['auths', k]);
  }
  return out;
}

/** The credential containerd `v` sends to `host` when kubelet sends none, read from config.toml (and its imports) in
 *  the registry section that version uses (registrySectionFor); undefined when there is none. */
export async function runtimeCredential(fs: FsAdapter, file: string, host: string, v: Semver): Promise<LegacyCredential | undefined> {
  const loaded = await loadContainerdConfig(fs, file);
  const c = loaded.exists ? legacyCredentials(registrySectionFor(loaded, v).table, loaded.file)[host] : undefined;
  // the file that holds it (an import may): the one a finding names and an edit of it goes to
  return c?.table ? { ...c, file: registryValueFiles(loaded, v, c.table).at(-1) ?? loaded.file } : c;
}

/** The registry rejected the credential containerd sends from config.toml (kubelet sent none): that table is the
 *  cause — credentials-mismatch naming it, not a missing credential. Other findings pass through unchanged. */
export function runtimeCredentialRejected(f: FindingInput, c: LegacyCredential, host: string): FindingInput {
  if (f.code !== 'unauthorized') return f;
  return {
    ...f,
    code: 'credentials-mismatch',
    ...summaryOf('node.cred.rejected', {
      host,
      source: c.source,
      file: c.file,
      what: c.username ? msg('node.cred.password', { user: c.username }) : msg('node.cred.credential'),
    }),
    ...evidence(f).say('evidence.config.containerdSends', { source: c.source }).out(),
    data: { ...f.data, credentialSource: c.source, file: c.file },
  };
}

/** Credentials written in config.toml for the host: which fields are set, never values. */
function legacyAuthSummary(creds: Record<string, LegacyCredential>, host: string): LegacyAuthSummary | undefined {
  const c = creds[host];
  if (!c) return undefined;
  return {
    source: c.source,
    hasUsername: Boolean(c.username),
    hasPassword: Boolean(c.password),
    hasAuth: Boolean(c.auth),
    hasIdentityToken: Boolean(c.identityToken),
  };
}

/** hosts-toml mode with no directory for the host: containerd's default host. */
function defaultHostsEndpoint(registry: RegistryHost, v: Semver, roots: string[]): EffectiveEndpoint {
  const hostname = registry.apiHostname;
  const h = isIP(hostname) === 6 ? `[${hostname}]` : hostname;
  const hostPort = registry.port !== undefined ? `${h}:${registry.port}` : h;
  if (isLoopbackHost(hostname)) {
    const newRules = gte(v, 2, 0) || (v.major === 1 && v.minor === 7 && v.patch >= 8) || (v.major === 1 && v.minor === 6 && v.patch >= 25);
    if (newRules) {
      const port = registry.port;
      if (port === 80) return endpointFromUrl(`http://${hostPort}/v2`, { ...sourceOf('evidence.source.localhost80'), isServer: true });
      if (port === undefined || port === 443)
        return endpointFromUrl(`https://${hostPort}/v2`, { ...sourceOf('evidence.source.noHostsToml'), isServer: true });
      return endpointFromUrl(`https://${hostPort}/v2`, {
        ...sourceOf('evidence.source.localhostFallback'),
        isServer: true,
        httpFallback: true,
      });
    }
    return endpointFromUrl(`http://${hostPort}/v2`, {
      ...sourceOf('evidence.source.loopbackHttp'),
      isServer: true,
    });
  }
  return endpointFromUrl(`https://${registry.apiHost}/v2`, {
    ...sourceOf('evidence.source.noDir', { registry: registry.name, roots: roots.join(':') }),
    isServer: true,
  });
}

function legacyDefault(registry: RegistryHost): EffectiveEndpoint {
  const scheme = isLoopbackHost(registry.apiHostname) ? 'http' : 'https';
  return endpointFromUrl(`${scheme}://${registry.apiHost}/v2`, {
    source:
      scheme === 'http'
        ? 'default (containerd uses plain HTTP for localhost and loopback addresses)'
        : 'default (no registry configuration for this host)',
    isServer: true,
  });
}

/** Legacy CRI registry config: mirror endpoints (then the registry itself), TLS from configs."<endpoint host>". */
/** docker.IsLocalhost (remotes/docker/resolver.go): "localhost" or a loopback IP, the port ignored. */
function isLocalhostHost(host: string): boolean {
  return isLoopbackHost(goHostPort(host).hostname);
}

/**
 * The CRI plugin's hosts without config_path (pkg/cri/server/image_pull.go registryEndpoints + registryHosts, v1.6.20
 * L335-468; the same in internal/cri/server/images/image_pull.go v2.0.0 L521-551): `mirrors."<host>"` when that key
 * exists, else `mirrors."*"`; an endpoint without "://" gets http:// for localhost/loopback, else https://; every
 * endpoint is read by Go's url.Parse — one that does not parse fails every pull from the host ("get registry
 * endpoints: parse endpoint url: …"); the default host (registry-1.docker.io for docker.io, http for localhost) is
 * appended unless an endpoint's host equals the registry's name as written. The path is used as written: only an
 * empty one becomes /v2 — `https://m/` requests /<repo>/manifests/… without /v2 (dockerBase.request joins it).
 * TLS comes from `configs."<endpoint host>".tls`. CRI only pulls: capabilities pull and resolve.
 */
function legacyEndpoints(
  registry: RegistryHost,
  mirrors: Table,
  configs: Table,
  sectionName: string,
): { endpoints: EffectiveEndpoint[]; error?: string } {
  const host = registry.name;
  const mirrorKey = host in mirrors ? host : '*';
  const m = mirrors[mirrorKey];
  const parseEndpoint = (u: string): GoUrl => {
    try {
      return parseGoUrl(u);
    } catch (err) {
      throw new Error(`parse endpoint url: parse ${JSON.stringify(u)}: ${(err as Error).message}`, { cause: err });
    }
  };
  try {
    const urls = asList(get(m, 'endpoint')).map((e) =>
      e.includes('://') ? e : `${isLocalhostHost(parseEndpoint(`dummy://${e}`).host) ? 'http' : 'https'}://${e}`,
    );
    const parsed = urls.map(parseEndpoint);
    if (!parsed.some((u) => u.host === host)) {
      const defaultHost = registry.apiHost;
      parsed.push(parseGoUrl(`${isLocalhostHost(defaultHost) ? 'http' : 'https'}://${defaultHost}`));
    }
    const out: EffectiveEndpoint[] = [];
    for (const u of parsed) {
      const cfg = get(configs, u.host, 'tls');
      const tls: EndpointTls = {
        caFiles: isTable(cfg) && typeof cfg.ca_file === 'string' && cfg.ca_file ? [cfg.ca_file] : [],
        clientPairs:
          isTable(cfg) && typeof cfg.cert_file === 'string' && cfg.cert_file
            ? [{ cert: cfg.cert_file, key: typeof cfg.key_file === 'string' ? cfg.key_file : undefined }]
            : [],
        skipVerify: isTable(cfg) && cfg.insecure_skip_verify === true,
      };
      const isServer = u.host === host || u.host === registry.apiHost;
      const scheme = u.scheme === 'http' ? 'http' : 'https';
      const ep = endpointFromUrl(`${scheme}://${u.host}${u.path === '' ? '/v2' : u.path}`, {
        capabilities: ['pull', 'resolve'],
        tls,
        source: isServer
          ? `[${sectionName}] default endpoint${isTable(cfg) ? ` + configs."${u.host}".tls` : ''}`
          : `[${sectionName}.mirrors."${mirrorKey}"] endpoint${isTable(cfg) ? ` + configs."${u.host}".tls` : ''}`,
        isServer,
      });
      // a path of "/" (or "//"): the requests go to /<repo>/…, not /v2/<repo>/…
      out.push(u.path !== '' && u.path.replace(/\/+/g, '') === '' ? { ...ep, url: `${ep.scheme}://${ep.host}` } : ep);
    }
    return { endpoints: out };
  } catch (err) {
    return { endpoints: [], error: `get registry endpoints: ${(err as Error).message}` };
  }
}

/** Files the effective configuration needs (CA, client pairs) that are missing or unreadable, with the error Go's
 *  os.ReadFile gives for each (`open <path>: no such file or directory`, `read <path>: is a directory`). */
export async function missingReferencedFiles(fs: FsAdapter, endpoints: EffectiveEndpoint[]): Promise<{ path: string; error: string }[]> {
  const paths = new Set<string>();
  for (const e of endpoints) {
    for (const c of e.tls.caFiles) paths.add(c);
    for (const p of e.tls.clientPairs) {
      paths.add(p.cert);
      if (p.key) paths.add(p.key);
    }
  }
  const out: { path: string; error: string }[] = [];
  for (const p of paths) {
    try {
      const st = await fs.stat(p);
      if (!st) out.push({ path: p, error: `open ${p}: no such file or directory` });
      else if (st.isDirectory) out.push({ path: p, error: `read ${p}: is a directory` });
      else if (!st.isFile) out.push({ path: p, error: 'not a regular file' });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      out.push({
        path: p,
        error:
          code === 'ENOENT'
            ? `open ${p}: no such file or directory`
            : code === 'EACCES'
              ? `open ${p}: permission denied`
              : (err as Error).message,
      });
    }
  }
  return out;
}

/**
 * hosts.toml mode: ConfigureHosts reads every host's CA files, then its client pairs, before any request (hosts.go
 * "unable to read CA cert %q: %w", "unable to read CERT file %q: %w"): the first unreadable one fails every pull.
 */
export function configureHostsError(endpoints: EffectiveEndpoint[], missing: { path: string; error: string }[]): string | undefined {
  const bad = new Map(missing.map((m) => [m.path, m.error]));
  for (const e of endpoints) {
    for (const c of e.tls.caFiles) if (bad.has(c)) return `unable to read CA cert ${JSON.stringify(c)}: ${bad.get(c)}`;
    for (const p of e.tls.clientPairs) {
      for (const f of [p.cert, ...(p.key ? [p.key] : [])])
        if (bad.has(f)) return `unable to read CERT file ${JSON.stringify(f)}: ${bad.get(f)}`;
    }
  }
  return undefined;
}
