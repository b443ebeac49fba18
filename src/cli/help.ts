// The command table: per-command help (usage, flags, examples), typo suggestions and shell completion all read
// COMMANDS, so a new flag is one entry here and a new command one entry here plus its loader in main.ts (keyed by
// CommandName: a forgotten one does not compile). The table holds catalogue keys (src/i18n/cli.en.ts, translated in
// cli.zh-CN.ts / cli.ja.ts): help, usage errors and completion descriptions print in the active language; example
// commands, flag names and usage syntax are printed as they are. It imports no command (no import circle through the
// lazy loaders).
import { VERSION } from '../core/version.js';
import { getLang, LANGS, t, type ParamsOf } from '../i18n/index.js';
import type { CliKey } from '../i18n/cli.en.js';
import { displayWidth, padEndWidth, wrapWords } from '../text/width.js';

/** A key of the CLI's catalogue that takes no placeholders (what the table names). */
type HelpKey = { [K in CliKey]: ParamsOf<K> extends [] ? K : never }[CliKey];

/** What the shell offers for a flag's value or a positional argument. */
export type Completion = 'file' | 'dir' | 'pod' | 'namespace' | 'context' | 'command' | readonly string[];

export interface FlagSpec {
  /** Long name without the dashes. */
  name: string;
  /** One-letter alias without the dash. */
  short?: string;
  /** Placeholder of the value (`MS`, `FILE`); absent for a boolean flag. */
  value?: string;
  /** Catalogue key of its description (helpText() prints it in the active language). */
  about: HelpKey;
  complete?: Completion;
}

export interface Example {
  /** Catalogue key of one line on what it does (printed as a `#` comment above the command). */
  about: HelpKey;
  /** The command line as typed (never translated). */
  run: string;
}

export interface CommandSpec {
  /** Catalogue key of the one-line summary. */
  about: HelpKey;
  /** The positional part of the usage line (after `regdoctor <name>`). */
  args: string;
  /** What the first positional completes to. */
  positional?: Completion;
  flags: readonly FlagSpec[];
  /** 2–4, gh style. */
  examples: readonly Example[];
  /** Catalogue keys of the lines printed under LEARN MORE. */
  notes?: readonly HelpKey[];
}

/** The text of a flag, example or command of the table in the active language. */
export function helpText(x: { about: HelpKey }): string {
  return t(x.about);
}

// Flags several commands share (one description each); a command overrides a description where it differs.
const F = {
  json: { name: 'json', about: 'cli.flag.json' },
  verbose: { name: 'verbose', short: 'v', about: 'cli.flag.verbose' },
  root: { name: 'root', value: 'DIR', about: 'cli.flag.root', complete: 'dir' },
  timeout: { name: 'timeout', value: 'MS', about: 'cli.flag.timeout' },
  probeTimeout: { name: 'probe-timeout', value: 'MS', about: 'cli.flag.probeTimeout' },
  runtimeEndpoint: { name: 'runtime-endpoint', value: 'EP', about: 'cli.flag.runtimeEndpoint' },
  noPull: { name: 'no-pull', about: 'cli.flag.noPull' },
  goVersion: { name: 'go-version', value: 'goX.Y', about: 'cli.flag.goVersion' },
  containerdVersion: { name: 'containerd-version', value: 'X.Y.Z', about: 'cli.flag.containerdVersion' },
  expiryWarningDays: { name: 'expiry-warning-days', value: 'N', about: 'cli.flag.expiryWarningDays' },
  report: { name: 'report', value: 'FILE', about: 'cli.flag.report', complete: 'file' },
  junit: { name: 'junit', value: 'FILE', about: 'cli.flag.junit', complete: 'file' },
  context: { name: 'context', value: 'CTX', about: 'cli.flag.context', complete: 'context' },
  kubeconfig: { name: 'kubeconfig', value: 'FILE', about: 'cli.flag.kubeconfig', complete: 'file' },
  namespace: { name: 'namespace', short: 'n', value: 'NS', about: 'cli.flag.namespace', complete: 'namespace' },
  kubectl: { name: 'kubectl', value: 'PATH', about: 'cli.flag.kubectl', complete: 'file' },
  stateDir: { name: 'state-dir', value: 'DIR', about: 'cli.flag.stateDir', complete: 'dir' },
  restartCmd: { name: 'restart-cmd', value: 'CMD', about: 'cli.flag.restartCmd' },
} as const satisfies Record<string, FlagSpec>;

