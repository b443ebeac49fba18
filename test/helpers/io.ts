// A CliIO in memory for running a command's policy without a terminal: what it writes is kept (out(), err()), stdin
// holds `input` (ended) or stays open, non-interactive and without colour unless `over` says otherwise.
import { PassThrough } from 'node:stream';
import type { CliIO } from '../../src/app/io.js';

export type MemoryIO = CliIO & { out: () => string; err: () => string };

export function memoryIO(over: Partial<CliIO> & { input?: string } = {}): MemoryIO {
  let stdout = '';
  let stderr = '';
  const { input, ...rest } = over;
  const stdin = new PassThrough();
  if (input !== undefined) stdin.end(input);
  return {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin,
    env: {},
    interactive: false,
    color: false,
    columns: 200,
    signal: new AbortController().signal,
    out: () => stdout,
    err: () => stderr,
    ...rest,
  };
}
