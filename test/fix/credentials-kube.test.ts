// Issue 14 item 3, the pull-secret path: the planned Secret and ServiceAccount change are made through the real
// kubectl against the test API server (test/kube-server), the manifest with the password on stdin (never argv); one
// rollback deletes the created secret and restores the ServiceAccount's imagePullSecrets. A ServiceAccount changed
// since the plan stops the apply (everything rolled back); one changed since the fix stops the rollback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeServer, type KubeServer } from '../kube-server/server.js';
import { RootedFs } from '../../src/adapters/fs.js';
import { RealExec, type ExecAdapter } from '../../src/adapters/exec.js';
import { applyPlan, FixError, loadJournal, preparePlan, rollback } from '../../src/fix/engine.js';
import { proposeFixes, type PlanContext } from '../../src/fix/propose.js';
import { parseTarget } from '../../src/core/reference.js';
import type { Finding } from '../../src/core/types.js';
import { partialFacts } from '../helpers/facts.js';

const PASSWORD = 'kube-s3cret-never-in-argv';
const HOST = 'reg.test:5000';

let server: KubeServer;
let dir: string;
let kubeconfig: string;
const argvSeen: string[][] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'regdoctor-kubefix-'));
  server = await startKubeServer({ forbid: [{ verb: 'create', resource: 'secrets', namespace: 'locked' }] });
  kubeconfig = server.writeKubeconfig(dir, { namespace: 'team' });
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The real kubectl with HOME in the test directory; records every argv (the password must never be in one). */
function exec(): ExecAdapter {
  const real = new RealExec();
  return {
    run: (file, args, o = {}) => {
      argvSeen.push([file, ...args]);
      return real.run(file, args, { ...o, env: { ...o.env, HOME: dir, KUBECONFIG: '' } });
    },
  };
}

function setup(ns: string, saSecrets: string[]) {
  server.add('serviceaccounts', {
    metadata: { name: 'default', namespace: ns },
    ...(saSecrets.length ? { imagePullSecrets: saSecrets.map((name) => ({ name })) } : {}),
  });
  for (const s of saSecrets)
    server.add('secrets', { metadata: { name: s, namespace: ns }, type: 'kubernetes.io/dockerconfigjson', data: {} });
  const ctx: PlanContext = {
    target: parseTarget(`${HOST}/team/app:1`),
    inputs: { username: 'alice', password: PASSWORD, kube: { kubeconfig } },
    facts: partialFacts({
      'pull-secrets': {
        namespace: ns,
        serviceAccount: 'default',
        source: saSecrets.length ? 'service-account' : 'none',
        secrets: saSecrets,
        matching: saSecrets.length
          ? [{ secret: saSecrets[0], key: HOST, hasUsername: true, hasPassword: true, hasIdentityToken: false }]
          : [],
        tested: [],
      },
    }),
  };
  const finding: Finding = {
    code: saSecrets.length ? 'unauthorized' : 'credentials-missing',
    severity: 'error',
    summary: '',
    evidence: [],
    fixes: [],
    source: 'registry-api',
  };
  const chosen = proposeFixes(finding, ctx).find((p) => p.id === 'pull-secret')!;
  const state = mkdtempSync(join(dir, 'state-'));
  const fs = new RootedFs(state);
  const logs: string[] = [];
  const o = { fs, exec: exec(), stateDir: '/var/lib/regdoctor', waitForRuntime: async () => true, log: (l: string) => logs.push(l) };
  return { chosen, fs, o, logs, state };
}

const sa = (ns: string) => server.objects('serviceaccounts').find((x) => x.metadata.namespace === ns && x.metadata.name === 'default')!;
const secrets = (ns: string) => server.objects('secrets').filter((x) => x.metadata.namespace === ns);

