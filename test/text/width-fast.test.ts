// The printable-ASCII fast paths of the width functions give what the code-point walk gives (a reference walk here,
// over charWidth), for ASCII, mixed and wide text alike.
import { describe, expect, it } from 'vitest';
import { charWidth, cjkPieces, displayWidth, sliceToWidth } from '../../src/text/width.js';

const walkWidth = (s: string) => [...s].reduce((w, c) => w + charWidth(c.codePointAt(0)!), 0);
function walkSlice(s: string, width: number): string {
  let w = 0;
  let out = '';
  for (const c of s) {
    const cw = charWidth(c.codePointAt(0)!);
    if (w + cw > width) break;
    w += cw;
    out += c;
  }
  return out;
}

function rnd(seed: number) {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32;
}
const ALPHABET = ['a', 'Z', '0', ' ', '~', '/', '\u00e9', '\u0301', '\u200b', '\u1100', '\u4e2d', '\u3002', '\u{1f600}', '\t', '\u007f'];

describe('width fast paths', () => {
  it('agree with the code-point walk on random strings', () => {
    const r = rnd(7);
    for (let n = 0; n < 3000; n++) {
      const len = Math.floor(r() * 12);
      const ascii = r() < 0.5;
      let s = '';
      for (let k = 0; k < len; k++)
        s += ascii ? String.fromCharCode(0x20 + Math.floor(r() * 95)) : ALPHABET[Math.floor(r() * ALPHABET.length)];
      expect(displayWidth(s), JSON.stringify(s)).toBe(walkWidth(s));
      for (const width of [-1, 0, 1, 3, 7, 20]) expect(sliceToWidth(s, width), JSON.stringify([s, width])).toBe(walkSlice(s, width));
      const pieces = cjkPieces(s.replace(/ /g, ''));
      expect(pieces.join('')).toBe(s.replace(/ /g, ''));
      if (![...s].some((c) => charWidth(c.codePointAt(0)!) === 2)) expect(pieces).toHaveLength(1);
    }
  });
});
