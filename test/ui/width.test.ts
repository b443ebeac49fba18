// src/text/width.ts: display columns (CJK and wide emoji count two, combining marks and ANSI colour none), and the
// wrappers every view uses — words never split, only a token wider than the line is broken (after a separator first).
import { describe, expect, it } from 'vitest';
import { paint, stripAnsi, ttyWrap } from '../../src/ui/format.js';
import { displayWidth, padEndWidth, padStartWidth, truncateWidth, wrapPre, wrapUnits, wrapWords } from '../../src/text/width.js';

describe('display width', () => {
  it('counts East Asian wide characters as two columns, combining marks and colour codes as none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('证书')).toBe(4);
    expect(displayWidth('한국어')).toBe(6);
    expect(displayWidth('ｆｕｌｌ')).toBe(8);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('\u001b[31mred\u001b[39m')).toBe(3);
    expect(displayWidth('✓ ✗ ⠋ █ → ⚠')).toBe(11);
    expect(displayWidth('🚀')).toBe(2);
  });

  it('pads and truncates by columns', () => {
    expect(padEndWidth('证', 4)).toBe('证  ');
    expect(padStartWidth('证', 4)).toBe('  证');
    expect(truncateWidth('证书不受信任', 7)).toBe('证书不…');
    expect(displayWidth(truncateWidth('证书不受信任', 7))).toBeLessThanOrEqual(7);
    expect(truncateWidth('short', 10)).toBe('short');
  });
});

describe('wrapWords', () => {
  it('breaks at spaces only; every line fits; the words come back unchanged', () => {
    const text = 'set skip_verify in hosts.toml instead of insecure_skip_verify for http.lab.test:5000 and restart nothing';
    // the longest word (insecure_skip_verify, 20) fits from 24 columns on (4 of indent)
    for (let w = 12; w <= 60; w++) {
      const lines = wrapWords(text, w, '  ', '    ');
      for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(w);
      expect(
        lines
          .map((l) => l.trim())
          .join('')
          .replace(/ /g, ''),
      ).toBe(text.replace(/ /g, ''));
      if (w < 24) continue;
      expect(
        lines
          .map((l) => l.trim())
          .join(' ')
          .split(' '),
      ).toEqual(text.split(' '));
    }
  });

  it('keeps indents: the first prefix on the first line, the hanging one after', () => {
    expect(wrapWords('aaa bbb ccc ddd', 9, '• ', '  ')).toEqual(['• aaa bbb', '  ccc ddd']);
  });

  it('a token wider than the line breaks after a separator ("/" first), a word only when nothing else fits', () => {
    const url = 'https://registry.example.com:5000/v2/library/nginx/manifests/latest';
    const lines = wrapWords(url, 30);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(30);
    expect(lines.join('')).toBe(url);
    for (const l of lines.slice(0, -1)) expect(l).toMatch(/[/.:\-=,@?&;]$/);
    expect(wrapWords('abcdefghijklmnopqrstuvwxyz', 10)).toEqual(['abcdefghij', 'klmnopqrst', 'uvwxyz']);
  });

  it('CJK text wraps inside the width, counted in columns', () => {
    const lines = wrapWords('证书不受信任 因为颁发机构未知 请把注册表的根证书加入节点的信任库', 12);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(12);
  });
});

describe('wrapPre and wrapUnits', () => {
  it('wrapPre keeps the spacing of a preformatted line and indents its continuation', () => {
    const line = '+  skip_verify = true # was insecure_skip_verify in config.toml';
    const lines = wrapPre(line, 30, '    ', '      ');
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(30);
    expect(lines[0]).toBe('    +  skip_verify = true #');
    expect(lines.slice(1).every((l) => l.startsWith('      '))).toBe(true);
    expect(lines.join(' ')).toContain('insecure_skip_verify');
  });

  it('wrapUnits never splits a key hint', () => {
    const keys = ['[f] fix', '[r] re-run', '[e] export', '[v] verbose: off', '[?] help', '[q] quit'];
    const lines = wrapUnits(keys, 30);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(30);
    expect(lines.flatMap((l) => l.split('  '))).toEqual(keys);
  });
});

describe('ttyWrap (the fix session outside Ink, on a terminal)', () => {
  it('wraps at spaces with the indent kept, colour codes intact; commands stay whole', () => {
    const line = paint(
      '  containerd reports: failed to resolve "http.lab.test:5000/lab/hello:1.0": insecure_skip_verify is ignored',
      'dim',
      true,
    );
    const wrapped = ttyWrap(line, 60).split('\n');
    expect(wrapped.length).toBeGreaterThan(1);
    for (const l of wrapped) expect(displayWidth(l)).toBeLessThan(60);
    for (const l of wrapped.slice(1)) expect(stripAnsi(l).startsWith('  ') && !stripAnsi(l).startsWith('   ')).toBe(true);
    expect(stripAnsi(wrapped.join(' ')).replace(/ +/g, ' ').trim()).toBe(stripAnsi(line).replace(/ +/g, ' ').trim());
    const bullet = ttyWrap('  • [safe] Move the ignored settings to where this containerd reads them, with more words', 50).split('\n');
    expect(bullet.slice(1).every((l) => l.startsWith('    ') && !l.startsWith('     '))).toBe(true);
    const cmd = '      $ regdoctor rollback 20261130-abc --state-dir /var/lib/regdoctor/a/very/long/path/that/goes/on';
    expect(ttyWrap(cmd, 60)).toBe(cmd);
    // prose before a rollback command wraps; the command moves to a line of its own, whole
    const applied =
      'Applied (journal 20261130T202739972Z-98204a, session 20261130T202737463Z-b54523). To undo every round: regdoctor rollback 20261130T202737463Z-b54523';
    const lines = ttyWrap(applied, 100).split('\n');
    expect(lines.length).toBe(2);
    for (const l of lines) expect(displayWidth(l)).toBeLessThan(100);
    expect(lines[1]).toMatch(/^round: regdoctor rollback 20261130T202737463Z-b54523$/);
    expect(lines.join(' ')).toBe(applied);
    // at 60 columns the command is alone on its line
    expect(ttyWrap(applied, 60).split('\n').at(-1)).toBe('regdoctor rollback 20261130T202737463Z-b54523');
  });
});
