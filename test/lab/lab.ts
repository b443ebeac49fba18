// The end-to-end lab: a private network + mount namespace holding the real Debian containerd (CRI plugin) and real
// docker-registry instances with generated certificates, `*.lab.test` names on 127.0.0.x through a bind-mounted
// /etc/hosts, and private /etc/containerd, /run/containerd and /var/lib/regdoctor. Nothing on the machine is touched.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile, readFile } from 'node:fs/promises';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCA, issueCert, selfSigned, type IssuedCert } from '../../src/x509/build.js';
import { RealCri } from '../../src/adapters/cri-real.js';
import type { CriAuth, CriPullResult } from '../../src/adapters/cri.js';
import { writeRegistryConfig } from './registry-config.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type RegistryKind =
  'healthy' | 'self-signed' | 'private-ca' | 'missing-intermediate' | 'san-mismatch' | 'plain-http' | 'mtls' | 'basic-auth';

export interface RegistrySpec {
  kind: RegistryKind;
  /** Trust the lab root CA for this host through certs.d/<host:port>/hosts.toml (ca). */
  trustCa?: boolean;
  /** Listen on this port instead of 5000 (443: references without a port, `hostPort` is then the bare host). */
  port?: number;
  /** Host name prefix instead of the kind (`<name>.lab.test`): two registries of one kind. */
  name?: string;
  /** The leaf was issued 300 days ago and expires in this many days (certificate-expiring). */
  expiresInDays?: number;
}

export interface LabRegistry {
  kind: RegistryKind;
  host: string;
  ip: string;
  port: number;
  /** host:port */
  hostPort: string;
  image: string;
  leaf?: IssuedCert;
}

export class LabUnavailable extends Error {
  override name = 'LabUnavailable';
}

/** Why the lab cannot run here, or undefined when it can. */
export function labPrerequisites(): string | undefined {
  if (process.platform !== 'linux') return 'the lab needs Linux namespaces';
  if (process.getuid?.() !== 0) return 'the lab needs root (unshare, mount)';
  for (const bin of ['unshare', 'nsenter', 'ip', 'mount', 'containerd', 'docker-registry', 'htpasswd']) {
    if (spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0) return `${bin} is not installed (run scripts/setup-machine.sh)`;
  }
  const probe = spawnSync('unshare', ['-n', '-m', '--propagation', 'private', 'true']);
  if (probe.status !== 0) return `unshare -n -m fails here: ${probe.stderr.toString().trim()}`;
  return undefined;
}

/** The --restart-cmd that Lab.serveRestarts answers: asks for a restart of the lab's containerd, waits (30 s at most). */
export const LAB_RESTART_CMD =
  'touch /var/lib/regdoctor/restart-requested; i=0; until [ -e /var/lib/regdoctor/restart-done ]; do sleep 0.1; i=$((i+1)); [ $i -gt 300 ] && exit 1; done; rm -f /var/lib/regdoctor/restart-done';

export const USER = 'lab-user';
export const PASSWORD = 'lab-password-9f3b';

export interface LabOptions {
  registries: RegistrySpec[];
  /** Legacy registry configuration (no config_path). */
  legacy?: boolean;
  /** Extra TOML appended to config.toml. */
  extraConfig?: string;
  /** Another lab node on the same network: share that lab's network namespace, registries, PKI and /etc/hosts
   *  (no registries of its own); this lab keeps its own mount namespace, /etc/containerd and containerd. */
  network?: Lab;
  /** Run the lab's processes in their own PID namespace with its own /proc (one containerd per /proc, like a node). */
  pidNamespace?: boolean;
  /** More private directories bound into the lab's mount namespace (e.g. a k3s layout: /var/lib/rancher/k3s). */
  extraDirs?: string[];
  /** Files written (node path → content) into the private directories before containerd starts. */
  files?: (lab: Lab) => Record<string, string>;
  /** The config containerd is started with (default /etc/containerd/config.toml). */
  containerdConfigPath?: string;
  /** A private /etc/resolv.conf with this text (bound before containerd starts); default: the machine's. */
  resolvConf?: string;
}

export class Lab {
  readonly cri = new RealCri();
  readonly registries: LabRegistry[] = [];
  private holder?: ChildProcess;
  /** The PID-namespace init (pidNamespace labs): nsenter targets it. */
  private nsPid?: number;
  private containerd?: ChildProcess;
  private children: ChildProcess[] = [];
  pki!: { root: IssuedCert; inter: IssuedCert; clientCa: IssuedCert; client: IssuedCert; privateRoot: IssuedCert };

