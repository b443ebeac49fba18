// `regdoctor nodes` without the lab: the pods it plans, the matrix, and the whole collection (create, poll, logs,
// delete, cleanup) through the real kubectl against the test API server, whose simulated kubelet answers for nodes
// with a canned report instead of running a pod.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startKubeServer, type KubeObject, type KubeServer } from '../kube-server/server.js';
import { startKubeletSim, type KubeletSim } from '../kube-server/kubelet-sim.js';
import { planNodePod, labelValue, HOST_MOUNTS, OWNER_SELECTOR } from '../../src/kube/nodes-plan.js';
import { causeOf, configOf, fleetFix, groupOutcomes, outcomeFromReport } from '../../src/kube/nodes-matrix.js';
import { KubectlNodesApi } from '../../src/kube/nodes-api.js';
import { runNodes, reportFromLogs } from '../../src/kube/nodes-run.js';
import { renderNodesHtml, renderNodesJUnit, renderNodesMarkdown } from '../../src/report/export.js';
import { renderMatrixText } from '../../src/ui/nodes-view.js';
import { runInProcess } from './inproc-cli.js';
import type { Report } from '../../src/core/report.js';

/** A report shaped like `diagnose --json` prints it, for one verdict and one effective configuration. */
function report(
  code: string,
  o: { applies?: string; predicted?: string; extraFindings?: { code: string; summary: string }[]; fixes?: unknown[] } = {},
): Report {
  const evidence = [
    '/etc/containerd/config.toml: config version 2',
    'config_path = /etc/containerd/certs.d',
    ...(o.applies ? [`applies: ${o.applies}`] : []),
  ];
  return {
    schema: 'regdoctor/report@1',
    tool: { name: 'regdoctor', version: '0.1.0' },
    generatedAt: '2026-01-01T00:00:00Z',
    target: {
      input: 'reg.test:5000/app:1',
      kind: 'image',
      image: 'reg.test:5000/app:1',
      registry: 'reg.test:5000',
      endpoint: 'reg.test:5000',
    },
    durationMs: 10,
    cancelled: false,
    checks: [
      { id: 'containerd-config', title: 'c', status: 'pass', durationMs: 1, evidence },
      { id: 'runtime-drift', title: 'd', status: 'pass', durationMs: 1, evidence: [`containerd started ${new Date().toISOString()}`] },
    ],
    findings: [
      ...(code === 'healthy'
        ? []
        : [
            {
              code,
              title: code,
              severity: 'error',
              summary: `${code} here`,
              evidence: [],
              predictedRuntimeError: o.predicted,
              docs: '',
              source: 'go-verify',
              fixes: (o.fixes ?? []) as never,
            },
          ]),
      ...(o.extraFindings ?? []).map((f) => ({
        ...f,
        title: f.code,
        severity: 'warning',
        evidence: [],
        docs: '',
        source: 'runtime-drift',
        fixes: [],
      })),
    ] as Report['findings'],
    verdict: {
      code: code as never,
      title: code,
      severity: code === 'healthy' ? 'info' : 'error',
      summary: `${code} here`,
      predictedRuntimeError: o.predicted,
      docs: '',
    },
  };
}

const X509 = 'failed to do request: Head "https://reg.test:5000/v2/app/manifests/1": x509: certificate signed by unknown authority';

