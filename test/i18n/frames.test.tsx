// Frames of the live view and the guided-fix screen in zh-CN and ja at 60 and 100 columns, rendered by Ink from real
// diagnoses of the demo registries: no line wider than the terminal in display columns (CJK = 2), no character split
// across lines or cut in half, no word split, and the human text really is in the language (stored under snapshots/).
import { describe, expect, it } from 'vitest';
import React from 'react';
import { App } from '../../src/ui/App.js';
import { FixPrompt } from '../../src/ui/fix-view.js';
import { KEY } from '../../src/ui/strings.js';
import { initialState } from '../../src/core/engine.js';
import { CHECKS } from '../../checks/index.js';
import { riskLabel } from '../../src/fix/risk.js';
import { describeAction, describeActionMessage } from '../../src/fix/propose.js';
import { unifiedDiff } from '../../src/fix/diff.js';
import { displayWidth } from '../../src/text/width.js';
import { fixDescription, fixTitle, tr, withLang, type Lang } from '../../src/i18n/index.js';
import type { RunState } from '../../src/core/types.js';
import { layoutProblems, stringsOf } from '../ui/layout-check.js';
import { demoDiagnoses, frameOf } from '../helpers/frames.js';
import type { DiagnosisResult } from '../../src/app/diagnose.js';

const results = demoDiagnoses();

