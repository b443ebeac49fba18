// JUnit for CI: a check that passed with a warning (a real diagnosis of a registry whose certificate expires in 5
// days) is marked the way CI tools show it — <skipped message="warning: …"> plus a <system-out> note — and the suite
// counts add up (failures = fail, errors = crash, skipped = skipped + cancelled + warn). Without the marking a CI
// dashboard shows the warning as a plain pass. `diagnose --strict` fails on warnings: its JUnit file marks them as
// failures too (the flag reaches writeJUnit through runDiagnose).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createCA, issueCert } from '../../src/x509/build.js';
import { startMiniRegistry, type MiniRegistry } from '../../src/demo/registry.js';
import { diagnose, DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { parseTarget } from '../../src/core/reference.js';
import { createRealAdapters } from '../../src/app/adapters.js';
import { renderJUnit } from '../../src/report/export.js';
import type { Report } from '../../src/core/report.js';
import { parseDiagnoseOptions, runDiagnose } from '../../src/cli/commands/diagnose.js';
import { EXIT } from '../../src/app/io.js';
import { memoryIO } from '../helpers/io.js';
import type { DiagnosisResult } from '../../src/app/diagnose.js';
import { trustRegistryCa } from '../helpers/node-root.js';

let root: string;
let reg: MiniRegistry;
let report: Report;
let result: DiagnosisResult;
let host: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'regdoctor-junit-'));
  const ca = createCA({ cn: 'JUnit CA' });
  const leaf = issueCert(ca, {
    cn: 'soon.junit.test',
    dns: ['soon.junit.test'],
    notBefore: new Date(Date.now() - 85 * 86400_000),
    notAfter: new Date(Date.now() + 5 * 86400_000),
  });
  reg = await startMiniRegistry({ tls: { cert: leaf.certPem, key: leaf.keyPem }, repos: { 'team/app': ['1'] } });
  host = `soon.junit.test:${reg.port}`;
  await trustRegistryCa(root, host, ca.certPem);
  const r = await diagnose({
    target: parseTarget(`${host}/team/app:1`),
    options: { ...DEFAULT_RUN_OPTIONS, root, pull: false, probeTimeoutMs: 3000 },
    adapters: createRealAdapters({ root, hosts: { 'soon.junit.test': '127.0.0.1' }, env: {} }),
  });
  result = r;
  report = r.report;
}, 30_000);

afterAll(async () => {
  await reg?.close();
  await rm(root, { recursive: true, force: true });
});

/** The <testcase> element of one check. */
const testcase = (xml: string, id: string) => new RegExp(`<testcase [^>]*name="${id}"[^>]*>([\\s\\S]*?)</testcase>`).exec(xml)?.[1];
const attr = (xml: string, el: string, name: string) => Number(new RegExp(`<${el} [^>]*\\b${name}="(\\d+)"`).exec(xml)?.[1]);

