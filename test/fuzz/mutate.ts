// Deterministic fuzzing helpers for the parsers that read untrusted input: a seeded PRNG, byte and text mutators
// (flips, truncation, duplication, splicing of valid seeds, huge lengths, deep nesting) and a bounded driver.
//
// Every input is derived from (base seed, target name, iteration) alone, so a failure prints everything needed to
// replay exactly that input:  FUZZ_SEED=<seed> FUZZ_ONLY=<iteration> npx vitest run test/fuzz/<file>
// FUZZ_ITERATIONS raises the iteration count for longer local runs (default: a few thousand per target, so the
// whole fuzz suite stays well under ten seconds on a 2-core machine).
//
// "Classified" is defined per parser by the test (the module's own error type, or an error result). Anything else
// — TypeError, RangeError (including stack overflow), a SyntaxError leaking from JSON.parse, an input that takes
// longer than FUZZ_SLOW_MS — fails the test with the seed, iteration and input (hex). A parser stuck in an infinite
// loop cannot be interrupted from its own thread: a watchdog thread prints the reproducer and kills the test process
// when one input runs longer than FUZZ_HANG_MS, so the run fails instead of hanging.
import { Worker } from 'node:worker_threads';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// ------------------------------------------------------------------------------------------------ PRNG

/** xorshift128+ style 32-bit generator seeded through splitmix32: small, fast, deterministic. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next() | 1;
  }

  /** Uniform 32-bit unsigned integer (xoshiro128**). */
  u32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.b << 9) >>> 0;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return n <= 0 ? 0 : Math.floor((this.u32() / 0x1_0000_0000) * n);
  }

  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.u32() / 0x1_0000_0000 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Small sizes are far more likely than large ones (log-uniform up to max). */
  size(max: number): number {
    return Math.min(max, Math.floor(Math.exp((this.u32() / 0x1_0000_0000) * Math.log(max + 1))));
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** FNV-1a over a string, for deriving per-target / per-iteration seeds. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}

// ------------------------------------------------------------------------------------------------ settings

function envInt(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? Math.floor(n) : undefined;
}

/** Base seed: fixed by default so CI runs are reproducible; FUZZ_SEED picks another (or "random"). */
export const BASE_SEED: number =
  process.env.FUZZ_SEED === 'random' ? (Math.random() * 0x1_0000_0000) >>> 0 : (envInt('FUZZ_SEED') ?? 0x5eed_2026) >>> 0;

export function iterations(defaultCount: number): number {
  return envInt('FUZZ_ITERATIONS') ?? defaultCount;
}

const SLOW_MS = envInt('FUZZ_SLOW_MS') ?? 2_000;
const HANG_MS = envInt('FUZZ_HANG_MS') ?? 8_000;

// ------------------------------------------------------------------------------------------------ byte mutators

/** Bytes that tend to break length fields and tag checks. */
const INTERESTING_BYTES = [
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x16, 0x17, 0x18, 0x1c, 0x1e, 0x1f, 0x20, 0x30, 0x31, 0x3f, 0x7f, 0x80, 0x81, 0x82,
  0x84, 0x85, 0xa0, 0xa3, 0xfe, 0xff,
];

