// Regenerates the cause-code table in README.md and docs/causes.md from src/core/causes.ts.
// Run: npm run docs   (a unit test fails when they are out of date)
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CAUSES, CAUSE_CODES } from '../src/core/causes.js';

const root = fileURLToPath(new URL('..', import.meta.url));

export function causeTable(): string {
  return CAUSE_CODES.map((c) => `| [\`${c}\`](docs/causes.md#${c}) | ${CAUSES[c].severity} | ${CAUSES[c].title} |`).join('\n');
}

export function causesDoc(): string {
  const parts = ['# Cause codes', '', 'Stable codes emitted by regdoctor (`src/core/causes.ts`), in rank order.', ''];
  for (const c of CAUSE_CODES) {
    parts.push(`## ${c}`, '', `**${CAUSES[c].title}** (default severity: ${CAUSES[c].severity})`, '', CAUSES[c].explanation, '');
  }
  return parts.join('\n');
}

export function withTable(readme: string): string {
  return readme.replace(/(<!-- causes:begin -->\n)[\s\S]*?(<!-- causes:end -->)/, `$1${causeTable()}\n$2`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const readmePath = `${root}README.md`;
  writeFileSync(readmePath, withTable(readFileSync(readmePath, 'utf8')));
  mkdirSync(`${root}docs`, { recursive: true });
  writeFileSync(`${root}docs/causes.md`, causesDoc());
  console.log('README.md and docs/causes.md updated');
}
