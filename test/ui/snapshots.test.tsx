// Frames of the Ink view, rendered with ink-testing-library from real diagnoses of the demo registries (dynamic
// values — ports, durations, dates, fingerprints — normalised) and stored as readable text under snapshots/.
import { describe, expect, it } from 'vitest';
import React from 'react';
import { render } from 'ink-testing-library';
import { App } from '../../src/ui/App.js';
import type { DiagnosisResult } from '../../src/app/diagnose.js';
import { initialState } from '../../src/core/engine.js';
import { CHECKS } from '../../checks/index.js';
import { demoDiagnoses } from '../helpers/frames.js';
import { stripAnsi } from '../../src/ui/format.js';
import type { RunState } from '../../src/core/types.js';

const results = demoDiagnoses();

/** Replaces values that change between runs. */
function normalize(frame: string): string {
  return (
    stripAnsi(frame)
      .replace(/(\.demo\.regdoctor\.test):\d+/g, '$1:PORT')
      .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
      .replace(/:\d{4,5}(?=[/"\s)]|$)/gm, ':PORT')
      // a port at the start of a wrapped line (the line broke after "host:")
      .replace(/^(\s+)\d{4,5}(?=[:/])/gm, '$1PORT')
      .replace(/ in \d+ …/g, ' in N …')
      .replace(/\/tmp\/regdoctor-demo-\w+/g, '/tmp/regdoctor-demo-XXXX')
      .replace(/\b\d+(\.\d+)? (ms|s)\b/g, 'N $2')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, 'YYYY-MM-DDTHH:MM:SSZ')
      .replace(/\d{4}-\d\d-\d\d/g, 'YYYY-MM-DD')
      .replace(/\(\d+ days (left|ago)\)|expired \d+ days ago/g, '(N days $1)')
      .replace(/\b[0-9a-f]{64}\b/g, 'SHA256')
      .replace(/\[█*░*\]/g, '[BAR]')
      // a summary that itself contains a duration shifts the right-aligned column: fold that padding
      .replace(/ in N ms( +)N ms$/gm, ' in N ms N ms')
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
  );
}

/** Fixed durations, so column widths (and clipping) do not depend on timing. */
function steady(state: RunState, report?: DiagnosisResult['report']): [RunState, DiagnosisResult['report'] | undefined] {
  return [
    { ...state, checks: state.checks.map((c) => ({ ...c, durationMs: c.durationMs === undefined ? undefined : 7 })) },
    report && { ...report, durationMs: 42, checks: report.checks.map((c) => ({ ...c, durationMs: 7 })) },
  ];
}

function frameOf(
  rawState: RunState,
  rawReport: DiagnosisResult['report'] | undefined,
  opts: { columns?: number; color?: boolean; hint?: string; verbose?: boolean } = {},
): string {
  const [state, report] = steady(rawState, rawReport);
  const { lastFrame, unmount } = render(
    <App
      state={state}
      report={report}
      verbose={opts.verbose ?? false}
      columns={opts.columns ?? 100}
      color={opts.color ?? false}
      hint={opts.hint}
      spinnerFrame={0}
    />,
  );
  const f = lastFrame() ?? '';
  unmount();
  return normalize(f);
}

describe('Ink frames', () => {
  for (const id of ['healthy', 'self-signed', 'private-ca', 'wrong-name', 'expired', 'missing-intermediate', 'plain-http', 'mtls']) {
    it(`verdict frame: ${id}`, async () => {
      const r = results.get(id)!;
      const frame = frameOf(r.state, r.report);
      expect(frame).toContain(`verdict: ${r.report.verdict.code}`);
      await expect(frame).toMatchFileSnapshot(`../../snapshots/diagnose-${id}.txt`);
    });
  }

  it('running state: finished checks above, running ones live with a spinner', async () => {
    const r = results.get('self-signed')!;
    const base = initialState(CHECKS, r.state.target);
    const state: RunState = {
      ...base,
      checks: base.checks.map((c) => {
        const done = r.state.checks.find((x) => x.id === c.id)!;
        if (['runtime-info', 'containerd-config', 'endpoint-walk', 'auth-files'].includes(c.id)) return done;
        if (c.id === 'tcp-connect' || c.id === 'cri-pull') return { ...c, status: 'running', startedAt: Date.now() };
        return c;
      }),
    };
    const frame = frameOf(state, undefined);
    expect(frame).toMatch(/tcp-connect/);
    expect(frame).toMatch(/\d+ waiting/);
    await expect(frame).toMatchFileSnapshot('../../snapshots/diagnose-running.txt');
  });

  it('fix prompt: the keys offered once the run is done', async () => {
    const r = results.get('self-signed')!;
    const frame = frameOf(r.state, r.report, { hint: '[f] fix  [r] re-run  [e] export  [v] verbose  [q] quit' });
    expect(frame).toContain('[f] fix');
    expect(frame).toContain('Trust the registry’s self-signed certificate');
    await expect(frame).toMatchFileSnapshot('../../snapshots/diagnose-fix-prompt.txt');
  });

  it('narrow terminal (60 columns): nothing wider than the terminal', async () => {
    const r = results.get('wrong-name')!;
    const frame = frameOf(r.state, r.report, { columns: 60 });
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    await expect(frame).toMatchFileSnapshot('../../snapshots/diagnose-narrow-60.txt');
  });

  it('NO_COLOR: no escape sequences at all; with colour: glyphs coloured', () => {
    const r = results.get('expired')!;
    const { lastFrame, unmount } = render(<App state={r.state} report={r.report} verbose={false} columns={100} color={false} />);
    expect(lastFrame()).not.toMatch(/\u001b\[/);
    unmount();
    const c = render(<App state={r.state} report={r.report} verbose={false} columns={100} color={true} />);
    expect(stripAnsi(c.lastFrame() ?? '')).toContain('verdict: expired');
    c.unmount();
  });

  it('the certificate chain tree marks the failing certificate', () => {
    const r = results.get('wrong-name')!;
    const frame = frameOf(r.state, r.report);
    expect(frame).toMatch(/certificate chain as sent:\n\s+CN=registry\.internal\.demo\.regdoctor\.test\s+✗/);
    expect(frame).toMatch(/└─ CN=regdoctor demo Intermediate CA/);
  });
});
