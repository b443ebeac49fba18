// `regdoctor nodes` end to end: four lab nodes — each a private mount and PID namespace with its own real containerd
// and /etc/containerd, on one network with one registry whose CA is not in any system bundle — behind the test API
// server acting as control plane and (through the simulated kubelet) as the nodes' kubelet. The real kubectl talks
// to it; each diagnosis pod runs the regdoctor CLI inside its node with the declared hostPath volumes mounted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Lab, labMode, REPO_ROOT } from '../lab/lab.js';
import { startKubeServer, type KubeServer } from '../kube-server/server.js';
import { startKubeletSim, type KubeletSim } from '../kube-server/kubelet-sim.js';

const mode = labMode();
const CLI = path.join(REPO_ROOT, 'test/kube-server/regdoctor-src.ts');
let labs: Record<string, Lab> = {};
let server: KubeServer;
let sim: KubeletSim;
let dir: string;
let kubeconfig: string;

function runNodes(
  args: string[],
  o: { onSpawn?: (kill: (sig: NodeJS.Signals) => void) => void } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, NO_COLOR: '1', CI: '1', KUBECONFIG: '' };
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'nodes', ...args, '--kubeconfig', kubeconfig], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    const t = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
    o.onSpawn?.((sig) => child.kill(sig));
  });
}

