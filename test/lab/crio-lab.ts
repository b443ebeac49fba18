// The CRI-O lab: Debian's podman (the containers/image library CRI-O pulls with) in a private network + mount
// namespace with its own /etc/containers, /etc/docker, /var/lib/containers, /run/containers, /root and /etc/hosts,
// plus real docker-registry instances with TLS faults. A placeholder /run/crio/crio.sock makes regdoctor see a
// CRI-O node. Nothing on the machine is touched.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile, readFile } from 'node:fs/promises';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createCA, issueCert, selfSigned, type IssuedCert } from '../../src/x509/build.js';
import { writeRegistryConfig } from './registry-config.js';
import { labPrerequisites, LabUnavailable, PASSWORD, REPO_ROOT, USER } from './lab.js';

export type CrioRegistryKind = 'healthy' | 'self-signed' | 'private-ca' | 'plain-http' | 'mtls' | 'basic-auth';

export interface CrioLabRegistry {
  kind: CrioRegistryKind;
  host: string;
  ip: string;
  port: number;
  hostPort: string;
  image: string;
  leaf?: IssuedCert;
}

/** Why the CRI-O lab cannot run here (the containerd lab's prerequisites plus podman). */
export function crioLabPrerequisites(): string | undefined {
  const why = labPrerequisites();
  if (why) return why;
  if (spawnSync('sh', ['-c', 'command -v podman']).status !== 0) return 'podman is not installed (run scripts/setup-machine.sh)';
  return undefined;
}

export function crioLabMode(): { run: boolean; reason?: string } {
  const why = crioLabPrerequisites();
  if (!why) return { run: true };
  if (process.env.CI === 'true' || process.env.CI === '1') return { run: true, reason: why };
  return { run: false, reason: why };
}

export interface PodmanResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** podman's error without its "Error: " prefix (the last such line), or undefined when it succeeded. */
  error?: string;
}

/** The base /etc/containers/registries.conf of the lab: nothing but an empty search list. */
export const BASE_REGISTRIES_CONF = 'unqualified-search-registries = []\n';

export class CrioLab {
  readonly registries: CrioLabRegistry[] = [];
  private holder?: ChildProcess;
  private children: ChildProcess[] = [];
  pki!: { root: IssuedCert; inter: IssuedCert; clientCa: IssuedCert; client: IssuedCert; privateRoot: IssuedCert };

  private constructor(readonly base: string) {}

  get pid(): number {
    return this.holder!.pid!;
  }

  private binds(): Record<string, string> {
    return {
      '/etc/containers': path.join(this.base, 'etc-containers'),
      '/etc/docker': path.join(this.base, 'etc-docker'),
      '/var/lib/containers': path.join(this.base, 'var-lib-containers'),
      '/run/containers': path.join(this.base, 'run-containers'),
      '/run/crio': path.join(this.base, 'run-crio'),
      '/var/lib/regdoctor': path.join(this.base, 'var-lib-regdoctor'),
      '/root': path.join(this.base, 'root'),
      '/etc/hosts': path.join(this.base, 'hosts'),
    };
  }

  /** Host path of a node path inside one of the private directories. */
  hostPath(nodePath: string): string {
    for (const [inside, outside] of Object.entries(this.binds())) {
      if (nodePath === inside || nodePath.startsWith(`${inside}/`)) return path.join(outside, nodePath.slice(inside.length));
    }
    throw new Error(`${nodePath} is not inside a private CRI-O lab directory`);
  }

  static async start(kinds: CrioRegistryKind[]): Promise<CrioLab> {
    const why = crioLabPrerequisites();
    if (why) throw new LabUnavailable(why);
    const lab = new CrioLab(await mkdtemp(path.join(tmpdir(), 'regdoctor-crio-lab-')));
    try {
      await lab.setup(kinds);
      return lab;
    } catch (err) {
      await lab.stop();
      throw err;
    }
  }

