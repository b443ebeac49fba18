// Issue 14 item 1, interactively: one guided session on the Ink screen walks two rounds — the trust plan, then (after
// the verifying diagnosis names the client certificate) the client-certificate plan — each reviewed and confirmed on
// its own screen, both journalled in one session, ending with the verified result.
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
import { parseFixOptions, runFix } from '../../src/cli/commands/fix.js';
import { stripAnsi } from '../../src/ui/format.js';
import { fakeTerminal } from '../helpers/fake-terminal.js';

const roots: string[] = [];
afterEach(async () => {
  for (const r of roots.splice(0)) await rm(r, { recursive: true, force: true });
});

const TARGET = parseTarget('reg.test:5000/app:1');
const DIR = '/etc/containerd/certs.d/reg.test:5000';
const finding = (code: Finding['code']): Finding => ({ code, severity: 'error', summary: code, evidence: [], fixes: [], source: 'test' });
const check: CheckRun = { id: 'runtime-info', title: 'runtime', needs: [], status: 'fail', findings: [], evidence: [], hasFacts: false };
function result(findings: Finding[]): DiagnosisResult {
  const state: RunState = { target: TARGET, startedAt: 0, finishedAt: 1, checks: [check], cancelled: false, facts: {} };
  return { state, findings, report: buildReport(state, findings) };
}
const writes = (id: string, title: string, file: string): FixProposal => ({
  id,
  title,
  risk: 'safe',
  where: 'node',
  restartRequired: false,
  description: id,
  manualSteps: [],
  actions: [{ kind: 'write-file', path: `${DIR}/${file}`, content: `${id}\n` }],
});

describe('guided fix on the Ink screen', () => {
  it('walks two rounds (trust, then client certificate), each confirmed on its own screen, in one journal session', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'regdoctor-ink-session-'));
    roots.push(root);
    const { stdin, screen, io } = fakeTerminal(120, 60);
    const rounds = [[finding('untrusted-ca'), finding('client-cert-required')], [finding('client-cert-required')], []];
    let n = 0;
    const o = parseFixOptions([TARGET.input, '--no-pull', '--root', root, '--state-dir', path.join(root, 'state')], {});
    const running = runFix(o, {
      io,
      diagnose: async () => result(rounds[Math.min(n++, rounds.length - 1)]!),
      planFixes: async ({ finding: f }) =>
        f.code === 'untrusted-ca'
          ? [writes('hosts-toml-ca', 'Trust the supplied CA (round one)', 'ca.pem')]
          : f.code === 'client-cert-required'
            ? [writes('hosts-toml-client', 'Present the client certificate (round two)', 'client.pem')]
            : [],
    });
    let finished = false;
    void running.finally(() => (finished = true));
    // the operator reviews the one step and answers the final yes on every screen that appears
    while (!finished) {
      await new Promise((r) => setTimeout(r, 30));
      stdin.press('y');
    }
    const code = await running;
    const text = stripAnsi(screen.text);
    expect(text).toContain('Trust the supplied CA (round one)');
    expect(text).toContain('Present the client certificate (round two)');
    expect(text.indexOf('round one')).toBeLessThan(text.indexOf('round two'));
    expect(text).toContain('next: client-cert-required');
    expect(text).toContain('verified:');
    expect(code).toBe(EXIT.ok);
    expect(await readFile(path.join(root, DIR, 'ca.pem'), 'utf8')).toBe('hosts-toml-ca\n');
    expect(await readFile(path.join(root, DIR, 'client.pem'), 'utf8')).toBe('hosts-toml-client\n');
    const dir = path.join(root, root, 'state/journal');
    const sessions = readdirSync(dir).map((f) => (JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { session?: string }).session);
    expect(sessions).toHaveLength(2);
    expect(new Set(sessions).size).toBe(1);
  }, 20_000);
});
