// Mounts the Ink view for a diagnosis on a TTY and handles the keys: f fix, r re-run (in place, run counter), e export
// (queued during a run), v verbose on/off, ? help, q quit — q, Esc or Ctrl-C during the checks cancel the run.
// The first frame is drawn before any check starts; running checks' elapsed times tick.
import React, { useCallback, useEffect, useRef, useState } from 'react';
import { render, useApp, useInput } from 'ink';
import { App, liveLines, type AppProps } from './App.js';
import type { CliIO } from '../app/io.js';
import type { DiagnosisResult } from '../app/diagnose.js';
import type { RunState } from '../core/types.js';
import { KEY, MSG } from './strings.js';

export interface InteractiveOptions {
  io: CliIO;
  verbose: boolean;
  initial: RunState;
  run: (onUpdate: (s: RunState) => void, signal: AbortSignal) => Promise<DiagnosisResult>;
  /** Writes the report somewhere and returns a message for the status line. */
  onExport?: (result: DiagnosisResult) => Promise<string>;
  /** Offered when fixes exist: leaving the view with action "fix" starts guided fix mode. */
  canFix?: (result: DiagnosisResult) => boolean;
  /** How often running checks' elapsed times are redrawn (ms). */
  tickMs?: number;
}

export interface InteractiveOutcome {
  result?: DiagnosisResult;
  /** cancel: the run was stopped during the checks (q, Esc, Ctrl-C or a signal); `finished` checks had completed. */
  action: 'quit' | 'fix' | 'cancel';
  finished?: number;
}

const finishedCount = (s: RunState) => s.checks.filter((c) => c.status !== 'pending' && c.status !== 'running').length;