const KUBE = [F.context, F.kubeconfig, F.namespace] as const;
const DIAGNOSIS = [F.root, F.timeout, F.probeTimeout, F.runtimeEndpoint, F.noPull, F.goVersion, F.containerdVersion] as const;

const TABLE = {
  diagnose: {
    about: 'cli.diagnose.summary',
    args: '<image-ref | host[:port] | pod/NAME>',
    positional: 'pod',
    flags: [
      F.json,
      F.verbose,
      ...DIAGNOSIS,
      F.expiryWarningDays,
      { name: 'strict', about: 'cli.diagnose.flag.strict' },
      F.report,
      F.junit,
      ...KUBE,
      { name: 'live', about: 'cli.diagnose.flag.live' },
    ],
    examples: [
      { about: 'cli.diagnose.ex.image', run: 'regdoctor diagnose reg.example.com:5000/team/app:1.4' },
      { about: 'cli.diagnose.ex.json', run: 'regdoctor diagnose reg.example.com:5000 --json' },
      { about: 'cli.diagnose.ex.pod', run: 'regdoctor diagnose pod/api-7c9d8b5f4-x2x9q -n team' },
      { about: 'cli.diagnose.ex.root', run: 'regdoctor diagnose reg.example.com/app:1 --root /mnt/node --no-pull' },
    ],
    notes: ['cli.diagnose.note'],
  },
  explain: {
    about: 'cli.explain.summary',
    args: '["<text>"]',
    flags: [
      { name: 'file', short: 'f', value: 'FILE', about: 'cli.explain.flag.file', complete: 'file' },
      { name: 'json', about: 'cli.explain.flag.json' },
      F.verbose,
      { name: 'diagnose', about: 'cli.explain.flag.diagnose' },
    ],
    examples: [
      { about: 'cli.explain.ex.describe', run: 'kubectl describe pod web-1 | regdoctor explain' },
      { about: 'cli.explain.ex.message', run: 'regdoctor explain "x509: certificate signed by unknown authority"' },
      { about: 'cli.explain.ex.journal', run: 'journalctl -u containerd | regdoctor explain --json' },
    ],
    notes: ['cli.explain.note'],
  },
  fix: {
    about: 'cli.fix.summary',
    args: '<image-ref | host[:port]>',
    flags: [
      { name: 'yes', short: 'y', about: 'cli.fix.flag.yes' },
      { name: 'dry-run', about: 'cli.fix.flag.dryRun' },
      { name: 'ca', value: 'FILE', about: 'cli.fix.flag.ca', complete: 'file' },
      { name: 'client-cert', value: 'FILE', about: 'cli.fix.flag.clientCert', complete: 'file' },
      { name: 'client-key', value: 'FILE', about: 'cli.fix.flag.clientKey', complete: 'file' },
      { name: 'username', value: 'USER', about: 'cli.fix.flag.username' },
      { name: 'password-stdin', about: 'cli.fix.flag.passwordStdin' },
      { name: 'password-file', value: 'FILE', about: 'cli.fix.flag.passwordFile', complete: 'file' },
      { name: 'trust-presented', value: 'SHA256', about: 'cli.fix.flag.trustPresented' },
      { name: 'allow-skip-verify', about: 'cli.fix.flag.allowSkipVerify' },
      { name: 'allow-destructive', about: 'cli.fix.flag.allowDestructive' },
      { name: 'proposal', value: 'ID', about: 'cli.fix.flag.proposal' },
      { name: 'harden', about: 'cli.fix.flag.harden' },
      F.stateDir,
      F.restartCmd,
      ...DIAGNOSIS,
      ...KUBE,
    ],
    examples: [
      { about: 'cli.fix.ex.plan', run: 'regdoctor fix reg.example.com:5000/app:1' },
      { about: 'cli.fix.ex.ca', run: 'regdoctor fix reg.example.com:5000/app:1 --ca ./ca.pem --yes' },
      { about: 'cli.fix.ex.dryRun', run: 'regdoctor fix reg.example.com:5000 --dry-run' },
      {
        about: 'cli.fix.ex.credentials',
        run: 'printf %s "$PW" | regdoctor fix reg.example.com/app:1 --username ci --password-stdin --yes',
      },
    ],
    notes: ['cli.fix.note'],
  },
  rollback: {
    about: 'cli.rollback.summary',
    args: '[journal-id]',
    flags: [
      { name: 'list', about: 'cli.rollback.flag.list' },
      { name: 'force', about: 'cli.rollback.flag.force' },
      F.stateDir,
      F.restartCmd,
      F.root,
      F.runtimeEndpoint,
    ],
    examples: [
      { about: 'cli.rollback.ex.last', run: 'regdoctor rollback' },
      { about: 'cli.rollback.ex.list', run: 'regdoctor rollback --list' },
      { about: 'cli.rollback.ex.id', run: 'regdoctor rollback 20261130-150211-a1b2' },
    ],
  },
  scan: {
    about: 'cli.scan.summary',
    args: '',
    flags: [
      F.namespace,
      { name: 'all-namespaces', short: 'A', about: 'cli.scan.flag.allNamespaces' },
      F.json,
      F.verbose,
      { name: 'chunk-size', value: 'N', about: 'cli.scan.flag.chunkSize' },
      { ...F.timeout, about: 'cli.scan.flag.timeout' },
      F.context,
      F.kubeconfig,
      F.kubectl,
    ],
    examples: [
      { about: 'cli.scan.ex.all', run: 'regdoctor scan -A' },
      { about: 'cli.scan.ex.json', run: 'regdoctor scan -n team --json' },
      { about: 'cli.scan.ex.context', run: 'regdoctor scan -A --context prod' },
    ],
  },
  nodes: {
    about: 'cli.nodes.summary',
    args: '<image-ref>',
    flags: [
      { name: 'selector', short: 'l', value: 'SELECTOR', about: 'cli.nodes.flag.selector' },
      { name: 'nodes', value: 'A,B', about: 'cli.nodes.flag.nodes' },
      { name: 'parallel', value: 'N', about: 'cli.nodes.flag.parallel' },
      { name: 'image', value: 'IMG', about: 'cli.nodes.flag.image' },
      { ...F.namespace, about: 'cli.nodes.flag.namespace' },
      { name: 'yes', about: 'cli.nodes.flag.yes' },
      F.json,
      F.report,
      F.junit,
      { ...F.timeout, about: 'cli.nodes.flag.timeout' },
      F.runtimeEndpoint,
      F.noPull,
      F.context,
      F.kubeconfig,
      F.kubectl,
    ],
    examples: [
      { about: 'cli.nodes.ex.all', run: 'regdoctor nodes reg.example.com:5000/app:1' },
      { about: 'cli.nodes.ex.selector', run: 'regdoctor nodes reg.example.com/app:1 -l pool=gpu --parallel 3' },
      { about: 'cli.nodes.ex.junit', run: 'regdoctor nodes reg.example.com/app:1 --junit nodes.xml' },
    ],
  },
  audit: {
    about: 'cli.audit.summary',
    args: '',
    flags: [
      { ...F.json, about: 'cli.audit.flag.json' },
      F.verbose,
      { name: 'strict', about: 'cli.audit.flag.strict' },
      { name: 'parallel', value: 'N', about: 'cli.audit.flag.parallel' },
      { ...F.timeout, about: 'cli.audit.flag.timeout' },
      { name: 'registry-timeout', value: 'MS', about: 'cli.audit.flag.registryTimeout' },
      { name: 'node', value: 'NAME', about: 'cli.audit.flag.node' },
      F.report,
      { ...F.junit, about: 'cli.audit.flag.junit' },
      F.root,
      F.probeTimeout,
      F.runtimeEndpoint,
      F.noPull,
      F.containerdVersion,
      F.expiryWarningDays,
      ...KUBE,
    ],
    examples: [
      { about: 'cli.audit.ex.all', run: 'regdoctor audit' },
      { about: 'cli.audit.ex.pods', run: 'regdoctor audit --context prod --node worker-3' },
      { about: 'cli.audit.ex.ci', run: 'regdoctor audit --report audit.html --junit audit.xml' },
    ],
    notes: ['cli.audit.note'],
  },
  demo: {
    about: 'cli.demo.summary',
    args: '',
    flags: [F.json, F.goVersion],
    examples: [
      { about: 'cli.demo.ex.run', run: 'regdoctor demo' },
      { about: 'cli.demo.ex.go', run: 'regdoctor demo --go-version go1.19' },
    ],
  },
  completion: {
    about: 'cli.completion.summary',
    args: '<bash|zsh|fish|kubectl>',
    positional: ['bash', 'zsh', 'fish', 'kubectl'],
    flags: [],
    examples: [
      { about: 'cli.completion.ex.bash', run: 'source <(regdoctor completion bash)' },
      { about: 'cli.completion.ex.zsh', run: 'regdoctor completion zsh > "${fpath[1]}/_regdoctor"' },
      { about: 'cli.completion.ex.fish', run: 'regdoctor completion fish > ~/.config/fish/completions/regdoctor.fish' },
      { about: 'cli.completion.ex.kubectl', run: 'regdoctor completion kubectl > ~/.local/bin/kubectl_complete-regdoctor' },
    ],
    notes: ['cli.completion.note'],
  },
} satisfies Record<string, CommandSpec>;

