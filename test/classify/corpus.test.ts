import { describe, expect, it } from 'vitest';
import { CORPUS } from '../fixtures/messages/corpus.js';
import { classifyMessage, extractMessages } from '../../src/classify/classify.js';
import { CAUSE_CODES } from '../../src/core/causes.js';

describe('message corpus', () => {
  it('has at least 150 messages and covers every cause code that text can show', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(150);
    const covered = new Set(CORPUS.map((c) => c.code));
    // causes that only a live diagnosis can establish (no runtime prints them)
    const textless = new Set([
      'healthy',
      'kube-access',
      'config-not-applied',
      'config-invalid',
      'tls-interception',
      'credentials-mismatch',
      // warnings on working setups: nothing fails, so no runtime prints them
      'verification-disabled',
      'config-deprecated',
      'certificate-expiring',
      'credentials-exposed',
      'mirror-failing',
    ]);
    expect(CAUSE_CODES.filter((c) => !textless.has(c) && !covered.has(c))).toEqual([]);
  });

  for (const c of CORPUS) {
    it(`${c.name} → ${c.code}${c.host ? ` @ ${c.host}` : ''}`, () => {
      const found = extractMessages(c.text);
      expect(found.length, `no message extracted from: ${c.text}`).toBeGreaterThanOrEqual(1);
      const r = classifyMessage(found[found.length - 1]!.message);
      expect(r.code).toBe(c.code);
      if (c.code === 'unknown') {
        expect(r.confidence).toBe('low');
        return;
      }
      if (c.host) expect(r.host).toBe(c.host);
      if (c.role) expect(r.hostRole).toBe(c.role);
    });
  }
});
