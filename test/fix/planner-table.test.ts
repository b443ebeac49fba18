// Issue 14 item 2: every cause code has an entry in the planner table — a planner that returns proposals, or an
// explicit manual answer whose steps are runnable commands (one per entry, placeholders like <namespace> explicit).
import { describe, expect, it } from 'vitest';
import { CAUSE_CODES, type CauseCode } from '../../src/core/causes.js';
import { PLANNERS, proposeFixes, type PlanContext } from '../../src/fix/propose.js';
import { parseTarget } from '../../src/core/reference.js';
import type { Finding } from '../../src/core/types.js';
import { partialFacts } from '../helpers/facts.js';

const ctx: PlanContext = { target: parseTarget('reg.test:5000/app:1'), inputs: {}, facts: partialFacts({}) };
const finding = (code: CauseCode): Finding => ({ code, severity: 'error', summary: code, evidence: [], fixes: [], source: 'test' });

describe('the planner table', () => {
  it('has an entry for every CauseCode, and no entry for anything else', () => {
    expect(Object.keys(PLANNERS).sort()).toEqual([...CAUSE_CODES].sort());
  });

  for (const code of CAUSE_CODES) {
    it(`${code}: a planner with proposals or a non-empty manual answer of one-line commands`, () => {
      const entry = PLANNERS[code];
      const proposals = proposeFixes(finding(code), ctx);
      expect(proposals.length).toBeGreaterThan(0);
      for (const p of proposals) {
        expect(p.title).not.toBe('');
        // something to do: actions regdoctor applies, or the commands to run by hand
        expect(p.actions.length + p.manualSteps.length).toBeGreaterThan(0);
        for (const step of p.manualSteps) {
          expect(step.trim()).not.toBe('');
          expect(step).not.toContain('\n');
        }
      }
      if ('manual' in entry) {
        expect(proposals).toHaveLength(1);
        expect(proposals[0]!.actions).toEqual([]);
        expect(proposals[0]!.manualSteps.length).toBeGreaterThan(0);
      }
    });
  }
});
