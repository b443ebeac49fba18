// k3s / RKE2 nodes: containerd's configuration is generated. The operator edits /etc/rancher/<flavour>/registries.yaml;
// at service start k3s/RKE2 renders config.toml (from config.toml.tmpl when present) and certs.d/<host>/hosts.toml under
// /var/lib/rancher/<flavour>/agent/etc/containerd/. Detection of that layout, a parser for the registries.yaml subset,
// and the comparison of what registries.yaml asks for with what is rendered (stale rendering = not restarted).
import { parse as parseToml } from 'smol-toml';
import type { FsAdapter } from '../adapters/fs.js';
import { messageIn, msg, type Message } from '../i18n/index.js';
import { MAX_DOCUMENT_DEPTH } from '../text/nesting.js';

export type K3sFlavour = 'k3s' | 'rke2';

export interface K3sLayout {
  flavour: K3sFlavour;
  binaryPath?: string;
  /** agent/etc/containerd under the data dir: config.toml, config.toml.tmpl, certs.d. */
  containerdDir: string;
  configToml: string;
  /** config.toml.tmpl when the operator overrides the template. */
  template?: string;
  certsDir: string;
  registriesYaml: string;
  socket: string;
  /** The systemd unit whose restart re-renders the files (server or agent). */
  service: string;
  /** From `<binary> --version` on a live node, e.g. v1.28.5+k3s1. */
  version?: string;
}

const FLAVOURS: Record<K3sFlavour, { binaries: string[]; dataDir: string; etc: string }> = {
  k3s: { binaries: ['/usr/local/bin/k3s', '/usr/bin/k3s', '/opt/bin/k3s'], dataDir: '/var/lib/rancher/k3s', etc: '/etc/rancher/k3s' },
  rke2: {
    binaries: ['/usr/local/bin/rke2', '/usr/bin/rke2', '/opt/rke2/bin/rke2'],
    dataDir: '/var/lib/rancher/rke2',
    etc: '/etc/rancher/rke2',
  },
};
export const K3S_SOCKET = '/run/k3s/containerd/containerd.sock';

/** The k3s/RKE2 layout of this node, or undefined when the rendered containerd config is not there. */
export async function detectK3s(fs: FsAdapter): Promise<K3sLayout | undefined> {
  for (const flavour of ['rke2', 'k3s'] as const) {
    const f = FLAVOURS[flavour];
    const containerdDir = `${f.dataDir}/agent/etc/containerd`;
    const configToml = `${containerdDir}/config.toml`;
    const rendered = await fs.exists(configToml).catch(() => false);
    let binaryPath: string | undefined;
    for (const b of f.binaries) if (!binaryPath && (await fs.exists(b).catch(() => false))) binaryPath = b;
    if (!rendered && !binaryPath) continue;
    const template = (await fs.exists(`${configToml}.tmpl`).catch(() => false)) ? `${configToml}.tmpl` : undefined;
    const server = await fs.exists(`${f.dataDir}/server`).catch(() => false);
    return {
      flavour,
      binaryPath,
      containerdDir,
      configToml,
      template,
      certsDir: `${containerdDir}/certs.d`,
      registriesYaml: `${f.etc}/registries.yaml`,
      socket: K3S_SOCKET,
      service: flavour === 'k3s' ? (server ? 'k3s' : 'k3s-agent') : server ? 'rke2-server' : 'rke2-agent',
    };
  }
  return undefined;
}

/** `k3s --version` → "v1.28.5+k3s1"; `rke2 --version` → "v1.28.5+rke2r1". */
export function k3sVersionFromCli(out: string): string | undefined {
  return out.match(/\bversion (v\d+\.\d+\.\d+[^\s]*)/)?.[1];
}

// ---- registries.yaml (the subset k3s reads: mirrors.<host>.endpoint/rewrite, configs.<host>.tls/auth) ----

export type Yaml = string | Yaml[] | { [k: string]: Yaml };

export function unquoteYaml(s: string): string {
  const t = s.trim();
  if (t.startsWith('"') && t.endsWith('"') && t.length >= 2) return JSON.parse(t) as string;
  if (t.startsWith("'") && t.endsWith("'") && t.length >= 2) return t.slice(1, -1).replace(/''/g, "'");
  return t;
}