/** A command name; main.ts's loader table is keyed by it, so a command without a loader (or help) does not compile. */
export type CommandName = keyof typeof TABLE;
export const COMMANDS: Readonly<Record<string, CommandSpec>> = TABLE;

/** Words that are not commands in COMMANDS but are understood as the first argument. */
export const BUILTINS = ['help', 'version'] as const;

/** Flags understood before any command. */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: 'help', short: 'h', about: 'cli.flag.help' },
  { name: 'version', about: 'cli.flag.version' },
  { name: 'lang', value: 'LANG', about: 'cli.flag.lang' },
];

/** The flag table a command's help and completion show (its own flags, then --help). */
export function commandFlags(name: string): readonly FlagSpec[] {
  return [...(COMMANDS[name]?.flags ?? []), GLOBAL_FLAGS[0]!];
}

/** Help is wrapped to the terminal, between 80 and 100 columns (example commands are never wrapped). */
export function helpWidth(columns: number | undefined): number {
  return Math.max(80, Math.min(100, columns || 100));
}

/** Wraps `text` so that every line fits in `width` display columns after `indent` spaces (CJK counts two columns and
 *  breaks between its characters); never splits a Latin word. */
function wrapLines(text: string, indent: number, width: number): string[] {
  return wrapWords(text.replace(/\s+/g, ' ').trim(), Math.max(20, width - indent)).filter((l) => l !== '');
}

