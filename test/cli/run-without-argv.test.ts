// Each command's policy runs from an Options object and injected collaborators, without argv (gh's Options + run):
// fix --dry-run never applies, fix on an incomplete (`unknown`) diagnosis plans nothing and exits 1, rollback under
// --root never restarts the host's runtime, explain --diagnose hands the first target to the live diagnosis.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EXIT, type CliIO } from '../../src/app/io.js';
import { memoryIO } from '../helpers/io.js';
import { createRealAdapters } from '../../src/app/adapters.js';
import type { DiagnoseParams, DiagnosisResult } from '../../src/app/diagnose.js';
import { buildReport } from '../../src/core/report.js';
import { parseTarget } from '../../src/core/reference.js';
import type { CheckRun, Finding, FixAction, FixProposal, RunState } from '../../src/core/types.js';
import { RootedFs } from '../../src/adapters/fs.js';
import type { ExecAdapter } from '../../src/adapters/exec.js';
import { applyPlan, preparePlan, RESTART_SKIPPED_ROOT, type PlannedStep } from '../../src/fix/engine.js';
import { parseDiagnoseOptions, runDiagnose } from '../../src/cli/commands/diagnose.js';
import { parseFixOptions, runFix, type FixOptions } from '../../src/cli/commands/fix.js';
import { runRollback, type RollbackOptions } from '../../src/cli/commands/rollback.js';
import { runExplain } from '../../src/cli/commands/explain.js';

const roots: string[] = [];
afterEach(async () => {
  for (const r of roots.splice(0)) await rm(r, { recursive: true, force: true });
});
async function tmp(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'regdoctor-runx-'));
  roots.push(d);
  return d;
}

const fakeIO = memoryIO;

const TARGET = parseTarget('reg.test:5000/app:1');

function check(status: CheckRun['status'], findings: Finding[] = [], error?: string): CheckRun {
  return { id: 'runtime-info', title: 'runtime', needs: [], status, findings, evidence: [], error, hasFacts: false };
}

/** A diagnosis as the engine returns it: state, findings, and the report built from them by the real builder. */
function result(checks: CheckRun[], findings: Finding[]): DiagnosisResult {
  const state: RunState = { target: TARGET, startedAt: 0, finishedAt: 1, checks, cancelled: false, facts: {} };
  return { state, findings, report: buildReport(state, findings) };
}

const CA_FINDING: Finding = {
  code: 'untrusted-ca',
  severity: 'error',
  summary: 'the registry certificate is signed by an unknown authority',
  evidence: [],
  fixes: [],
  source: 'go-verify',
};

const WRITE: FixAction = {
  kind: 'write-file',
  path: '/etc/containerd/certs.d/reg.test:5000/hosts.toml',
  content: 'server = "https://reg.test:5000"\n',
};
const PROPOSAL: FixProposal = {
  id: 'hosts-toml-ca',
  title: 'Trust the registry CA',
  risk: 'safe',
  where: 'node',
  restartRequired: false,
  description: 'writes hosts.toml',
  manualSteps: [],
  actions: [WRITE],
};

function fixOptions(root: string, over: Partial<FixOptions> = {}): FixOptions {
  return { ...parseFixOptions([TARGET.input, '--no-pull', '--root', root, '--state-dir', path.join(root, 'state')], {}), ...over };
}

/** Fix collaborators: a fixed diagnosis, one proposal, and recorders for the engine's steps. */
function fixDeps(io: CliIO, first: DiagnosisResult, calls: string[]) {
  return {
    io,
    diagnose: async (p: DiagnoseParams) => (calls.push(`diagnose ${p.target.input}`), first),
    planFixes: async () => (calls.push('plan'), [PROPOSAL]),
    preparePlan: async (...a: Parameters<typeof preparePlan>) => (calls.push('prepare'), preparePlan(...a)),
    applyPlan: async (steps: PlannedStep[], o: Parameters<typeof applyPlan>[1]) => (calls.push('apply'), applyPlan(steps, o)),
  };
}

