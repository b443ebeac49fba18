// The pattern table: one row per wording, most specific first. Adding a wording is one row (and one fixture).
// A gap between two parts of a wording is bounded (`.{0,1024}`, not `.*`): a row runs on messages of up to 64 KiB, and an
// unbounded gap rescanned the rest of the line from every repeat of its first part (test/security/redos.test.ts).
// `why` is the reason the row maps to its cause — shown to the operator as part of the explanation (a catalogue key:
// the English is in src/i18n/explain.en.ts, beside its zh-CN and ja).
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
import type { ExplainTellKey, ExplainWhyKey } from '../i18n/explain.en.js';

export interface PatternRow {
  id: string;
  /** `unknown` rows recognise a wording that names no cause this tool can act on; they explain, never guess. */
  code: CauseCode;
  re: RegExp;
  /** The catalogue key of the reason (English in src/i18n/explain.en.ts, translated beside it). */
  why: ExplainWhyKey;
  /** Other causes that produce the same text, most likely first. */
  alt?: CauseCode[];
  /** How to tell `code` and `alt` apart (a catalogue key); its `{diagnose}` is the suggested live-diagnosis command. */
  tell?: ExplainTellKey;
  /** Where a bare line with this wording counts as a pull error (extraction only; classification ignores it):
   *  - `pull-context`: the wording is common outside pulls (shell "not found", HTTP 5xx, EOF): only when the line
   *    also names something of a pull (image, registry, manifest, blob, …);
   *  - `not-cluster`: a Go network error: unless the line is a probe, API-server or etcd failure.
   *  Rows without it are specific enough on their own (x509, registry error codes, runtime wordings). */
  needs?: 'pull-context' | 'not-cluster';
}