/** Length encodings (DER / TLS style) that are huge, maximal, indefinite or just past the end. */
const HUGE_LENGTHS: number[][] = [
  [0x84, 0xff, 0xff, 0xff, 0xff],
  [0x84, 0x7f, 0xff, 0xff, 0xff],
  [0x83, 0xff, 0xff, 0xff],
  [0x82, 0xff, 0xff],
  [0x81, 0xff],
  [0x80],
  [0x85, 0x01, 0x00, 0x00, 0x00, 0x00],
  [0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
  [0xff, 0xff],
  [0xff, 0xff, 0xff],
  [0x00, 0x00],
];

export interface ByteOptions {
  /** Prefix bytes used to build deep nesting (e.g. [0x30, 0x80] for DER SEQUENCE). */
  nest?: number[][];
  /** Largest input produced (default 256 KiB). */
  maxLength?: number;
}

/** One or more stacked mutations of a seed (or of a splice of two seeds). */
export function mutateBytes(rng: Rng, seeds: readonly Buffer[], opts: ByteOptions = {}): Buffer {
  const max = opts.maxLength ?? 256 * 1024;
  let b: Buffer = Buffer.from(seeds.length ? rng.pick(seeds) : Buffer.alloc(0));
  const rounds = rng.range(1, 4);
  for (let r = 0; r < rounds; r++) {
    b = mutateBytesOnce(rng, b, seeds, opts);
    if (b.length > max) b = b.subarray(0, max);
  }
  return b;
}

function mutateBytesOnce(rng: Rng, b: Buffer, seeds: readonly Buffer[], opts: ByteOptions): Buffer {
  const pos = () => rng.int(b.length + 1);
  switch (rng.int(13)) {
    case 0: {
      // bit flip
      if (!b.length) return Buffer.from([rng.int(256)]);
      const out = Buffer.from(b);
      const i = rng.int(b.length);
      out[i] = out[i]! ^ (1 << rng.int(8));
      return out;
    }
    case 1: {
      // random byte(s)
      if (!b.length) return Buffer.from([rng.int(256)]);
      const out = Buffer.from(b);
      for (let k = rng.range(1, 4); k > 0; k--) out[rng.int(out.length)] = rng.int(256);
      return out;
    }
    case 2: {
      // interesting byte
      if (!b.length) return Buffer.from([rng.pick(INTERESTING_BYTES)]);
      const out = Buffer.from(b);
      out[rng.int(out.length)] = rng.pick(INTERESTING_BYTES);
      return out;
    }
    case 3:
      // truncation
      return b.subarray(0, rng.int(b.length + 1));
    case 4: {
      // cut a range out
      const i = pos();
      const j = Math.min(b.length, i + rng.size(b.length));
      return Buffer.concat([b.subarray(0, i), b.subarray(j)]);
    }
    case 5: {
      // duplicate a range (possibly many times)
      const i = pos();
      const j = Math.min(b.length, i + rng.size(64));
      const times = rng.chance(0.1) ? rng.size(2000) : rng.range(1, 3);
      const chunk = b.subarray(i, j);
      return Buffer.concat([b.subarray(0, j), ...Array.from({ length: times }, () => chunk), b.subarray(j)]);
    }
    case 6: {
      // splice: head of this input + tail of another seed
      const other = seeds.length ? rng.pick(seeds) : b;
      return Buffer.concat([b.subarray(0, pos()), other.subarray(rng.int(other.length + 1))]);
    }
    case 7: {
      // insert a chunk of another seed in the middle
      const other = seeds.length ? rng.pick(seeds) : b;
      const i = rng.int(other.length + 1);
      const chunk = other.subarray(i, Math.min(other.length, i + rng.size(512)));
      const at = pos();
      return Buffer.concat([b.subarray(0, at), chunk, b.subarray(at)]);
    }
    case 8: {
      // huge / indefinite / past-the-end length at a random position (overwrite)
      const enc = Buffer.from(rng.pick(HUGE_LENGTHS));
      const at = rng.int(Math.max(1, b.length));
      return Buffer.concat([b.subarray(0, at), enc, b.subarray(Math.min(b.length, at + (rng.chance(0.5) ? enc.length : 1)))]);
    }
    case 9: {
      // huge length inserted
      const enc = Buffer.from(rng.pick(HUGE_LENGTHS));
      const at = pos();
      return Buffer.concat([b.subarray(0, at), enc, b.subarray(at)]);
    }
    case 10: {
      // deep nesting: many nesting prefixes in front of (part of) the input
      const nest = opts.nest?.length ? rng.pick(opts.nest) : [0x30, 0x80];
      const depth = rng.size(20_000);
      const prefix = Buffer.alloc(nest.length * depth);
      for (let k = 0; k < depth; k++) prefix.set(nest, k * nest.length);
      const at = pos();
      return Buffer.concat([b.subarray(0, at), prefix, b.subarray(at)]);
    }
    case 11: {
      // random insertion
      const n = rng.size(32);
      const ins = Buffer.alloc(n);
      for (let k = 0; k < n; k++) ins[k] = rng.int(256);
      const at = pos();
      return Buffer.concat([b.subarray(0, at), ins, b.subarray(at)]);
    }
    default: {
      // add / subtract a small amount to a byte (off-by-one lengths)
      if (!b.length) return b;
      const out = Buffer.from(b);
      const i = rng.int(out.length);
      out[i] = (out[i]! + rng.pick([1, -1, 2, -2, 0x7f, 0x80])) & 0xff;
      return out;
    }
  }
}

// ------------------------------------------------------------------------------------------------ text mutators

export interface TextOptions {
  /** Tokens of the format (brackets, quotes, separators, keywords) inserted and repeated by the mutator. */
  dictionary?: readonly string[];
  /** [open, close] pairs used to build deep nesting. */
  nest?: readonly (readonly [string, string])[];
  /** Largest input produced (default 256 Ki characters). */
  maxLength?: number;
}

const ODD_CHARS = [
  '\0',
  '\n',
  '\r',
  '\t',
  ' ',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\u202e',
  '\ufeff',
  '\ud800',
  '\udc00',
  '😀',
  'é',
  '%',
  '\\',
  '"',
  "'",
  '`',
  '/',
  ':',
  '@',
  '[',
  ']',
  '{',
  '}',
  '#',
  '=',
  ',',
  '.',
  '*',
  '?',
  '$',
];

/** One or more stacked mutations of a text seed (or of a splice of two seeds). */
export function mutateText(rng: Rng, seeds: readonly string[], opts: TextOptions = {}): string {
  const max = opts.maxLength ?? 256 * 1024;
  let s = seeds.length ? rng.pick(seeds) : '';
  const rounds = rng.range(1, 4);
  for (let r = 0; r < rounds; r++) {
    s = mutateTextOnce(rng, s, seeds, opts);
    if (s.length > max) s = s.slice(0, max);
  }
  return s;
}

function mutateTextOnce(rng: Rng, s: string, seeds: readonly string[], opts: TextOptions): string {
  const pos = () => rng.int(s.length + 1);
  const dict = opts.dictionary ?? [];
  const ins = (at: number, t: string) => s.slice(0, at) + t + s.slice(at);
  switch (rng.int(12)) {
    case 0: {
      // replace a character with an odd one or a random code unit
      if (!s.length) return rng.pick(ODD_CHARS);
      const i = rng.int(s.length);
      const c = rng.chance(0.5) ? rng.pick(ODD_CHARS) : String.fromCharCode(rng.chance(0.8) ? rng.int(128) : rng.int(0x10000));
      return s.slice(0, i) + c + s.slice(i + 1);
    }
    case 1:
      // flip the case / a bit of one character
      if (!s.length) return s;
      {
        const i = rng.int(s.length);
        return s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) ^ (1 << rng.int(7))) + s.slice(i + 1);
      }
    case 2:
      // truncation
      return s.slice(0, rng.int(s.length + 1));
    case 3: {
      // cut a range
      const i = pos();
      return s.slice(0, i) + s.slice(Math.min(s.length, i + rng.size(s.length)));
    }
    case 4: {
      // duplicate a range, sometimes many times
      const i = pos();
      const j = Math.min(s.length, i + rng.size(80));
      const times = rng.chance(0.1) ? rng.size(3000) : rng.range(1, 3);
      return s.slice(0, j) + s.slice(i, j).repeat(times) + s.slice(j);
    }
    case 5: {
      // splice with another seed
      const other = seeds.length ? rng.pick(seeds) : s;
      return s.slice(0, pos()) + other.slice(rng.int(other.length + 1));
    }
    case 6: {
      // insert a piece of another seed
      const other = seeds.length ? rng.pick(seeds) : s;
      const i = rng.int(other.length + 1);
      return ins(pos(), other.slice(i, i + rng.size(400)));
    }
    case 7:
    case 8: {
      // dictionary token (or odd char), sometimes repeated
      const t = dict.length && rng.chance(0.8) ? rng.pick(dict) : rng.pick(ODD_CHARS);
      return ins(pos(), rng.chance(0.1) ? t.repeat(rng.size(5000)) : t);
    }
    case 9: {
      // deep nesting around a random position
      const pairs = opts.nest?.length ? opts.nest : ([['[', ']']] as const);
      const [open, close] = rng.pick(pairs);
      const depth = rng.size(50_000);
      const at = pos();
      const closing = rng.chance(0.5) ? close.repeat(depth) : '';
      return s.slice(0, at) + open.repeat(depth) + s.slice(at) + closing;
    }
    case 10: {
      // huge number / long run of one character
      const t = rng.pick([
        '9'.repeat(rng.size(400)),
        '-1',
        '0',
        '4294967296',
        '1e309',
        'a'.repeat(rng.size(100_000)),
        ' '.repeat(rng.size(100_000)),
      ]);
      return ins(pos(), t);
    }
    default: {
      // swap two lines
      const lines = s.split('\n');
      if (lines.length < 2) return s;
      const i = rng.int(lines.length);
      const j = rng.int(lines.length);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join('\n');
    }
  }
}

