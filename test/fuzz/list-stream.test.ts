// Fuzz: the streaming reader for Kubernetes List documents (pods, events, secrets from the API server or a proxy in
// the way), fed in arbitrary chunks. Classified = ListStreamError; any other throw fails.
import { afterAll, describe, expect, it } from 'vitest';
import { ListStreamError, ListStreamParser } from '../../src/adapters/kubectl/list-stream.js';
import { fuzz, mutateText, randomJson, stopWatchdog, type Rng } from './mutate.js';

afterAll(stopWatchdog);

const WORDS = [
  'kind',
  'apiVersion',
  'metadata',
  'items',
  'name',
  'namespace',
  'continue',
  'resourceVersion',
  'message',
  'PodList',
  'Status',
  'v1',
  'Failed to pull image "r/a:1": x509',
  '"}]{[',
  '\\',
  '\u2028',
  '😀',
  '',
];

const SEEDS = [
  JSON.stringify({
    kind: 'EventList',
    apiVersion: 'v1',
    metadata: { resourceVersion: '7', continue: 'abc"}]{[' },
    items: [
      { metadata: { name: 'a', namespace: 'ns' }, message: 'Failed to pull image "r:5000/x": {"braces": [1,2]} \\ "quoted" ]}' },
      { metadata: { name: 'b' }, nested: [[{ x: [] }], {}] },
    ],
  }),
  JSON.stringify({ apiVersion: 'v1', items: [{ a: 1 }], kind: 'List', metadata: { continue: 'x' } }, null, 2),
  JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 410 }),
  '{"kind":"PodList","metadata":{},"items":null}',
  '{"kind":"PodList","metadata":{},"items":[]}',
];

const DICT = [
  '{',
  '}',
  '[',
  ']',
  '"',
  '\\"',
  '\\',
  ',',
  ':',
  '"items":',
  '"metadata":',
  '"kind":',
  '{"metadata":{"name":"x"}}',
  'null',
  '1e999',
  ' ',
  '\n',
];

function doc(rng: Rng): string {
  if (rng.chance(0.3)) {
    const items = Array.from({ length: rng.size(20) }, () =>
      rng.chance(0.9) ? { metadata: { name: rng.pick(WORDS), namespace: 'ns' }, spec: randomJson(rng, WORDS) } : randomJson(rng, WORDS),
    );
    const d = JSON.stringify({ kind: rng.pick(['PodList', 'Status', 'List']), apiVersion: 'v1', metadata: randomJson(rng, WORDS), items });
    return rng.chance(0.5) ? d : mutateText(rng, [d], { dictionary: DICT });
  }
  return mutateText(rng, SEEDS, {
    dictionary: DICT,
    nest: [
      ['[', ']'],
      ['{"a":', '}'],
      ['{"items":[', ']}'],
    ],
    maxLength: 300_000,
  });
}

describe('fuzz: Kubernetes list stream', () => {
  it('ListStreamParser: ListStreamError or items, for any bytes in any chunking', async () => {
    await fuzz({
      name: 'list-stream',
      iterations: 800,
      generate: (rng) => ({ text: doc(rng), chunk: rng.pick([1, 3, 64, 4096, 1 << 20]), max: rng.pick([64, 4096, 8 * 1024 * 1024]) }),
      run: ({ text, chunk, max }) => {
        let items = 0;
        let skipped = 0;
        const p = new ListStreamParser({ onItem: () => items++, onMetadata: () => {}, onKind: () => {}, onSkip: () => skipped++ }, max);
        // byte-by-byte only for short documents: the suite stays fast
        const step = text.length > 5_000 && chunk < 64 ? 4096 : chunk;
        for (let i = 0; i < text.length; i += step) p.push(text.slice(i, i + step));
        p.end();
        return { items, skipped };
      },
      classified: (err) => err instanceof ListStreamError,
      check: (r) => {
        const { items, skipped } = r as { items: number; skipped: number };
        expect(items + skipped).toBeGreaterThanOrEqual(0);
      },
    });
  });
});
