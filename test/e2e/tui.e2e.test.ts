// The live view in a real terminal: tmux (100x40) runs `regdoctor diagnose` inside the lab's namespaces (real
// containerd, real docker-registry), keys are sent with send-keys and the screen is read with capture-pane.
// Each key is its own run: r (re-run in place), v (evidence on/off), e (export: absolute path; during a run: queued),
// ? (help), q and Ctrl-C during the checks (exit 130, "cancelled after N checks", no spinner, no key hint), q after
// the verdict (0 healthy / 1 problems) and f (the guided fix's question and plan read the keyboard the view gave
// back). A "tarpit" (accepts TCP, never answers TLS) keeps checks running.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Lab, labMode, REPO_ROOT } from '../lab/lab.js';
import { labCommand, sleep, Term, TmuxServer, tmuxMissing } from '../helpers/tmux.js';

const mode = labMode();
const SOCKET = `regdoctor-tui-${process.pid}`;
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
const TARPIT_PORT = 5999;

let lab: Lab;
let cwd: string;
let n = 0;

const server = new TmuxServer(SOCKET);

/** One terminal running one regdoctor command inside the lab; the shell reports the exit code after it. */
const term = (args: string[]) => new Term(server, `t${++n}`, labCommand({ pid: lab.pid, cwd, args }), cwd);

