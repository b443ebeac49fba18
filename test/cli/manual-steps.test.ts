// Issue 14: manual answers print as copy-pasteable blocks — one command per line, no `$` prompt, a long command
// continued with ` \` (never split inside a word or a quoted string unless the shell joins it back), notes as
// `# comments`, placeholders like <namespace> explicit. Every block is pasted into `sh -n` (and dash/bash parse it
// back to the same argv as the one-line command) after the placeholders are filled in; the fix command prints them
// that way, and "What to do:" is never followed by nothing.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { manualBlock, manualStepLines } from '../../src/text/manual-steps.js';
import { displayWidth } from '../../src/text/width.js';
import { CAUSE_CODES } from '../../src/core/causes.js';
import { proposeFixes, type PlanContext } from '../../src/fix/propose.js';
import { proposeCrioFixes } from '../../src/fix/propose-crio.js';
import { guardK3sProposals } from '../../src/fix/propose-k3s.js';
import type { K3sLayout } from '../../src/runtime/k3s.js';
import { parseTarget } from '../../src/core/reference.js';
import { buildReport } from '../../src/core/report.js';
import type { CheckRun, Finding, RunState } from '../../src/core/types.js';
import { partialFacts } from '../helpers/facts.js';
import { SHELLS, shellParse } from '../helpers/shell-roundtrip.js';
import { EXIT, type CliIO } from '../../src/app/io.js';
import { parseFixOptions, runFix } from '../../src/cli/commands/fix.js';
import { runCli } from '../helpers/cli.js';

const finding = (code: Finding['code']): Finding => ({ code, severity: 'error', summary: code, evidence: [], fixes: [], source: 'test' });

/** Placeholders filled in as an operator would: `<namespace>` → a plain word (inside quotes too). */
const fill = (text: string) => text.replace(/<([A-Za-z][^<>\n]*)>/g, (_m, name: string) => `x${name.replace(/[^A-Za-z0-9]/g, '')}`);

/** `sh -n` (syntax only, nothing runs) on a pasted block; the error text when it does not parse. */
function syntaxError(block: string): string | undefined {
  for (const sh of SHELLS) {
    const r = spawnSync(sh, ['-n'], { input: block, encoding: 'utf8', timeout: 5000 });
    if (r.status !== 0) return `${sh}: ${r.stderr}`;
  }
  return undefined;
}

const contexts: [string, PlanContext][] = [
  ['no inputs', { target: parseTarget('reg.test:5000/team/app:1'), inputs: {}, facts: partialFacts({}) }],
  ['IPv6 host', { target: parseTarget('[fd00::5]:5000/team/app:1.0'), inputs: {}, facts: partialFacts({}) }],
  [
    'pod with its own pull secrets, credentials given',
    {
      target: parseTarget('reg.test:5000/team/app:1'),
      inputs: { username: 'alice', password: 'pw' },
      facts: partialFacts({
        'pull-secrets': { namespace: 'team', pod: 'api-1', source: 'pod', secrets: ['old'], matching: [], tested: [] },
      } as never),
    },
  ],
];

