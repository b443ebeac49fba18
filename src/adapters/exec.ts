// Running external programs (kubectl, systemctl, update-ca-certificates, crictl) with a timeout and bounded output.
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

/** Short commands (version probes, systemctl, update-ca-certificates) through node:child_process, which loads in
 *  no time; kubectl goes through execa in the kube adapter. */
export class RealExec implements ExecAdapter {
  run(file: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const started = Date.now();
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
            env: opts.env ? { ...process.env, ...opts.env } : process.env,
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
