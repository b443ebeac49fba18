// The literal pre-filter in front of the extractor's alternations (issue 17): for each alternation, requiredLiterals
// finds literals one of which every match contains, so a line without any of them is never given to the regex. Checked
// here against the alternations themselves on every fixture line, every corpus text, and mutated copies of them (cut,
// case changed, non-ASCII look-alikes): whenever an alternation matches, the automaton has its bit.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { PREFILTERED } from '../../src/classify/classify.js';
import { literalAutomaton, requiredLiterals, scanBytes, scanString } from '../../src/classify/prefilter.js';
import { PATTERNS } from '../../src/classify/patterns.js';
import { CORPUS } from '../fixtures/messages/corpus.js';

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), '../fixtures/messages');

function lines(): string[] {
  const out: string[] = [];
  for (const f of readdirSync(FIXTURES)) out.push(...readFileSync(path.join(FIXTURES, f), 'utf8').split('\n'));
  for (const c of CORPUS) out.push(...c.text.split('\n'), c.text.replace(/\n\s*/g, ' '));
  return out.filter((l) => l.trim());
}

/** Copies of a line that may or may not still match: cut at both ends, case changed, letters swapped for non-ASCII
 *  look-alikes (U+017F ſ, U+0130 İ, U+212A K: case folding without the u flag never maps them to ASCII). */
function mutations(line: string, rnd: () => number): string[] {
  const a = Math.floor(rnd() * line.length);
  const b = a + Math.floor(rnd() * (line.length - a));
  const flip = [...line].map((c) => (rnd() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');
  return [
    line.slice(a, b),
    line.slice(0, a) + line.slice(b),
    flip,
    line.replace(/s/g, '\u017f'),
    line.replace(/k/gi, '\u212a'),
    line.replace(/i/g, '\u0130'),
  ];
}

describe('requiredLiterals', () => {
  it('reads literals, groups, quantifiers, classes and escapes as a regex does', () => {
    expect(requiredLiterals('abc|de')).toEqual(['abc', 'de']);
    expect(requiredLiterals('ab+c')).toEqual(['ab']);
    expect(requiredLiterals('a?bcd')).toEqual(['bcd']);
    expect(requiredLiterals('x(?:yes|no)z')).toEqual(['yes', 'no']);
    expect(requiredLiterals('(?:yes|no)?zz')).toEqual(['zz']);
    expect(requiredLiterals('\\bword\\b[a-z]+ and')).toEqual(['word']);
    expect(requiredLiterals('foo(?!barbaz)')).toEqual(['foo']);
    expect(requiredLiterals('[abc]def{2}g')).toEqual(['def']);
    expect(requiredLiterals('ab\\.cd\\/e\\sf')).toEqual(['ab.cd/e']);
    expect(requiredLiterals('Upper Case')).toEqual(['upper case']);
    expect(requiredLiterals('a long literal of many words')).toEqual(['a long liter']);
    expect(requiredLiterals('\\x41\\x42')).toBeNull();
    expect(requiredLiterals('abc|\\d+')).toBeNull();
    expect(requiredLiterals('é')).toBeNull();
  });

  it('finds literals for every pattern row and every alternation of the extractor (none is run on every line)', () => {
    for (const r of PATTERNS) expect({ id: r.id, lits: requiredLiterals(r.re.source) }).not.toMatchObject({ lits: null });
    for (const { re } of PREFILTERED) expect(requiredLiterals(re.source)).not.toBeNull();
  });
});

describe('the candidate automaton', () => {
  const words = PREFILTERED.flatMap(({ re, bit }) => requiredLiterals(re.source)!.map((word) => ({ word, bits: bit })));
  const automaton = literalAutomaton(words);

  it('has the bit of every alternation that matches, on fixture lines and mutated copies of them', () => {
    let seed = 17;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const hits = new Map<number, number>();
    let checked = 0;
    for (const line of lines()) {
      for (const s of [line, ...mutations(line, rnd)]) {
        const found = scanString(automaton, s);
        const bytes = Buffer.from(s);
        expect(scanBytes(automaton, bytes, 0, bytes.length)).toBe(found);
        for (const { re, bit } of PREFILTERED) {
          if (!re.test(s)) continue;
          hits.set(bit, (hits.get(bit) ?? 0) + 1);
          expect({ s, re: re.source.slice(0, 60), has: (found & bit) !== 0 }).toMatchObject({ has: true });
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
    // every alternation matched many of them: the check above was not vacuous
    for (const { bit } of PREFILTERED) expect(hits.get(bit) ?? 0).toBeGreaterThan(20);
  });

  it('rejects a quiet journal line without running anything', () => {
    const quiet = 'Nov 23 04:30:00 node-3 systemd[1]: Started cri-containerd-4be2f0e8.scope - libcontainer container.';
    const found = scanString(automaton, quiet);
    for (const { bit } of PREFILTERED.slice(0, 4)) expect(found & bit).toBe(0);
  });
});
