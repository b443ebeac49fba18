// Joins phrases into one message (a list of findings' parts, paths), so each language uses its own separator.
import { msg, type ParamValue } from './index.js';

export type JoinKey = 'node.list.semi' | 'node.list.then' | 'node.list.and' | 'node.list.comma';

/** `parts` joined by `key` (`{a}; {b}` …) as nested messages; '' when empty, the part itself when one. */
export function joinMessages(parts: ParamValue[], key: JoinKey): ParamValue {
  if (parts.length === 0) return '';
  return parts.slice(1).reduce<ParamValue>((a, b) => msg(key, { a, b }), parts[0]!);
}
