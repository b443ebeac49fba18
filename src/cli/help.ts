// The command table: per-command help (usage, flags, examples), typo suggestions and shell completion all read
// COMMANDS, so a new flag is one entry here and a new command one entry here plus its loader in main.ts (keyed by
// CommandName: a forgotten one does not compile). Every human-facing string of the CLI frame (help, usage errors,
// typo suggestions) lives in this file. It imports no command (no import circle through the lazy loaders).
import { VERSION } from '../core/version.js';

/** What the shell offers for a flag's value or a positional argument. */
export type Completion = 'file' | 'dir' | 'pod' | 'namespace' | 'context' | 'command' | readonly string[];

export interface FlagSpec {
  /** Long name without the dashes. */
  name: string;
  /** One-letter alias without the dash. */
  short?: string;
  /** Placeholder of the value (`MS`, `FILE`); absent for a boolean flag. */
  value?: string;
  description: string;
  complete?: Completion;
}

export interface Example {
  /** One line on what it does (printed as a `#` comment above the command). */
  what: string;
  /** The command line as typed. */
  run: string;
}

export interface CommandSpec {
  summary: string;
  /** The positional part of the usage line (after `regdoctor <name>`). */
  args: string;
  /** What the first positional completes to. */
  positional?: Completion;
  flags: readonly FlagSpec[];
  /** 2–4, gh style. */
  examples: readonly Example[];
  /** Lines printed under LEARN MORE. */
  notes?: readonly string[];
}

// Flags several commands share (one description each); a command overrides a description where it differs.
const F = {
  json: { name: 'json', description: 'print one JSON report (regdoctor/report@1) instead of text' },
  verbose: { name: 'verbose', short: 'v', description: 'show passing checks and all evidence' },
  root: { name: 'root', value: 'DIR', description: 'read node files under DIR (a copied or mounted node filesystem)', complete: 'dir' },
  timeout: { name: 'timeout', value: 'MS', description: 'bound for the whole diagnosis in milliseconds (default 30000)' },
  probeTimeout: { name: 'probe-timeout', value: 'MS', description: 'bound for each network step in milliseconds (default 5000)' },
  runtimeEndpoint: {
    name: 'runtime-endpoint',
    value: 'EP',
    description: 'CRI endpoint (default: auto-detect the containerd, CRI-O or cri-dockerd socket)',
  },
  noPull: { name: 'no-pull', description: 'do not confirm with a real pull through CRI' },
  goVersion: { name: 'go-version', value: 'goX.Y', description: "predict messages for this Go version instead of the runtime binary's" },
  containerdVersion: { name: 'containerd-version', value: 'X.Y.Z', description: "apply this containerd version's semantics" },
  expiryWarningDays: {
    name: 'expiry-warning-days',
    value: 'N',
    description: 'warn when a certificate of the chain expires within N days (default 30)',
  },
  report: { name: 'report', value: 'FILE', description: 'also write the report as .md, .json or .html (redacted)', complete: 'file' },
  junit: { name: 'junit', value: 'FILE', description: 'also write JUnit XML, one test case per check (for CI)', complete: 'file' },
  context: { name: 'context', value: 'CTX', description: 'kubeconfig context for kubectl', complete: 'context' },
  kubeconfig: { name: 'kubeconfig', value: 'FILE', description: 'kubeconfig file for kubectl', complete: 'file' },
  namespace: { name: 'namespace', short: 'n', value: 'NS', description: 'namespace for kubectl', complete: 'namespace' },
  kubectl: { name: 'kubectl', value: 'PATH', description: 'kubectl binary to run (default: kubectl on PATH)', complete: 'file' },
  stateDir: {
    name: 'state-dir',
    value: 'DIR',
    description: 'where journals and backups are kept (default /var/lib/regdoctor)',
    complete: 'dir',
  },
  restartCmd: {
    name: 'restart-cmd',
    value: 'CMD',
    description: 'command that restarts the runtime instead of systemctl (run with sh -c)',
  },
} as const satisfies Record<string, FlagSpec>;

