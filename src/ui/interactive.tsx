// Mounts the Ink view for a diagnosis on a TTY and handles the keys: f fix, r re-run, e export, v verbose, q quit.
import React, { useCallback, useEffect, useRef, useState } from 'react';
import { render, useApp, useInput } from 'ink';
import { App } from './App.js';
import type { CliIO } from '../app/io.js';
import type { DiagnosisResult } from '../app/diagnose.js';
import type { RunState } from '../core/types.js';

export interface InteractiveOptions {
  io: CliIO;
  verbose: boolean;
  initial: RunState;
  run: (onUpdate: (s: RunState) => void, signal: AbortSignal) => Promise<DiagnosisResult>;
  /** Writes the report somewhere and returns a message for the status line. */
  onExport?: (result: DiagnosisResult) => Promise<string>;
  /** Offered when fixes exist: leaving the view with action "fix" starts guided fix mode. */
  canFix?: (result: DiagnosisResult) => boolean;
}

export interface InteractiveOutcome {
  result?: DiagnosisResult;
  action: 'quit' | 'fix';
}

function Root({ opts, done }: { opts: InteractiveOptions; done: (o: InteractiveOutcome) => void }) {
  const { exit } = useApp();
  const [state, setState] = useState<RunState>(opts.initial);
  const [result, setResult] = useState<DiagnosisResult | undefined>();
  const [verbose, setVerbose] = useState(opts.verbose);
  const [message, setMessage] = useState<string | undefined>();
  const [generation, setGeneration] = useState(0);
  const ctrl = useRef<AbortController | undefined>(undefined);
  const order = useRef<string[]>([]);
  for (const c of state.checks) {
    if (c.status !== 'pending' && c.status !== 'running' && !order.current.includes(c.id)) order.current.push(c.id);
  }

  useEffect(() => {
    const c = new AbortController();
    ctrl.current = c;
    const onOuterAbort = () => c.abort(opts.io.signal.reason);
    opts.io.signal.addEventListener('abort', onOuterAbort, { once: true });
    setResult(undefined);
    order.current = [];
    opts
      .run((s) => setState(s), c.signal)
      .then((r) => {
        if (c.signal.aborted && opts.io.signal.aborted) {
          done({ result: r, action: 'quit' });
          exit();
          return;
        }
        setState(r.state);
        setResult(r);
      })
      .catch((err: unknown) => {
        setMessage(`diagnosis failed: ${(err as Error).message}`);
      });
    return () => {
      opts.io.signal.removeEventListener('abort', onOuterAbort);
      c.abort(new Error('re-run'));
    };
  }, [generation]);

  const finish = useCallback(
    (action: InteractiveOutcome['action']) => {
      ctrl.current?.abort(new Error('quit'));
      done({ result, action });
      exit();
    },
    [result],
  );

  useInput((input, key) => {
    if (input === 'q' || key.escape || (key.ctrl && input === 'c')) return finish('quit');
    if (!result) return;
    if (input === 'v') setVerbose((v) => !v);
    else if (input === 'r') {
      setMessage(undefined);
      setGeneration((g) => g + 1);
    } else if (input === 'e' && opts.onExport) {
      opts.onExport(result).then(setMessage, (err: Error) => setMessage(`export failed: ${err.message}`));
    } else if (input === 'f' && opts.canFix?.(result)) finish('fix');
  });

  const keys = [
    opts.canFix && result && opts.canFix(result) ? '[f] fix' : undefined,
    '[r] re-run',
    opts.onExport ? '[e] export' : undefined,
    '[v] verbose',
    '[q] quit',
  ]
    .filter(Boolean)
    .join('  ');
  return (
    <App
      state={state}
      report={result?.report}
      verbose={verbose}
      columns={opts.io.columns}
      color={opts.io.color}
      message={message}
      hint={result ? keys : undefined}
      doneOrder={order.current}
    />
  );
}

export async function runInteractive(opts: InteractiveOptions): Promise<InteractiveOutcome> {
  let outcome: InteractiveOutcome = { action: 'quit' };
  const instance = render(<Root opts={opts} done={(o) => (outcome = o)} />, {
    stdout: opts.io.stdout as NodeJS.WriteStream,
    stdin: opts.io.stdin as NodeJS.ReadStream,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  await instance.waitUntilExit();
  return outcome;
}