/** A random JSON-compatible value whose keys and strings come from `words` (for structure-aware JSON fuzzing). */
export function randomJson(rng: Rng, words: readonly string[], depth = 0): unknown {
  const leaf = () =>
    rng.pick<() => unknown>([
      () => rng.pick(words),
      () => rng.pick([0, -1, 1.5, 2 ** 53, -0, 1e308]),
      () => rng.chance(0.5),
      () => null,
      () => rng.pick(ODD_CHARS).repeat(rng.size(50)),
    ])();
  if (depth > 6 || rng.chance(0.3)) return leaf();
  if (rng.chance(0.3)) return Array.from({ length: rng.size(6) }, () => randomJson(rng, words, depth + 1));
  const o: Record<string, unknown> = {};
  for (let k = rng.size(6); k > 0; k--) o[rng.pick(words)] = randomJson(rng, words, depth + 1);
  return o;
}

// ------------------------------------------------------------------------------------------------ driver

export interface FuzzTarget<I> {
  /** Unique name (also mixed into the seed). */
  name: string;
  /** Builds input number `iteration` from its own RNG. */
  generate(rng: Rng, iteration: number): I;
  /** Runs the parser. Its result is passed to `check`. */
  run(input: I): unknown;
  /** Is this thrown value an error the parser's API promises (its own error type / documented refusal)? */
  classified(err: unknown): boolean;
  /** Optional invariant on a normal result (throw to fail). */
  check?(result: unknown, input: I): void;
  /** Inputs that once broke the parser: run first, every time. */
  regressions?: readonly I[];
  /** Default iteration count (FUZZ_ITERATIONS overrides). */
  iterations: number;
}

