// The live view's human strings in one place (key hints, help, status lines, the tally), for translation.
import type { CheckStatus } from '../core/types.js';

export const KEY = {
  fix: '[f] fix',
  rerun: '[r] re-run',
  export: '[e] export',
  exportQueued: '[e] export (queued)',
  verbose: (on: boolean) => `[v] verbose: ${on ? 'on' : 'off'}`,
  help: '[?] help',
  quit: '[q] quit',
  cancel: '[q] cancel',
} as const;

export const HELP_TITLE = 'keys:';
export const HELP: readonly [string, string][] = [
  ['r', 're-run the diagnosis in place (the run counter goes up)'],
  ['v', 'show or hide each check’s evidence (what -v shows)'],
  ['e', 'export an HTML report; during a run it is written when the run finishes'],
  ['f', 'start the guided fix, when a fix applies'],
  ['?', 'show or hide this help'],
  ['q', 'quit; during the checks: cancel the run (exit 130)'],
];

export const MSG = {
  run: (n: number) => `run ${n}`,
  waiting: (n: number) => `${n} waiting`,
  cancelled: (n: number) => `cancelled after ${n} check${n === 1 ? '' : 's'}`,
  exportQueued: 'export queued: the report is written when the run finishes',
  exportUnavailable: 'export is not available for this run',
  exportFailed: (why: string) => `export failed: ${why}`,
  fixAfterRun: 'the guided fix is offered when the run finishes',
  noFix: 'no fix regdoctor can apply for this verdict',
  diagnosisFailed: (why: string) => `diagnosis failed: ${why}`,
  reportWritten: (file: string) => `report written to ${file}`,
  chainTitle: 'certificate chain as sent:',
  runtimeWillReport: 'containerd will report:',
  nextError: 'once that is fixed, the next error will be:',
  fixesTitle: 'fixes, safest first:',
  risky: (host: string | undefined) => `⚠ turns off a protection for ${host ?? 'this registry'}: prefer the fixes above`,
  verdict: (code: string) => `verdict: ${code}`,
  checksIn: (n: number, took: string) => `${n} checks in ${took}`,
} as const;

/** Plural words of the tally, per status, in the order they are listed. */
const TALLY: [CheckStatus, string, string][] = [
  ['pass', 'passed', 'passed'],
  ['warn', 'warning', 'warnings'],
  ['fail', 'failed', 'failed'],
  ['crash', 'crashed', 'crashed'],
  ['skipped', 'skipped', 'skipped'],
  ['cancelled', 'cancelled', 'cancelled'],
];

/** flutter-doctor-style tally of check outcomes: "9 passed, 1 warning, 2 failed" (zero counts left out). */
export function tally(statuses: readonly string[]): string {
  const parts: string[] = [];
  for (const [status, one, many] of TALLY) {
    const n = statuses.filter((s) => s === status).length;
    if (n > 0) parts.push(`${n} ${n === 1 ? one : many}`);
  }
  return parts.join(', ');
}
