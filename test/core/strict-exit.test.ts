// --strict: a healthy verdict with warnings exits 1; without it warnings leave exit 0. --expiry-warning-days reaches
// the run options (validated).
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/core/report.js';
import { parseDiagnoseOptions } from '../../src/cli/commands/diagnose.js';
import { toRunOptions } from '../../src/cli/options.js';
import type { Report } from '../../src/core/report.js';

const verdict = (code: 'healthy' | 'self-signed'): Report['verdict'] => ({
  code,
  title: '',
  severity: code === 'healthy' ? 'info' : 'error',
  summary: '',
  docs: '',
});
const finding = (severity: 'warning' | 'info') => ({ severity }) as Report['findings'][number];

describe('exit code under --strict', () => {
  it('healthy with a warning: 0, and 1 with strict; healthy with only info: 0 either way; a problem: 1 either way', () => {
    const warned = { verdict: verdict('healthy'), findings: [finding('info'), finding('warning')] };
    expect(exitCodeFor(warned)).toBe(0);
    expect(exitCodeFor(warned, { strict: true })).toBe(1);
    const clean = { verdict: verdict('healthy'), findings: [finding('info')] };
    expect(exitCodeFor(clean, { strict: true })).toBe(0);
    expect(exitCodeFor({ verdict: verdict('self-signed'), findings: [] })).toBe(1);
    expect(exitCodeFor({ verdict: verdict('self-signed'), findings: [] }, { strict: true })).toBe(1);
  });

  it('diagnose parses --strict', () => {
    const o = parseDiagnoseOptions(['reg.test:5000/app:1', '--strict'], {});
    expect(o.kind === 'target' && o.strict).toBe(true);
    const p = parseDiagnoseOptions(['reg.test:5000/app:1'], {});
    expect(p.kind === 'target' && p.strict).toBe(false);
  });

  it('--expiry-warning-days: a whole number of days from 0 to 3650, else a usage error', () => {
    expect(toRunOptions({}, {}).expiryWarningDays).toBeUndefined();
    expect(toRunOptions({ 'expiry-warning-days': '7' }, {}).expiryWarningDays).toBe(7);
    expect(toRunOptions({ 'expiry-warning-days': '0' }, {}).expiryWarningDays).toBe(0);
    for (const bad of ['-1', '7.5', 'x', '3651'])
      expect(() => toRunOptions({ 'expiry-warning-days': bad }, {})).toThrow(/--expiry-warning-days/);
    const o = parseDiagnoseOptions(['reg.test:5000/app:1', '--expiry-warning-days', '45'], {});
    expect(o.options.expiryWarningDays).toBe(45);
  });
});