export interface FuzzStats {
  name: string;
  iterations: number;
  ms: number;
  /** How many inputs were refused with a classified error. */
  refused: number;
  slowestMs: number;
}

function describeValue(input: unknown, name: string, label: string, save: boolean): string {
  // Buffers inside an input object are shown as hex strings
  const text = Buffer.isBuffer(input)
    ? undefined
    : typeof input === 'string'
      ? input
      : JSON.stringify(input, (_k, v: unknown) =>
          v && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)
            ? `hex:${Buffer.from((v as { data: number[] }).data).toString('hex')}`
            : v,
        );
  const shown = text === undefined ? '' : `\ninput (JSON, first 400 chars): ${JSON.stringify(text.slice(0, 400))}`;
  const len = Buffer.isBuffer(input) ? input.length : (text ?? '').length;
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(text ?? '', 'utf8');
  let saved = '';
  if (save && bytes.length > 1024) {
    // the whole input, for inspection (the seed and iteration above regenerate it exactly)
    const file = join(tmpdir(), `regdoctor-fuzz-${name.replace(/[^\w.-]/g, '_')}-${label.replace(/\W+/g, '_')}.bin`);
    try {
      writeFileSync(file, bytes);
      saved = `\nfull input written to ${file}`;
    } catch {
      // best effort
    }
  }
  const h = bytes.subarray(0, 1024).toString('hex');
  return `input (hex, ${len} ${Buffer.isBuffer(input) ? 'bytes' : 'chars'}): ${h}${bytes.length > 1024 ? '…' : ''}${shown}${saved}`;
}

export class FuzzFailure extends Error {
  override name = 'FuzzFailure';
}

function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message.slice(0, 500)}\n${(err.stack ?? '').split('\n').slice(1, 8).join('\n')}`;
  return `non-Error thrown: ${String(err).slice(0, 500)}`;
}

// --- hang watchdog: a second thread that kills the process when one input runs too long ---

const WATCHDOG_SRC = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const state = new Int32Array(workerData.state);
const info = new Uint8Array(workerData.info);
let last = -1, since = Date.now();
setInterval(() => {
  const gen = Atomics.load(state, 0);
  const busy = Atomics.load(state, 1);
  if (gen !== last || !busy) { last = gen; since = Date.now(); return; }
  if (Date.now() - since < workerData.hangMs) return;
  const len = Atomics.load(state, 2);
  const text = Buffer.from(info.subarray(0, len)).toString('utf8');
  const msg = '\\nFUZZ HANG: one input ran longer than ' + workerData.hangMs + ' ms (infinite loop?)\\n' + text + '\\n';
  try { fs.writeSync(2, msg); } catch {}
  try { fs.writeFileSync(workerData.file, msg); } catch {}
  process.kill(process.pid, 'SIGKILL');
}, 100);
`;

const INFO_BYTES = 64 * 1024;
let watchdog: { state: Int32Array; info: Uint8Array; worker: Worker } | undefined;