describe.skipIf(!mode.run || tmuxMissing)(`the live view in tmux${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  let healthy: string;
  let selfSigned: string;
  const tarpit = `127.0.0.1:${TARPIT_PORT}/lab/hello:1.0`;

  beforeAll(async () => {
    lab = await Lab.start({ registries: [{ kind: 'healthy', trustCa: true }, { kind: 'self-signed' }] });
    healthy = lab.registries.find((r) => r.kind === 'healthy')!.image;
    selfSigned = lab.registries.find((r) => r.kind === 'self-signed')!.image;
    // accepts connections and never says a word: the TLS handshake (and the CRI pull) wait until their deadline
    lab.startProcess('tarpit', [process.execPath, '-e', `require('net').createServer(()=>{}).listen(${TARPIT_PORT},'127.0.0.1')`]);
    await lab.waitPort('127.0.0.1', TARPIT_PORT);
    cwd = mkdtempSync(path.join(tmpdir(), 'regdoctor-tui-'));
  }, 90_000);

  afterAll(async () => {
    server.kill();
    await lab?.stop();
    if (cwd) rmSync(cwd, { recursive: true, force: true });
  });

  for (const [label, key] of [
    ['q', 'q'],
    ['Ctrl-C', 'C-c'],
  ] as const) {
    it(`${label} during the checks: the run stops, "cancelled after N checks", exit 130, no spinner, no key hint`, async () => {
      const t = term(['diagnose', tarpit]);
      try {
        // the first frame: header and live checks, a key hint offering cancel
        await t.waitFor(/regdoctor image 127\.0\.0\.1:5999/);
        await t.waitFor(/\[q\] cancel/);
        await t.waitFor(SPINNER);
        // elapsed times of running checks tick: the same check shows a later time a moment after
        const t1 = await t.waitFor(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] tls-handshake .*\d+ ms/);
        const ms1 = Number(/tls-handshake .*?(\d+) ms/.exec(t1)![1]);
        await sleep(600);
        const m2 = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] tls-handshake .*?(\d+(?:\.\d+)?) (ms|s)\s*$/m.exec(t.screen());
        expect(m2, t.screen()).not.toBeNull();
        expect(m2![2] === 's' ? Number(m2![1]) * 1000 : Number(m2![1])).toBeGreaterThan(ms1 + 300);
        t.keys(key);
        expect(await t.exitCode()).toBe(130);
        const end = t.screen();
        expect(end).toMatch(/cancelled after \d+ checks?/);
        expect(end.match(/cancelled after/g)).toHaveLength(1);
        expect(end).not.toMatch(SPINNER);
        expect(end).not.toMatch(/\[q\]|\[r\] re-run|internal error|waiting/);
      } finally {
        t.close();
      }
    }, 60_000);
  }

  it('after the verdict: v shows each check’s evidence with an on/off indicator; q exits 1 for a problem', async () => {
    const t = term(['diagnose', selfSigned]);
    try {
      const first = await t.waitFor(/verdict: self-signed[\s\S]*\[q\] quit/);
      expect(first).toContain('[v] verbose: off');
      const linesBefore = t
        .all()
        .split('\n')
        .filter((l) => l.trim()).length;
      t.keys('v');
      const verbose = await t.waitFor(/\[v\] verbose: on/);
      // per-check evidence (what -v shows) appears under the checks: more lines than before
      expect(
        t
          .all()
          .split('\n')
          .filter((l) => l.trim()).length,
      ).toBeGreaterThan(linesBefore + 5);
      expect(verbose).not.toMatch(/\[v\] verbose: off/);
      t.keys('v');
      await t.waitFor(/\[v\] verbose: off/);
      t.keys('q');
      expect(await t.exitCode()).toBe(1);
      const end = t.screen();
      expect(end).toContain('verdict: self-signed');
      expect(end).not.toMatch(/\[q\] quit|\[r\] re-run/);
      expect(end).not.toMatch(SPINNER);
    } finally {
      t.close();
    }
  }, 60_000);

  it('? during the checks and after the verdict shows the key help; q then exits 1 and clears it', async () => {
    const t = term(['diagnose', selfSigned]);
    try {
      await t.waitFor(/\[q\] (cancel|quit)/);
      t.keys('?');
      await t.waitFor(/^keys:/m);
      const help = await t.settled(/verdict: self-signed[\s\S]*^keys:/m);
      for (const k of ['r', 'v', 'e', 'f', '?', 'q']) expect(help).toMatch(new RegExp(`^  ${k === '?' ? '\\?' : k}  \\S`, 'm'));
      t.keys('q');
      expect(await t.exitCode()).toBe(1);
      const end = t.screen();
      expect(end).toContain('verdict: self-signed');
      expect(end).not.toMatch(/\[q\] quit|\[r\] re-run|^keys:/m);
      expect(end).not.toMatch(SPINNER);
    } finally {
      t.close();
    }
  }, 60_000);

  it('r re-runs in place: a run counter, one check list on the terminal; q exits 0 for a healthy registry', async () => {
    const t = term(['diagnose', healthy]);
    try {
      await t.waitFor(/verdict: healthy[\s\S]*\[q\] quit/);
      t.keys('r');
      await t.settled(/· run 2[\s\S]*verdict: healthy[\s\S]*\[q\] quit/);
      t.keys('r');
      await t.settled(/· run 3[\s\S]*verdict: healthy[\s\S]*\[q\] quit/);
      // the whole terminal, scrollback included, holds one list and one verdict
      const all = t.all();
      expect(all.match(/runtime-info/g)).toHaveLength(1);
      expect(all.match(/verdict: healthy/g)).toHaveLength(1);
      expect(all).not.toMatch(/· run 2/);
      // the placeholder drawn before the view loaded was replaced by its first frame: one header, no placeholder left
      expect(all.match(/^regdoctor image/gm)).toHaveLength(1);
      expect(all).not.toMatch(/starting checks/);
      t.keys('q');
      expect(await t.exitCode()).toBe(0);
    } finally {
      t.close();
    }
  }, 60_000);

  it('f after the verdict hands the terminal to the guided fix: its question and its plan read the keyboard', async () => {
    const t = term(['diagnose', selfSigned]);
    try {
      await t.waitFor(/verdict: self-signed[\s\S]*\[f\] fix[\s\S]*\[q\] quit/);
      t.keys('f');
      // the trust-on-first-use question reads a line from the keyboard the live view gave back (cooked mode again)
      await t.waitFor(/Trust this certificate\? \[y\/N\]/);
      t.keys('y', 'Enter');
      // then the plan (Ink, raw mode): y moves the review on, n declines; nothing is applied
      const plan = await t.settled(/\[y\/Enter\] next step|Apply all \d+ steps? now\?/, { what: () => t.screen() });
      if (/\[y\/Enter\] next step/.test(plan)) {
        t.keys('y');
        const deadline = Date.now() + 10_000;
        while (t.screen() === plan && Date.now() < deadline) await sleep(100);
        expect(t.screen()).not.toBe(plan);
      }
      t.keys('n');
      const code = await t.exitCode();
      expect(code, t.screen()).not.toBe(3);
      expect(t.all()).not.toMatch(/internal error/);
    } finally {
      t.close();
    }
  }, 60_000);

  it('e after the verdict writes the report and prints its absolute path', async () => {
    const t = term(['diagnose', selfSigned]);
    try {
      await t.waitFor(/verdict: self-signed[\s\S]*\[q\] quit/);
      t.keys('e');
      // a long path wraps (after a "/"), without indent: the screen's lines joined give it back
      const s = await t.waitFor(/report written to ?\/\S+?\.html/, 20_000, () => t.screen().replace(/\n/g, ''));
      const file = /report written to ?(\/\S+?\.html)/.exec(s)![1]!;
      expect(path.isAbsolute(file), s).toBe(true);
      expect(file.startsWith(cwd), `${file} in ${cwd}`).toBe(true);
      expect(existsSync(file)).toBe(true);
      t.keys('q');
      expect(await t.exitCode()).toBe(1);
    } finally {
      t.close();
    }
  }, 60_000);

  it('e during the run is accepted: queued, written when the run finishes', async () => {
    const t = term(['diagnose', tarpit, '--probe-timeout', '1500', '--timeout', '6000']);
    try {
      await t.waitFor(/\[q\] cancel/);
      t.keys('e');
      await t.waitFor(/export queued/);
      await t.waitFor(/\[e\] export \(queued\)/);
      const s = await t.waitFor(/report written to ?\/\S+?\.html/, 30_000, () => t.screen().replace(/\n/g, ''));
      expect(s).toMatch(/verdict: /);
      const file = /report written to ?(\/\S+?\.html)/.exec(s)![1]!;
      expect(path.isAbsolute(file) && file.startsWith(cwd) && existsSync(file), file).toBe(true);
      t.keys('q');
      expect(await t.exitCode()).toBe(1);
    } finally {
      t.close();
    }
  }, 60_000);
});

describe.skipIf(tmuxMissing)('fix on a terminal: after a failed verification the rollback question waits for the answer', () => {
  afterAll(() => {
    server.kill();
  });

  for (const [answer, expected] of [
    ['y', /rolled back: the files are back as they were[\s\S]*\[file absent\] \[fix exited 1\]/],
    ['n', /To undo:\s+regdoctor rollback[\s\S]*\[file present\] \[fix exited 1\]/],
  ] as const) {
    it(`answer ${answer}`, async () => {
      const script = path.join(REPO_ROOT, 'test/e2e/tui-rollback-prompt.ts');
      const cmd = `env -u CI ${process.execPath} --import tsx ${script}; echo "[shell exited $?]"; sleep 600`;
      const t = new Term(server, `rb${++n}`, cmd, REPO_ROOT);
      const waitFor = (re: RegExp) => t.waitFor(re, 30_000, () => t.all());
      try {
        // the Ink screen: review the one step, then the final yes
        await waitFor(/\[y\/Enter\] next step/);
        t.keys('y');
        await waitFor(/Apply all 1 step now\?/);
        t.keys('y');
        await waitFor(/Roll back the change\? \[y\/N\]/);
        // it waits: nothing more happens without an answer
        await sleep(1500);
        expect(t.all()).not.toMatch(/exited/);
        t.keys(answer, 'Enter');
        const end = await waitFor(/\[shell exited \d+\]/);
        expect(end).toMatch(expected);
        expect(end).toMatch(/\[shell exited 1\]/);
      } finally {
        t.close();
      }
    }, 60_000);
  }
});