export const PATTERNS: PatternRow[] = [
  // --- runtime configuration and reachability ----------------------------------------------------------------------
  {
    id: 'mirrors-config-path',
    code: 'config-conflict',
    re: /`mirrors` cannot be set when `config_path` is provided/,
    why: 'explain.why.mirrors-config-path',
  },
  {
    id: 'configs-tls-config-path',
    code: 'config-conflict',
    re: /`configs\.tls` cannot be set when `config_path` is provided/,
    why: 'explain.why.configs-tls-config-path',
  },
  {
    // containerd logs a plugin whose init failed and goes on without it (1.x: `failed to load plugin <id>`, 1.7+/2.x:
    // msg="failed to load plugin" … id=<id>; containerd plugin loading in cmd/containerd/server): without the CRI
    // plugin (io.containerd.grpc.v1.cri, 2.x also io.containerd.cri.v1.images|runtime) every CRI call fails. The
    // config-conflict rows above name the two registry causes; any other reason is the CRI plugin's own.
    id: 'cri-plugin-load',
    code: 'runtime-unavailable',
    re: /failed to load plugin\b[^\n]{0,400}?\bio\.containerd\.(?:grpc\.v1\.cri|cri\.v1\.(?:images|runtime))\b/,
    why: 'explain.why.cri-plugin-load',
  },
  {
    id: 'cri-unknown-service',
    code: 'runtime-unavailable',
    re: /unknown service runtime\.v1(?:alpha2)?\.(?:Image|Runtime)Service/,
    why: 'explain.why.cri-unknown-service',
  },
  {
    id: 'cri-socket-dial',
    code: 'runtime-unavailable',
    re: /dial unix \S*?(?:containerd|crio|cri-dockerd|dockershim|docker)\.sock|validate service connection: .{0,1024}(?:connection refused|no such file)|Cannot connect to the Docker daemon|\berror during connect: /i,
    why: 'explain.why.cri-socket-dial',
  },
  // containers/image (CRI-O, podman, skopeo): node configuration that stops every pull before any registry is asked
  {
    id: 'cimage-registries-toml',
    code: 'config-invalid',
    re: /loading registries configuration "[^"]*": toml:/,
    why: 'explain.why.cimage-registries-toml',
  },
  {
    id: 'cimage-short-name-unresolved',
    code: 'config-conflict',
    re: /short-name "[^"]*" did not resolve to an alias and no (?:unqualified-search registries are defined|containers-registries\.conf\(5\) was found)/,
    why: 'explain.why.cimage-short-name-unresolved',
  },
  {
    id: 'cimage-short-name-ambiguous',
    code: 'config-conflict',
    re: /short-name resolution enforced but cannot prompt without a TTY/,
    why: 'explain.why.cimage-short-name-ambiguous',
  },
  {
    id: 'cimage-blocked',
    code: 'config-conflict',
    re: /registry \S+ is blocked in \S*registries\.conf/,
    why: 'explain.why.cimage-blocked',
  },
  {
    id: 'toml-unknown-key',
    code: 'config-ignored',
    re: /Ignoring unknown key in TOML/,
    why: 'explain.why.toml-unknown-key',
  },
  {
    // remotes/docker/config/hosts.go: a hosts.toml that does not parse (or has no [host] table) is logged at error
    // level only — "failed to decode hosts.toml" — and the pull goes on as if the file were not there
    id: 'hosts-toml-decode',
    code: 'config-ignored',
    re: /failed to decode hosts\.toml/,
    why: 'explain.why.hosts-toml-decode',
  },
  {
    // the client certificate configured for the registry does not load: containerd's hosts.go ("failed to load X509
    // key pair: %w") and CRI's legacy configs.tls ("failed to load cert file: %w") around crypto/tls X509KeyPair's own
    // errors (tls.go) — the pull fails before the registry is contacted
    id: 'client-keypair',
    code: 'client-cert-required',
    re: /failed to load X509 key pair|tls: private key does not match public key|tls: found a certificate rather than a key in the PEM for the private key|tls: failed to find (?:any|certificate) PEM data in (?:certificate|key) input/,
    why: 'explain.why.client-keypair',
  },
  // --- proxies (before network errors: the dial error is the proxy's) -------------------------------------------
  {
    // Go's net/http ("proxyconnect tcp: <dial error>", transport.go) and Docker Desktop's forwarding proxy, which names
    // the registry it writes for and then the upstream proxy it failed to reach ("writing response to
    // registry-1.docker.io:443: connecting to 127.0.0.1:1081: …" / "…: resolving internet.corp: lookup …")
    id: 'proxyconnect',
    code: 'proxy',
    re: /proxyconnect tcp:|error connecting to proxy|writing response to \S+:\d+: (?:connecting to|resolving) /,
    why: 'explain.why.proxyconnect',
  },
  {
    id: 'proxy-auth',
    code: 'proxy',
    re: /Proxy Authentication Required|\b407\b.{0,1024}[Pp]roxy/,
    why: 'explain.why.proxy-auth',
  },
  {
    // net/http transport.go (dialConn): when the HTTPS proxy answers the CONNECT with anything but 200, the error is
    // the bare reason phrase of its status line, so a request to an https:// URL ends in `: Forbidden` or `: Bad
    // Request` with no status code — a registry's own 4xx comes back as a response (a code or an error body), never
    // as a url.Error. (A bare `: Bad Gateway` has the same origin; it stays with the server-error row, which names the
    // proxy as an alternative.)
    id: 'proxy-connect-status',
    code: 'proxy',
    re: /\b(?:Get|Head|Post|Put|GET|HEAD) \\?"?https:\/\/[^\s"\\]+\\?"?: (?:Bad Request|Forbidden)(?=\W*$)/,
    why: 'explain.why.proxy-connect-status',
  },
  // --- DNS before timeouts: a resolver timeout is not a registry timeout -----------------------------------------
  {
    id: 'dns-lookup',
    code: 'dns',
    re: /\blookup [^\s:]+(?: on \S+)?: \S|Temporary failure in name resolution|getaddrinfow?: No such host/i,
    why: 'explain.why.dns-lookup',
    needs: 'not-cluster',
  },
  {
    id: 'dns-curl',
    code: 'dns',
    re: /Could not resolve host|Name or service not known|getaddrinfo ENOTFOUND/,
    why: 'explain.why.dns-curl',
  },
  // --- transport ------------------------------------------------------------------------------------------------
  {
    // ECONNREFUSED as Linux/BSD strerror and Node print it; WSAECONNREFUSED (10061) as Windows' FormatMessage words it
    // (Go on Windows: "dial tcp …: connectex: No connection could be made because the target machine actively refused it.")
    id: 'refused',
    code: 'connection-refused',
    re: /connection refused|ECONNREFUSED|target machine actively refused/i,
    why: 'explain.why.refused',
    alt: ['proxy'],
    tell: 'explain.tell.refused',
    needs: 'not-cluster',
  },
  {
    id: 'plain-http',
    code: 'plain-http-registry',
    re: /server gave HTTP response to HTTPS client|tls: oversized record received with length 20527\b/,
    why: 'explain.why.plain-http',
  },
  {
    id: 'http-to-https',
    code: 'http-client-to-https-server',
    re: /Client sent an HTTP request to an HTTPS server|The plain HTTP request was sent to HTTPS port|malformed HTTP response "\\x1[56]\\x03/,
    why: 'explain.why.http-to-https',
  },
  {
    id: 'tls-not-tls',
    code: 'tls-handshake-failed',
    re: /first record does not look like a TLS handshake|tls: oversized record received|tls: (?:handshake failure|protocol version not supported|no supported versions)|remote error: (?:tls: )?(?:handshake failure|protocol version not supported|insufficient security level|internal error)|wrong version number|unknown protocol/,
    why: 'explain.why.tls-not-tls',
    alt: ['plain-http-registry', 'proxy'],
    tell: 'explain.tell.tls-not-tls',
  },
  {
    id: 'tls-timeout',
    code: 'timeout',
    re: /TLS handshake timeout/,
    why: 'explain.why.tls-timeout',
    alt: ['proxy'],
    tell: 'explain.tell.tls-timeout',
    needs: 'not-cluster',
  },
  // --- certificates, in Go's order of precedence -----------------------------------------------------------------
  {
    id: 'sha1',
    code: 'insecure-signature',
    re: /insecure algorithm (?:SHA1|MD5|MD2)|x509sha1|ca md too weak/,
    why: 'explain.why.sha1',
  },
  {
    id: 'not-yet-valid',
    code: 'not-yet-valid',
    re: /certificate has expired or is not yet valid: current time \S+ is before|certificate is not yet valid/,
    why: 'explain.why.not-yet-valid',
  },
  {
    id: 'expired',
    code: 'expired',
    re: /certificate has expired or is not yet valid: current time \S+ is after|certificate has expired(?! or)|x509: certificate expired|CERT_HAS_EXPIRED/,
    why: 'explain.why.expired',
  },
  {
    id: 'expired-or-not-yet',
    code: 'expired',
    re: /certificate has expired or is not yet valid/,
    why: 'explain.why.expired-or-not-yet',
    alt: ['not-yet-valid'],
    tell: 'explain.tell.expired-or-not-yet',
  },
  {
    id: 'ip-san',
    code: 'ip-san-missing',
    re: /doesn't contain any IP SANs/,
    why: 'explain.why.ip-san',
  },
  {
    id: 'legacy-cn',
    code: 'legacy-common-name',
    re: /legacy Common Name field|x509ignoreCN/,
    why: 'explain.why.legacy-cn',
  },
  {
    id: 'name-mismatch',
    code: 'hostname-mismatch',
    re: /certificate is valid for [^,\n]{0,256}?(?:, [^,\s]+)*, not \S+|certificate is not valid for any names|not authorized to sign for this name|does not match hostname|no alternative certificate subject name matches|Hostname\/IP does not match/,
    why: 'explain.why.name-mismatch',
    alt: ['tls-interception'],
    tell: 'explain.tell.name-mismatch',
  },
  {
    id: 'eku',
    code: 'incompatible-key-usage',
    re: /incompatible key usage|not authorized for an extended key usage/,
    why: 'explain.why.eku',
  },
  {
    id: 'client-cert',
    code: 'client-cert-required',
    re: /remote error: (?:tls: )?(?:bad certificate|certificate required|unknown certificate authority|certificate unknown|unsupported certificate|access denied)|tlsv13 alert certificate required|alert bad certificate/,
    why: 'explain.why.client-cert',
  },
  {
    id: 'self-signed-openssl',
    code: 'self-signed',
    re: /self[- ]signed certificate(?! in certificate chain)|DEPTH_ZERO_SELF_SIGNED_CERT/,
    why: 'explain.why.self-signed-openssl',
  },
  {
    id: 'incomplete-openssl',
    code: 'incomplete-chain',
    re: /unable to verify the first certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE/,
    why: 'explain.why.incomplete-openssl',
  },
  {
    id: 'unknown-authority',
    code: 'untrusted-ca',
    re: /certificate signed by unknown authority|unable to get local issuer certificate|self[- ]signed certificate in certificate chain|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT/,
    why: 'explain.why.unknown-authority',
    alt: ['self-signed', 'incomplete-chain', 'tls-interception'],
    tell: 'explain.tell.unknown-authority',
  },
  // --- registry answers ------------------------------------------------------------------------------------------
  {
    id: 'rate-limit',
    code: 'rate-limited',
    re: /toomanyrequests|Too Many Requests|pull rate limit|\bStatus 429\b|\bHAP429\b|rate limit exceeded/i,
    why: 'explain.why.rate-limit',
  },
  {
    id: 'platform',
    code: 'platform-mismatch',
    re: /no match for platform in manifest|no matching manifest for [\w/.-]+ in the manifest list|does not match the specified platform|image operating system "\w+" cannot be used on this platform|exec user process caused:? "?exec format error/i,
    why: 'explain.why.platform',
  },
  {
    // HCS_E_IMAGE_MISMATCH (0xc0370101, hcsshim internal/hcs/errors.go): a process-isolated Windows container must be
    // built for the node's Windows build; older Windows words the same code "The operating system of the container
    // does not match the operating system of the host"
    id: 'windows-os-mismatch',
    code: 'platform-mismatch',
    re: /container operating system does not match the host operating system|operating system of the container does not match the operating system of the host|\b0xc0370101\b/,
    why: 'explain.why.windows-os-mismatch',
  },
  {
    id: 'exec-format',
    code: 'platform-mismatch',
    re: /exec format error/,
    why: 'explain.why.exec-format',
    needs: 'pull-context',
  },
  {
    id: 'pull-secret-missing',
    code: 'credentials-missing',
    re: /Unable to retrieve (?:some image )?pull secrets?|FailedToRetrieveImagePullSecret|\bsecrets? "[^"]+" not found/,
    why: 'explain.why.pull-secret-missing',
  },
  {
    id: 'ecr-token-expired',
    code: 'unauthorized',
    re: /Authorization Token has expired/i,
    why: 'explain.why.ecr-token-expired',
    tell: 'explain.tell.ecr-token-expired',
  },
  {
    // Artifact Registry (and gcr.io served by it) names an anonymous request before the permission it lacks
    id: 'gar-unauthenticated',
    code: 'credentials-missing',
    re: /Unauthenticated requests? do(?:es)? not have permission/,
    why: 'explain.why.gar-unauthenticated',
    alt: ['credentials-mismatch'],
  },
  {
    id: 'gar-permission',
    code: 'unauthorized',
    re: /Permission "artifactregistry\.[\w.]+" denied|PERMISSION_DENIED/,
    why: 'explain.why.gar-permission',
    alt: ['not-found'],
    tell: 'explain.tell.gar-permission',
  },
  {
    // containerd's authorizer (remotes/docker/authorizer.go) says "no basic auth credentials" when the registry asks
    // for Basic auth and none are configured; resolver.go wraps it in "pull access denied, repository does not exist
    // or may require authorization: …" — the inner words say which
    id: 'no-basic-auth',
    code: 'credentials-missing',
    re: /no basic auth credentials/,
    why: 'explain.why.no-basic-auth',
    alt: ['credentials-mismatch'],
    tell: 'explain.tell.no-basic-auth',
  },
  {
    id: 'pull-access-denied',
    code: 'unauthorized',
    // the distribution error code DENIED prints as "denied: <message>" (errcode.Error: lower-cased code, ": ", message),
    // whatever the registry's message: GCR "denied: Caller does not have permission or the resource may not exist …"
    re: /pull access denied|requested access to the resource is denied|insufficient_scope|denied: access forbidden|authorization failed|error from registry: denied|\bdenied: denied\b|\bDENIED: |(?:^|[([:]\s*)denied: \w/,
    why: 'explain.why.pull-access-denied',
    alt: ['not-found', 'credentials-missing'],
    tell: 'explain.tell.pull-access-denied',
  },
  {
    id: 'credentials-rejected',
    code: 'unauthorized',
    re: /failed to fetch oauth token: unexpected status[^\n]{0,1024}?: 40[13]|incorrect username or password|invalid username\/password/i,
    why: 'explain.why.credentials-rejected',
    alt: ['credentials-mismatch'],
    tell: 'explain.tell.credentials-rejected',
  },
  {
    id: 'anonymous-token',
    code: 'credentials-missing',
    re: /failed to fetch anonymous token: unexpected status[^\n]{0,1024}?: 40[13]|no basic auth credentials|authentication required/,
    why: 'explain.why.anonymous-token',
    alt: ['credentials-mismatch', 'unauthorized'],
    tell: 'explain.tell.anonymous-token',
  },
  {
    // the distribution error code UNAUTHORIZED prints as "unauthorized: <message>" like DENIED above, whatever the
    // registry's message (Artifactory "The client does not have permission for manifest", ACR "Requested repository
    // does not match bearer token resource"); its "authentication required" message is the anonymous-token row's
    id: 'status-401-403',
    code: 'unauthorized',
    re: /\b(?:401 Unauthorized|403 Forbidden)\b|status code \[?[^\]\n]{0,1024}\]?: 40[13]|HTTP 40[13] response|unexpected status[^:\n]{0,1024}: 40[13]\b|: unauthorized["'\s.]*$|error from registry: unauthorized|access to the requested resource is not authorized|unauthorized: \{|unauthorized to access repository|unsupported status code 40[13]\b|(?:^|[([:]\s*)unauthorized: \w/im,
    why: 'explain.why.status-401-403',
    alt: ['credentials-missing', 'not-found'],
    tell: 'explain.tell.status-401-403',
    needs: 'pull-context',
  },
  {
    // containerd's local content store (content/local/store.go: "blob %s expected at %s: %w"): a blob of the cached
    // image is gone from disk while the runtime's metadata still lists it. Before `not-found`: it ends in "not found".
    id: 'local-content-missing',
    code: 'unknown',
    re: /\bblob sha256:[0-9a-f]{64} expected at \S+: blob not found|content digest sha256:[0-9a-f]{64}: not found/,
    why: 'explain.why.local-content-missing',
  },
  {
    // the same for the snapshotter: unpacking a layer needs its parent's snapshot (core/unpack/unpacker.go "failed to
    // prepare extraction snapshot %q: %w"; snapshots/storage "parent snapshot %v does not exist: %w" — ErrNotFound)
    id: 'local-snapshot-missing',
    code: 'unknown',
    re: /failed to prepare extraction snapshot|parent snapshot \S+ does not exist/,
    why: 'explain.why.local-snapshot-missing',
  },
  {
    id: 'not-found',
    code: 'not-found',
    re: /manifest unknown|MANIFEST_UNKNOWN|NAME_UNKNOWN|\bname unknown\b|repository name not known|: not found\b|not found: manifest|manifest for \S+ not found|404 Not Found|HTTP 404 response|\bimage \S+ not found|\bTag \S+ not found in repository|\brepository \S+ not found|blob unknown|unknown blob|BLOB_UNKNOWN|code = NotFound|unsupported status code 404\b/,
    why: 'explain.why.not-found',
    alt: ['unauthorized'],
    tell: 'explain.tell.not-found',
    needs: 'pull-context',
  },
  // --- generic timeouts last -------------------------------------------------------------------------------------
  {
    id: 'dial-timeout-bare',
    code: 'timeout',
    re: /dial tcp: i\/o timeout/,
    why: 'explain.why.dial-timeout-bare',
    alt: ['dns'],
    tell: 'explain.tell.dial-timeout-bare',
    needs: 'not-cluster',
  },
  {
    // ETIMEDOUT is "connection timed out" on Linux (Go's syscall table) and "operation timed out" on BSD/macOS; Docker's
    // v1 registry session said "Network timed out while trying to connect to <url>. You may want to check your
    // internet connection or if you are behind a proxy."
    id: 'io-timeout',
    code: 'timeout',
    re: /i\/o timeout|context deadline exceeded|DeadlineExceeded|Client\.Timeout exceeded|net\/http: request canceled|ETIMEDOUT|operation timed out|connection timed out|Network timed out while trying to connect|connect: no route to host|no route to host|network is unreachable/,
    why: 'explain.why.io-timeout',
    alt: ['proxy'],
    tell: 'explain.tell.io-timeout',
    needs: 'not-cluster',
  },
  // --- recognised, but no cause regdoctor can act on: explained, never guessed (code stays `unknown`) ----------------
  {
    id: 'server-error',
    code: 'unknown',
    re: /\b50[0-4]\b[^\n]{0,40}?(?:Bad Gateway|Service Unavailable|Internal Server Error|Gateway Time-?out)|Bad Gateway|Service Unavailable|Internal Server Error|HTTP code:? 50\d|unexpected HTTP status: 5\d\d/,
    why: 'explain.why.server-error',
    alt: ['proxy'],
    tell: 'explain.tell.server-error',
    needs: 'pull-context',
  },
  {
    // containerd's CheckRedirect (remotes/docker/resolver.go, 1.5.5+) and Go's default both stop at the 10th redirect;
    // Go's url.Error then names that Location as the server sent it (measured: test/e2e/runtime-truth-walk.e2e.test.ts › 12)
    id: 'redirect-limit',
    code: 'unknown',
    re: /stopped after 10 redirects/,
    why: 'explain.why.redirect-limit',
    tell: 'explain.tell.redirect-limit',
  },
  {
    id: 'connection-cut',
    code: 'unknown',
    re: /connection reset by peer|unexpected EOF|: EOF\b|\bread: connection reset/,
    why: 'explain.why.connection-cut',
    alt: ['proxy', 'tls-interception', 'timeout'],
    tell: 'explain.tell.connection-cut',
    needs: 'pull-context',
  },
  {
    id: 'disk-full',
    code: 'unknown',
    re: /no space left on device/,
    why: 'explain.why.disk-full',
    needs: 'pull-context',
  },
  {
    id: 'bad-reference',
    code: 'unknown',
    re: /invalid reference format|couldn't parse image reference|Invalid image name|InvalidImageName/,
    why: 'explain.why.bad-reference',
    needs: 'pull-context',
  },
  {
    id: 'pull-canceled',
    code: 'unknown',
    re: /context canceled/,
    why: 'explain.why.pull-canceled',
    alt: ['timeout'],
    needs: 'pull-context',
  },
  {
    id: 'html-answer',
    code: 'unknown',
    re: /unexpected media type text\/html|invalid character '<' looking for beginning of value/,
    why: 'explain.why.html-answer',
    alt: ['proxy'],
    needs: 'pull-context',
  },
  {
    id: 'signature',
    code: 'unknown',
    re: /missing signature key|unsupported schema version|signature verification failed/,
    why: 'explain.why.signature',
    needs: 'pull-context',
  },
];