  private constructor(
    readonly base: string,
    private readonly opts: LabOptions,
  ) {}

  get pid(): number {
    return this.nsPid ?? this.holder!.pid!;
  }

  /** Host path of a path inside the lab's mount namespace (for the private directories). */
  hostPath(nodePath: string): string {
    for (const [inside, outside] of Object.entries(this.binds())) {
      if (nodePath === inside || nodePath.startsWith(`${inside}/`)) return path.join(outside, nodePath.slice(inside.length));
    }
    throw new Error(`${nodePath} is not inside a private lab directory`);
  }

  get endpoint(): string {
    return `unix://${this.hostPath('/run/containerd/containerd.sock')}`;
  }

  private binds(): Record<string, string> {
    return {
      '/etc/containerd': path.join(this.base, 'etc-containerd'),
      '/run/containerd': path.join(this.base, 'run-containerd'),
      '/var/lib/regdoctor': path.join(this.base, 'var-lib-regdoctor'),
      '/etc/hosts': path.join(this.base, 'hosts'),
      ...(this.opts.resolvConf !== undefined ? { '/etc/resolv.conf': path.join(this.base, 'resolv.conf') } : {}),
      ...Object.fromEntries((this.opts.extraDirs ?? []).map((d) => [d, path.join(this.base, `extra${d.replace(/\//g, '-')}`)])),
    };
  }

  static async start(opts: LabOptions): Promise<Lab> {
    const why = labPrerequisites();
    if (why) throw new LabUnavailable(why);
    const lab = new Lab(await mkdtemp(path.join(tmpdir(), 'regdoctor-lab-')), opts);
    try {
      await lab.setup();
      return lab;
    } catch (err) {
      await lab.stop();
      throw err;
    }
  }

