// regdoctor audit (issue 19 item 2) below the lab: discovery from a copied node tree (host directories, legacy
// tables, kubelet auth files; hostile names are notes, never targets), the cluster's pods on this node through the
// real kubectl against the test API server, the bounds (parallelism, total time) with a diagnosis that takes real time,
// and the exports (escaped for their format, nothing secret).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  auditExitCode,
  discoverClusterRegistries,
  discoverNodeRegistries,
  hostOfDir,
  registryOfKey,
  runAudit,
  type AuditDocument,
} from '../../src/app/audit.js';
import { createRealAdapters } from '../../src/app/adapters.js';
import { DEFAULT_RUN_OPTIONS, type DiagnoseParams, type DiagnosisResult } from '../../src/app/diagnose.js';
import { KubectlAdapter } from '../../src/adapters/kube.js';
import { renderAuditHtml, renderAuditJUnit, renderAuditJson, renderAuditMarkdown } from '../../src/report/audit-export.js';
import { renderAuditText } from '../../src/ui/audit-text.js';
import { startKubeServer, type KubeServer } from '../kube-server/server.js';

let root: string;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function node(files: Record<string, string>): Promise<string> {
  root = await mkdtemp(path.join(tmpdir(), 'regdoctor-audit-'));
  for (const [p, text] of Object.entries(files)) {
    const host = path.join(root, p);
    await mkdir(path.dirname(host), { recursive: true });
    if (p.endsWith('/')) continue;
    await writeFile(host, text);
    await chmod(host, 0o600);
  }
  return root;
}

const REG = '[plugins."io.containerd.grpc.v1.cri".registry';

describe('names', () => {
  it('auth-file and table keys: scheme and path dropped; wildcards and non-hosts refused', () => {
    expect(registryOfKey('https://reg.test:5000/v1/')).toBe('reg.test:5000');
    expect(registryOfKey('reg.test')).toBe('reg.test');
    expect(registryOfKey('https://index.docker.io/v1/')).toBe('docker.io');
    expect(registryOfKey('*.corp.test')).toBeUndefined();
    expect(registryOfKey('')).toBeUndefined();
    expect(registryOfKey('bad host\u001b[2J')).toBeUndefined();
    expect(hostOfDir('reg.test_5000_')).toBe('reg.test:5000');
    expect(hostOfDir('reg.test:5000')).toBe('reg.test:5000');
    expect(hostOfDir('_default')).toBeUndefined();
    expect(hostOfDir('..')).toBeUndefined();
  });
});

