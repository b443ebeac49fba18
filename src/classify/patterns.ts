// The pattern table: one row per wording, most specific first. Adding a wording is one row (and one fixture).
// `why` is the reason the row maps to its cause — shown to the operator as part of the explanation.
//
// The wordings are those of the code that produces them: Go's net ("dial tcp", "lookup <host> on <dns>:53"),
// crypto/tls ("first record does not look like a TLS handshake", "oversized record received with length N",
// "remote error: tls: <alert>"), crypto/x509, net/http ("server gave HTTP response to HTTPS client", "malformed HTTP
// response", "request canceled while waiting for connection"); containerd's remotes/docker resolver and authorizer
// ("failed to fetch anonymous|oauth token: unexpected status", "pull access denied, repository does not exist or may
// require authorization"); the distribution error codes (MANIFEST_UNKNOWN "manifest unknown", NAME_UNKNOWN,
// BLOB_UNKNOWN "blob unknown to registry", UNAUTHORIZED "authentication required", DENIED "requested access to the
// resource is denied", TOOMANYREQUESTS); containers/image (podman, skopeo, CRI-O: "initializing source docker://…",
// "reading manifest T in R", "pinging container registry"); the Docker daemon ("pull access denied for R, repository
// does not exist or may require 'docker login'", "error pulling image configuration", "no matching manifest for
// P in the manifest list entries"); cloud registries' error bodies (ECR "Your Authorization Token has expired", GAR
// `Permission "artifactregistry.repositories.downloadArtifacts" denied`, ACR "visit https://aka.ms/acr/authorization",
// GHCR "denied", Quay "access to the requested resource is not authorized", Harbor "unauthorized to access
// repository").
import type { CauseCode } from '../core/causes.js';

export interface PatternRow {
  id: string;
  /** `unknown` rows recognise a wording that names no cause this tool can act on; they explain, never guess. */
  code: CauseCode;
  re: RegExp;
  why: string;
  /** Other causes that produce the same text, most likely first. */
  alt?: CauseCode[];
  /** How to tell `code` and `alt` apart; `{diagnose}` is replaced by the suggested live-diagnosis command. */
  tell?: string;
  /** Where a bare line with this wording counts as a pull error (extraction only; classification ignores it):
   *  - `pull-context`: the wording is common outside pulls (shell "not found", HTTP 5xx, EOF): only when the line
   *    also names something of a pull (image, registry, manifest, blob, …);
   *  - `not-cluster`: a Go network error: unless the line is a probe, API-server or etcd failure.
   *  Rows without it are specific enough on their own (x509, registry error codes, runtime wordings). */
  needs?: 'pull-context' | 'not-cluster';
}

const CLOCK =
  'compare the node clock (`date -u`) with the dates in the message or in `openssl s_client -connect <host>:<port> | openssl x509 -noout -dates`';

