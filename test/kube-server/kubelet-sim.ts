// A simulated kubelet for the test API server: a pod created with spec.nodeName = K is run inside lab node K — a
// private network/mount/PID namespace with its own real containerd and /etc/containerd — in a fresh mount namespace
// whose root is a tmpfs holding bind mounts of the node's top-level directories (a minimal container root), with
// the pod's hostPath volumes bind-mounted at their mountPaths (read-only where declared). The container's stdout is
// served as the pod's logs, and the pod goes Running → Succeeded/Failed with the exit code, like a kubelet reports it.
// Nodes without a lab answer through `answer` (the scale bench: no process is run at all).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from './server.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SOURCE_CLI = fileURLToPath(new URL('./regdoctor-src.ts', import.meta.url));
/** Where the project is bind-mounted inside every simulated container root: the checkout may live anywhere (under
 *  /tmp too, which a pod's emptyDir at /tmp would hide), the image's `regdoctor` must always be found. */
const SIM_REPO = '/.regdoctor-sim/repo';
const SIM_CLI = path.posix.join(SIM_REPO, path.relative(REPO_ROOT, SOURCE_CLI).split(path.sep).join('/'));

export interface SimNode {
  /** PID whose namespaces are the node's (Lab.pid). */
  pid: number;
  /** Scratch directory on the machine for the pods' roots (e.g. inside the lab's base directory). */
  scratch: string;
}

export interface KubeletSimOptions {
  nodes: Record<string, SimNode>;
  /** Nodes without a lab: the pod's outcome without running anything (delayMs later). */
  answer?: (pod: KubeObject) => { exitCode: number; logs: string; delayMs?: number } | undefined;
  /** Extra environment for the container. */
  env?: Record<string, string>;
}