/** The line without its trailing comment (a # outside quotes, at the start or after white space). */
export function stripYamlComment(line: string): string {
  let q: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === q) q = undefined;
      else if (c === '\\' && q === '"') i++;
    } else if (c === '"' || c === "'") q = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

/** Splits "key: value" at the first colon outside quotes that is followed by a space or the end. */
export function splitYamlKey(s: string): [string, string] | undefined {
  let q: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (c === q) q = undefined;
    } else if (c === '"' || c === "'") q = c;
    else if (c === ':' && (i + 1 === s.length || s[i + 1] === ' ')) return [unquoteYaml(s.slice(0, i)), s.slice(i + 1).trim()];
  }
  return undefined;
}

function flowSeq(s: string): string[] {
  const inner = s.trim().slice(1, -1).trim();
  if (!inner) return [];
  return inner.split(',').map(unquoteYaml);
}

function scalar(v: string): Yaml {
  return v.startsWith('[') && v.endsWith(']') ? flowSeq(v) : unquoteYaml(v);
}

/** A double-quoted scalar JSON.parse refuses (`"\q"`): an error naming the line, never JSON.parse's own message (newer
 *  engines quote the text around the fault — a password's characters). */
function quoted<T>(no: number, read: () => T): T {
  try {
    return read();
  } catch (err) {
    // no cause attached on purpose: its message is the one that may quote the secret
    // eslint-disable-next-line preserve-caught-error
    if (err instanceof SyntaxError) throw new Error(`line ${no}: invalid escape in a double-quoted string`);
    throw err;
  }
}

interface Line {
  indent: number;
  text: string;
  no: number;
}

/** A block nested deeper than the deepest real registries.yaml by far is refused (each level is one recursion: a file of
 *  thousands of ever more indented lines overflowed the stack, RangeError). */
const MAX_YAML_DEPTH = MAX_DOCUMENT_DEPTH;

function parseBlock(lines: Line[], start: number, indent: number, depth = 0): [Yaml, number] {
  const first = lines[start];
  if (!first || first.indent < indent) return [{}, start];
  if (depth >= MAX_YAML_DEPTH) throw new Error(`line ${first.no}: mappings or sequences nested more than ${MAX_YAML_DEPTH} levels deep`);
  const ind = first.indent;
  if (first.text.startsWith('- ') || first.text === '-') {
    const seq: Yaml[] = [];
    let i = start;
    while (i < lines.length && lines[i]!.indent === ind && (lines[i]!.text.startsWith('- ') || lines[i]!.text === '-')) {
      const rest = lines[i]!.text.slice(1).trim();
      const no = lines[i]!.no;
      if (rest && quoted(no, () => splitYamlKey(rest))) {
        // "- key: value" starts a mapping item
        const sub: Line[] = [{ indent: ind + 2, text: rest, no: lines[i]!.no }];
        let j = i + 1;
        while (j < lines.length && lines[j]!.indent > ind) sub.push(lines[j++]!);
        seq.push(parseBlock(sub, 0, ind + 2, depth + 1)[0]);
        i = j;
      } else if (rest) {
        seq.push(quoted(no, () => scalar(rest)));
        i++;
      } else {
        const [v, next] = parseBlock(lines, i + 1, ind + 1, depth + 1);
        seq.push(v);
        i = next;
      }
    }
    return [seq, i];
  }
  const map: { [k: string]: Yaml } = {};
  let i = start;
  while (i < lines.length && lines[i]!.indent === ind) {
    const l = lines[i]!;
    const kv = quoted(l.no, () => splitYamlKey(l.text));
    if (!kv) throw new Error(`line ${l.no}: expected "key: value"`);
    const [k, v] = kv;
    if (v && v !== '|' && v !== '>') {
      map[k] = quoted(l.no, () => scalar(v));
      i++;
    } else {
      const next = lines[i + 1];
      if (next && (next.indent > ind || (next.indent === ind && next.text.startsWith('- ')))) {
        const [val, n] = parseBlock(lines, i + 1, next.indent, depth + 1);
        map[k] = val;
        i = n;
      } else {
        map[k] = '';
        i++;
      }
    }
  }
  if (i < lines.length && lines[i]!.indent > ind) throw new Error(`line ${lines[i]!.no}: unexpected indentation`);
  return [map, i];
}

