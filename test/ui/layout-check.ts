// Layout checks shared by the width snapshot tests: no line wider than the terminal (display columns, CJK = 2) and
// no word split across a line break. A break is a split when the two sides join into text that occurs unbroken in
// the source strings and both sides are word characters at the break; a word longer than the whole line is the one
// allowed exception (nothing else could show it).
import { displayWidth } from '../../src/text/width.js';

/** Every string inside a value (reports, run states, proposals), for the split check. */
export function stringsOf(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) stringsOf(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) stringsOf(x, out);
  return out;
}

export interface LayoutProblem {
  line: number;
  problem: string;
}

export function layoutProblems(frame: string, columns: number, sources: string[]): LayoutProblem[] {
  const lines = frame.split('\n');
  const text = sources.join('\n');
  const problems: LayoutProblem[] = [];
  lines.forEach((l, i) => {
    if (displayWidth(l) > columns) problems.push({ line: i, problem: `${displayWidth(l)} columns > ${columns}: ${l}` });
  });
  for (let i = 0; i + 1 < lines.length; i++) {
    const a = lines[i]!.trimEnd();
    const b = lines[i + 1]!.trimStart();
    if (!a || !b) continue;
    const x = a.split(' ').pop()!;
    const y = b.split(' ')[0]!;
    if (!/\w$/u.test(x) || !/^\w/u.test(y)) continue;
    if (!text.includes(x + y)) continue;
    // the word that was cut: its part before and after the break
    const word = (x.match(/\w+$/u)?.[0] ?? '') + (y.match(/^\w+/u)?.[0] ?? '');
    if (displayWidth(word) > columns - (lines[i + 1]!.length - lines[i + 1]!.trimStart().length)) continue;
    problems.push({ line: i, problem: `word split: "${x}" | "${y}"` });
  }
  return problems;
}
