// CRI-O's registry configuration as the containers/image library (sysregistriesv2, docker transport, pkg/docker/config)
// reads it on a node where CRI-O runs as root:
//  * registries.conf, then drop-ins (`*.conf` of /etc/containers/registries.conf.d, then ~/.config/containers/
//    registries.conf.d; a user file of the same name replaces the system one), in file-name order. A drop-in
//    [[registry]] whose prefix (default: location) equals an earlier one REPLACES it entirely; top-level
//    unqualified-search-registries / short-name-mode replace earlier values when set; aliases merge. A file that does
//    not parse makes every pull fail. Tables containers/image does not know (e.g. a pasted containerd table) are
//    silently ignored.
//  * the [[registry]] whose prefix matches the image name longest applies (`*.example.com` matches sub-domains);
//    mirrors are tried first, then the location; `insecure = true` skips certificate verification AND allows plain
//    HTTP; `blocked = true` refuses every pull.
//  * trust: the FIRST existing directory of ~/.config/containers/certs.d/H:P, /etc/containers/certs.d/H:P,
//    /etc/docker/certs.d/H:P is read (a folder without the port is not used): *.crt add to the system roots,
//    X.cert + X.key are the client certificate.
//  * credentials: kubelet's (pull secrets) first; else crio.conf global_auth_file alone when set; else the first of
//    ${XDG_RUNTIME_DIR:-/run/containers/0}/containers/auth.json, ~/.config/containers/auth.json, ~/.docker/config.json,
//    ~/.dockercfg holding an entry for the registry wins — later files are not consulted.
import { parse as parseToml } from 'smol-toml';
import type { FsAdapter } from '../adapters/fs.js';
import type { EffectiveEndpoint, EffectiveRegistryConfig, EndpointTls } from '../core/runtime-config.js';
import type { FindingInput, ImageReference, RegistryHost } from '../core/types.js';
import { endpointFromUrl, sourceOf } from './endpoints.js';
// the reference grammar (distribution/reference DomainRegexp, pathComponent), anchored
import { ANCHORED_DOMAIN, ANCHORED_PATH, ANCHORED_PATH_COMPONENT } from '../core/reference.js';
import { msg, summaryOf, type Message } from '../i18n/index.js';
import { evidence as evidenceLines } from '../i18n/evidence.js';

export const REGISTRIES_CONF = '/etc/containers/registries.conf';
export const REGISTRIES_CONF_D = '/etc/containers/registries.conf.d';
export const CONTAINERS_CERTS_D = '/etc/containers/certs.d';
export const DOCKER_CERTS_D = '/etc/docker/certs.d';
const MAX_FILE = 1 << 20;

export interface CrioMirror {
  location: string;
  insecure: boolean;
  pullFromMirror?: string;
}

export interface CrioRegistryEntry {
  prefix: string;
  location: string;
  insecure: boolean;
  blocked: boolean;
  mirrors: CrioMirror[];
  /** `mirror-by-digest-only = true`: the mirrors serve digest references only. */
  mirrorByDigestOnly?: boolean;
  /** File that defined this entry (the last one: drop-ins replace). */
  file: string;
}

export interface CrioConfigProblem {
  file: string;
  message: string;
  /** The file parses but containers/image refuses its content (V1 mixed with V2, a location with a scheme, …). */
  rejected?: boolean;
  /** A registries.conf.d drop-in (containers/image words its error "loading drop-in registries configuration"). */
  dropIn?: boolean;
  line?: number;
  column?: number;
}

export interface CrioRegistriesConf {
  /** Files read, in the order they were applied. */
  files: string[];
  registries: CrioRegistryEntry[];
  unqualifiedSearchRegistries?: string[];
  /** File that set unqualified-search-registries last (containers/image names it in its short-name error). */
  searchOrigin?: string;
  shortNameMode?: string;
  aliases: Record<string, string>;
  /** A file that does not parse: containers/image refuses every pull with "loading registries configuration …". */
  problem?: CrioConfigProblem;
  /** Top-level keys/tables containers/image does not know, per file (silently ignored by it). */
  ignored: { file: string; keys: string[] }[];
  /** Entries a later drop-in replaced: prefix, replaced file, replacing file. */
  replaced: { prefix: string; from: string; by: string }[];
}

