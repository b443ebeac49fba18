// Nesting depth of parsed documents (TOML, JSON), measured without recursion. A hostile file can nest tables or
// arrays thousands of levels deep (`[a.a.a.a…]` parses fine); every recursive consumer after the parser
// (structuredClone, JSON.stringify, deep comparison) then dies with "Maximum call stack size exceeded".

/** Deepest real configuration file regdoctor reads is ~8 levels; anything past this is refused as a problem. */
export const MAX_DOCUMENT_DEPTH = 64;

/** True when objects/arrays inside `value` nest deeper than `limit` levels (stops counting early). */
export function nestedDeeperThan(value: unknown, limit = MAX_DOCUMENT_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object' || v instanceof Date) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(v as Record<string, unknown>)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Throws a plain Error (the caller reports it as a problem with the file) when the document nests too deep. */
export function assertShallow(value: unknown, limit = MAX_DOCUMENT_DEPTH): void {
  if (nestedDeeperThan(value, limit)) throw new Error(`tables or arrays nested more than ${limit} levels deep`);
}
