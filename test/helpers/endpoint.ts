// An effective endpoint as the containerd-config check hands it to the probes: https on host:port, the pull and
// resolve capabilities, no TLS settings — override what a test is about.
import type { EffectiveEndpoint } from '../../src/core/runtime-config.js';

export function httpsEndpoint(hostname: string, port: number, over: Partial<EffectiveEndpoint> = {}): EffectiveEndpoint {
  const host = port === 443 ? hostname : `${hostname}:${port}`;
  return {
    url: `https://${host}/v2`,
    scheme: 'https',
    host,
    hostname,
    port,
    source: 'default',
    isServer: true,
    httpFallback: false,
    capabilities: ['pull', 'resolve'],
    headers: {},
    tls: { caFiles: [], clientPairs: [], skipVerify: false },
    ...over,
  } as unknown as EffectiveEndpoint;
}
