// `regdoctor explain`: diagnose from text — an event line, `kubectl describe pod` output, containerd's journal, a CI
// log — offline. Text as arguments, on stdin, or from --file.
import { readFile, stat } from 'node:fs/promises';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { parseCommandArgs } from '../options.js';
import { explainText } from '../../classify/explain.js';
import { paint, RISK_LABEL, wrap } from '../../ui/format.js';
import { redactText } from '../../core/redact.js';
import { sanitizeLine } from '../../core/sanitize.js';

const MAX = 64 * 1024 * 1024;

async function readStdin(io: CliIO): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of io.stdin as AsyncIterable<Buffer | string>) {
    const b = typeof c === 'string' ? Buffer.from(c) : c;
    size += b.length;
    if (size > MAX) throw new UsageError(`input larger than ${MAX / 1024 / 1024} MiB`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { file: { type: 'string', short: 'f' }, diagnose: { type: 'boolean' } });
  let text: string;
  if (values.file) {
    const st = await stat(values.file as string).catch(() => undefined);
    if (!st?.isFile()) throw new UsageError(`--file ${values.file}: not a readable file`);
    if (st.size > MAX) throw new UsageError(`--file ${values.file}: larger than ${MAX / 1024 / 1024} MiB`);
    text = await readFile(values.file as string, 'utf8');
  } else if (positionals.length) text = positionals.join(' ');
  else if (io.stdin.isTTY) throw new UsageError('give the text as an argument, with --file F, or on stdin (kubectl describe pod x | regdoctor explain)');
  else text = await readStdin(io);

  const result = explainText(text);
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
