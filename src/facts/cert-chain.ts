// Facts published by the `cert-chain` check (checks/cert-chain.ts): their one home, read by dependents, the fix planner
// and the report through the typed FactsMap (src/facts/index.ts).
import type { CertInfo } from '../x509/cert.js';
import type { TrustedCert } from '../trust/system-roots.js';

export interface ChainCert {
  info: CertInfo;
  /** Position as sent (0 = leaf). */
  index: number;
  /** Index of the presented certificate that issued this one (by name and signature), if any. */
  issuedBy?: number;
  /** Trust source when this certificate (or its issuer) is in the trust pool. */
  trustedAs?: string;
}

export interface CertChainFacts {
  certs: ChainCert[];
  /** Trust pool the runtime verifies against for this endpoint. */
  pool: TrustedCert[];
  poolErrors: string[];
  /** Where the system pool came from. */
  systemBundle?: string;
  /** The presented chain links leaf → ... without gaps up to a self-signed certificate or a trusted issuer. */
  complete: boolean;
  /** Each certificate is followed by its issuer. */
  inOrder: boolean;
  /** The trusted certificate that anchors the chain, and its source. */
  anchor?: { subject: string; source: string; sha256: string };
  /** Extra CA files configured for this endpoint (hosts.toml ca / legacy ca_file). */
  endpointCaFiles: string[];
}
