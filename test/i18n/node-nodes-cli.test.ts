// `regdoctor nodes --lang ja|zh-CN` through the CLI entry (in process) against the test API server: when the nodes
// cannot be listed (RBAC) the matrix header and the note naming the refused permission read in the chosen language,
// and --json stays the English document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeServer, type KubeServer } from '../kube-server/server.js';
import { runInProcess } from '../kube/inproc-cli.js';
import { englishRuns } from './node-english.js';

let server: KubeServer;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'regdoctor-i18n-nodes-'));
  server = await startKubeServer({ forbid: [{ verb: 'list', resource: 'nodes' }] });
  kubeconfig = server.writeKubeconfig(dir);
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('nodes in zh-CN and ja', () => {
  for (const [lang, cannot] of [
    ['ja', 'ノードを一覧できません'],
    ['zh-CN', '无法列出节点'],
  ] as const) {
    it(`${lang}: nodes not listable — header and note translated, the refusal kept as the cluster said it`, async () => {
      const r = await runInProcess(['nodes', 'reg.test:5000/app:1', '--kubeconfig', kubeconfig, '--lang', lang], { HOME: dir });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(cannot);
      const refusal = r.stdout.match(/[:：] ?(.*"list" on "nodes".*)$/m)?.[1] ?? '';
      expect(refusal).not.toBe('');
      expect(englishRuns(r.stdout, ['regdoctor nodes', refusal]), r.stdout).toEqual([]);
    });
  }
  it('--json keeps the English note', async () => {
    const r = await runInProcess(['nodes', 'reg.test:5000/app:1', '--kubeconfig', kubeconfig, '--lang', 'ja', '--json'], { HOME: dir });
    expect(JSON.parse(r.stdout).notes[0]).toMatch(/^cannot list nodes: /);
  });
});
