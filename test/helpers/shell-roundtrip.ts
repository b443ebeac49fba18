// Round-trips a command line that regdoctor prints for a person to paste through real shell parsers (dash as
// /bin/sh, and bash) and returns the argv each shell builds from it. A correctly quoted command gives exactly the
// intended argv in every shell; an injectable one gives more or fewer words, a second command, or a comment.
//
// Safety: the line is parsed as the arguments of the shell's builtin `printf`, in a shell with an empty environment
// (PATH points at an empty directory, so an injected command is "not found" instead of run) and an empty scratch
// working directory (so an injected relative redirection lands there). Any output on stderr, a non-zero exit, or a
// file appearing in the scratch directory is reported, and the argv comparison fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SHELLS = ['/bin/sh', '/bin/bash'] as const;

export interface ShellParse {
  shell: string;
  argv: string[];
  /** stderr of the shell (e.g. `touch: not found` when a command was injected). */
  stderr: string;
  status: number | null;
  /** Files the parse created in its scratch directory (an injected redirection). */
  created: string[];
}

/** How `shell` splits `commandLine` into words (expansions and quoting applied, nothing executed but printf). */
export function shellParse(commandLine: string, shell: string = '/bin/sh'): ShellParse {
  const scratch = mkdtempSync(join(tmpdir(), 'regdoctor-shparse-'));
  const emptyBin = join(scratch, '.nobin');
  try {
    // `printf '%s\0' <line>`: every word the shell produced, NUL-terminated; `; printf '\1'` marks a clean end so a
    // swallowed tail (`#`) or a second command shows.
    const script = `printf '%s\\000' ${commandLine}\nprintf '\\001'`;
    const r = spawnSync(shell, ['-c', script], {
      cwd: scratch,
      env: { PATH: emptyBin, HOME: scratch, IFS: ' \t\n', LC_ALL: 'C' },
      encoding: 'latin1',
      timeout: 5_000,
    });
    const out = Buffer.from(r.stdout ?? '', 'latin1').toString('utf8');
    const endMark = out.endsWith('\u0001');
    const body = endMark ? out.slice(0, -1) : out;
    const argv = body === '' ? [] : body.split('\0').slice(0, -1);
    const created = readdirSync(scratch);
    return {
      shell,
      argv,
      stderr: Buffer.from(r.stderr ?? '', 'latin1').toString('utf8') + (endMark ? '' : '\n(the line did not parse as one simple command)'),
      status: r.status,
      created,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** argv from every shell in SHELLS; throws with the details when a shell disagrees with `expected`. */
export function assertRoundTrip(commandLine: string, expected: readonly string[]): void {
  for (const shell of SHELLS) {
    const p = shellParse(commandLine, shell);
    const same = p.argv.length === expected.length && p.argv.every((a, i) => a === expected[i]);
    if (!same || p.status !== 0 || p.stderr !== '' || p.created.length) {
      throw new Error(
        `${shell} does not parse the printed command back to the intended argv\n  line:     ${JSON.stringify(commandLine)}\n  expected: ${JSON.stringify(expected)}\n  got:      ${JSON.stringify(p.argv)}\n  status ${p.status}, stderr ${JSON.stringify(p.stderr)}, files created ${JSON.stringify(p.created)}`,
      );
    }
  }
}

/** True when every shell parses the line back to exactly `expected` (no error, nothing created). */
export function roundTrips(commandLine: string, expected: readonly string[]): boolean {
  try {
    assertRoundTrip(commandLine, expected);
    return true;
  } catch {
    return false;
  }
}
