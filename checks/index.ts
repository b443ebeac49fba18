// The explicit, ordered list of checks. Order is the display order; execution order follows `needs`/`wants`.
import type { Check } from '../src/core/types.js';
import { runtimeInfoCheck } from './runtime-info.js';
import { containerdConfigCheck } from './containerd-config.js';
import { endpointWalkCheck } from './endpoint-walk.js';
import { tcpConnectCheck } from './tcp-connect.js';
import { tlsHandshakeCheck } from './tls-handshake.js';
import { certChainCheck } from './cert-chain.js';
import { goVerifyCheck } from './go-verify.js';
import { registryApiCheck } from './registry-api.js';
import { authFilesCheck } from './auth-files.js';
import { criPullCheck } from './cri-pull.js';
import { runtimeDriftCheck } from './runtime-drift.js';
import { pullSecretsCheck } from './pull-secrets.js';
import { crioConfigCheck } from './crio-config.js';
import { nodeHygieneCheck } from './node-hygiene.js';

export const CHECKS: readonly Check[] = [
  runtimeInfoCheck,
  containerdConfigCheck,
  endpointWalkCheck,
  tcpConnectCheck,
  tlsHandshakeCheck,
  certChainCheck,
  goVerifyCheck,
  authFilesCheck,
  registryApiCheck,
  pullSecretsCheck,
  criPullCheck,
  runtimeDriftCheck,
  crioConfigCheck,
  nodeHygieneCheck,
];
