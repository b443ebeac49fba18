// Facts published by the `node-hygiene` check (checks/node-hygiene.ts): what works today only through an unsafe or
// deprecated setting, read by the report and (later) the hardening planner through the typed FactsMap.

export interface SkipVerifyEndpoint {
  url: string;
  source: string;
  /** What the certificate presented there is, judged with verification on (absent when it was not examined). */
  certificate?: 'self-signed' | 'private-ca' | 'name-mismatch' | 'verifies' | 'other';
  /** Go's verification message with skip-verify removed. */
  goMessage?: string;
  /** SHA-256 of the certificate to trust instead (self-signed leaf, or the root CA the registry sent). */
  trustSha256?: string;
  trustSubject?: string;
}

export interface NodeHygieneFacts {
  skipVerify: SkipVerifyEndpoint[];
  /** Legacy config.toml tables in effect for the target, e.g. `configs."h".tls`. */
  deprecated: string[];
  /** Non-loopback plain-HTTP endpoints that answered. */
  plainHttp: string[];
  /** Node files holding the target's credentials that group or others can read. */
  exposed: { file: string; mode: string }[];
}
