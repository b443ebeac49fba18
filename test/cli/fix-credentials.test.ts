// Issue 14 item 3 through the `fix` command: a rejected pull-secret credential, the password read from stdin
// (--password-stdin), the plan shown and applied through the real kubectl against the test API server, the session
// verified, and one rollback of the journal undoing the cluster change. The password is on no output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeServer, type KubeServer } from '../kube-server/server.js';
import { EXIT } from '../../src/app/io.js';
import { memoryIO } from '../helpers/io.js';
import type { DiagnosisResult } from '../../src/app/diagnose.js';
import { createRealAdapters } from '../../src/app/adapters.js';
import { buildReport } from '../../src/core/report.js';
import type { CheckRun, Finding, RunState } from '../../src/core/types.js';
import { RealExec, type ExecAdapter } from '../../src/adapters/exec.js';
import { loadJournal, rollback } from '../../src/fix/engine.js';
import { parseFixOptions, passwordText, readAll, runFix } from '../../src/cli/commands/fix.js';

const PASSWORD = 'cli-s3cret-from-stdin';
let server: KubeServer;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'regdoctor-fixcred-'));
  server = await startKubeServer({});
  kubeconfig = server.writeKubeconfig(dir, { namespace: 'team' });
  server.add('serviceaccounts', { metadata: { name: 'default', namespace: 'team' }, imagePullSecrets: [{ name: 'old' }] });
  server.add('secrets', { metadata: { name: 'old', namespace: 'team' }, type: 'kubernetes.io/dockerconfigjson', data: {} });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const io = (stdin: string) => memoryIO({ input: stdin });

/** The registry refused the credentials the node has. */
const rejected: Finding = { code: 'unauthorized', severity: 'error', summary: 'rejected', evidence: [], fixes: [], source: 'registry-api' };

const check: CheckRun = {
  id: 'pull-secrets',
  title: 'pull secrets',
  needs: [],
  status: 'fail',
  findings: [],
  evidence: [],
  hasFacts: true,
};

