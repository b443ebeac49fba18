// endpoint-walk: with several hosts for a registry (mirrors, or a [host."…"] table beside `server`), replays
// containerd's resolver loop — hosts in order, 404 tries the next host, the first other error is kept, any 200 wins —
// to find the endpoint that decides the pull; the deeper checks then examine that one. Every host goes through the
// same probe pipeline as the deeper checks (src/probe/endpoint.ts), redirects followed as containerd follows them.
// Emits: config-ignored (settings on a host table that the `server` entry does not get), not-found (a missing tag
// that containerd reports as the fallback server entry's error), and a warning for a failing host tried before the
// one that serves the pull (mirror-failing: paid on every request of every pull).
import type { Check, CheckOutcome, FindingInput } from '../src/core/types.js';
import type { EffectiveEndpoint } from '../src/core/runtime-config.js';
import {
  examineEndpoint,
  probeScope,
  registryRequest,
  namespaceQuery,
  type EndpointExamination,
  type HostOutcome,
  type ProbeScope,
} from '../src/probe/endpoint.js';
import { manifestUrl, predictResolvePullError } from '../src/core/predict.js';
import { MANIFEST_ACCEPT, manifestContents, nodeArch, pullRequestPlan, type PullRequestPlan } from '../src/probe/registry.js';
import type { EndpointWalkFacts } from '../src/facts/endpoint-walk.js';
import { decideWalk, resolves, WALK_1_5_5, type WalkRules } from '../src/runtime/endpoints.js';
import { ASSUMED_CONTAINERD, hostsTomlRules, parseSemver } from '../src/runtime/containerd-config.js';
import { msg, summaryOf } from '../src/i18n/index.js';
import { evidence, said } from '../src/i18n/evidence.js';

export type { HostOutcome } from '../src/probe/endpoint.js';
export { resolves } from '../src/runtime/endpoints.js';

/** containerd's loop over hosts for the resolve request (pure): decideWalk (src/runtime/endpoints.ts, the rule modelled
 *  pulls use too); with no host that ranks, the walk reports the `server` entry (else the last host) as not found. */
export function decide(
  endpoints: EffectiveEndpoint[],
  outcomes: HostOutcome[],
  rules: Pick<WalkRules, 'errors'> = WALK_1_5_5,
  byDigest = false,
): { index: number; result: 'ok' | 'error' | 'not-found' } {
  const d = decideWalk(endpoints, outcomes, rules, byDigest);
  if (d.index >= 0) return d;
  const server = endpoints.findIndex((e) => e.isServer);
  return { index: server >= 0 ? server : endpoints.length - 1, result: 'not-found' };
}

const hasTls = (e: EffectiveEndpoint) => e.tls.caFiles.length > 0 || e.tls.clientPairs.length > 0 || e.tls.skipVerify;

/** The registry itself (its `server` entry, or a [host] table for the very URL of it) answered 404, but containerd
 *  reports another host's error, kept before the 404 (1.5.5–1.7: the first error other than 404 wins): the tag is
 *  missing, and the error is the other host's — the `server` entry without a table's TLS settings (item 8 of issue
 *  13), or a failing mirror tried first. A mirror's 404 masks nothing: another host's 404 says nothing of the
 *  registry's (pure). */
export function maskedNotFound(
  endpoints: EffectiveEndpoint[],
  outcomes: HostOutcome[],
  rules: Pick<WalkRules, 'errors'> = WALK_1_5_5,
  byDigest = false,
): { notFound: number; error: number } | undefined {
  const d = decide(endpoints, outcomes, rules, byDigest);
  const server = endpoints.find((e) => e.isServer);
  if (d.result !== 'error' || !server) return undefined;
  const notFound = endpoints.findIndex(
    (e, i) => i !== d.index && resolves(e, byDigest) && e.url === server.url && outcomes[i]!.kind === 'not-found',
  );
  return notFound >= 0 ? { notFound, error: d.index } : undefined;
}

/** How many requests of a fresh pull try each host before `served` (capabilities per containerd's filterHosts). */
export function requestsThrough(ep: EffectiveEndpoint, plan: PullRequestPlan, byDigest = false): number {
  const pull = ep.capabilities.includes('pull');
  return (resolves(ep, byDigest) ? plan.resolve : 0) + (pull ? plan.manifests + plan.blobs : 0);
}

