// Facts published by the `endpoint-walk` check (checks/endpoint-walk.ts): their one home, read by dependents, the fix planner
// and the report through the typed FactsMap (src/facts/index.ts).
import type { EffectiveEndpoint } from '../core/runtime-config.js';
import type { EndpointProbeFacts, HostOutcome } from '../probe/endpoint.js';

export interface EndpointWalkFacts {
  decisive: EffectiveEndpoint;
  /** Per host, in containerd's order: the outcome and what the probe pipeline found (the facts the probe checks
   *  publish when they examine that endpoint). */
  outcomes: { url: string; source: string; outcome: HostOutcome; probe: EndpointProbeFacts }[];
  /** The registry answered 404 through a [host] table for the server's own URL and containerd reports the server
   *  entry's error instead (issue 13 item 8): the error on the server entry is a consequence, the tag the cause. */
  maskedNotFound?: { predictedRuntimeError: string };
}