describe('JUnit export', () => {
  it('a check that passed with a warning is a skipped test case with the warning as its message and a system-out note', () => {
    expect(report.verdict.code).toBe('healthy');
    const warned = report.checks.filter((c) => c.status === 'warn');
    expect(warned.length).toBeGreaterThan(0);
    expect(report.findings.some((f) => f.code === 'certificate-expiring')).toBe(true);
    const xml = renderJUnit(report);
    for (const c of warned) {
      const body = testcase(xml, c.id)!;
      expect(body, c.id).toMatch(/^<skipped message="warning: [a-z-]+: [^"]+"\/><system-out>passed with a warning \(not a failure\)\n/);
      expect(body).not.toMatch(/<failure|<error/);
    }
    const expiring = warned.find((c) => report.findings.some((f) => f.source === c.id && f.code === 'certificate-expiring'))!;
    expect(testcase(xml, expiring.id)).toMatch(/<skipped message="warning: certificate-expiring: /);
    expect(testcase(xml, expiring.id)).toMatch(/<system-out>[^<]*warning certificate-expiring: /);
    // a passing check stays an empty test case
    const passed = report.checks.find((c) => c.status === 'pass')!;
    expect(testcase(xml, passed.id)).toBe('');
  });

  it('suite counts: failures are fail, errors are crash, skipped are skipped + cancelled + warn', () => {
    const crashed: Report = {
      ...report,
      checks: [
        ...report.checks,
        { id: 'boom', title: 'boom', status: 'crash', durationMs: 1, error: 'TypeError: x is undefined', evidence: [] },
        { id: 'red', title: 'red', status: 'fail', durationMs: 1, summary: 'failed', evidence: [] },
      ],
    };
    for (const r of [report, crashed]) {
      const xml = renderJUnit(r);
      const n = (...st: string[]) => r.checks.filter((c) => st.includes(c.status)).length;
      for (const el of ['testsuites', 'testsuite']) {
        expect(attr(xml, el, 'tests')).toBe(r.checks.length);
        expect(attr(xml, el, 'failures')).toBe(n('fail'));
        expect(attr(xml, el, 'errors')).toBe(n('crash'));
        expect(attr(xml, el, 'skipped')).toBe(n('skipped', 'cancelled', 'warn'));
      }
      expect((xml.match(/<skipped /g) ?? []).length).toBe(n('skipped', 'cancelled', 'warn'));
      expect((xml.match(/<error /g) ?? []).length).toBe(n('crash'));
      expect(xml).toContain(`<property name="regdoctor.warnings" value="${n('warn')}"/>`);
    }
    expect(attr(renderJUnit(crashed), 'testsuite', 'errors')).toBe(1);
  });

  it('strict: a check that passed with a warning is a failure, counted in failures and not in skipped', () => {
    const xml = renderJUnit(report, { strict: true });
    const warned = report.checks.filter((c) => c.status === 'warn');
    for (const c of warned) {
      const body = testcase(xml, c.id)!;
      expect(body, c.id).toMatch(/^<failure message="warning \(--strict\): [a-z-]+: [^"]+" type="[a-z-]+">/);
      expect(body).not.toMatch(/<skipped/);
    }
    const expiring = warned.find((c) => report.findings.some((f) => f.source === c.id && f.code === 'certificate-expiring'))!;
    expect(testcase(xml, expiring.id)).toMatch(
      /<failure message="warning \(--strict\): certificate-expiring: [^"]+" type="certificate-expiring">/,
    );
    const n = (...st: string[]) => report.checks.filter((c) => st.includes(c.status)).length;
    for (const el of ['testsuites', 'testsuite']) {
      expect(attr(xml, el, 'failures')).toBe(n('fail', 'warn'));
      expect(attr(xml, el, 'skipped')).toBe(n('skipped', 'cancelled'));
    }
    expect(attr(xml, 'testsuite', 'failures')).toBeGreaterThan(0);
    expect(testcase(xml, report.checks.find((c) => c.status === 'pass')!.id)).toBe('');
  });

  it('diagnose --strict --junit writes the warnings as failures; without --strict they stay skipped', async () => {
    for (const strict of [true, false]) {
      const file = path.join(root, `junit-${strict}.xml`);
      const args = [`${host}/team/app:1`, '--root', root, '--json', '--junit', file, ...(strict ? ['--strict'] : [])];
      const code = await runDiagnose(parseDiagnoseOptions(args, {}), {
        io: memoryIO(),
        adapters: () => createRealAdapters({ root, env: {} }),
        diagnose: async () => result,
      });
      expect(code).toBe(strict ? EXIT.problems : EXIT.ok);
      const xml = await readFile(file, 'utf8');
      const warned = report.checks.filter((c) => c.status === 'warn').length;
      expect(attr(xml, 'testsuite', 'failures')).toBe(strict ? warned : 0);
      expect(xml.includes('<failure message="warning (--strict): certificate-expiring: ')).toBe(strict);
    }
  });

  it.skipIf(spawnSync('sh', ['-c', 'command -v xmllint']).status !== 0)('is well-formed XML (xmllint)', () => {
    for (const strict of [false, true]) {
      const r = spawnSync('xmllint', ['--noout', '-'], { input: renderJUnit(report, { strict }) });
      expect(r.status, String(r.stderr)).toBe(0);
    }
  });
});
