// Shared contract between the TLS probe (checks/tls-handshake.ts) and the certificate checks (cert-chain,
// go-verify): what the server presented on the endpoint the runtime will use. Fields may be added; none removed.
import type { EffectiveEndpoint } from './runtime-config.js';

export interface TlsHandshakeFacts {
  /** Endpoint probed (the registry server, or the first endpoint containerd tries). */
  endpoint: EffectiveEndpoint;
  /** Name the runtime verifies: the URL host (an IP stays an IP). */
  serverName: string;
  /** SNI sent (none for IP hosts, as Go does). */
  sni?: string;
  protocol?: string;
  cipher?: string;
  alpn?: string;
  clientCertRequested: boolean;
  acceptableCAs: string[];
  /** Whether the probe presented the client pair configured for this endpoint. */
  presentedClientCert: boolean;
  /** Certificates exactly as the server sent them (DER), leaf first. */
  chain: Buffer[];
  durationMs: number;
}