  private nsenter(args: string[]) {
    const r = spawnSync('nsenter', ['-t', String(this.pid), '-n', '-m', '--', ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`in CRI-O lab: ${args.join(' ')}: ${r.stderr || r.stdout}`);
    return r.stdout;
  }

  private async setup(kinds: CrioRegistryKind[]) {
    const b = this.binds();
    for (const [inside, dir] of Object.entries(b)) if (inside !== '/etc/hosts') mkdirSync(dir, { recursive: true });
    for (const d of ['etc-containers/registries.conf.d', 'etc-containers/certs.d', 'etc-docker/certs.d', 'root/.config/containers'])
      mkdirSync(path.join(this.base, d), { recursive: true });
    const root = createCA({ cn: 'regdoctor crio lab Root CA', o: 'regdoctor lab' });
    const inter = issueCert(root, { cn: 'regdoctor crio lab Intermediate CA', o: 'regdoctor lab', isCA: true, pathLen: 0 });
    const clientCa = createCA({ cn: 'regdoctor crio lab Client CA' });
    const client = issueCert(clientCa, { cn: 'node-1', eku: ['clientAuth'], dns: [] });
    const privateRoot = createCA({ cn: 'Acme Private Root CA', o: 'Acme' });
    this.pki = { root, inter, clientCa, client, privateRoot };

    const hostsLines = ['127.0.0.1 localhost'];
    kinds.forEach((kind, i) => {
      const ip = `127.0.0.${40 + i}`;
      const host = `${kind}.crio.test`;
      hostsLines.push(`${ip} ${host}`);
      this.registries.push({ kind, host, ip, port: 5000, hostPort: `${host}:5000`, image: `${host}:5000/lab/hello:1.0` });
    });
    await writeFile(b['/etc/hosts']!, `${hostsLines.join('\n')}\n`);
    const etc = b['/etc/containers']!;
    await writeFile(path.join(etc, 'registries.conf'), BASE_REGISTRIES_CONF);
    await writeFile(path.join(etc, 'policy.json'), '{"default":[{"type":"insecureAcceptAnything"}]}\n');
    await writeFile(
      path.join(etc, 'storage.conf'),
      `[storage]\ndriver = "vfs"\nrunroot = "/run/containers/storage"\ngraphroot = "/var/lib/containers/storage"\n`,
    );
    // a CRI-O node as regdoctor detects it (the socket path; nothing listens on it)
    await writeFile(path.join(b['/run/crio']!, 'crio.sock'), '');

    this.holder = spawn('unshare', ['-n', '-m', '--propagation', 'private', '--', 'sleep', '7200'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 100));
    if (this.holder.exitCode !== null || !this.holder.pid) throw new LabUnavailable('unshare exited immediately');
    const mounts = Object.entries(b).map(
      ([inside, outside]) => `[ -e ${inside} ] || mkdir -p ${inside}; mount --bind ${outside} ${inside}`,
    );
    this.nsenter(['sh', '-c', ['set -e', 'ip link set lo up', ...mounts].join('\n')]);
    for (const r of this.registries) await this.startRegistry(r);
    for (const r of this.registries) await this.waitTcp(r.ip, r.port);
  }

  private async startRegistry(r: CrioLabRegistry) {
    const dir = path.join(this.base, `registry-${r.kind}`);
    const { inter, clientCa, privateRoot } = this.pki;
    let leaf: IssuedCert | undefined;
    let chain: IssuedCert[] = [];
    if (r.kind === 'self-signed') leaf = selfSigned({ cn: r.host, dns: [r.host] });
    else if (r.kind === 'private-ca') leaf = issueCert(privateRoot, { cn: r.host, dns: [r.host] });
    else if (r.kind !== 'plain-http') {
      leaf = issueCert(inter, { cn: r.host, dns: [r.host] });
      chain = [inter];
    }
    r.leaf = leaf;
    const config = await writeRegistryConfig({
      dir,
      ip: r.ip,
      port: r.port,
      secret: `crio-lab-${r.kind}`,
      leaf,
      chain,
      clientCa: r.kind === 'mtls' ? clientCa : undefined,
      basicAuth: r.kind === 'basic-auth' ? { user: USER, password: PASSWORD } : undefined,
    });
    const log = path.join(this.base, `registry-${r.kind}.log`);
    const child = spawn('sh', ['-c', `exec nsenter -t ${this.pid} -n -m -- docker-registry serve "$1" >>"${log}" 2>&1`, 'lab', config], {
      detached: true,
      stdio: 'ignore',
    });
    this.children.push(child);
  }

  private async waitTcp(ip: string, port: number, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (spawnSync('nsenter', ['-t', String(this.pid), '-n', '--', 'bash', '-c', `exec 3<>/dev/tcp/${ip}/${port}`]).status === 0) return;
      if (Date.now() > deadline) throw new Error(`registry ${ip}:${port} did not start`);
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  registry(kind: CrioRegistryKind): CrioLabRegistry {
    const r = this.registries.find((x) => x.kind === kind);
    if (!r) throw new Error(`no ${kind} registry in this lab`);
    return r;
  }

  /** Writes a file at a node path inside the private directories (parents created). */
  async writeNodeFile(nodePath: string, content: string, mode = 0o644) {
    const p = this.hostPath(nodePath);
    await mkdir(path.dirname(p), { recursive: true });
    await writeFile(p, content, { mode });
  }

  async removeNodePath(nodePath: string) {
    await rm(this.hostPath(nodePath), { recursive: true, force: true });
  }

  /** The Go version podman was built with (its containers/image prints Go's errors in that version's words). */
  goVersion(): string {
    const r = spawnSync('podman', ['version', '--format', '{{.Client.GoVersion}}'], { encoding: 'utf8' });
    const v = r.stdout.trim().match(/go\d+\.\d+(\.\d+)?/)?.[0];
    if (!v) throw new Error(`podman version: ${r.stderr || r.stdout}`);
    return v;
  }

  /** `podman pull` inside the lab (containers/image with the lab's /etc/containers); the pulled image is removed. */
  async pull(image: string, extra: string[] = []): Promise<PodmanResult> {
    const r = await this.inside(['podman', 'pull', '--quiet', ...extra, image]);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('Error: '));
    const error = r.code === 0 ? undefined : lines.length ? lines[lines.length - 1]!.slice('Error: '.length) : r.stderr.trim();
    if (r.code === 0) await this.inside(['podman', 'rmi', '--force', image]);
    return { ...r, error };
  }

  private inside(
    args: string[],
    opts: { env?: Record<string, string>; timeoutMs?: number; input?: string } = {},
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn('nsenter', ['-t', String(this.pid), '-n', '-m', '--', ...args], {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', NO_COLOR: '1', CI: '', ...opts.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const t = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(t);
        resolve({ code, stdout, stderr });
      });
      child.stdin.end(opts.input ?? '');
    });
  }

  /** Runs the regdoctor CLI inside the lab namespaces (REGDOCTOR_LAB_CLI: a frozen build, as in the containerd lab). */
  runCli(args: string[], opts: { input?: string; timeoutMs?: number; env?: Record<string, string> } = {}) {
    const cli = process.env.REGDOCTOR_LAB_CLI ?? path.join(REPO_ROOT, 'bin/regdoctor.js');
    return this.inside([process.execPath, cli, ...args], {
      ...opts,
      env: { HTTPS_PROXY: '', HTTP_PROXY: '', https_proxy: '', http_proxy: '', ...opts.env },
    });
  }

  async log(prefix: string): Promise<string> {
    const { readdir } = await import('node:fs/promises');
    const files = (await readdir(this.base)).filter((f) => f.startsWith(prefix) && f.endsWith('.log'));
    return (await Promise.all(files.map((f) => readFile(path.join(this.base, f), 'utf8')))).join('\n');
  }

  async stop() {
    for (const c of this.children) {
      if (c.pid && c.exitCode === null) {
        try {
          process.kill(-c.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
    if (this.holder?.pid && this.holder.exitCode === null) this.holder.kill('SIGKILL');
    if (existsSync(this.base)) await rm(this.base, { recursive: true, force: true }).catch(() => spawnSync('rm', ['-rf', this.base]));
  }
}
