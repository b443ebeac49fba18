// `regdoctor audit` on a TTY: the table fills in as registries finish; then ↑/↓ select a row, `f` hardens the
// selected registry (when a warning has an automatic remedy and an image to verify with), `q` quits. Names come from
// node files and the cluster: shown inert and clipped.
import React, { useRef, useState } from 'react';
import { Box, Text, render, useApp, useInput } from 'ink';
import type { AuditEntry } from '../app/audit.js';
import { sanitizeLine } from '../text/sanitize.js';
import { clip } from './format.js';
import { auditHead, configuredText, expiryText, verdictText } from './audit-text.js';
import { displayWidth, padEndWidth } from '../text/width.js';
import { tr } from '../i18n/index.js';

/** The table's human strings, from the catalogue (src/i18n) in the active language. */
export const AUDIT_KEYS = {
  running: (done: number, total: number) => tr({ key: 'audit.running', params: { done, total } }),
  get keys() {
    return tr({ key: 'audit.keys' });
  },
  get noHarden() {
    return tr({ key: 'audit.noHarden' });
  },
  get needsImage() {
    return tr({ key: 'audit.needsImage' });
  },
};

export interface AuditViewProps {
  entries: (AuditEntry | undefined)[];
  hosts: string[];
  done: boolean;
  selected: number;
  columns: number;
  color: boolean;
  message?: string;
}

const t = (s: string) => sanitizeLine(s);

function tone(e: AuditEntry | undefined): string | undefined {
  if (!e) return 'gray';
  if (e.state !== 'diagnosed') return 'yellow';
  if (e.verdict.code !== 'healthy') return 'red';
  return e.warnings.length ? 'yellow' : 'green';
}

export function AuditTable(p: AuditViewProps) {
  const width = Math.max(40, p.columns - 1);
  const rows = p.hosts.map((h, i) => {
    const e = p.entries[i];
    return [t(h), e ? verdictText(e) : '…', e ? e.warnings.join(', ') || '–' : '', e ? expiryText(e) : '', e ? configuredText(e) : ''];
  });
  const head = auditHead();
  const max = [36, 24, 44, 18, 40];
  // display columns: a translated header or a wide name takes two per character
  const widths = head.map((h, i) => Math.min(max[i]!, Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i]!)))));
  const fmt = (cells: string[]) => cells.map((c, i) => padEndWidth(clip(c, widths[i]!), widths[i]!)).join('  ');
  const finished = p.entries.filter(Boolean).length;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>regdoctor audit</Text>
      <Text dimColor>{clip(`  ${fmt(head)}`, width)}</Text>
      {rows.map((r, i) => {
        const e = p.entries[i];
        const glyph = !e ? '·' : e.state !== 'diagnosed' ? '?' : e.verdict.code !== 'healthy' ? '✗' : e.warnings.length ? '!' : '✓';
        const sel = p.done && i === p.selected;
        return (
          <Text key={i} color={p.color ? tone(e) : undefined} inverse={sel}>
            {clip(`${glyph} ${fmt(r)}`, width)}
          </Text>
        );
      })}
      {p.done ? (
        <Box flexDirection="column" marginTop={1}>
          {p.entries[p.selected]?.harden ? (
            <Text>{clip(`  ${tr({ key: 'node.audit.harden', params: { command: p.entries[p.selected]!.harden! } })}`, width)}</Text>
          ) : null}
          {p.message ? <Text color={p.color ? 'yellow' : undefined}>{clip(`  ${p.message}`, width)}</Text> : null}
          <Text color={p.color ? 'cyan' : undefined}>{clip(`  ${AUDIT_KEYS.keys}`, width)}</Text>
        </Box>
      ) : (
        <Text dimColor>{AUDIT_KEYS.running(finished, p.hosts.length)}</Text>
      )}
    </Box>
  );
}

/** The interactive table: resolves with the entry to harden, or undefined on quit. */
export function AuditInteractive(p: Omit<AuditViewProps, 'selected' | 'message'> & { decide: (e: AuditEntry | undefined) => void }) {
  const { exit } = useApp();
  const [selected, setSelected] = useState(0);
  // the key handler reads the selection through a ref: keys typed quickly must not see a stale row
  const sel = useRef(0);
  const move = (to: number) => {
    sel.current = Math.max(0, Math.min(p.hosts.length - 1, to));
    setSelected(sel.current);
    setMessage(undefined);
  };
  const [message, setMessage] = useState<string | undefined>();
  useInput((input, key) => {
    if (!p.done) {
      if (input === 'q' || key.escape) {
        p.decide(undefined);
        exit();
      }
      return;
    }
    if (key.upArrow) move(sel.current - 1);
    else if (key.downArrow) move(sel.current + 1);
    else if (input === 'f') {
      const e = p.entries[sel.current];
      if (!e?.harden) setMessage(AUDIT_KEYS.noHarden);
      else if (!e.target.includes('/')) setMessage(AUDIT_KEYS.needsImage);
      else {
        p.decide(e);
        exit();
      }
    } else if (input === 'q' || key.escape || (key.ctrl && input === 'c')) {
      p.decide(undefined);
      exit();
    }
  });
  return <AuditTable {...p} selected={selected} message={message} />;
}

/** Starts the view; `update` as registries finish, `finish` lets the operator choose. */
export function startAuditView(
  io: { stdout: NodeJS.WritableStream; stdin: NodeJS.ReadableStream; columns: number; color: boolean },
  hosts: string[],
) {
  let entries: (AuditEntry | undefined)[] = hosts.map(() => undefined);
  let done = false;
  let resolve!: (e: AuditEntry | undefined) => void;
  const decided = new Promise<AuditEntry | undefined>((r) => (resolve = r));
  const view = () => (
    <AuditInteractive entries={entries} hosts={hosts} done={done} columns={io.columns} color={io.color} decide={(e) => resolve(e)} />
  );
  const inst = render(view(), {
    stdout: io.stdout as NodeJS.WriteStream,
    stdin: io.stdin as NodeJS.ReadStream,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    update(e: AuditEntry) {
      const i = hosts.indexOf(e.host);
      if (i >= 0) entries = entries.map((x, k) => (k === i ? e : x));
      inst.rerender(view());
    },
    async finish(all: AuditEntry[]): Promise<AuditEntry | undefined> {
      entries = hosts.map((h) => all.find((e) => e.host === h));
      done = true;
      inst.rerender(view());
      const choice = await decided;
      inst.unmount();
      return choice;
    },
    abort() {
      resolve(undefined);
      inst.unmount();
    },
  };
}
