// The outcome of a pull under one resolved containerd registry configuration, probed for real over the network:
// containerd's host loop (remotes/docker/resolver.go Resolve) and the CRI text its failure becomes. Used to compare
// two configurations — the file containerd ignores against its fallback, the config.toml it runs with against the
// one on disk — and to say which of them the real pull meets.
import type { EffectiveEndpoint } from '../core/runtime-config.js';
import type { ImageReference } from '../core/reference.js';
import { predictResolvePullError, predictTransportPullError } from '../core/predict.js';
import { examineEndpoint, type HostOutcome, type ProbeScope } from '../probe/endpoint.js';
import type { ResolvedConfig } from './containerd-config.js';

/** containerd's resolver over its hosts: the first 200 wins, a 404 tries the next, otherwise the first error stands. */
export async function pullOutcome(
  scope: ProbeScope,
  endpoints: EffectiveEndpoint[],
): Promise<{ outcome: HostOutcome; endpoint?: EffectiveEndpoint }> {
  const eps = endpoints.filter((e) => e.capabilities.includes('pull') || e.capabilities.includes('resolve'));
  const results = await Promise.all(
    eps.map((e) =>
      examineEndpoint(scope, e).catch((err: Error): { outcome: HostOutcome } => ({ outcome: { kind: 'error', error: err.message } })),
    ),
  );
  let firstErr = -1;
  for (const [i, r] of results.entries()) {
    if (r.outcome.kind === 'ok') return { outcome: r.outcome, endpoint: eps[i] };
    if (r.outcome.kind === 'error' && firstErr < 0) firstErr = i;
  }
  if (firstErr >= 0) return { outcome: results[firstErr]!.outcome, endpoint: eps[firstErr] };
  return { outcome: { kind: 'not-found' } };
}

type Image = Pick<ImageReference, 'normalized' | 'path' | 'manifestReference'>;

/** The CRI text for one host's failure (a status from the registry, or a transport error of the manifest HEAD). */
export function criText(image: Image, ep: EffectiveEndpoint, error: string): string {
  return error.startsWith('pulling from host ') ? predictResolvePullError(image, error) : predictTransportPullError(image, ep.url, error);
}

export const describeOutcome = (o: HostOutcome): string =>
  o.kind === 'ok' ? 'the pull works' : o.kind === 'not-found' ? 'the image is not found' : o.error;

export interface ModelPull {
  ok: boolean;
  /** One line: what happens ("the pull works", the Go error, the resolver error). */
  what: string;
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
  if (dead?.predictedRuntimeError) return { ok: false, what: 'the CRI plugin does not load', criError: dead.predictedRuntimeError };
  const fatal = resolved.findings.map((f) => f.data?.resolverError).find((e): e is string => typeof e === 'string');
  if (fatal) return { ok: false, what: fatal, criError: predictResolvePullError(image, fatal) };
  const { outcome, endpoint } = await pullOutcome(scope, resolved.effective.endpoints);
  if (outcome.kind === 'ok') return { ok: true, what: describeOutcome(outcome) };
  if (outcome.kind === 'not-found')
    return { ok: false, what: describeOutcome(outcome), criError: predictResolvePullError(image, `${image.normalized}: not found`) };
  return { ok: false, what: outcome.error, criError: endpoint ? criText(image, endpoint, outcome.error) : undefined };
}
