// CLI entry: dispatches to lazily imported commands so `--version` and `--help` load almost nothing.
import { EXIT, UsageError, type CliIO, type CommandModule } from '../app/io.js';
import { VERSION } from '../core/version.js';

interface CommandEntry {
  summary: string;
  usage: string;
  load: () => Promise<CommandModule>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  diagnose: {
    summary: 'diagnose why the runtime cannot pull from a registry (default command)',
    usage:
      'regdoctor diagnose <image-ref | host[:port] | pod/NAME> [-n NS] [--json] [-v] [--root DIR] [--timeout MS] [--report FILE.md|.json|.html] [--junit FILE] [--live]',
    load: () => import('./commands/diagnose.js'),
  },
  explain: {
    summary: 'explain pull errors found in text (events, kubectl describe, containerd logs, CI logs), offline',
    usage: 'regdoctor explain ["<text>"] [--file F] [--json] [--diagnose]   (or pipe text on stdin)',
    load: () => import('./commands/explain.js'),
  },
  fix: {
    summary: 'guided fix: show the plan and diffs, apply after confirmation (or --yes), verify with a real pull',
    usage:
      'regdoctor fix <image-ref | host[:port]> [--yes] [--dry-run] [--ca FILE] [--client-cert FILE --client-key FILE] [--trust-presented SHA256] [--allow-skip-verify] [--state-dir DIR] [--restart-cmd CMD]',
    load: () => import('./commands/fix.js'),
  },
  rollback: {
    summary: 'undo a fix exactly (files restored byte for byte), the latest one by default',
    usage: 'regdoctor rollback [journal-id] [--list] [--force] [--state-dir DIR] [--restart-cmd CMD]',
    load: () => import('./commands/rollback.js'),
  },
  scan: {
    summary: 'every pod failing to pull, grouped by failing host and cause (via kubectl)',
    usage: 'regdoctor scan [-n NAMESPACE | -A] [--json] [--chunk-size N] [--context CTX] [--kubeconfig FILE] [--kubectl PATH]',
    load: () => import('./commands/scan.js'),
  },
  nodes: {
    summary: 'diagnose every node at once through Kubernetes (one short-lived pod per node) and group them by cause',
    usage:
      'regdoctor nodes <image-ref> [-l k=v] [--nodes a,b] [--parallel N] [--image IMG] [-n NS] [--yes] [--json] [--report FILE.md|.json|.html] [--junit FILE] [--timeout MS] [--no-pull] [--context CTX] [--kubeconfig FILE] [--kubectl PATH]',
    load: () => import('./commands/nodes.js'),
  },
  demo: {
    summary: 'diagnose a few built-in broken registries on loopback (no cluster, no root)',
    usage: 'regdoctor demo [--json] [--go-version goX.Y]',
    load: () => import('./commands/demo.js'),
  },
};

function helpText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `regdoctor ${VERSION} — why can't my node pull this image?

Usage:
  regdoctor [diagnose] <image-ref | host[:port]> [options]
  regdoctor <command> [options]

Commands:
${lines.join('\n')}

Common options:
  --json                 print one JSON report (regdoctor/report@1)
  -v, --verbose          show passing checks and all evidence
  --root DIR             read node files under DIR (a copied node filesystem)
  --timeout MS           bound for the whole diagnosis (default 30000)
  --probe-timeout MS     bound for each network step (default 5000)
  --runtime-endpoint EP  CRI endpoint (default: auto-detect containerd, CRI-O, cri-dockerd)
  --no-pull              do not pull through CRI
  --strict               diagnose: exit 1 when the verdict is healthy but carries warnings
  --expiry-warning-days N  warn when a certificate of the chain expires within N days (default 30)
  --context, --kubeconfig, -n/--namespace   passed to kubectl
  -h, --help             help for regdoctor or a command
  --version              print the version

Exit codes: 0 healthy, 1 problems found, 2 usage error, 3 internal error.
  4: cannot use the cluster (scan, diagnose pod/, nodes): kubectl missing, API server unreachable, kubeconfig
  invalid, or kubectl's credentials rejected — nothing was checked.
`;
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

/** Runs the CLI and returns the exit code. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const first = argv[0];
  if (first === '--version' || first === 'version') {
    io.stdout.write(`regdoctor ${VERSION}\n`);
    return EXIT.ok;
  }
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    const topic = first === 'help' ? argv[1] : undefined;
    if (topic && COMMANDS[topic]) {
      io.stdout.write(`${COMMANDS[topic]!.usage}\n\n${COMMANDS[topic]!.summary}\n`);
      return EXIT.ok;
    }
    io.stdout.write(helpText());
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  let name = 'diagnose';
  let rest = argv;
  if (COMMANDS[first]) {
    name = first;
    rest = argv.slice(1);
  } else if (first.startsWith('-') && !argv.slice(1).some((a) => !a.startsWith('-'))) {
    io.stderr.write(`regdoctor: unknown option ${first}\n\n${helpText()}`);
    return EXIT.usage;
  }
  if (rest.includes('-h') || rest.includes('--help')) {
    io.stdout.write(`${COMMANDS[name]!.usage}\n\n${COMMANDS[name]!.summary}\n`);
    return EXIT.ok;
  }
  try {
    const mod = await COMMANDS[name]!.load();
    return await mod.run(rest, io);
  } catch (err) {
    if (
      err instanceof UsageError ||
      (err as Error)?.name === 'InvalidReferenceError' ||
      (err as { code?: string })?.code?.startsWith?.('ERR_PARSE_ARGS')
    ) {
      io.stderr.write(`regdoctor ${name}: ${(err as Error).message}\nusage: ${COMMANDS[name]!.usage}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`regdoctor: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
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
