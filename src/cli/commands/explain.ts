// `regdoctor explain`: diagnose from text — an event line, `kubectl describe pod` output, containerd's journal, a CI
// log — offline. Text as arguments, on stdin, or from --file. parseExplainOptions, then runExplain (ExplainDeps).
import { createReadStream, fstatSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { EXIT, UsageError, type CliIO } from '../../app/io.js';
import { fixTitle, msg, t, tr } from '../../i18n/index.js';
import { parseCommandArgs } from '../options.js';
import { explainStream, explainText, type ExplainItem } from '../../classify/explain.js';
import { paint, riskLabel, stripAnsi, wrap } from '../../ui/format.js';
import { displayWidth } from '../../text/width.js';
import { redactText } from '../../text/redact.js';
import { sanitizeLine } from '../../text/sanitize.js';

/** The failing host's role in an item's heading (the JSON keeps the role's code). */
const ROLE_LABEL = {
  mirror: 'explain.role.mirror',
  'token-realm': 'explain.role.token-realm',
  'blob-storage': 'explain.role.blob-storage',
  proxy: 'explain.role.proxy',
  dns: 'explain.role.dns',
} as const satisfies Record<Exclude<ExplainItem['hostRole'], 'registry' | 'unknown'>, string>;

/** `regdoctor explain` flags, parsed. */
export interface ExplainOptions {
  /** --file: read the text from this file (streamed). */
  file?: string;
  /** The text given as arguments (joined by spaces); stdin when neither this nor `file` is set. */
  text?: string;
  json: boolean;
  verbose: boolean;
  /** --diagnose: run a live diagnosis of the first item that names a target. */
  diagnose: boolean;
}

export function parseExplainOptions(args: string[], _env: CliIO['env']): ExplainOptions {
  const { values, positionals } = parseCommandArgs(args, { file: { type: 'string', short: 'f' }, diagnose: { type: 'boolean' } });
  return {
    file: values.file as string | undefined,
    text: positionals.length ? positionals.join(' ') : undefined,
    json: Boolean(values.json),
    verbose: Boolean(values.verbose),
    diagnose: Boolean(values.diagnose),
  };
}

/** What `runExplain` works with; everything but `io` has a real default. */
export interface ExplainDeps {
  io: CliIO;
  /** The live diagnosis handed off to with --diagnose (the `diagnose` command's entry). */
  diagnose?: (args: string[], io: CliIO) => Promise<number>;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  return runExplain(parseExplainOptions(args, io.env), { io });
}

/** Files are read in chunks of this size: per 64 KiB chunk (the stream default), the stream machinery costs about as
 *  much as scanning it. */
const CHUNK = 1024 * 1024;

/** Standard input; when it is a file (`regdoctor explain < journal.log`), read directly in big chunks. */
function stdinChunks(stdin: CliIO['stdin']): AsyncIterable<Buffer | string> {
  if ((stdin as { fd?: unknown }).fd === 0) {
    try {
      if (fstatSync(0).isFile()) return createReadStream('', { fd: 0, highWaterMark: CHUNK, autoClose: false });
    } catch {
      // not a file descriptor we can stat: read the stream as it is
    }
  }
  return stdin as AsyncIterable<Buffer | string>;
}

export async function runExplain(o: ExplainOptions, deps: ExplainDeps): Promise<number> {
  const { io } = deps;
  // files and stdin are streamed through the extractor: a journal of millions of lines is read in bounded memory
  let result;
  if (o.file) {
    const st = await stat(o.file).catch(() => undefined);
    if (!st?.isFile()) throw new UsageError(t('cli.explain.notFile', { file: o.file }));
    result = await explainStream(createReadStream(o.file, { highWaterMark: CHUNK }));
  } else if (o.text !== undefined) result = explainText(o.text);
  else {
    // paste mode: on a terminal with nothing piped in, read what the person pastes until Ctrl-D
    if (io.stdin.isTTY) io.stderr.write(`${t('cli.explain.paste')}\n`);
    result = await explainStream(stdinChunks(io.stdin));
  }

  if (o.json) {
    // explainText already made every string one line with control characters escaped; secrets go here
    io.stdout.write(
      `${JSON.stringify({ ...result, items: result.items.map(({ explanationMessage: _e, tellApartMessage: _t, ...i }) => ({ ...i, message: redactText(i.message), failingUrl: i.failingUrl === null ? null : redactText(i.failingUrl) })) }, null, 2)}\n`,
    );
  } else if (result.items.length === 0) {
    io.stdout.write(`${t('cli.explain.nothing')}\n`);
  } else {
    const c = io.color;
    // the text is written at once: a write per line is a system call per line (~3,000 of them for 300 items)
    const text: string[] = [];
    const put = (s: string) => text.push(s);
    for (const [n, it] of result.items.entries()) {
      // the heading, and where the message was found beside it when both fit the terminal (else on the next line)
      const where = t('cli.explain.where', {
        line: it.line,
        runtime: it.runtime === 'unknown' ? msg('explain.runtime.unknown') : it.runtime,
      });
      const head = `${paint(it.code === 'unknown' ? '?' : '✗', it.code === 'unknown' ? 'yellow' : 'red', c)} ${paint(it.code, 'bold', c)}${it.host ? ` [${sanitizeLine(it.host)}${it.hostRole !== 'registry' && it.hostRole !== 'unknown' ? `, ${t(ROLE_LABEL[it.hostRole])}` : ''}]` : ''}`;
      const fits = displayWidth(stripAnsi(head)) + 2 + displayWidth(where) <= io.columns;
      put(`${n ? '\n' : ''}${head}${fits ? '  ' : '\n  '}${paint(where, 'dim', c)}\n`);
      if (it.image) put(`  ${t('cli.explain.image', { image: sanitizeLine(it.image) })}\n`);
      if (it.failingUrl) put(`  ${t('cli.explain.failingUrl', { url: sanitizeLine(redactText(it.failingUrl)) })}\n`);
      for (const l of wrap(sanitizeLine(tr(it.explanationMessage, it.explanation)), io.columns, '  ')) put(`${l}\n`);
      if (it.alternatives.length) put(`  ${t('cli.explain.alternatives', { codes: it.alternatives.join(', ') })}\n`);
      if (it.tellApart)
        for (const l of wrap(sanitizeLine(tr(it.tellApartMessage ?? undefined, it.tellApart)), io.columns, '  ')) put(`${l}\n`);
      if (o.verbose) for (const l of wrap(sanitizeLine(redactText(it.message)), io.columns, paint('  │ ', 'dim', c))) put(`${l}\n`);
      // a fix line wraps by display width (a CJK title has no spaces); continuation lines indented past the arrow
      for (const f of it.fixes.slice(0, 3))
        for (const l of wrap(`→ [${riskLabel(f)}] ${sanitizeLine(fixTitle(f))}`, io.columns, '  ', '    ')) put(`${l}\n`);
      if (it.diagnoseCommand) put(paint(`  ${t('cli.explain.liveDiagnosis', { command: it.diagnoseCommand })}\n`, 'dim', c));
    }
    io.stdout.write(text.join(''));
  }
  if (o.diagnose) {
    const first = result.items.find((i) => i.diagnoseTarget);
    if (first) {
      const diagnose = deps.diagnose ?? (await import('./diagnose.js')).run;
      io.stdout.write(`\n$ ${first.diagnoseCommand}\n`);
      return diagnose([first.diagnoseTarget!], io);
    }
  }
  return result.items.length === 0 ? EXIT.ok : EXIT.problems;
}