/** `label  description` rows, descriptions aligned and wrapped with a hanging indent. */
function rows(items: readonly (readonly [string, string])[], width: number): string {
  const col = Math.max(...items.map(([l]) => displayWidth(l)));
  return items
    .map(([label, description]) => {
      const [head = '', ...tail] = wrapLines(description, col + 4, width);
      return [`  ${padEndWidth(label, col)}  ${head}`, ...tail.map((l) => `${' '.repeat(col + 4)}${l}`)].join('\n');
    })
    .join('\n');
}

const paragraph = (text: string, width: number) => wrapLines(text, 2, width).map((l) => `  ${l}`);

function flagLabel(f: FlagSpec): string {
  return `${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.value ? ` ${f.value}` : ''}`;
}

const flagRows = (flags: readonly FlagSpec[], width: number) =>
  rows(
    flags.map((f) => [flagLabel(f), helpText(f)] as const),
    width,
  );

/** A summary as the first line of a command's help: a sentence (capitalised in English, 。 in CJK). */
function sentence(text: string): string {
  return t('cli.help.sentence', { text: getLang() === 'en' ? `${text.charAt(0).toUpperCase()}${text.slice(1)}` : text });
}

/** `regdoctor <name> --help`, gh style: summary, usage, flags, examples. */
export function commandHelp(name: string, columns?: number): string {
  const width = helpWidth(columns);
  const c = COMMANDS[name]!;
  const summary = wrapLines(sentence(helpText(c)), 0, width).join('\n');
  const examples = c.examples.map((e) => `  # ${helpText(e)}\n  $ ${e.run}`).join('\n\n');
  const notes = [...(c.notes ?? []), 'cli.help.exitCodesKube' as const].flatMap((n) => paragraph(t(n), width));
  return `${summary}

${t('cli.help.usage')}
  regdoctor ${name}${c.args ? ` ${c.args}` : ''}${c.flags.length ? ` ${t('cli.help.flagsWord')}` : ''}

${t('cli.help.flags')}
${flagRows(commandFlags(name), width)}

${t('cli.help.examples')}
${examples}

${t('cli.help.learnMore')}
${notes.join('\n')}
`;
}

