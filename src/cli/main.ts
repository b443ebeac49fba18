// CLI entry: dispatches to lazily imported commands (the table in help.ts) so `--version` and `--help` load almost
// nothing. Help goes to stdout with exit 0; a usage error is one line and a hint on stderr with exit 2.
import { EXIT, UsageError, type CliIO, type CommandModule } from '../app/io.js';
import { VERSION } from '../core/version.js';
import {
  closest,
  commandFlags,
  editDistance,
  suggestFlag,
  commandHelp,
  commandWords,
  COMMANDS,
  topHelp,
  USAGE_TEXT,
  type CommandName,
} from './help.js';
import { parseErrorMessage } from './options.js';
import { LANGS, loadLang, parseLangFlag, resolveLang, setLang, t } from '../i18n/index.js';

export { COMMANDS } from './help.js';

/** Each command's module, imported when it runs (one entry per command of the help table). */
const LOADERS = {
  diagnose: () => import('./commands/diagnose.js'),
  explain: () => import('./commands/explain.js'),
  fix: () => import('./commands/fix.js'),
  rollback: () => import('./commands/rollback.js'),
  scan: () => import('./commands/scan.js'),
  nodes: () => import('./commands/nodes.js'),
  audit: () => import('./commands/audit.js'),
  demo: () => import('./commands/demo.js'),
  completion: () => import('./commands/completion.js'),
} satisfies Record<CommandName, () => Promise<CommandModule>>;

/** The module of a command of the help table. */
export function loadCommand(name: string): Promise<CommandModule> {
  return LOADERS[name as CommandName]();
}

export function defaultIO(): CliIO {
  const ctrl = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (ctrl.signal.aborted) process.exit(130);
    ctrl.abort(new Error(`interrupted (${sig})`));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const env = process.env;
  const interactive = Boolean(process.stdout.isTTY && process.stdin.isTTY) && !env.CI;
  // a terminal that reports 0x0 (serial consoles, a pty nobody sized): Ink would lay out at width 0, one character a
  // line; give it the 80 columns every other line here assumes
  if (process.stdout.isTTY && !process.stdout.columns) process.stdout.columns = 80;
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env,
    interactive,
    color: Boolean(process.stdout.isTTY) && env.NO_COLOR === undefined && env.TERM !== 'dumb',
    columns: process.stdout.columns || 80,
    signal: ctrl.signal,
  };
}

/** A first argument that is no command but within two edits of one (and shorter than the distance allows), unless it
 *  carries `/`, `:`, `.` or `@` and so can only be meant as an image or registry. */
function commandTypo(word: string): string | undefined {
  return /[/:.@]/.test(word) || word.startsWith('-') ? undefined : commandMeant(word);
}

/** The command within two edits of `word`, and fewer edits than it has letters (`x` is not `fix`). */
function commandMeant(word: string, words: readonly string[] = commandWords()): string | undefined {
  const best = closest(word, words);
  return best !== undefined && editDistance(word.toLowerCase(), best) < word.length ? best : undefined;
}

/** Writes a usage error: one line (the command that failed, when named), an optional note, then where help is. */
function usageError(io: CliIO, message: string, o: { command?: string; help?: string; note?: string } = {}): number {
  const note = o.note ? `${o.note}\n` : '';
  io.stderr.write(`regdoctor${o.command ? ` ${o.command}` : ''}: ${message}\n${note}${USAGE_TEXT.hint(o.help ?? o.command)}\n`);
  return EXIT.usage;
}

/** The options before `--` (after it everything is an argument). */
const optionArgs = (args: string[]) => (args.includes('--') ? args.slice(0, args.indexOf('--')) : args);

/** `--lang X` / `--lang=X` anywhere before `--`: its value and the arguments without it. */
function takeLang(argv: string[]): { value?: string; rest: string[]; missing?: boolean } {
  const end = argv.includes('--') ? argv.indexOf('--') : argv.length;
  let value: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (i < end && a === '--lang') {
      if (i + 1 >= end) return { rest: argv, missing: true };
      value = argv[++i];
    } else if (i < end && a.startsWith('--lang=')) value = a.slice('--lang='.length);
    else rest.push(a);
  }
  return { value, rest };
}