const KNOWN_TOP = new Set([
  'unqualified-search-registries',
  'short-name-mode',
  'registry',
  'aliases',
  'credential-helpers',
  'registries',
  'additional-layer-store-auth-helper',
]);

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** One registries.conf (or drop-in) as containers/image decodes it (V2 format). */
export function parseRegistriesConf(
  text: string,
  file: string,
): { ok: true; doc: Record<string, unknown> } | { ok: false; problem: CrioConfigProblem } {
  try {
    return { ok: true, doc: parseToml(text) as Record<string, unknown> };
  } catch (err) {
    const e = err as { line?: number; column?: number; message: string };
    return { ok: false, problem: { file, message: e.message.split('\n')[0]!, line: e.line, column: e.column } };
  }
}

/** parseLocation (sysregistriesv2/system_registries_v2.go): trailing slashes dropped; an http(s):// scheme refused. */
function parseLocation(input: string): string {
  const trimmed = input.replace(/(?<!\/)\/+$/, '');
  if (trimmed.startsWith('http://') || trimmed.startsWith('https://'))
    throw new Error(`invalid location '${input}': URI schemes are not supported`);
  return trimmed;
}

const strList = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);

/**
 * The first alias containers/image refuses (sysregistriesv2/shortnames.go newShortNameAliasCache): a name must be a
 * short name (no registry, tag or digest: validateShortName), a value "" removes the alias, any other value must name
 * a registry and a repository without tag or digest (parseShortNameValue). Undefined when all are accepted.
 */
function aliasesProblem(aliases: unknown): string | undefined {
  if (!aliases || typeof aliases !== 'object' || Array.isArray(aliases)) return undefined;
  const split = (s: string) => {
    const digest = s.includes('@');
    const base = s.split('@')[0]!;
    const slash = base.lastIndexOf('/');
    const colon = base.lastIndexOf(':');
    const tagged = colon > slash;
    const name = tagged ? base.slice(0, colon) : base;
    const first = name.split('/')[0]!;
    const registry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : '';
    return { digest, tagged, registry, repo: registry ? name.slice(registry.length + 1) : name };
  };
  for (const [name, value] of Object.entries(aliases as Record<string, unknown>)) {
    const n = split(name);
    if (n.digest) return `invalid short name ${JSON.stringify(name)}: must not contain digest`;
    if (n.tagged) return `invalid short name ${JSON.stringify(name)}: must not contain tag`;
    if (n.registry) return `invalid short name ${JSON.stringify(name)}: must not contain registry`;
    if (!ANCHORED_PATH.test(n.repo)) return `cannot parse short name: ${JSON.stringify(name)}: invalid reference format`;
    if (typeof value !== 'string' || value === '') continue;
    const v = split(value);
    if (v.digest) return `invalid alias ${JSON.stringify(value)}: must not contain digest`;
    if (v.tagged) return `invalid alias ${JSON.stringify(value)}: must not contain tag`;
    if (!v.registry) return `invalid alias ${JSON.stringify(value)}: must contain registry and repository`;
    if (!ANCHORED_DOMAIN.test(v.registry) || !ANCHORED_PATH.test(v.repo))
      return `parsing alias ${JSON.stringify(value)}: invalid reference format`;
  }
  return undefined;
}

/** One decoded registries.conf: its entries (first of a prefix wins inside a file), search list, and the reason
 *  containers/image refuses the file, if it does. */
interface DecodedFile {
  entries: CrioRegistryEntry[];
  search?: string[];
  problem?: string;
}

/**
 * One registries.conf (or drop-in) as containers/image's loadConfigFile decodes it (sysregistriesv2/
 * system_registries_v2.go): the V1 format (`[registries.search|insecure|block] registries = […]`) is converted
 * (ConvertToV2: insecure and blocked become [[registry]] entries, search the unqualified-search list); V1 and V2
 * fields in one file are refused ("mixing sysregistry v1/v2 is not supported"); then postProcessRegistries' checks
 * (location/prefix rules, conflicting `insecure`/`blocked` for one location, search entries that are not a domain,
 * wildcard prefix form) — any of them makes every pull fail. A field set to an empty array counts as set (hasSetField).
 */
