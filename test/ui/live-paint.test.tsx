// The live view on a TTY is painted without Ink (src/ui/interactive.ts): its frames must be what <App> (Ink, the
// frames the snapshots hold) draws for the same lines, and it must redraw in place as Ink's log-update does — the
// previous frame's lines erased, a frame as tall as the terminal cleared first, the cursor hidden while it runs and
// shown after, only the final frame in CI, a placeholder drawn before the view replaced by its first frame.
import { afterAll, describe, expect, it } from 'vitest';
import React from 'react';
import { App } from '../../src/ui/App.js';
import { liveLines, type AppProps } from '../../src/ui/live-lines.js';
import { eraseLines, paintFrame, paintLine, runInteractive, splitKeys } from '../../src/ui/interactive.js';
import { initialState } from '../../src/core/engine.js';
import { CHECKS } from '../../checks/index.js';
import { buildReport } from '../../src/core/report.js';
import { stripAnsi } from '../../src/ui/format.js';
import type { DiagnosisResult } from '../../src/app/diagnose.js';
import type { RunState } from '../../src/core/types.js';
import { demoDiagnoses, frameOf } from '../helpers/frames.js';
import { fakeTerminal, sleep } from '../helpers/fake-terminal.js';
import { check, stateOf } from '../helpers/run-state.js';

// Ink draws only the final frame in CI: <App> is compared as an operator's terminal shows it
const ciVars = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
afterAll(() => {
  for (const [k, v] of Object.entries(ciVars)) if (v !== undefined) process.env[k] = v;
});

const results = demoDiagnoses();
const HINT = ['[f] fix', '[r] re-run', '[e] export', '[v] verbose: off', '[?] help', '[q] quit'];

