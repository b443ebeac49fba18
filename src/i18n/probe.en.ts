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
} as const;
export type ProbeKey = keyof typeof PROBE_EN;
