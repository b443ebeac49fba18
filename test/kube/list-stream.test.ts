import { describe, expect, it } from 'vitest';
import { ListStreamParser, ListStreamError } from '../../src/adapters/kubectl/list-stream.js';

function parseInChunks(text: string, size: number) {
  const items: unknown[] = [];
  const metas: unknown[] = [];
  let kind: string | undefined;
  const p = new ListStreamParser({ onItem: (i) => items.push(i), onMetadata: (m) => metas.push(m), onKind: (k) => (kind = k) });
  for (let i = 0; i < text.length; i += size) p.push(text.slice(i, i + size));
  p.end();
  return { items, metas, kind };
}

const tricky = {
  kind: 'EventList',
  apiVersion: 'v1',
  metadata: { resourceVersion: '7', continue: 'abc"}]{[' },
  items: [
    { metadata: { name: 'a' }, message: 'Failed to pull image "r:5000/x": {"braces": [1,2]} \\ "quoted" ]}' },
    { metadata: { name: 'b', labels: { k: 'v' } }, nested: [[{ x: [] }], {}], unicode: 'é😀\u2028' },
    { metadata: { name: 'c' }, items: [{ not: 'a top-level item' }], metadata2: { continue: 'no' } },
  ],
};

describe('ListStreamParser', () => {
  it('yields metadata and every item whatever the chunking', () => {
    const text = JSON.stringify(tricky, null, 1);
    for (const size of [1, 2, 3, 7, 64, text.length]) {
      const r = parseInChunks(text, size);
      expect(r.items).toEqual(tricky.items);
      expect(r.metas).toEqual([tricky.metadata]);
      expect(r.kind).toBe('EventList');
    }
  });

  it('handles metadata after items (kubectl re-encoded order) and empty lists', () => {
    const text = JSON.stringify({ apiVersion: 'v1', items: [{ a: 1 }], kind: 'List', metadata: { continue: 'x' } });
    const r = parseInChunks(text, 5);
    expect(r.items).toEqual([{ a: 1 }]);
    expect(r.metas).toEqual([{ continue: 'x' }]);
    expect(parseInChunks('{"kind":"PodList","metadata":{},"items":[]}', 4).items).toEqual([]);
    expect(parseInChunks('{"kind":"PodList","metadata":{},"items":null}', 4).items).toEqual([]);
  });

  it('reports a Status document by kind', () => {
    const r = parseInChunks(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 410 }), 3);
    expect(r.kind).toBe('Status');
    expect(r.items).toEqual([]);
  });

  it('rejects truncated, malformed and oversized input', () => {
    expect(() => parseInChunks('{"items":[{"a":1}', 4)).toThrow(ListStreamError);
    expect(() => parseInChunks('[1,2]', 4)).toThrow(/expected a JSON object/);
    expect(() => parseInChunks('{"items":[{"a":1]]}', 4)).toThrow(/mismatched/);
    expect(() => parseInChunks('{"items":[{"a":1,}]}', 4)).toThrow(/malformed item/);
    expect(() => parseInChunks('', 4)).toThrow(/empty/);
    expect(() => parseInChunks('{"items":[]} {', 4)).toThrow(/after the end/);
    const p = new ListStreamParser({ onItem: () => {} }, 100);
    expect(() => p.push(`{"metadata":{"continue":"${'a'.repeat(200)}"},"items":[]}`)).toThrow(/metadata exceeds 100 bytes/);
  });

  it('skips an item over the size limit and goes on with the list, whatever the chunking', () => {
    const big = { metadata: { name: 'big.17f', namespace: 'shop' }, message: `x${'"}]{['.repeat(60)}` };
    const doc = JSON.stringify({
      kind: 'EventList',
      metadata: { continue: 'c' },
      items: [{ metadata: { name: 'a' } }, big, { metadata: { name: 'b' } }],
    });
    for (const size of [1, 7, 50, doc.length]) {
      const items: unknown[] = [];
      const skipped: unknown[] = [];
      const metas: unknown[] = [];
      const p = new ListStreamParser(
        { onItem: (i) => items.push(i), onSkip: (s) => skipped.push(s), onMetadata: (m) => metas.push(m) },
        200,
      );
      for (let i = 0; i < doc.length; i += size) p.push(doc.slice(i, i + size));
      p.end();
      expect(items).toEqual([{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }]);
      expect(skipped).toEqual([{ index: 1, bytes: JSON.stringify(big).length, namespace: 'shop', name: 'big.17f' }]);
      expect(metas).toEqual([{ continue: 'c' }]);
      expect(p.skippedCount).toBe(1);
      expect((p as unknown as { capture?: string }).capture).toBeUndefined();
    }
  });

  it('keeps memory bounded by one item: the capture buffer is dropped between items', () => {
    const p = new ListStreamParser({ onItem: () => {} });
    p.push('{"metadata":{},"items":[');
    for (let i = 0; i < 20_000; i++) p.push(`${i ? ',' : ''}{"metadata":{"name":"e${i}"},"message":"${'x'.repeat(100)}"}`);
    p.push(']}');
    p.end();
    expect(p.itemCount).toBe(20_000);
    expect((p as unknown as { capture?: string }).capture).toBeUndefined();
  });
});