export const PATTERNS: PatternRow[] = [
  // --- runtime configuration and reachability ----------------------------------------------------------------------
  {
    id: 'mirrors-config-path',
    code: 'config-conflict',
    re: /`mirrors` cannot be set when `config_path` is provided/,
    why: 'containerd refuses its CRI plugin when legacy mirrors and config_path are both set.',
  },
  {
    id: 'configs-tls-config-path',
    code: 'config-conflict',
    re: /`configs\.tls` cannot be set when `config_path` is provided/,
    why: 'containerd 1.5–1.7 refuses its CRI plugin when configs.tls and config_path are both set.',
  },
  {
    id: 'cri-unknown-service',
    code: 'runtime-unavailable',
    re: /unknown service runtime\.v1(?:alpha2)?\.(?:Image|Runtime)Service/,
    why: 'containerd answers, but its CRI plugin is not loaded (usually a configuration error at start).',
  },
  {
    id: 'cri-socket-dial',
    code: 'runtime-unavailable',
    re: /dial unix \S*?(?:containerd|crio|cri-dockerd|dockershim|docker)\.sock|validate service connection: .*(?:connection refused|no such file)|Cannot connect to the Docker daemon|\berror during connect: /i,
    why: 'The runtime’s own socket or API does not answer: the runtime is down, on another path, or the client talks to the wrong daemon — no registry was contacted.',
  },
  // containers/image (CRI-O, podman, skopeo): node configuration that stops every pull before any registry is asked
  {
    id: 'cimage-registries-toml',
    code: 'config-invalid',
    re: /loading registries configuration "[^"]*": toml:/,
    why: 'containers/image cannot parse registries.conf (or a registries.conf.d drop-in): CRI-O and podman refuse every pull until the file is fixed; the message names the file and line.',
  },
  {
    id: 'cimage-short-name-unresolved',
    code: 'config-conflict',
    re: /short-name "[^"]*" did not resolve to an alias and no (?:unqualified-search registries are defined|containers-registries\.conf\(5\) was found)/,
    why: 'The image is a short name (no registry host): containers/image resolves it only through aliases and unqualified-search-registries in registries.conf — not through docker.io — and none are defined. Use a fully qualified name, or add the registry to unqualified-search-registries.',
  },
  {
    id: 'cimage-short-name-ambiguous',
    code: 'config-conflict',
    re: /short-name resolution enforced but cannot prompt without a TTY/,
    why: 'short-name-mode = "enforcing" with several unqualified-search registries and no alias: containers/image refuses to guess which registry is meant. Use a fully qualified name or add an alias.',
  },
  {
    id: 'cimage-blocked',
    code: 'config-conflict',
    re: /registry \S+ is blocked in \S*registries\.conf/,
    why: 'registries.conf (or a drop-in) has `blocked = true` for this registry: CRI-O and podman refuse every pull from it before contacting it.',
  },
  {
    id: 'toml-unknown-key',
    code: 'config-ignored',
    re: /Ignoring unknown key in TOML/,
    why: 'containerd ignores a key it does not know for this config version (often a table under the wrong plugin name).',
  },
  // --- proxies (before network errors: the dial error is the proxy's) -------------------------------------------
  {
    id: 'proxyconnect',
    code: 'proxy',
    re: /proxyconnect tcp:|error connecting to proxy/,
    why: 'The connection that failed is the one to the HTTP(S) proxy, not to the registry (check HTTPS_PROXY: host, port and scheme).',
  },
  {
    id: 'proxy-auth',
    code: 'proxy',
    re: /Proxy Authentication Required|\b407\b.*[Pp]roxy/,
    why: 'The proxy demands authentication for the CONNECT tunnel.',
  },
  // --- DNS before timeouts: a resolver timeout is not a registry timeout -----------------------------------------
  {
    id: 'dns-lookup',
    code: 'dns',
    re: /\blookup [^\s:]+(?: on \S+)?: \S|Temporary failure in name resolution|getaddrinfow?: No such host/i,
    why: 'The name lookup failed: this is the node’s DNS (resolver unreachable, name unknown or resolver timing out), even when the message says "timeout" or "connection refused".',
    needs: 'not-cluster',
  },
  {
    id: 'dns-curl',
    code: 'dns',
    re: /Could not resolve host|Name or service not known|getaddrinfo ENOTFOUND/,
    why: 'The registry name does not resolve.',
  },
  // --- transport ------------------------------------------------------------------------------------------------
  {
    id: 'refused',
    code: 'connection-refused',
    re: /connection refused|ECONNREFUSED/i,
    why: 'Nothing listens on that address and port (or a firewall rejects the connection).',
    alt: ['proxy'],
    tell: 'if the address is not the registry’s, it is a proxy or mirror from the node’s configuration; {diagnose} shows which endpoint was used',
    needs: 'not-cluster',
  },
  {
    id: 'plain-http',
    code: 'plain-http-registry',
    re: /server gave HTTP response to HTTPS client|tls: oversized record received with length 20527\b/,
    why: 'The registry speaks plain HTTP; the runtime used HTTPS ("oversized record … 20527" is Go reading the bytes "HTTP/" as a TLS record). insecure_skip_verify does not change that — only an http:// server/endpoint does.',
  },
  {
    id: 'http-to-https',
    code: 'http-client-to-https-server',
    re: /Client sent an HTTP request to an HTTPS server|The plain HTTP request was sent to HTTPS port|malformed HTTP response "\\x1[56]\\x03/,
    why: 'The runtime uses plain HTTP against a port that only speaks HTTPS (the "malformed HTTP response \\x15\\x03…" bytes are a TLS alert read as HTTP).',
  },
  {
    id: 'tls-not-tls',
    code: 'tls-handshake-failed',
    re: /first record does not look like a TLS handshake|tls: oversized record received|tls: (?:handshake failure|protocol version not supported|no supported versions)|remote error: tls: (?:handshake failure|protocol version not supported|insufficient security level|internal error)|wrong version number|unknown protocol/,
    why: 'The TLS handshake itself fails (protocol/cipher mismatch, or what answers is not TLS at all).',
    alt: ['plain-http-registry', 'proxy'],
    tell: 'a port that answers something else than TLS (plain HTTP behind a different server, a proxy) gives the same error; {diagnose} probes the port',
  },
  {
    id: 'tls-timeout',
    code: 'timeout',
    re: /TLS handshake timeout/,
    why: 'The TCP connection opened but the TLS handshake never completed (stuck server, proxy or firewall).',
    alt: ['proxy'],
    tell: 'a proxy or firewall that swallows TLS looks the same; {diagnose} tries the registry directly',
    needs: 'not-cluster',
  },
  // --- certificates, in Go's order of precedence -----------------------------------------------------------------
  {
    id: 'sha1',
    code: 'insecure-signature',
    re: /insecure algorithm (?:SHA1|MD5|MD2)|x509sha1|ca md too weak/,
    why: 'A certificate in the chain is signed with SHA-1 (or MD5), which Go 1.18+ refuses.',
  },
  {
    id: 'not-yet-valid',
    code: 'not-yet-valid',
    re: /certificate has expired or is not yet valid: current time \S+ is before|certificate is not yet valid/,
    why: 'notBefore lies in the future: the certificate is brand new with a skewed clock, or this node’s clock is wrong.',
  },
  {
    id: 'expired',
    code: 'expired',
    re: /certificate has expired or is not yet valid: current time \S+ is after|certificate has expired(?! or)|x509: certificate expired|CERT_HAS_EXPIRED/,
    why: 'A certificate is past notAfter. If the registry’s own certificate is valid, it may be an old root or intermediate with the same name in the node’s trust store or the bundle.',
  },
  {
    id: 'expired-or-not-yet',
    code: 'expired',
    re: /certificate has expired or is not yet valid/,
    why: 'A certificate is outside its validity period (older Go does not say which end). If the registry’s own certificate is valid, it may be an old root or intermediate in the node’s trust store.',
    alt: ['not-yet-valid'],
    tell: CLOCK,
  },
  {
    id: 'ip-san',
    code: 'ip-san-missing',
    re: /doesn't contain any IP SANs/,
    why: 'The registry is addressed by IP and its certificate has no IP SAN.',
  },
  {
    id: 'legacy-cn',
    code: 'legacy-common-name',
    re: /legacy Common Name field|x509ignoreCN/,
    why: 'The certificate names the host only in its Common Name; Go ignores it.',
  },
  {
    id: 'name-mismatch',
    code: 'hostname-mismatch',
    re: /certificate is valid for [^,]+(?:, [^,]+)*, not \S+|certificate is not valid for any names|not authorized to sign for this name|does not match hostname|no alternative certificate subject name matches|Hostname\/IP does not match/,
    why: 'The certificate does not list the name the registry is reached by.',
    alt: ['tls-interception'],
    tell: 'if the names listed belong to your company or a gateway rather than the registry, a proxy intercepts TLS; {diagnose} shows the chain',
  },
  {
    id: 'eku',
    code: 'incompatible-key-usage',
    re: /incompatible key usage|not authorized for an extended key usage/,
    why: 'The certificate (or a CA above it) is not valid for TLS server authentication.',
  },
  {
    id: 'client-cert',
    code: 'client-cert-required',
    re: /remote error: tls: (?:bad certificate|certificate required|unknown certificate authority|certificate unknown|unsupported certificate|access denied)|tlsv13 alert certificate required|alert bad certificate/,
    why: 'The registry rejected the TLS client certificate, or wanted one (mTLS) — the server-side alert shows up as a "remote error".',
  },
  {
    id: 'self-signed-openssl',
    code: 'self-signed',
    re: /self[- ]signed certificate(?! in certificate chain)|DEPTH_ZERO_SELF_SIGNED_CERT/,
    why: 'The registry certificate is self-signed and not trusted.',
  },
  {
    id: 'incomplete-openssl',
    code: 'incomplete-chain',
    re: /unable to verify the first certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE/,
    why: 'The server does not send its intermediate certificate.',
  },
  {
    id: 'unknown-authority',
    code: 'untrusted-ca',
    re: /certificate signed by unknown authority|unable to get local issuer certificate|self[- ]signed certificate in certificate chain|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT/,
    why: 'The chain does not end at a CA the runtime trusts.',
    alt: ['self-signed', 'incomplete-chain', 'tls-interception'],
    tell: '{diagnose} fetches the chain and says whether it is a private CA, a self-signed certificate, a missing intermediate or a proxy’s certificate',
  },
  // --- registry answers ------------------------------------------------------------------------------------------
  {
    id: 'rate-limit',
    code: 'rate-limited',
    re: /toomanyrequests|Too Many Requests|pull rate limit|\bStatus 429\b|\bHAP429\b|rate limit exceeded/i,
    why: 'The registry throttles pulls (Docker Hub limits anonymous pulls per IP, for example).',
  },
  {
    id: 'platform',
    code: 'platform-mismatch',
    re: /no match for platform in manifest|no matching manifest for [\w/.-]+ in the manifest list|does not match the specified platform|image operating system "\w+" cannot be used on this platform|exec user process caused:? "?exec format error/i,
    why: 'The image has no variant for this node’s OS/architecture (or the variant pulled is for another CPU).',
  },
  {
    id: 'exec-format',
    code: 'platform-mismatch',
    re: /exec format error/,
    why: 'The binary in the image is built for another CPU architecture.',
    needs: 'pull-context',
  },
  {
    id: 'pull-secret-missing',
    code: 'credentials-missing',
    re: /Unable to retrieve (?:some image )?pull secrets?|FailedToRetrieveImagePullSecret|\bsecrets? "[^"]+" not found/,
    why: 'A pull secret the pod references does not exist in its namespace (secrets are never shared across namespaces).',
  },
  {
    id: 'ecr-token-expired',
    code: 'unauthorized',
    re: /Authorization Token has expired/i,
    why: 'Amazon ECR rejects a login token older than 12 hours: the credentials are stale, not absent.',
    tell: 'refresh with `aws ecr get-login-password` (or the credential helper / kubelet credential provider) and pull again',
  },
  {
    id: 'gar-permission',
    code: 'unauthorized',
    re: /Permission "artifactregistry\.[\w.]+" denied|PERMISSION_DENIED/,
    why: 'Artifact Registry refuses the identity that pulled (node service account or pull secret) — or the repository does not exist ("or it may not exist").',
    alt: ['not-found'],
    tell: 'check that the repository path exists (`gcloud artifacts repositories list`), then grant roles/artifactregistry.reader to the pulling identity',
  },
  {
    id: 'pull-access-denied',
    code: 'unauthorized',
    re: /pull access denied|requested access to the resource is denied|insufficient_scope|denied: access forbidden|authorization failed|error from registry: denied|\bdenied: denied\b|\bDENIED: /,
    why: 'The registry refused access. Registries give this same answer for a repository that does not exist and for a private one without the right credentials.',
    alt: ['not-found', 'credentials-missing'],
    tell: 'check the image name and tag first; then {diagnose} with the pod’s credentials — it checks the name and the credentials separately',
  },
  {
    id: 'credentials-rejected',
    code: 'unauthorized',
    re: /failed to fetch oauth token: unexpected status[^\n]*?: 40[13]|incorrect username or password|invalid username\/password/i,
    why: 'Credentials were sent (containerd asks for an OAuth token only when it has some) and the registry’s token service rejected them.',
    alt: ['credentials-mismatch'],
    tell: 'log in by hand with the same user (`crictl pull --creds` or `docker login`); if that works, the node or pod uses other credentials — {diagnose} shows which',
  },
  {
    id: 'anonymous-token',
    code: 'credentials-missing',
    re: /failed to fetch anonymous token: unexpected status[^\n]*?: 40[13]|no basic auth credentials|authentication required/,
    why: 'The registry needs credentials and none were sent.',
    alt: ['credentials-mismatch', 'unauthorized'],
    tell: 'if the pod has an imagePullSecret, its registry key does not match the image’s host and port exactly (kubelet then sends nothing); `regdoctor diagnose pod/<name>` checks the match',
  },
  {
    id: 'status-401-403',
    code: 'unauthorized',
    re: /\b(?:401 Unauthorized|403 Forbidden)\b|status code \[?[^\]\n]*\]?: 40[13]|HTTP 40[13] response|unexpected status[^:\n]*: 40[13]\b|: unauthorized["'\s.]*$|error from registry: unauthorized|access to the requested resource is not authorized|unauthorized: \{|unauthorized to access repository/im,
    why: 'The registry rejected the request as unauthenticated or forbidden.',
    alt: ['credentials-missing', 'not-found'],
    tell: 'a registry answers the same for no credentials, wrong credentials and (often) a repository that does not exist; {diagnose} with the pod’s credentials tells them apart',
    needs: 'pull-context',
  },
  {
    // containerd's local content store (content/local/store.go: "blob %s expected at %s: %w"): a blob of the cached
    // image is gone from disk while the runtime's metadata still lists it. Before `not-found`: it ends in "not found".
    id: 'local-content-missing',
    code: 'unknown',
    re: /\bblob sha256:[0-9a-f]{64} expected at \S+: blob not found|content digest sha256:[0-9a-f]{64}: not found/,
    why: 'The runtime’s own image store lost a blob of the cached image (the file under io.containerd.content.v1.content/blobs is gone while containerd still lists it) — not the registry. Remove the cached image (`crictl rmi <image>`, or `regdoctor fix <image>`) and pull again.',
  },
  {
    id: 'not-found',
    code: 'not-found',
    re: /manifest unknown|MANIFEST_UNKNOWN|NAME_UNKNOWN|\bname unknown\b|repository name not known|: not found\b|not found: manifest|manifest for \S+ not found|404 Not Found|HTTP 404 response|\bimage \S+ not found|\bTag \S+ not found in repository|\brepository \S+ not found|blob unknown|unknown blob|BLOB_UNKNOWN|code = NotFound/,
    why: 'The registry has no such repository, tag or blob — or hides a private repository from clients without the right credentials.',
    alt: ['unauthorized'],
    tell: 'list the tags (`crane ls <repo>` or the registry UI); if the tag exists, {diagnose} with the pod’s credentials',
    needs: 'pull-context',
  },
  // --- generic timeouts last -------------------------------------------------------------------------------------
  {
    id: 'dial-timeout-bare',
    code: 'timeout',
    re: /dial tcp: i\/o timeout/,
    why: 'The connection attempt timed out before an address was known: Go prints this when the deadline expires during name resolution or while dialling.',
    alt: ['dns'],
    tell: 'run `getent hosts <registry host>` on the node: if it hangs, it is DNS',
    needs: 'not-cluster',
  },
  {
    id: 'io-timeout',
    code: 'timeout',
    re: /i\/o timeout|context deadline exceeded|DeadlineExceeded|Client\.Timeout exceeded|net\/http: request canceled|ETIMEDOUT|operation timed out|connect: no route to host|no route to host|network is unreachable/,
    why: 'The registry did not answer in time: packets dropped by a firewall, a wrong address, or an overloaded server.',
    alt: ['proxy'],
    tell: 'if the node must use a proxy, the runtime does not have HTTPS_PROXY; {diagnose} tries the path the runtime uses',
    needs: 'not-cluster',
  },
  // --- recognised, but no cause regdoctor can act on: explained, never guessed (code stays `unknown`) ----------------
  {
    id: 'server-error',
    code: 'unknown',
    re: /\b50[0-4]\b[^\n]{0,40}?(?:Bad Gateway|Service Unavailable|Internal Server Error|Gateway Time-?out)|Bad Gateway|Service Unavailable|Internal Server Error|HTTP code:? 50\d|unexpected HTTP status: 5\d\d/,
    why: 'The registry — or a gateway or proxy in front of it — answered with a server error (5xx). Nothing on this node is misconfigured for that answer to happen; retry later or look at the registry/proxy logs.',
    alt: ['proxy'],
    tell: 'if the node uses a proxy, pull once without it; 502/504 usually come from the proxy or load balancer',
    needs: 'pull-context',
  },
  {
    // containerd's CheckRedirect (remotes/docker/resolver.go, 1.5.5+) and Go's default both stop at the 10th redirect;
    // Go's url.Error then names that Location as the server sent it (measured: test/e2e/runtime-truth-walk.e2e.test.ts › 12)
    id: 'redirect-limit',
    code: 'unknown',
    re: /stopped after 10 redirects/,
    why: "The runtime's HTTP client follows at most 9 redirects: the registry, a proxy or the blob storage in front of it redirects in a loop or through a chain of 10 or more. The URL in the message is the last Location as the server sent it (it may be relative). Fix the redirect rules on that side; nothing on the node changes it.",
    tell: '{diagnose} follows the chain like containerd and shows each hop',
  },
  {
    id: 'connection-cut',
    code: 'unknown',
    re: /connection reset by peer|unexpected EOF|: EOF\b|\bread: connection reset/,
    why: 'The connection was closed in the middle of the exchange (reset or EOF). Flaky networks, a proxy or a firewall that cuts long transfers, or a registry restarting do this; the text alone does not say which.',
    alt: ['proxy', 'tls-interception', 'timeout'],
    tell: 'pull again while watching `journalctl -u containerd`; if it always fails at the same point, {diagnose}',
    needs: 'pull-context',
  },
  {
    id: 'disk-full',
    code: 'unknown',
    re: /no space left on device/,
    why: 'The node ran out of disk space (or inodes) while unpacking layers — not a registry problem; free space under the runtime root (`crictl rmi --prune`).',
    needs: 'pull-context',
  },
  {
    id: 'bad-reference',
    code: 'unknown',
    re: /invalid reference format|couldn't parse image reference|Invalid image name|InvalidImageName/,
    why: 'The image reference itself is malformed (uppercase letters, a scheme such as https://, an empty variable); no registry was contacted.',
    needs: 'pull-context',
  },
  {
    id: 'pull-canceled',
    code: 'unknown',
    re: /context canceled/,
    why: 'The pull was cancelled before it finished (kubelet gave up after its progress deadline, or the client stopped); the cause lies in what made it slow.',
    alt: ['timeout'],
    needs: 'pull-context',
  },
  {
    id: 'html-answer',
    code: 'unknown',
    re: /unexpected media type text\/html|invalid character '<' looking for beginning of value/,
    why: 'Something answered with an HTML page instead of the registry API — usually a proxy, captive portal or wrong endpoint.',
    alt: ['proxy'],
    needs: 'pull-context',
  },
  {
    id: 'signature',
    code: 'unknown',
    re: /missing signature key|unsupported schema version|signature verification failed/,
    why: 'The image’s signature or manifest schema is rejected by the client’s trust policy; this is not a connectivity or credential problem.',
    needs: 'pull-context',
  },
];
