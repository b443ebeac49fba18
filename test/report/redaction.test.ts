// Exports from a run that really used credentials (kubelet auth file with Basic auth, a proxy URL with a password)
// contain none of them — in Markdown, HTML, JSON and JUnit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as http from 'node:http';
import * as net from 'node:net';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createCA, issueCert } from '../../src/x509/build.js';
import { startMiniRegistry, type MiniRegistry } from '../../src/demo/registry.js';
import { diagnose, DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { parseTarget } from '../../src/core/reference.js';
import { createRealAdapters } from '../../src/app/adapters.js';
import { renderHtml, renderJUnit, renderMarkdown, writeReport } from '../../src/report/export.js';
import type { Report } from '../../src/core/report.js';
import { trustRegistryCa } from '../helpers/node-root.js';

const USER = 'deploy-bot';
const PASSWORD = 'S3cr3t-P4ssw0rd-xyz';
const AUTH = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
const PROXY_PASSWORD = 'pr0xy-pa55word-abc';
let root: string;
let reg: MiniRegistry;
let proxy: http.Server;
let report: Report;
let proxyAuthSeen = '';

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'regdoctor-redact-'));
  const ca = createCA({ cn: 'Redaction CA' });
  const leaf = issueCert(ca, { cn: 'secure.redact.test', dns: ['secure.redact.test'] });
  reg = await startMiniRegistry({
    tls: { cert: leaf.certPem, key: leaf.keyPem },
    basicAuth: { username: USER, password: PASSWORD },
    repos: { 'team/app': ['1'] },
  });
  proxy = http.createServer();
  proxy.on('connect', (req: http.IncomingMessage, client: net.Socket) => {
    proxyAuthSeen = String(req.headers['proxy-authorization'] ?? '');
    const up = net.connect(reg.port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.pipe(client);
      client.pipe(up);
    });
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const host = `secure.redact.test:${reg.port}`;
  await trustRegistryCa(root, host, ca.certPem);
  await mkdir(path.join(root, 'var/lib/kubelet'), { recursive: true });
  await writeFile(path.join(root, 'var/lib/kubelet/config.json'), JSON.stringify({ auths: { [host]: { auth: AUTH } } }));
  const proxyUrl = `http://${USER}:${PROXY_PASSWORD}@127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
  const r = await diagnose({
    target: parseTarget(`${host}/team/app:1`),
    options: { ...DEFAULT_RUN_OPTIONS, root, pull: false, probeTimeoutMs: 3000 },
    adapters: createRealAdapters({ root, hosts: { 'secure.redact.test': '127.0.0.1' }, env: { HTTPS_PROXY: proxyUrl } }),
  });
  report = r.report;
}, 30_000);

afterAll(async () => {
  await reg?.close();
  proxy?.close();
  await rm(root, { recursive: true, force: true });
});

describe('redaction of exported reports', () => {
  it('the run really used the credentials (proxy auth, registry Basic auth) and succeeded', () => {
    expect(proxyAuthSeen).toBe(`Basic ${Buffer.from(`${USER}:${PROXY_PASSWORD}`).toString('base64')}`);
    expect(report.verdict.code).toBe('healthy');
    expect(JSON.stringify(report)).toMatch(/testing with the node credentials kubelet would (use|send)/);
  });

  it('no export contains a password, an auth field or a proxy password', async () => {
    const file = path.join(root, 'report.html');
    await writeReport(file, report);
    const outputs = [JSON.stringify(report), renderMarkdown(report), renderHtml(report), renderJUnit(report), await readFile(file, 'utf8')];
    for (const out of outputs) {
      expect(out).not.toContain(PASSWORD);
      expect(out).not.toContain(AUTH);
      expect(out).not.toContain(PROXY_PASSWORD);
      expect(out).not.toContain(Buffer.from(`${USER}:${PROXY_PASSWORD}`).toString('base64'));
    }
    expect(renderHtml(report)).toMatch(/^<!doctype html>/);
    expect(renderHtml(report)).not.toMatch(/<(script|link)\b/);
    expect(renderJUnit(report)).toMatch(/<testsuites name="regdoctor" tests="\d+"/);
  });

  it('rejects unknown report formats', async () => {
    await expect(writeReport(path.join(root, 'r.pdf'), report)).rejects.toThrow(/\.md, \.json or \.html/);
  });
});
