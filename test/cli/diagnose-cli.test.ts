import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { runCli } from '../helpers/cli.js';

// A listener whose accept queue is full and whose process never calls accept(): the kernel drops further SYNs,
// so a client's connect really times out (no foreign address needed).
let blackhole: ChildProcess;
let blackholePort = 0;
let fillers: net.Socket[] = [];

beforeAll(async () => {
  blackhole = spawn(
    process.execPath,
    [
      '-e',
      `const s=require('net').createServer();s.listen({port:0,host:'127.0.0.1',backlog:1},()=>{process.stdout.write(String(s.address().port)+'\\n');Atomics.wait(new Int32Array(new SharedArrayBuffer(4)),0,0,60000);});`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  blackholePort = await new Promise<number>((resolve) => blackhole.stdout!.once('data', (d) => resolve(Number(String(d).trim()))));
  // fill the accept queue
  for (let i = 0; i < 4; i++) {
    const s = net.connect(blackholePort, '127.0.0.1');
    s.on('error', () => undefined);
    fillers.push(s);
  }
  await new Promise((r) => setTimeout(r, 200));
});

afterAll(() => {
  for (const s of fillers) s.destroy();
  fillers = [];
  blackhole?.kill('SIGKILL');
});

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe('regdoctor diagnose (CLI)', () => {
  it('reports connection-refused for a closed port, quickly, exit 1', async () => {
    const port = await closedPort();
    const r = await runCli(['diagnose', `127.0.0.1:${port}`, '--json', '--no-pull']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.schema).toBe('regdoctor/report@1');
    expect(report.verdict.code).toBe('connection-refused');
    expect(report.findings[0].predictedRuntimeError).toBe(`dial tcp 127.0.0.1:${port}: connect: connection refused`);
    expect(r.ms).toBeLessThan(10_000);
  });

  it('reports timeout for an address that never answers, within the probe bound (never hangs)', async () => {
    const r = await runCli([
      'diagnose',
      `127.0.0.1:${blackholePort}`,
      '--json',
      '--no-pull',
      '--probe-timeout',
      '700',
      '--timeout',
      '5000',
    ]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(['timeout', 'connection-refused']).toContain(report.verdict.code);
    expect(report.verdict.code).toBe('timeout');
    expect(r.ms).toBeLessThan(5_000);
  });

  it('prints a clear usage error (exit 2) for a malformed image reference', async () => {
    const r = await runCli(['diagnose', 'Reg.Test:5000/App:1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid reference format: repository name \(App\) must be lowercase/);
    expect(r.stdout).toBe('');
  });

  it('rejects unknown options and missing targets with exit 2', async () => {
    expect((await runCli(['diagnose', '--bogus', 'reg.test'])).code).toBe(2);
    expect((await runCli(['diagnose'])).code).toBe(2);
    expect((await runCli(['diagnose', 'reg.test', '--timeout', 'soon'])).code).toBe(2);
    expect((await runCli(['diagnose', 'reg.test', '--root', '/nonexistent-dir'])).stderr).toMatch(/not a directory/);
  });

  it('prints the version and help', async () => {
    const v = await runCli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^regdoctor \d+\.\d+\.\d+\n$/);
    const h = await runCli(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('Exit codes: 0 healthy, 1 problems found, 2 usage error, 3 internal error.');
  });

  it('plain text output names the verdict', async () => {
    const port = await closedPort();
    const r = await runCli(['127.0.0.1:' + port, '--no-pull']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('verdict: connection-refused');
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });
});