/** Runs the CLI and returns the exit code. */
export async function main(rawArgv: string[], io: CliIO): Promise<number> {
  // the language of every human string (help, errors, views, exports); JSON does not depend on it
  const lang = takeLang(rawArgv);
  const fromEnv = resolveLang(undefined, io.env);
  await loadLang(fromEnv);
  setLang(fromEnv);
  if (lang.missing) return usageError(io, USAGE_TEXT.needsValue('--lang'));
  if (lang.value !== undefined) {
    const chosen = parseLangFlag(lang.value);
    if (!chosen) return usageError(io, t('usage.badLang', { value: lang.value, langs: LANGS.join(', ') }));
    await loadLang(chosen);
    setLang(chosen);
  }
  const argv = lang.rest;
  const first = argv[0];
  if (first === '--version' || first === 'version') {
    io.stdout.write(`regdoctor ${VERSION}\n`);
    return EXIT.ok;
  }
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    const topic = first === undefined ? undefined : argv[1];
    if (topic === undefined || topic === '-h' || topic === '--help') {
      io.stdout.write(topHelp(io.columns));
      return EXIT.ok;
    }
    if (COMMANDS[topic]) {
      io.stdout.write(commandHelp(topic, io.columns));
      return EXIT.ok;
    }
    const guess = commandMeant(topic, Object.keys(COMMANDS));
    return usageError(io, guess ? USAGE_TEXT.unknownCommand(topic, guess) : USAGE_TEXT.unknownHelpTopic(topic));
  }
  let name = 'diagnose';
  let explicit = false;
  let rest = argv;
  if (COMMANDS[first]) {
    name = first;
    explicit = true;
    rest = argv.slice(1);
  } else if (first.startsWith('-')) {
    // `regdoctor --json reg.test` is diagnose; a lone unknown flag is an error here, not a missing target
    const known = commandFlags('diagnose').flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]);
    const flag = first.replace(/=.*/, '');
    if (!known.includes(flag) && !optionArgs(argv).includes('-h') && !optionArgs(argv).includes('--help')) {
      const guess = first === '-V' ? '--version' : suggestFlag(flag, ['--version', ...known]);
      return usageError(io, USAGE_TEXT.unknownOption(flag, guess));
    }
  } else {
    const typo = commandTypo(first);
    if (typo) {
      const { parseImageReference } = await import('../core/reference.js');
      let valid = true;
      try {
        parseImageReference(first);
      } catch {
        valid = false;
      }
      return usageError(io, USAGE_TEXT.unknownCommand(first, typo), { note: valid ? USAGE_TEXT.imageHint(first) : undefined });
    }
  }
  if (optionArgs(rest).includes('-h') || optionArgs(rest).includes('--help')) {
    io.stdout.write(commandHelp(name, io.columns));
    return EXIT.ok;
  }
  try {
    const mod = await loadCommand(name);
    return await mod.run(rest, io);
  } catch (err) {
    const code = (err as { code?: string })?.code;
    if (err instanceof UsageError || (err as Error)?.name === 'InvalidReferenceError' || code?.startsWith?.('ERR_PARSE_ARGS')) {
      // a command that parsed with Node's parseArgs directly still gets one clear line
      const spec = Object.fromEntries(
        commandFlags(name).map((f) => [f.name, { type: f.value ? 'string' : 'boolean', short: f.short }] as const),
      );
      // an invalid reference: Docker's prefix kept, regdoctor's explanation in the reader's language
      const text = (err as { localized?: () => string }).localized?.() ?? (err as Error).message;
      return usageError(io, parseErrorMessage(text, spec), { command: explicit ? name : undefined, help: name });
    }
    io.stderr.write(`regdoctor: ${t('usage.internalError', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) })}\n`);
    return EXIT.internal;
  }
}

/** Process entry used by bin/regdoctor.js. */
export async function run(argv: string[]): Promise<void> {
  const code = await main(argv, defaultIO());
  process.exitCode = code;
  // Done: exit as soon as output is flushed instead of waiting for idle keep-alive sockets to wind down.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
