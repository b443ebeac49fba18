// `regdoctor diagnose pod/<name>` through the built CLI and the real kubectl against the test API server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeServer, type KubeServer } from '../kube-server/server.js';
import { populateBrokenCluster } from '../kube-server/broken-cluster.js';
import { runCli } from '../helpers/cli.js';

let server: KubeServer;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'regdoctor-podcli-'));
  server = await startKubeServer({});
  populateBrokenCluster(server);
  kubeconfig = server.writeKubeconfig(dir);
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('regdoctor diagnose pod/<name>', () => {
  it('names the cause per failing container (JSON), exit 1', async () => {
    const r = await runCli(['diagnose', 'pod/untrusted', '-n', 'shop', '--kubeconfig', kubeconfig, '--json'], { env: { HOME: dir } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.schema).toBe('regdoctor/pod@1');
    expect(out.containers[0]).toMatchObject({ code: 'untrusted-ca', host: 'reg.corp.test:5000' });
  });

  it('human output; a healthy pod exits 0; a missing pod is a clear error', async () => {
    const t = await runCli(['diagnose', 'pod/untrusted', '-n', 'shop', '--kubeconfig', kubeconfig], { env: { HOME: dir } });
    expect(t.stdout).toMatch(/✗ app: untrusted-ca/);
    expect(t.stdout).toContain('on the node: regdoctor diagnose reg.corp.test:5000/');
    const ok = await runCli(['diagnose', 'pod/healthy', '-n', 'shop', '--kubeconfig', kubeconfig], { env: { HOME: dir } });
    expect(ok.code).toBe(0);
    const missing = await runCli(['diagnose', 'pod/nope', '-n', 'shop', '--kubeconfig', kubeconfig], { env: { HOME: dir } });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read pod\/nope/);
  });

  it('in zh-CN and ja the container summaries read in that language (English only in the English run)', async () => {
    const en = await runCli(['diagnose', 'pod/untrusted', '-n', 'shop', '--kubeconfig', kubeconfig], { env: { HOME: dir } });
    // the container's summary: the lines between its image line and the kubelet / next-step lines
    const lines = en.stdout.split('\n');
    const summary = lines[lines.findIndex((l) => /^ {2}image: /.test(l)) + 1]!.trim();
    expect(summary.split(' ').length).toBeGreaterThan(3);
    for (const lang of ['ja', 'zh-CN']) {
      const r = await runCli(['diagnose', 'pod/untrusted', '-n', 'shop', '--kubeconfig', kubeconfig, '--lang', lang], {
        env: { HOME: dir },
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/✗ app: untrusted-ca/);
      expect(r.stdout, lang).not.toContain(summary);
      expect(r.stdout).toMatch(lang === 'ja' ? /[\u3040-\u30ff]/ : /[\u4e00-\u9fff]/);
    }
  });
});