describe('runFix (no argv)', () => {
  it('--dry-run prepares and shows the plan but never calls the apply step; nothing is written', async () => {
    const root = await tmp();
    const io = fakeIO();
    const calls: string[] = [];
    const code = await runFix(fixOptions(root, { dryRun: true }), fixDeps(io, result([check('pass')], [CA_FINDING]), calls));
    expect(code).toBe(EXIT.ok);
    expect(calls).toEqual([`diagnose ${TARGET.input}`, 'plan', 'prepare']);
    expect(io.out()).toContain('Plan: Trust the registry CA');
    expect(io.out()).toContain('--dry-run: nothing was changed.');
    await expect(readFile(path.join(root, WRITE.path))).rejects.toThrow(/ENOENT/);
  });

  it('with --yes the same plan is applied (the apply step runs and writes the file)', async () => {
    const root = await tmp();
    const io = fakeIO();
    const calls: string[] = [];
    const code = await runFix(fixOptions(root, { yes: true }), fixDeps(io, result([check('pass')], [CA_FINDING]), calls));
    // the verifying diagnosis is the same fake (still failing): applied, not fixed yet; the next round re-plans and
    // finds nothing new to apply (the same proposal is never applied twice)
    expect(code).toBe(EXIT.problems);
    expect(calls).toEqual([`diagnose ${TARGET.input}`, 'plan', 'prepare', 'apply', `diagnose ${TARGET.input}`, 'plan']);
    expect(await readFile(path.join(root, WRITE.path), 'utf8')).toBe(WRITE.content);
    expect(io.out()).toMatch(/Applied \(journal [^)]+\)/);
  });

  it('an `unknown` verdict (incomplete diagnosis) plans nothing: a clear message, exit 1, never a crash', async () => {
    const root = await tmp();
    const io = fakeIO();
    const calls: string[] = [];
    const first = result([check('crash', [], 'diagnosis deadline of 1 ms reached')], []);
    expect(first.report.verdict.code).toBe('unknown');
    const code = await runFix(fixOptions(root, { dryRun: true }), fixDeps(io, first, calls));
    expect(code).toBe(EXIT.problems);
    expect(calls).toEqual([`diagnose ${TARGET.input}`]);
    expect(io.out()).toBe('✗ unknown: the diagnosis is incomplete: runtime-info (diagnosis deadline of 1 ms reached)\n');
    expect(io.err()).toBe(
      `regdoctor fix: no fix to plan: the diagnosis is incomplete. Re-run \`regdoctor diagnose ${TARGET.input}\` (with a longer --timeout if a deadline was reached) to find the cause.\nNothing was changed.\n`,
    );
  });

  it('a healthy verdict has nothing to fix: exit 0, nothing planned', async () => {
    const io = fakeIO();
    const calls: string[] = [];
    expect(await runFix(fixOptions(await tmp(), { dryRun: true }), fixDeps(io, result([check('pass')], []), calls))).toBe(EXIT.ok);
    expect(calls).toEqual([`diagnose ${TARGET.input}`]);
    expect(io.out()).toMatch(/nothing to fix/);
  });

  it('without --yes or --dry-run on a non-interactive terminal it refuses before diagnosing', async () => {
    const calls: string[] = [];
    await expect(runFix(fixOptions(await tmp()), fixDeps(fakeIO(), result([], []), calls))).rejects.toThrow(
      /refusing to change files without confirmation/,
    );
    expect(calls).toEqual([]);
  });
});

/** A journal of a real fix (a file and a containerd restart) applied under root. */
async function appliedJournal(root: string, stateDir: string) {
  await mkdir(path.join(root, 'etc/containerd'), { recursive: true });
  await writeFile(path.join(root, 'etc/containerd/config.toml'), 'version = 2\n');
  const fs = new RootedFs(root);
  const steps = await preparePlan(fs, [WRITE, { kind: 'restart-runtime', service: 'containerd' }], { restartCmd: 'true' });
  return applyPlan(steps, {
    fs,
    exec: recorder(),
    stateDir,
    restartCmd: 'true',
    waitForRuntime: async () => true,
    log: () => undefined,
    target: TARGET.input,
    proposal: 'hosts-toml-ca',
  });
}

