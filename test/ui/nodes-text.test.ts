// `regdoctor nodes` plain text on a colour terminal: wrapped lines carry real colour codes, never the visible escapes
// (`\x1b[2m`) that wrapping painted text used to produce; every line fits the width.
import { describe, expect, it } from 'vitest';
import { renderMatrixText } from '../../src/ui/nodes-view.js';
import { stripAnsi } from '../../src/ui/format.js';
import { displayWidth } from '../../src/text/width.js';

describe('nodes matrix text with colour', () => {
  it('paints after wrapping: no escaped colour codes, lines within 60 columns', () => {
    const text = renderMatrixText(
      {
        target: 'reg.test:5000/app:1',
        total: 3,
        groups: [
          {
            key: 'a',
            code: 'untrusted-ca',
            title: 'certificate signed by an unknown authority',
            summary: 'the registry certificate is issued by a CA this node does not trust',
            predictedRuntimeError:
              'failed to pull and unpack image "reg.test:5000/app:1": failed to resolve reference "reg.test:5000/app:1": x509: certificate signed by unknown authority',
            nodes: ['node-a', 'node-b'],
            healthy: false,
          },
          { key: 'b', code: 'healthy', title: 'healthy', summary: 'pulls', nodes: ['node-c'], healthy: true },
        ],
        fixes: [],
        notes: [],
      },
      { color: true, columns: 60 },
    );
    expect(text).not.toContain('\\x1b');
    expect(text).toContain('\u001b[2m');
    for (const l of stripAnsi(text).split('\n')) expect(displayWidth(l), l).toBeLessThanOrEqual(60);
  });
});
