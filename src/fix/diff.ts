// The unified diff shown for every file change before it is made (on screen, in --dry-run, in CI logs). It is
// computed on the real bytes, so a change of a secret still shows as a change, but it never prints a secret:
//   - a PEM private key block (or a whole *.key file) is one line `[private key, N bytes, sha256 0123…]`;
//   - the value of a secret key (`password = "…"`, `auth`, `identitytoken`, `Authorization = ["Basic …"]`,
//     JSON `"auth": "…"`, multi-line TOML strings included) is `[REDACTED]`;
//   - credentials in URLs and bearer tokens are redacted by the shared text rules;
//   - every other control character in a line becomes a visible escape (`\x1b`); tabs stay.
// Hunk headers count the file's real lines; `\ No newline at end of file` marks a last line without a newline.
import { diffArrays } from 'diff';
import { redactText, secretUnits as units, type SecretUnit as Unit } from '../text/redact.js';
import { sanitizeTabbedLine } from '../text/sanitize.js';

export { redactConfigLine } from '../text/redact.js';

type Op = { t: ' ' | '-' | '+'; u: Unit; a: number; b: number };

/** Unified diff of two file contents (empty string when they are equal), safe to print anywhere. */
export function unifiedDiff(oldText: string, newText: string, oldName: string, newName = oldName, context = 3): string {
  const header = [`--- ${sanitizeTabbedLine(redactText(oldName))}`, `+++ ${sanitizeTabbedLine(redactText(newName))}`];
  if (oldText === newText) return '';
  const a = units(oldText, oldName);
  const b = units(newText, newName);
  const tooLarge = () =>
    `${header.join('\n')}\n(file too large to diff: ${a.reduce((n, u) => n + u.lines, 0)} → ${b.reduce((n, u) => n + u.lines, 0)} lines)\n`;
  if (a.length > 20_000 || b.length > 20_000) return tooLarge();
  const changes = diffArrays(
    a.map((u) => u.key),
    b.map((u) => u.key),
    { maxEditLength: 10_000, timeout: 5_000 },
  );
  if (!changes) return tooLarge();
  // every unit with the real line number it starts at (1-based) on each side
  const ops: Op[] = [];
  let ai = 0;
  let bi = 0;
  let aLine = 1;
  let bLine = 1;
  for (const c of changes) {
    for (let k = 0; k < (c.count ?? c.value.length); k++) {
      if (c.added) {
        const u = b[bi++]!;
        ops.push({ t: '+', u, a: aLine, b: bLine });
        bLine += u.lines;
      } else if (c.removed) {
        const u = a[ai++]!;
        ops.push({ t: '-', u, a: aLine, b: bLine });
        aLine += u.lines;
      } else {
        const u = b[bi++]!;
        ai++;
        ops.push({ t: ' ', u, a: aLine, b: bLine });
        aLine += u.lines;
        bLine += u.lines;
      }
    }
  }
  if (!ops.some((o) => o.t !== ' ')) return '';
  const out = [...header];
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.t === ' ') {
      k++;
      continue;
    }
    const start = Math.max(0, k - context);
    let end = k;
    // extend the hunk while the next change is within 2*context unchanged units
    for (;;) {
      let next = end;
      while (next < ops.length && ops[next]!.t !== ' ') next++;
      let gap = next;
      while (gap < ops.length && ops[gap]!.t === ' ') gap++;
      if (gap < ops.length && gap - next <= context * 2) end = gap;
      else {
        end = Math.min(ops.length, next + context);
        break;
      }
    }
    const hunk = ops.slice(start, end);
    const oldSide = hunk.filter((o) => o.t !== '+');
    const newSide = hunk.filter((o) => o.t !== '-');
    const aLen = oldSide.reduce((n, o) => n + o.u.lines, 0);
    const bLen = newSide.reduce((n, o) => n + o.u.lines, 0);
    // GNU diff convention: an empty side is numbered by the line before it
    const aFrom = aLen ? oldSide[0]!.a : hunk[0]!.a - 1;
    const bFrom = bLen ? newSide[0]!.b : hunk[0]!.b - 1;
    out.push(`@@ -${aFrom},${aLen} +${bFrom},${bLen} @@`);
    for (const o of hunk) {
      out.push(`${o.t}${sanitizeTabbedLine(o.u.shown)}`);
      if (o.u.noEol) out.push('\\ No newline at end of file');
    }
    k = end;
  }
  return `${out.join('\n')}\n`;
}
