// `regdoctor nodes --yes`: applies the fleet fix plan (nodes-matrix.ts fleetFix) through pods like the ones
// `kubectl debug node/…` creates — bound to the node, host PID/network, the node's root at /host, privileged (to
// write the node's files and restart its runtime) — one node at a time per group, each running regdoctor's own
// journaled fix; the journal id each node prints is reported so `rollback` works per node. The CA the healthy nodes
// trust is read first from one of them (a read-only pod) and handed to each fix pod in its environment.
import type { NodesApi } from './nodes-api.js';
import { COMPONENT, MANAGED_BY, NODE_LABEL, RUN_LABEL, labelValue } from './nodes-plan.js';
import { runPodToEnd, removeOwnedPods } from './nodes-run.js';
import type { FleetFix } from './nodes-matrix.js';

export interface NodeFixResult {
  node: string;
  ok: boolean;
  /** The fix's journal on that node (`regdoctor rollback <id> --root /host --state-dir /host/var/lib/regdoctor`). */
  journal?: string;
  message: string;
}

export function planFixPod(o: {
  node: string;
  runId: string;
  index: number;
  namespace: string;
  image: string;
  command: string[];
  env?: Record<string, string>;
  writable: boolean;
}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `regdoctor-fix-${o.runId}-${o.index}`,
      namespace: o.namespace,
      labels: { [MANAGED_BY]: 'regdoctor', [COMPONENT]: 'node-fix', [RUN_LABEL]: o.runId, [NODE_LABEL]: labelValue(o.node) },
      annotations: { 'regdoctor.dev/node-name': o.node },
    },
    spec: {
      nodeName: o.node,
      restartPolicy: 'Never',
      hostNetwork: true,
      hostPID: true,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 1,
      activeDeadlineSeconds: 300,
      tolerations: [{ operator: 'Exists' }],
      containers: [
        {
          name: 'diagnose',
          image: o.image,
          imagePullPolicy: 'IfNotPresent',
          command: o.command,
          env: [{ name: 'NO_COLOR', value: '1' }, ...Object.entries(o.env ?? {}).map(([name, value]) => ({ name, value }))],
          securityContext: o.writable
            ? { privileged: true, runAsUser: 0 }
            : {
                runAsUser: 0,
                readOnlyRootFilesystem: true,
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'], add: ['DAC_READ_SEARCH'] },
              },
          volumeMounts: [
            o.writable ? { name: 'host-root', mountPath: '/host' } : { name: 'host-etc', mountPath: '/host/etc', readOnly: true },
            { name: 'tmp', mountPath: '/tmp' },
          ],
        },
      ],
      volumes: [
        o.writable
          ? { name: 'host-root', hostPath: { path: '/', type: 'Directory' } }
          : { name: 'host-etc', hostPath: { path: '/etc', type: 'Directory' } },
        { name: 'tmp', emptyDir: {} },
      ],
    },
  };
}

const PEM = /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n?$/;

/** Runs the plan of each fix; returns one result per node. Pods are deleted after each node (and by label at the end). */
export async function applyFleetFixes(o: {
  api: NodesApi;
  namespace: string;
  image: string;
  runId: string;
  fixes: FleetFix[];
  timeoutMs: number;
  signal?: AbortSignal;
  onResult?: (r: NodeFixResult) => void;
}): Promise<NodeFixResult[]> {
  const results: NodeFixResult[] = [];
  let index = 0;
  const push = (r: NodeFixResult) => {
    results.push(r);
    o.onResult?.(r);
  };
  try {
    for (const fix of o.fixes) {
      let env: Record<string, string> | undefined;
      if (fix.prepare.length) {
        // the CA file of a healthy node: `cat /host/<path>` in a read-only pod on it
        const p = fix.prepare[0]!;
        const donor = p.argv[p.argv.indexOf('debug') + 1]!.replace(/^node\//, '');
        const cat = p.argv.slice(p.argv.indexOf('--') + 1);
        const r = await runPodToEnd(
          o.api,
          o.namespace,
          planFixPod({
            node: donor,
            runId: o.runId,
            index: index++,
            namespace: o.namespace,
            image: o.image,
            command: cat,
            writable: false,
          }),
          o.timeoutMs,
          o.signal,
        );
        const pem = r.ok ? r.logs.replace(/\r\n/g, '\n').trim() + '\n' : '';
        if (!r.ok || r.exitCode !== 0 || !PEM.test(pem.replace(/\n(?=-----BEGIN)/g, '\n'))) {
          for (const node of fix.nodes)
            push({
              node,
              ok: false,
              message: `the CA could not be read from ${donor}: ${r.ok ? `exit ${r.exitCode}: ${r.logs.trim().split('\n').slice(-1)[0] ?? ''}` : r.message}`,
            });
          continue;
        }
        env = { REGDOCTOR_CA: pem };
      }
      for (const c of fix.commands) {
        if (o.signal?.aborted) return results;
        let command = c.argv.slice(c.argv.indexOf('--') + 1);
        // the CA goes from the environment into the pod's own /tmp (an emptyDir), not onto the node
        if (env)
          command = [
            'sh',
            '-c',
            'printf "%s" "$REGDOCTOR_CA" > /tmp/ca.crt && exec "$@"',
            ...command.slice(command.indexOf('regdoctor-fix')),
          ];
        const r = await runPodToEnd(
          o.api,
          o.namespace,
          planFixPod({
            node: c.node,
            runId: o.runId,
            index: index++,
            namespace: o.namespace,
            image: o.image,
            command,
            env,
            writable: true,
          }),
          o.timeoutMs,
          o.signal,
        );
        if (!r.ok) {
          push({ node: c.node, ok: false, message: r.message });
          continue;
        }
        const journal = r.logs.match(/Applied \(journal ([\w.:-]+)\)/)?.[1];
        const last = r.logs.trim().split('\n').filter(Boolean).slice(-1)[0] ?? '';
        push({ node: c.node, ok: r.exitCode === 0, journal, message: r.exitCode === 0 ? last : `exit ${r.exitCode}: ${last}` });
      }
    }
    return results;
  } finally {
    await removeOwnedPods(o.api, o.namespace, o.runId);
  }
}
