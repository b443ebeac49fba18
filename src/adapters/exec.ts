// Running external programs (kubectl, systemctl, update-ca-certificates, crictl) with a timeout and bounded output.
import { accessSync, constants as fsConstants } from 'node:fs';

export interface ExecOptions {
  timeoutMs?: number;
  input?: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  signal?: AbortSignal;
  /** Cap on captured stdout/stderr each (default 64 MiB). */
  maxBuffer?: number;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The program was not found on PATH. */
  notFound: boolean;
  timedOut: boolean;
  durationMs: number;
}

export interface ExecAdapter {
  run(file: string, args: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
}

/**
 * True when execvp would fail with ENOENT for `file`: a bare name that no absolute PATH entry holds. Spawning only to
 * learn that costs a fork of this whole process (40 ms with the bundle loaded on a busy node: `crictl` off a node).
 * Any other answer (found, EACCES, a relative or empty PATH entry, no PATH at all) leaves the decision to spawn.
 */
function missingFromPath(file: string, pathVar: string | undefined): boolean {
  if (!file || file.includes('/') || !pathVar) return false;
  const dirs = pathVar.split(':');
  if (dirs.some((d) => !d.startsWith('/'))) return false;
  // a handful of access(2) calls: cheaper done here than as a round trip each through the I/O thread pool
  return dirs.every((d) => {
    try {
      accessSync(`${d}/${file}`, fsConstants.F_OK);
      return false;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return code === 'ENOENT' || code === 'ENOTDIR';
    }
  });
}

/** Short commands (version probes, systemctl, update-ca-certificates) through node:child_process, which loads in
 *  no time; kubectl goes through execa in the kube adapter. */
export class RealExec implements ExecAdapter {
  async run(file: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const started = Date.now();
    const env = opts.env ? { ...process.env, ...opts.env } : process.env;
    if (missingFromPath(file, env.PATH))
      return { exitCode: -1, stdout: '', stderr: '', notFound: true, timedOut: false, durationMs: Date.now() - started };
    return import('node:child_process').then(
      ({ spawn }) =>
        new Promise<ExecResult>((resolve) => {
          const max = opts.maxBuffer ?? 64 * 1024 * 1024;
          let stdout = '';
          let stderr = '';
          let timedOut = false;
          let settled = false;
          const child = spawn(file, [...args], {
            cwd: opts.cwd,
            env,
            stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
            signal: opts.signal,
          });
          const done = (r: Omit<ExecResult, 'durationMs' | 'stdout' | 'stderr'>) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve({ ...r, stdout, stderr, durationMs: Date.now() - started });
          };
          const timer = setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, opts.timeoutMs ?? 30_000);
          child.stdout?.on('data', (d: Buffer) => {
            if (stdout.length < max) stdout += d.toString('utf8');
          });
          child.stderr?.on('data', (d: Buffer) => {
            if (stderr.length < max) stderr += d.toString('utf8');
          });
          if (opts.input !== undefined) child.stdin?.end(opts.input);
          child.on('error', (err: NodeJS.ErrnoException) => done({ exitCode: -1, notFound: err.code === 'ENOENT', timedOut }));
          child.on('close', (code) => done({ exitCode: code ?? -1, notFound: false, timedOut }));
        }),
    );
  }
}
