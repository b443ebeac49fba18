// Runs the CLI entry in this process with captured output (no dependency on dist/, which concurrent builds replace).
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';

export async function runInProcess(
  argv: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: new PassThrough(),
    env: { ...process.env, KUBECONFIG: undefined, NO_COLOR: '1', ...env },
    interactive: false,
    color: false,
    columns: 400,
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}
