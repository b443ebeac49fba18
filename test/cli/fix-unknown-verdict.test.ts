// Regression: `regdoctor fix 127.0.0.1:1 --dry-run --timeout 1 --no-pull` — a diagnosis cut short by its deadline
// ends with an `unknown` verdict that has no finding; fix used to dereference the missing finding and end in
// "internal error", exit 3. It now says why nothing can be planned and exits 1 (problems found, no fix applicable).
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../kube/inproc-cli.js';

describe('regdoctor fix on an incomplete diagnosis (CLI entry, in process)', () => {
  it('exits 1 with a message, never 3 / internal error', async () => {
    const r = await runInProcess(['fix', '127.0.0.1:1', '--dry-run', '--timeout', '1', '--no-pull']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✗ unknown: the diagnosis is incomplete: /);
    expect(r.stderr).toBe(
      'regdoctor fix: no fix to plan: the diagnosis is incomplete. Re-run `regdoctor diagnose 127.0.0.1:1` (with a longer --timeout if a deadline was reached) to find the cause.\nNothing was changed.\n',
    );
  });
});