describe('planNodePod', () => {
  const pod = planNodePod(
    { ref: 'reg.test:5000/app:1', node: 'worker-1', runId: 'abcd1234', namespace: 'ops', image: 'reg/regdoctor:1' },
    7,
  ) as KubeObject;

  it('binds to the node, tolerates every taint, runs diagnose against the node mounted read-only under /host', () => {
    expect(pod.metadata.name).toBe('regdoctor-node-abcd1234-7');
    expect(pod.metadata.namespace).toBe('ops');
    expect(pod.spec.nodeName).toBe('worker-1');
    expect(pod.spec.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.spec.restartPolicy).toBe('Never');
    expect(pod.spec.hostNetwork).toBe(true);
    expect(pod.spec.hostPID).toBe(true);
    // names resolve as on the node (its resolv.conf), not through the cluster DNS
    expect(pod.spec.dnsPolicy).toBe('Default');
    const c = pod.spec.containers[0];
    expect([...c.command, ...c.args]).toEqual([
      'regdoctor',
      'diagnose',
      'reg.test:5000/app:1',
      '--root',
      '/host',
      '--runtime-endpoint',
      'unix:///host/run/containerd/containerd.sock',
      '--json',
    ]);
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    for (const m of c.volumeMounts) expect(m.readOnly).toBe(true);
    const byName = new Map(pod.spec.volumes.map((v: KubeObject) => [v.name, v.hostPath.path]));
    const mounted = c.volumeMounts.map((m: KubeObject) => [m.mountPath, byName.get(m.name)]);
    expect(mounted).toEqual(
      expect.arrayContaining([
        ['/host/etc', '/etc'],
        ['/host/proc', '/proc'],
        ['/host/run/containerd', '/run/containerd'],
        ['/host/var/lib/kubelet', '/var/lib/kubelet'],
      ]),
    );
    expect(mounted.every(([to, from]: string[]) => to === `/host${from}`)).toBe(true);
    expect(pod.spec.volumes.length).toBe(HOST_MOUNTS.length + 1);
    expect(pod.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'regdoctor',
      'app.kubernetes.io/component': 'node-diagnosis',
      'regdoctor.dev/run': 'abcd1234',
      'regdoctor.dev/node': 'worker-1',
    });
  });

  it('mounts the directory of another CRI socket and points diagnose at it', () => {
    const p = planNodePod(
      {
        ref: 'r/a:1',
        node: 'n',
        runId: 'r',
        namespace: 'd',
        image: 'i',
        runtimeEndpoint: 'unix:///var/run/k3s/containerd/containerd.sock',
      },
      0,
    ) as KubeObject;
    expect(p.spec.containers[0].args).toContain('unix:///host/var/run/k3s/containerd/containerd.sock');
    expect(p.spec.volumes).toContainEqual({ name: 'cri-socket-dir', hostPath: { path: '/var/run/k3s/containerd', type: 'Directory' } });
  });

  it('label values stay valid for long node names', () => {
    const long = `ip-10-0-0-1.${'a'.repeat(80)}.compute.internal`;
    const v = labelValue(long);
    expect(v.length).toBeLessThanOrEqual(63);
    expect(v).toMatch(/^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$/);
    expect(labelValue(`${long}x`)).not.toBe(v);
  });
});

