// tls-handshake: what the registry endpoint speaks and presents — TLS version, cipher, the certificate chain as sent,
// client-certificate requests — or that it speaks plain HTTP. Emits: plain-http-registry,
// http-client-to-https-server, tls-handshake-failed, client-cert-required, timeout, connection-refused.
// The probe and the judges are the probe pipeline's second step (src/probe/endpoint.ts, src/probe/judge-tls.ts).
import type { Check } from '../src/core/types.js';
import { examinedEndpoint, handshakeEndpoint, probeScope } from '../src/probe/endpoint.js';
import { ASSUMED_CONTAINERD, hostsTomlRules, parseSemver } from '../src/runtime/containerd-config.js';

export type { TlsObservation } from '../src/probe/judge-tls.js';
export { judgeHttpEndpoint, judgeTls } from '../src/probe/judge-tls.js';

export const tlsHandshakeCheck: Check<'tls-handshake'> = {
  id: 'tls-handshake',
  title: 'TLS handshake',
  needs: ['tcp-connect'],
  wants: ['containerd-config', 'endpoint-walk', 'runtime-info'],
  timeoutMs: 20_000,
  async run(ctx) {
    // the runtime's Go version decides what the probe offers (src/runtime/go-tls.ts); the detected containerd's walk
    // rules (HOSTS_TOML_RULES) how an http:// host on an HTTPS port reads; unknown version: the default
    const cc = ctx.maybeFacts('containerd-config');
    const walk =
      cc && !cc.versionAssumed ? hostsTomlRules(parseSemver(cc.containerdVersion) ?? parseSemver(ASSUMED_CONTAINERD)!).walk : undefined;
    const scope = { ...probeScope(ctx, ctx.maybeFacts('runtime-info')), walk };
    return handshakeEndpoint(scope, examinedEndpoint(ctx), ctx.facts('tcp-connect'));
  },
};
