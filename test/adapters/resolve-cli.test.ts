// The whole CLI process (the built CLI) against a node tree whose resolv.conf names a DNS server on loopback that
// never answers, with `options timeout:30 attempts:3` (Go and libc would wait 90 s per name): the report is printed
// and the process EXITS within a bound far below that — nothing is left pending in a thread pool. The same server
// answers NXDOMAIN ("no such host" naming the tree's server) and an A record the tcp-connect check then dials.
// resolv.conf cannot carry a port: the server listens on port 53 of its own loopback address (127.53.x.y; needs
// root, as the lab tests do).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import { labMode } from '../lab/lab.js';
import { startDnsServer, type DnsServer } from './dns-server.js';

const NS = `127.53.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
let dns: DnsServer;
let tcp: Server;
let tcpPort = 0;
let root = '';

beforeAll(async () => {
  dns = await startDnsServer(
    (name) => {
      if (name.startsWith('silent.')) return 'drop';
      if (name === 'up.regdoctor.test.') return { a: ['127.0.0.1'] };
      return { rcode: 3 };
    },
    NS,
    53,
  );
  tcp = createServer((s) => s.destroy());
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  tcpPort = (tcp.address() as { port: number }).port;
  root = mkdtempSync(join(tmpdir(), 'regdoctor-resolve-cli-'));
  mkdirSync(join(root, 'etc'));
  writeFileSync(join(root, 'etc/resolv.conf'), `nameserver ${NS}\noptions timeout:30 attempts:3\n`);
  writeFileSync(join(root, 'etc/nsswitch.conf'), 'hosts: files dns\n');
  writeFileSync(join(root, 'etc/hosts'), '127.0.0.1 localhost\n');
});
afterAll(async () => {
  await dns?.close();
  tcp?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

interface Check {
  id: string;
  status: string;
  summary: string;
}
interface Report {
  checks: Check[];
  findings: { code: string; predictedRuntimeError?: string; data?: { goError?: string } }[];
}

const diagnose = (ref: string) =>
  runCli(['diagnose', ref, '--json', '--root', root, '--probe-timeout', '1500', '--no-pull'], { timeoutMs: 60_000 });

describe('a diagnosis resolves with the tree’s resolver and exits on time', () => {
  it('a DNS server that never answers (timeout:30 attempts:3): reported as Go says it, and the process exits within seconds', async () => {
    const run = await diagnose('silent.regdoctor.test:5000/app:1');
    const report = JSON.parse(run.stdout) as Report;
    const tcpCheck = report.checks.find((c) => c.id === 'tcp-connect')!;
    expect(tcpCheck.status).toBe('fail');
    const dnsFinding = report.findings.find((f) => f.code === 'dns')!;
    expect(dnsFinding.data?.goError).toBe(`dial tcp: lookup silent.regdoctor.test on ${NS}:53: i/o timeout`);
    expect(dns.asked).toContain('silent.regdoctor.test. A');
    // the step gives up at 1.5 s; the process must not then wait for a pending lookup (Go/libc: 90 s)
    expect(run.ms).toBeLessThan(12_000);
  });

  it('NXDOMAIN: "no such host" naming the tree’s server; an A record is dialled', async () => {
    const nx = JSON.parse((await diagnose('missing.regdoctor.test:5000/app:1')).stdout) as Report;
    expect(nx.findings.find((f) => f.code === 'dns')?.predictedRuntimeError).toMatch(
      new RegExp(`dial tcp: lookup missing\\.regdoctor\\.test on ${NS.replace(/\./g, '\\.')}:53: no such host$`),
    );
    const up = JSON.parse((await diagnose(`up.regdoctor.test:${tcpPort}/app:1`)).stdout) as Report;
    expect(up.checks.find((c) => c.id === 'tcp-connect')?.summary).toContain(`connected to 127.0.0.1:${tcpPort}`);
  });
});

/**
 * A node whose nsswitch.conf makes Go defer to libc (`resolve`, systemd-resolved's module, is unknown to it): the
 * lookup is libc's getaddrinfo, run in a child process that is killed at the step's bound — the machine's own
 * resolv.conf and nsswitch.conf are replaced inside a private mount and network namespace (as the lab does), with a DNS
 * server there that never answers. In-process getaddrinfo would hold the exit for libc's 90 s.
 */
describe.skipIf(!labMode().run)('libc resolution (a private namespace) is bounded too', () => {
  it('the report says libc, predicts cgo’s wording, and the process exits within seconds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'regdoctor-libc-'));
    try {
      writeFileSync(join(dir, 'resolv.conf'), 'nameserver 127.0.0.1\noptions timeout:30 attempts:3\n');
      writeFileSync(join(dir, 'nsswitch.conf'), 'hosts: files resolve [!UNAVAIL=return] dns\n');
      writeFileSync(
        join(dir, 'silent.mjs'),
        "import dgram from 'node:dgram'; const s = dgram.createSocket('udp4'); s.on('message', () => {}); s.bind(53, '127.0.0.1', () => console.log('listening'));\n",
      );
      const script = [
        'set -e',
        'ip link set lo up',
        `mount --bind ${dir}/resolv.conf /etc/resolv.conf`,
        `mount --bind ${dir}/nsswitch.conf /etc/nsswitch.conf`,
        `"${process.execPath}" ${dir}/silent.mjs > ${dir}/dns.log & DNS=$!`,
        `i=0; until grep -q listening ${dir}/dns.log; do sleep 0.05; i=$((i+1)); [ $i -lt 100 ]; done`,
        `start=$(date +%s%N)`,
        `"${process.execPath}" "${BIN}" diagnose silent.regdoctor.test:5000/app:1 --json --probe-timeout 1500 --no-pull > ${dir}/out.json || true`,
        `echo $(( ($(date +%s%N) - start) / 1000000 )) > ${dir}/ms`,
        'kill $DNS',
      ].join('\n');
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(
          'unshare',
          ['-n', '-m', '-p', '--fork', '--kill-child', '--mount-proc', '--propagation', 'private', 'sh', '-c', script],
          {
            cwd: ROOT,
            env: { ...process.env, NO_COLOR: '1', CI: '', HTTPS_PROXY: '', HTTP_PROXY: '', https_proxy: '', http_proxy: '' },
            stdio: 'ignore',
          },
        );
        // a PID namespace: whatever is left inside dies with it
        const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.on('close', (c) => {
          clearTimeout(killer);
          resolve(c);
        });
      });
      expect(code).toBe(0);
      const report = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as Report & { checks: (Check & { evidence?: string[] })[] };
      const dnsFinding = report.findings.find((f) => f.code === 'dns')!;
      expect(dnsFinding.data?.goError).toBe('dial tcp: lookup silent.regdoctor.test: Temporary failure in name resolution');
      const tcpCheck = report.checks.find((c) => c.id === 'tcp-connect')!;
      expect(JSON.stringify(report)).toContain('resolved through libc (getaddrinfo)');
      expect(tcpCheck.status).toBe('fail');
      expect(Number(readFileSync(join(dir, 'ms'), 'utf8'))).toBeLessThan(12_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
