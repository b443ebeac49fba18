// The guided-fix screen on a TTY: the plan, then each step with its unified diff and a decision (y/n/a/q).
// Pure rendering of (steps, decisions); the fix engine applies only what was accepted here.
import React, { useState } from 'react';
import { Box, Static, Text, render, useApp, useInput } from 'ink';
import type { CliIO } from '../cli/io.js';

export interface FixStepView {
  summary: string;
  diff?: string;
}

export interface FixPromptProps {
  title: string;
  risk: string;
  description: string;
  steps: FixStepView[];
  color: boolean;
  columns: number;
  /** Decisions so far (for rendering and snapshots). */
  decisions?: boolean[];
  onDone?: (decisions: boolean[]) => void;
}

function DiffLines({ diff, color, width }: { diff: string; color: boolean; width: number }) {
  const lines = diff.trimEnd().split('\n').slice(0, 80);
  return (
    <Box flexDirection="column" paddingLeft={4}>
      {lines.map((l, i) => (
        <Text key={i} color={color ? (l.startsWith('+') && !l.startsWith('+++') ? 'green' : l.startsWith('-') && !l.startsWith('---') ? 'red' : l.startsWith('@@') ? 'cyan' : undefined) : undefined}>
          {l.length > width - 6 ? `${l.slice(0, width - 7)}…` : l}
        </Text>
      ))}
    </Box>
  );
}

export function FixPrompt(p: FixPromptProps) {
  const decided = p.decisions ?? [];
  const i = decided.length;
  const current = p.steps[i];
  const width = Math.max(40, p.columns - 1);
  return (
    <Box flexDirection="column" width={width}>
      <Static items={[{ key: 'head' }, ...decided.map((d, k) => ({ key: `s${k}`, k, d }))]}>
        {(item) =>
          'k' in item ? (
            <Text key={item.key} color={p.color ? (item.d ? 'green' : 'gray') : undefined}>{`  ${item.d ? '✓' : '–'} ${item.k + 1}. ${p.steps[item.k]!.summary}${item.d ? '' : ' (skipped)'}`}</Text>
          ) : (
            <Box key="head" flexDirection="column" marginBottom={1}>
              <Text bold>{`Plan: ${p.title}  [${p.risk}]`}</Text>
              <Text>{`  ${p.description}`}</Text>
            </Box>
          )
        }
      </Static>
      {current ? (
        <Box flexDirection="column">
          <Text bold>{`  ${i + 1}/${p.steps.length}. ${current.summary}`}</Text>
          {current.diff ? <DiffLines diff={current.diff} color={p.color} width={width} /> : null}
          <Text color={p.color ? 'cyan' : undefined}>{'  Apply this step? [y] yes  [n] no (stop here)  [a] yes to all remaining  [q] quit'}</Text>
        </Box>
      ) : (
        <Text>{`  ${decided.filter(Boolean).length} of ${p.steps.length} steps accepted.`}</Text>
      )}
    </Box>
  );
}

export function FixPromptInteractive(p: FixPromptProps & { done: (d: boolean[]) => void }) {
  const { exit } = useApp();
  const [decisions, setDecisions] = useState<boolean[]>([]);
  const finish = (d: boolean[]) => {
    p.done(d);
    exit();
  };
  useInput((input, key) => {
    const rest = p.steps.length - decisions.length;
    if (input === 'y') {
      const d = [...decisions, true];
      setDecisions(d);
      if (d.length === p.steps.length) finish(d);
    } else if (input === 'a') finish([...decisions, ...Array(rest).fill(true)]);
    else if (input === 'n' || input === 'q' || key.escape || (key.ctrl && input === 'c')) finish([...decisions, ...Array(rest).fill(false)]);
  });
  return <FixPrompt {...p} decisions={decisions} />;
}

/** Asks for every step on the terminal; resolves with one decision per step (a "no" declines the rest). */
export async function confirmPlan(io: CliIO, p: Omit<FixPromptProps, 'decisions' | 'onDone' | 'color' | 'columns'>): Promise<boolean[]> {
  let result: boolean[] = p.steps.map(() => false);
  const inst = render(<FixPromptInteractive {...p} color={io.color} columns={io.columns} done={(d) => (result = d)} />, {
    stdout: io.stdout as NodeJS.WriteStream,
    stdin: io.stdin as NodeJS.ReadStream,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  await inst.waitUntilExit();
  return result;
}
