// English source for probe reasons, reference-parse explanations and certificate fault details (src/probe,
// src/core/reference.ts, src/x509, src/goverify, src/trust). Merged into the catalogue by one spread in en.ts;
// probe.zh-CN.ts and probe.ja.ts are typed by these keys (test/i18n/catalogue.test.ts checks placeholders and terms).
export const PROBE_EN = {
  // --- addresses no credential may go to (src/probe/credential-policy.ts forbiddenAddress) -------------------------
  'probe.addr.metadataRange': '{address} is link-local (the cloud metadata range)',
  'probe.addr.unspecified': '{address} is an unspecified address',
  'probe.addr.multicast': '{address} is multicast',
  'probe.addr.broadcast': '{address} is broadcast',
  'probe.addr.linkLocal': '{address} is link-local',
  'probe.addr.metadata': '{address} is the cloud metadata address',
  // --- why credentials are withheld (credential-policy.ts decisions; filled into finding.withheld and others) -----
  'probe.policy.endpointNotUrl': 'endpoint {url} is not a URL',
  'probe.policy.endpointScheme': 'endpoint scheme {scheme} is neither http nor https',
  'probe.policy.notChecked': 'the certificate of {host} could not be verified as containerd would (no completed TLS handshake to replay)',
  'probe.policy.unverified':
    "the certificate of {host} fails verification with the runtime's trust ({error}); containerd stops at the handshake and never sends credentials there",
  'probe.policy.notTrusted': 'not trusted',
  'probe.policy.realmUnrequestable': 'the token realm {url} cannot be requested ({error}); containerd fails there too and sends nothing',
  'probe.policy.realmAddress': 'the token realm {host} resolves to {why}; regdoctor never sends credentials there',
  'probe.policy.realmPlainHttp':
    'the token realm {origin} is plain HTTP on another host than {host}, which the runtime config does not name: containerd would send the credentials there in clear text; regdoctor does not',
  'probe.policy.realmNotChecked': 'the certificate of token realm {host} could not be verified as containerd would',
  'probe.policy.realmSkipVerify':
    "the certificate of token realm {host} fails verification ({error}); containerd applies the registry's skip_verify to it and would send the credentials, regdoctor does not send them to a host the config does not name",
  'probe.policy.realmUnverified':
    "the certificate of token realm {host} fails verification with the runtime's trust ({error}); containerd stops at that handshake and never sends credentials there",
  'probe.policy.realmNotExamined': 'token realm {host} was not examined',
  'probe.policy.redirect': '{what} answered {status} redirecting to {location}; regdoctor does not follow redirects with credentials',
  'probe.policy.tlsNotVerified': 'the TLS connection to {host} did not verify ({error})',
  'probe.what.tokenRealm': 'token realm {host}',
  'probe.what.tokenService': 'token service {host}',
  // --- TCP and proxy step (src/probe/judge-tcp.ts) ------------------------------------------------------------------
  'probe.failed': 'failed',
  'probe.timeout': 'timeout',
  'probe.tcp.noAddressSummary': '{host} resolved to no usable address',
  'probe.tcp.noAddress': '{host} resolved to no usable address.',
  'probe.tcp.cannotConnect': 'cannot connect to {where}: {why}',
  'probe.tcp.unreachable': '{where} is unreachable from this node ({why}).',
  'probe.proxy.unreachableSummary': 'proxy {proxy} is not reachable: {why}',
  'probe.proxy.unreachable': 'The runtime sends registry traffic through proxy {proxy}, which is not reachable from this node ({why}).',
  'probe.proxy.through': 'through proxy {proxy} (connected in {ms} ms)',
  'probe.proxy.note':
    'Registry traffic goes through proxy {proxy}: errors may come from the proxy, and a TLS-inspecting proxy presents its own certificate.',
  // --- TLS step (src/probe/judge-tls.ts) --------------------------------------------------------------------------
  'probe.tls.tunnelRefusedSummary': 'the proxy refused the tunnel to {where}: {why}',
  'probe.tls.tunnelRefused':
    'The proxy in front of this node refuses to open a tunnel to {where} ({why}): proxy authentication, an allow-list, or a proxy that should be bypassed with NO_PROXY.',
  'probe.tls.noHandshakeSummary': 'no TLS handshake from {where}: {why}',
  'probe.tls.noHandshake':
    '{where} accepts TCP connections but never completes a TLS handshake (a stuck server, a proxy or a firewall that swallows the traffic).',
  'probe.tls.refusedSummary': 'connection to {where} refused during the TLS probe',
  'probe.tls.refused': '{where} refused the connection.',
  'probe.tls.notTls': '{where} does not speak TLS (nor HTTP) on this port.',
  'probe.tls.brokenOff': '{where} breaks off the TLS handshake ({why}).',
  'probe.tls.clientRejectedSummary': '{where} rejected the client certificate ({alert})',
  'probe.tls.clientRejected':
    '{where} rejects the client certificate configured for it ({alert}): it is not issued by a CA the registry accepts, expired, or not valid for client authentication.',
  'probe.tls.clientMissing': '{where} requires a TLS client certificate and the runtime has none configured for it.',
  'probe.tls.abortedSummary': '{where} aborted the TLS handshake: {alert}',
  'probe.tls.noCommonGo':
    '{where} aborts the TLS handshake with "{alert}" when offered what the runtime\'s Go TLS client ({go}) offers: the server shares no protocol version, cipher suite, curve or signature scheme with it (Go offers {offer}). Enable one of those on the registry.',
  'probe.tls.goOffer': 'TLS {min}–{max}, ECDHE key exchange only — never DHE —, curves {curves}',
  'probe.tls.goOfferRsa': 'TLS {min}–{max}, ECDHE and RSA key exchange only — never DHE —, curves {curves}',
  'probe.tls.aborted':
    '{where} aborts the TLS handshake with "{alert}" (no common protocol version or cipher suite, or a server-side TLS policy).',
  'probe.tls.bigChainSummary': "{where} sends a {n}-byte certificate message, more than {go}'s TLS client accepts ({limit})",
  'probe.tls.bigChain':
    "{where} sends a certificate chain of {count} certificates ({n} bytes in its {protocol} Certificate message); the runtime's Go TLS client ({go}) accepts at most {limit} bytes and ends the handshake. Send only the leaf and its intermediates.",
  'probe.http.tlsFirst': '{host} speaks TLS; containerd tries HTTPS first for this endpoint',
  'probe.http.httpsOnlySummary': '{host} speaks HTTPS, but the runtime is configured for plain HTTP',
  'probe.http.httpsOnly':
    'containerd is configured to use http://{host}, but that port only speaks HTTPS: the registry answers "400 Bad Request: Client sent an HTTP request to an HTTPS server".',
  'probe.http.plainOk': '{host} uses plain HTTP as configured (no TLS to inspect)',
  // --- the manifest request (src/probe/registry.ts) ---------------------------------------------------------------
  'probe.manifest.platform': '{ref} exists but has no image for linux/{arch}; it offers {list}.',
  'probe.manifest.rateLimited':
    'The registry throttles pulls (429 Too Many Requests){remaining}{retry}. Authenticate, use a mirror or pull less often.',
  'probe.manifest.remaining': '; remaining: {n}',
  'probe.manifest.retryAfter': '; retry after {s}s',
  'probe.manifest.status': 'The registry answers HTTP {status} {statusText} for the manifest.',
  'probe.redirect.loop':
    "The registry redirects the manifest request in a loop ({n} redirects seen): containerd's HTTP client stops after 10 redirects and the pull fails. Fix the registry's (or its proxy's) redirect rules.",
  'probe.redirect.tooMany':
    "The manifest request is redirected {n} times; containerd's HTTP client follows at most 9 redirects and stops at the 10th, failing the pull. Shorten the redirect chain (registry, proxy or storage configuration).",
  // --- Go verification details (src/goverify/verify.ts) and the certificate checks (checks/go-verify.ts, cert-chain.ts)
  'probe.verify.noCertificates': 'The server completed no certificate exchange.',
  'probe.verify.criticalExtension': 'Critical extension(s) Go does not understand: {oids}.',
  'probe.verify.tangled': 'The presented chain is so large or tangled that Go gives up building it.',
  'probe.verify.caExpired':
    "The CA certificate {subject} ({from} – {to}) is expired: an outdated intermediate sent by the server, or an old root in the node's trust store with the same name.",
  'probe.verify.caNotYetValid':
    "The CA certificate {subject} ({from} – {to}) is not yet valid: an outdated intermediate sent by the server, or an old root in the node's trust store with the same name.",
  'probe.verify.caUnusable': 'The CA certificate {subject} cannot be used to build the chain: {error}.',
  'probe.verify.disabled': 'verification is disabled for {host} (skip_verify = true)',
  'probe.chain.unparsableSummary': 'certificate #{index} from {host} does not parse',
  'probe.chain.unparsable': 'The registry sent a certificate that cannot be parsed (#{index}): {error}.',
  'probe.chain.interception':
    "The certificate presented for {host} was issued by {issuer}, a TLS-inspection product, not by the registry's own CA{proxy}. Trust the inspection CA for this host only, or exempt the registry from inspection.",
  'probe.chain.viaProxy': ' (traffic goes through proxy {proxy})',
  'probe.chain.interceptionLikely':
    "Traffic to {host} goes through proxy {proxy} and the certificate ({subject}, issued by {issuer}) does not look like the registry's: probably TLS interception.",
  // --- reference-parse explanations (src/core/reference.ts), after Docker's `invalid reference format:` prefix -----
  'probe.ref.empty': 'repository name must have at least one component',
  'probe.ref.whitespace': 'whitespace is not allowed',
  'probe.ref.scheme': 'an image reference has no URL scheme; drop the scheme: {ref}',
  'probe.ref.hex64': 'cannot specify 64-byte hexadecimal strings as a repository name',
  'probe.ref.lowercase': 'repository name ({name}) must be lowercase',
  'probe.ref.domain': 'invalid registry domain {domain}',
  'probe.ref.ipv6': 'invalid IPv6 address {address}',
  'probe.ref.port': 'invalid port {port}',
  'probe.ref.portBare': 'invalid port',
  'probe.ref.path': 'invalid repository path {path}',
  'probe.ref.tooLong': 'repository name must not be more than {max} characters',
  'probe.ref.tag': 'invalid tag format {tag}',
  'probe.ref.digest': 'invalid digest format {digest}',
  'probe.ref.unsupportedScheme': 'unsupported scheme {scheme}',
  'probe.ref.registryPath': 'a registry host has no path',
  'probe.ref.host': 'invalid registry host {host}',
  // --- trying credentials (src/probe/registry-login.ts): details of the probe and of each credential tested --------
  'probe.login.notSent': 'credentials not sent: {reason}',
  'probe.login.tlsFailed': 'TLS verification failed ({error})',
  'probe.login.realmFailed': 'token realm {host}: {error}',
  'probe.login.anonymousAllowed': 'anonymous pull allowed',
  'probe.login.anonymousToken': 'anonymous token, manifest {status}',
  'probe.login.tokenAnswered': 'anonymous token request answered {status}',
  'probe.login.v2Answered': '/v2/ answered 401',
  'probe.login.v2AnsweredScheme': '/v2/ answered 401 ({scheme})',
  'probe.login.manifestAnon': 'manifest answered {status} without credentials',
  'probe.login.notFollowed':
    'credentials not sent further: token realm {host} answered {status}; regdoctor does not follow redirects with credentials',
  'probe.login.noSecret': 'the entry has neither a password nor an identity token',
  'probe.login.realmRejected': 'token service {host} answered {status} ({how})',
  'probe.login.realmNoToken': 'token service {host}: {how}',
  'probe.login.noToken': 'no token',
  'probe.login.manifestFailed': 'HEAD manifest: {error}',
  'probe.login.noPullAccess': 'token issued by {host} but the manifest answered {status}: the account has no pull access to {path}',
  'probe.login.tokenAccepted': 'token from {host}, manifest {status}',
  'probe.login.basicNoUser': 'the registry uses Basic auth and the entry has no username',
  'probe.login.basicAnswered': 'HEAD manifest with Basic credentials answered {status}',
  'probe.cert.tooLarge': 'certificate larger than 64 KiB',
  'probe.cert.malformed': 'malformed certificate: {detail}',
  'probe.policy.notReachable': 'the registry endpoint {url} was not reachable, so nothing was verified',
  // --- why a check was skipped: a dependency it needs left no facts (src/core/engine.ts) ----------------------------
  'probe.need.skipped': '{check} was skipped',
  'probe.need.crashed': '{check} crashed',
  'probe.need.cancelled': '{check} was cancelled',
  'probe.need.empty': '{check}, which has nothing for it',
  'probe.need.emptySummary': '{check}, which has nothing for it ({summary})',
  'probe.need.failed': '{check} failed',
  'probe.need.failedSummary': '{check} failed: {summary}',
  'probe.tls.outcome.notTls': 'not-tls',
  'probe.tls.outcome.reset': 'reset',
  'probe.tls.outcome.error': 'error',
  // --- whose credentials were withheld (checks/registry-api.ts, filled into finding.withheld) ----------------------
  'probe.source.podSecret': 'pod pull-secret',
  'probe.source.node': 'node',
  'probe.source.containerd': 'containerd {source}',
} as const;
export type ProbeKey = keyof typeof PROBE_EN;
