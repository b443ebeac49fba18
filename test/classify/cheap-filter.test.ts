// The literal pre-filter of the extractor (cheapHit, an Aho–Corasick automaton) answers exactly as the
// case-insensitive alternation of the same words did: on every fixture line, on lines with the words in mixed case,
// cut short or next to non-ASCII look-alikes (U+017F ſ, U+0130 İ, U+212A K fold to ASCII only with the u flag), and on
// random text.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { CHEAP_WORDS, cheapHit } from '../../src/classify/classify.js';

const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const REFERENCE = new RegExp(CHEAP_WORDS.map(escape).join('|'), 'i');
// the alternation as it was written before the automaton (back-?off, \.sock)
const ORIGINAL =
  /fail|error|err=|denied|x509|refused|timeout|timed out|not found|unknown|429|back-?off|pull|tls|ssl|lookup|certif|http|dial|deadline|canceled|cancelled|unauthori|forbidden|authenticat|credential|token|permission|scope|manifest|blob|reset|eof|route|unreachable|resolution|resolve|host|proxy|limit|too many|secret|platform|format|space|gateway|unavailable|signature|reference|media type|invalid|\.sock|daemon|connect/i;

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), '../fixtures/messages');

function agree(line: string) {
  expect({ line, hit: cheapHit(line) }).toEqual({ line, hit: ORIGINAL.test(line) });
}

describe('cheapHit', () => {
  it('is the same word list as the original alternation', () => {
    for (const w of CHEAP_WORDS) expect(ORIGINAL.test(w)).toBe(true);
    for (const alt of ORIGINAL.source.split('|')) {
      const literal = alt.replace(/\\\./g, '.');
      const words = alt === 'back-?off' ? ['backoff', 'back-off'] : [literal];
      for (const w of words) expect(REFERENCE.test(w)).toBe(true);
    }
  });

  it('agrees with the alternation on every fixture line', () => {
    let lines = 0;
    let hits = 0;
    for (const f of readdirSync(FIXTURES)) {
      for (const line of readFileSync(path.join(FIXTURES, f), 'utf8').split('\n')) {
        agree(line);
        lines++;
        if (cheapHit(line)) hits++;
      }
    }
    expect(lines).toBeGreaterThan(100);
    expect(hits).toBeGreaterThan(10);
    expect(hits).toBeLessThan(lines);
  });

  it('finds each word in any case, at any place, overlapping a false start', () => {
    for (const w of CHEAP_WORDS) {
      const upper = w.toUpperCase();
      const mixed = [...w].map((c, k) => (k % 2 ? c.toUpperCase() : c)).join('');
      for (const v of [w, upper, mixed, `xx ${w}`, `${w} yy`, `${w.slice(0, -1)}${w}`, `ab${mixed}cd`]) {
        expect(cheapHit(v)).toBe(true);
        agree(v);
      }
      // cut short, or broken by a non-ASCII look-alike: no hit
      agree(w.slice(0, -1));
      agree(w.replace(/s/g, '\u017f').replace(/k/g, '\u212a').replace(/i/g, '\u0131'));
      agree(`${w.slice(0, 1)}\u0130${w.slice(1)}`);
    }
    expect(cheapHit('')).toBe(false);
    expect(cheapHit('SyncLoop (probe) status="ready"')).toBe(false);
  });

  it('agrees with the alternation on random text made of the words’ letters', () => {
    const alphabet = 'abcdefhiklmnoprstuxyz0459 -=.FAILERTOS\u017f\u0130é';
    let seed = 17;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    let hits = 0;
    for (let n = 0; n < 20000; n++) {
      let s = '';
      const len = 1 + Math.floor(rnd() * 12);
      for (let k = 0; k < len; k++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      if (ORIGINAL.test(s)) hits++;
      agree(s);
    }
    expect(hits).toBeGreaterThan(20);
  });
});
