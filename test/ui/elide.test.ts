// Very long untrusted text (a certificate with hundreds of names makes Go's "certificate is valid for …" tens of KB)
// is shown on a terminal as its head and tail around a note of what was left out, in every language; the JSON report
// keeps it whole. elideMiddle is the pure part; the views are driven with a real finding built from a real
// certificate's names.
import { describe, expect, it } from 'vitest';
import { elideMiddle } from '../../src/text/width.js';
import { ELIDE_AT, elideLong, wrap } from '../../src/ui/format.js';
import { buildReport } from '../../src/core/report.js';
import { parseTarget } from '../../src/core/reference.js';
import { renderJson } from '../../src/report/export.js';
import { renderText } from '../../src/ui/text.js';
import { liveLines, plainLines } from '../../src/ui/App.js';
import { withLang } from '../../src/i18n/index.js';
import type { CheckRun, Finding, RunState } from '../../src/core/types.js';

const mark = (n: number) => `<${n}>`;

describe('elideMiddle', () => {
  it('returns text at or under the limit unchanged', () => {
    expect(elideMiddle('', 10, mark)).toBe('');
    expect(elideMiddle('abcdefghij', 10, mark)).toBe('abcdefghij');
  });

  it('keeps head and tail, counts what it left out, and stays within the limit', () => {
    const text = 'H'.repeat(500) + 'm'.repeat(1000) + 'T'.repeat(500);
    const out = elideMiddle(text, 100, mark);
    const m = /^(H*)<(\d+)>(T*)$/.exec(out);
    expect(m).not.toBeNull();
    const [, head, n, tail] = m!;
    expect(head!.length + tail!.length + Number(n)).toBe(text.length);
    expect(head!.length).toBeGreaterThan(tail!.length);
    expect(tail!.length).toBeGreaterThan(0);
    expect(out.length).toBeLessThanOrEqual(100 + String(text.length).length);
  });

  it('never splits a surrogate pair and counts code points', () => {
    for (let max = 4; max < 40; max++) {
      const text = '😀'.repeat(60);
      const out = elideMiddle(text, max, mark);
      expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      const [, head, n, tail] = /^([^<]*)<(\d+)>(.*)$/u.exec(out)!;
      expect([...head!].length + [...tail!].length + Number(n)).toBe(60);
    }
  });
});

const names = Array.from({ length: 700 }, (_, i) => `n${i}-${'x'.repeat(30)}.example.org`);
const goError = `tls: failed to verify certificate: x509: certificate is valid for ${names.join(', ')}, not registry.test`;

function longReport() {
  const finding: Finding = {
    code: 'hostname-mismatch',
    severity: 'error',
    summary: goError,
    evidence: [goError],
    fixes: [],
    source: 'go-verify',
    predictedRuntimeError: `failed to pull and unpack image "registry.test/app:1": ${goError}`,
  } as unknown as Finding;
  const run: CheckRun = {
    id: 'go-verify',
    title: 'verify',
    needs: [],
    status: 'fail',
    durationMs: 3,
    summary: goError,
    findings: [finding],
    evidence: [goError],
    hasFacts: false,
  };
  const state: RunState = {
    target: parseTarget('registry.test/app:1'),
    startedAt: 0,
    finishedAt: 5,
    checks: [run],
    cancelled: false,
    facts: {},
  };
  return { state, report: buildReport(state, [finding]) };
}

describe('long untrusted text in the views', () => {
  it('every language says how much was left out; short text is untouched', () => {
    expect(elideLong('short')).toBe('short');
    const [, head, n, tail] = /^(.*) \[…(\d+) characters omitted…\] (.*)$/.exec(elideLong(goError))!;
    expect(head!.length + Number(n) + tail!.length).toBe(goError.length);
    expect(goError.startsWith(head!) && goError.endsWith(tail!)).toBe(true);
    expect(withLang('zh-CN', () => elideLong(goError))).toMatch(/\[…省略 \d+ 个字符…\]/);
    expect(withLang('ja', () => elideLong(goError))).toMatch(/\[…\d+ 文字省略…\]/);
  });

  it('text and live view show the head and the end of the error, bounded; JSON keeps it whole', () => {
    const { state, report } = longReport();
    const text = renderText(report, { verbose: true, color: false, columns: 100 });
    const live = plainLines(liveLines({ state, report, verbose: true, columns: 100, color: false })).join('\n');
    for (const out of [text, live]) {
      expect(out).toContain('characters omitted');
      expect(out).toContain('certificate is valid for n0-');
      expect(out).toMatch(/not\s+registry\.test/);
      expect(out).not.toContain('n350-');
      // each occurrence is at most ~ELIDE_AT characters spread over lines of 100 columns
      expect(out.split('\n').length).toBeLessThan(8 * Math.ceil(ELIDE_AT / 60));
    }
    const json = renderJson(report);
    expect(json).toContain(names.join(', '));
    expect(json).not.toContain('characters omitted');
  });

  it('wrap elides each paragraph on its own', () => {
    const lines = wrap(`${goError}\nsecond paragraph`, 100);
    expect(lines.at(-1)).toBe('second paragraph');
    expect(lines.join(' ')).toContain('characters omitted');
  });
});
