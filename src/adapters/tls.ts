// TLS handshake probe with verification off: records what the server presented so go-verify can replay Go's checks.
// (Interface owned by the registry-probes work; real implementation in this file.)
export interface TlsProbeOptions {
  /** Address or name to connect to. */
  host: string;
  port: number;
  /** SNI; omit for IP hosts (Go sends no SNI for IPs). */
  servername?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Client certificate pair (PEM) to present, for mTLS registries. */
  clientCert?: { cert: string | Buffer; key: string | Buffer };
  alpn?: string[];
  /** Tunnel through this HTTP proxy (CONNECT), as the runtime does when HTTPS_PROXY applies. */
  proxy?: string;
  /** Force a complete handshake through node:tls (to learn whether a requested client certificate is required). */
  fullHandshake?: boolean;
}

export type TlsProbeOutcome =
  | 'handshake' // completed (verification off)
  | 'plain-http' // the server answered in plain HTTP
  | 'not-tls' // something else that is not TLS
  | 'alert' // server sent a TLS alert (e.g. bad certificate / certificate required)
  | 'reset' // connection reset or closed during the handshake
  | 'timeout'
  | 'refused'
  | 'error';

export interface TlsProbeResult {
  outcome: TlsProbeOutcome;
  protocol?: string;
  cipher?: string;
  alpn?: string;
  /** The server asked for a client certificate (CertificateRequest seen). */
  clientCertRequested?: boolean;
  /** Distinguished names of acceptable client-cert CAs from the CertificateRequest, when visible. */
  acceptableCAs?: string[];
  /** Peer certificates in the order the server sent them (DER). */
  chain: Buffer[];
  /** TLS alert description, e.g. "bad certificate". */
  alert?: string;
  message?: string;
  /** First bytes the server sent when it is not TLS (printable excerpt). */
  firstBytes?: string;
  /** Go's error text when the proxy itself failed (CONNECT refused, proxy unreachable). */
  proxyError?: string;
  durationMs: number;
}

export interface TlsAdapter {
  probe(opts: TlsProbeOptions): Promise<TlsProbeResult>;
}