function decodeFile(doc: Record<string, unknown>, file: string): DecodedFile {
  const v1 =
    doc.registries && typeof doc.registries === 'object' && !Array.isArray(doc.registries)
      ? (doc.registries as Record<string, unknown>)
      : undefined;
  const v1List = (k: string) => strList((v1?.[k] as Record<string, unknown> | undefined)?.registries);
  const v1Set = !!v1 && ['search', 'insecure', 'block'].some((k) => v1List(k) !== undefined);
  const v2Set = [
    'registry',
    'unqualified-search-registries',
    'credential-helpers',
    'short-name-mode',
    'additional-layer-store-auth-helper',
    'aliases',
  ].some((k) => doc[k] !== undefined);
  const raw: {
    prefix?: string;
    location: string;
    insecure: boolean;
    blocked: boolean;
    mirrors: Record<string, unknown>[];
    pullFromMirror?: string;
    digestOnly: boolean;
  }[] = [];
  let search = strList(doc['unqualified-search-registries']);
  try {
    if (v1Set) {
      if (v2Set) throw new Error('mixing sysregistry v1/v2 is not supported');
      const byLocation = new Map<string, (typeof raw)[number]>();
      const get = (loc: string) => {
        const l = parseLocation(loc);
        if (!byLocation.has(l))
          byLocation.set(l, { prefix: l, location: l, insecure: false, blocked: false, mirrors: [], digestOnly: false });
        return byLocation.get(l)!;
      };
      for (const b of v1List('block') ?? []) get(b).blocked = true;
      for (const i of v1List('insecure') ?? []) get(i).insecure = true;
      raw.push(...byLocation.values());
      search = v1List('search');
    } else {
      for (const r of Array.isArray(doc.registry) ? (doc.registry as unknown[]) : []) {
        if (!r || typeof r !== 'object') continue;
        const e = r as Record<string, unknown>;
        raw.push({
          prefix: str(e.prefix),
          location: str(e.location) ?? '',
          insecure: e.insecure === true,
          blocked: e.blocked === true,
          mirrors: Array.isArray(e.mirror)
            ? (e.mirror as unknown[]).filter((m): m is Record<string, unknown> => !!m && typeof m === 'object')
            : [],
          pullFromMirror: str(e['pull-from-mirror']),
          digestOnly: e['mirror-by-digest-only'] === true,
        });
      }
    }
    // postProcessRegistries
    const entries: CrioRegistryEntry[] = [];
    const byLoc = new Map<string, CrioRegistryEntry[]>();
    for (const r of raw) {
      const location = parseLocation(r.location);
      let prefix: string;
      if (r.prefix === undefined || r.prefix === '') {
        if (location === '') throw new Error('invalid condition: both location and prefix are unset');
        prefix = location;
      } else {
        prefix = parseLocation(r.prefix);
        if (!prefix.startsWith('*.') && location === '')
          throw new Error('invalid condition: location is unset and prefix is not in the format: *.example.com');
      }
      if (r.pullFromMirror) throw new Error(`pull-from-mirror must not be set for a non-mirror registry ${JSON.stringify(prefix)}`);
      const mirrors: CrioMirror[] = r.mirrors.map((m) => {
        const ml = parseLocation(str(m.location) ?? '');
        if (ml === '') throw new Error('invalid condition: mirror location is unset');
        const pfm = str(m['pull-from-mirror']);
        if (r.digestOnly && pfm)
          throw new Error(
            `cannot set mirror usage mirror-by-digest-only for the registry (${JSON.stringify(prefix)}) and pull-from-mirror for per-mirror (${JSON.stringify(ml)}) at the same time`,
          );
        if (pfm && !['all', 'digest-only', 'tag-only'].includes(pfm))
          throw new Error(`unsupported pull-from-mirror value ${JSON.stringify(pfm)} for mirror ${JSON.stringify(ml)}`);
        return { location: ml, insecure: m.insecure === true, pullFromMirror: pfm };
      });
      const entry: CrioRegistryEntry = { prefix, location, insecure: r.insecure, blocked: r.blocked, mirrors, file };
      if (r.digestOnly) entry.mirrorByDigestOnly = true;
      const key = location === '' ? prefix : location;
      byLoc.set(key, [...(byLoc.get(key) ?? []), entry]);
      // a later entry with the same prefix is ignored (the first longest prefix always wins)
      if (!entries.some((x) => x.prefix === prefix)) entries.push(entry);
    }
    // every entry of one location must agree with the first (then they all agree with each other)
    for (const [first, ...others] of byLoc.values())
      for (const other of others) {
        if (other.insecure !== first!.insecure)
          throw new Error(`registry '${first!.location}' is defined multiple times with conflicting 'insecure' setting`);
        if (other.blocked !== first!.blocked)
          throw new Error(`registry '${first!.location}' is defined multiple times with conflicting 'blocked' setting`);
      }
    const searchOut = search?.map((s) => {
      const d = parseLocation(s);
      if (!ANCHORED_DOMAIN.test(d)) throw new Error(`Invalid unqualified-search-registries entry ${JSON.stringify(d)}`);
      return d;
    });
    if (typeof doc['short-name-mode'] === 'string' && !['enforcing', 'permissive', 'disabled'].includes(doc['short-name-mode']))
      throw new Error(`invalid short-name mode: ${JSON.stringify(doc['short-name-mode'])}`);
    for (const e of entries)
      if (e.prefix.startsWith('*.') && /[/@:]/.test(e.prefix))
        throw new Error(
          `Wildcarded prefix should be in the format: *.example.com. Current prefix ${JSON.stringify(e.prefix)} is incorrectly formatted`,
        );
    const aliasProblem = aliasesProblem(doc.aliases);
    if (aliasProblem) throw new Error(`validating short-name aliases: ${aliasProblem}`);
    return { entries, search: searchOut };
  } catch (err) {
    return { entries: [], problem: (err as Error).message };
  }
}