const KUBE = [F.context, F.kubeconfig, F.namespace] as const;
const DIAGNOSIS = [F.root, F.timeout, F.probeTimeout, F.runtimeEndpoint, F.noPull, F.goVersion, F.containerdVersion] as const;

const TABLE = {
  diagnose: {
    summary: 'diagnose why the runtime cannot pull from a registry (the default command)',
    args: '<image-ref | host[:port] | pod/NAME>',
    positional: 'pod',
    flags: [
      F.json,
      F.verbose,
      ...DIAGNOSIS,
      F.expiryWarningDays,
      { name: 'strict', description: 'exit 1 when the verdict is healthy but carries warnings' },
      F.report,
      F.junit,
      ...KUBE,
      { name: 'live', description: 'with pod/NAME: also diagnose each failing image from this node' },
    ],
    examples: [
      { what: 'an image on a private registry', run: 'regdoctor diagnose reg.example.com:5000/team/app:1.4' },
      { what: 'just the registry, as JSON', run: 'regdoctor diagnose reg.example.com:5000 --json' },
      { what: 'a pod stuck in ImagePullBackOff', run: 'regdoctor diagnose pod/api-7c9d8b5f4-x2x9q -n team' },
      { what: 'a copied node filesystem, offline', run: 'regdoctor diagnose reg.example.com/app:1 --root /mnt/node --no-pull' },
    ],
    notes: ["The command name may be left out: 'regdoctor reg.example.com/app:1'."],
  },
  explain: {
    summary: 'explain pull errors found in text (events, kubectl describe, containerd logs, CI logs), offline',
    args: '["<text>"]',
    flags: [
      { name: 'file', short: 'f', value: 'FILE', description: 'read the text from FILE (streamed; any size)', complete: 'file' },
      { name: 'json', description: 'print the items as JSON (regdoctor/explain@1)' },
      F.verbose,
      { name: 'diagnose', description: 'then diagnose the first image or registry the text names, live' },
    ],
    examples: [
      { what: 'what kubectl says about a pod', run: 'kubectl describe pod web-1 | regdoctor explain' },
      { what: 'one pasted message', run: 'regdoctor explain "x509: certificate signed by unknown authority"' },
      { what: "containerd's journal", run: 'journalctl -u containerd | regdoctor explain --json' },
    ],
    notes: ['Text comes from the arguments, --file, or stdin. Exit 0 when nothing is found, 1 when problems are explained.'],
  },
  fix: {
    summary: 'guided fix: show the plan and diffs, apply after confirmation (or --yes), verify with a real pull',
    args: '<image-ref | host[:port]>',
    flags: [
      { name: 'yes', short: 'y', description: 'apply without asking (the plan is still printed)' },
      { name: 'dry-run', description: 'print the plan and diffs, change nothing' },
      { name: 'ca', value: 'FILE', description: 'CA certificate (PEM) to trust for this registry', complete: 'file' },
      { name: 'client-cert', value: 'FILE', description: 'client certificate (PEM) for mTLS; needs --client-key', complete: 'file' },
      { name: 'client-key', value: 'FILE', description: 'private key (PEM) of --client-cert', complete: 'file' },
      { name: 'username', value: 'USER', description: 'registry user for a credentials fix, with --password-stdin or --password-file' },
      { name: 'password-stdin', description: 'read the password from stdin (never from the command line)' },
      { name: 'password-file', value: 'FILE', description: 'read the password from FILE', complete: 'file' },
      {
        name: 'trust-presented',
        value: 'SHA256',
        description: 'install the certificate the registry presented, named by its SHA-256 fingerprint',
      },
      { name: 'allow-skip-verify', description: 'allow a fix that turns off TLS verification for this registry only' },
      { name: 'allow-destructive', description: 'allow a fix marked destructive' },
      { name: 'proposal', value: 'ID', description: 'apply this proposal instead of the safest one' },
      {
        name: 'harden',
        description: 'replace a working workaround (skip-verify, legacy tables) with the safe equivalent, verified stage by stage',
      },
      F.stateDir,
      F.restartCmd,
      ...DIAGNOSIS,
      ...KUBE,
    ],
    examples: [
      { what: 'plan, confirm, apply, verify', run: 'regdoctor fix reg.example.com:5000/app:1' },
      { what: 'trust a private CA without asking', run: 'regdoctor fix reg.example.com:5000/app:1 --ca ./ca.pem --yes' },
      { what: 'see what would change', run: 'regdoctor fix reg.example.com:5000 --dry-run' },
      {
        what: 'store pull credentials (the password never on the command line)',
        run: 'printf %s "$PW" | regdoctor fix reg.example.com/app:1 --username ci --password-stdin --yes',
      },
    ],
    notes: ["Every change is journaled with a backup: 'regdoctor rollback' undoes it byte for byte."],
  },
  rollback: {
    summary: 'undo a fix exactly (files restored byte for byte), the latest one by default',
    args: '[journal-id]',
    flags: [
      { name: 'list', description: 'list the fix journals instead of rolling back' },
      { name: 'force', description: 'roll back even when a file or a newer fix changed it since' },
      F.stateDir,
      F.restartCmd,
      F.root,
      F.runtimeEndpoint,
    ],
    examples: [
      { what: 'undo the last fix', run: 'regdoctor rollback' },
      { what: 'see every fix and its state', run: 'regdoctor rollback --list' },
      { what: 'undo one fix by its journal id', run: 'regdoctor rollback 20261130-150211-a1b2' },
    ],
  },
  scan: {
    summary: 'every pod failing to pull, grouped by failing host and cause (via kubectl)',
    args: '',
    flags: [
      F.namespace,
      { name: 'all-namespaces', short: 'A', description: 'scan every namespace' },
      F.json,
      F.verbose,
      { name: 'chunk-size', value: 'N', description: 'pods and events per page from the API server (default 500)' },
      { ...F.timeout, description: 'bound for the whole scan in milliseconds (default 300000)' },
      F.context,
      F.kubeconfig,
      F.kubectl,
    ],
    examples: [
      { what: 'the whole cluster', run: 'regdoctor scan -A' },
      { what: 'one namespace, as JSON', run: 'regdoctor scan -n team --json' },
      { what: 'another cluster', run: 'regdoctor scan -A --context prod' },
    ],
  },
  nodes: {
    summary: 'diagnose every node at once through Kubernetes (one short-lived pod per node) and group them by cause',
    args: '<image-ref>',
    flags: [
      { name: 'selector', short: 'l', value: 'SELECTOR', description: 'only nodes with these labels (key=value,key!=value)' },
      { name: 'nodes', value: 'A,B', description: 'only these nodes (names separated by commas)' },
      { name: 'parallel', value: 'N', description: 'nodes diagnosed at the same time (default 10)' },
      { name: 'image', value: 'IMG', description: 'image of the per-node diagnosis pod' },
      { ...F.namespace, description: 'namespace of the diagnosis pods' },
      { name: 'yes', description: 'apply the fleet fix plan to the failing groups' },
      F.json,
      F.report,
      F.junit,
      { ...F.timeout, description: 'bound per node in milliseconds (default 120000)' },
      F.runtimeEndpoint,
      F.noPull,
      F.context,
      F.kubeconfig,
      F.kubectl,
    ],
    examples: [
      { what: 'every node', run: 'regdoctor nodes reg.example.com:5000/app:1' },
      { what: 'the GPU pool, 3 nodes at a time', run: 'regdoctor nodes reg.example.com/app:1 -l pool=gpu --parallel 3' },
      { what: 'a matrix for CI', run: 'regdoctor nodes reg.example.com/app:1 --junit nodes.xml' },
    ],
  },
  audit: {
    summary: 'diagnose every registry this node is configured for, in parallel: verdict, warnings, expiry, where configured',
    args: '',
    flags: [
      { ...F.json, description: 'print one JSON document (regdoctor/audit@1) instead of text' },
      F.verbose,
      { name: 'strict', description: 'exit 1 when a healthy registry carries warnings' },
      { name: 'parallel', value: 'N', description: 'registries diagnosed at the same time (default 4)' },
      { ...F.timeout, description: 'bound for the whole audit in milliseconds (default 120000)' },
      { name: 'registry-timeout', value: 'MS', description: 'bound for one registry in milliseconds (default 30000)' },
      { name: 'node', value: 'NAME', description: "this node's name in the cluster (default: the host name)" },
      F.report,
      { ...F.junit, description: 'also write JUnit XML, one test case per registry (for CI)' },
      F.root,
      F.probeTimeout,
      F.runtimeEndpoint,
      F.noPull,
      F.containerdVersion,
      F.expiryWarningDays,
      ...KUBE,
    ],
    examples: [
      { what: 'every registry this node is configured for', run: 'regdoctor audit' },
      { what: 'with the registries of the pods on this node', run: 'regdoctor audit --context prod --node worker-3' },
      { what: 'a report and a JUnit file for CI', run: 'regdoctor audit --report audit.html --junit audit.xml' },
    ],
    notes: ["A warning with an automatic remedy names its command: 'regdoctor fix --harden <image>'."],
  },
  demo: {
    summary: 'diagnose a few built-in broken registries on loopback (no cluster, no root)',
    args: '',
    flags: [F.json, F.goVersion],
    examples: [
      { what: 'run the demo', run: 'regdoctor demo' },
      { what: 'as Go 1.19 would report it', run: 'regdoctor demo --go-version go1.19' },
    ],
  },
  completion: {
    summary: 'print a shell completion script (bash, zsh or fish), or the completer of the kubectl plugin',
    args: '<bash|zsh|fish|kubectl>',
    positional: ['bash', 'zsh', 'fish', 'kubectl'],
    flags: [],
    examples: [
      { what: 'bash, for this shell', run: 'source <(regdoctor completion bash)' },
      { what: 'zsh, for every shell', run: 'regdoctor completion zsh > "${fpath[1]}/_regdoctor"' },
      { what: 'fish', run: 'regdoctor completion fish > ~/.config/fish/completions/regdoctor.fish' },
      { what: "'kubectl regdoctor <TAB>' (kubectl 1.26+)", run: 'regdoctor completion kubectl > ~/.local/bin/kubectl_complete-regdoctor' },
    ],
    notes: ['Pod names are completed through kubectl when it can reach a cluster.'],
  },
} satisfies Record<string, CommandSpec>;