describe('discovery from the node files', () => {
  it('host directories, legacy mirrors/configs/auths and kubelet auth files; merged per host, sorted; the rest are notes', async () => {
    await node({
      '/etc/containerd/config.toml': `version = 2\n${REG}]\n  config_path = "/etc/containerd/certs.d"\n${REG}.configs."auth.test:443".auth]\n  username = "u"\n  password = "SECRET-1"\n${REG}.auths."https://old.test"]\n  auth = "SECRET-2"\n`,
      '/etc/containerd/certs.d/a.test:5000/hosts.toml': 'server = "https://a.test:5000"\n',
      '/etc/containerd/certs.d/b.test_5001_/ca.crt': 'x',
      '/etc/containerd/certs.d/_default/hosts.toml': '',
      '/etc/containerd/certs.d/not a host/hosts.toml': '',
      '/etc/containerd/certs.d/stray-file': '',
      '/var/lib/kubelet/config.json': JSON.stringify({
        auths: { 'https://a.test:5000/v1/': { auth: 'SECRET-3' }, '*.wild.test': { auth: 'x' }, 'kube.test': { auth: 'y' } },
      }),
    });
    const d = await discoverNodeRegistries(createRealAdapters({ root, env: {} }).fs, { containerdVersion: '1.6.20' });
    expect(d.candidates.map((c) => [c.host, c.sources.map((s) => s.kind)])).toEqual([
      ['a.test:5000', ['hosts-toml', 'auth-file']],
      ['auth.test:443', ['legacy-config']],
      ['b.test:5001', ['certs-dir']],
      ['kube.test', ['auth-file']],
      ['old.test', ['legacy-auths']],
    ]);
    expect(d.notes.join('\n')).toMatch(/_default: the fallback/);
    expect(d.notes.join('\n')).toMatch(/not a host: not a registry host name, skipped/);
    expect(d.notes.join('\n')).toMatch(/\*\.wild\.test.*not a single registry host/);
    expect(JSON.stringify(d)).not.toMatch(/SECRET/);
  });

  it('config_path unset: certs.d directories still listed, marked as not read by containerd', async () => {
    await node({
      '/etc/containerd/config.toml': `version = 2\n${REG}.mirrors."m.test"]\n  endpoint = ["https://mirror.test"]\n`,
      '/etc/containerd/certs.d/m.test/hosts.toml': 'server = "https://m.test"\n',
    });
    const d = await discoverNodeRegistries(createRealAdapters({ root, env: {} }).fs, { containerdVersion: '1.6.20' });
    expect(d.candidates).toHaveLength(1);
    expect(d.candidates[0]!.sources).toEqual([
      { kind: 'hosts-toml', where: '/etc/containerd/certs.d/m.test/hosts.toml (config_path is not set: containerd does not read it)' },
      { kind: 'legacy-mirror', where: '/etc/containerd/config.toml [plugins."io.containerd.grpc.v1.cri".registry].mirrors."m.test"' },
    ]);
  });
});

describe('the pods on this node, through the real kubectl', () => {
  let server: KubeServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'regdoctor-audit-kube-'));
    server = await startKubeServer({});
    server.add(
      'pods',
      {
        metadata: { name: 'web', namespace: 'shop' },
        spec: { nodeName: 'node-a', containers: [{ image: 'reg.test:5000/shop/web:1' }], initContainers: [{ image: 'busybox' }] },
      },
      { metadata: { name: 'db', namespace: 'data' }, spec: { nodeName: 'node-b', containers: [{ image: 'other.test/db:2' }] } },
      { metadata: { name: 'bad', namespace: 'shop' }, spec: { nodeName: 'node-a', containers: [{ image: 'UPPER/Case' }] } },
    );
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('only the images of pods bound to the node; an invalid reference is a note', async () => {
    const kube = new KubectlAdapter({ kubeconfig: server.writeKubeconfig(dir), env: { ...process.env, HOME: dir, KUBECONFIG: undefined } });
    const r = await discoverClusterRegistries(kube, 'node-a');
    expect(r.found.map((f) => [f.host, f.image, f.pod])).toEqual([
      ['reg.test:5000', 'reg.test:5000/shop/web:1', 'shop/web'],
      ['docker.io', 'docker.io/library/busybox:latest', 'shop/web'],
    ]);
    expect(r.notes.join('\n')).toMatch(/pod shop\/bad: image "UPPER\/Case" is not a valid reference/);
    expect(server.requests.some((q) => q.path === '/api/v1/pods' && q.query.fieldSelector === 'spec.nodeName=node-a')).toBe(true);
  });

  it('runAudit with cluster access: a registry from the files gets the image running here as its target (a real pull of it); cluster-only registries join', async () => {
    await node({
      '/etc/containerd/config.toml': `version = 2\n${REG}]\n  config_path = "/etc/containerd/certs.d"\n`,
      '/etc/containerd/certs.d/reg.test:5000/hosts.toml': 'server = "https://reg.test:5000"\n',
      '/etc/containerd/certs.d/idle.test/hosts.toml': 'server = "https://idle.test"\n',
    });
    const adapters = {
      ...createRealAdapters({ root, env: {} }),
      kube: new KubectlAdapter({ kubeconfig: server.writeKubeconfig(dir), env: { ...process.env, HOME: dir, KUBECONFIG: undefined } }),
    };
    const targets: string[] = [];
    const doc = await runAudit(
      {
        run: { ...DEFAULT_RUN_OPTIONS, root, useKube: true },
        parallel: 2,
        registryTimeoutMs: 5000,
        totalTimeoutMs: 20_000,
        node: 'node-a',
      },
      {
        adapters,
        diagnose: async (p) => {
          targets.push(`${p.target.kind}:${p.target.input}`);
          throw new Error('not needed here');
        },
      },
    );
    expect(targets.sort()).toEqual(['image:docker.io/library/busybox:latest', 'image:reg.test:5000/shop/web:1', 'registry:idle.test']);
    const reg = doc.registries.find((e) => e.host === 'reg.test:5000')!;
    expect(reg.sources.map((s) => s.kind)).toEqual(['hosts-toml', 'cluster']);
    expect(reg.sources[1]!.where).toBe('pod shop/web');
    // a diagnosis that throws is reported, never fatal
    expect(reg.state).toBe('error');
    expect(doc.node.name).toBe('node-a');
  });

  it('a cluster that cannot be used is a note, never a failure of the audit', async () => {
    const kube = new KubectlAdapter({ kubeconfig: path.join(dir, 'missing'), env: { ...process.env, HOME: dir, KUBECONFIG: undefined } });
    const r = await discoverClusterRegistries(kube, 'node-a');
    expect(r.found).toEqual([]);
    expect(r.notes[0]).toMatch(/^cluster: cannot list the pods on node node-a/);
  });
});

