// A small unified diff (LCS over lines) for showing every file change before it is made.
export function unifiedDiff(oldText: string, newText: string, oldName: string, newName = oldName, context = 3): string {
  const a = oldText === '' ? [] : oldText.replace(/\n$/, '').split('\n');
  const b = newText === '' ? [] : newText.replace(/\n$/, '').split('\n');
  if (a.length > 20_000 || b.length > 20_000) return `--- ${oldName}\n+++ ${newName}\n(file too large to diff: ${a.length} → ${b.length} lines)\n`;
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  type Op = { t: ' ' | '-' | '+'; line: string; ai: number; bi: number };
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ t: ' ', line: a[i++]!, ai: i, bi: ++j });
    else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) ops.push({ t: '-', line: a[i++]!, ai: i, bi: j });
    else ops.push({ t: '+', line: b[j++]!, ai: i, bi: j });
  }
  if (!ops.some((o) => o.t !== ' ')) return '';
  const out = [`--- ${oldName}`, `+++ ${newName}`];
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.t === ' ') {
      k++;
      continue;
    }
    let start = Math.max(0, k - context);
    let end = k;
    // extend the hunk while changes are within 2*context lines
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
    const aStart = hunk.find((o) => o.t !== '+');
    const bStart = hunk.find((o) => o.t !== '-');
    const aLen = hunk.filter((o) => o.t !== '+').length;
    const bLen = hunk.filter((o) => o.t !== '-').length;
    const aFrom = aLen ? (aStart ? aStart.ai : 0) : Math.max(0, (hunk[0]?.ai ?? 0));
    const bFrom = bLen ? (bStart ? bStart.bi : 0) : Math.max(0, (hunk[0]?.bi ?? 0));
    out.push(`@@ -${aFrom},${aLen} +${bFrom},${bLen} @@`);
    for (const o of hunk) out.push(`${o.t}${o.line}`);
    k = end;
    start = end;
  }
  return `${out.join('\n')}\n`;
}
