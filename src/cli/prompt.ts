// The questions the fix commands ask on a terminal (fix, its apply rounds, fix --harden): yes/no, default no.
import type { CliIO } from '../app/io.js';
import { t } from '../i18n/index.js';

/** Asks on the terminal; only "y" or "yes" (any case) is a yes. */
export async function askYesNo(io: CliIO, question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  // an Ink screen that just closed leaves stdin paused and unref'd: without this the process exits without an answer
  (io.stdin as { ref?: () => void }).ref?.();
  io.stdin.resume();
  const rl = createInterface({ input: io.stdin, output: io.stdout as NodeJS.WritableStream });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** Trust on first use on a terminal: the presented certificate's lines (fingerprint, subject…) under `intro`, then the
 *  question; true only for an explicit yes. */
export async function confirmPresented(
  io: CliIO,
  out: (s?: string) => void,
  intro: string,
  lines: string[],
  ask: (io: CliIO, question: string) => Promise<boolean> = askYesNo,
): Promise<boolean> {
  out(`\n${intro}`);
  for (const l of lines) out(`  ${l}`);
  return ask(io, t('cli.fix.trustQuestion'));
}
