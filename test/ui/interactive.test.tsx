// The live view's keys without a real terminal (the tmux e2e covers the real one): a run the test controls, a raw-mode
// keyboard, a screen that keeps every frame. q during the checks cancels (outcome "cancel" with the finished count),
// e during a run is queued and written when the run finishes, r re-runs in place with a run counter, times tick.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runInteractive, type InkHost, type InteractiveOptions } from '../../src/ui/interactive.js';
import type { AppProps } from '../../src/ui/live-lines.js';
import { buildReport } from '../../src/core/report.js';
import type { DiagnosisResult } from '../../src/app/diagnose.js';
import { fakeTerminal, sleep } from '../helpers/fake-terminal.js';
import { check, stateOf } from '../helpers/run-state.js';

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

/** An Ink host that records what it is asked to draw (the real one is tested below). */
function recordingInk() {
  const calls = { loads: 0, first: [] as AppProps[], frames: [] as AppProps[], unmounts: 0 };
  const loadInk = async () => {
    calls.loads++;
    return (first: AppProps): InkHost => {
      calls.first.push(first);
      return {
        rerender: (p) => void calls.frames.push(p),
        unmount: () => {
          calls.unmounts++;
          return { endsLine: true };
        },
      };
    };
  };
  return { calls, loadInk };
}

const ttyTerminal = () => {
  const t = setup();
  (t.screen as unknown as { isTTY: boolean }).isTTY = true;
  return t;
};

describe('hand-over to Ink once the verdict is drawn', () => {
  it('Ink is not loaded while the checks run; after the verdict it hosts every frame; the keys stay with the view', async () => {
    const { stdin, screen, io } = ttyTerminal();
    const { run, runs } = controlledRun();
    const { calls, loadInk } = recordingInk();
    const out = runInteractive({ io, verbose: false, initial: stateOf([]), run, tickMs: 20, loadInk });
    await screen.until(/tls-handshake/);
    await sleep(60);
    expect(calls.loads).toBe(0);
    runs[0]!.finish();
    // the verdict is painted first, without waiting for Ink (which then erases it: look at all that was written)
    for (let i = 0; i < 300 && !/verdict: healthy/.test(screen.text); i++) await sleep(10);
    expect(screen.text).toMatch(/verdict: healthy/);
    for (let i = 0; i < 100 && calls.first.length === 0; i++) await sleep(10);
    expect(calls.loads).toBe(1);
    expect(calls.first[0]!.report?.verdict.code).toBe('healthy');
    // the painted frame is erased for Ink's: nothing more is painted here
    const painted = screen.text;
    expect(painted.endsWith('\u001b[G')).toBe(true);
    stdin.press('v');
    await sleep(50);
    expect(calls.frames.at(-1)).toMatchObject({ verbose: true, hint: expect.arrayContaining(['[v] verbose: on']) });
    stdin.press('?');
    await sleep(50);
    expect(calls.frames.at(-1)?.help).toBe(true);
    stdin.press('r');
    for (let i = 0; i < 100 && runs.length < 2; i++) await sleep(10);
    expect(runs).toHaveLength(2);
    await sleep(50);
    expect(calls.frames.at(-1)).toMatchObject({ run: 2, report: undefined });
    runs[1]!.finish();
    await sleep(50);
    expect(calls.frames.at(-1)?.report?.verdict.code).toBe('healthy');
    expect(calls.loads).toBe(1);
    stdin.press('q');
    expect((await out).action).toBe('quit');
    expect(calls.unmounts).toBe(1);
    // the last frame Ink draws has no key hint; nothing was painted here after the hand-over
    expect(calls.frames.at(-1)?.hint).toBeUndefined();
    expect(screen.text.slice(painted.length)).toBe('\u001b[?25h');
  });

  it('never loaded when the run is cancelled before its verdict, in CI, or off a terminal', async () => {
    for (const variant of ['cancel', 'ci', 'not-a-tty'] as const) {
      const { stdin, screen, io } = variant === 'not-a-tty' ? setup() : ttyTerminal();
      const { run, runs } = controlledRun();
      const { calls, loadInk } = recordingInk();
      const out = runInteractive({
        io: variant === 'ci' ? { ...io, env: { CI: 'true' } } : io,
        verbose: false,
        initial: stateOf([]),
        run,
        tickMs: 20,
        loadInk,
      });
      for (let i = 0; i < 100 && runs.length === 0; i++) await sleep(10);
      if (variant !== 'cancel') {
        runs[0]!.finish();
        await sleep(150);
      } else await screen.until(/tls-handshake/);
      stdin.press('q');
      await out;
      expect(calls.loads, variant).toBe(0);
    }
  });

  it('an Ink that fails to start leaves the view painted here, the frame drawn again, the keys working', async () => {
    const { stdin, screen, io } = ttyTerminal();
    const { run, runs } = controlledRun();
    const out = runInteractive({
      io,
      verbose: false,
      initial: stateOf([]),
      run,
      tickMs: 20,
      loadInk: async () => () => {
        throw new Error('no yoga today');
      },
    });
    await screen.until(/tls-handshake/);
    runs[0]!.finish();
    await sleep(100);
    expect(screen.last).toMatch(/verdict: healthy[^]*\[q\] quit/);
    stdin.press('v');
    await screen.until(/\[v\] verbose: on/);
    stdin.press('q');
    expect((await out).action).toBe('quit');
    expect(screen.text.endsWith('\n\u001b[?25h')).toBe(true);
  });

  it('the real Ink draws the same frame in place of the painted one, and follows the keys', async () => {
    const { stdin, screen, io } = ttyTerminal();
    const { run, runs } = controlledRun();
    const out = runInteractive({ io, verbose: false, initial: stateOf([]), run, tickMs: 20 });
    await screen.until(/tls-handshake/);
    runs[0]!.finish();
    const painted = await screen.until(/verdict: healthy/);
    const paintedAt = screen.text.length;
    // Ink's first frame: the same lines, drawn after the painted frame was erased
    for (let i = 0; i < 500 && !/verdict: healthy/.test(screen.text.slice(paintedAt)); i++) await sleep(10);
    // Ink drew it: it brackets its frames in synchronized output (CSI ? 2026 h … l), which the painter never writes
    expect(screen.text.slice(paintedAt)).toContain('\u001b[?2026h');
    expect(screen.text.slice(0, paintedAt)).not.toContain('\u001b[?2026h');
    // (private CSI sequences, not text)
    const inkFrame = screen.last.replace(/\u001b\[\?[0-9;]*[hl]/g, '');
    expect(inkFrame.trimEnd()).toBe(painted.trimEnd());
    stdin.press('v');
    await screen.until(/\[v\] verbose: on/);
    expect(screen.last).toMatch(/evidence of runtime-info/);
    stdin.press('q');
    expect((await out).action).toBe('quit');
    expect(screen.last).toMatch(/verdict: healthy/);
    expect(screen.last).not.toMatch(/\[q\] quit/);
    expect(screen.text.endsWith('\u001b[?25h')).toBe(true);
    // the prompt starts on the line under Ink's last frame: no blank line between (only mode switches after it)
    expect(screen.text).toMatch(/verdict: healthy[^\n]*\n[^\n]*checks in [^\n]*\n(?:\u001b\[\?[0-9;]*[a-z])*$/);
  }, 20_000);
});
