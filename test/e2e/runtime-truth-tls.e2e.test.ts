// The runtime model against the real containerd (issue 13, items 11 and 13): Go's TLS handshake, not Node's, and the
// daemon behind the CRI socket. Each case runs a real CRI pull in the lab; regdoctor's verdict and top prediction must
// equal what containerd really does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { generateKey, issueCert, selfSigned } from '../../src/x509/build.js';
import { Lab, labMode, type LabRegistry } from '../lab/lab.js';

const mode = labMode();

interface Finding {
  code: string;
  severity: string;
  summary: string;
  predictedRuntimeError?: string;
  data?: Record<string, unknown>;
}
interface Report {
  verdict: { code: string; predictedRuntimeError?: string };
  findings: Finding[];
  checks: { id: string; status: string; summary?: string; evidence: string[] }[];
}

/** A TLS front in the lab: terminates TLS with the given node:tls options and pipes to a lab registry. */
const FRONT = `
const tls = require('node:tls');
const fs = require('node:fs');
const c = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const server = tls.createServer({ ...c.tls, cert: fs.readFileSync(c.cert, 'utf8'), key: fs.readFileSync(c.key, 'utf8') }, (s) => {
  const up = tls.connect({ host: c.upstream.ip, port: c.upstream.port, servername: c.upstream.host, rejectUnauthorized: false });
  s.pipe(up).pipe(s);
  s.on('error', () => up.destroy());
  up.on('error', () => s.destroy());
});
server.on('tlsClientError', (e) => console.error('client error:', e.message));
server.listen(c.port, c.ip);
`;