/** Drop-in files in the order containers/image applies them. */
export async function dropInFiles(fs: FsAdapter, home: string): Promise<string[]> {
  const byName = new Map<string, string>();
  for (const dir of [REGISTRIES_CONF_D, `${home}/.config/containers/registries.conf.d`]) {
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    for (const n of names) if (n.endsWith('.conf')) byName.set(n, `${dir}/${n}`);
  }
  return [...byName.keys()].sort().map((n) => byName.get(n)!);
}

/** registries.conf + drop-ins merged as containers/image merges them. */
export async function loadRegistriesConf(fs: FsAdapter, home = '/root'): Promise<CrioRegistriesConf> {
  const userMain = `${home}/.config/containers/registries.conf`;
  const main = (await fs.exists(userMain).catch(() => false)) ? userMain : REGISTRIES_CONF;
  const conf: CrioRegistriesConf = { files: [], registries: [], aliases: {}, ignored: [], replaced: [] };
  const map = new Map<string, CrioRegistryEntry>();
  for (const file of [main, ...(await dropInFiles(fs, home))]) {
    let text: string;
    try {
      text = await fs.readText(file, MAX_FILE);
    } catch {
      continue;
    }
    conf.files.push(file);
    const parsed = parseRegistriesConf(text, file);
    if (!parsed.ok) {
      conf.problem ??= { ...parsed.problem, dropIn: file !== main };
      continue;
    }
    const doc = parsed.doc;
    const unknown = Object.keys(doc).filter((k) => !KNOWN_TOP.has(k));
    if (unknown.length) conf.ignored.push({ file, keys: unknown });
    const decoded = decodeFile(doc, file);
    if (decoded.problem) {
      conf.problem ??= { file, message: decoded.problem, rejected: true, dropIn: file !== main };
      continue;
    }
    for (const e of decoded.entries) {
      const prev = map.get(e.prefix);
      if (prev && prev.file !== file) conf.replaced.push({ prefix: e.prefix, from: prev.file, by: file });
      map.set(e.prefix, e);
    }
    if (decoded.search) {
      conf.unqualifiedSearchRegistries = decoded.search;
      conf.searchOrigin = file;
    }
    if (typeof doc['short-name-mode'] === 'string') conf.shortNameMode = doc['short-name-mode'];
    if (doc.aliases && typeof doc.aliases === 'object')
      for (const [k, v] of Object.entries(doc.aliases as Record<string, unknown>)) if (typeof v === 'string') conf.aliases[k] = v;
  }
  conf.registries = [...map.keys()].sort().map((k) => map.get(k)!);
  return conf;
}

