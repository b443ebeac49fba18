// The one registry of stable cause codes. Order matters: it is the tie-break rank used to pick the
// verdict among findings of equal severity (earlier = closer to the root cause / reported first by Go).

export type Severity = 'critical' | 'error' | 'warning' | 'info';

export interface CauseInfo {
  title: string;
  severity: Severity;
  /** One or two sentences an operator can act on. */
  explanation: string;
}

const DOCS_BASE = 'https://github.com/regdoctor/regdoctor/blob/main/docs/causes.md';

export const CAUSES = {
  // --- runtime configuration that breaks every pull -------------------------------------------------------------
  'config-conflict': {
    title: 'containerd registry configuration conflicts',
    severity: 'critical',
    explanation:
      'The registry settings contradict each other (for example `mirrors` together with `config_path`): containerd refuses to load its CRI plugin, so every pull on the node fails.',
  },
  'config-invalid': {
    title: 'containerd configuration file does not parse',
    severity: 'critical',
    explanation:
      'config.toml (or an imported file) is not valid TOML: containerd refuses to start with it, and regdoctor cannot tell which registry settings apply.',
  },
  'runtime-unavailable': {
    title: 'container runtime not reachable',
    severity: 'critical',
    explanation: 'The CRI socket does not answer or the CRI plugin is not loaded, so kubelet cannot pull anything on this node.',
  },
  // --- name resolution and transport -----------------------------------------------------------------------------
  dns: {
    title: 'registry name does not resolve',
    severity: 'error',
    explanation: 'The node cannot resolve the registry host name. This is a DNS problem on the node, not a registry outage.',
  },
  proxy: {
    title: 'an HTTP(S) proxy is in the path',
    severity: 'info',
    explanation:
      'The runtime reaches the registry through a proxy (HTTPS_PROXY/HTTP_PROXY). Errors may come from the proxy, and a TLS-intercepting proxy presents its own certificate.',
  },
  'connection-refused': {
    title: 'connection refused',
    severity: 'error',
    explanation: 'Nothing listens on the registry address and port, or a firewall actively rejects the connection.',
  },
  timeout: {
    title: 'connection timed out',
    severity: 'error',
    explanation:
      'The registry did not answer in time: a firewall dropping packets, a wrong address, or a server that accepts but never responds.',
  },
  // --- protocol -------------------------------------------------------------------------------------------------
  'plain-http-registry': {
    title: 'registry speaks plain HTTP, runtime uses HTTPS',
    severity: 'error',
    explanation:
      'The registry serves plain HTTP but containerd talks HTTPS to it. `insecure_skip_verify` does not help; the host needs `server = "http://..."` in its hosts.toml.',
  },
  'http-client-to-https-server': {
    title: 'runtime uses HTTP against an HTTPS registry',
    severity: 'error',
    explanation: 'The runtime is configured to use plain HTTP for a registry that only speaks HTTPS.',
  },
  'tls-handshake-failed': {
    title: 'TLS handshake failed',
    severity: 'error',
    explanation:
      'The TLS handshake failed before any certificate could be verified (protocol or cipher mismatch, or a reset during the handshake).',
  },
  'tls-interception': {
    title: 'TLS interception (corporate proxy or middlebox)',
    severity: 'warning',
    explanation:
      'The certificate presented for the registry was issued by an interception device, not by the registry owner. Trust the interception CA or bypass the proxy for this host.',
  },
  // --- certificate verification, in Go's order: expiry, hostname, chain, key usage -------------------------------
  expired: {
    title: 'certificate has expired',
    severity: 'error',
    explanation: 'A certificate in the chain is past its notAfter date. It must be renewed on the registry.',
  },
  'not-yet-valid': {
    title: 'certificate is not yet valid',
    severity: 'error',
    explanation:
      "A certificate's notBefore is in the future: either it was just issued with a skewed clock, or this node's clock is wrong.",
  },
  'hostname-mismatch': {
    title: 'certificate is not valid for the registry name',
    severity: 'error',
    explanation: 'The certificate does not list the registry host name in its Subject Alternative Names.',
  },
  'ip-san-missing': {
    title: 'registry addressed by IP, certificate has no IP SAN',
    severity: 'error',
    explanation: 'The registry is addressed by IP address but its certificate carries no matching IP SAN.',
  },
  'legacy-common-name': {
    title: 'certificate relies on the legacy Common Name',
    severity: 'error',
    explanation: 'The certificate has no SANs, only a Common Name. Go (and so containerd) ignores the Common Name.',
  },
  'self-signed': {
    title: 'self-signed certificate not trusted',
    severity: 'error',
    explanation: 'The registry presents a self-signed certificate that the runtime does not trust.',
  },
  'untrusted-ca': {
    title: 'certificate issued by an untrusted CA',
    severity: 'error',
    explanation: 'The registry certificate chains to a private CA that the runtime does not trust.',
  },
  'incomplete-chain': {
    title: 'registry does not send its intermediate certificate',
    severity: 'error',
    explanation: 'The server omits an intermediate CA certificate. Browsers may fetch it; Go never does, so containerd fails.',
  },
  'insecure-signature': {
    title: 'certificate signed with an insecure algorithm (SHA-1)',
    severity: 'error',
    explanation: 'A certificate in the chain is signed with SHA-1, which Go 1.18+ rejects.',
  },
  'incompatible-key-usage': {
    title: 'certificate not valid for server authentication',
    severity: 'error',
    explanation: 'The extended key usage of the certificate (or a CA above it) does not allow TLS server authentication.',
  },
  'client-cert-required': {
    title: 'registry requires a client certificate (mTLS)',
    severity: 'error',
    explanation: 'The registry demands a TLS client certificate and the runtime does not present an accepted one.',
  },
  // --- registry API and credentials -----------------------------------------------------------------------------
  'credentials-missing': {
    title: 'no credentials for this registry',
    severity: 'error',
    explanation: 'The registry requires authentication but neither the pod nor the node provides credentials for it.',
  },
  'credentials-mismatch': {
    title: 'credentials exist but do not match this registry',
    severity: 'error',
    explanation:
      'Credentials are configured, but for a different host, port or path than the one the image is pulled from, so kubelet never uses them.',
  },
  unauthorized: {
    title: 'registry rejects the credentials',
    severity: 'error',
    explanation: 'Credentials are sent but the registry (or its token service) rejects them.',
  },
  'not-found': {
    title: 'image or tag not found',
    severity: 'error',
    explanation: 'The registry has no such repository or tag (registries also answer this way to hide private images).',
  },
  'rate-limited': {
    title: 'registry rate limit reached',
    severity: 'error',
    explanation: 'The registry answers 429 Too Many Requests: pulls are throttled.',
  },
  'platform-mismatch': {
    title: 'no image for this node platform',
    severity: 'error',
    explanation: "The image index has no manifest for the node's OS/architecture.",
  },
  // --- configuration that is present but not effective ----------------------------------------------------------
  'config-not-applied': {
    title: 'configuration changed but not applied',
    severity: 'warning',
    explanation: 'config.toml or the system CA bundle changed after the running containerd started; containerd only reads them at start.',
  },
  'config-ignored': {
    title: 'configuration is ignored by this containerd',
    severity: 'warning',
    explanation:
      'Settings exist that this containerd version does not read (wrong table for the config version, certs.d without config_path, removed keys).',
  },
  // --- working, but unsafe: warnings on a healthy verdict (exit 0 unless --strict) -------------------------------
  'mirror-failing': {
    title: 'a registry host tried first fails on every request',
    severity: 'warning',
    explanation:
      'A mirror (or [host] table) listed before the host that serves the image fails — TLS, refused, unreachable. containerd tries it and moves on for the resolve request, each manifest and each blob, so pulls still work but every request pays a failed attempt (up to the 30 s dial timeout each for a host that does not answer). Fix that host or remove it from hosts.toml.',
  },
  'verification-disabled': {
    title: 'certificate verification is disabled for the registry',
    severity: 'warning',
    explanation:
      'skip_verify / insecure_skip_verify is in effect: the runtime accepts any certificate for this host, so anyone on the path can serve images and read credentials. Trust the CA that issued the certificate instead, then remove skip-verify.',
  },
  'config-deprecated': {
    title: 'registry configured through deprecated config.toml tables',
    severity: 'warning',
    explanation:
      'Legacy `mirrors`, `configs."…".tls`, `configs."…".auth` or `auths` still work here, but containerd 2.0 ignores `configs.*.tls`, the CRI plugin refuses to load once `config_path` is added beside `mirrors`/`configs.tls`, and 2.x config version 3 moves the registry table. Move them to hosts.toml under `config_path`.',
  },
  'certificate-expiring': {
    title: 'a certificate of the registry chain expires soon',
    severity: 'warning',
    explanation:
      'The registry certificate, an intermediate or the CA that anchors the chain expires within the warning window (30 days unless `--expiry-warning-days`; a short-lived certificate only once less than a third of its lifetime is left); after that date every pull fails with an x509 expiry error.',
  },
  'credentials-exposed': {
    title: 'registry credentials readable by other users',
    severity: 'warning',
    explanation:
      "A node file holding registry credentials (kubelet's config.json, containerd's config.toml) is readable by group or others. Restrict it to root (chmod 600).",
  },
  // --- cluster access --------------------------------------------------------------------------------------------
  'kube-access': {
    title: 'cannot read from the Kubernetes API',
    severity: 'warning',
    explanation: 'kubectl is missing, the context is unreachable, or RBAC forbids a read needed for the diagnosis.',
  },
  // --- outcomes --------------------------------------------------------------------------------------------------
  unknown: {
    title: 'cause not recognised',
    severity: 'warning',
    explanation: 'regdoctor could not classify this failure with confidence; the raw message is kept as evidence.',
  },
  healthy: {
    title: 'no problem found',
    severity: 'info',
    explanation: 'The runtime should be able to pull from this registry.',
  },
} as const satisfies Record<string, CauseInfo>;

export type CauseCode = keyof typeof CAUSES;

export const CAUSE_CODES = Object.keys(CAUSES) as CauseCode[];

const RANK = new Map<string, number>(CAUSE_CODES.map((c, i) => [c, i]));

export function isCauseCode(s: string): s is CauseCode {
  return RANK.has(s);
}

export function causeInfo(code: CauseCode): CauseInfo & { code: CauseCode; docs: string } {
  return { code, ...CAUSES[code], docs: docsLink(code) };
}

export function docsLink(code: CauseCode): string {
  return `${DOCS_BASE}#${code}`;
}

/** Lower is more fundamental; used as tie-break among equal severities. */
export function causeRank(code: CauseCode): number {
  return RANK.get(code) ?? Number.MAX_SAFE_INTEGER;
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, error: 1, warning: 2, info: 3 };

export function severityOrder(s: Severity): number {
  return SEVERITY_ORDER[s];
}
