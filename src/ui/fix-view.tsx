// The guided-fix screen on a TTY: the plan, then every step with its unified diff (reviewed one by one), then one
// final decision for the whole plan. Nothing is written while this screen is up: the fix engine applies all the
// steps after the final yes, or none (q, n, Esc or Ctrl-C at any point).
import React, { useState } from 'react';
import { Box, Static, Text, render, useApp, useInput } from 'ink';
import type { CliIO } from '../app/io.js';
import { wrapPre, wrapUnits } from '../text/width.js';
import { wrapLine } from './format.js';
import { t, tn } from '../i18n/index.js';

// The screen's human strings, from the message catalogue (src/i18n) in the active language.
export const FIX_TEXT = {
  plan: (title: string, risk: string) => t('fix.plan', { title, risk }),
  steps: (n: number) => tn('fix.steps', n),
  get seen() {
    return t('fix.seen');
  },
  get stepKeys() {
    return [t('fix.key.next'), t('fix.key.quit')];
  },
  applyAll: (n: number) => tn('fix.applyAll', n),
  get finalKeys() {
    return [t('fix.key.apply'), t('fix.key.quitFinal')];
  },
};

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

const diffColor = (l: string) =>
  l.startsWith('+') && !l.startsWith('+++')
    ? 'green'
    : l.startsWith('-') && !l.startsWith('---')
      ? 'red'
      : l.startsWith('@@')
        ? 'cyan'
        : undefined;

/** A diff, each line wrapped in place (spacing kept, continuation indented two more), never wider than `width`. */
function DiffLines({ diff, color, width }: { diff: string; color: boolean; width: number }) {
  const lines = diff.trimEnd().split('\n').slice(0, 80);
  return (
    <Box flexDirection="column">
      {lines.flatMap((l, i) =>
        wrapPre(l, width, '    ', '      ').map((piece, k) => (
          <Text key={`${i}.${k}`} color={color ? diffColor(l) : undefined}>
            {piece}
          </Text>
        )),
      )}
    </Box>
  );
}

/** Wrapped text: every line a <Text>, words never split, continuation lines indented. */
function Para({
  text,
  width,
  first,
  rest,
  bold,
  color,
}: {
  text: string;
  width: number;
  first: string;
  rest?: string;
  bold?: boolean;
  color?: string;
}) {
  return (
    <>
      {wrapLine(text, width, first, rest ?? first).map((l, i) => (
        <Text key={i} bold={bold} color={color}>
          {l}
        </Text>
      ))}
    </>
  );
}

/** Key hints: each kept whole when they wrap. */
function Keys({ keys, width, color }: { keys: string[]; width: number; color: boolean }) {
  return (
    <>
      {wrapUnits(keys, width, '  ', '  ').map((l, i) => (
        <Text key={i} color={color ? 'cyan' : undefined}>
          {l}
        </Text>
      ))}
    </>
  );
}

export function FixPrompt(p: FixPromptProps) {
  const i = Math.min(p.reviewed ?? 0, p.steps.length);
  const current = p.steps[i];
  // one column short of the terminal: a full last column makes terminals wrap and breaks redraws
  const width = Math.max(30, p.columns - 1);
  const n = p.steps.length;
  return (
    <Box flexDirection="column">
      <Static items={[{ key: 'head' }, ...p.steps.slice(0, i).map((_, k) => ({ key: `s${k}`, k }))]}>
        {(item) =>
          'k' in item ? (
            <Box key={item.key} flexDirection="column">
              <Para
                text={`${item.k + 1}. ${p.steps[item.k]!.summary} ${FIX_TEXT.seen}`}
                width={width}
                first="  "
                rest="     "
                color={p.color ? 'gray' : undefined}
              />
            </Box>
          ) : (
            <Box key="head" flexDirection="column" marginBottom={1}>
              <Para text={FIX_TEXT.plan(p.title, p.risk)} width={width} first="" rest="  " bold />
              <Para text={p.description} width={width} first="  " />
              <Para text={FIX_TEXT.steps(n)} width={width} first="  " />
            </Box>
          )
        }
      </Static>
      {current ? (
        <Box flexDirection="column">
          <Para text={`${i + 1}/${n}. ${current.summary}`} width={width} first="  " rest="       " bold />
          {current.diff ? <DiffLines diff={current.diff} color={p.color} width={width} /> : null}
          <Keys keys={FIX_TEXT.stepKeys} width={width} color={p.color} />
        </Box>
      ) : (
        <Box flexDirection="column">
          <Para text={FIX_TEXT.applyAll(n)} width={width} first="  " rest="  " bold />
          <Keys keys={FIX_TEXT.finalKeys} width={width} color={p.color} />
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