/** Whether a [[registry]] prefix matches an image name (host[/path][:tag|@digest]) the way containers/image does. */
export function prefixMatches(prefix: string, name: string): boolean {
  if (prefix.startsWith('*.')) {
    const host = name.split('/')[0]!.replace(/:\d+$/, '');
    return host.endsWith(prefix.slice(1));
  }
  if (!name.startsWith(prefix)) return false;
  if (name.length === prefix.length) return true;
  return ['/', ':', '@'].includes(name[prefix.length]!) || prefix.endsWith('/');
}

/** The [[registry]] that applies to an image name: the longest matching prefix. */
export function findRegistry(conf: Pick<CrioRegistriesConf, 'registries'>, name: string): CrioRegistryEntry | undefined {
  let best: CrioRegistryEntry | undefined;
  for (const r of conf.registries) {
    if (!r.prefix || !prefixMatches(r.prefix, name)) continue;
    // a wildcard counts by its length too; an exact prefix beats a wildcard of the same length
    if (!best || r.prefix.length > best.prefix.length) best = r;
  }
  return best;
}

/** The certificate directory containers/image reads for host:port — the first that exists — and its files. */
export async function crioCertDir(
  fs: FsAdapter,
  hostPort: string,
  home = '/root',
): Promise<{ dir?: string; tried: string[]; tls: EndpointTls }> {
  const tried = [`${home}/.config/containers/certs.d/${hostPort}`, `${CONTAINERS_CERTS_D}/${hostPort}`, `${DOCKER_CERTS_D}/${hostPort}`];
  for (const dir of tried) {
    const st = await fs.stat(dir).catch(() => undefined);
    if (!st) continue;
    const files = st.isDirectory ? await fs.readdir(dir).catch(() => [] as string[]) : [];
    return {
      dir,
      tried,
      tls: {
        caFiles: files
          .filter((f) => f.endsWith('.crt'))
          .sort()
          .map((f) => `${dir}/${f}`),
        clientPairs: files
          .filter((f) => f.endsWith('.cert'))
          .sort()
          .map((f) => ({
            cert: `${dir}/${f}`,
            key: files.includes(f.replace(/\.cert$/, '.key')) ? `${dir}/${f.replace(/\.cert$/, '.key')}` : undefined,
          })),
        skipVerify: false,
      },
    };
  }
  return { tried, tls: { caFiles: [], clientPairs: [], skipVerify: false } };
}

export interface CrioAuthFile {
  path: string;
  exists: boolean;
  /** Keys of entries that apply to the image (most specific first). */
  matches: string[];
  problem?: string;
}

