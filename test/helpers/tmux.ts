// Real terminals for the e2e tests: a tmux server on its own socket (-L), one detached 100x40 session per command,
// read with capture-pane and answered with send-keys. labCommand() builds the shell line that runs the built CLI
// inside a lab's namespaces and prints the exit code after it.
import { expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from '../lab/lab.js';

export const tmuxMissing = spawnSync('sh', ['-c', 'command -v tmux']).status !== 0;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A screen's text with its line breaks (Ink wraps at the terminal width) folded into spaces. */
export const flat = (s: string) => s.replace(/\s+/g, ' ');

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** One tmux server, private to a test file (socket name `socket`). */
export class TmuxServer {
  constructor(readonly socket: string) {}
  run(...args: string[]): string {
    const r = spawnSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  }
  /** A new detached 100x40 session; retried, since the server may be exiting just then (its last session closed). */
  newSession(name: string, dir: string, cmd: string) {
    for (let i = 0; ; i++) {
      const r = spawnSync('tmux', ['-L', this.socket, 'new-session', '-d', '-s', name, '-x', '100', '-y', '40', '-c', dir, cmd], {
        encoding: 'utf8',
      });
      if (r.status === 0) return;
      if (i >= 5) throw new Error(`tmux new-session: ${r.stderr}`);
      spawnSync('sleep', ['0.2']);
    }
  }
  kill() {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}

/**
 * The shell line that runs `regdoctor args…` inside the namespaces of process `pid` with working directory `cwd`
 * (without --wd, entering a mount namespace moves it to the root), colours allowed, no proxy, `env` added; then the
 * shell prints `[regdoctor exited N]` and waits, so the screen stays readable.
 */
export function labCommand(o: { pid: number; cwd: string; args: string[]; env?: Record<string, string> }): string {
  const cli = process.env.REGDOCTOR_LAB_CLI ?? path.join(REPO_ROOT, 'bin/regdoctor.js');
  const extra = Object.entries(o.env ?? {}).map(([k, v]) => `${k}=${q(v)}`);
  return [
    'env -u CI -u NO_COLOR',
    ...extra,
    'HTTPS_PROXY= HTTP_PROXY= https_proxy= http_proxy=',
    `nsenter -t ${o.pid} -n -m --wd=${q(o.cwd)} --`,
    q(process.execPath),
    q(cli),
    ...o.args.map(q),
    '; echo "[regdoctor exited $?]"; sleep 600',
  ].join(' ');
}

export interface SettledOptions {
  timeoutMs?: number;
  /** What is compared and matched: the screen and its scrollback unless told. */
  what?: () => string;
  /** How long the text must stay the same. */
  intervalMs?: number;
  /** Match `re` against the text with line breaks folded (flat). */
  fold?: boolean;
}

/** One session of `server` running the shell line `cmd` in `dir`. */
export class Term {
  constructor(
    readonly server: TmuxServer,
    readonly name: string,
    cmd: string,
    dir: string,
  ) {
    server.newSession(name, dir, cmd);
  }
  /** The screen as shown (no scrollback). */
  screen(): string {
    return this.server.run('capture-pane', '-p', '-t', this.name);
  }
  /** The screen and everything scrolled off it. */
  all(): string {
    return this.server.run('capture-pane', '-p', '-S', '-', '-t', this.name);
  }
  keys(...k: string[]) {
    this.server.run('send-keys', '-t', this.name, ...k);
  }
  async waitFor(re: RegExp, timeoutMs = 20_000, what: () => string = () => this.screen()): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = what();
      if (re.test(s)) return s;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re} on the screen:\n${s}`);
      await sleep(100);
    }
  }
  /** Waits for `re` on a screen that stopped changing (a redraw can be captured half way). */
  async settled(re: RegExp, o: SettledOptions = {}): Promise<string> {
    const { timeoutMs = 20_000, what = () => this.all(), intervalMs = 300, fold = false } = o;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const a = what();
      await sleep(intervalMs);
      const b = what();
      if (a === b && re.test(fold ? flat(b) : b)) return b;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re} on a settled screen:\n${b}`);
    }
  }
  /** The exit code labCommand's shell printed. */
  async exitCode(): Promise<number> {
    const s = await this.waitFor(/\[regdoctor exited (\d+)\]/);
    // the shell's next output starts on a line of its own (Ink leaves a full-height frame without a newline)
    expect(s).toMatch(/^\[regdoctor exited \d+\]/m);
    return Number(/\[regdoctor exited (\d+)\]/.exec(s)![1]);
  }
  close() {
    this.server.run('kill-session', '-t', this.name);
  }
}
