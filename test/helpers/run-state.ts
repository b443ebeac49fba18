// Check runs and run states for view tests: a check with one evidence line, a state of those checks for one image.
import { parseTarget } from '../../src/core/reference.js';
import type { CheckRun, RunState } from '../../src/core/types.js';

const target = parseTarget('reg.test:5000/app:1');

export const check = (id: string, status: CheckRun['status'], extra: Partial<CheckRun> = {}): CheckRun => ({
  id,
  title: id,
  needs: [],
  status,
  findings: [],
  evidence: [`evidence of ${id}`],
  hasFacts: false,
  ...extra,
});

export const stateOf = (checks: CheckRun[]): RunState => ({ target, startedAt: 0, checks, cancelled: false, facts: {} });
