// Name resolution against the real containerd: the lab's /etc/resolv.conf names a DNS server inside the lab
// (127.0.0.53, a small UDP server started there) that answers NXDOMAIN, SERVFAIL, or nothing. containerd's Go resolver
// and regdoctor's replay of it (src/adapters/resolve.ts) must say the same thing: the real CRI pull's error is
// regdoctor's prediction to the letter (a silent server: up to the local UDP address Go names, which cannot be
// known), and regdoctor's own run ends within its bound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Lab, labMode } from '../lab/lab.js';
import { diagnoseInLab, expectPredictedFailure } from '../lab/truth.js';

const mode = labMode();
let lab: Lab;

const NS = '127.0.0.53';

/** A DNS server for the lab (plain JS: it runs inside the lab's namespaces): dnsreg.lab.test's A record is the
 *  address given as argument (no AAAA), SERVFAIL for broken.*, no answer for silent.*, NXDOMAIN for everything else;
 *  it logs every question. */
const SERVER = `
import dgram from 'node:dgram';
const s = dgram.createSocket('udp4');
s.on('message', (msg, rinfo) => {
  let i = 12; const labels = [];
  while (msg[i] !== 0) { labels.push(msg.subarray(i + 1, i + 1 + msg[i]).toString('latin1')); i += 1 + msg[i]; }
  const name = labels.join('.').toLowerCase();
  const end = i + 5;
  console.log('asked', name, msg.readUInt16BE(i + 1));
  if (name.startsWith('silent.')) return;
  const qtype = msg.readUInt16BE(i + 1);
  const known = name === 'dnsreg.lab.test';
  const rcode = known ? 0 : name.startsWith('broken.') ? 2 : 3;
  const answers = known && qtype === 1 ? [Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, ...process.argv[2].split('.').map(Number)])] : [];
  const h = Buffer.alloc(12);
  h.writeUInt16BE(msg.readUInt16BE(0), 0);
  h.writeUInt16BE(0x8000 | (msg.readUInt16BE(2) & 0x7900) | 0x80 | rcode, 2);
  h.writeUInt16BE(1, 4);
  h.writeUInt16BE(answers.length, 6);
  s.send(Buffer.concat([h, msg.subarray(12, end), ...answers]), rinfo.port, rinfo.address);
});
s.bind(53, '${NS}', () => console.log('listening'));
`;

describe.skipIf(!mode.run)(`runtime truth: DNS as containerd's Go resolver does it${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  beforeAll(async () => {
    lab = await Lab.start({
      registries: [{ kind: 'healthy' }, { kind: 'plain-http' }],
      resolvConf: `nameserver ${NS}\noptions timeout:1 attempts:1\n`,
    });
    const script = path.join(lab.base, 'dns-server.mjs');
    await writeFile(script, SERVER);
    lab.startProcess('dns', [process.execPath, script, lab.registries[1]!.ip]);
    for (let i = 0; i < 100 && !(await lab.log('dns')).includes('listening'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await lab.log('dns')).toContain('listening');
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
  });

  it('NXDOMAIN: "lookup <host> on 127.0.0.53:53: no such host" — predicted exactly, verdict dns', async () => {
    const { message } = await expectPredictedFailure(lab, 'missing.lab.test:5000/lab/hello:1.0', 'dns');
    expect(message).toMatch(/dial tcp: lookup missing\.lab\.test on 127\.0\.0\.53:53: no such host$/);
  });

  it('SERVFAIL: "server misbehaving" — predicted exactly', async () => {
    const { message } = await expectPredictedFailure(lab, 'broken.lab.test:5000/lab/hello:1.0', 'dns');
    expect(message).toMatch(/dial tcp: lookup broken\.lab\.test on 127\.0\.0\.53:53: server misbehaving$/);
  });

  it('no answer: containerd names the local UDP address; regdoctor predicts the rest and stops at its bound', async () => {
    const image = 'silent.lab.test:5000/lab/hello:1.0';
    const pull = await lab.pull(image);
    expect(pull.ok).toBe(false);
    const message = pull.ok ? '' : pull.message;
    expect(message).toMatch(
      /dial tcp: lookup silent\.lab\.test on 127\.0\.0\.53:53: read udp 127\.0\.0\.1:\d+->127\.0\.0\.53:53: i\/o timeout$/,
    );
    const started = performance.now();
    const report = await diagnoseInLab(lab, image);
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(report.verdict.code).toBe('dns');
    expect(report.verdict.predictedRuntimeError).toBe(message.replace(/read udp \S+->\S+: /, ''));
  });

  it('a name only DNS knows: containerd and regdoctor reach the same address, the pull works and regdoctor says healthy', async () => {
    const http = lab.registries[1]!;
    const hostPort = `dnsreg.lab.test:${http.port}`;
    const image = `${hostPort}/lab/hello:1.0`;
    await lab.writeCertsDir(hostPort, {
      'hosts.toml': `server = "http://${hostPort}"\n\n[host."http://${hostPort}"]\n  capabilities = ["pull", "resolve"]\n`,
    });
    try {
      expect((await lab.pull(image)).ok).toBe(true);
      const report = (await diagnoseInLab(lab, image)) as Awaited<ReturnType<typeof diagnoseInLab>> & {
        checks: { id: string; summary: string; evidence?: string[] }[];
      };
      expect(report.verdict.code).toBe('healthy');
      const tcp = report.checks.find((c) => c.id === 'tcp-connect')!;
      expect(tcp.summary).toContain(`connected to ${http.ip}:${http.port}`);
      expect(tcp.evidence).toContain(`dnsreg.lab.test resolves to ${http.ip}`);
      const asked = (await lab.log('dns')).split('\n').filter((l) => l === 'asked dnsreg.lab.test 1');
      expect(asked.length).toBeGreaterThanOrEqual(2); // containerd's and regdoctor's
    } finally {
      await lab.removeImage(image).catch(() => undefined);
    }
  });

  it('a name in /etc/hosts is never asked of the DNS server, by containerd or by regdoctor', async () => {
    const before = (await lab.log('dns')).split('\n').filter((l) => l.includes('healthy.lab.test')).length;
    const report = await diagnoseInLab(lab, lab.registries[0]!.image);
    expect(report.verdict.code).not.toBe('dns');
    expect((await lab.pull(lab.registries[0]!.image)).ok).toBe(false); // no CA trusted: x509, after resolving from /etc/hosts
    expect((await lab.log('dns')).split('\n').filter((l) => l.includes('healthy.lab.test')).length).toBe(before);
  });
});
