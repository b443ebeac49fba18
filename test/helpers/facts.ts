// Test fixtures often carry only the fields the code under test reads. The compiler rightly rejects such partial
// facts (a wrong key or shape must not compile in src/); tests state explicitly that theirs are partial.
import type { Facts } from '../../src/core/facts.js';

/** Partial facts for a unit test: only the fields the code under test reads. */
export function partialFacts(facts: Record<string, unknown>): Facts {
  return facts as Facts;
}

/** A containerd-config fact for fix-planner tests: containerd 1.6.20 with a version 2 config.toml at the usual path
 *  (its registry table where that version keeps it), plus what the test sets (effective, registrySummary…). */
export function containerdConfigFact(over: Record<string, unknown>): Record<string, unknown> {
  return {
    file: '/etc/containerd/config.toml',
    exists: true,
    configVersion: 2,
    containerdVersion: '1.6.20',
    registryTable: ['plugins', 'io.containerd.grpc.v1.cri', 'registry'],
    ...over,
  };
}
