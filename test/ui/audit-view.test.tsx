// The audit table on a TTY (issue 19 item 2): rows fill in as registries finish; then ↑/↓ select and `f` hands the
// selected registry to fix --harden — only when a warning has an automatic remedy and an image to verify with.
import { describe, expect, it } from 'vitest';
import React from 'react';
import { render } from 'ink-testing-library';
import { AuditInteractive, AuditTable, AUDIT_KEYS } from '../../src/ui/audit-view.js';
import { stripAnsi } from '../../src/ui/format.js';
import type { AuditEntry } from '../../src/app/audit.js';

const entry = (host: string, o: Partial<AuditEntry> = {}): AuditEntry => ({
  host,
  target: host,
  sources: [{ kind: 'hosts-toml', where: `/etc/containerd/certs.d/${host}/hosts.toml` }],
  state: 'diagnosed',
  verdict: { code: 'healthy', severity: 'info', title: 'h', summary: 'ok' },
  warnings: [],
  problems: [],
  durationMs: 1,
  ...o,
});

const entries = [
  entry('a.test:5000'),
  entry('b.test:5000', {
    target: 'b.test:5000/app:1',
    warnings: ['verification-disabled'],
    harden: 'regdoctor fix --harden b.test:5000/app:1',
  }),
  entry('c.test:5000', { warnings: ['verification-disabled'], harden: 'regdoctor fix --harden c.test:5000/REPOSITORY:TAG' }),
  entry('evil\u001b[2J.test', {
    verdict: { code: 'untrusted-ca', severity: 'error', title: 't', summary: 's' },
    problems: ['untrusted-ca'],
  }),
];
const hosts = entries.map((e) => e.host);
const tick = () => new Promise((r) => setTimeout(r, 20));

describe('audit view', () => {
  it('while running: finished rows filled, the others waiting, the count', () => {
    const f = stripAnsi(
      render(
        <AuditTable
          entries={[entries[0], undefined, undefined, entries[3]]}
          hosts={hosts}
          done={false}
          selected={0}
          columns={120}
          color={false}
        />,
      ).lastFrame() ?? '',
    );
    expect(f).toMatch(/✓ a\.test:5000 +healthy/);
    expect(f).toMatch(/· b\.test:5000 +…/);
    expect(f).toContain(AUDIT_KEYS.running(2, 4));
    // a hostile name is inert
    expect(f).not.toContain('\u001b[2J');
    expect(f).toMatch(/✗ evil\\x1b\[2J\.test +untrusted-ca/);
  });

  it('f on a registry with an image hands it to harden; without an image or a remedy it says why; q quits', async () => {
    const picks: (AuditEntry | undefined)[] = [];
    const r = render(<AuditInteractive entries={entries} hosts={hosts} done columns={120} color={false} decide={(e) => picks.push(e)} />);
    await tick();
    r.stdin.write('f'); // a.test: healthy, nothing to harden
    await tick();
    expect(stripAnsi(r.lastFrame() ?? '')).toContain(AUDIT_KEYS.noHarden);
    r.stdin.write('\u001b[B'); // ↓
    await tick();
    r.stdin.write('\u001b[B'); // ↓ c.test: no image known
    await tick();
    r.stdin.write('f');
    await tick();
    expect(stripAnsi(r.lastFrame() ?? '')).toContain(AUDIT_KEYS.needsImage);
    expect(picks).toEqual([]);
    r.stdin.write('\u001b[A'); // ↑ b.test
    await tick();
    expect(stripAnsi(r.lastFrame() ?? '')).toContain('harden: regdoctor fix --harden b.test:5000/app:1');
    r.stdin.write('f');
    await tick();
    expect(picks.map((e) => e?.host)).toEqual(['b.test:5000']);

    const quits: (AuditEntry | undefined)[] = [];
    const q = render(<AuditInteractive entries={entries} hosts={hosts} done columns={120} color={false} decide={(e) => quits.push(e)} />);
    await tick();
    q.stdin.write('q');
    await tick();
    expect(quits).toEqual([undefined]);
  });
});
