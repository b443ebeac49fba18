// Shell quoting for every command regdoctor prints for a person to paste (POSIX sh rules): a value that is not
// plainly safe is single-quoted, so `a:1;touch${IFS}/tmp/x;#` stays one argument and never runs.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One argument, quoted for a POSIX shell when it needs it. */
export function shellQuote(arg: string): string {
  if (arg === '') return "''";
  if (SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A whole command line from its argv, each argument quoted as needed. */
export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
