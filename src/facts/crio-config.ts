// Facts published by the `crio-config` check (checks/crio-config.ts): their one home, read by dependents, the fix planner
// and the report through the typed FactsMap (src/facts/index.ts).
import type { CrioRegistryEntry } from '../runtime/crio-config.js';

export interface CrioConfigFacts {
  version: string;
  versionAssumed: boolean;
  files: string[];
  entry?: CrioRegistryEntry;
  /** registries.conf does not parse (every pull fails). */
  problemFile?: string;
  certDir?: string;
  certDirsTried: string[];
  authFiles: { path: string; exists: boolean; matches: string[] }[];
  authDecides?: string;
  shortName: boolean;
  unqualifiedSearchRegistries?: string[];
}
