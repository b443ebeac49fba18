// The outcome of a pull under one resolved containerd registry configuration, probed for real over the network:
// containerd's host loop (remotes/docker/resolver.go Resolve) and the CRI text its failure becomes. Used to compare
// two configurations — the file containerd ignores against its fallback, the config.toml it runs with against the
// one on disk — and to say which of them the real pull meets.
import type { EffectiveEndpoint } from '../core/runtime-config.js';
import type { ImageReference } from '../core/reference.js';
import { predictResolvePullError, predictTransportPullError } from '../core/predict.js';
import { examineEndpoint, type HostOutcome, type ProbeScope } from '../probe/endpoint.js';
import type { ResolvedConfig } from './containerd-config.js';
import { decideWalk, resolves } from './endpoints.js';
import { messageIn, msg, type Message } from '../i18n/index.js';

/** The pull's resolve step over the hosts that take part in it, probed for real (examineEndpoint), decided by decideWalk
 *  (src/runtime/endpoints.ts) with the scope's walk rules (default: 1.5.5–1.6). */
export async function pullOutcome(
  scope: ProbeScope,
  endpoints: EffectiveEndpoint[],
): Promise<{ outcome: HostOutcome; endpoint?: EffectiveEndpoint }> {
  // only the hosts that take part are probed (resolves: filterHosts)
  const byDigest = Boolean(scope.target.image?.digest);
  const eps = endpoints.filter((e) => resolves(e, byDigest));
  const results = await Promise.all(
    eps.map((e) =>
      examineEndpoint(scope, e).catch((err: Error): { outcome: HostOutcome } => ({ outcome: { kind: 'error', error: err.message } })),
    ),
  );
  const d = decideWalk(
    eps,
    results.map((r) => r.outcome),
    scope.walk,
    byDigest,
  );
  if (d.index < 0) return { outcome: { kind: 'not-found' } };
  return { outcome: d.result === 'not-found' ? { kind: 'not-found' } : results[d.index]!.outcome, endpoint: eps[d.index] };
}

type Image = Pick<ImageReference, 'normalized' | 'path' | 'manifestReference'>;

/** The CRI text for one host's failure: the resolver's text the probe pipeline built for it (a status error in the
 *  version's wording, or `failed to do request: Head "<url>": <Go error>`), else a transport error of the HEAD. */
export function criText(image: Image, ep: EffectiveEndpoint, o: { error: string; resolverError?: string }): string {
  if (o.resolverError) return predictResolvePullError(image, o.resolverError);
  return o.error.startsWith('pulling from host ')
    ? predictResolvePullError(image, o.error)
    : predictTransportPullError(image, ep.url, o.error);
}

const said = (m: Message) => ({ what: messageIn('en', m), whatMessage: m });

export const describeOutcome = (o: HostOutcome): string =>
  o.kind === 'ok' ? 'the pull works' : o.kind === 'not-found' ? 'the image is not found' : o.error;

export interface ModelPull {
  ok: boolean;
  /** One line: what happens ("the pull works", the Go error, the resolver error). */
  what: string;
  /** `what` as a catalogue message when it is regdoctor's own words (a runtime error stays as it is). */
  whatMessage?: Message;
  /** containerd's CRI error text when the pull fails. */
  criError?: string;
}

/**
 * A pull under a resolved configuration, as containerd would do it: a CRI plugin that does not load answers nothing
 * else; a CA or client file that cannot be read fails before any request (ConfigureHosts); otherwise the hosts are
 * probed for real in containerd's order.
 */
export async function modelPull(scope: ProbeScope, image: Image, resolved: ResolvedConfig): Promise<ModelPull> {
  const dead = resolved.findings.find((f) => f.data?.pluginNotLoaded === true);
  if (dead?.predictedRuntimeError) return { ok: false, ...said(msg('node.outcome.noPlugin')), criError: dead.predictedRuntimeError };
  const fatal = resolved.findings.map((f) => f.data?.resolverError).find((e): e is string => typeof e === 'string');
  if (fatal) return { ok: false, what: fatal, criError: predictResolvePullError(image, fatal) };
  const { outcome, endpoint } = await pullOutcome(scope, resolved.effective.endpoints);
  if (outcome.kind === 'ok') return { ok: true, ...said(msg('node.outcome.works')) };
  if (outcome.kind === 'not-found')
    return { ok: false, ...said(msg('node.outcome.notFound')), criError: predictResolvePullError(image, `${image.normalized}: not found`) };
  return { ok: false, what: outcome.error, criError: endpoint ? criText(image, endpoint, outcome) : undefined };
}