describe('the matrix', () => {
  it('groups by cause, predicted error and configuration digest; odd ones out first', () => {
    const good = '/etc/containerd/certs.d/reg.test:5000/hosts.toml';
    const outcomes = [
      outcomeFromReport('n1', report('healthy', { applies: good }), 1),
      outcomeFromReport('n2', report('healthy', { applies: good }), 1),
      outcomeFromReport('n3', report('healthy', { applies: good }), 1),
      outcomeFromReport('n4', report('untrusted-ca', { predicted: X509 }), 1),
      // same verdict and error, different configuration: its own group
      outcomeFromReport('n5', report('untrusted-ca', { predicted: X509, applies: '/etc/containerd/certs.d/_default/hosts.toml' }), 1),
      outcomeFromReport('n6', report('untrusted-ca', { predicted: X509 }), 1),
    ];
    const groups = groupOutcomes(outcomes);
    expect(groups.map((g) => [g.code, g.nodes])).toEqual([
      ['untrusted-ca', ['n5']],
      ['untrusted-ca', ['n4', 'n6']],
      ['healthy', ['n1', 'n2', 'n3']],
    ]);
    // timing evidence (runtime-drift's start time) does not split groups; configuration lines do
    expect(configOf(report('healthy', { applies: good })).digest).toBe(groups[2]!.config!.digest);
    const text = renderMatrixText(
      { target: 'reg.test:5000/app:1', total: 6, groups, fixes: [], notes: [] },
      { color: false, columns: 200 },
    );
    expect(text).toContain('2 of 6 nodes: untrusted-ca');
    // what the odd ones out lack compared with the healthy majority
    expect(text).toContain(`- applies: ${good} (the 3 healthy have this)`);
    expect(text).toContain('+ applies: /etc/containerd/certs.d/_default/hosts.toml');
  });

  it('a node whose runtime has not loaded its config is grouped under config-not-applied, the verdict kept', () => {
    const r = report('untrusted-ca', {
      predicted: X509,
      extraFindings: [{ code: 'config-not-applied', summary: 'config.toml changed after containerd started' }],
    });
    expect(causeOf(r).code).toBe('config-not-applied');
    const o = outcomeFromReport('n', r, 1);
    expect(o).toMatchObject({ code: 'config-not-applied', verdict: 'untrusted-ca' });
    // a healthy node with a drift warning stays healthy
    expect(causeOf(report('healthy', { extraFindings: [{ code: 'config-not-applied', summary: 's' }] })).code).toBe('healthy');
  });

  it('fleet fix: the proposal regdoctor would apply, one journaled regdoctor fix per node through kubectl debug, never skip-verify', () => {
    const fix = {
      id: 'hosts-toml-http',
      title: 'use HTTP',
      risk: 'mutating',
      where: 'node',
      restartRequired: false,
      description: '',
      manualSteps: [],
      actions: [{ kind: 'write-file', path: '/etc/containerd/certs.d/reg.test:5000/hosts.toml', content: 'x' }],
    };
    // the risk is computed from what the node report's actions do (src/fix/risk.ts), not from the field
    const skip = {
      ...fix,
      id: 'hosts-toml-skip-verify',
      title: 'skip verification',
      risk: 'disables-verification',
      actions: [{ ...fix.actions[0]!, content: '[host."https://reg.test:5000"]\n  skip_verify = true\n' }],
    };
    const r = report('plain-http-registry', { fixes: [skip, fix] });
    const [g] = groupOutcomes([outcomeFromReport('node a', r, 1)]);
    const plan = fleetFix(g!, r, { ref: 'reg.test:5000/app:1', image: 'img:1' })!;
    expect(plan.proposals.map((p) => p.id)).toEqual(['hosts-toml-http']);
    expect(plan.files).toEqual(['/etc/containerd/certs.d/reg.test:5000/hosts.toml']);
    expect(plan.commands[0]!.argv).toEqual([
      'kubectl',
      'debug',
      'node/node a',
      '-q',
      '--profile=sysadmin',
      '--image=img:1',
      '--',
      'regdoctor',
      'fix',
      'reg.test:5000/app:1',
      '--root',
      '/host',
      '--yes',
    ]);
    expect(plan.commands[0]!.command).toContain("'node/node a'");
    // only a verification-disabling fix: no plan
    expect(fleetFix(g!, report('untrusted-ca', { fixes: [skip] }), { ref: 'r/a:1', image: 'i' })).toBeUndefined();
    expect(
      fleetFix(groupOutcomes([outcomeFromReport('h', report('healthy'), 1)])[0]!, report('healthy'), { ref: 'x/y:1', image: 'i' }),
    ).toBeUndefined();
  });

  it('fleet fix for a trust problem: the CA the healthy nodes trust, taken from one of them, given to regdoctor fix --ca on each failing node', () => {
    const healthy = report('healthy', { applies: '/etc/containerd/certs.d/reg.test:5000/hosts.toml' });
    healthy.checks[0]!.evidence.push(
      'endpoint 1: https://reg.test:5000/v2 [pull,resolve,push] ca=/etc/containerd/certs.d/reg.test:5000/ca.crt — hosts.toml server',
    );
    const bad = report('untrusted-ca', { predicted: X509 });
    const groups = groupOutcomes([
      outcomeFromReport('ok-1', healthy, 1),
      outcomeFromReport('ok-2', healthy, 1),
      outcomeFromReport('bad-1', bad, 1),
    ]);
    const plan = fleetFix(groups[0]!, bad, {
      ref: 'reg.test:5000/app:1',
      image: 'img:1',
      kubectlArgs: ['--context=prod'],
      reference: groups[1],
    })!;
    expect(plan.files).toEqual(['/etc/containerd/certs.d/reg.test:5000/hosts.toml', '/etc/containerd/certs.d/reg.test:5000/ca.crt']);
    expect(plan.prepare[0]!.argv).toEqual([
      'kubectl',
      '--context=prod',
      'debug',
      'node/ok-1',
      '-q',
      '--profile=sysadmin',
      '--image=img:1',
      '--',
      'cat',
      '/host/etc/containerd/certs.d/reg.test:5000/ca.crt',
    ]);
    expect(plan.prepare[0]!.command).toMatch(/ > ca\.crt$/);
    const c = plan.commands[0]!;
    expect(c.node).toBe('bad-1');
    expect(c.argv.slice(0, 5)).toEqual(['kubectl', '--context=prod', 'debug', 'node/bad-1', '-i']);
    expect(c.argv.slice(c.argv.indexOf('regdoctor'))).toEqual([
      'regdoctor',
      'fix',
      'reg.test:5000/app:1',
      '--root',
      '/host',
      '--yes',
      '--ca',
      '/tmp/ca.crt',
      '--restart-cmd',
      'chroot /host systemctl restart containerd',
    ]);
    expect(c.command).toMatch(/ < ca\.crt$/);
  });

  it('fleet fix for nodes that were not restarted: a containerd restart per node, no file changes', () => {
    const r = report('untrusted-ca', { predicted: X509, extraFindings: [{ code: 'config-not-applied', summary: 'changed after start' }] });
    const [g] = groupOutcomes([outcomeFromReport('stale', r, 1)]);
    const plan = fleetFix(g!, r, { ref: 'r/a:1', image: 'i' })!;
    expect(plan.files).toEqual([]);
    expect(plan.commands[0]!.argv.slice(plan.commands[0]!.argv.indexOf('--') + 1)).toEqual([
      'chroot',
      '/host',
      'systemctl',
      'restart',
      'containerd',
    ]);
  });

  it('JUnit: one test case per node (failure for a problem, error when no report came back)', () => {
    const xml = renderNodesJUnit({
      generatedAt: 'now',
      tool: { version: '0' },
      target: 'r/a:1',
      total: 3,
      durationMs: 5,
      groups: [],
      nodes: [
        { node: 'a', state: 'diagnosed', code: 'healthy', summary: 'ok', durationMs: 1 },
        { node: 'b<1>', state: 'diagnosed', code: 'untrusted-ca', summary: 'bad \x1b[31m', predictedRuntimeError: X509, durationMs: 1 },
        { node: 'c', state: 'timeout', code: 'timeout', summary: 'no answer', durationMs: 1 },
      ],
    });
    expect(xml.match(/<testcase /g)?.length).toBe(3);
    expect(xml).toContain('tests="3" failures="1" errors="1"');
    expect(xml).toContain('name="b&lt;1&gt;"');
    expect(xml).not.toContain('\x1b');
  });

  it('Markdown and HTML exports: one section per group, cluster text inert', () => {
    const doc = {
      generatedAt: 'now',
      tool: { version: '0' },
      target: 'r/a:1',
      total: 2,
      durationMs: 5,
      groups: [
        {
          code: 'untrusted-ca',
          title: 't',
          summary: '# not a heading <b>x</b>',
          predictedRuntimeError: X509,
          config: { digest: 'abcd', lines: ['applies: [x](http://evil)'] },
          nodes: ['n<1>'],
          healthy: false,
        },
        { code: 'healthy', title: 't', summary: 'ok', nodes: ['n2'], healthy: true },
      ],
      nodes: [
        { node: 'n<1>', state: 'diagnosed', code: 'untrusted-ca', summary: 's', durationMs: 1 },
        { node: 'n2', state: 'diagnosed', code: 'healthy', summary: 'ok', durationMs: 1 },
      ],
    };
    const md = renderNodesMarkdown(doc);
    expect(md).toContain('## 1 of 2: untrusted-ca');
    expect(md).not.toMatch(/^# not a heading/m);
    expect(md).not.toContain('[x](http://evil)');
    expect(md).toContain('`sha256:abcd`');
    const html = renderNodesHtml(doc);
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).toContain('<code>n&lt;1&gt;</code>');
  });

  it('reads the report out of logs with other lines before it', () => {
    const r = report('healthy');
    expect(reportFromLogs(`warning: something\n${JSON.stringify(r, null, 2)}\n`)?.verdict.code).toBe('healthy');
    expect(reportFromLogs('regdoctor: internal error')).toBeUndefined();
    expect(reportFromLogs('{"schema":"other"}')).toBeUndefined();
  });
});