function Root({
  opts,
  done,
  frameHeight,
}: {
  opts: InteractiveOptions;
  done: (o: InteractiveOutcome) => void;
  frameHeight: { current: number };
}) {
  const { exit } = useApp();
  const [state, setState] = useState<RunState>(opts.initial);
  const [result, setResult] = useState<DiagnosisResult | undefined>();
  const [verbose, setVerbose] = useState(opts.verbose);
  const [help, setHelp] = useState(false);
  const [message, setMessage] = useState<string | undefined>();
  const [generation, setGeneration] = useState(1);
  const [now, setNow] = useState(Date.now());
  const [leaving, setLeaving] = useState<InteractiveOutcome | undefined>();
  const exportQueued = useRef(false);
  const ctrl = useRef<AbortController | undefined>(undefined);
  const tall = useRef(false);
  const lastTick = useRef(0);
  const stateRef = useRef(state);
  stateRef.current = state;
  const resultRef = useRef(result);
  resultRef.current = result;

  const doExport = useCallback(
    (r: DiagnosisResult) => {
      if (!opts.onExport) return setMessage(MSG.exportUnavailable);
      opts.onExport(r).then(setMessage, (err: Error) => setMessage(MSG.exportFailed(err.message)));
    },
    [opts],
  );

  const cancel = useCallback(() => {
    ctrl.current?.abort(new Error('cancelled'));
    setLeaving({ action: 'cancel', finished: finishedCount(stateRef.current) });
  }, []);

  useEffect(() => {
    const c = new AbortController();
    ctrl.current = c;
    // SIGINT/SIGTERM: during the checks a cancel; with the verdict on screen an ordinary quit
    const onOuterAbort = () => (resultRef.current ? setLeaving({ result: resultRef.current, action: 'quit' }) : cancel());
    if (opts.io.signal.aborted) onOuterAbort();
    opts.io.signal.addEventListener('abort', onOuterAbort, { once: true });
    setResult(undefined);
    setState(opts.initial);
    const current = () => ctrl.current === c && !c.signal.aborted;
    opts
      .run((s) => {
        if (current()) setState(s);
      }, c.signal)
      .then((r) => {
        if (!current()) return;
        setState(r.state);
        setResult(r);
        if (exportQueued.current) {
          exportQueued.current = false;
          doExport(r);
        }
      })
      .catch((err: unknown) => {
        if (current()) setMessage(MSG.diagnosisFailed((err as Error).message));
      });
    return () => {
      opts.io.signal.removeEventListener('abort', onOuterAbort);
      c.abort(new Error('re-run'));
    };
  }, [generation]);

  // elapsed times of running checks tick while the run is on
  useEffect(() => {
    if (result || leaving) return;
    // a frame taller than the terminal is redrawn whole (Ink clears the screen): then tick once a second, not ten times
    const t = setInterval(() => {
      const at = Date.now();
      if (tall.current && at - lastTick.current < 1000) return;
      lastTick.current = at;
      setNow(at);
    }, opts.tickMs ?? 100);
    return () => clearInterval(t);
  }, [result, leaving]);

  // leave after the final frame (no spinner, no key hint) has been drawn
  useEffect(() => {
    if (!leaving) return;
    done(leaving);
    exit();
  }, [leaving]);

  useInput((input, key) => {
    if (leaving) return;
    const quit = input === 'q' || key.escape || (key.ctrl && input === 'c');
    // the result as last rendered (Ink re-subscribes this handler only after an effect: a key pressed right after the
    // verdict frame would otherwise reach the previous handler and cancel a finished run)
    const result = resultRef.current;
    if (!result) {
      if (quit) return cancel();
      if (input === 'v') setVerbose((v) => !v);
      else if (input === '?') setHelp((h) => !h);
      else if (input === 'r') {
        setMessage(undefined);
        setGeneration((g) => g + 1);
      } else if (input === 'e') {
        if (!opts.onExport) setMessage(MSG.exportUnavailable);
        else {
          exportQueued.current = true;
          setMessage(MSG.exportQueued);
        }
      } else if (input === 'f') setMessage(MSG.fixAfterRun);
      return;
    }
    if (quit) return setLeaving({ result, action: 'quit' });
    if (input === 'v') setVerbose((v) => !v);
    else if (input === '?') setHelp((h) => !h);
    else if (input === 'r') {
      // the old verdict leaves with the key press: no frame shows "run N+1" over the previous run's verdict
      setMessage(undefined);
      setResult(undefined);
      setState(opts.initial);
      setGeneration((g) => g + 1);
    } else if (input === 'e') doExport(result);
    else if (input === 'f') {
      if (opts.canFix?.(result)) setLeaving({ result, action: 'fix' });
      else setMessage(MSG.noFix);
    }
  });

  const fixable = Boolean(result && opts.canFix?.(result));
  const hint = leaving
    ? undefined
    : [
        fixable ? KEY.fix : undefined,
        KEY.rerun,
        opts.onExport ? (!result && exportQueued.current ? KEY.exportQueued : KEY.export) : undefined,
        KEY.verbose(verbose),
        KEY.help,
        result ? KEY.quit : KEY.cancel,
      ].filter((k): k is string => k !== undefined);
  const props: AppProps = {
    state,
    report: leaving?.action === 'cancel' ? undefined : result?.report,
    verbose,
    columns: opts.io.columns,
    color: opts.io.color,
    message: leaving ? undefined : message,
    hint,
    now,
    run: generation,
    help: help && !leaving,
    cancelledAfter: leaving?.action === 'cancel' ? leaving.finished : undefined,
  };
  // Ink leaves the cursor at the end of a frame as tall as the terminal (no newline after it): remember the height
  const height = liveLines(props).length;
  const rows = (opts.io.stdout as { rows?: number }).rows;
  tall.current = Boolean(rows && height >= rows);
  if (leaving) frameHeight.current = height;
  return <App {...props} />;
}

export async function runInteractive(opts: InteractiveOptions): Promise<InteractiveOutcome> {
  let outcome: InteractiveOutcome = { action: 'quit' };
  const frameHeight = { current: 0 };
  const instance = render(<Root opts={opts} done={(o) => (outcome = o)} frameHeight={frameHeight} />, {
    stdout: opts.io.stdout as NodeJS.WriteStream,
    stdin: opts.io.stdin as NodeJS.ReadStream,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  await instance.waitUntilExit();
  // a final frame that filled the terminal ends without a newline: the next output (the shell prompt) starts below it
  const rows = (opts.io.stdout as { rows?: number }).rows;
  if (rows && frameHeight.current >= rows) opts.io.stdout.write('\n');
  return outcome;
}
