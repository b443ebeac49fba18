// The one rule for every path that sends a registry credential (Basic header, token request with Basic, OAuth2
// password / refresh-token grant): send it only where kubelet + containerd would send it, and only over a connection
// that containerd itself would have accepted. Pure: callers bring the facts (effective endpoint, Go-verify replay,
// resolved addresses); this module decides "send" or "withhold: reason".
//
// What containerd does (remotes/docker: authorizer, auth/fetch, config/hosts; CRI ParseAuth), as far as it matters:
// - kubelet passes the pod's (or node's) credentials without a server address, so containerd offers them to every
//   host it tries for the image — the registry and each hosts.toml mirror — when that host answers 401.
// - Basic: the credentials go to that host only (username and secret both required).
// - Bearer: the realm from the challenge is parsed without any scheme check and requested with the HTTP client of
//   the host that challenged (its hosts.toml ca / client / skip_verify): the credentials go to a realm on another
//   host too, over plain HTTP if the realm says http://, to any address. A realm with another scheme (file://,
//   gopher://) fails in Go's client with `unsupported protocol scheme "file"`: nothing is sent.
// - Token requests follow up to 10 redirects with Go's defaults (Authorization dropped on a cross-host redirect, a
//   POST body — the password grant — replayed on 307/308).
// - A host whose certificate fails verification is never sent anything: the handshake fails first.
//
// regdoctor's rule is that set minus whatever is not protected by verification the runtime's own config asks for:
//  (a) the connection verifies with the runtime's trust for that host (Go replay: system roots + the host's
//      hosts.toml ca), or the effective config makes that host plain HTTP or skip_verify;
//  (b) a realm on the same origin as the endpoint inherits (a); a realm on another origin must be https and verify on
//      its own (the registry's skip_verify does not extend to a host the config does not name), never plain HTTP,
//      never a non-http(s) scheme, never a link-local / unspecified / multicast address (cloud metadata ranges);
//  (c) redirects are never followed with a credential.
// Anything withheld is reported, never silently turned into "no credentials" or "unauthorized".
import { isIP } from '../text/ip.js';
import { msg, textIn, type Message, type MessageKey, type ParamsOf } from '../i18n/index.js';

export type WithheldCode =
  | 'tls-unverified'
  | 'tls-not-checked'
  | 'realm-invalid'
  | 'realm-scheme'
  | 'realm-plain-http'
  | 'realm-unverified'
  | 'realm-address'
  | 'redirect';

export type CredentialDecision =
  | {
      send: true;
      /** Why sending is allowed. */
      basis: 'verified' | 'skip-verify' | 'plain-http';
      /** The request carrying the credential must verify TLS (false only for a configured skip_verify host). */
      verifyTls: boolean;
    }
  | {
      send: false;
      code: WithheldCode;
      /** English (evidence, `--json` data). */
      reason: string;
      /** The same reason as a catalogue message (filled into a finding in the reader's language). */
      reasonMessage: Message;
    };

/** A withheld decision: the English reason and its message. */
export function withheld<K extends MessageKey>(
  code: WithheldCode,
  key: K,
  ...params: ParamsOf<K>
): Extract<CredentialDecision, { send: false }> {
  return { send: false, code, reason: textIn('en', key, ...params), reasonMessage: msg(key, ...params) };
}

export interface VerifyState {
  ok: boolean;
  /** Go's error text when not ok. */
  message?: string;
}

export interface EndpointState {
  /** Endpoint base URL as containerd builds it (scheme://host[:port]/v2). */
  url: string;
  /** The effective config gives this host skip_verify = true. */
  skipVerify: boolean;
  /** Go-verify replay of this host's chain with the runtime's trust for it; undefined = not checked. */
  verify?: VerifyState;
}

export interface RealmState {
  url: string;
  /** Go-verify replay of the realm host's chain (https realms on another origin). */
  verify?: VerifyState;
  /** Addresses the realm host resolved to (a literal IP is checked by itself). */
  addresses?: string[];
}

function origin(u: URL): string {
  const port = u.port || (u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '');
  return `${u.protocol}//${u.hostname.toLowerCase()}:${port}`;
}

/** Why an address must never receive a credential (link-local incl. cloud metadata, unspecified, multicast, broadcast),
 *  as a message (English: `textIn('en', …)`); undefined for an address that may. */
