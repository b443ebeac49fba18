// A check's one-line summary is its finding's first clause, cut at ": " — never at a bare colon inside a time or a
// host:port (issue 16: "config.toml changed at 2026-11-30T15" in the TTY view, HTML and Markdown). Runs the real
// runtime-drift check and renders its summary through every view: text, the live view, HTML, Markdown.
import { describe, expect, it } from 'vitest';
import { runtimeDriftCheck } from '../../checks/runtime-drift.js';
import { buildReport } from '../../src/core/report.js';
import { parseTarget } from '../../src/core/reference.js';
import { renderHtml, renderMarkdown } from '../../src/report/export.js';
import { renderText } from '../../src/ui/text.js';
import { liveLines, plainLines } from '../../src/ui/App.js';
import type { CheckRun, RunState } from '../../src/core/types.js';

const STARTED = '2026-11-30T14:00:00.000Z';
const CHANGED = Date.parse('2026-11-30T15:02:11.000Z');

async function driftSummary() {
  const facts: Record<string, unknown> = {
    'runtime-info': { startedAt: STARTED },
    'containerd-config': { exists: true, file: '/etc/containerd/config.toml', mtimeMs: CHANGED },
  };
  const ctx = {
    maybeFacts: (id: string) => facts[id],
    adapters: { fs: { stat: () => Promise.reject(new Error('ENOENT')) } },
  } as unknown as Parameters<typeof runtimeDriftCheck.run>[0];
  return runtimeDriftCheck.run(ctx);
}

describe('summaries are never cut at a colon', () => {
  it('runtime-drift: the check summary keeps the whole time', async () => {
    const out = await driftSummary();
    expect(out.summary).toBe(
      '/etc/containerd/config.toml changed at 2026-11-30T15:02:11.000Z, after containerd started (2026-11-30T14:00:00.000Z)',
    );
  });

  it('text, live view, HTML and Markdown show it whole', async () => {
    const out = await driftSummary();
    const run: CheckRun = {
      id: 'runtime-drift',
      title: 'drift',
      needs: [],
      status: 'warn',
      durationMs: 3,
      summary: out.summary,
      findings: [],
      evidence: out.evidence ?? [],
      hasFacts: false,
    };
    const state: RunState = {
      target: parseTarget('reg.test:5000/app:1'),
      startedAt: 0,
      finishedAt: 5,
      checks: [run],
      cancelled: false,
      facts: {},
    };
    const report = buildReport(state, []);
    const time = '2026-11-30T15:02:11.000Z';
    expect(renderHtml(report)).toContain(time);
    expect(renderMarkdown(report)).toContain(time);
    expect(renderText(report, { verbose: true, color: false, columns: 100 })).toContain(time);
    for (const columns of [60, 100, 140]) {
      const lines = plainLines(liveLines({ state, report, verbose: false, columns, color: false }));
      // joined back (the duration column sits at the end of the first line)
      expect(lines.join(' ').replace(/ 3 ms/g, '').replace(/ +/g, ' ')).toContain(`changed at ${time}, after containerd started`);
    }
  });
});
