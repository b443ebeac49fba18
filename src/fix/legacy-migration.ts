// Exact migration of the legacy CRI registry tables (`mirrors`, `configs."…".tls`) into hosts.toml files, so that
// `config_path` can be enabled without changing what any pull does. containerd's legacy rules, reproduced:
//  * a registry uses `mirrors."<host>"` if present, else `mirrors."*"`; endpoints keep their order and scheme
//    (no scheme: http for localhost/loopback, https otherwise); the registry's default host (docker.io →
//    registry-1.docker.io) is appended unless an endpoint's host already equals the registry host;
//  * every endpoint can pull and resolve (never push); its TLS comes from `configs."<endpoint host>".tls`
//    (ca_file, cert_file + key_file, insecure_skip_verify); TLS settings of an http:// endpoint have no effect;
//  * an endpoint path other than /v2 is used as given (hosts.toml: override_path).
// Every host name is validated with the reference grammar; anything that cannot be expressed exactly is refused.
import { HostNameError, joinHostDir, parseEndpoint, validateRegistryHost, type EndpointUrl } from './host-names.js';
import { ensureDecodable, type HostSettings, type HostsModel } from './hosts-toml.js';
import { isLoopbackHost } from '../runtime/endpoints.js';
import { MessageError, errorParam } from './errors.js';
import { messageIn, msg, type Message } from '../i18n/index.js';

export class MigrationError extends MessageError {
  override name = 'MigrationError';
}

export interface RawRegistry {
  mirrors: Record<string, { endpoint?: unknown }>;
  configs: Record<string, { tls?: Record<string, unknown> }>;
}

export interface MigratedHost {
  /** Registry key in config.toml ("*" for the wildcard). */
  key: string;
  dir: string;
  model: HostsModel;
  /** English (the write step's description); `noteMessage` for the reader's language. */
  note: string;
  noteMessage: Message;
}

export interface Migration {
  hosts: MigratedHost[];
  /** Tables to remove, relative to the registry table. */
  removeTables: string[][];
  notes: Message[];
}

const TLS_KEYS = new Set(['ca_file', 'cert_file', 'key_file', 'insecure_skip_verify']);

function tlsSettings(raw: RawRegistry, ep: EndpointUrl, notes: Message[]): HostSettings {
  const tls = raw.configs[ep.host]?.tls;
  if (!tls) return {};
  for (const k of Object.keys(tls))
    if (!TLS_KEYS.has(k)) throw new MigrationError(msg('fix.mig.unknownTlsKey', { table: `configs."${ep.host}".tls`, key: k }));
  if (ep.scheme === 'http') {
    notes.push(msg('fix.mig.tlsNotCarried', { table: `configs."${ep.host}".tls`, url: ep.url }));
    return {};
  }
  const s: HostSettings = {};
  const str = (k: string): string | undefined => {
    const v = tls[k];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string') throw new MigrationError(msg('fix.mig.notString', { key: `configs."${ep.host}".tls.${k}` }));
    if (!v.startsWith('/'))
      throw new MigrationError(msg('fix.mig.relativePath', { key: `configs."${ep.host}".tls.${k}`, value: JSON.stringify(v) }));
    return v;
  };
  const ca = str('ca_file');
  const cert = str('cert_file');
  const key = str('key_file');
  if (ca) s.ca = [ca];
  if (cert && key) s.client = [[cert, key]];
  else if (cert || key)
    throw new MigrationError(msg(cert ? 'fix.mig.certWithoutKey' : 'fix.mig.keyWithoutCert', { table: `configs."${ep.host}".tls` }));
  if (tls.insecure_skip_verify !== undefined && typeof tls.insecure_skip_verify !== 'boolean')
    throw new MigrationError(msg('fix.mig.notBoolean', { key: `configs."${ep.host}".tls.insecure_skip_verify` }));
  if (tls.insecure_skip_verify === true) s.skip_verify = true;
  return s;
}

function endpointSettings(raw: RawRegistry, ep: EndpointUrl, notes: Message[]): { url: string; settings: HostSettings } {
  const settings: HostSettings = { capabilities: ['pull', 'resolve'], ...tlsSettings(raw, ep, notes) };
  let url = ep.url;
  const path = ep.path.replace(/(?<!\/)\/+$/, '');
  if (ep.path === '') url = `${ep.scheme}://${ep.host}`;
  else if (!(path === '/v2' || path.endsWith('/v2'))) settings.override_path = true; // legacy uses a non-/v2 path as given
  return { url, settings };
}

