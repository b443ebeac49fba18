// The guided-fix screen on a TTY: the plan, then every step with its unified diff (reviewed one by one), then one
// final decision for the whole plan. Nothing is written while this screen is up: the fix engine applies all the
// steps after the final yes, or none (q, n, Esc or Ctrl-C at any point).
import React, { useState } from 'react';
import { Box, Static, Text, render, useApp, useInput } from 'ink';
import type { CliIO } from '../app/io.js';

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
  /** How many steps were reviewed so far (for rendering and snapshots); all of them: the final question. */
  reviewed?: number;
}

function DiffLines({ diff, color, width }: { diff: string; color: boolean; width: number }) {
  const lines = diff.trimEnd().split('\n').slice(0, 80);
  return (
    <Box flexDirection="column" paddingLeft={4}>
      {lines.map((l, i) => (
        <Text
          key={i}
          color={
            color
              ? l.startsWith('+') && !l.startsWith('+++')
                ? 'green'
                : l.startsWith('-') && !l.startsWith('---')
                  ? 'red'
                  : l.startsWith('@@')
                    ? 'cyan'
                    : undefined
              : undefined
          }
        >
          {l.length > width - 6 ? `${l.slice(0, width - 7)}…` : l}
        </Text>
      ))}
    </Box>
  );
}

export function FixPrompt(p: FixPromptProps) {
  const i = Math.min(p.reviewed ?? 0, p.steps.length);
  const current = p.steps[i];
  const width = Math.max(40, p.columns - 1);
  return (
    <Box flexDirection="column" width={width}>
      <Static items={[{ key: 'head' }, ...p.steps.slice(0, i).map((_, k) => ({ key: `s${k}`, k }))]}>
        {(item) =>
          'k' in item ? (
            <Text key={item.key} color={p.color ? 'gray' : undefined}>{`  ${item.k + 1}. ${p.steps[item.k]!.summary} (seen)`}</Text>
          ) : (
            <Box key="head" flexDirection="column" marginBottom={1}>
              <Text bold>{`Plan: ${p.title}  [${p.risk}]`}</Text>
              <Text>{`  ${p.description}`}</Text>
              <Text>{`  ${p.steps.length} step${p.steps.length === 1 ? '' : 's'}; nothing is written before your final yes.`}</Text>
            </Box>
          )
        }
      </Static>
      {current ? (
        <Box flexDirection="column">
          <Text bold>{`  ${i + 1}/${p.steps.length}. ${current.summary}`}</Text>
          {current.diff ? <DiffLines diff={current.diff} color={p.color} width={width} /> : null}
          <Text color={p.color ? 'cyan' : undefined}>{'  [y/Enter] next step  [q/n/Esc] quit — nothing is changed'}</Text>
        </Box>
      ) : (
        <Box flexDirection="column">
          <Text
            bold
          >{`  Apply all ${p.steps.length} step${p.steps.length === 1 ? '' : 's'} now? (any failure rolls back the earlier steps)`}</Text>
          <Text color={p.color ? 'cyan' : undefined}>{'  [y] apply  [n/q/Esc] quit — nothing is changed'}</Text>
        </Box>
      )}
    </Box>
  );
}

export function FixPromptInteractive(p: FixPromptProps & { done: (apply: boolean) => void }) {
  const { exit } = useApp();
  const [reviewed, setReviewed] = useState(0);
  const [finished, setFinished] = useState(false);
  const finish = (apply: boolean) => {
    if (finished) return;
    setFinished(true);
    p.done(apply);
    exit();
  };
  useInput((input, key) => {
    if (finished) return;
    if (input === 'q' || input === 'n' || key.escape || (key.ctrl && input === 'c')) finish(false);
    else if (reviewed < p.steps.length) {
      if (input === 'y' || input === ' ' || key.return) setReviewed(reviewed + 1);
    } else if (input === 'y') finish(true);
  });
  return <FixPrompt {...p} reviewed={reviewed} />;
}

/** Shows every step on the terminal, then asks once: true only for the final yes. */
export async function confirmPlan(io: CliIO, p: Omit<FixPromptProps, 'reviewed' | 'color' | 'columns'>): Promise<boolean> {
  let result = false;
  const inst = render(<FixPromptInteractive {...p} color={io.color} columns={io.columns} done={(d) => (result = d)} />, {
    stdout: io.stdout as NodeJS.WriteStream,
    stdin: io.stdin as NodeJS.ReadStream,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  await inst.waitUntilExit();
  return result;
}
