// The live view of a diagnosis on a TTY and its keys: f fix, r re-run (in place, run counter), e export (queued during
// a run), v verbose on/off, ? help, q quit — q, Esc or Ctrl-C during the checks cancel the run. Running checks'
// elapsed times tick.
// The view is a pure function of run state (liveLines(), src/ui/live-lines.ts). While the checks run it is painted
// here as terminal text and redrawn in place the way Ink's log-update does (erase the previous frame's lines, write
// the new one; a frame as tall as the terminal clears it first): importing Ink (React, yoga's wasm) and reconciling
// each frame cost more CPU than the whole diagnosis on a 2-core node, and the verdict waited for it (issues #16/#17).
// Once the verdict is on screen, Ink is loaded in the background and hosts the same lines (<App>, App.tsx) for the
// rest of the session — re-runs, help, verbose — while the keys stay with this controller.
import type { CliIO } from '../app/io.js';
import type { DiagnosisResult } from '../app/diagnose.js';
import type { RunState } from '../core/types.js';
import { liveLines, type AppProps, type Line } from './live-lines.js';
import { KEY, MSG } from './strings.js';
import { stripAnsiCodes } from '../text/width.js';

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
  /** Lines a placeholder drawn before this view left on the terminal (ending with the cursor on the line after them):
   *  the first frame replaces them. */
  replaces?: number;
  /** Loads the Ink host the view hands over to once the verdict is drawn (default: Ink with <App>; tests inject). */
  loadInk?: () => Promise<InkHostFactory>;
}

/** A renderer of the view's frames that owns the terminal output from its first frame until unmount. */
export interface InkHost {
  rerender(props: AppProps): void;
  /** Draws the last frame and gives the terminal back; says whether its last visible output ended a line (a frame as
   *  tall as the terminal does not: the prompt then needs a newline). */
  unmount(): { endsLine: boolean };
}
export type InkHostFactory = (first: AppProps, io: CliIO) => InkHost;