describe('collection through kubectl against the test API server', () => {
  let server: KubeServer;
  let sim: KubeletSim;
  let dir: string;
  let kubeconfig: string;
  const answers = new Map<string, (pod: KubeObject) => { exitCode: number; logs: string; delayMs?: number } | undefined>();
  const good = '/etc/containerd/certs.d/reg.test:5000/hosts.toml';

  beforeAll(async () => {
    sim = startKubeletSim({
      nodes: {},
      answer: (pod) =>
        (
          answers.get(pod.spec.nodeName) ??
          (() => ({ exitCode: 0, logs: JSON.stringify(report('healthy', { applies: good })), delayMs: 150 }))
        )(pod),
    });
    server = await startKubeServer({
      onPodCreate: (p) => sim.onPodCreate(p),
      onPodDelete: (p) => sim.onPodDelete(p),
      podLogs: (ns, n) => sim.podLogs(ns, n),
    });
    for (let i = 0; i < 10; i++) server.add('nodes', { metadata: { name: `w${i}`, labels: { pool: i < 8 ? 'a' : 'b' } } });
    dir = mkdtempSync(path.join(tmpdir(), 'regdoctor-nodes-test-'));
    kubeconfig = server.writeKubeconfig(dir);
    answers.set('w3', () => ({ exitCode: 1, logs: JSON.stringify(report('untrusted-ca', { predicted: X509 })), delayMs: 100 }));
    answers.set('w5', () => ({ exitCode: 3, logs: 'regdoctor: internal error: boom' }));
  });
  afterAll(async () => {
    await sim?.stop();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    server.forbid.length = 0;
  });

  async function withApi<T>(fn: (api: KubectlNodesApi) => Promise<T>): Promise<T> {
    const api = new KubectlNodesApi({ kubeconfig, env: { ...process.env, KUBECONFIG: undefined } });
    const s = await api.start();
    if (!s.ok) throw new Error(s.message);
    try {
      return await fn(api);
    } finally {
      await api.close();
    }
  }

  it(
    'one pod per selected node, at most --parallel at once, reports grouped, every pod deleted, leftovers removed first',
    { timeout: 60_000 },
    async () => {
      server.add('pods', {
        metadata: {
          name: 'regdoctor-node-old-0',
          namespace: 'default',
          labels: {
            'app.kubernetes.io/managed-by': 'regdoctor',
            'app.kubernetes.io/component': 'node-diagnosis',
            'regdoctor.dev/run': 'old',
          },
        },
      });
      server.add('pods', { metadata: { name: 'unrelated', namespace: 'default', labels: { app: 'web' } } });
      // a pod of another run going on right now (created seconds ago, within its deadline): left alone
      server.add('pods', {
        metadata: {
          name: 'regdoctor-node-busy-0',
          namespace: 'default',
          creationTimestamp: new Date(Date.now() - 5000).toISOString(),
          labels: { 'app.kubernetes.io/managed-by': 'regdoctor', 'regdoctor.dev/run': 'busy' },
        },
        spec: { activeDeadlineSeconds: 130 },
      });
      const startedBefore = sim.started.length;
      const r = await withApi((api) =>
        runNodes({
          api,
          namespace: 'default',
          ref: 'reg.test:5000/app:1',
          image: 'img:1',
          selector: 'pool=a',
          parallel: 3,
          podTimeoutMs: 20_000,
          pollMs: 50,
        }),
      );
      expect(r.leftoversRemoved).toBe(1);
      expect(r.otherRunPods).toBe(1);
      expect(r.total).toBe(8);
      expect(r.peakPods).toBeLessThanOrEqual(3);
      expect(r.peakPods).toBeGreaterThan(1);
      expect(
        sim.started
          .slice(startedBefore)
          .map((s) => s.node)
          .sort(),
      ).toEqual(['w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7']);
      const groups = groupOutcomes(r.outcomes);
      expect(groups.map((g) => [g.code, g.nodes])).toEqual([
        ['pod-failed', ['w5']],
        ['untrusted-ca', ['w3']],
        ['healthy', ['w0', 'w1', 'w2', 'w4', 'w6', 'w7']],
      ]);
      expect(r.outcomes.find((o) => o.node === 'w5')!.summary).toContain('regdoctor: internal error: boom');
      expect(server.objects('pods').map((p) => p.metadata.name)).toEqual(['unrelated', 'regdoctor-node-busy-0']);
      expect(r.cleanup.errors).toEqual([]);
    },
  );

  it('the other run finished: its pod is removed by the next run once past its deadline', { timeout: 30_000 }, async () => {
    const busy = server.objects('pods').find((p) => p.metadata.name === 'regdoctor-node-busy-0')!;
    busy.metadata.creationTimestamp = new Date(Date.now() - 200_000).toISOString();
    const r = await withApi((api) =>
      runNodes({ api, namespace: 'default', ref: 'r/a:1', image: 'i', nodes: ['w0'], parallel: 1, podTimeoutMs: 10_000, pollMs: 50 }),
    );
    expect(r.leftoversRemoved).toBe(1);
    expect(server.objects('pods').map((p) => p.metadata.name)).toEqual(['unrelated']);
  });

  it('--nodes: only those, a missing name is an outcome of its own', { timeout: 30_000 }, async () => {
    const r = await withApi((api) =>
      runNodes({
        api,
        namespace: 'default',
        ref: 'r/a:1',
        image: 'i',
        nodes: ['w8', 'nope'],
        parallel: 2,
        podTimeoutMs: 10_000,
        pollMs: 50,
      }),
    );
    expect(r.outcomes.map((o) => [o.node, o.code]).sort()).toEqual([
      ['nope', 'node-not-found'],
      ['w8', 'healthy'],
    ]);
  });

  it('a pod that never finishes: timeout outcome with its status, and it is deleted', { timeout: 30_000 }, async () => {
    answers.set('w9', () => undefined);
    try {
      const r = await withApi((api) =>
        runNodes({ api, namespace: 'default', ref: 'r/a:1', image: 'i', nodes: ['w9'], parallel: 1, podTimeoutMs: 1500, pollMs: 100 }),
      );
      expect(r.outcomes[0]).toMatchObject({ node: 'w9', state: 'timeout', code: 'timeout' });
      expect(r.outcomes[0]!.summary).toContain('did not finish within 1500 ms');
      expect(server.objects('pods').filter((p) => p.metadata.labels?.['app.kubernetes.io/managed-by'] === 'regdoctor')).toEqual([]);
    } finally {
      answers.delete('w9');
    }
  });

  it('cancelled mid-run: no new pods, every pod deleted', { timeout: 30_000 }, async () => {
    const ctrl = new AbortController();
    answers.set('w9', () => undefined);
    try {
      const r = await withApi((api) =>
        runNodes({
          api,
          namespace: 'default',
          ref: 'r/a:1',
          image: 'i',
          parallel: 2,
          podTimeoutMs: 20_000,
          pollMs: 50,
          signal: ctrl.signal,
          onProgress: (p) => p.done === 2 && ctrl.abort(),
        }),
      );
      expect(r.cancelled).toBe(true);
      expect(r.outcomes.length).toBeLessThan(10);
      expect(server.objects('pods').filter((p) => p.metadata.labels?.['app.kubernetes.io/managed-by'] === 'regdoctor')).toEqual([]);
    } finally {
      answers.delete('w9');
    }
  });

  it('RBAC: pods cannot be created → an outcome per node naming the permission, nothing left', { timeout: 30_000 }, async () => {
    server.forbid.push({ verb: 'create', resource: 'pods' });
    const r = await withApi((api) =>
      runNodes({ api, namespace: 'default', ref: 'r/a:1', image: 'i', nodes: ['w0'], parallel: 1, podTimeoutMs: 5000, pollMs: 50 }),
    );
    expect(r.outcomes[0]!.code).toBe('pod-create-failed');
    expect(r.outcomes[0]!.summary).toMatch(/forbids "create" on "pods" in namespace "default"/);
    expect(server.objects('pods').filter((p) => p.metadata.labels?.['app.kubernetes.io/managed-by'] === 'regdoctor')).toEqual([]);
  });

  it(
    'the CLI: text matrix, exit 1 for problems, --json regdoctor/nodes@1, owner selector in the API calls',
    { timeout: 60_000 },
    async () => {
      const t = await runInProcess(['nodes', 'reg.test:5000/app:1', '--kubeconfig', kubeconfig, '--selector', 'pool=a', '--parallel', '4']);
      expect(t.code, t.stderr).toBe(1);
      expect(t.stdout).toContain('1 of 8 nodes: untrusted-ca');
      expect(t.stdout).toContain('6 of 8 nodes: healthy');
      expect(t.stderr).toMatch(/\[8\/8\]/);
      const j = await runInProcess(['nodes', 'reg.test:5000/app:1', '--kubeconfig', kubeconfig, '--nodes', 'w0,w1', '--json']);
      expect(j.code, j.stderr).toBe(0);
      const doc = JSON.parse(j.stdout);
      expect(doc).toMatchObject({ schema: 'regdoctor/nodes@1', total: 2, groups: [{ code: 'healthy', count: 2, nodes: ['w0', 'w1'] }] });
      expect(server.requests.some((q) => q.query.labelSelector === OWNER_SELECTOR)).toBe(true);
      // nodes not listable (RBAC): exit 1 with the permission named; the cluster answered
      server.forbid.push({ verb: 'list', resource: 'nodes' });
      const f = await runInProcess(['nodes', 'reg.test:5000/app:1', '--kubeconfig', kubeconfig]);
      expect(f.code).toBe(1);
      expect(f.stdout).toMatch(/cannot list nodes: .*"list" on "nodes"/);
      server.forbid.length = 0;
      const u = await runInProcess(['nodes', 'reg.test:5000/app:1', '--parallel', '0']);
      expect(u.code).toBe(2);
    },
  );
});
