// `regdoctor scan` in zh-CN and ja: the real scan (kubectl against the test API server holding a broken cluster)
// gives every group its recommended fix as a catalogue message and every warning too; rendered in zh-CN and ja
// no English sentence is left in them, and the stored English is unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeServer, type KubeServer } from '../kube-server/server.js';
import { populateBrokenCluster } from '../kube-server/broken-cluster.js';
import { KubectlAdapter } from '../../src/adapters/kube.js';
import { scanCluster, skippedWarning, skippedWarningMessage } from '../../src/kube/scan.js';
import { loadClassifier } from '../../src/kube/classifier.js';
import { renderScan } from '../../src/cli/commands/scan.js';
import { messageIn, tr, withLang } from '../../src/i18n/index.js';
import { englishRuns } from './node-english.js';
import { runInProcess } from '../kube/inproc-cli.js';

let server: KubeServer;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'regdoctor-i18n-scan-'));
  server = await startKubeServer({
    forbid: [
      { verb: 'list', resource: 'events', namespace: 'web' },
      { verb: 'list', resource: 'pods', namespace: 'secret-ns' },
    ],
  });
  populateBrokenCluster(server);
  kubeconfig = server.writeKubeconfig(dir);
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('scan in zh-CN and ja', () => {
  it('every group fix and warning is a message; translated, the fix lines hold no English sentence', async () => {
    const kube = new KubectlAdapter({ kubeconfig, env: { ...process.env, HOME: dir, KUBECONFIG: undefined } });
    const r = await scanCluster({ kube, namespace: 'web', allNamespaces: false, classify: await loadClassifier() });
    expect(r.groups.length).toBeGreaterThan(0);
    expect(r.warnings.length).toBe(1);
    expect(r.warningMessages?.map((m) => messageIn('en', m))).toEqual(r.warnings);
    const all = await scanCluster({ kube, allNamespaces: true, classify: await loadClassifier() });
    for (const g of [...r.groups, ...all.groups]) {
      expect(g.fixMessage, g.fix).toBeDefined();
      expect(messageIn('en', g.fixMessage)).toBe(g.fix);
      for (const lang of ['zh-CN', 'ja'] as const) {
        const fix = withLang(lang, () => tr(g.fixMessage));
        expect(englishRuns(fix), `${lang}: ${fix}`).toEqual([]);
      }
    }
    for (const lang of ['zh-CN', 'ja'] as const) {
      const text = withLang(lang, () => renderScan(r, { color: false, columns: 100 }));
      if (process.env.SHOW_I18N) console.log(withLang(lang, () => renderScan(all, { color: false, columns: 100 })));
      const warning = withLang(lang, () => tr(r.warningMessages![0]));
      expect(text).toContain(warning);
      expect(englishRuns(warning, [r.warnings[0]!.match(/\(([^)]*)\)/)![1]!]), warning).toEqual([]);
    }
  });

  it('skipped objects over the list item limit: one and several, with and without examples', () => {
    for (const skipped of [1, 3])
      for (const what of ['pod', 'event'] as const) {
        const l = { skipped, maxItemBytes: 65536, pages: 1, skippedItems: skipped === 1 ? [{ namespace: 'ns', name: 'fat' }] : [] };
        const m = skippedWarningMessage(what, l as never);
        expect(messageIn('en', m)).toBe(skippedWarning(what, l as never));
        for (const lang of ['zh-CN', 'ja'] as const) expect(englishRuns(withLang(lang, () => tr(m)))).toEqual([]);
      }
  });

  it('pods that cannot be listed: the CLI says so in the chosen language, --json keeps the English', async () => {
    for (const [lang, text] of [
      ['ja', 'Pod を一覧できません'],
      ['zh-CN', '无法列出 Pod'],
    ] as const) {
      const r = await runInProcess(['scan', '-n', 'secret-ns', '--kubeconfig', kubeconfig, '--lang', lang], { HOME: dir });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(text);
    }
    const j = await runInProcess(['scan', '-n', 'secret-ns', '--kubeconfig', kubeconfig, '--lang', 'ja', '--json'], { HOME: dir });
    expect(JSON.parse(j.stdout).error.message).toMatch(/^cannot list pods: /);
  });
});
