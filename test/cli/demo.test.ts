import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('regdoctor demo', () => {
  it('diagnoses every built-in broken registry correctly (at least 4 different causes)', async () => {
    const r = await runCli(['demo', '--json'], { timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.schema).toBe('regdoctor/demo@1');
    const wrong = out.scenarios
      .filter((s: { correct: boolean }) => !s.correct)
      .map((s: { id: string; report: { verdict: { code: string } } }) => `${s.id}: ${s.report.verdict.code}`);
    expect(wrong).toEqual([]);
    expect(out.distinctCauses).toBeGreaterThanOrEqual(4);
    expect(r.code).toBe(0);
    for (const s of out.scenarios) {
      expect(s.report.schema).toBe('regdoctor/report@1');
      if (s.expected !== 'healthy') expect(s.report.verdict.predictedRuntimeError).toMatch(/^failed to pull and unpack image "/);
    }
  }, 60_000);

  it('prints a readable walkthrough without a TTY', async () => {
    const r = await runCli(['demo'], { timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/diagnosed correctly \(\d+ different causes\)/);
    expect(r.stdout).toContain('containerd will report:');
  }, 60_000);
});
