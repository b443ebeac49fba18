// English source for explain's per-pattern explanations (src/classify/patterns.ts `why` and `tell` name these keys;
// src/classify/classify.ts composes them into a verdict's explanation, src/classify/explain.ts adds how to tell causes
// apart). Merged into the catalogue by one spread in en.ts; explain.zh-CN.ts and explain.ja.ts are typed by these keys,
// so a missing translation does not compile (test/i18n/catalogue.test.ts checks placeholders and kept terms). The
// English here is what `explain --json` stores (byte-exact with what it printed before the catalogue).
export const EXPLAIN_EN = {
  // a verdict's explanation: the cause title, the row's reason, and a note on the failing host's role ('' when none)
  'explain.explanation': '{title}: {why}{note}',
  'explain.unrecognised':
    'regdoctor does not recognise this wording; the raw message is kept as it is. Run `regdoctor diagnose` on the node for a live diagnosis.',
  'explain.note.tokenRealm': ' The failing host {host} is the registry\'s token service (its "realm"), not the registry itself.',
  'explain.note.blobStorage': ' The failing host {host} is the blob storage the registry redirects layer downloads to, not the registry.',
  'explain.note.mirror': ' The failing host {host} is a mirror configured for {registry}, not {registry} itself.',
  'explain.note.proxy': ' The failing host {host} is the HTTP proxy.',
  'explain.tellApart': 'to tell them apart: {how}',
  // the failing host's role, in the heading of an item (the JSON keeps the role's code)
  'explain.role.mirror': 'mirror',
  'explain.role.token-realm': 'token-realm',
  'explain.role.blob-storage': 'blob-storage',
  'explain.role.proxy': 'proxy',
  'explain.role.dns': 'dns',
  // the runtime that printed a message, when the text does not say (the JSON keeps `unknown`)
  'explain.runtime.unknown': 'unknown',
  // why a pattern row (src/classify/patterns.ts, by row id) maps to its cause
  'explain.why.mirrors-config-path': 'containerd refuses its CRI plugin when legacy mirrors and config_path are both set.',
  'explain.why.configs-tls-config-path': 'containerd 1.5–1.7 refuses its CRI plugin when configs.tls and config_path are both set.',
  'explain.why.cri-unknown-service': 'containerd answers, but its CRI plugin is not loaded (usually a configuration error at start).',
  'explain.why.cri-socket-dial':
    'The runtime’s own socket or API does not answer: the runtime is down, on another path, or the client talks to the wrong daemon — no registry was contacted.',
  'explain.why.cimage-registries-toml':
    'containers/image cannot parse registries.conf (or a registries.conf.d drop-in): CRI-O and podman refuse every pull until the file is fixed; the message names the file and line.',
  'explain.why.cimage-short-name-unresolved':
    'The image is a short name (no registry host): containers/image resolves it only through aliases and unqualified-search-registries in registries.conf — not through docker.io — and none are defined. Use a fully qualified name, or add the registry to unqualified-search-registries.',
  'explain.why.cimage-short-name-ambiguous':
    'short-name-mode = "enforcing" with several unqualified-search registries and no alias: containers/image refuses to guess which registry is meant. Use a fully qualified name or add an alias.',
  'explain.why.cimage-blocked':
    'registries.conf (or a drop-in) has `blocked = true` for this registry: CRI-O and podman refuse every pull from it before contacting it.',
  'explain.why.toml-unknown-key':
    'containerd ignores a key it does not know for this config version (often a table under the wrong plugin name).',
  'explain.why.proxyconnect':
    'The connection that failed is the one to the HTTP(S) proxy, not to the registry (check HTTPS_PROXY: host, port and scheme).',
  'explain.why.proxy-auth': 'The proxy demands authentication for the CONNECT tunnel.',
  'explain.why.dns-lookup':
    'The name lookup failed: this is the node’s DNS (resolver unreachable, name unknown or resolver timing out), even when the message says "timeout" or "connection refused".',
  'explain.why.dns-curl': 'The registry name does not resolve.',
  'explain.why.refused': 'Nothing listens on that address and port (or a firewall rejects the connection).',
  'explain.why.plain-http':
    'The registry speaks plain HTTP; the runtime used HTTPS ("oversized record … 20527" is Go reading the bytes "HTTP/" as a TLS record). insecure_skip_verify does not change that — only an http:// server/endpoint does.',
  'explain.why.http-to-https':
    'The runtime uses plain HTTP against a port that only speaks HTTPS (the "malformed HTTP response \\x15\\x03…" bytes are a TLS alert read as HTTP).',
  'explain.why.tls-not-tls': 'The TLS handshake itself fails (protocol/cipher mismatch, or what answers is not TLS at all).',
  'explain.why.tls-timeout': 'The TCP connection opened but the TLS handshake never completed (stuck server, proxy or firewall).',
  'explain.why.sha1': 'A certificate in the chain is signed with SHA-1 (or MD5), which Go 1.18+ refuses.',
  'explain.why.not-yet-valid':
    'notBefore lies in the future: the certificate is brand new with a skewed clock, or this node’s clock is wrong.',
  'explain.why.expired':
    'A certificate is past notAfter. If the registry’s own certificate is valid, it may be an old root or intermediate with the same name in the node’s trust store or the bundle.',
  'explain.why.expired-or-not-yet':
    'A certificate is outside its validity period (older Go does not say which end). If the registry’s own certificate is valid, it may be an old root or intermediate in the node’s trust store.',
  'explain.why.ip-san': 'The registry is addressed by IP and its certificate has no IP SAN.',
  'explain.why.legacy-cn': 'The certificate names the host only in its Common Name; Go ignores it.',
  'explain.why.name-mismatch': 'The certificate does not list the name the registry is reached by.',
  'explain.why.eku': 'The certificate (or a CA above it) is not valid for TLS server authentication.',
  'explain.why.client-cert':
    'The registry rejected the TLS client certificate, or wanted one (mTLS) — the server-side alert shows up as a "remote error".',
  'explain.why.self-signed-openssl': 'The registry certificate is self-signed and not trusted.',
  'explain.why.incomplete-openssl': 'The server does not send its intermediate certificate.',
  'explain.why.unknown-authority': 'The chain does not end at a CA the runtime trusts.',
  'explain.why.rate-limit': 'The registry throttles pulls (Docker Hub limits anonymous pulls per IP, for example).',
  'explain.why.platform': 'The image has no variant for this node’s OS/architecture (or the variant pulled is for another CPU).',
  'explain.why.exec-format': 'The binary in the image is built for another CPU architecture.',
  'explain.why.pull-secret-missing':
    'A pull secret the pod references does not exist in its namespace (secrets are never shared across namespaces).',
  'explain.why.ecr-token-expired': 'Amazon ECR rejects a login token older than 12 hours: the credentials are stale, not absent.',
  'explain.why.gar-permission':
    'Artifact Registry refuses the identity that pulled (node service account or pull secret) — or the repository does not exist ("or it may not exist").',
  'explain.why.pull-access-denied':
    'The registry refused access. Registries give this same answer for a repository that does not exist and for a private one without the right credentials.',
  'explain.why.credentials-rejected':
    'Credentials were sent (containerd asks for an OAuth token only when it has some) and the registry’s token service rejected them.',
  'explain.why.anonymous-token': 'The registry needs credentials and none were sent.',
  'explain.why.status-401-403': 'The registry rejected the request as unauthenticated or forbidden.',
  'explain.why.local-content-missing':
    'The runtime’s own image store lost a blob of the cached image (the file under io.containerd.content.v1.content/blobs is gone while containerd still lists it) — not the registry. Remove the cached image (`crictl rmi <image>`, or `regdoctor fix <image>`) and pull again.',
  'explain.why.hosts-toml-decode':
    'containerd could not decode a `hosts.toml` (TOML syntax, or no [host."…"] table): it logs this at error level only and pulls as if the file were not there — its CA, client certificate, skip_verify and mirrors are not used.',
  'explain.why.client-keypair':
    'The client certificate or key configured for this registry cannot be loaded (wrong file, not PEM, or a key that does not belong to the certificate): the pull fails before the registry is contacted. Fix the client = [cert, key] pair in `hosts.toml` (or configs.tls in `config.toml`).',
  'explain.why.proxy-connect-status':
    "The HTTPS proxy refused to open the tunnel to the registry: Go returns the proxy's bare status text (`403 Forbidden`, `502 Bad Gateway`…) when it answers the CONNECT with anything but 200 — the registry was never reached. Check the proxy's rules for this host, or add the host to NO_PROXY.",
  'explain.why.windows-os-mismatch':
    "The Windows image is built for another Windows build than the node: a process-isolated Windows container needs the same build (ltsc2019, ltsc2022…). Use the image tag for the node's Windows version.",
  'explain.why.local-snapshot-missing':
    "The runtime's own snapshot store lost the snapshot of a parent layer while unpacking (it still lists the image's earlier layers) — not the registry. Remove the cached image (`crictl rmi <image>`) and pull again.",
  'explain.why.cri-plugin-load':
    "containerd could not start its CRI plugin (the error after it says why); containerd keeps running without it, so kubelet's every pull and every pod start on this node fails with `unknown service runtime.v1.ImageService`.",
  'explain.why.gar-unauthenticated':
    'Artifact Registry received the pull without any credentials (an anonymous request) for a repository that is not public.',
  'explain.why.no-basic-auth':
    'The registry asked for Basic authentication and the runtime has no credentials for this host (containerd words it "no basic auth credentials", even inside "pull access denied").',
  'explain.why.not-found':
    'The registry has no such repository, tag or blob — or hides a private repository from clients without the right credentials.',
  'explain.why.dial-timeout-bare':
    'The connection attempt timed out before an address was known: Go prints this when the deadline expires during name resolution or while dialling.',
  'explain.why.io-timeout': 'The registry did not answer in time: packets dropped by a firewall, a wrong address, or an overloaded server.',
  'explain.why.server-error':
    'The registry — or a gateway or proxy in front of it — answered with a server error (5xx). Nothing on this node is misconfigured for that answer to happen; retry later or look at the registry/proxy logs.',
  'explain.why.redirect-limit':
    "The runtime's HTTP client follows at most 9 redirects: the registry, a proxy or the blob storage in front of it redirects in a loop or through a chain of 10 or more. The URL in the message is the last Location as the server sent it (it may be relative). Fix the redirect rules on that side; nothing on the node changes it.",
  'explain.why.connection-cut':
    'The connection was closed in the middle of the exchange (reset or EOF). Flaky networks, a proxy or a firewall that cuts long transfers, or a registry restarting do this; the text alone does not say which.',
  'explain.why.disk-full':
    'The node ran out of disk space (or inodes) while unpacking layers — not a registry problem; free space under the runtime root (`crictl rmi --prune`).',
  'explain.why.bad-reference':
    'The image reference itself is malformed (uppercase letters, a scheme such as https://, an empty variable); no registry was contacted.',
  'explain.why.pull-canceled':
    'The pull was cancelled before it finished (kubelet gave up after its progress deadline, or the client stopped); the cause lies in what made it slow.',
  'explain.why.html-answer':
    'Something answered with an HTML page instead of the registry API — usually a proxy, captive portal or wrong endpoint.',
  'explain.why.signature':
    'The image’s signature or manifest schema is rejected by the client’s trust policy; this is not a connectivity or credential problem.',
  // how to tell a row's cause from its alternatives; {diagnose} is the live-diagnosis command (shell-quoted)
  'explain.tell.refused':
    'if the address is not the registry’s, it is a proxy or mirror from the node’s configuration; {diagnose} shows which endpoint was used',
  'explain.tell.tls-not-tls':
    'a port that answers something else than TLS (plain HTTP behind a different server, a proxy) gives the same error; {diagnose} probes the port',
  'explain.tell.tls-timeout': 'a proxy or firewall that swallows TLS looks the same; {diagnose} tries the registry directly',
  'explain.tell.expired-or-not-yet':
    'compare the node clock (`date -u`) with the dates in the message or in `openssl s_client -connect <host>:<port> | openssl x509 -noout -dates`',
  'explain.tell.name-mismatch':
    'if the names listed belong to your company or a gateway rather than the registry, a proxy intercepts TLS; {diagnose} shows the chain',
  'explain.tell.unknown-authority':
    '{diagnose} fetches the chain and says whether it is a private CA, a self-signed certificate, a missing intermediate or a proxy’s certificate',
  'explain.tell.ecr-token-expired':
    'refresh with `aws ecr get-login-password` (or the credential helper / kubelet credential provider) and pull again',
  'explain.tell.gar-permission':
    'check that the repository path exists (`gcloud artifacts repositories list`), then grant roles/artifactregistry.reader to the pulling identity',
  'explain.tell.pull-access-denied':
    'check the image name and tag first; then {diagnose} with the pod’s credentials — it checks the name and the credentials separately',
  'explain.tell.credentials-rejected':
    'log in by hand with the same user (`crictl pull --creds` or `docker login`); if that works, the node or pod uses other credentials — {diagnose} shows which',
  'explain.tell.anonymous-token':
    'if the pod has an imagePullSecret, its registry key does not match the image’s host and port exactly (kubelet then sends nothing); `regdoctor diagnose pod/<name>` checks the match',
  'explain.tell.no-basic-auth':
    "if the pod has an imagePullSecret, its registry key does not match the image's host and port exactly (kubelet then sends nothing); `regdoctor diagnose pod/<name>` checks the match",
  'explain.tell.status-401-403':
    'a registry answers the same for no credentials, wrong credentials and (often) a repository that does not exist; {diagnose} with the pod’s credentials tells them apart',
  'explain.tell.not-found':
    'list the tags (`crane ls <repo>` or the registry UI); if the tag exists, {diagnose} with the pod’s credentials',
  'explain.tell.dial-timeout-bare': 'run `getent hosts <registry host>` on the node: if it hangs, it is DNS',
  'explain.tell.io-timeout':
    'if the node must use a proxy, the runtime does not have HTTPS_PROXY; {diagnose} tries the path the runtime uses',
  'explain.tell.server-error': 'if the node uses a proxy, pull once without it; 502/504 usually come from the proxy or load balancer',
  'explain.tell.redirect-limit': '{diagnose} follows the chain like containerd and shows each hop',
  'explain.tell.connection-cut': 'pull again while watching `journalctl -u containerd`; if it always fails at the same point, {diagnose}',
} as const;
export type ExplainKey = keyof typeof EXPLAIN_EN;
/** A pattern row's reason, and how to tell its cause from the alternatives. */
export type ExplainWhyKey = Extract<ExplainKey, `explain.why.${string}`>;
export type ExplainTellKey = Extract<ExplainKey, `explain.tell.${string}`>;
