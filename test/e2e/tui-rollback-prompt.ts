// Run on a real terminal by tui.e2e.test.ts (node --import tsx): a guided fix whose verification keeps failing, with
// the real Ink confirmation screen, the real engine (files under a scratch --root) and the real `Roll back the
// change? [y/N]` question. Only the diagnosis and the planner are stand-ins (the fix must not verify). Prints
// "[fix exited N]" and whether the written file is still there.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { defaultIO } from '../../src/cli/main.js';
import { parseFixOptions, runFix } from '../../src/cli/commands/fix.js';
import { buildReport } from '../../src/core/report.js';
import { parseTarget } from '../../src/core/reference.js';
import type { DiagnosisResult } from '../../src/app/diagnose.js';
import type { CheckRun, Finding, RunState } from '../../src/core/types.js';

const root = mkdtempSync(path.join(tmpdir(), 'regdoctor-rollback-prompt-'));
const target = parseTarget('reg.test:5000/app:1');
const dir = '/etc/containerd/certs.d/reg.test:5000';
const finding: Finding = { code: 'untrusted-ca', severity: 'error', summary: 'untrusted-ca', evidence: [], fixes: [], source: 'test' };
const check: CheckRun = { id: 'runtime-info', title: 'runtime', needs: [], status: 'fail', findings: [], evidence: [], hasFacts: false };
const failing = (): DiagnosisResult => {
  const state: RunState = { target, startedAt: 0, finishedAt: 1, checks: [check], cancelled: false, facts: {} };
  return { state, findings: [finding], report: buildReport(state, [finding]) };
};
const io = defaultIO();
const code = await runFix(parseFixOptions([target.input, '--no-pull', '--root', root, '--state-dir', path.join(root, 'state')], {}), {
  io,
  diagnose: async () => failing(),
  planFixes: async () => [
    {
      id: 'hosts-toml-ca',
      title: 'Trust the supplied CA',
      risk: 'safe',
      where: 'node',
      restartRequired: false,
      description: 'writes ca.pem',
      manualSteps: [],
      actions: [{ kind: 'write-file', path: `${dir}/ca.pem`, content: 'ca\n' }],
    },
  ],
});
const file = path.join(root, dir, 'ca.pem');
process.stdout.write(`[file ${existsSync(file) ? 'present' : 'absent'}] [fix exited ${code}]\n`);
process.exit(code);
