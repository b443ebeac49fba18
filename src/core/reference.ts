// Image references parsed and normalised the way the runtimes do (docker/distribution reference grammar):
// docker.io + library/ normalisation, registry ports, IPv6 literals, tags, digests, lowercase rules.
import { isIP } from '../text/ip.js';
import { msg, textIn, tr, type Message, type MessageKey, type ParamsOf } from '../i18n/index.js';

export interface ImageReference {
  input: string;
  /** Registry part: `docker.io`, `reg.test:5000`, `[fd00::1]:5000`. */
  domain: string;
  /** Repository path inside the registry: `library/nginx`. */
  path: string;
  /** Tag; `latest` when neither tag nor digest was given. */
  tag?: string;
  digest?: string;
  /** Fully qualified, as containerd's CRI stores it: `docker.io/library/nginx:latest`. */
  normalized: string;
  /** Short form as docker prints it: `nginx:latest`. */
  familiar: string;
  /** What goes after /manifests/ (digest wins over tag, as containerd resolves by digest). */
  manifestReference: string;
}

export class InvalidReferenceError extends Error {
  constructor(
    /** English: Docker's `invalid reference format` prefix, regdoctor's explanation, the input (kept for --json). */
    message: string,
    readonly input: string,
    /** regdoctor's explanation as a catalogue message. */
    readonly why?: Message,
  ) {
    super(message);
    this.name = 'InvalidReferenceError';
  }

  /** The error line for a person: Docker's `invalid reference format` prefix as it is, the explanation in the
   *  active language. */
  localized(): string {
    return this.why ? `invalid reference format: ${tr(this.why)} (${JSON.stringify(this.input)})` : this.message;
  }
}

const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const DOCKER_HUB_API = 'registry-1.docker.io';
const NAME_TOTAL_LENGTH_MAX = 255;

