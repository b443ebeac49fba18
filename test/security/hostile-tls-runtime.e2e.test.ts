// A hostile TLS server against the real containerd (lab): a Certificate message of ~5 MB, far beyond the flight
// parser's 1 MiB budget. containerd's Go client stops at the message header; regdoctor must stop too (bounded time
// and memory) and predict containerd's exact text — not call the server "not TLS".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { issueCert } from '../../src/x509/build.js';
import { Lab, labMode } from '../lab/lab.js';

const mode = labMode();
const IP = '127.0.0.63';
const HOST = 'bigflight.lab.test';

/** Answers every ClientHello with a hand-written TLS 1.2 flight: ServerHello, then a Certificate message of `count`
 *  copies of one certificate, in 16 KiB records with back-pressure. */
const SERVER = `
const net = require('node:net');
const crypto = require('node:crypto');
const fs = require('node:fs');
const c = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const der = Buffer.from(fs.readFileSync(c.cert, 'utf8').replace(/-----[^-]+-----|\\s/g, ''), 'base64');
const u24 = (n) => Buffer.from([(n >> 16) & 255, (n >> 8) & 255, n & 255]);
const rec = (hs) => { const o = []; for (let i = 0; i < hs.length; i += 16384) { const p = hs.subarray(i, i + 16384); o.push(Buffer.from([22, 3, 3, p.length >> 8, p.length & 255]), p); } return Buffer.concat(o); };
const entry = Buffer.concat([u24(der.length), der]);
const total = entry.length * c.count;
net.createServer((s) => {
  s.on('error', () => {});
  s.once('data', () => {
    const hello = Buffer.concat([Buffer.from([3, 3]), crypto.randomBytes(32), Buffer.from([0, 0xc0, 0x2f, 0])]);
    s.write(rec(Buffer.concat([Buffer.from([2]), u24(hello.length), hello])));
    let sent = 0;
    let head = Buffer.concat([Buffer.from([11]), u24(total + 3), u24(total)]);
    const pump = () => {
      while (sent < c.count && !s.destroyed) {
        const n = Math.min(16, c.count - sent);
        const body = Buffer.concat([head, ...Array(n).fill(entry)]);
        head = Buffer.alloc(0);
        sent += n;
        if (!s.write(rec(body))) return s.once('drain', pump);
      }
    };
    pump();
  });
}).listen(c.port, c.ip);
`;

describe.skipIf(!mode.run)(`hostile TLS server vs the real containerd${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  let lab: Lab;
  const servers: ChildProcess[] = [];

  beforeAll(async () => {
    lab = await Lab.start({ registries: [] });
    await lab.addHost(IP, HOST);
  }, 60_000);
  afterAll(async () => {
    for (const server of servers)
      try {
        if (server.pid) process.kill(-server.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    await lab?.stop();
  });

  it.each([
    ['a 5 MB Certificate message', Math.ceil((5 * 1024 * 1024) / 600), 5000, /\d{7}/],
    ['300 certificates (more than the flight parser takes)', 300, 5001, /\d{6}/],
  ])(
    '%s: containerd fails at the header; regdoctor predicts its exact text, bounded',
    async (_name, count, port, digits) => {
      const dir = path.join(lab.base, `bigflight-${port}`);
      await mkdir(dir, { recursive: true });
      const leaf = issueCert(lab.pki.inter, { cn: HOST, dns: [HOST] });
      await writeFile(path.join(dir, 'leaf.crt'), leaf.certPem);
      await writeFile(path.join(dir, 'server.js'), SERVER);
      await writeFile(path.join(dir, 'config.json'), JSON.stringify({ ip: IP, port, cert: path.join(dir, 'leaf.crt'), count }));
      servers.push(lab.startProcess(`bigflight-${port}`, [process.execPath, path.join(dir, 'server.js'), path.join(dir, 'config.json')]));
      await lab.waitPort(IP, port);
      const certs = lab.hostPath(`/etc/containerd/certs.d/${HOST}:${port}`);
      await mkdir(certs, { recursive: true });
      await writeFile(path.join(certs, 'ca.crt'), lab.pki.root.certPem);
      await writeFile(
        path.join(certs, 'hosts.toml'),
        `server = "https://${HOST}:${port}"\n\n[host."https://${HOST}:${port}"]\n  ca = "ca.crt"\n`,
      );
      const image = `${HOST}:${port}/lab/hello:1.0`;

      const pull = await lab.pull(image);
      expect(pull.ok).toBe(false);
      const real = pull.ok ? '' : pull.message;
      expect(real).toMatch(new RegExp(`: tls: handshake message of length ${digits.source} bytes exceeds maximum of 65536 bytes$`));

      const r = await lab.runCli(['diagnose', image, '--json', '--no-pull', '--probe-timeout', '5000'], { timeoutMs: 90_000 });
      expect(r.stderr).toBe('');
      const report = JSON.parse(r.stdout) as {
        verdict: { code: string; predictedRuntimeError?: string };
        checks: { id: string; status: string }[];
        durationMs: number;
      };
      expect(report.checks.filter((c) => c.status === 'crash').map((c) => c.id)).toEqual([]);
      expect(report.verdict.code).toBe('tls-handshake-failed');
      expect(report.verdict.predictedRuntimeError).toBe(real);
      expect(report.durationMs).toBeLessThan(15_000);
    },
    180_000,
  );
});
