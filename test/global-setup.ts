// Builds dist/ once per test run so CLI tests exercise the same bundle users run.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  // a frozen build given (REGDOCTOR_LAB_CLI): leave dist/ alone, so concurrent runs in one tree do not race
  if (process.env.REGDOCTOR_LAB_CLI) return;
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
}