describe('manualStepLines', () => {
  it('a short command stays one line, with the indent and no prompt', () => {
    expect(manualStepLines('systemctl restart containerd', { indent: '    ', columns: 80 })).toEqual(['    systemctl restart containerd']);
    expect(manualBlock(['a', 'b'], {})).toEqual(['a', 'b']);
  });

  it('a long command is continued with " \\" within the width and parses back to the same argv', () => {
    const step = `kubectl -n team create secret docker-registry regcred '--docker-server=reg.test:5000' --docker-username=alice --docker-password=secret-placeholder`;
    for (const columns of [30, 40, 60]) {
      const lines = manualStepLines(step, { indent: '      ', columns });
      expect(lines.length).toBeGreaterThan(1);
      for (const l of lines) expect(displayWidth(l), l).toBeLessThan(columns);
      for (const l of lines.slice(0, -1)) expect(l).toMatch(/\\$/);
      expect(lines.every((l) => !/^\s*\$ /.test(l))).toBe(true);
      for (const sh of SHELLS) expect(shellParse(lines.join('\n'), sh).argv).toEqual(shellParse(step, sh).argv);
    }
  });

  it('a word wider than the line is broken where the shell joins it back (single quotes closed and reopened)', () => {
    const step = `kubectl -n team patch serviceaccount default -p '{"imagePullSecrets":[{"name":"regcred-reg.example.internal-5000"}]}' "--note=a double quoted value that is long"`;
    const lines = manualStepLines(step, { indent: '  ', columns: 30 });
    for (const l of lines) expect(displayWidth(l), l).toBeLessThan(30);
    for (const sh of SHELLS) expect(shellParse(lines.join('\n'), sh).argv).toEqual(shellParse(step, sh).argv);
  });

  it('a trailing comment continues as comment lines (the continued command is unchanged)', () => {
    const step = 'crictl rmi reg.test:5000/team/app:1   # drop a stale cached copy on this node, then pull again to compare';
    const lines = manualStepLines(step, { indent: '  ', columns: 40 });
    expect(lines.at(-1)).toMatch(/^\s+# /);
    for (const l of lines) expect(displayWidth(l), l).toBeLessThan(40);
    for (const sh of SHELLS) expect(shellParse(lines.join('\n'), sh).argv).toEqual(['crictl', 'rmi', 'reg.test:5000/team/app:1']);
  });
});

const K3S: K3sLayout = {
  flavour: 'k3s',
  containerdDir: '/var/lib/rancher/k3s/agent/etc/containerd',
  configToml: '/var/lib/rancher/k3s/agent/etc/containerd/config.toml',
  certsDir: '/var/lib/rancher/k3s/agent/etc/containerd/certs.d',
  registriesYaml: '/etc/rancher/k3s/registries.yaml',
  socket: '/run/k3s/containerd/containerd.sock',
  service: 'k3s-agent',
};

/** The programs manual answers may start with (else the line is a `#` note). */
const PROGRAMS = [
  '#',
  'cat',
  'chmod',
  'chown',
  'containerd',
  'crictl',
  'curl',
  'getent',
  'grep',
  'journalctl',
  'kubectl',
  'ls',
  'mv',
  'openssl',
  'regdoctor',
  'systemctl',
  'update-ca-certificates',
  '"$EDITOR"',
];

/** containerd's planners, CRI-O's, and containerd's as rewritten for a k3s node: all print the same way. */
const PLANNER_SETS: [string, (f: Finding, ctx: PlanContext) => ReturnType<typeof proposeFixes>][] = [
  ['containerd', proposeFixes],
  ['cri-o', (f, ctx) => proposeCrioFixes(f, ctx)],
  ['k3s', (f, ctx) => guardK3sProposals([{ ...f, fixes: proposeFixes(f, ctx) }], K3S, ctx.target.registry.name)[0]!.fixes],
];

describe('every planner: manual steps are shell lines that paste', () => {
  for (const [name, ctx] of contexts)
    for (const [runtime, plan] of PLANNER_SETS) {
      it(`${runtime}, ${name}: every cause, every proposal, at 40/60/100 columns and unwrapped`, () => {
        const blocks: { what: string; text: string }[] = [];
        for (const code of CAUSE_CODES) {
          for (const p of plan(finding(code), ctx)) {
            for (const step of p.manualSteps) {
              expect(step, `${code}/${p.id}`).not.toMatch(/^\s*\$ /);
              expect(step, `${code}/${p.id}`).not.toContain('\n');
              // a command a node has, or a # note: prose such as "edit the file" would run a program called edit
              expect(PROGRAMS, `${code}/${p.id}: ${step}`).toContain(step.trim().split(/\s+/)[0]);
            }
            for (const columns of [40, 60, 100, undefined]) {
              const block = manualBlock(p.manualSteps, { indent: '      ', columns });
              if (!block.length) continue;
              blocks.push({ what: `${code}/${p.id} at ${columns}`, text: fill(block.join('\n')) });
              if (columns !== undefined) for (const l of block) if (!/^\s*#/.test(l)) expect(displayWidth(l), l).toBeLessThan(columns);
            }
            // a step wrapped narrow is the same command as on one line
            for (const step of p.manualSteps) {
              const narrow = manualStepLines(fill(step), { indent: '   ', columns: 40 });
              if (narrow.length > 1)
                expect(shellParse(narrow.join('\n')).argv, `${code}/${p.id}: ${step}`).toEqual(shellParse(fill(step)).argv);
            }
          }
        }
        expect(blocks.length).toBeGreaterThan(CAUSE_CODES.length);
        // one paste of everything; when it does not parse, the block that breaks it is named
        if (syntaxError(`${blocks.map((b) => b.text).join('\n')}\n`))
          for (const b of blocks) expect(syntaxError(`${b.text}\n`), `${b.what}:\n${b.text}`).toBeUndefined();
        expect(syntaxError(`${blocks.map((b) => b.text).join('\n')}\n`)).toBeUndefined();
        // and a block that does not parse is caught (the check can fail)
        expect(syntaxError(`kubectl -n team edit <owner> \\\n  # note\n`)).toBeDefined();
      });
    }

  it('placeholders are explicit where the value is unknown', () => {
    const ctx = contexts[0]![1];
    const steps = proposeFixes(finding('rate-limited'), ctx).flatMap((p) => p.manualSteps);
    expect(steps.join('\n')).toContain('<namespace>');
    expect(steps.join('\n')).toContain('<user>');
  });
});

function fakeIO(columns: number): CliIO & { out: () => string } {
  let stdout = '';
  return {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: () => true },
    stdin: new PassThrough(),
    env: {},
    interactive: true,
    color: false,
    columns,
    signal: new AbortController().signal,
    out: () => stdout,
  };
}

describe('the fix command prints manual answers as blocks', () => {
  const target = parseTarget('reg.test:5000/team/app:1');
  const check: CheckRun = { id: 'runtime-info', title: 'runtime', needs: [], status: 'fail', findings: [], evidence: [], hasFacts: false };

  it('"No fix … What to do:" on a 60-column terminal: no $ prompts, the block after each fix parses as shell', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'regdoctor-manual-'));
    try {
      const io = fakeIO(60);
      const f = finding('rate-limited');
      const state: RunState = { target, startedAt: 0, finishedAt: 1, checks: [check], cancelled: false, facts: {} };
      const o = { ...parseFixOptions([target.input, '--no-pull', '--root', root, '--dry-run'], {}), yes: false };
      const code = await runFix(o, {
        io,
        diagnose: async () => ({ state, findings: [f], report: buildReport(state, [f]) }),
        planFixes: async ({ finding: x }) => proposeFixes(x, { target, inputs: {}, facts: {} }),
      });
      expect(code).toBe(EXIT.problems);
      const out = io.out();
      expect(out).toContain('What to do:');
      const lines = out.split('\n');
      expect(lines.filter((l) => /^\s*\$ /.test(l))).toEqual([]);
      // the command block: the lines indented six, after the fix's description
      const block = lines.filter((l) => /^ {6}\S/.test(l) || /^ {8}\S/.test(l));
      expect(block.length).toBeGreaterThanOrEqual(2);
      expect(block.join('\n').replace(/ \\\n\s*/g, ' ')).toContain('kubectl -n <namespace> create secret docker-registry');
      for (const l of block) expect(displayWidth(l), l).toBeLessThan(60);
      expect(syntaxError(`${fill(block.join('\n'))}\n`)).toBeUndefined();
      expect(block.some((l) => / \\$/.test(l))).toBe(true);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('the built CLI with a CRI socket that does not exist: "What to do:" is followed by fixes, each with its risk label', async () => {
    // loopback port 1: nothing listens; the CRI socket path does not exist
    const r = await runCli(
      ['fix', '127.0.0.1:1/team/app:1', '--runtime-endpoint', 'unix:///tmp/regdoctor-none.sock', '--dry-run', '--timeout', '10000'],
      {
        timeoutMs: 30_000,
      },
    );
    expect(r.code, r.stderr).toBe(EXIT.problems);
    const after = r.stdout.slice(r.stdout.indexOf('What to do:') + 'What to do:'.length);
    expect(r.stdout).toContain('What to do:');
    expect(after.trim()).not.toBe('');
    expect(after).toMatch(/• \[(safe|changes node config|restarts runtime)\] /);
    expect(r.stdout).not.toMatch(/^\s*\$ /m);
  }, 40_000);
});