describe('pull-secret fix through the real kubectl', () => {
  it('creates the secret, puts it first in the ServiceAccount, and one rollback undoes both', async () => {
    const { chosen, fs, o, logs, state } = setup('team', ['old-cred']);
    expect(chosen.actions.map((a) => a.kind)).toEqual(['kube-create-secret', 'kube-patch-sa']);
    const steps = await preparePlan(fs, chosen.actions);
    const j = await applyPlan(steps, { ...o, target: `${HOST}/team/app:1`, proposal: chosen.id, session: true });
    expect(j.status).toBe('applied');

    const created = secrets('team').find((s) => s.metadata.name === 'regcred-reg.test-5000')!;
    expect(created.type).toBe('kubernetes.io/dockerconfigjson');
    expect(created.metadata.annotations['regdoctor.io/journal']).toBe(j.id);
    const cfg = JSON.parse(Buffer.from(created.data['.dockerconfigjson'], 'base64').toString('utf8'));
    expect(cfg.auths[HOST]).toEqual({ username: 'alice', password: PASSWORD, auth: Buffer.from(`alice:${PASSWORD}`).toString('base64') });
    expect(sa('team').imagePullSecrets).toEqual([{ name: 'regcred-reg.test-5000' }, { name: 'old-cred' }]);
    expect(server.requests.some((r) => r.method === 'POST' && r.path === '/api/v1/namespaces/team/secrets')).toBe(true);
    expect(server.requests.some((r) => r.method === 'PATCH' && r.path === '/api/v1/namespaces/team/serviceaccounts/default')).toBe(true);

    // the password was on no command line, in no log line and in no journal
    expect(argvSeen.flat().join(' ')).not.toContain(PASSWORD);
    expect(logs.join('\n')).not.toContain(PASSWORD);
    for (const n of readdirSync(join(state, 'var/lib/regdoctor/journal')))
      expect(readFileSync(join(state, 'var/lib/regdoctor/journal', n), 'utf8')).not.toContain(PASSWORD);

    const back = await rollback(await loadJournal(fs, o.stateDir), o);
    expect(back.differences).toEqual([]);
    expect(secrets('team').map((s) => s.metadata.name)).toEqual(['old-cred']);
    expect(sa('team').imagePullSecrets).toEqual([{ name: 'old-cred' }]);
  });

  it('a ServiceAccount without imagePullSecrets gets the field removed again on rollback', async () => {
    const { chosen, fs, o } = setup('empty', []);
    await applyPlan(await preparePlan(fs, chosen.actions), { ...o, target: HOST, proposal: chosen.id });
    expect(sa('empty').imagePullSecrets).toEqual([{ name: 'regcred-reg.test-5000' }]);
    const back = await rollback(await loadJournal(fs, o.stateDir), o);
    expect(back.differences).toEqual([]);
    expect(sa('empty').imagePullSecrets).toBeUndefined();
    expect(secrets('empty')).toEqual([]);
  });

  it('the ServiceAccount changed since the plan: the apply stops and the created secret is deleted again', async () => {
    const { chosen, fs, o } = setup('raced', ['a']);
    const steps = await preparePlan(fs, chosen.actions);
    sa('raced').imagePullSecrets = [{ name: 'a' }, { name: 'someone-else' }];
    await expect(applyPlan(steps, { ...o, target: HOST, proposal: chosen.id })).rejects.toThrow(
      /changed since the plan was shown.*nothing is left applied/s,
    );
    expect(secrets('raced').map((s) => s.metadata.name)).toEqual(['a']);
    expect(sa('raced').imagePullSecrets).toEqual([{ name: 'a' }, { name: 'someone-else' }]);
  });

  it('the ServiceAccount changed after the fix: rollback refuses (nothing touched); --force restores it', async () => {
    const { chosen, fs, o } = setup('later', ['a']);
    await applyPlan(await preparePlan(fs, chosen.actions), { ...o, target: HOST, proposal: chosen.id });
    sa('later').imagePullSecrets = [{ name: 'regcred-reg.test-5000' }, { name: 'a' }, { name: 'added-later' }];
    await expect(rollback(await loadJournal(fs, o.stateDir), o)).rejects.toThrow(FixError);
    expect(
      secrets('later')
        .map((s) => s.metadata.name)
        .sort(),
    ).toEqual(['a', 'regcred-reg.test-5000']);
    const back = await rollback(await loadJournal(fs, o.stateDir), { ...o, force: true });
    expect(back.differences).toEqual([]);
    expect(sa('later').imagePullSecrets).toEqual([{ name: 'a' }]);
    expect(secrets('later').map((s) => s.metadata.name)).toEqual(['a']);
  });

  it('RBAC forbids creating the secret: nothing is left applied and an existing secret of another owner is never deleted', async () => {
    const { chosen, fs, o } = setup('locked', ['a']);
    await expect(applyPlan(await preparePlan(fs, chosen.actions), { ...o, target: HOST, proposal: chosen.id })).rejects.toThrow(
      /Forbidden|forbidden/,
    );
    expect(sa('locked').imagePullSecrets).toEqual([{ name: 'a' }]);
    // a secret of that name that regdoctor did not create (no journal annotation) survives a rollback attempt
    const { chosen: c2, fs: fs2, o: o2 } = setup('taken', []);
    server.add('secrets', { metadata: { name: 'regcred-reg.test-5000', namespace: 'taken' }, type: 'Opaque', data: {} });
    await expect(applyPlan(await preparePlan(fs2, c2.actions), { ...o2, target: HOST, proposal: c2.id })).rejects.toThrow(/already exists/);
    expect(secrets('taken').map((s) => s.metadata.name)).toEqual(['regcred-reg.test-5000']);
    expect(sa('taken').imagePullSecrets).toBeUndefined();
  });
});