/** Stops a helper started in the lab (its process group; already gone is fine). */
function kill(c: ChildProcess | undefined) {
  try {
    if (c?.pid) process.kill(-c.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** The TLS fronts' addresses in the lab. */
const FRONT_IPS = { dhe: '127.0.0.60', bigchain: '127.0.0.61', tls10: '127.0.0.62' } as const;

async function diagnoseIn(lab: Lab, image: string, extra: string[] = ['--no-pull']): Promise<Report> {
  const r = await lab.runCli(['diagnose', image, '--json', ...extra], { timeoutMs: 90_000 });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Report;
}

describe.skipIf(!mode.run)(`runtime truth: Go's TLS handshake${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  let lab: Lab;
  let upstream: LabRegistry;
  const fronts: ChildProcess[] = [];

  beforeAll(async () => {
    lab = await Lab.start({ registries: [{ kind: 'basic-auth' }] });
    upstream = lab.registries[0]!;
    // every name up front: Go's resolver keeps /etc/hosts for 5 s (net/hosts.go cacheMaxAge) after a lookup
    for (const [name, ip] of Object.entries(FRONT_IPS)) await lab.addHost(ip, `${name}.lab.test`);
  }, 60_000);
  afterAll(async () => {
    for (const f of fronts) kill(f);
    await lab?.stop();
  });

  /** Starts a TLS front named <name>.lab.test:5000 on its address, trusted through certs.d (hosts.toml ca). */
  async function front(name: keyof typeof FRONT_IPS, tlsOptions: Record<string, unknown>, extraChain: string[] = []) {
    const host = `${name}.lab.test`;
    const ip = FRONT_IPS[name];
    const dir = path.join(lab.base, `front-${name}`);
    await mkdir(dir, { recursive: true });
    const leaf = issueCert(lab.pki.inter, { cn: host, dns: [host], keyType: 'rsa' });
    await writeFile(path.join(dir, 'server.crt'), leaf.certPem + lab.pki.inter.certPem + extraChain.join(''));
    await writeFile(path.join(dir, 'server.key'), leaf.keyPem);
    await writeFile(path.join(dir, 'front.js'), FRONT);
    const conf = path.join(dir, 'config.json');
    await writeFile(
      conf,
      JSON.stringify({
        ip,
        port: 5000,
        cert: path.join(dir, 'server.crt'),
        key: path.join(dir, 'server.key'),
        tls: tlsOptions,
        upstream: { ip: upstream.ip, port: upstream.port, host: upstream.host },
      }),
    );
    fronts.push(lab.startProcess(`front-${name}`, [process.execPath, path.join(dir, 'front.js'), conf]));
    await lab.waitPort(ip, 5000);
    const certs = lab.hostPath(`/etc/containerd/certs.d/${host}:5000`);
    await mkdir(certs, { recursive: true });
    await writeFile(path.join(certs, 'ca.crt'), lab.pki.root.certPem);
    await writeFile(path.join(certs, 'hosts.toml'), `server = "https://${host}:5000"\n\n[host."https://${host}:5000"]\n  ca = "ca.crt"\n`);
    return `${host}:5000/lab/hello:1.0`;
  }

  it('11a. a DHE-only registry: containerd (go1.19) fails the handshake; regdoctor predicts it exactly, no spurious credentials-missing', async () => {
    const image = await front('dhe', {
      ciphers: 'DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384',
      maxVersion: 'TLSv1.2',
      dhparam: 'auto',
    });
    const pull = await lab.pull(image);
    expect(pull.ok).toBe(false);
    expect(pull.ok ? '' : pull.message).toMatch(/: remote error: tls: handshake failure$/);
    const report = await diagnoseIn(lab, image);
    expect(report.verdict.code).toBe('tls-handshake-failed');
    expect(report.verdict.predictedRuntimeError).toBe(pull.ok ? undefined : pull.message);
    expect(report.findings.map((f) => f.code)).not.toContain('credentials-missing');
    expect(report.findings[0]!.summary).toMatch(/go1\.19\.\d+.*never DHE/);
    // the registry behind the front does answer (401 for basic auth) to a client that negotiates DHE: the handshake
    // alone is what fails containerd
    expect(await lab.log('front-dhe')).toMatch(/no shared cipher|no suitable|handshake/i);
  }, 120_000);

  it("11b. a certificate chain larger than Go accepts: containerd fails with Go's message-length error, predicted = real", async () => {
    // 90 RSA certificates (one key: only the bytes matter) push the Certificate message past 64 KiB
    const key = generateKey('rsa');
    const junk = Array.from(
      { length: 90 },
      (_, i) => selfSigned({ cn: `padding-${i}.lab.test`, dns: [`padding-${i}.lab.test`], key }).certPem,
    );
    const image = await front('bigchain', {}, junk);
    const pull = await lab.pull(image);
    expect(pull.ok).toBe(false);
    expect(pull.ok ? '' : pull.message).toMatch(/: tls: handshake message of length \d+ bytes exceeds maximum of 65536 bytes$/);
    const report = await diagnoseIn(lab, image);
    expect(report.verdict.code).toBe('tls-handshake-failed');
    expect(report.verdict.predictedRuntimeError).toBe(pull.ok ? undefined : pull.message);
    expect(report.findings.map((f) => f.code)).not.toContain('credentials-missing');
  }, 120_000);
  it('11c. a TLS 1.0-only registry: go1.19 offers TLS 1.2+ and the server refuses; regdoctor predicts the alert exactly', async () => {
    const image = await front('tls10', { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' });
    const pull = await lab.pull(image);
    expect(pull.ok).toBe(false);
    expect(pull.ok ? '' : pull.message).toMatch(/: remote error: tls: protocol version not supported$/);
    const report = await diagnoseIn(lab, image);
    expect(report.verdict.code).toBe('tls-handshake-failed');
    expect(report.verdict.predictedRuntimeError).toBe(pull.ok ? undefined : pull.message);
    expect(report.findings.map((f) => f.code)).not.toContain('credentials-missing');
  }, 120_000);
});

describe.skipIf(!mode.run)(`runtime truth: the daemon behind the CRI socket${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  let lab: Lab;
  let reg: LabRegistry;
  let other: ChildProcess | undefined;
  let zombie: ChildProcess | undefined;

  beforeAll(async () => {
    lab = await Lab.start({ registries: [{ kind: 'healthy', trustCa: true }] });
    reg = lab.registries[0]!;
  }, 60_000);
  afterAll(async () => {
    for (const c of [other, zombie]) kill(c);
    await lab?.stop();
  });

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** A second containerd in the lab (as Docker Engine runs one): its own socket, root and state, no CRI plugin. */
  async function startOther() {
    const conf = path.join(lab.base, 'other-containerd.toml');
    await writeFile(
      conf,
      [
        'version = 2',
        `root = "${path.join(lab.base, 'other-root')}"`,
        `state = "${path.join(lab.base, 'other-state')}"`,
        'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
        '[grpc]',
        '  address = "/run/containerd/other-containerd.sock"',
        '',
      ].join('\n'),
    );
    const child = lab.startProcess('other-containerd', ['containerd', '--config', conf]);
    const sock = lab.hostPath('/run/containerd/other-containerd.sock');
    const deadline = Date.now() + 20_000;
    while (!existsSync(sock)) {
      if (Date.now() > deadline) throw new Error(`the second containerd did not start: ${await lab.log('other-containerd')}`);
      await sleep(100);
    }
    return child;
  }

  /** The pid listening on the CRI socket, as `ss` (iproute2) reports it inside the lab: an independent oracle. */
  function criPid(): number {
    const r = spawnSync('nsenter', ['-t', String(lab.pid), '-n', '--', 'ss', '-xlpn'], { encoding: 'utf8' });
    const line = r.stdout
      .split('\n')
      .find((l) => l.includes('/run/containerd/containerd.sock ') || l.endsWith('/run/containerd/containerd.sock'));
    const pid = Number(line?.match(/pid=(\d+)/)?.[1]);
    if (!pid) throw new Error(`ss found no listener on the CRI socket:\n${r.stdout}${r.stderr}`);
    return pid;
  }

  const comm = (pid: number) => spawnSync('cat', [`/proc/${pid}/comm`], { encoding: 'utf8' }).stdout.trim();
  const state = (pid: number) =>
    spawnSync('cat', [`/proc/${pid}/stat`], { encoding: 'utf8' })
      .stdout.replace(/^.*\) /s, '')
      .split(' ')[0];
  const runtimeInfo = (r: Report) => r.checks.find((c) => c.id === 'runtime-info')!;

  it("13. Docker's containerd started first and a defunct containerd: regdoctor reads the CRI daemon's start time — no false config-not-applied; a real missing restart is still found", async () => {
    // Docker's containerd (earlier) and a defunct containerd, both started before the config edit
    other = await startOther();
    zombie = lab.startProcess('zombie', ['sh', '-c', 'containerd --version >/dev/null & exec sleep 600']);
    await sleep(1500);
    const zombiePid = Number(
      spawnSync('sh', ['-c', `cat /proc/${zombie.pid}/task/${zombie.pid}/children`], { encoding: 'utf8' })
        .stdout.trim()
        .split(/\s+/)[0],
    );
    expect(comm(zombiePid)).toBe('containerd');
    expect(state(zombiePid)).toBe('Z');
    expect(comm(other.pid!)).toBe('containerd');
    // config.toml edited, then kubelet's containerd restarted: it runs the current configuration
    const cfg = lab.hostPath('/etc/containerd/config.toml');
    const now = new Date();
    await utimes(cfg, now, now);
    await sleep(1500);
    await lab.restartContainerd();
    const cri = criPid();
    expect(cri).not.toBe(other.pid);
    expect(comm(cri)).toBe('containerd');
    // the trap is real: the other daemon and the defunct one carry the same name and come first by pid
    expect(other.pid!).toBeLessThan(cri);

    const report = await diagnoseIn(lab, reg.image, []);
    expect(report.verdict.code).toBe('healthy');
    expect(report.findings.map((f) => f.code)).not.toContain('config-not-applied');
    const ev = runtimeInfo(report).evidence.join('\n');
    expect(ev).toContain(`pid ${cri} (containerd) listens on /run/containerd/containerd.sock`);
    expect(ev).toMatch(new RegExp(`daemon pid ${cri}, started `));
    expect(ev).toMatch(new RegExp(`ignored defunct process.*pid ${zombiePid} \\(containerd, state Z\\)`));
    expect(report.checks.find((c) => c.id === 'runtime-drift')!.evidence.join('\n')).toContain(`(pid ${cri})`);

    // now the other way round: config.toml edited again, only Docker's containerd restarted — kubelet's containerd
    // has not loaded the edit, and regdoctor must say so (the other daemon's later start must not hide it)
    await sleep(1100);
    const later = new Date();
    await utimes(cfg, later, later);
    await sleep(1100);
    kill(other);
    await sleep(300);
    await rm(lab.hostPath('/run/containerd/other-containerd.sock'), { force: true });
    other = await startOther();
    expect(criPid()).toBe(cri);
    const stale = await diagnoseIn(lab, reg.image);
    const drift = stale.findings.find((f) => f.code === 'config-not-applied');
    expect(drift?.summary).toMatch(/config\.toml changed at .*after containerd started/);
    expect(stale.checks.find((c) => c.id === 'runtime-drift')!.evidence.join('\n')).toContain(`(pid ${cri})`);
  }, 180_000);
});