describe('painted without Ink: the frames <App> draws', () => {
  it('every demo scenario, running and finished, quiet and verbose, help shown, at 60/100/140 columns', () => {
    expect(results.size).toBeGreaterThan(5);
    let compared = 0;
    for (const [id, r] of results) {
      const running: RunState = {
        ...r.state,
        checks: r.state.checks.map((c, i) => (i % 3 === 1 ? { ...c, status: 'running', startedAt: 1_000, summary: undefined } : c)),
      };
      const variants: AppProps[] = [
        { state: r.state, report: r.report, verbose: false, columns: 0, color: false, hint: HINT },
        {
          state: r.state,
          report: r.report,
          verbose: true,
          columns: 0,
          color: true,
          hint: HINT,
          help: true,
          run: 2,
          message: `report written to /tmp/${id}.html`,
        },
        { state: running, verbose: false, columns: 0, color: true, hint: HINT.slice(1), now: 1_234, spinnerFrame: 3 },
        { state: initialState(CHECKS, r.state.target), verbose: false, columns: 0, color: false, hint: HINT.slice(1), spinnerFrame: 0 },
        { state: running, verbose: false, columns: 0, color: false, cancelledAfter: 4, now: 1_234 },
      ];
      for (const columns of [60, 100, 140])
        for (const v of variants) {
          const props = { ...v, columns };
          const ours = paintFrame(liveLines(props), props.color);
          expect(stripAnsi(ours), `${id} at ${columns}`).toBe(frameOf(<App {...props} />, columns));
          if (!props.color) expect(ours).not.toMatch(/\u001b/);
          compared++;
        }
    }
    expect(compared).toBeGreaterThan(90);
  });

  it('colour: the glyphs, the code and the verdict in colour, dim evidence; nothing after the last visible character', () => {
    const r = results.get('expired')!;
    const lines = liveLines({ state: r.state, report: r.report, verbose: false, columns: 100, color: true });
    const text = paintFrame(lines, true);
    expect(text).toMatch(/\u001b\[1m\u001b\[31m✗ verdict: expired/);
    expect(text).toMatch(/\u001b\[32m✓ \u001b\[39mruntime-info/);
    expect(text).toMatch(/\u001b\[1mregdoctor\u001b\[22m/);
    for (const l of text.split('\n')) expect(l).toBe(l.trimEnd());
    expect(paintLine([{ text: 'a' }, { text: '  ', dim: true }, { text: '' }], true)).toBe('a');
  });

  it('erase and keys: the sequences Ink writes; an arrow key is one key, a lone ESC is Escape', () => {
    expect(eraseLines(0)).toBe('');
    expect(eraseLines(3)).toBe('\u001b[2K\u001b[1A\u001b[2K\u001b[1A\u001b[2K\u001b[G');
    expect(splitKeys('\u001b[Aq\u001b')).toEqual(['\u001b[A', 'q', '\u001b']);
    expect(splitKeys('vr?\u0003\u001bOP')).toEqual(['v', 'r', '?', '\u0003', '\u001bOP']);
  });
});

/** A run that shows one running check and finishes when `finish()` is called. */
function gatedRun() {
  let finish = () => {};
  const run = (onUpdate: (s: RunState) => void, signal: AbortSignal) =>
    new Promise<DiagnosisResult>((resolve) => {
      onUpdate(stateOf([check('runtime-info', 'pass', { durationMs: 5 }), check('tls-handshake', 'running', { startedAt: Date.now() })]));
      finish = () => {
        const state = stateOf([check('runtime-info', 'pass', { durationMs: 5 }), check('tls-handshake', 'pass', { durationMs: 9 })]);
        resolve({ state, findings: [], report: buildReport(state, []) });
      };
      signal.addEventListener('abort', () => finish(), { once: true });
    });
  return { run, finish: () => finish() };
}

describe('redrawn in place on the terminal', () => {
  it('the first frame replaces the placeholder; each frame erases the one before; the cursor comes back at the end', async () => {
    const { stdin, screen, io } = fakeTerminal(100, 40);
    const g = gatedRun();
    const out = runInteractive({ io, verbose: false, initial: stateOf([]), run: g.run, tickMs: 20, replaces: 3 });
    await screen.until(/tls-handshake/);
    // hide the cursor, erase the placeholder's 3 lines and the line the cursor is on, draw
    expect(screen.text.startsWith(`\u001b[?25l${eraseLines(4)}regdoctor image`)).toBe(true);
    const before = screen.text.length;
    g.finish();
    const frame = await screen.until(/verdict: healthy/);
    const lastWrite = screen.text.slice(before);
    // the previous frame had frame-height lines plus the line under it
    expect(lastWrite).toMatch(/^(\u001b\[2K(\u001b\[1A)?)+\u001b\[G/);
    expect(frame.split('\n').filter((l) => /runtime-info/.test(l))).toHaveLength(1);
    stdin.press('\u001b[A');
    await sleep(50);
    expect(screen.last).toMatch(/\[q\] quit/);
    stdin.press('q');
    expect((await out).action).toBe('quit');
    expect(screen.text.endsWith('\u001b[?25h')).toBe(true);
    expect(screen.last).not.toMatch(/\[q\] quit/);
  });

  it('a frame as tall as the terminal: no newline after it, the next frame clears the screen, a newline before the prompt', async () => {
    const { stdin, screen, io } = fakeTerminal(100, 4);
    (screen as unknown as { isTTY: boolean }).isTTY = true;
    const g = gatedRun();
    const out = runInteractive({ io, verbose: false, initial: stateOf([]), run: g.run, tickMs: 20 });
    await screen.until(/tls-handshake/);
    expect(screen.text.endsWith('\n')).toBe(false);
    g.finish();
    await sleep(100);
    expect(screen.text).toContain('\u001b[2J\u001b[3J\u001b[H');
    stdin.press('q');
    await out;
    expect(screen.text.endsWith('\n\u001b[?25h')).toBe(true);
  });

  it('a narrower terminal (resize): the frame is erased and laid out again for the new width', async () => {
    const { stdin, screen, io } = fakeTerminal(140, 40);
    const g = gatedRun();
    const long = 'x'.repeat(20);
    const run = (onUpdate: (s: RunState) => void, signal: AbortSignal) =>
      g.run(
        (s) => onUpdate({ ...s, checks: s.checks.map((c) => ({ ...c, summary: `${c.id} ${long} ${long} ${long} ${long} ${long}` })) }),
        signal,
      );
    const out = runInteractive({ io, verbose: false, initial: stateOf([]), run, tickMs: 20 });
    const wide = await screen.until(/runtime-info x/);
    expect(Math.max(...wide.split('\n').map((l) => l.length))).toBeGreaterThan(100);
    screen.columns = 60;
    screen.emit('resize');
    const narrow = await screen.until(/\[q\] cancel/);
    await sleep(50);
    for (const l of screen.last.split('\n')) expect(l.length, narrow).toBeLessThan(60);
    stdin.press('q');
    expect((await out).action).toBe('cancel');
  });

  it('CI on a terminal: nothing but the final frame, once; Esc during the checks cancels', async () => {
    const { stdin, screen, io } = fakeTerminal(100, 40);
    const g = gatedRun();
    const out = runInteractive({
      io: { ...io, env: { CONTINUOUS_INTEGRATION: 'true' } },
      verbose: false,
      initial: stateOf([]),
      run: g.run,
      tickMs: 20,
    });
    await sleep(100);
    expect(screen.text).toBe('');
    stdin.press('\u001b');
    const o = await out;
    expect(o).toMatchObject({ action: 'cancel', finished: 1 });
    expect(screen.text.match(/regdoctor image/g)).toHaveLength(1);
    expect(screen.text).toMatch(/cancelled after 1 check/);
    expect(screen.text).not.toMatch(/\u001b/);
  });
});