/** Ink with <App>: imported only when a verdict is on a terminal (the chunks of Ink, React and yoga load then). */
async function loadInkHost(): Promise<InkHostFactory> {
  const [{ render }, react, { App }, { default: inkInCi }] = await Promise.all([
    import('ink'),
    import('react'),
    import('./App.js'),
    import('is-in-ci'),
  ]);
  // Ink fixed its CI mode from the environment it was loaded in (is-in-ci): in CI mode it prints one frame, on
  // unmount, so it cannot host a live view — the view stays painted here
  if (inkInCi) throw new Error('Ink runs in CI mode');
  // React is CommonJS: bundled, its exports sit on the namespace's default
  const { createElement } = (react.default ?? react) as typeof import('react');
  return (first, io) => {
    // Ink writes through this view of stdout, which notes whether its last visible text ended a line
    let endsLine = true;
    const real = io.stdout as NodeJS.WriteStream;
    const stdout = new Proxy(real, {
      get(target, key) {
        if (key === 'write')
          return (chunk: unknown, ...rest: unknown[]) => {
            // (Ink brackets frames in synchronized-output and cursor modes: CSI sequences, not text)
            const text = stripAnsiCodes(String(chunk));
            if (text) endsLine = text.endsWith('\n');
            return (target.write as (...a: unknown[]) => boolean)(chunk, ...rest);
          };
        const v: unknown = Reflect.get(target, key, target);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const instance = render(createElement(App, first), {
      stdout,
      // the keys stay with the controller: Ink never asks for raw mode (no useInput), so it never reads stdin
      stdin: io.stdin as NodeJS.ReadStream,
      exitOnCtrlC: false,
      patchConsole: false,
    });
    return {
      rerender: (p) => instance.rerender(createElement(App, p)),
      unmount: () => {
        instance.unmount();
        return { endsLine };
      },
    };
  };
}

export interface InteractiveOutcome {
  result?: DiagnosisResult;
  /** cancel: the run was stopped during the checks (q, Esc, Ctrl-C or a signal); `finished` checks had completed. */
  action: 'quit' | 'fix' | 'cancel';
  finished?: number;
}

const finishedCount = (s: RunState) => s.checks.filter((c) => c.status !== 'pending' && c.status !== 'running').length;

// SGR codes of the colours the view uses (ECMA-48 §8.3.117; 90 is "bright black", the grey terminals show)
const CSI = '\u001b[';
const FG: Record<string, number> = { gray: 90, red: 31, green: 32, yellow: 33, cyan: 36, magenta: 35 };
const HIDE_CURSOR = `${CSI}?25l`;
const SHOW_CURSOR = `${CSI}?25h`;
/** Erase the whole screen and the scrollback kept of it, cursor home (what Ink writes before a frame taller than the
 *  terminal: such a frame cannot be erased line by line). */
const CLEAR_TERMINAL = `${CSI}2J${CSI}3J${CSI}H`;

/** Erases the `count` lines above and including the cursor's line, leaving the cursor at the start of the first. */
export function eraseLines(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += `${CSI}2K${i < count - 1 ? `${CSI}1A` : ''}`;
  return count > 0 ? `${out}${CSI}G` : '';
}

/** One line of the view as terminal text: colour, bold and dim as SGR codes when `color`; no trailing blanks. */
export function paintLine(line: Line, color: boolean): string {
  const segs = [...line];
  // trailing blanks (a padded summary before an empty duration) would only make the terminal wrap sooner
  while (segs.length > 0) {
    const last = segs[segs.length - 1]!;
    const text = last.text.trimEnd();
    if (text) {
      segs[segs.length - 1] = { ...last, text };
      break;
    }
    segs.pop();
  }
  let out = '';
  for (const s of segs) {
    let text = s.text;
    if (color && text) {
      const fg = s.color ? FG[s.color] : undefined;
      if (fg !== undefined) text = `${CSI}${fg}m${text}${CSI}39m`;
      if (s.dim) text = `${CSI}2m${text}${CSI}22m`;
      if (s.bold) text = `${CSI}1m${text}${CSI}22m`;
    }
    out += text;
  }
  return out;
}

/** The frame's terminal text (lines joined by newlines, none after the last). */
export function paintFrame(lines: Line[], color: boolean): string {
  return lines.map((l) => paintLine(l, color)).join('\n');
}

/** The keys in one read from a raw-mode terminal: a lone ESC is Escape, a CSI/SS3 sequence (arrows, function keys)
 *  is one key that means nothing here, every other character is a key of its own (several arrive at once when typed
 *  fast or pasted). */
export function splitKeys(data: string): string[] {
  const keys: string[] = [];
  for (let i = 0; i < data.length;) {
    if (data[i] === '\u001b') {
      // eslint-disable-next-line no-control-regex
      const seq = /^\u001b(?:\[[0-9;?]*[ -/]*[@-~]|O[@-~])/.exec(data.slice(i));
      keys.push(seq ? seq[0] : '\u001b');
      i += seq ? seq[0].length : 1;
    } else {
      const ch = String.fromCodePoint(data.codePointAt(i)!);
      keys.push(ch);
      i += ch.length;
    }
  }
  return keys;
}

/** CI on a terminal (CI or CONTINUOUS_INTEGRATION set, and not "0"/"false"): only the final frame is printed, as Ink
 *  does there — a CI log keeps every redraw. */
function inCi(env: CliIO['env']): boolean {
  return ['CI', 'CONTINUOUS_INTEGRATION'].some((k) => env[k] !== undefined && env[k] !== '0' && env[k] !== 'false');
}

type Screen = CliIO['stdout'] & {
  rows?: number;
  on?: (event: 'resize', f: () => void) => unknown;
  removeListener?: (event: 'resize', f: () => void) => unknown;
};

class LiveView {
  private state: RunState;
  private result: DiagnosisResult | undefined;
  private verbose: boolean;
  private help = false;
  private message: string | undefined;
  private generation = 1;
  private columns: number;
  private now = Date.now();
  private leaving: InteractiveOutcome | undefined;
  private exportQueued = false;
  private ctrl: AbortController | undefined;
  // the terminal: what the last frame left there
  private readonly out: Screen;
  private readonly ci: boolean;
  private prevOutput = '';
  private prevLineCount: number;
  private prevHeight = 0;
  private cursorHidden = false;
  private tall = false;
  private lastPaint = 0;
  private lastTick = 0;
  private pending: NodeJS.Timeout | undefined;
  private ticker: NodeJS.Timeout | undefined;
  // the Ink host, once the verdict was drawn and Ink loaded (paint() then renders through it)
  private ink: InkHost | undefined;
  private inkRequested = false;
  private settle!: (o: InteractiveOutcome) => void;
  readonly outcome = new Promise<InteractiveOutcome>((resolve) => (this.settle = resolve));

  constructor(private readonly opts: InteractiveOptions) {
    this.state = opts.initial;
    this.verbose = opts.verbose;
    this.columns = opts.io.columns;
    this.out = opts.io.stdout as Screen;
    this.ci = inCi(opts.io.env);
    this.prevLineCount = opts.replaces ? opts.replaces + 1 : 0;
  }

  start() {
    const { stdin, signal } = this.opts.io;
    stdin.setRawMode?.(true);
    stdin.on('data', this.onData);
    stdin.resume();
    this.out.on?.('resize', this.onResize);
    signal.addEventListener('abort', this.onOuterAbort, { once: true });
    this.ticker = setInterval(this.onTick, this.opts.tickMs ?? 100);
    this.startRun();
    this.paint();
    if (signal.aborted) this.onOuterAbort();
  }

  // SIGINT/SIGTERM: during the checks a cancel; with the verdict on screen an ordinary quit
  private readonly onOuterAbort = () => (this.result ? this.leave({ result: this.result, action: 'quit' }) : this.cancel());

  // the terminal got a new width: lay the frame out for it; narrower, the old frame is erased first (as Ink does; a
  // terminal that re-wrapped the old lines may leave some of them above)
  private readonly onResize = () => {
    const columns = this.out.columns;
    if (!columns || columns === this.columns || this.leaving) return;
    if (columns < this.columns && !this.ci) {
      this.out.write(eraseLines(this.prevLineCount));
      this.prevLineCount = 0;
      this.prevOutput = '';
    }
    this.columns = columns;
    this.paint();
  };

  private readonly onData = (d: string | Buffer) => {
    for (const k of splitKeys(typeof d === 'string' ? d : d.toString('utf8'))) this.onKey(k);
  };

  // elapsed times of running checks tick while the run is on; a frame taller than the terminal is redrawn whole
  // (the screen is cleared): then once a second, not ten times
  private readonly onTick = () => {
    if (this.result || this.leaving) return;
    const at = Date.now();
    if (this.tall && at - this.lastTick < 1000) return;
    this.lastTick = at;
    this.now = at;
    this.schedule();
  };

  private startRun() {
    this.ctrl?.abort(new Error('re-run'));
    const c = new AbortController();
    this.ctrl = c;
    this.result = undefined;
    this.state = this.opts.initial;
    const current = () => this.ctrl === c && !c.signal.aborted && !this.leaving;
    this.opts
      .run((s) => {
        if (!current()) return;
        this.state = s;
        this.schedule();
      }, c.signal)
      .then((r) => {
        if (!current()) return;
        this.state = r.state;
        this.result = r;
        if (this.exportQueued) {
          this.exportQueued = false;
          this.doExport(r);
        }
        // the verdict is drawn the moment it is known; then Ink loads for the rest of the session
        this.paint();
        this.handOverToInk();
      })
      .catch((err: unknown) => {
        if (!current()) return;
        this.message = MSG.diagnosisFailed((err as Error).message);
        this.schedule();
      });
  }

  /** Loads Ink in the background and lets it host the frames from the next one on: the painted frame is erased and
   *  Ink draws the same lines in its place. Not in CI (only the final frame is printed there) nor off a terminal; if
   *  Ink cannot load, the view stays painted here. */
  private handOverToInk() {
    if (this.inkRequested || this.ci || !this.out.isTTY) return;
    this.inkRequested = true;
    (this.opts.loadInk ?? loadInkHost)()
      .then((factory) => {
        if (this.leaving) return;
        if (this.pending) clearTimeout(this.pending);
        this.pending = undefined;
        const rows = this.out.rows;
        const erase = rows && this.prevHeight >= rows ? CLEAR_TERMINAL : eraseLines(this.prevLineCount);
        this.out.write(erase);
        this.prevLineCount = 0;
        try {
          this.ink = factory(this.props(), this.opts.io);
        } catch {
          // Ink failed to start: the frame is painted again where it was, and the view stays painted here
          this.prevOutput = '';
          this.paint();
        }
      })
      .catch(() => undefined);
  }

  private doExport(r: DiagnosisResult) {
    if (!this.opts.onExport) return this.setMessage(MSG.exportUnavailable);
    this.opts.onExport(r).then(
      (m) => this.setMessage(m),
      (err: Error) => this.setMessage(MSG.exportFailed(err.message)),
    );
  }

  private setMessage(m: string | undefined) {
    this.message = m;
    this.schedule();
  }

  private cancel() {
    this.ctrl?.abort(new Error('cancelled'));
    this.leave({ action: 'cancel', finished: finishedCount(this.state) });
  }

  private onKey(input: string) {
    if (this.leaving) return;
    const quit = input === 'q' || input === '\u001b' || input === '\u0003';
    // during the checks (no result yet) q cancels the run, e is queued and f waits for the verdict
    const result = this.result;
    if (quit) return result ? this.leave({ result, action: 'quit' }) : this.cancel();
    if (input === 'v') this.verbose = !this.verbose;
    else if (input === '?') this.help = !this.help;
    else if (input === 'r') {
      // the old verdict leaves with the key press: no frame shows "run N+1" over the previous run's verdict
      this.message = undefined;
      this.generation++;
      this.startRun();
    } else if (input === 'e') {
      if (result) return this.doExport(result);
      if (!this.opts.onExport) this.message = MSG.exportUnavailable;
      else {
        this.exportQueued = true;
        this.message = MSG.exportQueued;
      }
    } else if (input === 'f') {
      if (!result) this.message = MSG.fixAfterRun;
      else if (this.opts.canFix?.(result)) return this.leave({ result, action: 'fix' });
      else this.message = MSG.noFix;
    } else return;
    this.schedule();
  }

  private props(): AppProps {
    const { result, leaving, verbose } = this;
    const fixable = Boolean(result && this.opts.canFix?.(result));
    const hint = leaving
      ? undefined
      : [
          fixable ? KEY.fix : undefined,
          KEY.rerun,
          this.opts.onExport ? (!result && this.exportQueued ? KEY.exportQueued : KEY.export) : undefined,
          KEY.verbose(verbose),
          KEY.help,
          result ? KEY.quit : KEY.cancel,
        ].filter((k): k is string => k !== undefined);
    return {
      state: this.state,
      report: leaving?.action === 'cancel' ? undefined : result?.report,
      verbose,
      columns: this.columns,
      color: this.opts.io.color,
      message: leaving ? undefined : this.message,
      hint,
      now: this.now,
      run: this.generation,
      help: this.help && !leaving,
      cancelledAfter: leaving?.action === 'cancel' ? leaving.finished : undefined,
    };
  }

  /** A redraw soon: at most one frame every 32 ms (what Ink allows itself), updates in between coalesce. */
  private schedule() {
    if (this.pending || this.leaving) return;
    this.pending = setTimeout(() => this.paint(), Math.max(0, 32 - (Date.now() - this.lastPaint)));
  }

  private paint() {
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    this.lastPaint = Date.now();
    if (this.ink) return this.ink.rerender(this.props());
    const lines = liveLines(this.props());
    const rows = this.out.rows;
    this.tall = Boolean(rows && lines.length >= rows);
    if (this.ci) return void (this.prevOutput = `${paintFrame(lines, this.opts.io.color)}\n`);
    // a frame that fills the terminal ends without a newline (one more would scroll its first line away)
    const output = paintFrame(lines, this.opts.io.color) + (this.out.isTTY && this.tall ? '' : '\n');
    if (output === this.prevOutput) return;
    const hide = this.cursorHidden ? '' : HIDE_CURSOR;
    this.cursorHidden = true;
    // the previous frame was taller than the terminal: its top scrolled away and cannot be erased line by line
    const erase = rows && this.prevHeight >= rows ? CLEAR_TERMINAL : eraseLines(this.prevLineCount);
    this.out.write(hide + erase + output);
    this.prevOutput = output;
    this.prevLineCount = output.split('\n').length;
    this.prevHeight = lines.length;
  }

  /** The final frame (no spinner, no key hint), then the terminal is given back. */
  private leave(o: InteractiveOutcome) {
    if (this.leaving) return;
    this.leaving = o;
    this.paint();
    const { stdin, signal } = this.opts.io;
    clearInterval(this.ticker);
    signal.removeEventListener('abort', this.onOuterAbort);
    stdin.removeListener('data', this.onData);
    this.out.removeListener?.('resize', this.onResize);
    stdin.setRawMode?.(false);
    stdin.pause();
    if (this.ink) this.prevOutput = this.ink.unmount().endsLine ? '\n' : '';
    let tail = this.ci ? this.prevOutput : '';
    // the shell prompt starts on the line under the frame
    if (!this.ci && !this.prevOutput.endsWith('\n')) tail += '\n';
    if (this.cursorHidden) tail += SHOW_CURSOR;
    if (tail) this.out.write(tail);
    this.settle(o);
  }
}

export async function runInteractive(opts: InteractiveOptions): Promise<InteractiveOutcome> {
  const view = new LiveView(opts);
  view.start();
  return view.outcome;
}
