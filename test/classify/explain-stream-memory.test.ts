// explain streams: memory stays flat in the input size. The built CLI reads a 20,000-line and a 200,000-line journal
// (the bench's generator: real wordings between kubelet/containerd noise) on stdin; the peak RSS of the bigger run,
// as the kernel accounts it, stays within a few MiB of the smaller one (kept lines and messages are copied out of
// the 64 KiB chunks they were cut from: before that, 10× the input cost +50 MiB).
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BIN, ROOT } from '../helpers/cli.js';
import { journal } from '../../scripts/bench.js';

const wordings = readFileSync(`${ROOT}test/fixtures/messages/real-world.txt`, 'utf8')
  .split('\n')
  .filter((l) => l.length > 40 && !l.startsWith('#') && !l.startsWith('--- '));

function peakRssKiB(file: string): Promise<{ kib: number; stdout: string }> {
  const fd = openSync(file, 'r');
  const out = `${file}.time`;
  return new Promise((resolve, reject) => {
    const c = spawn('/usr/bin/time', ['-f', '%M', '-o', out, process.execPath, BIN, 'explain', '--json'], {
      stdio: [fd, 'pipe', 'ignore'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    c.stdout!.on('data', (d) => (stdout += d));
    c.on('error', reject);
    c.on('close', () => {
      closeSync(fd);
      resolve({ kib: Number(readFileSync(out, 'utf8').trim().split('\n').pop()), stdout });
    });
  });
}

describe('explain on a streamed journal', () => {
  it('peak memory does not grow with the input (≥ 20k vs ≥ 200k lines)', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'regdoctor-explain-mem-'));
    try {
      // every 50th line is a wording: the small journal holds each of them at least once, the big one ten times over
      const lines = Math.max(20_000, wordings.length * 50);
      writeFileSync(path.join(dir, 'small.log'), journal(lines, wordings));
      writeFileSync(path.join(dir, 'big.log'), journal(lines * 10, wordings));
      const small = await peakRssKiB(path.join(dir, 'small.log'));
      const big = await peakRssKiB(path.join(dir, 'big.log'));
      // both found the same distinct errors (the big one repeats the wordings ten times over)
      const codes = (s: string) => new Set((JSON.parse(s) as { items: { code: string }[] }).items.map((i) => i.code));
      expect(codes(big.stdout)).toEqual(codes(small.stdout));
      expect(big.kib - small.kib).toBeLessThan(20 * 1024);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
