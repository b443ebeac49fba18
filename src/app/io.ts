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

/** Exit codes: 0 healthy / nothing to do, 1 problems found, 2 usage error, 3 internal error, 4 the cluster could
 *  not be used (kubectl missing, API server unreachable, kubeconfig invalid, kubectl's credentials rejected). */
export const EXIT = { ok: 0, problems: 1, usage: 2, internal: 3, cluster: 4 } as const;

/** Kubernetes access errors (KubeError kinds) that mean nothing could be checked: exit 4, not 1. */
const CLUSTER_UNUSABLE = new Set(['missing-kubectl', 'unreachable', 'invalid', 'unauthorized']);

/** Exit code for a kube access failure that stopped a command: 4 when the cluster could not be used at all,
 *  1 when it answered and refused or lacked something (RBAC forbidden, not found). */
export function exitForKubeError(kind: string): number {
  return CLUSTER_UNUSABLE.has(kind) ? EXIT.cluster : EXIT.problems;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** Each command lives in src/cli/commands/<name>.ts and exports `run`. */
export interface CommandModule {
  run(args: string[], io: CliIO): Promise<number>;
}
