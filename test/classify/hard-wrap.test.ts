// A record hard-wrapped at a terminal's width (pasted from an 80-column terminal or pager) is read as the one line it
// was, in text and in streamed bytes; a line that merely happens to be that long is not joined with a new record.
import { describe, expect, it } from 'vitest';
import { explainStream, explainText } from '../../src/classify/explain.js';

/** Cuts text into lines of exactly `width` characters (the last one shorter), as a terminal wraps it. */
const hardWrap = (text: string, width: number) => text.match(new RegExp(`.{1,${width}}`, 'g'))!.join('\n');

const RECORD =
  'May  9 07:17:13 node-3 containerd[640]: time="2026-05-09T07:17:13.765029480-04:00" level=error msg="PullImage \\"reg.corp.test/team/api:1\\" failed" error="failed to pull and unpack image \\"reg.corp.test/team/api:1\\": failed to resolve reference \\"reg.corp.test/team/api:1\\": unexpected status from HEAD request to https://reg.corp.test/v2/team/api/manifests/1: 401 Unauthorized"';

async function* chunks(text: string, size: number) {
  const b = Buffer.from(text);
  for (let k = 0; k < b.length; k += size) yield b.subarray(k, k + size);
}

describe('records hard-wrapped at a terminal width', () => {
  for (const width of [80, 100, 120]) {
    it(`wrapped at ${width} columns: the same item as the unwrapped record (text and bytes)`, async () => {
      const whole = explainText(RECORD).items;
      expect(whole.map((i) => i.code)).toEqual(['unauthorized']);
      const noise = 'Nov 23 04:30:01 node-3 systemd[1]: Started cri-containerd-4be2f0e8.scope.\n'.repeat(30);
      const wrapped = hardWrap(RECORD, width);
      const text = `${noise}${wrapped}\n${noise}`;
      for (const r of [explainText(text), await explainStream(chunks(text, 7)), await explainStream(chunks(text, 64 * 1024))]) {
        expect(r.items.map((i) => [i.code, i.host, i.image, i.failingUrl])).toEqual(
          whole.map((i) => [i.code, i.host, i.image, i.failingUrl]),
        );
        // a message spanning several lines is reported at its last line, as for any joined message
        expect(r.items[0]!.line).toBe(30 + wrapped.split('\n').length);
      }
    });
  }

  it('an exactly-80-column line does not swallow the next record, nor an indented line', () => {
    const line80 = 'Nov 23 04:30:01 node-3 kubelet[812]: I1123 04:30:01.000000 812 kubelet.go:1 "ok"'.padEnd(80, 'x');
    expect(line80).toHaveLength(80);
    const text = `${line80}\nNov 23 04:30:02 node-3 kubelet[812]: E1123 x509: certificate signed by unknown authority\n`;
    const items = explainText(text).items;
    expect(items.map((i) => [i.code, i.line])).toEqual([['untrusted-ca', 2]]);
    expect(items[0]!.message).not.toContain('xxxx');
  });

  it('a line of another length is not joined with what follows (no wrap width)', () => {
    const cut = RECORD.slice(0, 81);
    const text = `${cut}\n${RECORD.slice(81)}\n`;
    // 81 is no terminal width: the tail alone is judged (its own words), never glued to the head
    for (const i of explainText(text).items) expect(i.message.startsWith(RECORD.slice(0, 20))).toBe(false);
  });
});
