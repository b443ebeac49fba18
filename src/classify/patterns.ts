// The pattern table: one row per wording, most specific first. Adding a wording is one row (and one fixture).
// `why` is the reason the row maps to its cause — shown to the operator as part of the explanation.
import type { CauseCode } from '../core/causes.js';

export interface PatternRow {
  id: string;
  code: CauseCode;
  re: RegExp;
  why: string;
}

export const PATTERNS: PatternRow[] = [
  // --- runtime configuration -----------------------------------------------------------------------------------
  { id: 'mirrors-config-path', code: 'config-conflict', re: /`mirrors` cannot be set when `config_path` is provided/, why: 'containerd refuses its CRI plugin when legacy mirrors and config_path are both set.' },
  { id: 'configs-tls-config-path', code: 'config-conflict', re: /`configs\.tls` cannot be set when `config_path` is provided/, why: 'containerd 1.5–1.7 refuses its CRI plugin when configs.tls and config_path are both set.' },
  { id: 'cri-unknown-service', code: 'runtime-unavailable', re: /unknown service runtime\.v1(?:alpha2)?\.(?:Image|Runtime)Service/, why: 'containerd answers, but its CRI plugin is not loaded (usually a configuration error at start).' },
  { id: 'cri-socket-dial', code: 'runtime-unavailable', re: /(?:transport: )?Error while dialing:? dial unix [^:]*(?:containerd|crio|cri-dockerd)\.sock|validate service connection: .*(?:connection refused|no such file)/i, why: 'The CRI socket does not answer: the runtime is down or on another path.' },
  { id: 'toml-unknown-key', code: 'config-ignored', re: /Ignoring unknown key in TOML/, why: 'containerd ignores a key it does not know for this config version (often a table under the wrong plugin name).' },
  // --- proxies (before network errors: the dial error is the proxy's) -------------------------------------------
  { id: 'proxyconnect', code: 'proxy', re: /proxyconnect tcp:/, why: 'The connection that failed is the one to the HTTP(S) proxy, not to the registry.' },
  { id: 'proxy-auth', code: 'proxy', re: /Proxy Authentication Required|\b407\b.*[Pp]roxy/, why: 'The proxy demands authentication for the CONNECT tunnel.' },
  // --- DNS before timeouts: a resolver timeout is not a registry timeout -----------------------------------------
  { id: 'dns-lookup', code: 'dns', re: /lookup ([^\s:]+)(?: on [^:]+:\d+)?: (?:no such host|server misbehaving|Temporary failure in name resolution|read udp [^:]+:\d+->[^:]+:\d+: i\/o timeout|i\/o timeout|dial udp [^:]+:\d+: connect: network is unreachable|.*?connect: network is unreachable)/, why: 'The name lookup failed: this is the node’s DNS, even when the message says "timeout".' },
  { id: 'dns-curl', code: 'dns', re: /Could not resolve host|Name or service not known|getaddrinfo ENOTFOUND/, why: 'The registry name does not resolve.' },
  // --- transport ------------------------------------------------------------------------------------------------
  { id: 'refused', code: 'connection-refused', re: /connect: connection refused|ECONNREFUSED|Connection refused/, why: 'Nothing listens on that address and port (or a firewall rejects the connection).' },
  { id: 'plain-http', code: 'plain-http-registry', re: /server gave HTTP response to HTTPS client/, why: 'The registry speaks plain HTTP; the runtime used HTTPS. insecure_skip_verify does not change that — only an http:// server/endpoint does.' },
  { id: 'http-to-https', code: 'http-client-to-https-server', re: /Client sent an HTTP request to an HTTPS server|The plain HTTP request was sent to HTTPS port/, why: 'The runtime uses plain HTTP against a port that only speaks HTTPS.' },
  { id: 'tls-not-tls', code: 'tls-handshake-failed', re: /first record does not look like a TLS handshake|tls: (?:handshake failure|protocol version not supported|no supported versions)|remote error: tls: (?:handshake failure|protocol version not supported|insufficient security level)|wrong version number/, why: 'The TLS handshake itself fails (protocol/cipher mismatch, or not TLS at all).' },
  { id: 'tls-timeout', code: 'timeout', re: /TLS handshake timeout/, why: 'The TCP connection opened but the TLS handshake never completed (stuck server, proxy or firewall).' },
  // --- certificates, in Go's order of precedence -----------------------------------------------------------------
  { id: 'sha1', code: 'insecure-signature', re: /insecure algorithm (?:SHA1|MD5|MD2)|x509sha1|ca md too weak/, why: 'A certificate in the chain is signed with SHA-1 (or MD5), which Go 1.18+ refuses.' },
  { id: 'not-yet-valid', code: 'not-yet-valid', re: /certificate has expired or is not yet valid: current time \S+ is before|certificate is not yet valid/, why: 'notBefore lies in the future: the certificate is brand new with a skewed clock, or this node’s clock is wrong.' },
  { id: 'expired', code: 'expired', re: /certificate has expired|certificate has expired or is not yet valid|x509: certificate expired|CERT_HAS_EXPIRED/, why: 'A certificate is past notAfter. If the registry’s own certificate is valid, it may be an old root or intermediate with the same name in the node’s trust store or the bundle.' },
  { id: 'ip-san', code: 'ip-san-missing', re: /doesn't contain any IP SANs/, why: 'The registry is addressed by IP and its certificate has no IP SAN.' },
  { id: 'legacy-cn', code: 'legacy-common-name', re: /legacy Common Name field|x509ignoreCN/, why: 'The certificate names the host only in its Common Name; Go ignores it.' },
  { id: 'name-mismatch', code: 'hostname-mismatch', re: /certificate is valid for [^,]+(?:, [^,]+)*, not \S+|certificate is not valid for any names|not authorized to sign for this name|does not match hostname|no alternative certificate subject name matches|Hostname\/IP does not match/, why: 'The certificate does not list the name the registry is reached by.' },
  { id: 'eku', code: 'incompatible-key-usage', re: /incompatible key usage|not authorized for an extended key usage/, why: 'The certificate (or a CA above it) is not valid for TLS server authentication.' },
  { id: 'client-cert', code: 'client-cert-required', re: /remote error: tls: (?:bad certificate|certificate required|unknown certificate authority|certificate unknown|unsupported certificate|access denied)|tlsv13 alert certificate required|alert bad certificate/, why: 'The registry rejected the TLS client certificate, or wanted one (mTLS) — the server-side alert shows up as a "remote error".' },
  { id: 'self-signed-openssl', code: 'self-signed', re: /self[- ]signed certificate(?! in certificate chain)|DEPTH_ZERO_SELF_SIGNED_CERT/, why: 'The registry certificate is self-signed and not trusted.' },
  { id: 'incomplete-openssl', code: 'incomplete-chain', re: /unable to verify the first certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE/, why: 'The server does not send its intermediate certificate.' },
  { id: 'unknown-authority', code: 'untrusted-ca', re: /certificate signed by unknown authority|unable to get local issuer certificate|self[- ]signed certificate in certificate chain|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT/, why: 'The chain does not end at a CA the runtime trusts. From this text alone it can be a private CA, a self-signed certificate or a missing intermediate: `regdoctor diagnose` tells them apart.' },
  // --- registry answers ------------------------------------------------------------------------------------------
  { id: 'rate-limit', code: 'rate-limited', re: /toomanyrequests|429 Too Many Requests|pull rate limit|TOOMANYREQUESTS/i, why: 'The registry throttles pulls (Docker Hub anonymous limits, for example).' },
  { id: 'platform', code: 'platform-mismatch', re: /no match for platform in manifest|no matching manifest for [\w/.-]+ in the manifest list|does not match the specified platform|image operating system "\w+" cannot be used on this platform|exec format error/, why: 'The image has no variant for this node’s OS/architecture.' },
  { id: 'pull-secret-missing', code: 'credentials-missing', re: /Unable to retrieve some image pull secrets|FailedToRetrieveImagePullSecret|secret "[^"]+" not found/, why: 'A pull secret the pod references does not exist in its namespace (secrets are never shared across namespaces).' },
  { id: 'anonymous-token-401', code: 'credentials-missing', re: /failed to fetch anonymous token: unexpected status.*?: 401|no basic auth credentials|authentication required|unauthorized: incorrect username or password/, why: 'The registry needs credentials and none were sent (or they were rejected).' },
  { id: 'pull-access-denied', code: 'unauthorized', re: /pull access denied|requested access to the resource is denied|insufficient_scope|denied: access forbidden|authorization failed/, why: 'The registry refused access. The same answer is given for repositories that do not exist — check the name too.' },
  { id: 'status-401-403', code: 'unauthorized', re: /\b(?:401 Unauthorized|403 Forbidden)\b|status code \[?[^\]]*\]?: 40[13]/, why: 'The registry rejected the request as unauthenticated or forbidden.' },
  { id: 'not-found', code: 'not-found', re: /manifest unknown|MANIFEST_UNKNOWN|NAME_UNKNOWN|repository name not known|: not found\b|not found: manifest|reading manifest [^\s]+ in [^\s]+: manifest unknown|manifest for \S+ not found|404 Not Found/, why: 'The registry has no such repository or tag — or hides a private repository from clients without the right credentials.' },
  // --- generic timeouts last -------------------------------------------------------------------------------------
  { id: 'io-timeout', code: 'timeout', re: /i\/o timeout|context deadline exceeded|Client\.Timeout exceeded|net\/http: request canceled|ETIMEDOUT|operation timed out|connect: no route to host|network is unreachable/, why: 'The registry did not answer in time: packets dropped by a firewall, a wrong address, or an overloaded server.' },
];
