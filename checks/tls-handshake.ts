// tls-handshake: what the registry endpoint speaks and presents — TLS version, cipher, the certificate chain as sent,
// client-certificate requests — or that it speaks plain HTTP. Emits: plain-http-registry,
// http-client-to-https-server, tls-handshake-failed, client-cert-required, timeout, connection-refused.
// The probe and the judges are the probe pipeline's second step (src/probe/endpoint.ts, src/probe/judge-tls.ts).
import type { Check } from '../src/core/types.js';
import { examinedEndpoint, handshakeEndpoint, probeScope } from '../src/probe/endpoint.js';

export type { TlsObservation } from '../src/probe/judge-tls.js';
export { judgeHttpEndpoint, judgeTls } from '../src/probe/judge-tls.js';

export const tlsHandshakeCheck: Check<'tls-handshake'> = {
  id: 'tls-handshake',
  title: 'TLS handshake',
  needs: ['tcp-connect'],
  wants: ['containerd-config', 'endpoint-walk', 'runtime-info'],
  timeoutMs: 20_000,
  async run(ctx) {
    // the runtime's Go version decides what the probe offers (src/runtime/go-tls.ts)
    return handshakeEndpoint(probeScope(ctx, ctx.maybeFacts('runtime-info')), examinedEndpoint(ctx), ctx.facts('tcp-connect'));
  },
};
