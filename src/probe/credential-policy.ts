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
import { isIP } from 'node:net';

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
  | { send: false; code: WithheldCode; reason: string };

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

/** Why an address must never receive a credential (link-local incl. cloud metadata, unspecified, multicast, broadcast). */
export function forbiddenAddress(address: string): string | undefined {
  const a = address.replace(/^\[|\]$/g, '').toLowerCase();
  const v = isIP(a);
  if (v === 4) {
    const [o1, o2] = a.split('.').map(Number) as [number, number];
    if (o1 === 169 && o2 === 254) return `${a} is link-local (the cloud metadata range)`;
    if (o1 === 0) return `${a} is an unspecified address`;
    if (o1 >= 224 && o1 <= 239) return `${a} is multicast`;
    if (a === '255.255.255.255') return `${a} is broadcast`;
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
    if (a === '::') return `${a} is an unspecified address`;
    if (/^fe[89ab][0-9a-f]:/.test(a)) return `${a} is link-local`;
    if (a.startsWith('ff')) return `${a} is multicast`;
    if (a === 'fd00:ec2::254') return `${a} is the cloud metadata address`;
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
    return { send: false, code: 'tls-not-checked', reason: `endpoint ${ep.url} is not a URL` };
  }
  if (u.protocol === 'http:') return { send: true, basis: 'plain-http', verifyTls: false };
  if (u.protocol !== 'https:')
    return { send: false, code: 'tls-not-checked', reason: `endpoint scheme ${u.protocol} is neither http nor https` };
  if (ep.skipVerify) return { send: true, basis: 'skip-verify', verifyTls: false };
  if (!ep.verify)
    return {
      send: false,
      code: 'tls-not-checked',
      reason: `the certificate of ${u.host} could not be verified as containerd would (no completed TLS handshake to replay)`,
    };
  if (!ep.verify.ok)
    return {
      send: false,
      code: 'tls-unverified',
      reason: `the certificate of ${u.host} fails verification with the runtime's trust (${ep.verify.message ?? 'not trusted'}); containerd stops at the handshake and never sends credentials there`,
    };
  return { send: true, basis: 'verified', verifyTls: true };
}

/** May a credential go to this token realm, given the endpoint that challenged? */
export function decideRealm(ep: EndpointState, realm: RealmState): CredentialDecision {
  const bad = unsupportedRealmError(realm.url);
  if (bad) {
    const scheme = /^unsupported protocol scheme/.test(bad);
    return {
      send: false,
      code: scheme ? 'realm-scheme' : 'realm-invalid',
      reason: `the token realm ${realm.url} cannot be requested (${bad}); containerd fails there too and sends nothing`,
    };
  }
  const endpoint = decideEndpoint(ep);
  if (!endpoint.send) return endpoint;
  const r = new URL(realm.url);
  const hostname = r.hostname.replace(/^\[|\]$/g, '');
  for (const a of [...(isIP(hostname) ? [hostname] : []), ...(realm.addresses ?? [])]) {
    const why = forbiddenAddress(a);
    if (why)
      return {
        send: false,
        code: 'realm-address',
        reason: `the token realm ${r.host} resolves to ${why}; regdoctor never sends credentials there`,
      };
  }
  if (origin(r) === origin(new URL(ep.url))) return endpoint;
  if (r.protocol === 'http:')
    return {
      send: false,
      code: 'realm-plain-http',
      reason: `the token realm ${r.origin} is plain HTTP on another host than ${new URL(ep.url).host}, which the runtime config does not name: containerd would send the credentials there in clear text; regdoctor does not`,
    };
  if (!realm.verify)
    return {
      send: false,
      code: 'realm-unverified',
      reason: `the certificate of token realm ${r.host} could not be verified as containerd would`,
    };
  if (!realm.verify.ok)
    return {
      send: false,
      code: 'realm-unverified',
      reason: ep.skipVerify
        ? `the certificate of token realm ${r.host} fails verification (${realm.verify.message ?? 'not trusted'}); containerd applies the registry's skip_verify to it and would send the credentials, regdoctor does not send them to a host the config does not name`
        : `the certificate of token realm ${r.host} fails verification with the runtime's trust (${realm.verify.message ?? 'not trusted'}); containerd stops at that handshake and never sends credentials there`,
    };
  return { send: true, basis: 'verified', verifyTls: true };
}

/** A 3xx answer to a request that carried (or would carry) a credential: never followed with it. */
export function redirectWithheld(what: string, status: number, location: string | undefined): CredentialDecision {
  return {
    send: false,
    code: 'redirect',
    reason: `${what} answered ${status} redirecting to ${location ?? '(no Location)'}; regdoctor does not follow redirects with credentials`,
  };
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
