// `diagnose pod/NAME` reports in zh-CN and ja: every broken-cluster pod diagnosed through the real kubectl against the
// test API server; each failing container's summary, the report's check, finding and verdict carry a message whose
// English is the stored text, and rendered in zh-CN/ja no English sentence is left in regdoctor's own words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeServer, type KubeServer } from '../kube-server/server.js';
import { podObject, populateBrokenCluster, type Scenario } from '../kube-server/broken-cluster.js';
import { KubectlAdapter } from '../../src/adapters/kube.js';
import { diagnosePod } from '../../src/kube/pod-diagnosis.js';
import { buildPodReport } from '../../src/kube/pod-report.js';
import { messageIn, summaryText, withLang, type Message } from '../../src/i18n/index.js';
import { englishRuns } from './node-english.js';

let server: KubeServer;
let dir: string;
let kube: KubectlAdapter;
let all: Scenario[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'regdoctor-i18n-pod-'));
  server = await startKubeServer({
    forbid: [
      { verb: 'list', resource: 'events', namespace: 'restricted' },
      { verb: 'get', resource: 'secrets', namespace: 'restricted' },
    ],
  });
  all = populateBrokenCluster(server);
  // a pod whose events cannot be read (RBAC): the report says what stays undecided
  server.add(
    'pods',
    podObject(
      {
        pod: 'quiet',
        namespace: 'restricted',
        node: 'node-a',
        container: 'app',
        image: 'reg.corp.test:5000/shop/web:1',
        status: 'err-image-pull',

        imagePullSecrets: ['hidden'],
        error:
          'failed to pull and unpack image "reg.corp.test:5000/shop/web:1": failed to resolve reference "reg.corp.test:5000/shop/web:1": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
      },
      'q-1',
    ),
  );
  kube = new KubectlAdapter({ kubeconfig: server.writeKubeconfig(dir), env: { ...process.env, HOME: dir, KUBECONFIG: undefined } });
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Values that are data, not regdoctor's words: runtime error texts filled in, kept as they are. */
function kept(m: Message | undefined): string[] {
  return Object.entries(m?.params ?? {}).flatMap(([k, v]) =>
    typeof v === 'object' ? kept(v) : ['why', 'error', 'detail'].includes(k) ? [String(v)] : [],
  );
}

describe('pod diagnosis reports in zh-CN and ja', () => {
  it('every scenario: container summary, check, finding and verdict translated; English unchanged', async () => {
    expect(all.length).toBeGreaterThan(5);
    const keys = new Set<string>();
    for (const sc of [...all, { pod: 'quiet', namespace: 'restricted' }]) {
      const r = await diagnosePod({ kube, name: sc.pod, namespace: sc.namespace });
      if (!r.ok) throw new Error(`${sc.pod}: ${r.message}`);
      const report = buildPodReport(r.value, { startedAt: Date.now() });
      const items = [...report.checks.filter((c) => c.status !== 'pass'), ...report.findings, report.verdict];
      for (const x of items) {
        expect(x.summaryMessage, `${sc.pod}: ${x.summary}`).toBeDefined();
        keys.add(x.summaryMessage!.key);
        // redacted like the English (a param named like a secret field would be hidden in the translation only)
        expect(messageIn('en', x.summaryMessage), sc.pod).toBe(x.summary);
        for (const lang of ['zh-CN', 'ja'] as const) {
          const text = withLang(lang, () => summaryText(x));
          expect(englishRuns(text, kept(x.summaryMessage)), `${sc.pod} ${lang}: ${text}`).toEqual([]);
        }
      }
    }
    expect(keys).toContain('node.pod.access');
  });
});
