// The live view's human strings in one place (key hints, help, status lines, the tally), read from the message
// catalogue (src/i18n) in the active language each time they are shown.
import type { CheckStatus } from '../core/types.js';
import { t, tn } from '../i18n/index.js';

export const KEY = {
  get fix() {
    return t('ui.key.fix');
  },
  get rerun() {
    return t('ui.key.rerun');
  },
  get export() {
    return t('ui.key.export');
  },
  get exportQueued() {
    return t('ui.key.exportQueued');
  },
  verbose: (on: boolean) => t(on ? 'ui.key.verboseOn' : 'ui.key.verboseOff'),
  get help() {
    return t('ui.key.help');
  },
  get quit() {
    return t('ui.key.quit');
  },
  get cancel() {
    return t('ui.key.cancel');
  },
};

export const HELP_KEYS = ['r', 'v', 'e', 'f', '?', 'q'] as const;

/** The key help in the active language: [key, what it does]. */
export function helpRows(): [string, string][] {
  return HELP_KEYS.map((k) => [k, t(`ui.help.${k}`)]);
}

/** Iterating HELP reads the active language (the view iterates it once per frame). */
export const HELP: Iterable<readonly [string, string]> = {
  [Symbol.iterator]: () => helpRows()[Symbol.iterator](),
};

export function helpTitle(): string {
  return t('ui.help.title');
}

export const MSG = {
  run: (n: number) => t('ui.run', { n }),
  waiting: (n: number) => t('ui.waiting', { n }),
  cancelled: (n: number) => tn('ui.cancelled', n),
  get exportQueued() {
    return t('ui.exportQueued');
  },
  get exportUnavailable() {
    return t('ui.exportUnavailable');
  },
  exportFailed: (why: string) => t('ui.exportFailed', { why }),
  get fixAfterRun() {
    return t('ui.fixAfterRun');
  },
  get noFix() {
    return t('ui.noFix');
  },
  diagnosisFailed: (why: string) => t('ui.diagnosisFailed', { why }),
  reportWritten: (file: string) => t('ui.reportWritten', { file }),
  get chainTitle() {
    return t('ui.chainTitle');
  },
  get runtimeWillReport() {
    return t('ui.runtimeWillReport');
  },
  get nextError() {
    return t('ui.nextError');
  },
  get fixesTitle() {
    return t('ui.fixesTitle');
  },
  risky: (host: string | undefined) => t('ui.risky', { host: host ?? t('ui.thisRegistry') }),
  verdict: (code: string) => t('ui.verdict', { code }),
  checksIn: (n: number, took: string) => t('ui.checksIn', { n, took }),
};

/** The tally's statuses, in the order they are listed. */
const TALLY = ['pass', 'warn', 'fail', 'crash', 'skipped', 'cancelled'] as const satisfies readonly CheckStatus[];

/** flutter-doctor-style tally of check outcomes: "9 passed, 1 warning, 2 failed" (zero counts left out). */
export function tally(statuses: readonly string[]): string {
  const parts: string[] = [];
  for (const status of TALLY) {
    const n = statuses.filter((s) => s === status).length;
    if (n > 0) parts.push(tn(`tally.${status}`, n));
  }
  return parts.join(t('tally.sep'));
}
