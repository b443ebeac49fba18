// explain reads stdin and files as bytes (issue 17): lines are split and pre-filtered on the raw bytes, and only those
// that may hold a pull error are decoded. The result is the same as explaining the decoded text: for the fixtures and
// the corpus fed in chunks of every size, with a byte order mark, CRLF, colour codes, non-ASCII text, invalid UTF-8,
// very long lines, and a last line without a newline.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { MessageExtractor, extractMessages } from '../../src/classify/classify.js';
import { explainStream, explainText } from '../../src/classify/explain.js';
import { CORPUS } from '../fixtures/messages/corpus.js';
import { ROOT } from '../helpers/cli.js';

function mixed(): Buffer {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const parts: Buffer[] = [Buffer.from([0xef, 0xbb, 0xbf])];
  for (const c of CORPUS) {
    const r = rnd();
    let t = c.text;
    if (r < 0.15) t = t.replace(/\n/g, '\r\n');
    else if (r < 0.3) t = `\u001b[31m${t.slice(0, 20)}\u001b[0m${t.slice(20)}`;
    else if (r < 0.45) t = t.replace(/ /, ' ü ').replace(/e/, 'ſ');
    parts.push(Buffer.from(`${t}\n`));
    // a cut UTF-8 sequence before a newline, a lone continuation byte, a stray 0xff
    if (rnd() < 0.2)
      parts.push(Buffer.from([0x66, 0x61, 0xe2, 0x82, 0x0a, 0xff, 0x20, 0x65, 0x72, 0x72, 0x6f, 0x72, 0x0a, 0x80, 0x78, 0x0a]));
    if (rnd() < 0.2) parts.push(Buffer.from('Nov 23 04:30:00 node-3 kubelet[812]: I1123 a line about nothing at all\n'));
    if (rnd() < 0.1)
      parts.push(
        Buffer.from(
          `x509\nfail\n  continued: connection refused\n${'y'.repeat(70)}\nunindented: x509: certificate signed by unknown authority\n`,
        ),
      );
  }
  parts.push(Buffer.from(`${'ab '.repeat(30_000)} dial tcp: lookup reg.example on 10.0.0.2:53: no such host\n`));
  parts.push(readFileSync(`${ROOT}test/fixtures/messages/real-world.txt`));
  parts.push(
    Buffer.from(
      'Error: initializing source docker://reg.x:5000/a:1: pinging container registry reg.x:5000: x509: certificate signed by unknown authority',
    ),
  );
  return Buffer.concat(parts);
}

/** What the decoder of the stream would have made of the bytes (a leading byte order mark dropped). */
const decoded = (b: Buffer) => new TextDecoder('utf-8').decode(b);

async function* chunks(b: Buffer, size: number) {
  for (let p = 0; p < b.length; p += size) yield b.subarray(p, p + size);
}

describe('explain over bytes', () => {
  const input = mixed();
  const text = decoded(input);
  const expected = extractMessages(text);

  it('finds the same messages, at the same lines, as in the decoded text, whatever the chunk size', () => {
    expect(expected.length).toBeGreaterThan(200);
    for (const size of [1, 2, 3, 5, 64, 1000, 65536, 1 << 20]) {
      const x = new MessageExtractor();
      for (let p = 0; p < input.length; p += size) x.pushBytes(input.subarray(p, p + size));
      expect({ size, got: x.finish() }).toEqual({ size, got: expected });
    }
  });

  it('lines that cannot begin a message are skipped without changing what is joined or the line numbers', () => {
    // a wrapped error, then 15 to 25 quiet lines (the window's reach is 20), some with cheap words, some indented
    const parts: string[] = [];
    for (let gap = 15; gap <= 25; gap++) {
      parts.push(`Failed to pull image "reg.test/a:${gap}": rpc error: code = Unknown desc = failed to resolve reference,`);
      // (odd gaps: the second line is a candidate on its own too; even: only the first line is)
      parts.push(gap % 2 ? '  tls: failed to verify certificate: x509: certificate signed by unknown authority' : '  and then some');
      // even gaps: all indented and quiet (joined to the error, up to the reach); odd: some lines with cheap words
      for (let k = 0; k < gap; k++)
        parts.push(gap % 2 === 0 || k % 3 ? `  quiet indented line ${k}` : `Started unit ${k}.scope - a failed-looking word`);
      parts.push(`${'w'.repeat(70)} x509: certificate has expired (${gap})`);
      parts.push('continues on the next line in lower case');
    }
    const text = `${parts.join('\n')}\n`;
    const expected = extractMessages(text);
    expect(expected.length).toBe(22);
    for (const size of [1, 100, 4096, 1 << 20]) {
      const x = new MessageExtractor();
      const b = Buffer.from(text);
      for (let p = 0; p < b.length; p += size) x.pushBytes(b.subarray(p, p + size));
      expect(x.finish()).toEqual(expected);
    }
  });

  it('explainStream over Buffers gives explainText of the decoded text', async () => {
    expect(await explainStream(chunks(input, 4096))).toEqual(explainText(text));
  });

  it('a byte order mark is dropped only at the start; a Uint8Array is read like a Buffer', () => {
    // (a BOM left in would keep the time stamp from being stripped: trim() alone removes a BOM)
    const body = Buffer.from('2026-11-23T04:30:00Z x509: certificate signed by unknown authority\n\ufeffx509: certificate has expired');
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]);
    for (const size of [1, 2, 4, 100]) {
      const x = new MessageExtractor();
      for (let p = 0; p < withBom.length; p += size) x.pushBytes(new Uint8Array(withBom.subarray(p, p + size)));
      expect(x.finish()).toEqual(extractMessages(decoded(withBom)));
    }
    expect(extractMessages(decoded(withBom))[0]!.message).toBe('x509: certificate signed by unknown authority');
  });

  it('a line longer than the cut (1 MiB) is cut at a character boundary and still read', () => {
    const long = Buffer.from(
      `${'é'.repeat(600_000)} x509: certificate signed by unknown authority\nnext line: x509: certificate has expired\n`,
    );
    const x = new MessageExtractor();
    for (let p = 0; p < long.length; p += 65536) x.pushBytes(long.subarray(p, p + 65536));
    const got = x.finish().map((m) => m.message);
    // (compared as booleans: a failure does not print megabytes)
    expect(got.some((m) => m.includes('\ufffd'))).toBe(false);
    expect(got.some((m) => m.includes('é x509: certificate signed by unknown authority'))).toBe(true);
  });
});