describe.skipIf(!mode.run)(`regdoctor nodes against four lab nodes${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  beforeAll(async () => {
    // node-a holds the registry (a server certificate from the lab CA, which no system bundle trusts) and trusts the CA
    const a = await Lab.start({ registries: [{ kind: 'healthy', trustCa: true }], pidNamespace: true });
    labs = { 'node-a': a };
    const reg = a.registries[0]!;
    const [b, c, d] = await Promise.all([
      Lab.start({ registries: [], network: a, pidNamespace: true }),
      Lab.start({ registries: [], network: a, pidNamespace: true }),
      // started without config_path: containerd reads no certs.d at all
      Lab.start({ registries: [], network: a, pidNamespace: true, legacy: true }),
    ]);
    labs['node-b'] = b;
    labs['node-c'] = c;
    labs['node-d'] = d;
    // node-b: the CA installed correctly
    await b.trustLabCa(reg);
    // node-c: hosts.toml + CA in certs.d/<host>/ — containerd looks in certs.d/<host>:5000/ for a reference with a port
    const wrong = c.hostPath(`/etc/containerd/certs.d/${reg.host}`);
    await mkdir(wrong, { recursive: true });
    await writeFile(path.join(wrong, 'ca.crt'), a.pki.root.certPem);
    await writeFile(
      path.join(wrong, 'hosts.toml'),
      `server = "https://${reg.hostPort}"\n\n[host."https://${reg.hostPort}"]\n  ca = "ca.crt"\n`,
    );
    // node-d: the CA and config_path added to config.toml after containerd started, containerd not restarted
    await d.trustLabCa(reg);
    await new Promise((r) => setTimeout(r, 1500));
    const cfg = d.hostPath('/etc/containerd/config.toml');
    const text = await readFile(cfg, 'utf8');
    await writeFile(
      cfg,
      text.replace(
        '[plugins."io.containerd.grpc.v1.cri".registry]',
        '[plugins."io.containerd.grpc.v1.cri".registry]\n    config_path = "/etc/containerd/certs.d"',
      ),
    );

    sim = startKubeletSim({ nodes: Object.fromEntries(Object.entries(labs).map(([n, l]) => [n, { pid: l.pid, scratch: l.base }])) });
    server = await startKubeServer({
      onPodCreate: (p) => sim.onPodCreate(p),
      onPodDelete: (p) => sim.onPodDelete(p),
      podLogs: (ns, n) => sim.podLogs(ns, n),
    });
    for (const name of Object.keys(labs))
      server.add('nodes', {
        metadata: { name, labels: { pool: 'lab' } },
        spec: name === 'node-d' ? { taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] } : {},
      });
    server.add('nodes', { metadata: { name: 'other-pool', labels: { pool: 'gpu' } } });
    dir = mkdtempSync(path.join(tmpdir(), 'regdoctor-nodes-e2e-'));
    kubeconfig = server.writeKubeconfig(dir);
  }, 120_000);

  afterAll(async () => {
    await sim?.stop();
    await server?.close();
    await Promise.all(Object.values(labs).map((l) => l.stop()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('matrix: two healthy nodes, the wrong certs.d directory and the stale config as groups of their own; nothing left behind', async () => {
    // a pod left by an earlier interrupted run
    server.add('pods', {
      metadata: {
        name: 'regdoctor-node-dead0000-0',
        namespace: 'default',
        labels: {
          'app.kubernetes.io/managed-by': 'regdoctor',
          'app.kubernetes.io/component': 'node-diagnosis',
          'regdoctor.dev/run': 'dead0000',
        },
      },
      spec: {},
      status: { phase: 'Running' },
    });
    const image = labs['node-a']!.registries[0]!.image;
    const r = await runNodes([image, '--selector', 'pool=lab', '--parallel', '4', '--json', '--timeout', '60000']);
    const doc = JSON.parse(r.stdout);
    expect(doc.schema).toBe('regdoctor/nodes@1');
    expect(doc.leftoversRemoved).toBe(1);
    expect(doc.total).toBe(4);
    const byNode = Object.fromEntries(doc.nodes.map((n: { node: string; code: string }) => [n.node, n.code]));
    expect(byNode, r.stderr + JSON.stringify(doc.nodes, null, 1)).toEqual({
      'node-a': 'healthy',
      'node-b': 'healthy',
      // issue 13 item 1: the hosts.toml in certs.d/<host>/ is the cause, x509 the symptom
      'node-c': 'config-ignored',
      'node-d': 'config-not-applied',
    });
    expect(doc.groups.map((g: { code: string; nodes: string[] }) => [g.code, g.nodes])).toEqual([
      ['config-ignored', ['node-c']],
      ['config-not-applied', ['node-d']],
      ['healthy', ['node-a', 'node-b']],
    ]);
    // node-c's effective registry configuration differs from the healthy nodes' (no certs.d entry for host:port);
    // node-d has the healthy nodes' files on disk — same configuration, different outcome: it was not restarted
    const [wrongDir, stale, healthy] = doc.groups;
    expect(wrongDir.config.digest).not.toBe(healthy.config.digest);
    expect(wrongDir.config.lines.join('\n')).toContain(`no directory for ${labs['node-a']!.registries[0]!.hostPort}`);
    expect(stale.config.digest).toBe(healthy.config.digest);
    // issue 13 item 10: the pull modelled as containerd runs vs the file on disk — only the restart is missing
    expect(stale.summary).toMatch(
      /only the restart is missing|config_path: file "\/etc\/containerd\/certs.d" vs loaded ""|changed at .* after containerd started/,
    );
    expect(wrongDir.predictedRuntimeError).toContain('x509: certificate signed by unknown authority');
    expect(r.code).toBe(1);
    // each pod ran on its own node, and nothing is left in the API server
    expect(new Set(sim.started.map((s) => s.node))).toEqual(new Set(Object.keys(labs)));
    expect(server.objects('pods')).toEqual([]);
    expect(sim.running()).toBe(0);
    // the pods were created with the read-only host mounts and deleted
    expect(server.requests.filter((q) => q.method === 'POST').length).toBe(4);
  }, 90_000);

  it('text: the matrix with what sets the odd ones out apart, and a fix plan per failing node', async () => {
    const image = labs['node-a']!.registries[0]!.image;
    const r = await runNodes([image, '--nodes', 'node-a,node-b,node-c', '--parallel', '3', '--no-pull']);
    expect(r.code, r.stderr).toBe(1);
    const reg = labs['node-a']!.registries[0]!;
    const flat = r.stdout.replace(/\s+/g, ' ');
    expect(flat).toContain('1 of 3 nodes: config-ignored');
    expect(flat).toContain(`- applies: /etc/containerd/certs.d/${reg.hostPort}/hosts.toml (the 2 healthy have this)`);
    expect(flat).toContain(`default (no directory for ${reg.hostPort} under /etc/containerd/certs.d)`);
    expect(flat).toContain('2 of 3 nodes: healthy');
    // the fleet plan: the CA the healthy nodes trust, from one of them, into regdoctor's journaled fix on node-c
    expect(flat).toMatch(
      new RegExp(
        `debug node/node-a -q --profile=sysadmin --image=\\S+ -- cat '?/host/etc/containerd/certs.d/${reg.hostPort}/ca.crt'? > ca.crt`,
      ),
    );
    expect(flat).toMatch(
      /debug node\/node-c -i -q --profile=sysadmin .* regdoctor fix \S+ --root \/host --yes --ca \/tmp\/ca.crt .* < ca.crt/,
    );
    expect(r.stderr).toMatch(/\[3\/3\]/);
    expect(server.objects('pods')).toEqual([]);
  }, 90_000);

  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s mid-run (Ctrl-C, kill): exit 130 and every pod deleted',
    async (sig) => {
      const image = labs['node-a']!.registries[0]!.image;
      const before = sim.started.length;
      const r = await runNodes([image, '--selector', 'pool=lab', '--parallel', '2', '--timeout', '60000'], {
        onSpawn: (kill) => {
          const t = setInterval(() => {
            if (sim.started.length >= before + 2 && server.objects('pods').length > 0) {
              clearInterval(t);
              kill(sig);
            }
          }, 50);
        },
      });
      expect(r.code, r.stderr).toBe(130);
      expect(sim.started.length - before).toBeLessThan(4);
      expect(server.objects('pods')).toEqual([]);
      await new Promise((res) => setTimeout(res, 300));
      expect(sim.running()).toBe(0);
    },
    90_000,
  );

  it('--yes: the plan applied on node-c (CA read from node-a, regdoctor fix journaled there), node-c then pulls', async () => {
    const image = labs['node-a']!.registries[0]!.image;
    const r = await runNodes([image, '--nodes', 'node-a,node-b,node-c', '--no-pull', '--yes']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const journal = r.stdout.match(/node-c: journal (\S+)/)?.[1];
    expect(journal, r.stdout + r.stderr).toBeTruthy();
    // the journal is on node-c, where `regdoctor rollback <id> --root /host` finds it
    const j = JSON.parse(await readFile(labs['node-c']!.hostPath(`/var/lib/regdoctor/journal/${journal}.json`), 'utf8'));
    expect(j.id).toBe(journal);
    // node-a and node-b untouched; nothing left in the API server
    await expect(readFile(labs['node-a']!.hostPath('/var/lib/regdoctor/journal'), 'utf8')).rejects.toThrow();
    expect(server.objects('pods')).toEqual([]);
    // node-c's real containerd now pulls (the diagnosis pod's CRI pull)
    const again = await runNodes([image, '--nodes', 'node-c', '--json']);
    const doc = JSON.parse(again.stdout);
    expect(doc.nodes[0].code, again.stdout).toBe('healthy');
    expect(again.code).toBe(0);
  }, 120_000);
});
