/** Orders strings by UTF-16 code units, as `<` does: the same order on every machine. localeCompare depends on the
 *  locale and loads ICU's collation data (a few MiB of the node binary paged in for one sort). */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