/** Parses the block-style YAML subset registries.yaml uses (mappings, sequences, flow lists, quoted scalars). */
export function parseYamlSubset(text: string): Yaml {
  const lines: Line[] = [];
  for (const [n, raw] of text.split(/\r?\n/).entries()) {
    if (raw.includes('\t') && /^\s*\t/.test(raw)) throw new Error(`line ${n + 1}: tab in indentation`);
    const s = stripYamlComment(raw).replace(/(?<!\s)\s+$/, '');
    if (!s.trim() || s.trim() === '---') continue;
    lines.push({ indent: s.length - s.trimStart().length, text: s.trim(), no: n + 1 });
  }
  if (!lines.length) return {};
  const [v, next] = parseBlock(lines, 0, lines[0]!.indent);
  if (next < lines.length) throw new Error(`line ${lines[next]!.no}: unexpected indentation`);
  return v;
}

export interface RegistriesTls {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecureSkipVerify?: boolean;
}
export interface RegistriesYaml {
  mirrors: Record<string, { endpoints: string[]; rewrite: Record<string, string> }>;
  /** Per host (or endpoint host): TLS settings and which auth fields are set — never their values. */
  configs: Record<string, { tls?: RegistriesTls; authFields: string[] }>;
  /** Top-level keys other than mirrors/configs that hold something: gopkg.in/yaml.v2 (rancher/wharfie
   *  GetPrivateRegistries, non-strict Unmarshal into Registry{Mirrors, Configs}) drops them without a word. */
  ignoredKeys?: string[];
}