  private nsenter(args: string[], extra: { input?: string } = {}) {
    const r = spawnSync('nsenter', ['-t', String(this.pid), '-n', '-m', ...(this.nsPid ? ['-p'] : []), '--', ...args], {
      input: extra.input,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`in lab: ${args.join(' ')}: ${r.stderr || r.stdout}`);
    return r.stdout;
  }

  private spawnInside(name: string, args: string[]): ChildProcess {
    const log = path.join(this.base, `${name}.log`);
    const child = spawn(
      'sh',
      ['-c', `exec nsenter -t ${this.pid} -n -m${this.nsPid ? ' -p' : ''} -- "$@" >>"${log}" 2>&1`, 'lab', ...args],
      { detached: true, stdio: 'ignore' },
    );
    this.children.push(child);
    return child;
  }

  private async setup() {
    const b = this.binds();
    for (const dir of [b['/etc/containerd']!, b['/run/containerd']!, b['/var/lib/regdoctor']!, path.join(b['/etc/containerd']!, 'certs.d')])
      mkdirSync(dir, { recursive: true });
    for (const d of this.opts.extraDirs ?? []) mkdirSync(b[d]!, { recursive: true });
    // PKI
    const root = createCA({ cn: 'regdoctor lab Root CA', o: 'regdoctor lab' });
    const inter = issueCert(root, { cn: 'regdoctor lab Intermediate CA', o: 'regdoctor lab', isCA: true, pathLen: 0 });
    const clientCa = createCA({ cn: 'regdoctor lab Client CA' });
    const client = issueCert(clientCa, { cn: 'node-1', eku: ['clientAuth'], dns: [] });
    const privateRoot = createCA({ cn: 'Acme Private Root CA', o: 'Acme' });
    this.pki = { root, inter, clientCa, client, privateRoot };

    const hostsLines = ['127.0.0.1 localhost'];
    const net = this.opts.network;
    if (net) {
      this.pki = net.pki;
      this.registries.push(...net.registries);
      for (const r of net.registries) hostsLines.push(`${r.ip} ${r.host}`);
    }
    (net ? [] : this.opts.registries).forEach((spec, i) => {
      const ip = `127.0.0.${20 + i}`;
      const host = `${spec.name ?? spec.kind}.lab.test`;
      hostsLines.push(`${ip} ${host}`);
      const port = spec.port ?? 5000;
      const hostPort = port === 443 ? host : `${host}:${port}`;
      this.registries.push({ kind: spec.kind, host, ip, port, hostPort, image: `${hostPort}/lab/hello:1.0` });
    });
    await writeFile(b['/etc/hosts']!, `${hostsLines.join('\n')}\n`);
    if (this.opts.resolvConf !== undefined) await writeFile(b['/etc/resolv.conf']!, this.opts.resolvConf);
    await writeFile(path.join(b['/etc/containerd']!, 'config.toml'), this.containerdConfig());

    if (net || this.opts.pidNamespace) {
      const pidArgs = this.opts.pidNamespace ? ['-p', '--fork', '--kill-child', '--mount-proc'] : [];
      const unshare = ['unshare', ...(net ? [] : ['-n']), '-m', ...pidArgs, '--propagation', 'private', '--', 'sleep', '7200'];
      this.holder = spawn(net ? 'nsenter' : unshare[0]!, net ? ['-t', String(net.pid), '-n', '--', ...unshare] : unshare.slice(1), {
        stdio: 'ignore',
      });
    } else this.holder = spawn('unshare', ['-n', '-m', '--propagation', 'private', '--', 'sleep', '7200'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 100));
    if (this.holder.exitCode !== null || !this.holder.pid) throw new LabUnavailable('unshare exited immediately');
    if (this.opts.pidNamespace) {
      // The `sleep` forked by unshare is PID 1 of the new namespace: enter through it.
      const child = (await readFile(`/proc/${this.holder.pid}/task/${this.holder.pid}/children`, 'utf8').catch(() => ''))
        .trim()
        .split(/\s+/)[0];
      if (!child) throw new LabUnavailable('unshare --fork left no child');
      this.nsPid = Number(child);
    }
    // A mount point the machine lacks (/etc/rancher/k3s, /var/lib/kubelet…) is created inside the lab only: its
    // nearest existing ancestor gets a private overlay whose upper layer lives in the lab's base directory, so nothing
    // appears on the host and nothing is left behind when the lab stops.
    const ancestors = new Set<string>();
    for (const inside of Object.keys(b)) {
      if (existsSync(inside)) continue;
      let a = path.dirname(inside);
      while (!existsSync(a)) a = path.dirname(a);
      if (a === '/') throw new LabUnavailable(`${inside}: its only existing ancestor is /, which the lab does not overlay`);
      ancestors.add(a);
    }
    const overlays = [...ancestors].sort().map((a, i) => {
      const d = path.join(this.base, `overlay-${i}`);
      mkdirSync(path.join(d, 'upper'), { recursive: true });
      mkdirSync(path.join(d, 'work'), { recursive: true });
      return `mount -t overlay overlay -o lowerdir=${a},upperdir=${d}/upper,workdir=${d}/work ${a}`;
    });
    const mounts = Object.entries(b).map(
      ([inside, outside]) => `[ -e ${inside} ] || mkdir -p ${inside}; mount --bind ${outside} ${inside}`,
    );
    this.nsenter(['sh', '-c', ['set -e', 'ip link set lo up', ...overlays, ...mounts].join('\n')]);

    for (const [i, spec] of (net ? [] : this.opts.registries).entries()) await this.startRegistry(this.registries[i]!, spec);
    for (const [file, text] of Object.entries(this.opts.files?.(this) ?? {})) {
      mkdirSync(path.dirname(this.hostPath(file)), { recursive: true });
      await writeFile(this.hostPath(file), text);
    }
    await this.startContainerd();
    for (const r of this.registries) await this.waitTcp(r.ip, r.port);
  }

  containerdConfig(): string {
    const lines = [
      'version = 2',
      `root = "${path.join(this.base, 'containerd-root')}"`,
      `state = "${path.join(this.base, 'containerd-state')}"`,
      '',
      '[grpc]',
      '  address = "/run/containerd/containerd.sock"',
      '',
      '[plugins."io.containerd.grpc.v1.cri"]',
      '  disable_tcp_service = true',
      '  [plugins."io.containerd.grpc.v1.cri".containerd]',
      '    snapshotter = "native"',
      '  [plugins."io.containerd.grpc.v1.cri".registry]',
      this.opts.legacy ? '' : '    config_path = "/etc/containerd/certs.d"',
      '',
    ];
    return `${lines.join('\n')}${this.opts.extraConfig ?? ''}`;
  }

  private async startRegistry(r: LabRegistry, spec: RegistrySpec) {
    const label = spec.name ?? r.kind;
    const dir = path.join(this.base, `registry-${label}`);
    const { inter, clientCa, privateRoot } = this.pki;
    let leaf: IssuedCert | undefined;
    let chain: IssuedCert[] = [];
    switch (r.kind) {
      case 'self-signed':
        leaf = selfSigned({ cn: r.host, dns: [r.host] });
        break;
      case 'private-ca':
        leaf = issueCert(privateRoot, { cn: r.host, dns: [r.host] });
        break;
      case 'missing-intermediate':
        leaf = issueCert(inter, { cn: r.host, dns: [r.host] });
        break;
      case 'san-mismatch':
        leaf = issueCert(inter, { cn: 'wrong-name.lab.test', dns: ['wrong-name.lab.test'] });
        chain = [inter];
        break;
      case 'plain-http':
        break;
      default:
        leaf = issueCert(inter, {
          cn: r.host,
          dns: [r.host],
          ...(spec.expiresInDays !== undefined
            ? { notBefore: new Date(Date.now() - 300 * 86400_000), notAfter: new Date(Date.now() + spec.expiresInDays * 86400_000) }
            : {}),
        });
        chain = [inter];
    }
    r.leaf = leaf;
    const config = await writeRegistryConfig({
      dir,
      ip: r.ip,
      port: r.port,
      secret: `lab-secret-${label}`,
      leaf,
      chain,
      clientCa: r.kind === 'mtls' ? clientCa : undefined,
      basicAuth: r.kind === 'basic-auth' ? { user: USER, password: PASSWORD } : undefined,
    });
    this.spawnInside(`registry-${label}`, ['docker-registry', 'serve', config]);
    if (spec.trustCa) await this.trustLabCa(r);
  }

  /** Starts a helper process inside the lab's namespaces (output in <base>/<name>.log, see log()); stopped with the lab. */
  startProcess(name: string, args: string[]): ChildProcess {
    return this.spawnInside(name, args);
  }

  /** Adds a name to the lab's /etc/hosts (for a helper server started with startProcess). */
  async addHost(ip: string, name: string) {
    const file = path.join(this.base, 'hosts');
    await writeFile(file, `${await readFile(file, 'utf8')}${ip} ${name}\n`);
  }

  /** Waits until something listens on ip:port inside the lab. */
  waitPort(ip: string, port: number, timeoutMs = 10_000) {
    return this.waitTcp(ip, port, timeoutMs);
  }

  /**
   * A --restart-cmd for `regdoctor fix` / `rollback` that asks this test to restart the lab's containerd (or `restart`)
   * and waits until it did (30 s at most); `stop()` ends the watcher, `count` is how many restarts were served.
   */
  serveRestarts(restart: () => Promise<unknown> = () => this.restartContainerd()): {
    cmd: string;
    stop: () => Promise<void>;
    readonly count: number;
  } {
    const req = this.hostPath('/var/lib/regdoctor/restart-requested');
    const done = this.hostPath('/var/lib/regdoctor/restart-done');
    let serving = true;
    let count = 0;
    const loop = (async () => {
      while (serving) {
        if (existsSync(req)) {
          rmSync(req);
          await restart();
          count++;
          writeFileSync(done, '');
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    return {
      cmd: LAB_RESTART_CMD,
      stop: async () => {
        serving = false;
        await loop;
      },
      get count() {
        return count;
      },
    };
  }

  /** The lab containerd's /etc/containerd/certs.d/<name> (host path). */
  certsDir(name: string): string {
    return this.hostPath(`/etc/containerd/certs.d/${name}`);
  }

  /** Writes files (name → text) into certs.d/<name>, created if missing; returns the directory. */
  async writeCertsDir(name: string, files: Record<string, string>): Promise<string> {
    const dir = this.certsDir(name);
    await mkdir(dir, { recursive: true });
    for (const [f, text] of Object.entries(files)) await writeFile(path.join(dir, f), text);
    return dir;
  }

  /** certs.d/<host:port>/hosts.toml trusting the lab root CA. */
  async trustLabCa(r: LabRegistry) {
    await this.writeCertsDir(r.hostPort, {
      'ca.crt': this.pki.root.certPem,
      'hosts.toml': `server = "https://${r.hostPort}"\nca = "ca.crt"\n`,
    });
  }

  private async waitTcp(ip: string, port: number, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (spawnSync('nsenter', ['-t', String(this.pid), '-n', '--', 'bash', '-c', `exec 3<>/dev/tcp/${ip}/${port}`]).status === 0) return;
      if (Date.now() > deadline) throw new Error(`registry ${ip}:${port} did not start: ${await this.log('registry').catch(() => '')}`);
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  async log(prefix: string): Promise<string> {
    const { readdir } = await import('node:fs/promises');
    const files = (await readdir(this.base)).filter((f) => f.startsWith(prefix) && f.endsWith('.log'));
    return (await Promise.all(files.map((f) => readFile(path.join(this.base, f), 'utf8')))).join('\n');
  }

  /** How many "failed to decode hosts.toml" lines containerd has logged so far: a fixed file decodes, so a pull after a
   *  fix must not add one. */
  async decodeErrors(): Promise<number> {
    return ((await this.log('containerd')).match(/failed to decode hosts\.toml/g) ?? []).length;
  }

  async startContainerd(timeoutMs = 20_000) {
    this.containerd = this.spawnInside('containerd', [
      'containerd',
      '--config',
      this.opts.containerdConfigPath ?? '/etc/containerd/config.toml',
    ]);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const info = await this.cri.detect({ endpoint: this.endpoint, timeoutMs: 1000 });
      if (!('error' in info)) return info;
      if (Date.now() > deadline)
        throw new Error(`containerd did not come up: ${info.error}\n${(await this.log('containerd')).slice(-3000)}`);
      await new Promise((res) => setTimeout(res, 150));
    }
  }

  /** Starts containerd and waits only for its socket (the CRI plugin may legitimately fail to load). */
  async startContainerdRaw(timeoutMs = 20_000) {
    this.containerd = this.spawnInside('containerd', [
      'containerd',
      '--config',
      this.opts.containerdConfigPath ?? '/etc/containerd/config.toml',
    ]);
    const sock = this.hostPath('/run/containerd/containerd.sock');
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(sock)) {
      if (Date.now() > deadline) throw new Error('containerd socket did not appear');
      await new Promise((res) => setTimeout(res, 100));
    }
    await new Promise((res) => setTimeout(res, 500));
  }

  async stopContainerd() {
    const c = this.containerd;
    if (!c?.pid) return;
    try {
      process.kill(-c.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await new Promise<void>((res) => {
      if (c.exitCode !== null) return res();
      const t = setTimeout(() => {
        try {
          process.kill(-c.pid!, 'SIGKILL');
        } catch {
          // gone
        }
        res();
      }, 5000);
      c.once('exit', () => {
        clearTimeout(t);
        res();
      });
    });
    await rm(this.hostPath('/run/containerd/containerd.sock'), { force: true });
  }

  async restartContainerd() {
    await this.stopContainerd();
    return this.startContainerd();
  }

  pull(image: string, auth?: CriAuth): Promise<CriPullResult> {
    return this.cri.pullImage(image, { endpoint: this.endpoint, auth, timeoutMs: 30_000 });
  }

  removeImage(image: string) {
    return this.cri.removeImage(image, { endpoint: this.endpoint, timeoutMs: 10_000 });
  }

  /** Runs the built regdoctor CLI inside the lab namespaces. */
  runCli(
    args: string[],
    opts: { input?: string; timeoutMs?: number; env?: Record<string, string> } = {},
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      // REGDOCTOR_LAB_CLI: run a frozen build instead of bin/regdoctor.js (dist/ is rebuilt by every concurrent test run)
      const cli = process.env.REGDOCTOR_LAB_CLI ?? path.join(REPO_ROOT, 'bin/regdoctor.js');
      const child = spawn('nsenter', ['-t', String(this.pid), '-n', '-m', '--', process.execPath, cli, ...args], {
        cwd: REPO_ROOT,
        env: { ...process.env, NO_COLOR: '1', CI: '', HTTPS_PROXY: '', HTTP_PROXY: '', https_proxy: '', http_proxy: '', ...opts.env },
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

  async stop() {
    await this.stopContainerd().catch(() => undefined);
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
    // containerd's native snapshots may hold read-only bits; remove as root
    if (existsSync(this.base)) await rm(this.base, { recursive: true, force: true }).catch(() => spawnSync('rm', ['-rf', this.base]));
  }
}

/** In CI the lab must run; elsewhere a missing prerequisite skips the suite with the reason. */
export function labMode(): { run: boolean; reason?: string } {
  const why = labPrerequisites();
  if (!why) return { run: true };
  if (process.env.CI === 'true' || process.env.CI === '1') return { run: true, reason: why };
  return { run: false, reason: why };
}
