// Typed facts passed along the check graph. The engine is generic over FactsMap; src/facts/index.ts fills it in
// (check id → fact type), one entry per check, so every reader — dependent checks, the fix planner, the report — gets
// the declared type by key, and a wrong key or a wrong shape does not compile.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface FactsMap {}

/** The facts a run has published so far (a check that failed, was skipped or crashed has none). */
export type Facts = Partial<FactsMap>;

/** The one typed accessor: the facts a check published, with that check's declared type. */
export function getFact<K extends keyof FactsMap>(facts: Facts, id: K): FactsMap[K] | undefined {
  return facts[id];
}