const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const ipv6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const hostRe = `(?:${domainName}|${ipv6})`;
const domainRe = `${hostRe}(?::[0-9]+)?`;
const alphaNumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphaNumeric}(?:${separator}${alphaNumeric})*`;
const tagRe = '[\\w][\\w.-]{0,127}';
const digestRe = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';

/** distribution/reference's DomainRegexp, anchored: a registry host[:port] (also used by the CRI-O reader). */
export const ANCHORED_DOMAIN = new RegExp(`^${domainRe}$`);
/** A repository path: path components joined by '/', anchored. */
export const ANCHORED_PATH = new RegExp(`^${pathComponent}(?:/${pathComponent})*$`);
/** One path component, anchored. */
export const ANCHORED_PATH_COMPONENT = new RegExp(`^${pathComponent}$`);
const ANCHORED_TAG = new RegExp(`^${tagRe}$`);
const ANCHORED_DIGEST = new RegExp(`^${digestRe}$`);
const ANCHORED_IDENTIFIER = /^[a-f0-9]{64}$/;

function fail<K extends MessageKey>(input: string, key: K, ...params: ParamsOf<K>): never {
  throw new InvalidReferenceError(
    `invalid reference format: ${textIn('en', key, ...params)} (${JSON.stringify(input)})`,
    input,
    msg(key, ...params),
  );
}

/** Splits `name[:tag][@digest]` into its three parts without validating them. */
function splitReference(s: string): { name: string; tag?: string; digest?: string } {
  let rest = s;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const lastColon = rest.lastIndexOf(':');
  // A colon after the last slash is a tag separator (a colon before it belongs to the domain's port)...
  // ...unless it is inside a bracketed IPv6 domain with no path at all.
  if (lastColon > lastSlash && !(lastSlash === -1 && rest.startsWith('[') && rest.lastIndexOf(']') > lastColon)) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
  }
  return { name: rest, tag, digest };
}

/** Does the first path component look like a registry domain (the docker rule)? */
function looksLikeDomain(component: string): boolean {
  return /[.:]/.test(component) || component === 'localhost' || component.toLowerCase() !== component || component.startsWith('[');
}

/** Parses an image reference exactly like `docker pull`, containerd's CRI and kubelet normalise it. */
export function parseImageReference(input: string): ImageReference {
  const s = input.trim();
  if (s === '') fail(input, 'probe.ref.empty');
  if (/\s/.test(s)) fail(input, 'probe.ref.whitespace');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) fail(input, 'probe.ref.scheme', { ref: dropScheme(s) });
  if (ANCHORED_IDENTIFIER.test(s)) fail(input, 'probe.ref.hex64');

  const { name, tag, digest } = splitReference(s);
  if (name === '') fail(input, 'probe.ref.empty');

  let domain: string;
  let remainder: string;
  const slash = name.indexOf('/');
  if (slash === -1 || !looksLikeDomain(name.slice(0, slash))) {
    domain = DEFAULT_DOMAIN;
    remainder = name;
  } else {
    domain = name.slice(0, slash);
    remainder = name.slice(slash + 1);
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = `library/${remainder}`;

  if (remainder.toLowerCase() !== remainder) fail(input, 'probe.ref.lowercase', { name: remainder });
  if (!ANCHORED_DOMAIN.test(domain)) fail(input, 'probe.ref.domain', { domain: JSON.stringify(domain) });
  if (domain.startsWith('[') && !isIP(domain.slice(1, domain.indexOf(']'))))
    fail(input, 'probe.ref.ipv6', { address: JSON.stringify(domain) });
  const port = domain.match(/:(\d+)$/)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) fail(input, 'probe.ref.port', { port });
  if (remainder === '' || !ANCHORED_PATH.test(remainder)) fail(input, 'probe.ref.path', { path: JSON.stringify(remainder) });
  const fullName = `${domain}/${remainder}`;
  if (fullName.length > NAME_TOTAL_LENGTH_MAX) fail(input, 'probe.ref.tooLong', { max: NAME_TOTAL_LENGTH_MAX });
  if (tag !== undefined && !ANCHORED_TAG.test(tag)) fail(input, 'probe.ref.tag', { tag: JSON.stringify(tag) });
  if (digest !== undefined && !ANCHORED_DIGEST.test(digest)) fail(input, 'probe.ref.digest', { digest: JSON.stringify(digest) });

  const effectiveTag = tag ?? (digest === undefined ? 'latest' : undefined);
  const suffix = `${effectiveTag !== undefined ? `:${effectiveTag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
  let familiarName = fullName;
  if (domain === DEFAULT_DOMAIN) {
    familiarName = remainder.startsWith('library/') && remainder.split('/').length === 2 ? remainder.slice(8) : remainder;
  }
  return {
    input,
    domain,
    path: remainder,
    tag: effectiveTag,
    digest,
    normalized: `${fullName}${suffix}`,
    familiar: `${familiarName}${suffix}`,
    manifestReference: digest ?? effectiveTag!,
  };
}

/** Splits `host[:port]` / `[v6]:port` into its parts. */
function splitHostPort(domain: string): { hostname: string; port?: number } {
  if (domain.startsWith('[')) {
    const end = domain.indexOf(']');
    const rest = domain.slice(end + 1);
    return { hostname: domain.slice(1, end), port: rest.startsWith(':') ? Number(rest.slice(1)) : undefined };
  }
  const i = domain.lastIndexOf(':');
  if (i === -1) return { hostname: domain };
  return { hostname: domain.slice(0, i), port: Number(domain.slice(i + 1)) };
}

/** A registry host as the runtimes see it. */
export interface RegistryHost {
  /** `host[:port]` exactly as it keys hosts.toml directories and auth entries (e.g. `docker.io`, `reg.test:5000`). */
  name: string;
  /** Host name or IP (IPv6 without brackets) taken from `name`. */
  hostname: string;
  /** Explicit port from the reference, if any. */
  port?: number;
  /** `host[:port]` that the runtime actually connects to by default (`registry-1.docker.io` for `docker.io`). */
  apiHost: string;
  /** Hostname part of apiHost. */
  apiHostname: string;
  /** Port the runtime connects to by default for HTTPS (explicit port, else 443). */
  apiPort: number;
}

export interface Target {
  /** What the user typed. */
  input: string;
  kind: 'image' | 'registry';
  /** Parsed image reference (kind = image). */
  image?: ImageReference;
  registry: RegistryHost;
}

/** The registry host behind an image domain (docker.io is served from registry-1.docker.io). */
export function registryHost(domain: string): RegistryHost {
  const { hostname, port } = splitHostPort(domain);
  const lower = hostname.toLowerCase();
  const apiHostname = domain === DEFAULT_DOMAIN ? DOCKER_HUB_API : lower;
  const apiPort = port ?? 443;
  const bracket = (h: string) => (isIP(h) === 6 ? `[${h}]` : h);
  return {
    name: domain,
    hostname: lower,
    port,
    apiHost: port !== undefined ? `${bracket(apiHostname)}:${port}` : bracket(apiHostname),
    apiHostname,
    apiPort,
  };
}

/** `https://reg/app` → `reg/app` (for the message that says to drop it). */
const dropScheme = (s: string) => s.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');

/** Parses `host`, `host:port`, `[v6]:port` or `https://host:port/` as a registry target. */
export function parseRegistry(input: string): RegistryHost {
  let s = input.trim();
  const scheme = s.match(/^([a-z][a-z0-9+.-]*):\/\//i);
  if (scheme) {
    if (!/^https?$/i.test(scheme[1]!)) fail(input, 'probe.ref.unsupportedScheme', { scheme: scheme[1]! });
    s = s.slice(scheme[0].length);
  }
  // (the look-behind starts a slash run at its first slash only: linear on a long run)
  s = s.replace(/(?<!\/)\/+(v2\/?)?$/, '');
  // `http://reg/team/app`: an image reference written as a URL
  if (s.includes('/')) {
    if (scheme) fail(input, 'probe.ref.scheme', { ref: s });
    fail(input, 'probe.ref.registryPath');
  }
  if (!ANCHORED_DOMAIN.test(s)) fail(input, 'probe.ref.host', { host: JSON.stringify(s) });
  const { hostname, port } = splitHostPort(s);
  if (s.startsWith('[') && !isIP(hostname)) fail(input, 'probe.ref.ipv6', { address: JSON.stringify(s) });
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) fail(input, 'probe.ref.portBare');
  if (s === LEGACY_DEFAULT_DOMAIN || s === DOCKER_HUB_API) s = DEFAULT_DOMAIN;
  return registryHost(s);
}

/** Is this input a bare registry (host[:port] or URL) rather than an image reference? */
export function looksLikeRegistry(input: string): boolean {
  const s = input.trim();
  if (/^https?:\/\//i.test(s)) return true;
  if (s.includes('/') || s.includes('@')) return false;
  if (s.startsWith('[')) return true;
  const host = s.replace(/:\d+$/, '');
  if (host.includes(':')) return false; // name:tag
  return host.includes('.') || host === 'localhost' || isIP(host) !== 0;
}

/** `diagnose <image-ref | host[:port]>`: builds the target, or throws ReferenceError with a clear message. */
export function parseTarget(input: string): Target {
  if (looksLikeRegistry(input)) {
    return { input, kind: 'registry', registry: parseRegistry(input) };
  }
  const image = parseImageReference(input);
  return { input, kind: 'image', image, registry: registryHost(image.domain) };
}