/** Auth files in containers/image's order for root, and which one decides (the first with a matching entry). */
export async function crioAuthFiles(
  fs: FsAdapter,
  name: string,
  opts: { home?: string; runtimeDir?: string; globalAuthFile?: string } = {},
): Promise<{ files: CrioAuthFile[]; decides?: string }> {
  const home = opts.home ?? '/root';
  const paths = opts.globalAuthFile
    ? [opts.globalAuthFile]
    : [
        `${opts.runtimeDir ?? '/run/containers/0'}/auth.json`,
        `${home}/.config/containers/auth.json`,
        `${home}/.docker/config.json`,
        `${home}/.dockercfg`,
      ];
  // most specific key first: host/ns/repo, host/ns, host
  // the tag or digest: the first ':' or '@' after the last '/' (`/[:@][^/]*$/` rescanned from every ':')
  const lastSlash = name.lastIndexOf('/');
  const sep = name.slice(lastSlash + 1).search(/[:@]/);
  const parts = (sep === -1 ? name : name.slice(0, lastSlash + 1 + sep)).split('/');
  const keys: string[] = [];
  for (let i = parts.length; i >= 1; i--) keys.push(parts.slice(0, i).join('/'));
  const files: CrioAuthFile[] = [];
  let decides: string | undefined;
  for (const p of paths) {
    let text: string;
    try {
      text = await fs.readText(p, MAX_FILE);
    } catch {
      files.push({ path: p, exists: false, matches: [] });
      continue;
    }
    try {
      const doc = JSON.parse(text) as Record<string, unknown>;
      const auths = (p.endsWith('.dockercfg') ? doc : (doc.auths as Record<string, unknown> | undefined)) ?? {};
      const norm = (k: string) =>
        k
          .replace(/^https?:\/\//, '')
          .replace(/\/v[12]\/?$/, '')
          .replace(/\/$/, '');
      const have = new Set(Object.keys(auths).map(norm));
      const matches = keys.filter((k) => have.has(k));
      files.push({ path: p, exists: true, matches });
      if (matches.length && !decides) decides = p;
    } catch (err) {
      files.push({ path: p, exists: true, matches: [], problem: (err as Error).message });
    }
  }
  return { files, decides };
}

/** A name CRI-O resolves through unqualified-search-registries (no registry host in its first component). */
export function isShortName(input: string): boolean {
  const first = input.split('/')[0]!;
  return !input.includes('/') || !(first.includes('.') || first.includes(':') || first === 'localhost');
}

export interface CrioNodeConfig {
  conf: CrioRegistriesConf;
  entry?: CrioRegistryEntry;
  certDir?: string;
  certDirsTried: string[];
  auth: { files: CrioAuthFile[]; decides?: string };
  effective: EffectiveRegistryConfig;
  findings: FindingInput[];
  evidence: string[];
  /** Messages of the evidence lines written as sentences (i18n/evidence.ts). */
  evidenceMessages?: (Message | null)[];
}

function hostPortOf(location: string): string {
  return location.split('/')[0]!;
}

/** The endpoint of a registries.conf location; one that is not a host[:port] is a finding (was a TypeError). */
function locationEndpoint(
  url: string,
  extra: Parameters<typeof endpointFromUrl>[1],
  location: string,
  file: string,
  findings: FindingInput[],
): EffectiveEndpoint | undefined {
  // rewriteReference (sysregistriesv2) re-parses location + the rest of the image name with reference.ParseNamed:
  // a location that is not a reference domain[/path] fails every pull through it ("invalid reference format")
  const [host, ...path] = location.split('/');
  const validLocation = location === '' || (ANCHORED_DOMAIN.test(host!) && path.every((c) => ANCHORED_PATH_COMPONENT.test(c)));
  try {
    if (!validLocation) throw new Error('invalid reference format');
    return endpointFromUrl(url, extra);
  } catch {
    findings.push({
      code: 'config-invalid',
      ...summaryOf('node.crio.badLocation', { file, location: JSON.stringify(location) }),
      data: { file, location, runtime: 'cri-o' },
    });
    return undefined;
  }
}

/** Everything CRI-O applies to one registry host (and image), plus findings about its configuration. */
export async function crioNodeConfig(
  fs: FsAdapter,
  registry: RegistryHost,
  image?: Pick<ImageReference, 'normalized' | 'input'>,
  home = '/root',
): Promise<CrioNodeConfig> {
  const conf = await loadRegistriesConf(fs, home);
  const findings: FindingInput[] = [];
  const evidence = evidenceLines().say('evidence.crio.reads', {
    files: conf.files.join(', ') || msg('evidence.crio.absent', { file: REGISTRIES_CONF }),
  });
  if (conf.problem) {
    const p = conf.problem;
    // tryUpdatingCache: "loading registries configuration %q: %w" (the main file), "loading drop-in registries
    // configuration %q: %w" (a drop-in); a decode error is go-toml's ("toml: …"), a refusal the InvalidRegistries text
    const loading = `loading ${p.dropIn ? 'drop-in ' : ''}registries configuration ${JSON.stringify(p.file)}`;
    const error = p.rejected ? `${loading}: ${p.message}` : `${loading}: toml: …`;
    findings.push({
      code: 'config-invalid',
      ...(p.rejected
        ? summaryOf('node.crio.rejected', { file: p.file, why: p.message, error })
        : summaryOf('node.crio.invalid', { where: `${p.file}${p.line ? `:${p.line}:${p.column}` : ''}`, why: p.message, error })),
      evidence: [`containers/image: ${error}`],
      data: { file: p.file, line: p.line, column: p.column, runtime: 'cri-o', rejected: p.rejected },
    });
  }
  for (const ig of conf.ignored) {
    findings.push({
      code: 'config-ignored',
      severity: 'warning',
      ...summaryOf('node.crio.ignored', {
        file: ig.file,
        tables: ig.keys.map((k) => `[${k}]`).join(', '),
        note: ig.keys.includes('plugins') ? msg('node.crio.containerdTable') : '',
      }),
      data: { file: ig.file, keys: ig.keys },
    });
  }
  const name = image?.normalized ?? registry.name;
  const entry = findRegistry(conf, name);
  for (const r of conf.replaced.filter((x) => entry && x.prefix === entry.prefix))
    evidence.say('evidence.crio.replaced', { prefix: r.prefix, from: r.from, by: r.by });
  if (entry)
    evidence.raw(
      `[[registry]] prefix ${entry.prefix} (${entry.file}): location ${entry.location}${entry.insecure ? ', insecure' : ''}${entry.blocked ? ', blocked' : ''}${entry.mirrors.length ? `, mirrors ${entry.mirrors.map((m) => m.location).join(', ')}` : ''}`,
    );
  else evidence.say('evidence.crio.noEntry', { name });
  if (entry?.blocked) {
    findings.push({
      code: 'config-conflict',
      ...summaryOf('node.crio.blocked', { file: entry.file, prefix: entry.prefix }),
      data: { file: entry.file, prefix: entry.prefix, runtime: 'cri-o' },
    });
  }
  const endpoints: EffectiveEndpoint[] = [];
  const tlsFor = async (hostPort: string, insecure: boolean) =>
    insecure
      ? { dir: undefined, tried: [], tls: { caFiles: [], clientPairs: [], skipVerify: true } }
      : await crioCertDir(fs, hostPort, home);
  // PullSourcesFromReference (sysregistriesv2): with mirror-by-digest-only the mirrors serve digest references only;
  // else a mirror's pull-from-mirror "digest-only"/"tag-only" restricts it. Without an image, every mirror is listed.
  const digested = image ? image.normalized.includes('@') : undefined;
  const usable = (m: CrioMirror) => {
    const mode = entry?.mirrorByDigestOnly ? 'digest-only' : m.pullFromMirror;
    return digested === undefined || (mode === 'digest-only' ? digested : mode !== 'tag-only' || !digested);
  };
  for (const m of (entry?.mirrors ?? []).filter(usable)) {
    const hp = hostPortOf(m.location);
    const t = await tlsFor(hp, m.insecure);
    const ep = locationEndpoint(
      `https://${hp}/v2`,
      {
        tls: t.tls,
        ...sourceOf('evidence.source.crioMirror', {
          location: m.location,
          prefix: entry!.prefix,
          file: entry!.file,
          dir: t.dir ? `, ${t.dir}` : '',
        }),
        isServer: false,
        httpFallback: m.insecure,
      },
      m.location,
      entry!.file,
      findings,
    );
    if (ep) endpoints.push(ep);
  }
  // the location replaces the prefix part of the name; docker.io is served by registry-1.docker.io
  const locHost = entry && entry.location ? hostPortOf(entry.location) : registry.name;
  const apiHost = locHost === registry.name ? registry.apiHost : locHost === 'docker.io' ? 'registry-1.docker.io' : locHost;
  const insecure = Boolean(entry?.insecure);
  const main = await tlsFor(locHost, insecure);
  const mainExtra: Parameters<typeof endpointFromUrl>[1] = {
    tls: main.tls,
    ...(entry
      ? sourceOf('evidence.source.crioRegistry', {
          prefix: entry.prefix,
          file: entry.file,
          insecure: insecure ? msg('evidence.source.crioInsecure') : '',
          dir: main.dir ? `, ${main.dir}` : '',
        })
      : main.dir
        ? sourceOf('evidence.source.crioDir', { dir: main.dir })
        : sourceOf('evidence.source.crioDefaults')),
    isServer: true,
    httpFallback: insecure,
  };
  endpoints.push(
    (entry ? locationEndpoint(`https://${apiHost}/v2`, mainExtra, entry.location, entry.file, findings) : undefined) ??
      endpointFromUrl(`https://${registry.apiHost}/v2`, mainExtra),
  );
  if (main.dir) evidence.say('evidence.crio.certs', { dir: main.dir, cas: main.tls.caFiles.length, pairs: main.tls.clientPairs.length });
  else if (!insecure) evidence.say('evidence.crio.noCertDir', { host: locHost, tried: main.tried.join(', ') });
  const auth = await crioAuthFiles(fs, name, { home });
  if (auth.decides) evidence.say('evidence.crio.credentials', { file: auth.decides, name });
  return {
    conf,
    entry,
    certDir: main.dir,
    certDirsTried: main.tried,
    auth,
    effective: { registry: registry.name, mode: 'default', hostsDir: main.dir, endpoints },
    findings,
    ...evidence.out(),
  };
}