describe('running: bounded parallelism and total time', () => {
  const files: Record<string, string> = {
    '/etc/containerd/config.toml': `version = 2\n${REG}]\n  config_path = "/etc/containerd/certs.d"\n`,
  };
  for (let i = 0; i < 7; i++) files[`/etc/containerd/certs.d/r${i}.test/hosts.toml`] = `server = "https://r${i}.test"\n`;

  /** A diagnosis that takes `ms` of real time (or until aborted), with a report shaped like the real one. */
  function slowDiagnose(ms: number, live: { now: number; max: number }) {
    return async (p: DiagnoseParams): Promise<DiagnosisResult> => {
      live.now++;
      live.max = Math.max(live.max, live.now);
      const aborted = await new Promise<boolean>((res) => {
        const t = setTimeout(() => res(false), Math.min(ms, p.options.timeoutMs));
        p.signal?.addEventListener('abort', () => (clearTimeout(t), res(true)), { once: true });
      });
      live.now--;
      const host = p.target.registry.name;
      const bad = host === 'r3.test';
      return {
        state: {} as DiagnosisResult['state'],
        findings: [],
        report: {
          schema: 'regdoctor/report@1',
          tool: { name: 'regdoctor', version: 'test' },
          generatedAt: new Date().toISOString(),
          target: { input: host, kind: 'registry', registry: host, endpoint: host },
          durationMs: ms,
          cancelled: aborted,
          checks: [],
          findings: bad
            ? [
                {
                  code: 'untrusted-ca',
                  title: 't',
                  severity: 'error',
                  summary: 'bad <b>',
                  evidence: [],
                  docs: '',
                  source: 'go-verify',
                  fixes: [],
                },
              ]
            : [
                {
                  code: 'verification-disabled',
                  title: 't',
                  severity: 'warning',
                  summary: 'skip',
                  evidence: [],
                  docs: '',
                  source: 'node-hygiene',
                  fixes: [],
                },
              ],
          verdict: aborted
            ? { code: 'unknown', title: 'u', severity: 'warning', summary: 'cancelled', docs: '' }
            : bad
              ? { code: 'untrusted-ca', title: 't', severity: 'error', summary: 'bad', docs: '' }
              : { code: 'healthy', title: 'h', severity: 'info', summary: 'ok', docs: '' },
          chain: [
            {
              subject: 'CN=x',
              issuer: 'CN=x',
              notBefore: '2026-01-01T00:00:00Z',
              notAfter: new Date(Date.now() + 5 * 86_400_000 + 3_600_000).toISOString(),
              sans: [],
              signatureAlgorithm: '',
              key: '',
              isCA: false,
              sha256: '',
              failing: false,
            },
          ],
        },
      };
    };
  }

  it('never more than --parallel at once; every registry diagnosed; codes, expiry and harden command per registry', async () => {
    await node(files);
    const live = { now: 0, max: 0 };
    const doc = await runAudit(
      { run: { ...DEFAULT_RUN_OPTIONS, root, pull: false }, parallel: 3, registryTimeoutMs: 5000, totalTimeoutMs: 20_000 },
      { adapters: createRealAdapters({ root, env: {} }), diagnose: slowDiagnose(60, live) },
    );
    expect(live.max).toBe(3);
    expect(doc.registries.map((e) => e.state)).toEqual(Array(7).fill('diagnosed'));
    expect(doc.summary).toMatchObject({ registries: 7, healthy: 0, withWarnings: 6, problems: 1, notDiagnosed: 0 });
    const r3 = doc.registries.find((e) => e.host === 'r3.test')!;
    expect([r3.verdict.code, r3.problems]).toEqual(['untrusted-ca', ['untrusted-ca']]);
    expect(doc.registries[0]!.expiry!.daysLeft).toBe(5);
    expect(doc.registries[0]!.harden).toBe('regdoctor fix --harden r0.test/REPOSITORY:TAG');
    expect(auditExitCode(doc)).toBe(1);
    checkExports(doc);
  });

  it('the total bound stops it: running diagnoses are cancelled, the rest are not started; it returns on time', async () => {
    await node(files);
    const live = { now: 0, max: 0 };
    const t0 = Date.now();
    const doc = await runAudit(
      { run: { ...DEFAULT_RUN_OPTIONS, root, pull: false }, parallel: 2, registryTimeoutMs: 5000, totalTimeoutMs: 300 },
      { adapters: createRealAdapters({ root, env: {} }), diagnose: slowDiagnose(200, live) },
    );
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(doc.incomplete).toBe(true);
    const states = doc.registries.map((e) => e.state);
    expect(states.slice(0, 2)).toEqual(['diagnosed', 'diagnosed']);
    expect(states.filter((s) => s === 'timeout').length).toBeGreaterThanOrEqual(3);
    expect(doc.summary.notDiagnosed).toBe(states.filter((s) => s !== 'diagnosed').length);
    expect(auditExitCode(doc)).toBe(1);
    expect(renderAuditText(doc, { color: false, columns: 100 })).toMatch(/not diagnosed \(timeout\)/);
  });
});

/** Hostile names in every format: no markup, no raw control bytes, well-formed XML, nothing secret. */
function checkExports(base: AuditDocument) {
  const doc = structuredClone(base);
  doc.registries[0]!.host = 'evil.test:1<script>\u001b[2J|**x**';
  doc.registries[0]!.verdict.summary = 'Authorization: Bearer abc.def.ghi </failure>';
  doc.notes.push('note <img src=x>\u0007');
  const md = renderAuditMarkdown(doc);
  const html = renderAuditHtml(doc);
  const xml = renderAuditJUnit(doc);
  const json = renderAuditJson(doc);
  const text = renderAuditText(doc, { color: false, columns: 120 });
  for (const out of [md, html, xml, json, text]) {
    expect(out).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
    expect(out).not.toContain('abc.def.ghi');
  }
  expect(html).not.toContain('<script>');
  expect(html).not.toContain('<img');
  expect(xml).not.toContain('</failure>\u0020');
  expect((xml.match(/<testcase /g) ?? []).length).toBe(doc.registries.length);
  expect(xml).not.toMatch(/<script>|<\/failure> <\/failure>/);
  expect(md).toContain('\\*\\*x\\*\\*');
  expect(JSON.parse(json).schema).toBe('regdoctor/audit@1');
}
