// tcp-connect: resolves the registry endpoint and opens a TCP connection to it, as the runtime's dialer would.
// Emits: dns (name does not resolve / resolver times out), connection-refused, timeout.
// The observation and the judges are the probe pipeline's first step (src/probe/endpoint.ts, src/probe/judge-tcp.ts).
import type { Check } from '../src/core/types.js';
import { connectEndpoint, examinedEndpoint, probeScope } from '../src/probe/endpoint.js';

export type { TcpFacts, TcpObservation } from '../src/probe/judge-tcp.js';
export { judgeTcp } from '../src/probe/judge-tcp.js';

export const tcpConnectCheck: Check<'tcp-connect'> = {
  id: 'tcp-connect',
  title: 'DNS and TCP reachability',
  needs: [],
  wants: ['containerd-config', 'runtime-info', 'endpoint-walk'],
  timeoutMs: 15_000,
  async run(ctx) {
    return connectEndpoint(probeScope(ctx, ctx.maybeFacts('runtime-info')), examinedEndpoint(ctx));
  },
};
