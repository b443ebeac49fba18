// Test fixtures often carry only the fields the code under test reads. The compiler rightly rejects such partial
// facts (a wrong key or shape must not compile in src/); tests state explicitly that theirs are partial.
import type { Facts } from '../../src/core/facts.js';

/** Partial facts for a unit test: only the fields the code under test reads. */
export function partialFacts(facts: Record<string, unknown>): Facts {
  return facts as Facts;
}