/** `regdoctor --help` (and `regdoctor` with no arguments). */
export function topHelp(columns?: number): string {
  const width = helpWidth(columns);
  const common = [F.json, F.verbose, F.root, F.timeout, F.probeTimeout, F.runtimeEndpoint, F.noPull, ...KUBE, ...GLOBAL_FLAGS];
  const flags = t('cli.help.flagsWord');
  return `regdoctor ${VERSION} — ${t('cli.help.tagline')}

${t('cli.help.usage')}
  regdoctor [diagnose] <image-ref | host[:port] | pod/NAME> ${flags}
  regdoctor ${t('cli.help.commandWord')} ${flags}

${t('cli.help.commands')}
${rows(
  Object.entries(COMMANDS).map(([name, c]) => [name, helpText(c)] as const),
  width,
)}

${t('cli.help.commonFlags')}
${flagRows(common, width)}

${t('cli.help.examples')}
  $ regdoctor reg.example.com:5000/team/app:1.4
  $ kubectl describe pod web-1 | regdoctor explain
  $ regdoctor fix reg.example.com:5000/team/app:1.4

${t('cli.help.learnMore')}
${paragraph(t('cli.help.perCommand'), width).join('\n')}

${[t('cli.help.exitCodes'), t('cli.help.exit4')].flatMap((p, k) => (k === 0 ? wrapLines(p, 0, width) : paragraph(p, width))).join('\n')}
`;
}

/** Usage-error texts in the active language (the command prefixes `regdoctor <cmd>: `). */
export const USAGE_TEXT = {
  hint: (command?: string) => (command ? t('usage.hintCommand', { command }) : t('usage.hint')),
  unknownCommand: (word: string, suggestion: string) => t('usage.unknownCommand', { word, suggestion }),
  imageHint: (word: string) => t('usage.imageHint', { image: `docker.io/library/${word}:latest` }),
  unknownHelpTopic: (word: string) => t('usage.unknownHelpTopic', { word }),
  unknownOption: (option: string, suggestion?: string) =>
    suggestion ? t('usage.unknownOptionSuggest', { option, suggestion }) : t('usage.unknownOption', { option }),
  needsValue: (option: string) => t('usage.needsValue', { option }),
  takesNoValue: (option: string) => t('usage.takesNoValue', { option }),
  badLang: (value: string) => t('usage.badLang', { value, langs: LANGS.join(', ') }),
} as const;

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), as git's and gh's suggestions. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}

/** The closest candidate within `max` edits (ties: the first in the list), or undefined. */
export function closest(word: string, candidates: readonly string[], max = 2): string | undefined {
  let best: string | undefined;
  let bestD = max + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}

/** The flag meant by a mistyped one: `-V` → `-v` (a one-letter flag only by case), `--jsno` → `--json` (within two
 *  edits, fewer than its letters). */
export function suggestFlag(typed: string, known: readonly string[]): string | undefined {
  if (/^-[^-]$/.test(typed)) return known.find((k) => k !== typed && k.toLowerCase() === typed.toLowerCase());
  const longs = known.filter((k) => k.startsWith('--'));
  const best = closest(typed, longs);
  return best !== undefined && editDistance(typed.toLowerCase(), best.toLowerCase()) < typed.replace(/^-+/, '').length ? best : undefined;
}

/** Every word accepted as the first argument: commands, then `help` and `version`. */
export function commandWords(): string[] {
  return [...Object.keys(COMMANDS), ...BUILTINS];
}