function recorder(): ExecAdapter & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    run: async (file, args) => (
      calls.push([file, ...args].join(' ')),
      { exitCode: 0, stdout: '', stderr: '', notFound: false, timedOut: false, durationMs: 1 }
    ),
  };
}

describe('runRollback (no argv)', () => {
  const opts = (root: string, over: Partial<RollbackOptions> = {}): RollbackOptions => ({
    root,
    stateDir: '/var/lib/regdoctor',
    force: false,
    list: false,
    ...over,
  });

  it('--root never calls the restart (no exec at all); the files are restored', async () => {
    const root = await tmp();
    const j = await appliedJournal(root, '/var/lib/regdoctor');
    const exec = recorder();
    const io = fakeIO();
    const code = await runRollback(opts(root), { io, adapters: (o) => ({ ...createRealAdapters(o), exec }) });
    expect(io.err()).toBe('');
    expect(code).toBe(EXIT.ok);
    expect(exec.calls).toEqual([]);
    expect(io.out()).toContain(`rolling back ${j.id}`);
    expect(io.out()).toContain(RESTART_SKIPPED_ROOT);
    await expect(readFile(path.join(root, WRITE.path))).rejects.toThrow(/ENOENT/);
  });

  it('--root with --restart-cmd runs exactly that command to restart', async () => {
    const root = await tmp();
    await appliedJournal(root, '/var/lib/regdoctor');
    const exec = recorder();
    const io = fakeIO();
    const code = await runRollback(opts(root, { restartCmd: 'kill -HUP 4242' }), {
      io,
      adapters: (o) => ({ ...createRealAdapters(o), exec, cri: { ...createRealAdapters(o).cri, detect: async () => ({}) } as never }),
    });
    expect(io.err()).toBe('');
    expect(code).toBe(EXIT.ok);
    expect(exec.calls).toEqual(['sh -c kill -HUP 4242']);
  });
});

describe('runDiagnose (no argv)', () => {
  it('prints the injected diagnosis and exits 1 for a failing verdict, 0 for healthy', async () => {
    for (const [findings, code] of [
      [[CA_FINDING], EXIT.problems],
      [[], EXIT.ok],
    ] as const) {
      const io = fakeIO();
      const seen: DiagnoseParams[] = [];
      const o = parseDiagnoseOptions([TARGET.input, '--json', '--no-pull'], {});
      const r = await runDiagnose(o, { io, diagnose: async (p) => (seen.push(p), result([check('pass')], [...findings])) });
      expect(r).toBe(code);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.options.pull).toBe(false);
      expect(JSON.parse(io.out()).verdict.code).toBe(findings.length ? 'untrusted-ca' : 'healthy');
    }
  });
});

describe('runExplain (no argv)', () => {
  const LINE =
    'Failed to pull image "reg.test:5000/app:1": rpc error: code = Unknown desc = failed to pull and unpack image "reg.test:5000/app:1": failed to resolve reference "reg.test:5000/app:1": failed to do request: Head "https://reg.test:5000/v2/app/manifests/1": tls: failed to verify certificate: x509: certificate signed by unknown authority';

  it('--diagnose hands the first target to the diagnosis; without it nothing is diagnosed', async () => {
    const handed: string[][] = [];
    const diagnose = async (args: string[]) => (handed.push(args), 42);
    const base = { text: LINE, json: true, verbose: false };
    expect(await runExplain({ ...base, diagnose: false }, { io: fakeIO(), diagnose })).toBe(EXIT.problems);
    expect(handed).toEqual([]);
    expect(await runExplain({ ...base, diagnose: true }, { io: fakeIO(), diagnose })).toBe(42);
    expect(handed).toEqual([['reg.test:5000/app:1']]);
  });

  it('text with no pull error: exit 0 and says so', async () => {
    const io = fakeIO();
    expect(await runExplain({ text: 'all good', json: false, verbose: false, diagnose: true }, { io, diagnose: async () => 42 })).toBe(
      EXIT.ok,
    );
    expect(io.out()).toBe('No image-pull error found in the text.\n');
  });
});

