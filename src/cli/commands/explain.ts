// `regdoctor explain`: diagnose from text — an event line, `kubectl describe pod` output, containerd's journal, a CI
// log — offline. Text as arguments, on stdin, or from --file.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { EXIT, UsageError, type CliIO } from '../../app/io.js';
import { parseCommandArgs } from '../options.js';
import { explainStream, explainText } from '../../classify/explain.js';
import { paint, RISK_LABEL, wrap } from '../../ui/format.js';
import { redactText } from '../../text/redact.js';
import { sanitizeLine } from '../../text/sanitize.js';

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { file: { type: 'string', short: 'f' }, diagnose: { type: 'boolean' } });
  // files and stdin are streamed through the extractor: a journal of millions of lines is read in bounded memory
  let result;
  if (values.file) {
    const st = await stat(values.file as string).catch(() => undefined);
    if (!st?.isFile()) throw new UsageError(`--file ${values.file}: not a readable file`);
    result = await explainStream(createReadStream(values.file as string));
  } else if (positionals.length) result = explainText(positionals.join(' '));
  else {
    // paste mode: on a terminal with nothing piped in, read what the person pastes until Ctrl-D
    if (io.stdin.isTTY) io.stderr.write('paste the error, then Ctrl-D\n');
    result = await explainStream(io.stdin as AsyncIterable<Buffer | string>);
  }

  if (values.json) {
    // explainText already made every string one line with control characters escaped; secrets go here
    io.stdout.write(`${JSON.stringify({ ...result, items: result.items.map((i) => ({ ...i, message: redactText(i.message), failingUrl: i.failingUrl === null ? null : redactText(i.failingUrl) })) }, null, 2)}\n`);
  } else if (result.items.length === 0) {
    io.stdout.write('No image-pull error found in the text.\n');
  } else {
    const c = io.color;
    for (const [n, it] of result.items.entries()) {
      io.stdout.write(`${n ? '\n' : ''}${paint(it.code === 'unknown' ? '?' : '✗', it.code === 'unknown' ? 'yellow' : 'red', c)} ${paint(it.code, 'bold', c)}${it.host ? ` [${sanitizeLine(it.host)}${it.hostRole !== 'registry' && it.hostRole !== 'unknown' ? `, ${it.hostRole}` : ''}]` : ''}  ${paint(`(line ${it.line}, ${it.runtime})`, 'dim', c)}\n`);
      if (it.image) io.stdout.write(`  image: ${sanitizeLine(it.image)}\n`);
      if (it.failingUrl) io.stdout.write(`  failing URL: ${sanitizeLine(redactText(it.failingUrl))}\n`);
      for (const l of wrap(sanitizeLine(it.explanation), io.columns, '  ')) io.stdout.write(`${l}\n`);
      if (it.alternatives.length) io.stdout.write(`  could also be: ${it.alternatives.join(', ')}\n`);
      if (it.tellApart) for (const l of wrap(it.tellApart, io.columns, '  ')) io.stdout.write(`${l}\n`);
      if (values.verbose) for (const l of wrap(sanitizeLine(redactText(it.message)), io.columns, paint('  │ ', 'dim', c))) io.stdout.write(`${l}\n`);
      for (const f of it.fixes.slice(0, 3)) io.stdout.write(`  → [${RISK_LABEL[f.risk]}] ${sanitizeLine(f.title)}\n`);
      if (it.diagnoseCommand) io.stdout.write(paint(`  live diagnosis on the node: ${it.diagnoseCommand}\n`, 'dim', c));
    }
  }
  if (values.diagnose) {
    const first = result.items.find((i) => i.diagnoseTarget);
    if (first) {
      const { run: diagnose } = await import('./diagnose.js');
      io.stdout.write(`\n$ ${first.diagnoseCommand}\n`);
      return diagnose([first.diagnoseTarget!], io);
    }
  }
  return result.items.length === 0 ? EXIT.ok : EXIT.problems;
}