function startWatchdog() {
  if (watchdog) return watchdog;
  const stateBuf = new SharedArrayBuffer(12);
  const infoBuf = new SharedArrayBuffer(INFO_BYTES);
  const worker = new Worker(WATCHDOG_SRC, {
    eval: true,
    workerData: { state: stateBuf, info: infoBuf, hangMs: HANG_MS, file: join(tmpdir(), `regdoctor-fuzz-hang-${process.pid}.txt`) },
  });
  worker.unref();
  watchdog = { state: new Int32Array(stateBuf), info: new Uint8Array(infoBuf), worker };
  return watchdog;
}

function markBusy(reproducer: string) {
  const w = watchdog!;
  const b = Buffer.from(reproducer, 'utf8').subarray(0, INFO_BYTES);
  w.info.set(b);
  Atomics.store(w.state, 2, b.length);
  Atomics.add(w.state, 0, 1);
  Atomics.store(w.state, 1, 1);
}

function markIdle() {
  Atomics.store(watchdog!.state, 1, 0);
}

/** Stops the watchdog thread (call from afterAll). */
export async function stopWatchdog(): Promise<void> {
  const w = watchdog;
  watchdog = undefined;
  if (w) await w.worker.terminate();
}

export function seedFor(name: string, iteration: number): number {
  return (BASE_SEED ^ hash32(`${name}#${iteration}`)) >>> 0;
}

/**
 * Runs the regressions, then `iterations` generated inputs. Fails (throws FuzzFailure) on the first unclassified
 * error, failed invariant or slow input, with everything needed to reproduce it.
 */
export async function fuzz<I>(t: FuzzTarget<I>): Promise<FuzzStats> {
  startWatchdog();
  const only = envInt('FUZZ_ONLY');
  const count = t.iterations === 0 ? 0 : iterations(t.iterations); // 0 = a regressions-only target
  const started = performance.now();
  let refused = 0;
  let slowestMs = 0;
  let slowestLabel = '';
  const cases: { label: string; make: () => I }[] = [];
  (t.regressions ?? []).forEach((r, k) => cases.push({ label: `regression #${k}`, make: () => r }));
  if (only !== undefined) cases.push({ label: `iteration ${only}`, make: () => t.generate(new Rng(seedFor(t.name, only)), only) });
  else for (let i = 0; i < count; i++) cases.push({ label: `iteration ${i}`, make: () => t.generate(new Rng(seedFor(t.name, i)), i) });

  for (const c of cases) {
    const input = c.make();
    const iter = /^iteration (\d+)$/.exec(c.label)?.[1];
    const reproduce =
      iter !== undefined
        ? `reproduce: FUZZ_SEED=${BASE_SEED} FUZZ_ONLY=${iter} npx vitest run test/fuzz`
        : 'reproduce: the regression input is in the test file';
    const where = (save = true): string =>
      `fuzz target "${t.name}", seed ${BASE_SEED}, ${c.label}\n${reproduce}\n${describeValue(input, t.name, c.label, save)}`;
    // cheap on purpose (runs for every input): the seed and iteration regenerate the input exactly
    markBusy(`fuzz target "${t.name}", seed ${BASE_SEED}, ${c.label}\n${reproduce}`);
    const t0 = performance.now();
    let result: unknown;
    let thrown: unknown;
    let threw = false;
    try {
      result = t.run(input);
      if (result instanceof Promise) result = await result;
    } catch (err) {
      threw = true;
      thrown = err;
    } finally {
      markIdle();
    }
    const ms = performance.now() - t0;
    if (ms > slowestMs) {
      slowestMs = ms;
      slowestLabel = c.label;
    }
    if (threw) {
      if (!t.classified(thrown)) throw new FuzzFailure(`unclassified error from ${where()}\n${errorText(thrown)}`);
      refused++;
    } else if (t.check) {
      try {
        t.check(result, input);
      } catch (err) {
        throw new FuzzFailure(`invariant broken for ${where()}\n${errorText(err)}`);
      }
    }
    if (ms > SLOW_MS) throw new FuzzFailure(`one input took ${ms.toFixed(0)} ms (limit ${SLOW_MS} ms, FUZZ_SLOW_MS) for ${where()}`);
  }
  const stats = { name: t.name, iterations: cases.length, ms: performance.now() - started, refused, slowestMs };
  // One line per target: the total time is part of the proof that the suite stays bounded.
  console.log(
    `fuzz ${t.name}: ${stats.iterations} inputs in ${stats.ms.toFixed(0)} ms (${refused} refused with a classified error, slowest ${slowestMs.toFixed(1)} ms at ${slowestLabel}, seed ${BASE_SEED})`,
  );
  return stats;
}

/** The error thrown by a parser, for regression assertions. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}
