// Wrapping translated text: CJK has no spaces, so lines break between wide characters (never before closing or
// after opening punctuation), technical terms inside stay whole, and no line is wider than asked (display columns).
import { describe, expect, it } from 'vitest';
import { cjkPieces, displayWidth, wrapWords } from '../../src/text/width.js';

describe('CJK wrapping', () => {
  it('pieces: each wide character alone, narrow runs whole, kinsoku punctuation attached', () => {
    expect(cjkPieces('hosts.toml')).toEqual(['hosts.toml']);
    expect(cjkPieces('请修改hosts.toml。')).toEqual(['请', '修', '改', 'hosts.toml。']);
    expect(cjkPieces('（端点）')).toEqual(['（端', '点）']);
    expect(cjkPieces('设置，然后')).toEqual(['设', '置，', '然', '后']);
    // a short bracketed label stays whole
    expect(cjkPieces('设置[修改节点配置]生效')).toEqual(['设', '置', '[修改节点配置]', '生', '效']);
  });

  it('a Chinese sentence fills lines to the width instead of being cut at one long token', () => {
    const text = '镜像仓库提供的是明文 HTTP，但 containerd 用 HTTPS 访问它。需要在该主机的 hosts.toml 中设置 `server = "http://..."`。';
    for (const width of [20, 30, 41, 60]) {
      const lines = wrapWords(text, width, '  ', '    ');
      for (const l of lines) expect(displayWidth(l), l).toBeLessThanOrEqual(width);
      // nothing lost or reordered: the lines put back together are the text (spaces at breaks dropped)
      expect(
        lines
          .map((l) => l.trim())
          .join('')
          .replace(/ /g, ''),
      ).toBe(text.replace(/ /g, ''));
      // terms stay whole
      expect(lines.some((l) => l.includes('containerd'))).toBe(true);
      expect(lines.some((l) => l.includes('hosts.toml'))).toBe(true);
      // no line starts with closing punctuation
      for (const l of lines) expect(l.trim()).not.toMatch(/^[，。）、]/);
    }
  });

  it('Japanese at 60 columns: every line but the last is nearly full (no early break)', () => {
    const text =
      'ランタイムはプロキシ（HTTPS_PROXY/HTTP_PROXY）経由でレジストリに接続しています。エラーはプロキシから返っている可能性があります。';
    const lines = wrapWords(text, 60);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines.slice(0, -1)) expect(displayWidth(l)).toBeGreaterThanOrEqual(50);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(60);
  });

  it('English is unchanged: breaks only at spaces', () => {
    expect(wrapWords('the registry serves plain HTTP but containerd talks HTTPS', 20)).toEqual([
      'the registry serves',
      'plain HTTP but',
      'containerd talks',
      'HTTPS',
    ]);
  });
});