function endpointsOf(raw: RawRegistry, key: string): string[] {
  const m = raw.mirrors[key];
  if (!m) return [];
  const e = m.endpoint;
  if (e === undefined) return [];
  if (!Array.isArray(e) || e.some((x) => typeof x !== 'string'))
    throw new MigrationError(msg('fix.mig.notList', { key: `mirrors."${key}".endpoint` }));
  return e as string[];
}

/** The hosts.toml model equivalent to the legacy configuration of one registry key. */
export function migrateKey(raw: RawRegistry, key: string, version: string | undefined, notes: Message[] = []): HostsModel {
  if (key === '*') {
    const eps = endpointsOf(raw, '*').map((e) => parseEndpoint(e));
    const hosts = eps.map((ep) => endpointSettings(raw, ep, notes));
    // no `server`: containerd uses the requested registry itself, last — as the legacy default endpoint
    return {
      root: { capabilities: ['pull', 'resolve'] },
      hosts,
      comments: [
        'Migrated by regdoctor from mirrors."*" in config.toml (containerd uses _default for every host without its own directory).',
      ],
    };
  }
  validateRegistryHost(key);
  const own = raw.mirrors[key] !== undefined;
  const list = own ? endpointsOf(raw, key) : endpointsOf(raw, '*');
  const eps = list.map((e) => parseEndpoint(e));
  const hasSelf = eps.some((e) => e.host === key);
  if (!hasSelf) {
    const defaultHost = key === 'docker.io' ? 'registry-1.docker.io' : key;
    const hn = defaultHost.startsWith('[') ? defaultHost.slice(1, defaultHost.indexOf(']')) : defaultHost.replace(/:\d+$/, '');
    eps.push({
      url: `${isLoopbackHost(hn) ? 'http' : 'https'}://${defaultHost}`,
      scheme: isLoopbackHost(hn) ? 'http' : 'https',
      host: defaultHost,
      path: '',
    });
  }
  const entries = eps.map((ep) => endpointSettings(raw, ep, notes));
  const last = entries[entries.length - 1]!;
  const model: HostsModel = {
    server: last.url,
    root: last.settings,
    hosts: entries.slice(0, -1),
    comments: [
      `Migrated by regdoctor from the legacy ${own ? `mirrors."${key}"` : raw.mirrors['*'] ? 'mirrors."*"' : 'registry'}${raw.configs[key]?.tls ? ` and configs."${key}".tls` : ''} of config.toml (same endpoints, order, schemes and TLS).`,
    ],
  };
  return ensureDecodable(model, version, last.url);
}

/**
 * Every legacy mirror and configs.tls entry as one hosts.toml each (exactly), plus the tables to remove.
 * Throws MigrationError / HostNameError (nothing may be written) when something cannot be migrated exactly.
 */
export function migrateLegacy(
  raw: RawRegistry,
  root: string,
  version: string | undefined,
  exists: (dir: string) => boolean | undefined = () => false,
): Migration {
  const notes: Message[] = [];
  const keys = [...new Set([...Object.keys(raw.mirrors), ...Object.keys(raw.configs).filter((h) => raw.configs[h]?.tls)])];
  const hosts: MigratedHost[] = [];
  const removeTables: string[][] = [];
  for (const key of keys) {
    try {
      const model = migrateKey(raw, key, version, notes);
      const dir = joinHostDir(root, key === '*' ? '_default' : key);
      if (exists(dir)) throw new MigrationError(msg('fix.mig.dirExists', { dir, key }));
      const skip = key === '*' && model.hosts.length === 0;
      const noteMessage =
        key === '*' ? msg('fix.mig.noteWildcard', { file: `${dir}/hosts.toml` }) : msg('fix.mig.note', { key, file: `${dir}/hosts.toml` });
      if (!skip) hosts.push({ key, dir, model, note: messageIn('en', noteMessage), noteMessage });
      if (raw.mirrors[key]) removeTables.push(['mirrors', key]);
      if (raw.configs[key]?.tls) removeTables.push(['configs', key, 'tls']);
    } catch (err) {
      if (err instanceof HostNameError || err instanceof MigrationError)
        throw new MigrationError(msg('fix.mig.cannot', { error: errorParam(err) }));
      throw err;
    }
  }
  return { hosts, removeTables, notes };
}