describe('runScan, runDemo, runNodesCommand (no argv)', () => {
  it('scan: the options reach the scan; a cluster that cannot be used is exit 4 with a JSON error', async () => {
    const { parseScanOptions, runScan } = await import('../../src/cli/commands/scan.js');
    const { ScanAccessError } = await import('../../src/kube/scan.js');
    const seen: { namespace?: string; allNamespaces?: boolean; chunkSize?: number }[] = [];
    const io = fakeIO();
    const code = await runScan(parseScanOptions(['-A', '--chunk-size', '7', '--json'], {}), {
      io,
      scanCluster: async (o) => {
        seen.push({ namespace: o.namespace, allNamespaces: o.allNamespaces, chunkSize: o.chunkSize });
        throw new ScanAccessError('the API server is unreachable', { ok: false, error: 'unreachable', message: 'connection refused' });
      },
    });
    expect(seen).toEqual([{ namespace: undefined, allNamespaces: true, chunkSize: 7 }]);
    expect(code).toBe(EXIT.cluster);
    expect(JSON.parse(io.out()).error).toMatchObject({
      code: 'kube-access',
      kind: 'unreachable',
      message: 'the API server is unreachable',
    });
  });

  it('demo: every scenario is diagnosed under the lab root; one wrong verdict is exit 1; the lab is closed', async () => {
    const { parseDemoOptions, runDemo } = await import('../../src/cli/commands/demo.js');
    let closed = 0;
    const diagnosedRoots: string[] = [];
    const lab = {
      root: '/tmp/demo-root',
      hosts: {},
      close: async () => void closed++,
      scenarios: [
        { id: 'a', title: 'A', expect: 'untrusted-ca', host: 'a.test', registry: {}, port: 1, image: 'a.test:1/x:1' },
        { id: 'b', title: 'B', expect: 'expired', host: 'b.test', registry: {}, port: 2, image: 'b.test:2/x:1' },
      ],
    } as unknown as Awaited<ReturnType<typeof import('../../src/demo/scenarios.js').startDemoLab>>;
    const io = fakeIO();
    const code = await runDemo(parseDemoOptions(['--json'], {}), {
      io,
      startLab: async () => lab,
      diagnose: async (p) => (diagnosedRoots.push(p.options.root), result([check('pass')], [CA_FINDING])),
    });
    expect(code).toBe(EXIT.problems);
    expect(diagnosedRoots).toEqual(['/tmp/demo-root', '/tmp/demo-root']);
    expect(closed).toBe(1);
    expect(JSON.parse(io.out())).toMatchObject({ schema: 'regdoctor/demo@1', correct: 1, total: 2 });
  });

  it('nodes: a cluster that cannot be reached is exit 4 and no node run starts', async () => {
    const { parseNodesOptions, runNodesCommand } = await import('../../src/cli/commands/nodes.js');
    let runs = 0;
    const io = fakeIO();
    const code = await runNodesCommand(parseNodesOptions(['reg.test/app:1', '--yes'], {}), {
      io,
      api: () => ({
        start: async () => ({ ok: false, error: 'unreachable', message: 'dial tcp: connection refused' }),
        request: async () => ({ ok: true, value: {} }),
        close: async () => undefined,
      }),
      runNodes: async () => {
        runs++;
        throw new Error('not reached');
      },
    });
    expect(code).toBe(EXIT.cluster);
    expect(runs).toBe(0);
    expect(io.err()).toMatch(/^regdoctor nodes: cannot reach the cluster: /);
  });
});
