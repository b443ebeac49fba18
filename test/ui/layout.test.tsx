// The live view and the fix screen at 60, 100 and 140 columns, rendered by Ink from real diagnoses of the demo
// registries: no line wider than the terminal (display columns), no word split across lines, wrapped lines indented,
// the validity bar whole, durations in one column, the tally last. Frames for one scenario are stored under snapshots/.
import { describe, expect, it } from 'vitest';
import React from 'react';
import { App, liveLines, plainLines } from '../../src/ui/App.js';
import { renderText } from '../../src/ui/text.js';
import { FixPrompt } from '../../src/ui/fix-view.js';
import type { DiagnosisResult } from '../../src/app/diagnose.js';
import { initialState } from '../../src/core/engine.js';
import { CHECKS } from '../../checks/index.js';
import { demoDiagnoses, frameOf } from '../helpers/frames.js';
import { unifiedDiff } from '../../src/fix/diff.js';
import { displayWidth } from '../../src/text/width.js';
import type { RunState } from '../../src/core/types.js';
import { layoutProblems, stringsOf } from './layout-check.js';

const WIDTHS = [60, 100, 140] as const;
const results = demoDiagnoses();

/** Values that change between runs, for the stored frames (layout is asserted before this). */
function normalize(frame: string): string {
  return frame
    .replace(/(\.demo\.regdoctor\.test):\d+/g, '$1:PORT')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
    .replace(/:\d{4,5}(?=[/"\s)]|$)/gm, ':PORT')
    .replace(/^(\s+)\d{4,5}(?=[:/])/gm, '$1PORT')
    .replace(/\/tmp\/regdoctor-demo-\w+/g, '/tmp/regdoctor-demo-XXXX')
    .replace(/\b\d+(\.\d+)? (ms|s)\b/g, (m) => 'N ms'.padStart(m.length))
    .replace(/\d{4}-\d\d-\d\d/g, 'YYYY-MM-DD')
    .replace(/\d+ days (left|ago)/g, 'N days $1')
    .replace(/\[[█░]+\]/g, (m) => `[${'#'.repeat(m.length - 2)}]`);
}

/** Steady durations, so columns do not depend on timing. */
function steady(r: DiagnosisResult): { state: RunState; report: DiagnosisResult['report'] } {
  return {
    state: { ...r.state, checks: r.state.checks.map((c) => ({ ...c, durationMs: c.durationMs === undefined ? undefined : 7 })) },
    report: { ...r.report, durationMs: 1234, checks: r.report.checks.map((c) => ({ ...c, durationMs: 7 })) },
  };
}

const HINT = ['[f] fix', '[r] re-run', '[e] export', '[v] verbose: off', '[?] help', '[q] quit'];

function expectClean(frame: string, columns: number, sources: unknown) {
  expect(layoutProblems(frame, columns, stringsOf(sources))).toEqual([]);
}

describe('live view layout at 60/100/140 columns', () => {
  for (const columns of WIDTHS) {
    it(`${columns} columns, every scenario, quiet and verbose: within the width, no word split`, () => {
      for (const [id, r] of results) {
        for (const verbose of [false, true]) {
          const { state, report } = steady(r);
          const props = {
            state,
            report,
            verbose,
            columns,
            color: false,
            hint: HINT,
            help: verbose,
            message: `report written to /tmp/${id}.html`,
          };
          // the pure lines, then what Ink paints from them (Ink must not re-wrap anything)
          const lines = plainLines(liveLines(props));
          for (const l of lines) expect(displayWidth(l), `${id}: ${l}`).toBeLessThan(columns);
          const frame = frameOf(<App {...props} />, columns);
          expect(frame.split('\n').map((l) => l.trimEnd())).toEqual(lines.map((l) => l.trimEnd()));
          expectClean(frame, columns, [report, state.checks]);
          // the flutter-style tally ends the report block
          const tallyLine = frame.split('\n').findIndex((l) => /checks in .*: \d+ passed/.test(l));
          expect(tallyLine, id).toBeGreaterThan(0);
          // the validity bar keeps both brackets on one line
          for (const l of frame.split('\n')) if (l.includes('[█') || l.includes('[░')) expect(l).toMatch(/\[[█░]{10}\]/);
        }
      }
    });

    it(`${columns} columns: durations right-aligned in one column; wrapped summaries keep the summary indent`, () => {
      const { state, report } = steady(results.get('wrong-name')!);
      const frame = frameOf(<App state={state} report={report} verbose={false} columns={columns} color={false} />, columns);
      const rows = frame.split('\n');
      const ends = rows.filter((l) => /^[✓✗!–☠] \S/.test(l) && / \d+ ms$/.test(l)).map((l) => displayWidth(l));
      expect(ends.length).toBeGreaterThan(5);
      expect(new Set(ends).size).toBe(1);
      // a check's continuation lines start at its summary column
      const first = rows.findIndex((l) => l.startsWith('✓ runtime-info'));
      const col = rows[first]!.indexOf('containerd');
      for (let i = first + 1; i < rows.length && rows[i]!.startsWith(' '); i++)
        expect(rows[i]!.length - rows[i]!.trimStart().length).toBe(col);
    });

    it(`${columns} columns: stored frames (wrong-name verdict, running state)`, async () => {
      const { state, report } = steady(results.get('wrong-name')!);
      const frame = frameOf(<App state={state} report={report} verbose={false} columns={columns} color={false} hint={HINT} />, columns);
      await expect(normalize(frame)).toMatchFileSnapshot(`../../snapshots/live-${columns}-verdict.txt`);
      const r = results.get('self-signed')!;
      const base = initialState(CHECKS, r.state.target);
      const t0 = 1_000_000;
      const running: RunState = {
        ...base,
        checks: base.checks.map((c) => {
          const done = steady(r).state.checks.find((x) => x.id === c.id)!;
          if (['runtime-info', 'containerd-config', 'endpoint-walk', 'auth-files'].includes(c.id)) return done;
          if (c.id === 'tcp-connect' || c.id === 'cri-pull') return { ...c, status: 'running', startedAt: t0 - 1500 };
          return c;
        }),
      };
      const live = frameOf(
        <App state={running} verbose={false} columns={columns} color={false} now={t0} spinnerFrame={0} hint={HINT.slice(1)} />,
        columns,
      );
      expectClean(live, columns, [running.checks]);
      // a running check shows its elapsed time, measured against the clock passed in (the view ticks it)
      expect(live).toMatch(/⠋ tcp-connect .* 1\.50 s/);
      await expect(normalize(live)).toMatchFileSnapshot(`../../snapshots/live-${columns}-running.txt`);
    });
  }

  it('the cancelled frame: finished checks, one "cancelled after N checks" line, no spinner, no key hint', () => {
    const r = results.get('self-signed')!;
    const state: RunState = {
      ...r.state,
      checks: r.state.checks.map((c, i) => (i < 3 ? c : i < 5 ? { ...c, status: 'running', startedAt: 1 } : { ...c, status: 'pending' })),
    };
    const frame = frameOf(<App state={state} verbose={false} columns={100} color={false} cancelledAfter={3} />, 100);
    expect(frame).toMatch(/cancelled after 3 checks$/);
    expect(frame).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
    expect(frame).not.toMatch(/\[q\]|waiting/);
  });

  it('the run counter shows from the second run on; the help lists every key', () => {
    const r = results.get('healthy')!;
    const frame = frameOf(<App state={r.state} report={r.report} verbose={false} columns={100} color={false} run={2} help />, 100);
    expect(frame.split('\n')[0]).toMatch(/· run 2$/);
    for (const k of ['r', 'v', 'e', 'f', '?', 'q']) expect(frame).toMatch(new RegExp(`^  ${k.replace('?', '\\?')}  \\S`, 'm'));
  });

  it('CJK text is measured in display columns (two per character) and wrapped inside the width', () => {
    const r = results.get('wrong-name')!;
    const cjk = '证书不受信任，因为颁发机构未知。请把注册表的根证书加入节点的信任库，然后重新启动容器运行时以便生效。';
    const report = {
      ...r.report,
      findings: r.report.findings.map((f, i) => (i === 0 ? { ...f, summary: `${cjk} ${cjk}`, summaryMessage: undefined } : f)),
    };
    for (const columns of WIDTHS) {
      const frame = frameOf(<App state={r.state} report={report} verbose={false} columns={columns} color={false} />, columns);
      expectClean(frame, columns, [report, r.state.checks]);
      expect(frame.split('\n').some((l) => /[证书]/.test(l))).toBe(true);
    }
  });
});

describe('plain text (piped) at 60/100/140 columns', () => {
  it('every scenario, quiet and verbose: within the width, no word split, durations in one column, tally last', () => {
    for (const columns of WIDTHS) {
      for (const [id, r] of results) {
        for (const verbose of [false, true]) {
          const { report } = steady(r);
          const text = renderText(report, { verbose, color: false, columns }).trimEnd();
          expect(layoutProblems(text, columns, stringsOf(report)), `${id} at ${columns}`).toEqual([]);
          const ends = text
            .split('\n')
            .filter((l) => /^ {2}[✓✗!–☠] \S/.test(l) && / \d+ ms$/.test(l))
            .map((l) => displayWidth(l));
          expect(new Set(ends).size, `${id} at ${columns}`).toBeLessThanOrEqual(1);
          // the tally is the last thing printed (it may wrap)
          expect(text.slice(text.lastIndexOf('checks in')).replace(/\s+/g, ' ')).toMatch(/^checks in [^:]*: \d+ passed(, \d+ \w+)*$/);
        }
      }
    }
  });
});

describe('fix screen layout at 60/100/140 columns', () => {
  const host = 'http.lab.test:5000';
  const steps = [
    {
      summary: `write /etc/containerd/certs.d/${host}/hosts.toml (mode 644): skip verification with insecure_skip_verify replaced by skip_verify`,
      diff: unifiedDiff(
        'server = "https://http.lab.test:5000"\n',
        `server = "http://${host}"\n\n[host."http://${host}"]\n  capabilities = ["pull", "resolve"]\n  skip_verify = true # was insecure_skip_verify in config.toml configs."${host}".tls, which containerd ignores with config_path\n`,
        `/etc/containerd/certs.d/${host}/hosts.toml`,
      ),
    },
    { summary: `restart containerd (systemctl restart containerd) so that /etc/containerd/config.toml is read again` },
  ];
  const base = {
    title: `Talk plain HTTP to http.lab.test:5000 only (hosts.toml server = "http://${host}"), and stop using insecure_skip_verify`,
    risk: 'changes node config, restarts containerd',
    description:
      'containerd reads registry hosts from config_path; the legacy configs.tls table is ignored there, so the setting moves to hosts.toml.',
    steps,
    color: false,
  };
  for (const columns of WIDTHS) {
    it(`${columns} columns: plan, step under review with its diff, final question — within the width, no word split`, async () => {
      const frames = [0, 1, 2].map((reviewed) => frameOf(<FixPrompt {...base} columns={columns} reviewed={reviewed} />, columns));
      for (const f of frames) expectClean(f, columns, [base]);
      expect(frames[0]).toContain('insecure_skip_verify');
      expect(frames[2]).toContain('Apply all 2 steps now?');
      // wrapped diff lines stay indented under the diff
      for (const l of frames[0]!.split('\n').slice(4)) if (l.trim()) expect(l.startsWith('  ')).toBe(true);
      await expect(frames.join('\n\n=====\n\n')).toMatchFileSnapshot(`../../snapshots/fix-screen-${columns}.txt`);
    });
  }
});