/** A command name; main.ts's loader table is keyed by it, so a command without a loader (or help) does not compile. */
export type CommandName = keyof typeof TABLE;
export const COMMANDS: Readonly<Record<string, CommandSpec>> = TABLE;

/** Words that are not commands in COMMANDS but are understood as the first argument. */
export const BUILTINS = ['help', 'version'] as const;

/** Flags understood before any command. */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: 'help', short: 'h', description: 'help for regdoctor or a command' },
  { name: 'version', description: 'print the version' },
];

/** The flag table a command's help and completion show (its own flags, then --help). */
export function commandFlags(name: string): readonly FlagSpec[] {
  return [...(COMMANDS[name]?.flags ?? []), GLOBAL_FLAGS[0]!];
}

/** Help is wrapped to the terminal, between 80 and 100 columns (example commands are never wrapped). */
export function helpWidth(columns: number | undefined): number {
  return Math.max(80, Math.min(100, columns || 100));
}

/** Word-wraps `text` so that every line fits in `width` columns after `indent` spaces; never splits a word. */
function wrapLines(text: string, indent: number, width: number): string[] {
  const room = Math.max(20, width - indent);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** `label  description` rows, descriptions aligned and wrapped with a hanging indent. */
function rows(items: readonly (readonly [string, string])[], width: number): string {
  const col = Math.max(...items.map(([l]) => l.length));
  return items
    .map(([label, description]) => {
      const [head = '', ...tail] = wrapLines(description, col + 4, width);
      return [`  ${label.padEnd(col)}  ${head}`, ...tail.map((t) => `${' '.repeat(col + 4)}${t}`)].join('\n');
    })
    .join('\n');
}

const paragraph = (text: string, width: number) => wrapLines(text, 2, width).map((l) => `  ${l}`);

function flagLabel(f: FlagSpec): string {
  return `${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.value ? ` ${f.value}` : ''}`;
}

const flagRows = (flags: readonly FlagSpec[], width: number) =>
  rows(
    flags.map((f) => [flagLabel(f), f.description] as const),
    width,
  );

const EXIT_LINE = 'Exit codes: 0 healthy, 1 problems found, 2 usage error, 3 internal error, 4 cannot use the cluster.';

/** `regdoctor <name> --help`, gh style: summary, usage, flags, examples. */
export function commandHelp(name: string, columns?: number): string {
  const width = helpWidth(columns);
  const c = COMMANDS[name]!;
  const summary = wrapLines(`${c.summary.charAt(0).toUpperCase()}${c.summary.slice(1)}.`, 0, width).join('\n');
  const examples = c.examples.map((e) => `  # ${e.what}\n  $ ${e.run}`).join('\n\n');
  const notes = [...(c.notes ?? []), EXIT_LINE].flatMap((n) => paragraph(n, width));
  return `${summary}

USAGE
  regdoctor ${name}${c.args ? ` ${c.args}` : ''}${c.flags.length ? ' [flags]' : ''}

FLAGS
${flagRows(commandFlags(name), width)}

EXAMPLES
${examples}

LEARN MORE
${notes.join('\n')}
`;
}

/** `regdoctor --help` (and `regdoctor` with no arguments). */
export function topHelp(columns?: number): string {
  const width = helpWidth(columns);
  const common = [F.json, F.verbose, F.root, F.timeout, F.probeTimeout, F.runtimeEndpoint, F.noPull, ...KUBE, ...GLOBAL_FLAGS];
  return `regdoctor ${VERSION} — why can't my node pull this image?

USAGE
  regdoctor [diagnose] <image-ref | host[:port] | pod/NAME> [flags]
  regdoctor <command> [flags]

COMMANDS
${rows(
  Object.entries(COMMANDS).map(([name, c]) => [name, c.summary] as const),
  width,
)}

COMMON FLAGS
${flagRows(common, width)}

EXAMPLES
  $ regdoctor reg.example.com:5000/team/app:1.4
  $ kubectl describe pod web-1 | regdoctor explain
  $ regdoctor fix reg.example.com:5000/team/app:1.4

LEARN MORE
  Use 'regdoctor <command> --help' for the flags and examples of a command.

Exit codes: 0 healthy, 1 problems found, 2 usage error, 3 internal error.
${paragraph(
  "4: cannot use the cluster (scan, diagnose pod/, nodes): kubectl missing, API server unreachable, kubeconfig invalid, or kubectl's credentials rejected — nothing was checked.",
  width,
).join('\n')}
`;
}

/** Usage-error texts (the command prefixes `regdoctor <cmd>: `). */
export const USAGE_TEXT = {
  hint: (command?: string) => `Run 'regdoctor ${command ? `${command} ` : ''}--help' for usage.`,
  unknownCommand: (word: string, suggestion: string) => `unknown command '${word}'; did you mean '${suggestion}'?`,
  imageHint: (word: string) => `To diagnose an image of that name, write it in full: docker.io/library/${word}:latest`,
  unknownHelpTopic: (word: string) => `no help for '${word}': not a command`,
  unknownOption: (opt: string, suggestion?: string) => `unknown option '${opt}'${suggestion ? `; did you mean '${suggestion}'?` : ''}`,
  needsValue: (opt: string) => `${opt} needs a value`,
  takesNoValue: (opt: string) => `${opt} takes no value`,
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