export function forbiddenAddress(address: string): Message | undefined {
  const a = address.replace(/^\[|\]$/g, '').toLowerCase();
  const v = isIP(a);
  if (v === 4) {
    const [o1, o2] = a.split('.').map(Number) as [number, number];
    if (o1 === 169 && o2 === 254) return msg('probe.addr.metadataRange', { address: a });
    if (o1 === 0) return msg('probe.addr.unspecified', { address: a });
    if (o1 >= 224 && o1 <= 239) return msg('probe.addr.multicast', { address: a });
    if (a === '255.255.255.255') return msg('probe.addr.broadcast', { address: a });
    return undefined;
  }
  if (v === 6) {
    const mapped = a.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
    if (mapped) return forbiddenAddress(mapped[1]!);
    const hex = a.match(/^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/);
    if (hex) {
      const hi = parseInt(hex[1]!, 16);
      const lo = parseInt(hex[2]!, 16);
      return forbiddenAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
    }
    if (a === '::') return msg('probe.addr.unspecified', { address: a });
    if (/^fe[89ab][0-9a-f]:/.test(a)) return msg('probe.addr.linkLocal', { address: a });
    if (a.startsWith('ff')) return msg('probe.addr.multicast', { address: a });
    if (a === 'fd00:ec2::254') return msg('probe.addr.metadata', { address: a });
    return undefined;
  }
  return undefined;
}

/** Go's client error for a realm it cannot request at all (containerd sends nothing then either). */
export function unsupportedRealmError(realmUrl: string): string | undefined {
  let u: URL;
  try {
    u = new URL(realmUrl);
  } catch {
    return `parse "${realmUrl}": invalid URL`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `unsupported protocol scheme "${u.protocol.replace(/:$/, '')}"`;
  if (!u.hostname) return 'http: no Host in request URL';
  return undefined;
}

/** May a credential go to the endpoint (registry or mirror) itself? */
export function decideEndpoint(ep: EndpointState): CredentialDecision {
  let u: URL;
  try {
    u = new URL(ep.url);
  } catch {
    return withheld('tls-not-checked', 'probe.policy.endpointNotUrl', { url: ep.url });
  }
  if (u.protocol === 'http:') return { send: true, basis: 'plain-http', verifyTls: false };
  if (u.protocol !== 'https:') return withheld('tls-not-checked', 'probe.policy.endpointScheme', { scheme: u.protocol });
  if (ep.skipVerify) return { send: true, basis: 'skip-verify', verifyTls: false };
  if (!ep.verify) return withheld('tls-not-checked', 'probe.policy.notChecked', { host: u.host });
  if (!ep.verify.ok) return withheld('tls-unverified', 'probe.policy.unverified', { host: u.host, error: goErrorOf(ep.verify) });
  return { send: true, basis: 'verified', verifyTls: true };
}

/** May a credential go to this token realm, given the endpoint that challenged? */
export function decideRealm(ep: EndpointState, realm: RealmState): CredentialDecision {
  const bad = unsupportedRealmError(realm.url);
  if (bad) {
    const scheme = /^unsupported protocol scheme/.test(bad);
    return withheld(scheme ? 'realm-scheme' : 'realm-invalid', 'probe.policy.realmUnrequestable', { url: realm.url, error: bad });
  }
  const endpoint = decideEndpoint(ep);
  if (!endpoint.send) return endpoint;
  const r = new URL(realm.url);
  const hostname = r.hostname.replace(/^\[|\]$/g, '');
  for (const a of [...(isIP(hostname) ? [hostname] : []), ...(realm.addresses ?? [])]) {
    const why = forbiddenAddress(a);
    if (why) return withheld('realm-address', 'probe.policy.realmAddress', { host: r.host, why });
  }
  if (origin(r) === origin(new URL(ep.url))) return endpoint;
  if (r.protocol === 'http:')
    return withheld('realm-plain-http', 'probe.policy.realmPlainHttp', { origin: r.origin, host: new URL(ep.url).host });
  if (!realm.verify) return withheld('realm-unverified', 'probe.policy.realmNotChecked', { host: r.host });
  if (!realm.verify.ok)
    return ep.skipVerify
      ? withheld('realm-unverified', 'probe.policy.realmSkipVerify', { host: r.host, error: goErrorOf(realm.verify) })
      : withheld('realm-unverified', 'probe.policy.realmUnverified', { host: r.host, error: goErrorOf(realm.verify) });
  return { send: true, basis: 'verified', verifyTls: true };
}

/** Go's error for a chain that failed verification (byte-exact), or "not trusted" in the reader's language. */
function goErrorOf(v: VerifyState): string | Message {
  return v.message ?? msg('probe.policy.notTrusted');
}

/** A 3xx answer to a request that carried (or would carry) a credential: never followed with it. `what` names the
 *  answering service (a message such as `probe.what.tokenRealm`, so it reads in the reader's language). */
export function redirectWithheld(what: string | Message, status: number, location: string | undefined): CredentialDecision {
  return withheld('redirect', 'probe.policy.redirect', { what, status, location: location ?? '(no Location)' });
}

/** Configured headers (hosts.toml `header`) that may carry a secret: only sent where a credential may go. */
export function isSensitiveHeader(name: string): boolean {
  return /^(authorization|proxy-authorization|cookie)$/i.test(name) || /token|secret|passw|api[-_]?key|auth/i.test(name);
}

export function withoutSensitiveHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (!isSensitiveHeader(k)) out[k] = v;
  return out;
}