/** The requests of a fresh pull of the image as served by `ep` (manifest read through the same pipeline). */
async function planFor(scope: ProbeScope, ep: EffectiveEndpoint): Promise<PullRequestPlan | undefined> {
  const image = scope.target.image!;
  const get = async (ref: string) => {
    const url = manifestUrl(ep.url, { path: image.path, manifestReference: ref }) + namespaceQuery(scope.target.registry.name, ep);
    const r = await registryRequest(scope, ep, { url, method: 'GET', accept: MANIFEST_ACCEPT, maxBodyBytes: 4 * 1024 * 1024 });
    return r.result.ok && r.result.response.status === 200 ? manifestContents(r.result.response.body, nodeArch()) : undefined;
  };
  const top = await get(image.manifestReference);
  if (top?.kind === 'manifest') return pullRequestPlan(false, top);
  if (top?.kind === 'index' && top.platformManifest) {
    const m = await get(top.platformManifest);
    if (m?.kind === 'manifest') return pullRequestPlan(true, m);
  }
  return undefined;
}

const ms = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)} s` : `${n} ms`);

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
    if (!ctx.target.image) return msg('skip.noManifest');
    if (eps.length < 2) return msg('skip.singleEndpoint');
    return undefined;
  },
  async run(ctx): Promise<CheckOutcome<EndpointWalkFacts>> {
    const image = ctx.target.image!;
    const eps = ctx
      .facts('containerd-config')
      .effective.endpoints.filter((e) => e.capabilities.includes('pull') || e.capabilities.includes('resolve'));
    const cfg = ctx.facts('containerd-config');
    const version = parseSemver(cfg.containerdVersion) ?? parseSemver(ASSUMED_CONTAINERD)!;
    const rules = hostsTomlRules(version).walk;
    const scope: ProbeScope = { ...probeScope(ctx, ctx.maybeFacts('runtime-info')), walk: rules };
    const failed = (err: Error): EndpointExamination => ({ outcome: { kind: 'error', error: err.message }, facts: {} });
    const examined = await Promise.all(eps.map((e) => examineEndpoint(scope, e).catch(failed)));
    const outcomes = examined.map((x) => x.outcome);
    const byDigest = image.digest !== undefined;
    const d = decide(eps, outcomes, rules, byDigest);
    const decisive = eps[d.index]!;
    const ev = evidence();
    eps.forEach((e, i) => {
      const o = outcomes[i]!;
      const hops = examined[i]!.facts.redirects?.length;
      const via = hops ? msg(hops === 1 ? 'evidence.walk.redirectOne' : 'evidence.walk.redirectMany', { n: hops }) : '';
      const where = { n: i + 1, url: e.url, source: e.sourceMessage ?? e.source };
      if (o.kind === 'ok') ev.say('evidence.walk.hasImage', { ...where, via });
      else if (o.kind === 'not-found') ev.say('evidence.walk.notFound', { ...where, via });
      else ev.raw(`${i + 1}. ${e.url} (${e.source}): ${o.error}`);
    });
    const findings: FindingInput[] = [];
    const server = eps.find((e) => e.isServer);
    const twin = eps.find((e) => !e.isServer && server && e.url === server.url);
    const tableOnly = Boolean(server && twin && hasTls(twin) && !hasTls(server));
    const masked = maskedNotFound(eps, outcomes, rules, byDigest);
    const tableHeader = twin ? `[host."${twin.url.replace(/\/v2$/, '')}"]` : '';
    if (masked) {
      // The registry answered 404; containerd reports the error of another host instead. Root cause: the tag.
      const o = outcomes[masked.error]! as Extract<HostOutcome, { kind: 'error' }>;
      const errEp = eps[masked.error]!;
      const nfEp = eps[masked.notFound]!;
      const sameRegistry = errEp.url === nfEp.url;
      findings.push({
        code: 'not-found',
        host: errEp.host,
        ...(sameRegistry
          ? summaryOf('node.walk.maskedSame', {
              image: `${image.path}:${image.manifestReference}`,
              registry: ctx.target.registry.name,
              table: tableHeader,
              error: o.error,
            })
          : summaryOf('node.walk.maskedOther', {
              image: `${image.path}:${image.manifestReference}`,
              registry: ctx.target.registry.name,
              url: nfEp.url,
              errUrl: errEp.url,
              source: errEp.sourceMessage ?? errEp.source,
              error: o.error,
            })),
        ...ev.out(),
        predictedRuntimeError: predictResolvePullError(image, o.resolverError ?? o.error),
        data: { maskedBy: o.error, maskingHost: errEp.url },
      });
    }
    if (tableOnly && !masked) {
      // The standard hosts.toml form (containerd's own docs): pulls work, and when a tag is missing the not-found
      // finding above says so — a note, not a warning, on a node that pulls (issue 21: no false alarms).
      findings.push({
        code: 'config-ignored',
        severity: 'info',
        ...summaryOf('node.walk.tableOnly', { file: twin!.source.split(' ')[0]!, table: tableHeader }),
        ...ev.out(),
      });
    }
    // Item 9 (issue 13): hosts before the one that serves the pull, failing — tried and skipped on every request.
    const before = d.result === 'ok' ? eps.slice(0, d.index).map((e, i) => ({ e, o: outcomes[i]! })) : [];
    const failing = before.filter(
      (x): x is { e: EffectiveEndpoint; o: Extract<HostOutcome, { kind: 'error' }> } =>
        x.o.kind === 'error' && x.e.capabilities.includes('pull'),
    );
    let plan: PullRequestPlan | undefined;
    if (failing.length) plan = await planFor(scope, decisive).catch(() => undefined);
    // the classifier (its pattern tables) is loaded only when a host before the serving one fails
    const classifyMessage = failing.length ? (await import('../src/classify/classify.js')).classifyMessage : undefined;
    for (const { e, o } of failing) {
      const code = classifyMessage!(o.error).code;
      const perAttempt = code === 'timeout' ? rules.dialTimeoutMs : (o.durationMs ?? 0);
      const n = plan ? requestsThrough(e, plan, byDigest) : undefined;
      const parts = plan
        ? msg(resolves(e, byDigest) ? 'walk.parts.withResolve' : 'walk.parts', {
            resolve: plan.resolve,
            manifests: msg(plan.manifests === 1 ? 'walk.manifests.one' : 'walk.manifests.other', { n: plan.manifests }),
            blobs: msg(plan.blobs === 1 ? 'walk.blobs.one' : 'walk.blobs.other', { n: plan.blobs }),
          })
        : undefined;
      const what =
        plan && parts ? msg(n === 1 ? 'walk.requests.one' : 'walk.requests.other', { n: n ?? 0, parts }) : msg('walk.everyRequest');
      findings.push({
        code: 'mirror-failing',
        severity: 'warning',
        host: e.host,
        ...summaryOf('finding.mirrorFailing', {
          url: e.url,
          source: e.sourceMessage ?? e.source,
          error: o.error,
          decisive: decisive.url,
          what,
          cost:
            code === 'timeout'
              ? msg('walk.cost.timeout', { ms: ms(rules.dialTimeoutMs) })
              : msg('walk.cost.attempt', { ms: ms(perAttempt) }),
          perPull: n !== undefined ? msg('walk.perPull', { ms: ms(n * perAttempt) }) : '',
        }),
        ...evidence(ev.out())
          .add(plan ? said('evidence.walk.freshPull', { resolve: plan.resolve, manifests: plan.manifests, blobs: plan.blobs }) : undefined)
          .out(),
        data: {
          reason: 'failing-host-skipped',
          hostUrl: e.url.replace(/\/v2$/, ''),
          source: e.source,
          cause: code,
          requests: n,
          perAttemptMs: perAttempt,
          error: o.error,
        },
      });
    }
    return {
      ...summaryOf('check.walk.summary', {
        result:
          d.result === 'ok'
            ? msg('check.walk.servedBy', { url: decisive.url })
            : d.result === 'error'
              ? msg('check.walk.firstFailing', { url: decisive.url })
              : msg('check.walk.noHost'),
        n: eps.length,
        failing: failing.length
          ? msg(failing.length === 1 ? 'check.walk.failing.one' : 'check.walk.failing.other', { n: failing.length })
          : '',
      }),
      ...ev.out(),
      findings,
      facts: {
        decisive,
        outcomes: eps.map((e, i) => ({ url: e.url, source: e.source, outcome: outcomes[i]!, probe: examined[i]!.facts })),
        ...(masked ? { maskedNotFound: { predictedRuntimeError: findings.find((f) => f.data?.maskingHost)!.predictedRuntimeError! } } : {}),
      },
    };
  },
};
