// `regdoctor nodes`: the pods it creates. One short-lived pod per node, bound with spec.nodeName (no scheduler, no
// DaemonSet controller needed), tolerating every taint (like kubelet-level DaemonSets), on the host network and PID
// namespace (the node's DNS, /etc/hosts and containerd process as kubelet sees them), with the node's configuration
// mounted read-only under /host, running `regdoctor diagnose <ref> --root /host --runtime-endpoint unix:///host/… --json`.
import { posix } from 'node:path';

/** Labels on everything regdoctor nodes creates: cleanup selects by them (also leftovers of an interrupted run). */
export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const COMPONENT = 'app.kubernetes.io/component';
export const RUN_LABEL = 'regdoctor.dev/run';
export const NODE_LABEL = 'regdoctor.dev/node';
/** Every pod regdoctor nodes creates (diagnosis and fix pods, any run). */
export const OWNER_SELECTOR = `${MANAGED_BY}=regdoctor,${RUN_LABEL}`;

export const DEFAULT_IMAGE = 'ghcr.io/regdoctor/regdoctor:0.1.0';
export const DEFAULT_ENDPOINT = 'unix:///run/containerd/containerd.sock';

/** Host paths mounted read-only under /host. Only directories present on every node are mounted, so a mount never
 *  makes kubelet create anything on the node (hostPath with a missing path would). */
export const HOST_MOUNTS: { name: string; path: string; type: string; why: string }[] = [
  {
    name: 'etc',
    path: '/etc',
    type: 'Directory',
    why: 'containerd/CRI-O/Docker configuration, certs.d, CA bundles, /etc/hosts, resolv.conf',
  },
  { name: 'kubelet', path: '/var/lib/kubelet', type: '', why: "kubelet's registry credentials (config.json, .dockercfg)" },
  { name: 'root-home', path: '/root', type: '', why: "kubelet's $HOME/.docker/config.json" },
  { name: 'proc', path: '/proc', type: 'Directory', why: 'the runtime process: start time (config changed since?) and proxy environment' },
];

export interface NodePodPlan {
  ref: string;
  node: string;
  runId: string;
  namespace: string;
  image: string;
  /** The node's CRI endpoint (unix://…), mounted by its directory. */
  runtimeEndpoint?: string;
  /** Extra diagnose flags (e.g. --no-pull, --timeout). */
  extraArgs?: string[];
  /** Seconds the pod may run (activeDeadlineSeconds). */
  deadlineSeconds?: number;
}

/** A DNS-1123 pod name from the run id and the node's index (node names can be 253 characters). */
export function podName(runId: string, index: number): string {
  return `regdoctor-node-${runId}-${index}`;
}

/** A label value (63 characters, alphanumerics, -_.) from a node name; long names are cut and suffixed. */
export function labelValue(s: string): string {
  const clean = s.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[^A-Za-z0-9]+|(?<![^A-Za-z0-9])[^A-Za-z0-9]+$/g, '');
  return clean.length <= 63 ? clean : `${clean.slice(0, 54).replace(/(?<![^A-Za-z0-9])[^A-Za-z0-9]+$/, '')}-${fnv(s)}`;
}

function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** The socket path of a unix:// endpoint. */
export function socketPath(endpoint: string): string {
  const m = endpoint.match(/^unix:\/\/(\/.+)$/);
  if (!m) throw new Error(`runtime endpoint ${endpoint}: only unix:///path endpoints can be mounted`);
  return posix.normalize(m[1]!);
}

export function planNodePod(p: NodePodPlan, index: number): Record<string, unknown> {
  const sock = socketPath(p.runtimeEndpoint ?? DEFAULT_ENDPOINT);
  const sockDir = posix.dirname(sock);
  const mounts = [
    ...HOST_MOUNTS.map((m) => ({ name: m.name, path: m.path, type: m.type })),
    { name: 'cri-socket-dir', path: sockDir, type: 'Directory' },
  ];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: podName(p.runId, index),
      namespace: p.namespace,
      labels: { [MANAGED_BY]: 'regdoctor', [COMPONENT]: 'node-diagnosis', [RUN_LABEL]: p.runId, [NODE_LABEL]: labelValue(p.node) },
      annotations: { 'regdoctor.dev/node-name': p.node, 'regdoctor.dev/image-ref': p.ref },
    },
    spec: {
      nodeName: p.node,
      restartPolicy: 'Never',
      hostNetwork: true,
      hostPID: true,
      // the node's own resolv.conf, as containerd resolves registry names (not the cluster DNS)
      dnsPolicy: 'Default',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 1,
      activeDeadlineSeconds: p.deadlineSeconds ?? 120,
      // every taint, every effect: the pod must run where the failing pulls happen (NoSchedule, NoExecute, unready …)
      tolerations: [{ operator: 'Exists' }],
      containers: [
        {
          name: 'diagnose',
          image: p.image,
          imagePullPolicy: 'IfNotPresent',
          command: ['regdoctor'],
          args: ['diagnose', p.ref, '--root', '/host', '--runtime-endpoint', `unix:///host${sock}`, '--json', ...(p.extraArgs ?? [])],
          env: [{ name: 'NO_COLOR', value: '1' }],
          resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '256Mi' } },
          securityContext: {
            runAsUser: 0,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'], add: ['DAC_READ_SEARCH'] },
          },
          volumeMounts: mounts.map((m) => ({ name: m.name, mountPath: posix.join('/host', m.path), readOnly: true })),
        },
      ],
      volumes: mounts.map((m) => ({ name: m.name, hostPath: { path: m.path, type: m.type } })),
    },
  };
}
