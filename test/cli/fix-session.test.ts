// Issue 14 items 1 and 4, the policy of `runFix` without a node: every blocking finding is planned in causal order
// (trust before the client certificate, whatever the verdict says), each round re-diagnoses and plans the next, the
// session ends by naming exactly what is missing, and --allow-skip-verify picks skip-verify only when nothing else applies.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EXIT } from '../../src/app/io.js';
import type { DiagnosisResult } from '../../src/app/diagnose.js';
import { buildReport } from '../../src/core/report.js';
import { parseTarget } from '../../src/core/reference.js';
import type { CheckRun, Finding, FixProposal, RunState } from '../../src/core/types.js';
import { parseFixOptions, runFix, type FixDeps, type FixOptions } from '../../src/cli/commands/fix.js';
import { memoryIO } from '../helpers/io.js';

const roots: string[] = [];
afterEach(async () => {
  for (const r of roots.splice(0)) await rm(r, { recursive: true, force: true });
});

const TARGET = parseTarget('reg.test:5000/app:1');
const DIR = '/etc/containerd/certs.d/reg.test:5000';

const fakeIO = () => memoryIO();

const finding = (code: Finding['code']): Finding => ({ code, severity: 'error', summary: code, evidence: [], fixes: [], source: 'test' });
const check: CheckRun = { id: 'runtime-info', title: 'runtime', needs: [], status: 'fail', findings: [], evidence: [], hasFacts: false };

function result(findings: Finding[]): DiagnosisResult {
  const state: RunState = { target: TARGET, startedAt: 0, finishedAt: 1, checks: [check], cancelled: false, facts: {} };
  return { state, findings, report: buildReport(state, findings) };
}

const writes = (id: string, file: string): FixProposal => ({
  id,
  title: id,
  risk: 'safe',
  where: 'node',
  restartRequired: false,
  description: id,
  manualSteps: [],
  actions: [{ kind: 'write-file', path: `${DIR}/${file}`, content: `${id}\n` }],
});
const manualClient: FixProposal = { ...writes('hosts-toml-client', 'x'), actions: [], manualSteps: ['regdoctor fix … --client-cert'] };
// its risk is computed from what it writes (src/fix/risk.ts), as for a planned proposal
const skip: FixProposal = {
  ...writes('hosts-toml-skip-verify', 'hosts.toml'),
  risk: 'disables-verification',
  actions: [{ kind: 'write-file', path: `${DIR}/hosts.toml`, content: '[host."https://reg.test:5000"]\n  skip_verify = true\n' }],
};

/** A node whose diagnoses follow `rounds` (one per diagnose call) and whose planner answers per finding code. */
async function session(rounds: Finding[][], plans: Partial<Record<Finding['code'], FixProposal[]>>, over: Partial<FixOptions> = {}) {
  const root = await mkdtemp(path.join(tmpdir(), 'regdoctor-session-cli-'));
  roots.push(root);
  const io = fakeIO();
  const planned: string[] = [];
  let n = 0;
  const deps: FixDeps = {
    io,
    diagnose: async () => result(rounds[Math.min(n++, rounds.length - 1)]!),
    planFixes: async ({ finding: f }) => (planned.push(f.code), plans[f.code] ?? []),
  };
  const o = {
    ...parseFixOptions([TARGET.input, '--no-pull', '--root', root, '--state-dir', path.join(root, 'state')], {}),
    yes: true,
    ...over,
  };
  const code = await runFix(o, deps);
  return { code, io, planned, root };
}

describe('runFix: one guided session', () => {
  it('plans trust before the client certificate even when the verdict is the client certificate, then the next round', async () => {
    const both = [finding('client-cert-required'), finding('untrusted-ca')];
    const r = await session([both, [finding('client-cert-required')], []], {
      'untrusted-ca': [writes('hosts-toml-ca', 'ca.pem')],
      'client-cert-required': [writes('hosts-toml-client', 'client.pem')],
    });
    const journals = readdirSync(path.join(r.root, r.root, 'state/journal'));
    expect(journals).toHaveLength(2);
    const j = journals.map(
      (f) => <{ session?: string; proposal: string }>JSON.parse(readFileSync(path.join(r.root, r.root, 'state/journal', f), 'utf8')),
    );
    expect(new Set(j.map((x) => x.session)).size).toBe(1);
    expect(j.map((x) => x.proposal).sort()).toEqual(['hosts-toml-ca', 'hosts-toml-client']);
    expect(r.io.out().indexOf('Plan: hosts-toml-ca')).toBeLessThan(r.io.out().indexOf('Plan: hosts-toml-client'));
    expect(r.io.out()).toContain('next: client-cert-required');
    expect(await readFile(path.join(r.root, DIR, 'client.pem'), 'utf8')).toBe('hosts-toml-client\n');
    // the third diagnosis is healthy (no CRI socket under --root): the session ends fixed
    expect(r.io.out()).toContain('verified:');
    expect(r.code).toBe(EXIT.ok);
  });

  it('ends by naming exactly what is missing when the next cause needs an input that was not given', async () => {
    const r = await session([[finding('untrusted-ca')], [finding('client-cert-required')]], {
      'untrusted-ca': [writes('hosts-toml-ca', 'ca.pem')],
      'client-cert-required': [manualClient],
    });
    expect(r.code).toBe(EXIT.problems);
    expect(r.io.out()).toContain('needs the client certificate: re-run with --client-cert FILE --client-key FILE');
    expect(r.io.out()).toContain('To undo: regdoctor rollback');
  });

  it('--allow-skip-verify selects skip-verify only when it is the only applicable fix; without it, "No fix" names the flag', async () => {
    const only = { 'hostname-mismatch': [{ ...manualClient, id: 'reissue-server-certificate' }, skip] };
    const without = await session([[finding('hostname-mismatch')]], only);
    expect(without.code).toBe(EXIT.problems);
    expect(without.io.out()).toContain('No fix regdoctor can apply');
    expect(without.io.out()).toContain('re-run with --allow-skip-verify');
    const withFlag = await session([[finding('hostname-mismatch')], []], only, { allowSkipVerify: true });
    expect(withFlag.io.out()).toContain('Plan: hosts-toml-skip-verify');
    expect(withFlag.io.out()).toContain('DISABLES TLS VERIFICATION');
    expect(withFlag.io.out()).toContain('does NOT expire on its own');
    expect(withFlag.code).toBe(EXIT.ok);
    // a safer applicable fix always wins over skip-verify
    const http = await session(
      [[finding('plain-http-registry')], []],
      { 'plain-http-registry': [writes('hosts-toml-http', 'hosts.toml'), skip] },
      { allowSkipVerify: true },
    );
    expect(http.io.out()).toContain('Plan: hosts-toml-http');
    expect(http.io.out()).not.toContain('DISABLES TLS VERIFICATION');
  });
});