export interface KubeletSim {
  onPodCreate(pod: KubeObject): void;
  onPodDelete(pod: KubeObject): void;
  podLogs(namespace: string, name: string): string | undefined;
  /** Pods started so far (node name per pod). */
  started: { pod: string; node: string }[];
  /** Processes still running. */
  running(): number;
  /** Kills everything still running. */
  stop(): Promise<void>;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The shell script that builds the container root and runs the command in it (run inside the node's namespaces). */
export function containerScript(
  root: string,
  mounts: { source: string; target: string; readOnly: boolean; type: string }[],
  cwd: string,
  shim?: string,
): string {
  const lines = [
    'set -e',
    `R=${q(root)}`,
    'mount -t tmpfs regdoctor-pod "$R"',
    // the node's top-level directories (its /usr, /etc, /proc …) and symlinks such as /bin -> usr/bin
    'for e in /*; do n=${e#/}; if [ -L "$e" ]; then ln -s "$(readlink "$e")" "$R/$n"; elif [ -d "$e" ]; then mkdir "$R/$n"; mount --rbind "$e" "$R/$n"; fi; done',
  ];
  // the project's checkout at a fixed path inside the container root (see SIM_REPO)
  lines.push(`mkdir -p "$R"${q(SIM_REPO)}`, `mount --rbind ${q(REPO_ROOT)} "$R"${q(SIM_REPO)}`);
  // the image's `regdoctor` on PATH (first): the project's CLI from the sources
  if (shim)
    lines.push(
      'mkdir -p "$R/.regdoctor-sim/bin"',
      `printf '%s\\n' ${q(shim)} > "$R/.regdoctor-sim/bin/regdoctor"`,
      'chmod 755 "$R/.regdoctor-sim/bin/regdoctor"',
    );
  for (const m of mounts) {
    const t = `"$R"${q(m.target)}`;
    if (m.type === 'emptyDir') {
      lines.push(`mkdir -p ${t}`, `mount -t tmpfs regdoctor-emptydir ${t}`);
      continue;
    }
    // hostPath type "" / DirectoryOrCreate on a missing path: a real kubelet would create it on the node; the
    // simulation gives the container an empty directory instead and leaves the node untouched.
    lines.push(
      `if [ -e ${q(m.source)} ]; then`,
      `  if [ -d ${q(m.source)} ]; then mkdir -p ${t}; else mkdir -p "$(dirname ${t})"; : > ${t}; fi`,
      `  mount --rbind ${q(m.source)} ${t}`,
      m.readOnly ? `  mount -o remount,bind,ro ${t}` : '  :',
      `elif [ ${q(m.type)} = Directory ] || [ ${q(m.type)} = File ] || [ ${q(m.type)} = Socket ]; then`,
      `  echo "MountVolume.SetUp failed: hostPath type check failed: ${m.source} is not a ${m.type}" >&2; exit 125`,
      `else mkdir -p ${t}; fi`,
    );
  }
  lines.push(`cd "$R"${q(cwd)}`, `exec chroot "$R" sh -c 'cd "$1"; shift; exec "$@"' pod ${q(cwd)} "$@"`);
  return lines.join('\n');
}

export function startKubeletSim(o: KubeletSimOptions): KubeletSim {
  const logs = new Map<string, string>();
  const procs = new Map<string, ChildProcess>();
  const started: { pod: string; node: string }[] = [];
  const key = (ns: string, name: string) => `${ns}/${name}`;

  const finish = (pod: KubeObject, exitCode: number, out: string, err?: string) => {
    logs.set(key(pod.metadata.namespace, pod.metadata.name), out);
    const reason = exitCode === 0 ? 'Completed' : 'Error';
    pod.status = {
      phase: exitCode === 0 ? 'Succeeded' : 'Failed',
      containerStatuses: [
        {
          name: pod.spec?.containers?.[0]?.name ?? 'main',
          ready: false,
          restartCount: 0,
          state: { terminated: { exitCode, reason, ...(err ? { message: err.slice(-2000) } : {}) } },
        },
      ],
    };
  };

  return {
    started,
    running: () => procs.size,
    podLogs: (ns, name) => logs.get(key(ns, name)),
    onPodCreate(pod) {
      const nodeName: string | undefined = pod.spec?.nodeName;
      if (!nodeName) return; // unscheduled: stays Pending
      started.push({ pod: pod.metadata.name, node: nodeName });
      const node = o.nodes[nodeName];
      if (!node) {
        const a = o.answer?.(pod);
        if (!a) return;
        pod.status = { phase: 'Running' };
        setTimeout(() => finish(pod, a.exitCode, a.logs), a.delayMs ?? 0);
        return;
      }
      const c = pod.spec.containers[0];
      const volumes = new Map<string, KubeObject>((pod.spec.volumes ?? []).map((v: KubeObject) => [v.name, v]));
      const mounts = (c.volumeMounts ?? []).map((m: KubeObject) => {
        const v = volumes.get(m.name);
        if (v?.emptyDir) return { source: '', target: m.mountPath as string, readOnly: false, type: 'emptyDir' };
        if (!v?.hostPath) throw new Error(`simulated kubelet: volume ${m.name} is not a hostPath`);
        return {
          source: v.hostPath.path as string,
          target: m.mountPath as string,
          readOnly: Boolean(m.readOnly),
          type: String(v.hostPath.type ?? ''),
        };
      });
      const cmd: string[] = [...(c.command ?? []), ...(c.args ?? [])];
      // the container image's `regdoctor` is the project's CLI, run from the sources
      if (cmd[0] === 'regdoctor') cmd.splice(0, 1, process.execPath, '--import', 'tsx', SIM_CLI);
      const root = path.join(node.scratch, `pod-${pod.metadata.name}`);
      mkdirSync(root, { recursive: true });
      const shim = `#!/bin/sh\ncd ${q(SIM_REPO)} && exec ${q(process.execPath)} --import tsx ${q(SIM_CLI)} "$@"`;
      const script = containerScript(root, mounts, SIM_REPO, shim);
      const podEnv = Object.fromEntries(
        (c.env ?? []).filter((e: KubeObject) => typeof e.value === 'string').map((e: KubeObject) => [e.name, e.value]),
      );
      const child = spawn(
        'nsenter',
        [
          '-t',
          String(node.pid),
          '-n',
          '-m',
          '-p',
          '--',
          'unshare',
          '-m',
          '--propagation',
          'private',
          '--',
          'sh',
          '-c',
          script,
          'pod',
          ...cmd,
        ],
        {
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { PATH: `/.regdoctor-sim/bin:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: '/root', NO_COLOR: '1', ...podEnv, ...o.env },
        },
      );
      procs.set(key(pod.metadata.namespace, pod.metadata.name), child);
      pod.status = {
        phase: 'Running',
        containerStatuses: [{ name: c.name, ready: true, restartCount: 0, state: { running: { startedAt: new Date().toISOString() } } }],
      };
      let out = '';
      let err = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (err += d));
      child.on('close', (code, sig) => {
        procs.delete(key(pod.metadata.namespace, pod.metadata.name));
        rmSync(root, { recursive: true, force: true });
        if (process.env.KUBELET_SIM_DEBUG)
          writeFileSync(path.join(process.env.KUBELET_SIM_DEBUG, `${nodeName}-${pod.metadata.name}.log`), `${out}\n--- stderr\n${err}`);
        finish(pod, code ?? (sig ? 137 : 1), out, err);
      });
    },
    onPodDelete(pod) {
      const k = key(pod.metadata.namespace, pod.metadata.name);
      logs.delete(k);
      const child = procs.get(k);
      if (child?.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    },
    async stop() {
      for (const child of procs.values()) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // gone
        }
      }
      const deadline = Date.now() + 5000;
      while (procs.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    },
  };
}
