import { describe, expect, it } from 'vitest';
import { buildReport, exitCodeFor, rankFindings } from '../../src/core/report.js';
import { normalizeFinding } from '../../src/core/engine.js';
import { parseTarget } from '../../src/core/reference.js';
import { redact, redactText, REDACTED } from '../../src/text/redact.js';
import type { CheckRun, FindingInput, RunState } from '../../src/core/types.js';

function state(findings: Record<string, FindingInput[]>, extra: Partial<CheckRun>[] = []): RunState {
  const checks: CheckRun[] = Object.entries(findings).map(([id, fs]) => ({
    id,
    title: id,
    needs: [],
    status: fs.length ? 'fail' : 'pass',
    findings: fs.map((f) => normalizeFinding(f, id)),
    evidence: [],
    hasFacts: true,
    durationMs: 5,
  }));
  for (const e of extra) checks.push({ id: 'x', title: 'x', needs: [], status: 'pass', findings: [], evidence: [], hasFacts: false, ...e });
  return { target: parseTarget('reg.test:5000/app:1'), startedAt: 1000, finishedAt: 1040, checks, cancelled: false, facts: {} };
}

describe('report and verdict', () => {
  it('is healthy with exit 0 when nothing is wrong', () => {
    const r = buildReport(state({ 'tcp-connect': [] }));
    expect(r.schema).toBe('regdoctor/report@1');
    expect(r.verdict.code).toBe('healthy');
    expect(exitCodeFor(r)).toBe(0);
    expect(r.durationMs).toBe(40);
    expect(r.target).toMatchObject({ kind: 'image', registry: 'reg.test:5000', image: 'reg.test:5000/app:1' });
  });

  it('picks the most severe finding, then the more fundamental cause', () => {
    const r = buildReport(
      state({
        a: [{ code: 'config-ignored', summary: 'ignored' }],
        b: [{ code: 'incompatible-key-usage', summary: 'eku' }],
        c: [{ code: 'expired', summary: 'expired', predictedRuntimeError: 'x509: certificate has expired or is not yet valid' }],
        d: [{ code: 'proxy', summary: 'proxy in path' }],
      }),
    );
    expect(r.findings.map((f) => f.code)).toEqual(['expired', 'incompatible-key-usage', 'config-ignored', 'proxy']);
    expect(r.verdict.code).toBe('expired');
    expect(r.verdict).toMatchObject({
      code: 'expired',
      severity: 'error',
      predictedRuntimeError: 'x509: certificate has expired or is not yet valid',
    });
    expect(exitCodeFor(r)).toBe(1);
  });

  it('a critical config conflict outranks any certificate problem', () => {
    const r = buildReport(
      state({ a: [{ code: 'self-signed', summary: 's' }], b: [{ code: 'config-conflict', summary: 'mirrors + config_path' }] }),
    );
    expect(r.verdict.code).toBe('config-conflict');
  });

  it('warnings alone leave the verdict healthy, and are named', () => {
    const r = buildReport(state({ a: [{ code: 'config-ignored', summary: 'latent' }] }));
    expect(r.verdict.code).toBe('healthy');
    expect(r.verdict.summary).toContain('1 warning to look at: config-ignored');
    expect(exitCodeFor(r)).toBe(0);
  });

  it('info-only findings still give a healthy verdict', () => {
    const r = buildReport(state({ a: [{ code: 'proxy', summary: 'proxy' }] }));
    expect(r.verdict.code).toBe('healthy');
  });

  it('merges duplicate findings from different checks, keeping all evidence', () => {
    const s = state({
      a: [{ code: 'untrusted-ca', summary: 'same', predictedRuntimeError: 'E', evidence: ['one'] }],
      b: [{ code: 'untrusted-ca', summary: 'same', predictedRuntimeError: 'E', evidence: ['two', 'one'] }],
    });
    const ranked = rankFindings(s.checks.flatMap((c) => c.findings));
    expect(ranked).toHaveLength(1);
    expect(ranked[0]!.evidence).toEqual(['one', 'two']);
  });

  it('is `unknown` (not healthy) when a check crashed and nothing was found', () => {
    const r = buildReport(state({ a: [] }, [{ id: 'tls-handshake', status: 'crash', error: 'timed out after 5000 ms' }]));
    expect(r.verdict.code).toBe('unknown');
    expect(r.verdict.summary).toContain('tls-handshake (timed out after 5000 ms)');
    expect(exitCodeFor(r)).toBe(1);
  });

  it('redacts secrets that reached findings', () => {
    const r = buildReport(
      state({
        a: [
          {
            code: 'unauthorized',
            summary: 'registry rejected user ci with Authorization: Basic Y2k6aHVudGVyMg==',
            evidence: ['{"auths":{"reg.test:5000":{"auth":"Y2k6aHVudGVyMg=="}}}', 'https://ci:hunter2@reg.test:5000/v2/'],
            data: { password: 'hunter2', username: 'ci' },
          },
        ],
      }),
    );
    const text = JSON.stringify(r);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('Y2k6aHVudGVyMg');
    expect(text).toContain(REDACTED);
    expect(r.findings[0]!.data).toEqual({ password: REDACTED, username: 'ci' });
  });
});

describe('redaction', () => {
  it.each([
    ['Authorization: Bearer eyJhbGciOi.abc.def', 'hunter', 'eyJhbGciOi'],
    ['password = "s3cr3t"', 's3cr3t', 's3cr3t'],
    ["password: 's3cr3t'", 's3cr3t', 's3cr3t'],
    ['"identitytoken": "tok-123"', 'tok-123', 'tok-123'],
    ['token=abcdef123', 'abcdef123', 'abcdef123'],
    ['-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----', 'MHcCAQEE', 'MHcCAQEE'],
    ['-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----', 'MIIEvQ', 'MIIEvQ'],
    ['skopeo copy --creds ci:pa55 docker://x', 'pa55', 'pa55'],
  ])('%j', (input, _label, secret) => {
    const out = redactText(input);
    expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
  });

  it('keeps non-secret text intact', () => {
    const t = 'x509: certificate signed by unknown authority (token realm https://auth.test/token)';
    expect(redactText(t)).toBe(t);
  });

  it('redacts secret keys in nested structures and handles cycles', () => {
    const o: Record<string, unknown> = { a: { Password: 'p', auths: { h: { auth: 'x', username: 'u' } } } };
    o.self = o;
    const r = redact(o) as any;
    expect(r.a.Password).toBe(REDACTED);
    expect(r.a.auths.h.auth).toBe(REDACTED);
    expect(r.a.auths.h.username).toBe('u');
    expect(r.self).toBe(r);
  });
});
