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

export const CHECKS: readonly Check[] = [runtimeInfoCheck, containerdConfigCheck, endpointWalkCheck, tcpConnectCheck, tlsHandshakeCheck, certChainCheck, goVerifyCheck, registryApiCheck];
