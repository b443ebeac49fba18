// The typed facts of every check, in one place: check id → the fact type that check publishes. The engine (src/core)
// is generic over FactsMap; this file fills it in, so `ctx.facts('cert-chain')`, `state.facts['cert-chain']` and
// `getFact(facts, 'cert-chain')` are typed everywhere, and a wrong key or shape is a compile error.
// A new check: add its fact type in src/facts/<id>.ts and one line here (checks/index.ts lists the check itself).
import type { RuntimeInfoFacts } from '../core/runtime-config.js';
import type { TlsHandshakeFacts } from '../core/tls-facts.js';
import type { TcpFacts } from '../probe/judge-tcp.js';
import type { AuthFilesFacts } from './auth-files.js';
import type { CertChainFacts, ChainCert } from './cert-chain.js';
import type { ContainerdConfigFacts } from './containerd-config.js';
import type { CriPullFacts } from './cri-pull.js';
import type { CrioConfigFacts } from './crio-config.js';
import type { EndpointWalkFacts } from './endpoint-walk.js';
import type { GoVerifyFacts } from './go-verify.js';
import type { NodeHygieneFacts } from './node-hygiene.js';
import type { PullSecretsFacts } from './pull-secrets.js';
import type { RegistryApiFacts } from './registry-api.js';

export type {
  AuthFilesFacts,
  CertChainFacts,
  ChainCert,
  ContainerdConfigFacts,
  CriPullFacts,
  CrioConfigFacts,
  EndpointWalkFacts,
  GoVerifyFacts,
  NodeHygieneFacts,
  PullSecretsFacts,
  RegistryApiFacts,
  RuntimeInfoFacts,
  TlsHandshakeFacts,
  TcpFacts,
};

declare module '../core/facts.js' {
  interface FactsMap {
    'runtime-info': RuntimeInfoFacts;
    'containerd-config': ContainerdConfigFacts;
    'crio-config': CrioConfigFacts;
    'endpoint-walk': EndpointWalkFacts;
    'tcp-connect': TcpFacts;
    'tls-handshake': TlsHandshakeFacts;
    'cert-chain': CertChainFacts;
    'go-verify': GoVerifyFacts;
    'auth-files': AuthFilesFacts;
    'registry-api': RegistryApiFacts;
    'pull-secrets': PullSecretsFacts;
    'cri-pull': CriPullFacts;
    'node-hygiene': NodeHygieneFacts;
    /** runtime-drift publishes findings only. */
    'runtime-drift': undefined;
  }
}
