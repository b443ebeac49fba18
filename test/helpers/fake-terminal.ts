// A terminal for Ink without a real one (the tmux e2e covers the real one): FakeTty is a raw-mode keyboard whose
// press() hands Ink one key, FakeScreen keeps everything written to it and can wait for a frame.
import { EventEmitter } from 'node:events';
import { stripAnsi } from '../../src/ui/format.js';
import type { CliIO } from '../../src/app/io.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Raw-mode keyboard input: press(k) makes k the next read() and announces it as Ink listens ('readable', 'data'). */
export class FakeTty extends EventEmitter {
  isTTY = true;
  private pending: string | null = null;
  press(k: string) {
    this.pending = k;
    this.emit('readable');
    this.emit('data', k);
  }
  read() {
    const d = this.pending;
    this.pending = null;
    return d;
  }
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

/** A screen of `columns` × `rows` that keeps all that was written (text). */
export class FakeScreen extends EventEmitter {
  text = '';
  constructor(
    public columns = 100,
    public rows = 40,
  ) {
    super();
  }
  write(s: string) {
    this.text += s;
    return true;
  }
  /** The frame on screen: what was written after the last erase-and-home of Ink's redraw. */
  get last(): string {
    const i = this.text.lastIndexOf('\u001b[G');
    return stripAnsi(i >= 0 ? this.text.slice(i + 3) : this.text);
  }
  /** Waits until the frame on screen matches `re` and returns it; throws with the screen after `ms`. */
  async until(re: RegExp, ms = 3000): Promise<string> {
    const deadline = Date.now() + ms;
    while (!re.test(this.last)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}; the screen:\n${this.last}`);
      await sleep(10);
    }
    return this.last;
  }
}

/** A keyboard, a screen of `columns` × `rows` and the interactive, colourless CliIO over them (stderr dropped). */
export function fakeTerminal(columns = 100, rows = 40): { stdin: FakeTty; screen: FakeScreen; io: CliIO } {
  const stdin = new FakeTty();
  const screen = new FakeScreen(columns, rows);
  const io: CliIO = {
    stdout: screen as unknown as CliIO['stdout'],
    stderr: { write: () => true } as unknown as CliIO['stderr'],
    stdin: stdin as unknown as CliIO['stdin'],
    env: {},
    interactive: true,
    color: false,
    columns,
    signal: new AbortController().signal,
  };
  return { stdin, screen, io };
}
