import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { parseDemoOptions, runDemo } from '../../src/cli/commands/demo.js';
import type { CliIO } from '../../src/app/io.js';
import { displayWidth } from '../../src/text/width.js';
import { layoutProblems } from '../ui/layout-check.js';

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

  it('at 60 columns the walkthrough wraps every line (headings, verdicts, "fix:" lines) without splitting a word', async () => {
    let out = '';
    const io: CliIO = {
      stdout: { write: (x: string) => (out += x) },
      stderr: { write: () => true },
      stdin: process.stdin,
      env: {},
      interactive: false,
      color: false,
      columns: 60,
      signal: new AbortController().signal,
    };
    const code = await runDemo(parseDemoOptions([], {}), { io });
    expect(code).toBe(0);
    expect(out).toMatch(/^ {5}fix: /m);
    for (const l of out.split('\n')) expect(displayWidth(l), l).toBeLessThanOrEqual(60);
    // the source strings: every scenario's report as JSON (titles, summaries, fixes), unbroken
    const json = { stdout: '' };
    await runDemo(parseDemoOptions(['--json'], {}), { io: { ...io, stdout: { write: (x: string) => (json.stdout += x) } } });
    const sources = [json.stdout, 'Next: regdoctor diagnose <your-registry>/<image>:<tag> (regdoctor --help)', 'diagnosed correctly'];
    expect(layoutProblems(out, 60, sources)).toEqual([]);
  }, 60_000);
});
