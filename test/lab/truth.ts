// The runtime-truth lab cases (test/e2e/runtime-truth*.e2e.test.ts): a real CRI pull in the lab, then regdoctor's
// JSON report for the same image, whose verdict and predicted error must be what containerd really did.
import { expect } from 'vitest';
import type { Lab } from './lab.js';

export interface TruthFinding {
  code: string;
  severity: string;
  summary: string;
  evidence: string[];
  predictedRuntimeError?: string;
  data?: Record<string, unknown>;
}
export interface TruthReport {
  verdict: { code: string; predictedRuntimeError?: string; summary: string };
  findings: TruthFinding[];
}

/** regdoctor's report for `image`, run in the lab without a pull of its own; nothing on stderr. */
export async function diagnoseInLab(lab: Lab, image: string): Promise<TruthReport> {
  const r = await lab.runCli(['diagnose', image, '--json', '--no-pull']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as TruthReport;
}

/**
 * The real pull of `image` fails; regdoctor predicts containerd's error to the letter and, when `code` is given,
 * names it as the verdict. Returns containerd's message and the report.
 */
export async function expectPredictedFailure(lab: Lab, image: string, code?: string): Promise<{ message: string; report: TruthReport }> {
  const pull = await lab.pull(image);
  expect(pull.ok).toBe(false);
  const message = pull.ok ? '' : pull.message;
  const report = await diagnoseInLab(lab, image);
  if (code !== undefined) expect(report.verdict.code).toBe(code);
  expect(report.verdict.predictedRuntimeError).toBe(message);
  return { message, report };
}

/** Runs one case between two calls of `clean` (before it, and after it whatever happens). */
export async function cleanCase(clean: () => Promise<void>, body: () => Promise<void>): Promise<void> {
  await clean();
  try {
    await body();
  } finally {
    await clean();
  }
}
