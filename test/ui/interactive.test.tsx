// The live view's keys without a real terminal (the tmux e2e covers the real one): a run the test controls, a raw-mode
// keyboard, a screen that keeps every frame. q during the checks cancels (outcome "cancel" with the finished count),
// e during a run is queued and written when the run finishes, r re-runs in place with a run counter, times tick.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runInteractive, type InteractiveOptions } from '../../src/ui/interactive.js';
import { buildReport } from '../../src/core/report.js';
import { parseTarget } from '../../src/core/reference.js';
import type { DiagnosisResult } from '../../src/app/diagnose.js';
import type { CheckRun, RunState } from '../../src/core/types.js';
import { fakeTerminal, sleep } from '../helpers/fake-terminal.js';

// Ink decides at import whether it runs in CI (then it draws only the final frame): the keys are tested on the frames
// an operator's terminal shows, so CI's variables are hidden from this file (before Ink loads) and restored after
const ciVars = vi.hoisted(() => {
  const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  return saved;
});
afterAll(() => {
  for (const [k, v] of Object.entries(ciVars)) if (v !== undefined) process.env[k] = v;
});

const target = parseTarget('reg.test:5000/app:1');
const check = (id: string, status: CheckRun['status'], extra: Partial<CheckRun> = {}): CheckRun => ({
  id,
  title: id,
  needs: [],
  status,
  findings: [],
  evidence: [`evidence of ${id}`],
  hasFacts: false,
  ...extra,
});
const stateOf = (checks: CheckRun[]): RunState => ({ target, startedAt: 0, checks, cancelled: false, facts: {} });

/** A 100x40 terminal. */
const setup = () => fakeTerminal(100, 40);

/** A run that reports two finished checks and one running, then waits for `finish` (or its abort). */
function controlledRun() {
  const runs: { finish: () => void; signal: AbortSignal }[] = [];
  const run: InteractiveOptions['run'] = (onUpdate, signal) =>
    new Promise<DiagnosisResult>((resolve) => {
      const checks = [
        check('runtime-info', 'pass', { durationMs: 5, summary: 'containerd 1.6.20' }),
        check('tcp-connect', 'pass', { durationMs: 3 }),
      ];
      onUpdate(stateOf([...checks, check('tls-handshake', 'running', { startedAt: Date.now() }), check('cert-chain', 'pending')]));
      const finish = () => {
        const state = stateOf([
          ...checks,
          check('tls-handshake', 'pass', { durationMs: 9 }),
          check('cert-chain', 'pass', { durationMs: 1 }),
        ]);
        resolve({ state, findings: [], report: buildReport(state, []) });
      };
      runs.push({ finish, signal });
      signal.addEventListener('abort', finish, { once: true });
    });
  return { run, runs };
}

describe('live view keys', () => {
  it('q during the checks: outcome cancel with the finished count; the last frame says so, without spinner or keys', async () => {
    const { stdin, screen, io } = setup();
    const { run, runs } = controlledRun();
    const out = runInteractive({ io, verbose: false, initial: stateOf([]), run, tickMs: 20 });
    await screen.until(/⠋|⠙|⠹|⠸|⠼|⠴|⠦|⠧|⠇|⠏/);
    expect(screen.last).toMatch(/tls-handshake/);
    stdin.press('q');
    const o = await out;
    expect(o).toMatchObject({ action: 'cancel', finished: 2 });
    expect(runs[0]!.signal.aborted).toBe(true);
    const last = screen.last;
    expect(last).toMatch(/cancelled after 2 checks/);
    expect(last).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]|\[q\]/);
  });

  it('elapsed times tick while a check runs', async () => {
    const { stdin, screen, io } = setup();
    const { run } = controlledRun();
    const out = runInteractive({ io, verbose: false, initial: stateOf([]), run, tickMs: 20 });
    const first = /tls-handshake.*?(\d+) ms/.exec(await screen.until(/tls-handshake.*\d+ ms/))?.[1];
    await sleep(300);
    const later = /tls-handshake.*?(\d+) ms/.exec(screen.last)?.[1];
    expect(Number(later)).toBeGreaterThan(Number(first) + 150);
    stdin.press('\u0003');
    expect((await out).action).toBe('cancel');
  });

  it('e during a run is queued and written when it finishes; r re-runs in place with a counter; v on/off; q quits', async () => {
    const { stdin, screen, io } = setup();
    const { run, runs } = controlledRun();
    const exported: string[] = [];
    const out = runInteractive({
      io,
      verbose: false,
      initial: stateOf([]),
      run,
      tickMs: 20,
      onExport: async (r) => {
        exported.push(r.report.verdict.code);
        return 'report written to /abs/report.html';
      },
    });
    await screen.until(/tls-handshake/);
    stdin.press('e');
    await screen.until(/export queued/);
    expect(screen.last).toMatch(/\[e\] export \(queued\)/);
    expect(exported).toEqual([]);
    runs[0]!.finish();
    await screen.until(/report written to \/abs\/report\.html/);
    expect(exported).toEqual(['healthy']);
    expect(screen.last).toMatch(/\[v\] verbose: off/);
    expect(screen.last).not.toMatch(/evidence of runtime-info/);
    stdin.press('v');
    await screen.until(/\[v\] verbose: on/);
    expect(screen.last).toMatch(/evidence of runtime-info/);
    stdin.press('r');
    await screen.until(/· run 2/);
    for (let i = 0; i < 100 && runs.length < 2; i++) await sleep(10);
    expect(runs).toHaveLength(2);
    // in place: the new frame holds one list
    expect((await screen.until(/^✓ runtime-info/m)).match(/^✓ runtime-info/gm)).toHaveLength(1);
    runs[1]!.finish();
    // the second run's end: its verdict with the after-run keys ("[q] cancel" while it runs)
    await screen.until(/verdict: healthy[^]*\[q\] quit/);
    stdin.press('q');
    const o = await out;
    expect(o.action).toBe('quit');
    expect(o.result?.report.verdict.code).toBe('healthy');
    expect(screen.last).toMatch(/verdict: healthy/);
    expect(screen.last).not.toMatch(/\[q\] quit/);
  });
});
