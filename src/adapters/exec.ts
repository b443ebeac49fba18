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

export class RealExec implements ExecAdapter {
  async run(file: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const { execa } = await import('execa');
    const started = Date.now();
    const r = await execa(file, [...args], {
      reject: false,
      timeout: opts.timeoutMs ?? 30_000,
      input: opts.input,
      env: opts.env,
      extendEnv: true,
      cwd: opts.cwd,
      cancelSignal: opts.signal,
      maxBuffer: opts.maxBuffer ?? 64 * 1024 * 1024,
      stripFinalNewline: false,
      stdin: opts.input === undefined ? 'ignore' : 'pipe',
    });
    const code = (r as { code?: string }).code;
    return {
      exitCode: typeof r.exitCode === 'number' ? r.exitCode : -1,
      stdout: String(r.stdout ?? ''),
      stderr: String(r.stderr ?? ''),
      notFound: code === 'ENOENT',
      timedOut: Boolean(r.timedOut),
      durationMs: Date.now() - started,
    };
  }
}
