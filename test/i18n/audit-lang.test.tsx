// The audit table in zh-CN and ja: translated headers and key hints, columns aligned by display width (a CJK header
// takes two columns per character), no line wider than the terminal; codes and hosts unchanged.
import { describe, expect, it } from 'vitest';
import React from 'react';
import { renderToString } from 'ink';
import { AuditTable } from '../../src/ui/audit-view.js';
import { stripAnsi } from '../../src/ui/format.js';
import { displayWidth } from '../../src/text/width.js';
import { withLang } from '../../src/i18n/index.js';
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
  entry('registry.internal.example:5000', { warnings: ['verification-disabled'] }),
  entry('c.test:5000', { verdict: { code: 'untrusted-ca', severity: 'error', title: 't', summary: 's' }, problems: ['untrusted-ca'] }),
];

describe('audit table in other languages', () => {
  for (const [lang, header, keys] of [
    ['zh-CN', '主机', '[q/Esc] 退出'],
    ['ja', 'ホスト', '[q/Esc] 終了'],
  ] as const) {
    for (const columns of [60, 100]) {
      it(`${lang} at ${columns} columns: headers and keys translated, columns aligned by display width`, () => {
        const frame = withLang(lang, () =>
          stripAnsi(
            renderToString(
              <AuditTable entries={entries} hosts={entries.map((e) => e.host)} done selected={0} columns={columns} color={false} />,
              { columns },
            ),
          ),
        );
        const lines = frame.split('\n');
        for (const l of lines) expect(displayWidth(l), l).toBeLessThanOrEqual(columns);
        expect(frame).toContain(header);
        expect(frame).toContain(keys);
        expect(frame).toContain('untrusted-ca');
        // the second column starts at the same display column in the header and every row
        const head = lines.find((l) => l.includes(header))!;
        const col = (l: string, word: string) => displayWidth(l.slice(0, l.indexOf(word)));
        const verdictHead = lang === 'zh-CN' ? '结论' : '判定';
        const rows = lines.filter((l) => /\.(test|example):5000/.test(l));
        expect(rows.length).toBe(3);
        for (const r of rows) expect(col(r, r.includes('untrusted-ca') ? 'untrusted-ca' : 'healthy'), r).toBe(col(head, verdictHead));
      });
    }
  }
});