/** Values that change between runs (layout is asserted before this). */
function normalize(frame: string): string {
  return (
    frame
      .replace(/(\.demo\.regdoctor\.test):\d+/g, '$1:PORT')
      .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
      .replace(/:\d{4,5}(?=[/"\s)）]|$)/gm, ':PORT')
      // a port at the start of a wrapped line (the line broke after "host:")
      .replace(/^(\s+)\d{4,5}(?=[:/\s]|$)/gm, '$1PORT')
      .replace(/\/tmp\/regdoctor-demo-\w+/g, '/tmp/regdoctor-demo-XXXX')
      .replace(/\b\d+(\.\d+)? (ms|s)\b/g, (m) => 'N ms'.padStart(m.length))
      .replace(/\d{4}-\d\d-\d\d/g, 'YYYY-MM-DD')
      .replace(/\d+(?= (days|天|日))|(?<=(剩余|残り|过期) )\d+/g, 'N')
      .replace(/\b[0-9a-f]{64}\b/g, 'SHA256')
      .replace(/\[[█░]+\]/g, (m) => `[${'#'.repeat(m.length - 2)}]`)
  );
}

function steady(r: DiagnosisResult): { state: RunState; report: DiagnosisResult['report'] } {
  return {
    state: { ...r.state, checks: r.state.checks.map((c) => ({ ...c, durationMs: c.durationMs === undefined ? undefined : 7 })) },
    report: { ...r.report, durationMs: 1234, checks: r.report.checks.map((c) => ({ ...c, durationMs: 7 })) },
  };
}

/** Per-run values of a proposal (certificate body, fingerprint, file hash, validity times) replaced by fixed ones of
 *  the same shape, before layout: the stored frame is then the same on every run. */
const PEM_BODY = [...Array<string>(10).fill('A'.repeat(64)), 'A'.repeat(36)].join('\n');
function stable<T>(v: T): T {
  return JSON.parse(
    JSON.stringify(v, (_k, x: unknown) =>
      typeof x === 'string'
        ? x
            .replace(/(-----BEGIN CERTIFICATE-----\n)[A-Za-z0-9+/=\n]+?(\n-----END CERTIFICATE-----)/g, `$1${PEM_BODY}$2`)
            .replace(/\b(?:[0-9A-F]{2}:){31}[0-9A-F]{2}\b/g, Array(32).fill('AB').join(':'))
            .replace(/regdoctor-ca-[0-9a-f]{12}/g, 'regdoctor-ca-000000000000')
            .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '2030-01-01T00:00:00.000Z')
        : x,
    ),
  ) as T;
}

/** A line holds only whole characters: no lone surrogate half, no replacement character from a cut byte sequence. */
const SPLIT_CHAR = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\uFFFD/;

function expectClean(frame: string, columns: number, sources: unknown) {
  for (const l of frame.split('\n')) {
    expect(displayWidth(l), l).toBeLessThanOrEqual(columns);
    expect(l, 'a character split').not.toMatch(SPLIT_CHAR);
  }
  expect(layoutProblems(frame, columns, stringsOf(sources))).toEqual([]);
}

const LANGS: { lang: Exclude<Lang, 'en'>; verdict: RegExp; keys: string; apply: RegExp }[] = [
  { lang: 'zh-CN', verdict: /结论：hostname-mismatch — 证书与镜像仓库名称不符/, keys: '[q] 退出', apply: /现在应用全部 \d+ 步吗/ },
  {
    lang: 'ja',
    verdict: /判定: hostname-mismatch — 証明書がレジストリ名に対して有効ではありません/,
    keys: '[q] 終了',
    apply: /ステップすべてを今すぐ適用しますか/,
  },
];

for (const { lang, verdict, keys, apply } of LANGS) {
  describe(`${lang} frames`, () => {
    for (const columns of [60, 100]) {
      it(`${columns} columns: the live view (verdict and running) within the width, nothing split, in ${lang}`, async () => {
        const { state, report } = steady(results.get('wrong-name')!);
        const hint = withLang(lang, () => [KEY.fix, KEY.rerun, KEY.export, KEY.verbose(false), KEY.help, KEY.quit]);
        const frame = withLang(lang, () =>
          frameOf(<App state={state} report={report} verbose={false} columns={columns} color={false} hint={hint} help />, columns),
        );
        expectClean(frame, columns, [report, state.checks]);
        expect(frame.replace(/\n\s*/g, '')).toMatch(verdict);
        expect(frame).toContain(keys);
        // never translated: the cause code and containerd's predicted message, byte for byte
        expect(frame).toContain('hostname-mismatch');
        const predicted = report.verdict.predictedRuntimeError!;
        expect(frame.replace(/\n\s*/g, ' ')).toContain(predicted.slice(0, 40));
        await expect(normalize(frame)).toMatchFileSnapshot(`../../snapshots/i18n-${lang}-live-${columns}-verdict.txt`);

        const r = steady(results.get('self-signed')!);
        const base = initialState(CHECKS, r.state.target);
        const t0 = 1_000_000;
        const running: RunState = {
          ...base,
          checks: base.checks.map((c) => {
            const done = r.state.checks.find((x) => x.id === c.id)!;
            if (['runtime-info', 'containerd-config', 'endpoint-walk', 'auth-files'].includes(c.id)) return done;
            if (c.id === 'tcp-connect' || c.id === 'cri-pull') return { ...c, status: 'running', startedAt: t0 - 1500 };
            return c;
          }),
        };
        const live = withLang(lang, () =>
          frameOf(
            <App state={running} verbose={false} columns={columns} color={false} now={t0} spinnerFrame={0} hint={[KEY.cancel]} />,
            columns,
          ),
        );
        expectClean(live, columns, [running.checks]);
        expect(live).toMatch(lang === 'zh-CN' ? /\d+ 项等待中/ : /\d+ 件待機中/);
        await expect(normalize(live)).toMatchFileSnapshot(`../../snapshots/i18n-${lang}-live-${columns}-running.txt`);
      });

      it(`${columns} columns: the guided-fix screen (plan, step with its diff, final question) in ${lang}`, async () => {
        const { report } = steady(results.get('self-signed')!);
        const found = report.findings.flatMap((f) => f.fixes).find((x) => x.actions.some((a) => a.kind === 'write-file'))!;
        expect(found, 'a node fix for the self-signed registry').toBeTruthy();
        // the certificate is generated per run: same shapes, fixed values, so the stored frame is stable
        const fix = stable(found);
        const frames = withLang(lang, () => {
          const steps = fix.actions.map((a) => ({
            summary: tr(describeActionMessage(a), describeAction(a)),
            diff: a.kind === 'write-file' ? unifiedDiff('', a.content, '/dev/null', a.path) : undefined,
          }));
          const props = { title: fixTitle(fix), risk: riskLabel(fix), description: fixDescription(fix), steps, color: false, columns };
          return [0, steps.length].map((reviewed) => frameOf(<FixPrompt {...props} reviewed={reviewed} />, columns));
        });
        for (const f of frames) expectClean(f, columns, [fix]);
        expect(frames[1]).toMatch(apply);
        // file contents in the diff stay byte-exact
        const written = fix.actions.find((a) => a.kind === 'write-file')!;
        if (written.kind === 'write-file') expect(frames[0]).toContain(written.content.split('\n')[0]!.slice(0, columns - 10));
        await expect(normalize(frames.join('\n\n=====\n\n'))).toMatchFileSnapshot(`../../snapshots/i18n-${lang}-fix-${columns}.txt`);
      });
    }
  });
}
