// Facts published by the `go-verify` check (checks/go-verify.ts): their one home, read by dependents, the fix planner
// and the report through the typed FactsMap (src/facts/index.ts).
import type { GoVerifyResult } from '../goverify/verify.js';

export interface GoVerifyFacts {
  goVersion: string;
  goVersionSource: 'override' | 'runtime' | 'default';
  skipVerify: boolean;
  result: GoVerifyResult;
}
