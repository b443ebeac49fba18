// Issue 14 acceptance: the guided fix on a real terminal. tmux (new-session -x 100 -y 40) runs
// `regdoctor fix IMAGE --ca … --client-cert … --client-key …` inside the lab's namespaces against an mTLS registry
// behind an untrusted CA (real containerd 1.6.20, real docker-registry). The screens are read with capture-pane and
// answered with send-keys: round 1 (trust the CA) shows its plan, risk label and diff and is confirmed; the session
// re-diagnoses and shows round 2 (the client certificate), which is confirmed; the final screen says a real CRI pull
// works and the command exits 0. Afterwards the real pull works, and one rollback restores /etc/containerd exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Lab, labMode } from '../lab/lab.js';
import { writeTrustFiles } from '../lab/pki-files.js';
import { snapshotTree } from '../lab/snapshot.js';
import { flat, labCommand, sleep, Term, TmuxServer, tmuxMissing } from '../helpers/tmux.js';

const mode = labMode();
const SOCKET = `regdoctor-fixtmux-${process.pid}`;

let lab: Lab;
/** --ca, --client-cert and --client-key naming the lab's CA and client pair (written in beforeAll). */
let trustArgs: string[] = [];
let cwd: string;

const server = new TmuxServer(SOCKET);

const snapshot = (dir: string) => snapshotTree(dir, { dirModes: true });

/** A 100x40 terminal running one regdoctor command (English text) inside the lab; the shell prints the exit code after it. */
const term = (name: string, args: string[]) =>
  new Term(server, name, labCommand({ pid: lab.pid, cwd, args, env: { LC_ALL: 'C.UTF-8' } }), cwd);

/** Waits for `re` (line breaks folded) on a screen that stopped changing. */
const settled = (t: Term, re: RegExp, timeoutMs = 60_000, what: () => string = () => t.screen()) =>
  t.settled(re, { timeoutMs, what, intervalMs: 250, fold: true });

/** The prompt the screen ends with: the last one shown (an earlier round's final question may still be above). */
function prompt(screen: string): 'step' | 'apply' | undefined {
  const f = flat(screen);
  const step = f.lastIndexOf('[y/Enter] next step');
  const apply = f.search(/Apply all \d+ steps? now\?(?!.*Apply all)/);
  if (step < 0 && apply < 0) return undefined;
  return step > apply ? 'step' : 'apply';
}

/**
 * Walks one plan: waits for its title, reviews every step with y (each step's diff is on the screen in turn) and
 * stops at the final question, unanswered; returns the screens seen, the plan's first.
 */
async function reviewPlan(t: Term, title: string): Promise<string[]> {
  const seen = [await settled(t, new RegExp(`${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*\\[y/Enter\\] next step`))];
  for (let i = 0; i < 20; i++) {
    const s = seen.at(-1)!;
    if (prompt(s) === 'apply') return seen;
    t.keys('y');
    // the next step (or the final question) replaces this one
    const deadline = Date.now() + 10_000;
    while (t.screen() === s && Date.now() < deadline) await sleep(100);
    seen.push(await settled(t, /\[y\/Enter\] next step|Apply all \d+ steps? now\?/));
  }
  throw new Error(`no final question after 20 steps:\n${t.screen()}`);
}

describe.skipIf(!mode.run || tmuxMissing)(`guided fix in tmux against a real containerd${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  beforeAll(async () => {
    lab = await Lab.start({ registries: [{ kind: 'mtls' }] });
    trustArgs = writeTrustFiles(lab);
    cwd = mkdtempSync(path.join(tmpdir(), 'regdoctor-fixtmux-'));
  }, 90_000);

  afterAll(async () => {
    server.kill();
    await lab?.stop();
    if (cwd) rmSync(cwd, { recursive: true, force: true });
  });

  it('mTLS behind an untrusted CA: round 1 (trust) and round 2 (client certificate) confirmed on screen, then the pull works', async () => {
    const reg = lab.registries.find((r) => r.kind === 'mtls')!;
    const host = reg.hostPort;
    const etc = lab.hostPath('/etc/containerd');
    const before = snapshot(etc);
    expect((await lab.pull(reg.image)).ok).toBe(false);

    const t = term('fix', ['fix', reg.image, ...trustArgs]);
    try {
      // round 1: the diagnosis names the untrusted CA; the plan trusts the supplied CA for this host only
      const title1 = `Plan: Trust the supplied CA for ${host} only (hosts.toml ca)`;
      const round1 = await reviewPlan(t, title1);
      const plan1 = flat(round1[0]!);
      expect(plan1).toContain(title1);
      // the one risk model's label (src/fix/risk.ts), the same as `diagnose` prints for this fix
      expect(plan1).toMatch(/\[changes node config(; restarts containerd)?\]/);
      expect(plan1).toMatch(/nothing is written before your final yes/);
      // every step's diff is shown: the CA file and the hosts.toml that lists it
      const review1 = flat(round1.join('\n'));
      expect(review1).toMatch(/\+-----BEGIN CERTIFICATE-----/);
      expect(review1).toMatch(/\+\s*ca = \[?"?regdoctor-ca-[0-9a-f]{12}\.pem/);
      // nothing was written while the plan was on the screen
      expect(snapshot(etc)).toEqual(before);
      t.keys('y');

      // round 2: the session re-diagnosed (the pull still fails: the registry wants a client certificate)
      const title2 = `Plan: Present the client certificate to ${host} (hosts.toml client)`;
      const round2 = await reviewPlan(t, title2);
      const plan2 = flat(round2[0]!);
      expect(plan2).toContain(title2);
      expect(plan2).toMatch(/\[changes node config(; restarts containerd)?\]/);
      const review2 = flat(round2.join('\n'));
      expect(review2).toMatch(/client key \(mode 600\)|mode 600/);
      expect(review2).toMatch(/\+\s*client = \[/);
      const all1 = flat(t.all());
      expect(all1).toMatch(/Applied \(journal [^)]+\)\. To undo: regdoctor rollback /);
      expect(all1).toContain('not fixed yet: client-cert-required');
      expect(all1).toContain('next: client-cert-required');
      t.keys('y');

      // the final screen: verified by a real CRI pull, exit 0, one undo command for the whole session
      const end = flat(await settled(t, /\[regdoctor exited \d+\]/, 120_000, () => t.all()));
      expect(end).toContain('verified: a real CRI pull now succeeds');
      expect(end).toMatch(/To undo every round: regdoctor rollback \S+/);
      expect(end).toContain('[regdoctor exited 0]');
      expect((end.match(/Applied \(journal /g) ?? []).length).toBe(2);
      // no raw control bytes reached the screen as text, and nothing asked again after the last yes
      expect(end).not.toMatch(/Roll back the change\?/);
    } finally {
      t.close();
    }

    // the real pull works afterwards (the cached copy from the verifying pull removed first)
    await lab.removeImage(reg.image);
    expect((await lab.pull(reg.image)).ok).toBe(true);
    await lab.removeImage(reg.image);

    // one rollback restores every file of both rounds, modes included
    const rb = await lab.runCli(['rollback']);
    expect(rb.code, rb.stdout + rb.stderr).toBe(0);
    expect(snapshot(etc)).toEqual(before);
    expect((await lab.pull(reg.image)).ok).toBe(false);
  }, 240_000);
});
