// What a zh-CN / ja rendering may still hold in Latin letters: technical terms, file paths, hosts, URLs, commands,
// quoted runtime/OS text and values filled in. Anything else of three English words in a row is a sentence left
// untranslated (test/i18n/node*.test.ts).
const KEPT = [
  /`[^`]*`/g, // backquoted spans (keys, commands)
  /"[^"]*"/g, // quoted runtime text, table names
  /\[[^\]]*\]/g, // TOML table names
  /\b(?:no such file or directory|permission denied|connection refused|is a directory|not a directory)\b/gi, // OS errors
  /\S*[/.:=@_\d]\S*/g, // paths, hosts, URLs, versions, keys with dots or underscores
];

/** Runs of 3+ English words left in `text` after removing what is kept as it is (and the given values). */
export function englishRuns(text: string, values: string[] = []): string[] {
  let s = text;
  for (const v of [...values].sort((a, b) => b.length - a.length)) if (v) s = s.split(v).join(' ');
  for (const re of KEPT) s = s.replace(re, ' ');
  return s.match(/[A-Za-z][A-Za-z'-]*(?:[ ,]+[A-Za-z][A-Za-z'-]*){2,}/g) ?? [];
}