const obj = (v: Yaml | undefined): Record<string, Yaml> => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});
const str = (v: Yaml | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function parseRegistriesYaml(text: string): RegistriesYaml {
  const doc = obj(parseYamlSubset(text));
  const out: RegistriesYaml = { mirrors: {}, configs: {} };
  const ignored = Object.entries(doc)
    .filter(
      ([k, v]) =>
        k !== 'mirrors' &&
        k !== 'configs' &&
        !['', '{}', '[]'].includes(v as string) &&
        !(typeof v === 'object' && Object.keys(v).length === 0),
    )
    .map(([k]) => k);
  if (ignored.length) out.ignoredKeys = ignored;
  for (const [host, m] of Object.entries(obj(doc.mirrors))) {
    const ep = obj(m).endpoint;
    const endpoints = Array.isArray(ep) ? ep.filter((e): e is string => typeof e === 'string') : typeof ep === 'string' ? [ep] : [];
    const rewrite: Record<string, string> = {};
    for (const [p, r] of Object.entries(obj(obj(m).rewrite))) if (typeof r === 'string') rewrite[p] = r;
    out.mirrors[host] = { endpoints, rewrite };
  }
  for (const [host, c] of Object.entries(obj(doc.configs))) {
    const t = obj(obj(c).tls);
    const tls: RegistriesTls | undefined = Object.keys(t).length
      ? {
          caFile: str(t.ca_file),
          certFile: str(t.cert_file),
          keyFile: str(t.key_file),
          insecureSkipVerify: t.insecure_skip_verify === 'true' ? true : undefined,
        }
      : undefined;
    const authFields = Object.entries(obj(obj(c).auth))
      .filter(([, v]) => str(v) !== undefined)
      .map(([k]) => k)
      .sort();
    out.configs[host] = { tls, authFields };
  }
  return out;
}

// ---- what k3s renders for a host, and the comparison with the rendered hosts.toml ----

export interface RenderedHost {
  uri: string;
  ca?: string;
  client?: [string, string];
  skipVerify: boolean;
  rewrite: Record<string, string>;
}

/** A rendered hosts.toml: the top-level server (with its own TLS keys) and the [host."…"] tables. */
export interface RenderedHostsFile {
  server?: RenderedHost;
  hosts: RenderedHost[];
}

function renderedEntry(uri: string, h: Record<string, unknown>): RenderedHost {
  const ca = Array.isArray(h.ca) ? (h.ca[0] as string | undefined) : typeof h.ca === 'string' ? h.ca : undefined;
  const c = Array.isArray(h.client) ? (h.client[0] as unknown) : undefined;
  return {
    uri,
    ca,
    client: Array.isArray(c) ? [String(c[0]), String(c[1])] : undefined,
    skipVerify: h.skip_verify === true,
    rewrite: (h.rewrite ?? {}) as Record<string, string>,
  };
}

export function parseRenderedHosts(text: string): RenderedHostsFile {
  const doc = parseToml(text) as Record<string, unknown>;
  const hosts = (doc.host ?? {}) as Record<string, Record<string, unknown>>;
  return {
    server: typeof doc.server === 'string' ? renderedEntry(doc.server, doc) : undefined,
    hosts: Object.entries(hosts).map(([uri, h]) => renderedEntry(uri, h)),
  };
}

/** The certs.d directory name k3s writes for a registries.yaml host ("*" → _default). */
export function hostDirName(host: string): string {
  return host === '*' ? '_default' : host;
}

const isLocalhost = (host: string) => /^(localhost|127(\.\d+){3}|\[::1\])(:\d+)?$/.test(host);

/**
 * An endpoint as k3s normalises it before rendering (as containerd would): no scheme → https (http for localhost on a
 * port other than 443); docker.io → registry-1.docker.io. Returns the origin (the path is /v2 or an override path and
 * is not compared) and the registry name whose configs entry applies.
 */
export function normalizeEndpoint(endpoint: string): { origin: string; registry: string } | undefined {
  let u: URL;
  try {
    u = new URL(endpoint.includes('://') ? endpoint : `k3s-none://${endpoint}`);
  } catch {
    return undefined;
  }
  let scheme = u.protocol.slice(0, -1);
  const host = u.host;
  if (scheme === 'k3s-none') scheme = isLocalhost(host) && u.port !== '' && u.port !== '443' ? 'http' : 'https';
  const registry = host;
  const h = host === 'docker.io' ? 'registry-1.docker.io' : host;
  return { origin: `${scheme}://${h}`, registry: h === 'registry-1.docker.io' ? 'docker.io' : registry };
}

function configFor(reg: RegistriesYaml, name: string): { tls?: RegistriesTls; hasAuth: boolean } {
  const c = (name === 'docker.io' ? reg.configs['registry-1.docker.io'] : undefined) ?? reg.configs[name];
  return { tls: c?.tls, hasAuth: !!c?.authFields.length };
}

interface ExpectedEndpoint {
  origin: string;
  tls?: RegistriesTls;
  rewrite: Record<string, string>;
  hasConfig: boolean;
}
interface ExpectedHost {
  default?: ExpectedEndpoint;
  endpoints: ExpectedEndpoint[];
}

/** What k3s renders per certs.d directory for this registries.yaml (hosts left with only defaults are not written). */
export function expectedRendering(reg: RegistriesYaml): Record<string, ExpectedHost> {
  const out: Record<string, ExpectedHost> = {};
  const def = (host: string, tls?: RegistriesTls, hasAuth = false): ExpectedEndpoint | undefined => {
    if (host === '*') return undefined;
    const n = normalizeEndpoint(host);
    return n ? { origin: n.origin, tls, rewrite: {}, hasConfig: !!tls || hasAuth } : undefined;
  };
  for (const [host, c] of Object.entries(reg.configs))
    out[hostDirName(host)] = { default: def(host, c.tls, c.authFields.length > 0), endpoints: [] };
  for (const [host, m] of Object.entries(reg.mirrors)) {
    const cfg = configFor(reg, host);
    const h = out[hostDirName(host)] ?? { default: def(host, cfg.tls, cfg.hasAuth), endpoints: [] };
    const seen = new Set<string>();
    m.endpoints.forEach((ep, i) => {
      const n = normalizeEndpoint(ep);
      if (!n || seen.has(n.origin)) return;
      seen.add(n.origin);
      const c = configFor(reg, n.registry);
      const e: ExpectedEndpoint = { origin: n.origin, tls: c.tls, rewrite: m.rewrite, hasConfig: true };
      if (i + 1 === m.endpoints.length && h.default && h.default.origin === n.origin)
        h.default = { ...e, hasConfig: !!c.tls || c.hasAuth || Object.keys(m.rewrite).length > 0 };
      else h.endpoints.push(e);
    });
    out[hostDirName(host)] = h;
  }
  for (const [dir, h] of Object.entries(out)) if (!h.endpoints.length && !h.default?.hasConfig) delete out[dir];
  return out;
}

const origin = (u: string) => normalizeEndpoint(u)?.origin ?? u;

function tlsDiffs(what: string, want: ExpectedEndpoint, got: RenderedHost): Message[] {
  const d: Message[] = [];
  const t = want.tls;
  if ((t?.caFile ?? undefined) !== got.ca) d.push(msg('node.k3s.diff.ca', { what, want: t?.caFile ?? '', got: got.ca ?? '' }));
  if (!!t?.insecureSkipVerify !== got.skipVerify)
    d.push(msg('node.k3s.diff.skipVerify', { what, want: String(!!t?.insecureSkipVerify), got: String(got.skipVerify) }));
  const cert = t?.certFile || t?.keyFile ? `${t.certFile ?? ''},${t.keyFile ?? ''}` : '';
  if (cert !== (got.client ? got.client.join(',') : '')) d.push(msg('node.k3s.diff.client', { what }));
  const rw = (x: Record<string, string>) => JSON.stringify(Object.entries(x).sort());
  if (rw(want.rewrite) !== rw(got.rewrite)) d.push(msg('node.k3s.diff.rewrite', { what }));
  return d;
}

/**
 * Differences between what registries.yaml asks for and the rendered certs.d, each a sentence (English). `rendered`
 * maps a host directory name to its parsed hosts.toml; `generatedDirs` lists the directories whose hosts.toml k3s/RKE2
 * generated.
 */
export function compareRendered(
  reg: RegistriesYaml,
  rendered: Record<string, RenderedHostsFile | undefined>,
  generatedDirs: string[],
): string[] {
  return compareRenderedMessages(reg, rendered, generatedDirs).map((m) => messageIn('en', m));
}

/** compareRendered's differences as catalogue messages (rendered in the reader's language). */
export function compareRenderedMessages(
  reg: RegistriesYaml,
  rendered: Record<string, RenderedHostsFile | undefined>,
  generatedDirs: string[],
): Message[] {
  const diffs: Message[] = [];
  const expected = expectedRendering(reg);
  for (const [dir, want] of Object.entries(expected)) {
    const got = rendered[dir];
    if (!got) {
      diffs.push(msg('node.k3s.diff.notRendered', { host: dir === '_default' ? '"*"' : dir, dir }));
      continue;
    }
    for (const ep of want.endpoints) {
      const h = got.hosts.find((x) => origin(x.uri) === ep.origin);
      if (!h) diffs.push(msg('node.k3s.diff.endpointMissing', { endpoint: ep.origin, dir }));
      else diffs.push(...tlsDiffs(ep.origin, ep, h));
    }
    if (want.default?.hasConfig) {
      // the registry itself: rendered as the top-level server (or, by older releases, as a [host] table)
      const h = got.hosts.find((x) => origin(x.uri) === want.default!.origin) ?? got.server;
      if (h) diffs.push(...tlsDiffs(want.default.origin, want.default, h));
    }
    const known = new Set([...want.endpoints.map((e) => e.origin), ...(want.default ? [want.default.origin] : [])]);
    for (const x of got.hosts) if (!known.has(origin(x.uri))) diffs.push(msg('node.k3s.diff.stale', { dir, uri: x.uri }));
  }
  for (const dir of generatedDirs) if (!expected[dir]) diffs.push(msg('node.k3s.diff.orphan', { dir }));
  return diffs;
}