describe('fix --username --password-stdin with a rejected pull secret', () => {
  it('creates the secret through kubectl, verifies, and rolls back; the password is never printed', async () => {
    const root = mkdtempSync(join(dir, 'root-'));
    const args = ['reg.test:5000/team/app:1', '--yes', '--root', root, '--state-dir', '/state', '--kubeconfig', kubeconfig, '-n', 'team'];
    const o = parseFixOptions([...args, '--username', 'alice', '--password-stdin'], {});
    const cli = io(`${PASSWORD}\n`);
    // what `run` does before anything else
    o.inputs.password = passwordText(await readAll(cli.stdin), '--password-stdin');
    expect(o.inputs).toMatchObject({ username: 'alice', password: PASSWORD, kube: { kubeconfig, namespace: 'team' } });

    const state = (ok: boolean): RunState => ({
      target: o.target,
      startedAt: 0,
      finishedAt: 1,
      checks: [check],
      cancelled: false,
      facts: {
        'pull-secrets': {
          namespace: 'team',
          serviceAccount: 'default',
          source: 'service-account',
          secrets: ok ? ['regcred-reg.test-5000', 'old'] : ['old'],
          matching: [{ secret: 'old', key: 'reg.test:5000', hasUsername: true, hasPassword: true, hasIdentityToken: false }],
          tested: [],
        },
      },
    });
    const diagnoses: DiagnosisResult[] = [
      { state: state(false), findings: [rejected], report: buildReport(state(false), [rejected]) },
      { state: state(true), findings: [], report: buildReport(state(true), []) },
    ];
    const argv: string[][] = [];
    const real = new RealExec();
    const exec: ExecAdapter = {
      run: (file, a, opts = {}) => (
        argv.push([file, ...a]),
        real.run(file, a, { ...opts, env: { ...opts.env, HOME: dir, KUBECONFIG: '' } })
      ),
    };
    const code = await runFix(o, {
      io: cli,
      adapters: (x) => ({ ...createRealAdapters(x), exec }),
      diagnose: async () => diagnoses.shift()!,
    });
    expect(cli.err()).toBe('');
    expect(code).toBe(EXIT.ok);
    const out = cli.out();
    expect(out).toContain('Plan: Create pull secret team/regcred-reg.test-5000 for reg.test:5000 and attach it to ServiceAccount default');
    expect(out).toContain('--validate=false -f -');
    expect(out).toContain('verified:');
    for (const shown of [out, argv.flat().join(' ')]) {
      expect(shown).not.toContain(PASSWORD);
      expect(shown).not.toContain(Buffer.from(`alice:${PASSWORD}`).toString('base64'));
    }
    const sa = server.objects('serviceaccounts').find((x) => x.metadata.namespace === 'team')!;
    expect(sa.imagePullSecrets).toEqual([{ name: 'regcred-reg.test-5000' }, { name: 'old' }]);

    const fs = createRealAdapters({ root, env: {} }).fs;
    const back = await rollback(await loadJournal(fs, '/state'), {
      fs,
      exec,
      stateDir: '/state',
      waitForRuntime: async () => true,
      log: () => undefined,
    });
    expect(back.differences).toEqual([]);
    const after = server.objects('serviceaccounts').find((x) => x.metadata.namespace === 'team')!;
    expect(after.imagePullSecrets).toEqual([{ name: 'old' }]);
    expect(server.objects('secrets').map((s) => s.metadata.name)).toEqual(['old']);
  });

  it('a rejected node entry without new credentials: "No fix" names the flags; --allow-destructive removes it (backed up)', async () => {
    const root = mkdtempSync(join(dir, 'root-'));
    mkdirSync(join(root, 'root/.docker'), { recursive: true });
    const original = JSON.stringify({ auths: { 'reg.test:5000': { auth: 'c3RhbGU6b2xk' }, 'other:1': { auth: 'eDp5' } } }, null, 2);
    writeFileSync(join(root, 'root/.docker/config.json'), original, { mode: 0o600 });
    const facts = {
      'auth-files': {
        kubeletFile: '/root/.docker/config.json',
        matching: [
          { source: '/root/.docker/config.json', key: 'reg.test:5000', hasUsername: true, hasPassword: true, hasIdentityToken: false },
        ],
      },
    };
    const diag = (findings: Finding[]): DiagnosisResult => {
      const state: RunState = { target: o1.target, startedAt: 0, finishedAt: 1, checks: [check], cancelled: false, facts };
      return { state, findings, report: buildReport(state, findings) };
    };
    const o1 = parseFixOptions(['reg.test:5000/team/app:1', '--yes', '--root', root, '--state-dir', '/state'], {});
    const cli1 = io('');
    expect(await runFix(o1, { io: cli1, diagnose: async () => diag([rejected]) })).toBe(EXIT.problems);
    expect(cli1.out()).toContain('re-run with --username USER --password-stdin');
    expect(cli1.out()).toContain('re-run with --allow-destructive');
    expect(readFileSync(join(root, 'root/.docker/config.json'), 'utf8')).toBe(original);

    const o2 = parseFixOptions(['reg.test:5000/team/app:1', '--yes', '--root', root, '--state-dir', '/state', '--allow-destructive'], {});
    const cli2 = io('');
    const seq = [diag([rejected]), diag([])];
    expect(await runFix(o2, { io: cli2, diagnose: async () => seq.shift()! })).toBe(EXIT.ok);
    expect(cli2.out()).toContain('Remove the rejected credential for reg.test:5000 from /root/.docker/config.json');
    expect(cli2.out()).not.toContain('c3RhbGU6b2xk');
    expect(JSON.parse(readFileSync(join(root, 'root/.docker/config.json'), 'utf8')).auths).toEqual({ 'other:1': { auth: 'eDp5' } });
  });
});
