// What a command receives: its streams and terminal facts, injectable for tests.
export interface CliIO {
  stdout: { write(s: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (on: boolean) => unknown };
  env: Readonly<Record<string, string | undefined>>;
  /** Interactive terminal: stdout and stdin are TTYs and not in CI. */
  interactive: boolean;
  /** Colour allowed (TTY and NO_COLOR unset). */
  color: boolean;
  columns: number;
  /** Aborted on Ctrl-C (SIGINT) / SIGTERM. */
  signal: AbortSignal;
}

/** Exit codes: 0 healthy / nothing to do, 1 problems found, 2 usage error, 3 internal error. */
export const EXIT = { ok: 0, problems: 1, usage: 2, internal: 3 } as const;

export class UsageError extends Error {
  override name = 'UsageError';
}

/** Each command lives in src/cli/commands/<name>.ts and exports `run`. */
export interface CommandModule {
  run(args: string[], io: CliIO): Promise<number>;
}
