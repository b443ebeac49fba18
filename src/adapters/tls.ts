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
  /** What the ClientHello offers (the runtime's TLS client: src/runtime/go-tls.ts); without it, a broad offer. */
  offer?: TlsClientOffer;
}

/** A TLS client's offer, as data: the raw ClientHello and node:tls are both configured from it, so the server sees
 *  what the runtime's client would send (a server that shares nothing with it refuses the probe as it refuses the
 *  runtime). */
export interface TlsClientOffer {
  /** Protocol versions as wire numbers (0x0301 TLS 1.0 … 0x0304 TLS 1.3). */
  minVersion: number;
  maxVersion: number;
  /** TLS 1.2-and-below cipher suites, in preference order (IANA numbers). */
  cipherSuites: number[];
  /** TLS 1.3 cipher suites (IANA numbers). */
  tls13CipherSuites: number[];
  /** supported_groups the raw ClientHello lists (IANA numbers; key shares are sent for X25519 only). */
  groups: number[];
  /** signature_algorithms (IANA numbers). */
  signatureAlgorithms: number[];
  /** The largest Certificate handshake message the client accepts (bytes); larger ones end the handshake. */
  certificateMessageLimit: number;
  /** The same offer in node:tls / OpenSSL terms. */
  node: {
    ciphers: string;
    sigalgs: string;
    ecdhCurve: string;
    minVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
    maxVersion: 'TLSv1.2' | 'TLSv1.3';
  };
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
  /** The protocol the chain above was read with, when it differs from `protocol` (a TLS 1.3 server's chain is read
   *  through a TLS 1.2 exchange, where it travels in the clear). */
  chainProtocol?: string;
  /** The length the server's Certificate message declares, when the probe stopped reading it (more bytes or more
   *  certificates than the probe takes): what Go's readHandshake compares with its limit before reading any
   *  certificate. `chain` then holds only the certificates received complete before the stop. */
  certificateMessageLength?: number;
  durationMs: number;
}

export interface TlsAdapter {
  probe(opts: TlsProbeOptions): Promise<TlsProbeResult>;
}
