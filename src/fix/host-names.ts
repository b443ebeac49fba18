// Registry host names that become directory names under certs.d, and endpoint URLs that go into hosts.toml. A host
// name is never a path: every name is checked against the image-reference domain grammar (src/core/reference.ts)
// before it is joined to a directory, and the joined path is checked to stay directly under its root.
import { parseRegistry } from '../core/reference.js';
import { isLoopbackHost } from '../runtime/endpoints.js';
import { hostDirNames, type Semver } from '../runtime/containerd-config.js';
import { MessageError } from './errors.js';
import { msg, type Message } from '../i18n/index.js';

export class HostNameError extends MessageError {
  override name = 'HostNameError';
}

/** Characters a registry domain (host[:port], [v6]:port) can contain — anything else is refused before parsing. */
const DOMAIN_CHARS = /^[A-Za-z0-9.\-:[\]]+$/;

/** What a checked name is, in the messages (`registry host`, `target registry host`, `mirror endpoint host`). */
export type HostRole = 'registry' | 'target' | 'mirror';
const ROLE: Record<HostRole, Message> = {
  registry: msg('fix.host.registry'),
  target: msg('fix.host.target'),
  mirror: msg('fix.host.mirror'),
};

/** Throws HostNameError unless `name` is a registry host[:port] by the reference grammar. Returns it unchanged. */
export function validateRegistryHost(name: string, role: HostRole = 'registry'): string {
  const what = ROLE[role];
  if (typeof name !== 'string' || name === '' || !DOMAIN_CHARS.test(name) || name.startsWith('.') || name.includes('..')) {
    throw new HostNameError(msg('fix.host.notDirName', { what, name: JSON.stringify(name) }));
  }
  try {
    parseRegistry(name);
  } catch (err) {
    throw new HostNameError(msg('fix.host.notHost', { what, name: JSON.stringify(name), error: (err as Error).message }));
  }
  return name;
}

/** `<root>/<name>`, refusing anything that is not exactly one path component directly under root. */
export function joinHostDir(root: string, name: string): string {
  const r = root.replace(/(?<!\/)\/+$/, '') || '/';
  // containerd's names: _default, host[:port], and host_port_ (hostDirectory's form of host:port)
  const portForm = name.match(/^(.+)_(\d+)_$/);
  if (name !== '_default') validateRegistryHost(portForm ? `${portForm[1]}:${portForm[2]}` : name);
  if (name.includes('/') || name === '.' || name === '..' || name === '')
    throw new HostNameError(msg('fix.host.notDir', { name: JSON.stringify(name) }));
  return `${r === '/' ? '' : r}/${name}`;
}

/** The directory regdoctor writes for a host: an existing one containerd would read first, else `<root>/<host>`. */
export function hostDirFor(root: string, host: string, v: Semver, existing: (dir: string) => boolean = () => false): string {
  validateRegistryHost(host);
  for (const name of hostDirNames(host, v).filter((n) => n !== '_default')) {
    const dir = joinHostDir(root, name);
    if (existing(dir)) return dir;
  }
  return joinHostDir(root, host);
}

export interface EndpointUrl {
  /** The URL as it goes into hosts.toml (scheme kept, path kept when not /v2-only). */
  url: string;
  scheme: 'http' | 'https';
  /** host[:port] */
  host: string;
  /** Path as given ('' when none). */
  path: string;
}

/** containerd's legacy rule for an endpoint without a scheme: http for localhost/loopback, https otherwise. */
function defaultScheme(hostPort: string): 'http' | 'https' {
  const h = hostPort.startsWith('[') ? hostPort.slice(1, hostPort.indexOf(']')) : hostPort.replace(/:\d+$/, '');
  return isLoopbackHost(h) ? 'http' : 'https';
}

/** Parses a legacy mirror endpoint ("host:port", "http://h", "https://h/path") like containerd does; validates it. */
export function parseEndpoint(endpoint: string): EndpointUrl {
  if (typeof endpoint !== 'string' || endpoint === '' || /[\s\\]/.test(endpoint))
    throw new HostNameError(msg('fix.host.notUrl', { endpoint: JSON.stringify(endpoint) }));
  const withScheme = endpoint.includes('://') ? endpoint : `${defaultScheme(endpoint.split('/')[0]!)}://${endpoint}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new HostNameError(msg('fix.host.notUrl', { endpoint: JSON.stringify(endpoint) }));
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new HostNameError(msg('fix.host.scheme', { endpoint: JSON.stringify(endpoint) }));
  if (u.username || u.password || u.search || u.hash)
    throw new HostNameError(msg('fix.host.extras', { endpoint: JSON.stringify(endpoint) }));
  // the host as written (URL lower-cases it; containerd compares the written form)
  const afterScheme = withScheme.slice(withScheme.indexOf('://') + 3);
  const host = afterScheme.split('/')[0]!;
  validateRegistryHost(host, 'mirror');
  if (
    host.toLowerCase() !== u.host.toLowerCase() &&
    !(u.port === '' && host.replace(/:(80|443)$/, '').toLowerCase() === u.host.toLowerCase())
  ) {
    throw new HostNameError(msg('fix.host.sameHost', { endpoint: JSON.stringify(endpoint) }));
  }
  const path = afterScheme.slice(host.length);
  if (path.includes('..')) throw new HostNameError(msg('fix.host.relative', { endpoint: JSON.stringify(endpoint) }));
  return { url: `${u.protocol}//${host}${path}`, scheme: u.protocol === 'http:' ? 'http' : 'https', host, path };
}
