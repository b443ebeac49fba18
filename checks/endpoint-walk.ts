// endpoint-walk: with several hosts for a registry (mirrors, or a [host."…"] table beside `server`), replays
// containerd's resolver loop — hosts in order, 404 tries the next host, the first other error is kept, any 200 wins —
// to find the endpoint that decides the pull; the deeper checks then examine that one. Every host goes through the
// same probe pipeline as the deeper checks (src/probe/endpoint.ts), so a host's facts here equal theirs for it.
// Emits: config-ignored (settings on a host table that the `server` entry does not get).
import type { Check, CheckOutcome, FindingInput } from '../src/core/types.js';
import type { EffectiveEndpoint } from '../src/core/runtime-config.js';
import { examineEndpoint, probeScope, type EndpointExamination, type HostOutcome } from '../src/probe/endpoint.js';
import type { EndpointWalkFacts } from '../src/facts/endpoint-walk.js';

export type { HostOutcome } from '../src/probe/endpoint.js';

/** containerd's loop over hosts (pure): first 200 wins; 404 continues; the first other error is kept. */
export function decide(endpoints: EffectiveEndpoint[], outcomes: HostOutcome[]): { index: number; result: 'ok' | 'error' | 'not-found' } {
  let firstErr = -1;
  for (let i = 0; i < endpoints.length; i++) {
    const o = outcomes[i]!;
    if (o.kind === 'ok') return { index: i, result: 'ok' };
    if (o.kind === 'error' && firstErr < 0) firstErr = i;
  }
  if (firstErr >= 0) return { index: firstErr, result: 'error' };
  const server = endpoints.findIndex((e) => e.isServer);
  return { index: server >= 0 ? server : endpoints.length - 1, result: 'not-found' };
}

export const endpointWalkCheck: Check<'endpoint-walk'> = {
  id: 'endpoint-walk',
  title: 'Registry hosts in the order containerd tries them',
  needs: ['containerd-config'],
  wants: ['runtime-info'],
  timeoutMs: 30_000,
  skipIf(ctx) {
    const eps =
      ctx
        .maybeFacts('containerd-config')
        ?.effective.endpoints.filter((e) => e.capabilities.includes('pull') || e.capabilities.includes('resolve')) ?? [];
    if (!ctx.target.image) return 'a registry target has no manifest to resolve';
    if (eps.length < 2) return 'a single endpoint: nothing to walk';
    return undefined;
  },
  async run(ctx): Promise<CheckOutcome<EndpointWalkFacts>> {
    const eps = ctx
      .facts('containerd-config')
      .effective.endpoints.filter((e) => e.capabilities.includes('pull') || e.capabilities.includes('resolve'));
    const scope = probeScope(ctx, ctx.maybeFacts('runtime-info'));
    const failed = (err: Error): EndpointExamination => ({ outcome: { kind: 'error', error: err.message }, facts: {} });
    const examined = await Promise.all(eps.map((e) => examineEndpoint(scope, e).catch(failed)));
    const outcomes = examined.map((x) => x.outcome);
    const d = decide(eps, outcomes);
    const decisive = eps[d.index]!;
    const evidence = eps.map((e, i) => {
      const o = outcomes[i]!;
      return `${i + 1}. ${e.url} (${e.source}): ${o.kind === 'ok' ? '200, has the image' : o.kind === 'not-found' ? '404, containerd tries the next host' : o.error}`;
    });
    const findings: FindingInput[] = [];
    const server = eps.find((e) => e.isServer);
    const twin = eps.find((e) => !e.isServer && server && e.url === server.url);
    if (
      server &&
      twin &&
      (twin.tls.caFiles.length || twin.tls.clientPairs.length || twin.tls.skipVerify) &&
      !server.tls.caFiles.length &&
      !server.tls.clientPairs.length &&
      !server.tls.skipVerify
    ) {
      findings.push({
        code: 'config-ignored',
        severity: 'warning',
        summary: `${twin.source.split(' ')[0]} repeats the registry as a [host."${twin.url.replace(/\/v2$/, '')}"] table with TLS settings, but containerd also tries the \`server\` entry afterwards without them: existing images pull, yet a missing tag or any 404 ends in a TLS error from the server entry. Put ca/client/skip_verify at the top level of hosts.toml (they apply to \`server\`).`,
        evidence,
      });
    }
    return {
      summary: `${d.result === 'ok' ? `served by ${decisive.url}` : d.result === 'error' ? `first failing host: ${decisive.url}` : 'no host has the image'} (${eps.length} hosts)`,
      evidence,
      findings,
      facts: {
        decisive,
        outcomes: eps.map((e, i) => ({ url: e.url, source: e.source, outcome: outcomes[i]!, probe: examined[i]!.facts })),
      },
    };
  },
};
