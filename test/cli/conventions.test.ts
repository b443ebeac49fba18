// CLI conventions (issue 16), kubectl/gh style: a typo of a command gets "did you mean" and exit 2; every command has
// --help with flags and examples (stdout, exit 0); every usage error is one line plus a hint on stderr with exit 2
// (no raw parseArgs text, no help dump); the help table and the parsers agree on every flag; the completion scripts
// complete commands, flags (from the same table) and pod names through the real kubectl.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, UsageError } from '../../src/app/io.js';
import { memoryIO } from '../helpers/io.js';
import { loadCommand, main } from '../../src/cli/main.js';
import { closest, commandFlags, commandHelp, COMMANDS, editDistance, helpText, topHelp } from '../../src/cli/help.js';
import { completionScript } from '../../src/cli/commands/completion.js';
import { BIN, ROOT } from '../helpers/cli.js';
import { startKubeServer, type KubeServer } from '../kube-server/server.js';

async function cli(argv: string[], columns = 80): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = memoryIO({ columns });
  const code = await main(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

const NAMES = Object.keys(COMMANDS);
const pascal = (s: string) => s.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());

describe('typos of a command', () => {
  it.each([
    ['expain', 'explain', true],
    ['rolback', 'rollback', true],
    ['fxi', 'fix', true],
    ['scna', 'scan', true],
    ['diagnsoe', 'diagnose', true],
    ['node', 'nodes', true],
    ['demoo', 'demo', true],
    ['completoin', 'completion', true],
    ['Explain', 'explain', false],
    ['verison', 'version', true],
  ])('%s → did you mean %s (exit 2, nothing pulled)', async (word, meant, validImage) => {
    const r = await cli([word, '--no-pull']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`regdoctor: unknown command '${word}'; did you mean '${meant}'?`);
    // a valid image name is told how to mean the image; an invalid one is not
    expect(r.stderr.includes(`docker.io/library/${word}:latest`)).toBe(validImage);
    expect(lines.at(-1)).toBe("Run 'regdoctor --help' for usage.");
  });

  it.each([['node:20'], ['library/node'], ['nodes.example.com'], ['reg.test/expain'], ['x'], ['nginx']])(
    '%s stays a target (it reaches diagnose, whose --timeout check answers)',
    async (target) => {
      const r = await cli([target, '--timeout', '0']);
      expect(r.code).toBe(EXIT.usage);
      expect(r.stderr).toMatch(/^regdoctor: --timeout must be a number of milliseconds/);
    },
  );

  it('help <typo> suggests too; the distance counts a transposition as one edit', async () => {
    const r = await cli(['help', 'expain']);
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([2, "regdoctor: unknown command 'expain'; did you mean 'explain'?"]);
    const none = await cli(['help', 'zzzzzz']);
    expect([none.code, none.stderr.split('\n')[0]]).toEqual([2, "regdoctor: no help for 'zzzzzz': not a command"]);
    expect(editDistance('fxi', 'fix')).toBe(1);
    expect(editDistance('expain', 'explain')).toBe(1);
    expect(closest('zzzzzz', NAMES)).toBeUndefined();
  });
});

describe('help', () => {
  it('no arguments, -h, --help and help: the same overview on stdout, exit 0', async () => {
    const runs = await Promise.all([[], ['-h'], ['--help'], ['help']].map((a) => cli(a)));
    for (const r of runs) expect([r.code, r.stderr, r.stdout]).toEqual([0, '', runs[0]!.stdout]);
    for (const n of NAMES) expect(runs[0]!.stdout).toMatch(new RegExp(`^  ${n} +\\S`, 'm'));
    expect(runs[0]!.stdout).toContain('Exit codes: 0 healthy, 1 problems found, 2 usage error, 3 internal error.');
  });

  it.each(NAMES)('%s: --help, -h and help %s print usage, every flag with a description and 2–4 examples', async (name) => {
    const forms = await Promise.all(
      [
        [name, '--help'],
        [name, '-h'],
        ['help', name],
      ].map((a) => cli(a)),
    );
    for (const r of forms) expect([r.code, r.stderr, r.stdout]).toEqual([0, '', forms[0]!.stdout]);
    const out = forms[0]!.stdout;
    expect(out).toBe(commandHelp(name, 80));
    expect(out).toMatch(new RegExp(`^USAGE\\n  regdoctor ${name}\\b`, 'm'));
    for (const f of commandFlags(name)) {
      expect(helpText(f).length, `--${f.name}`).toBeGreaterThan(10);
      expect(out).toMatch(new RegExp(`^  ${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.value ? ` ${f.value}` : ''} +\\S`, 'm'));
    }
    const examples = out.match(/^ {2}\$ .+$/gm) ?? [];
    expect(examples.length).toBeGreaterThanOrEqual(2);
    expect(examples.length).toBeLessThanOrEqual(4);
    // each example runs this command and uses only its flags
    const known = new Set(commandFlags(name).flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]));
    for (const e of COMMANDS[name]!.examples) {
      expect(e.run, e.run).toMatch(new RegExp(`(^|\\| |<\\()regdoctor ${name}\\b`));
      const own = e.run.slice(e.run.indexOf(`regdoctor ${name}`)).split(/[|>)]/)[0]!;
      for (const flag of own.match(/(?<=\s)--?[A-Za-z][\w-]*/g) ?? []) expect(known, `${e.run}: ${flag}`).toContain(flag);
    }
    // --help after a target or other flags still shows help and runs nothing
    const late = await cli([name, 'reg.test/app:1', '--json', '--help']);
    expect(late.code).toBe(0);
    expect(late.stdout).toBe(out);
  });

  it('help fits the terminal (80 and 100 columns; example commands are never wrapped) and never splits a word', () => {
    for (const width of [80, 100]) {
      const texts = [topHelp(width), ...NAMES.map((n) => commandHelp(n, width))];
      for (const line of texts.join('\n').split('\n'))
        if (!/^ {2}\$ /.test(line)) expect(line.length, `${width}: ${line}`).toBeLessThanOrEqual(width);
    }
    const words = (s: string) => new Set(s.split(/\s+/));
    for (const n of NAMES)
      for (const f of COMMANDS[n]!.flags) for (const w of helpText(f).split(' ')) expect(words(commandHelp(n, 80))).toContain(w);
  });
});

describe('the help table and the parsers agree', () => {
  it.each(NAMES)('%s: every flag of its help parses as documented (boolean or with a value)', async (name) => {
    const mod = (await loadCommand(name)) as unknown as Record<string, unknown>;
    const parse = mod[`parse${pascal(name)}Options`] as (args: string[], env: object) => unknown;
    expect(typeof parse, `parse${pascal(name)}Options`).toBe('function');
    for (const f of commandFlags(name)) {
      if (f.name === 'help') continue;
      for (const spelling of [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]) {
        const args = f.value
          ? [spelling.startsWith('--') ? `${spelling}=1` : spelling, ...(spelling.startsWith('--') ? [] : ['1'])]
          : [spelling];
        // a flag may be valid only with some targets (diagnose --live is for pod/NAME): one accepting form suffices
        const errors = [[], ['pod/x'], ['reg.test/app:1']].map((pos) => {
          try {
            parse([...pos, ...args], {});
            return '';
          } catch (err) {
            expect(err).toBeInstanceOf(UsageError);
            return (err as Error).message;
          }
        });
        expect(
          errors.some((m) => !/unknown option|needs a value|takes no value/.test(m)),
          `${name} ${args.join(' ')}: ${errors.join(' | ')}`,
        ).toBe(true);
      }
    }
  });

  it.each(NAMES)("%s: every flag its source declares has a line in help.ts (add it to the command's flags there)", (name) => {
    const source = readFileSync(join(ROOT, 'src/cli/commands', `${name}.ts`), 'utf8');
    const declared = [...source.matchAll(/'?([a-z][a-z-]*)'?: \{ type: '(?:string|boolean)'(?:, short: '(.)')?/g)];
    const flags = commandFlags(name);
    for (const [, flag, short] of declared) {
      const f = flags.find((x) => x.name === flag);
      expect(f, `--${flag} of ${name}`).toBeDefined();
      expect(f!.short, `--${flag} of ${name}`).toBe(short);
    }
  });
});

// Every usage error: exit 2, one line naming what is wrong (and the flag to use when one is close), then the hint.
// Each command has rows here, so a new command adds its usage errors.
const USAGE_ERRORS: [string[], RegExp][] = [
  [['-V'], /^regdoctor: unknown option '-V'; did you mean '--version'\?$/],
  [['--bogus'], /^regdoctor: unknown option '--bogus'$/],
  [['--verison'], /^regdoctor: unknown option '--verison'; did you mean '--version'\?$/],
  [
    ['http://reg/x'],
    /^regdoctor: invalid reference format: an image reference has no URL scheme; drop the scheme: reg\/x \("http:\/\/reg\/x"\)$/,
  ],
  [['reg.test', '--timeout', '-5'], /^regdoctor: --timeout must be a number of milliseconds between 1 and 3600000 \(got -5\)$/],
  [['diagnose'], /^regdoctor diagnose: missing target: an image reference/],
  [['diagnose', 'a.test', 'b.test'], /^regdoctor diagnose: one target at a time \(got 2: a\.test b\.test\)$/],
  [['diagnose', 'https://reg.test/app'], /drop the scheme: reg\.test\/app/],
  [
    ['diagnose', 'reg.test', '--timeout', '-5'],
    /^regdoctor diagnose: --timeout must be a number of milliseconds between 1 and 3600000 \(got -5\)$/,
  ],
  [['diagnose', 'reg.test', '--timeout'], /^regdoctor diagnose: --timeout needs a value$/],
  [['diagnose', 'reg.test', '--timeout', '--json'], /^regdoctor diagnose: --timeout needs a value$/],
  [['diagnose', 'reg.test', '--jsn'], /^regdoctor diagnose: unknown option '--jsn'; did you mean '--json'\?$/],
  [['diagnose', 'reg.test', '--json=yes'], /^regdoctor diagnose: --json takes no value$/],
  [['diagnose', 'reg.test', '-n'], /^regdoctor diagnose: --namespace needs a value$/],
  [['diagnose', 'Reg.Test:5000/App:1'], /^regdoctor diagnose: invalid reference format: repository name \(App\) must be lowercase/],
  [['diagnose', 'reg.test', '--report', 'r.txt'], /^regdoctor diagnose: --report r\.txt: use a \.md, \.json or \.html file name$/],
  [['diagnose', 'reg.test', '--go-version', '1.22'], /^regdoctor diagnose: --go-version must look like go1\.19/],
  [['diagnose', 'pod/Bad_Name'], /^regdoctor diagnose: invalid pod name "Bad_Name"$/],
  [['explain', '--fil', 'log.txt'], /^regdoctor explain: unknown option '--fil'; did you mean '--file'\?$/],
  [['explain', '--file'], /^regdoctor explain: --file needs a value$/],
  [['fix'], /^regdoctor fix: fix takes exactly one target/],
  [['fix', 'reg.test', '--ca', '/nonexistent/ca.pem'], /^regdoctor fix: cannot read --ca \/nonexistent\/ca\.pem/],
  [['fix', 'reg.test', '--no-pull'], /^regdoctor fix: refusing to change files without confirmation on a non-interactive terminal/],
  [['fix', 'reg.test', '--yse'], /^regdoctor fix: unknown option '--yse'; did you mean '--yes'\?$/],
  [['rollback', 'a', 'b'], /^regdoctor rollback: rollback takes at most one journal id$/],
  [['rollback', '--lst'], /^regdoctor rollback: unknown option '--lst'; did you mean '--list'\?$/],
  [['scan', '-A', '-n', 'x'], /^regdoctor scan: use either -n\/--namespace or -A\/--all-namespaces$/],
  [['scan', '--chunk-size', '0'], /^regdoctor scan: --chunk-size must be a number between 1 and 10000$/],
  [['scan', '--timeout', '-5'], /^regdoctor scan: --timeout must be a number of milliseconds/],
  [['scan', 'pods'], /^regdoctor scan: scan takes no positional arguments \(got pods\)$/],
  [['nodes'], /^regdoctor nodes: missing image reference/],
  [['nodes', 'reg.test:5000'], /^regdoctor nodes: nodes needs an image reference/],
  [['nodes', 'reg.test/a:1', '--parallel', '-3'], /^regdoctor nodes: --parallel must be a number between 1 and 200$/],
  [['nodes', 'reg.test/a:1', '--verbose'], /^regdoctor nodes: unknown option '--verbose'$/],
  [['nodes', 'reg.test/a:1', '--selector'], /^regdoctor nodes: --selector needs a value$/],
  [['audit', 'reg.test'], /^regdoctor audit: audit takes no target \(it finds the registries\): got reg\.test$/],
  [['audit', '--parallel', '0'], /^regdoctor audit: --parallel must be a number between 1 and 32$/],
  [['demo', 'reg.test'], /^regdoctor demo: demo takes no target$/],
  [['demo', '--go-version', '1.22'], /^regdoctor demo: --go-version must look like go1\.19/],
  [['completion'], /^regdoctor completion: completion takes one shell: bash, zsh, fish, kubectl$/],
  [['completion', 'tcsh'], /^regdoctor completion: completion takes one shell: bash, zsh, fish, kubectl \(got tcsh\)$/],
  [['help', 'frobnicate'], /^regdoctor: no help for 'frobnicate': not a command$/],
  [['help', 'x'], /^regdoctor: no help for 'x': not a command$/],
];

describe('usage errors', () => {
  it.each(USAGE_ERRORS)('%j → exit 2, one line and the hint, no help dump', async (argv, message) => {
    const r = await cli(argv);
    expect(r.code, r.stderr).toBe(EXIT.usage);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(2);
    expect(lines[0]).toMatch(message);
    const command = NAMES.includes(argv[0]!) ? argv[0] : argv[0] === 'help' || argv[0]!.startsWith('-') ? undefined : 'diagnose';
    expect(lines[1]).toBe(`Run 'regdoctor ${command ? `${command} ` : ''}--help' for usage.`);
    // Node's parseArgs wording never leaks (its unknown-option text has an unbalanced quote)
    expect(r.stderr).not.toMatch(/Unknown option|ambiguous|To specify a positional|-- "/);
    expect((lines[0]!.match(/'/g) ?? []).length % 2).toBe(0);
  });

  it('every command has usage errors in the table', () => {
    for (const n of NAMES)
      expect(
        USAGE_ERRORS.some(([argv]) => argv[0] === n),
        n,
      ).toBe(true);
  });
});

describe('rollback --list', () => {
  it('a header, aligned columns, (1 file) / (N files), oldest first, the journal a bare rollback undoes marked', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'regdoctor-journals-'));
    try {
      const empty = await cli(['rollback', '--list', '--state-dir', stateDir]);
      expect([empty.code, empty.stdout]).toEqual([0, `no fix journals in ${stateDir}/journal: nothing to roll back\n`]);
      mkdirSync(join(stateDir, 'journal'));
      const journal = (id: string, createdAt: string, status: string, files: number, extra: object = {}) =>
        writeFileSync(
          join(stateDir, 'journal', `${id}.json`),
          JSON.stringify({
            schema: 'regdoctor/journal@1',
            id,
            createdAt,
            target: 'reg.example.com:5000/team/app:1',
            proposal: 'hosts-toml-ca',
            files: Array.from({ length: files }, (_, i) => ({ path: `/etc/containerd/f${i}` })),
            createdDirs: [],
            restarted: true,
            status,
            steps: [],
            ...extra,
          }),
        );
      journal('20261130-150211-a1b2', '2026-11-30T15:02:11.345Z', 'applied', 1);
      journal('20261130-140000-ffff', '2026-11-30T14:00:00.000Z', 'rolled-back', 3, {
        target: 'reg.example.com:5000',
        proposal: 'skip-verify',
      });
      journal('20261130-160000-cccc', '2026-11-30T16:00:00.000Z', 'applying', 2, { restartPending: true });
      const r = await cli(['rollback', '--list', '--state-dir', stateDir]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(4);
      expect(lines[0]).toMatch(/^ID +CREATED +STATUS +TARGET +FIX +FILES +NOTE$/);
      // every column starts where its header starts
      for (const h of ['CREATED', 'STATUS', 'TARGET', 'FIX', 'FILES']) {
        const col = lines[0]!.indexOf(h);
        for (const l of lines.slice(1)) expect(l[col - 1], `${h}: ${l}`).toBe(' ');
        for (const l of lines.slice(1)) expect(l[col], `${h}: ${l}`).not.toBe(' ');
      }
      expect(lines[1]).toMatch(
        /^20261130-140000-ffff +2026-11-30 14:00:00Z +rolled-back +reg\.example\.com:5000 +skip-verify +\(3 files\)$/,
      );
      expect(lines[2]).toMatch(/^20261130-150211-a1b2 +2026-11-30 15:02:11Z +applied .* \(1 file\)$/);
      expect(lines[3]).toMatch(/^20261130-160000-cccc .* applying .* \(2 files\) +restart pending, next to roll back$/);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});

describe('shell completion', () => {
  let dir: string;
  let server: KubeServer;
  let kubeconfig: string;
  const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'regdoctor-completion-'));
    // `regdoctor` on PATH, as the user has it
    writeFileSync(join(dir, 'regdoctor'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
    chmodSync(join(dir, 'regdoctor'), 0o755);
    server = await startKubeServer({});
    for (const ns of ['shop', 'ops']) server.add('namespaces', { metadata: { name: ns } });
    server.add(
      'pods',
      { metadata: { name: 'web-1', namespace: 'shop' } },
      { metadata: { name: 'api-7c9d8b5f4-x2x9q', namespace: 'shop' } },
      { metadata: { name: 'backup', namespace: 'ops' } },
    );
    kubeconfig = server.writeKubeconfig(dir);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string> = {}) => ({
    ...process.env,
    PATH: `${dir}:${process.env.PATH}`,
    HOME: dir,
    KUBECONFIG: kubeconfig,
    ...extra,
  });

  // asynchronous: the API server runs in this process, so a synchronous child would starve it
  const run = async (file: string, args: string[], extra: Record<string, string> = {}) =>
    (await promisify(execFile)(file, args, { env: env(extra), encoding: 'utf8', cwd: dir })).stdout.split('\n').filter(Boolean);
  const quoted = (words: string[]) => words.map((w) => `'${w}'`).join(' ');
  const flagWords = (n: string) => new Set(commandFlags(n).flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]));

  /** Runs the bash completion function for a command line (the last word is completed) and returns the candidates. */
  const bash = (words: string[], extra: Record<string, string> = {}) =>
    run(
      '/bin/bash',
      [
        '-c',
        `source <(regdoctor completion bash)
COMP_WORDS=(${quoted(words)}); COMP_CWORD=${words.length - 1}; COMPREPLY=()
_regdoctor
printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      extra,
    );

  it('bash: sourcing the script registers the completion function', async () => {
    expect(await run('/bin/bash', ['-c', 'source <(regdoctor completion bash); complete -p regdoctor'])).toEqual([
      'complete -F _regdoctor regdoctor',
    ]);
  });

  it('bash: commands, per-command flags from the help table, values and positionals', async () => {
    expect(await bash(['regdoctor', ''])).toEqual([...NAMES, 'help', 'version']);
    expect(await bash(['regdoctor', 'ex'])).toEqual(['explain']);
    for (const n of NAMES) expect(new Set(await bash(['regdoctor', n, '-'])), n).toEqual(flagWords(n));
    // no command yet: a target makes it diagnose, whose flags apply
    expect(await bash(['regdoctor', 'reg.test/app:1', '--st'])).toEqual(['--strict']);
    expect(await bash(['regdoctor', 'completion', ''])).toEqual(['bash', 'zsh', 'fish', 'kubectl']);
    expect(await bash(['regdoctor', 'help', 'ro'])).toEqual(['rollback']);
    writeFileSync(join(dir, 'ca-bundle.pem'), '');
    expect(await bash(['regdoctor', 'fix', 'reg.test', '--ca', 'ca-'])).toEqual(['ca-bundle.pem']);
    // a value nobody can guess completes to nothing (not to flags or files)
    expect(await bash(['regdoctor', 'diagnose', '--timeout', ''])).toEqual([]);
  });

  it('bash: pod names and namespaces through the real kubectl, honouring -n and --namespace=', async () => {
    expect((await bash(['regdoctor', 'diagnose', '-n', 'shop', ''])).sort()).toEqual(['pod/api-7c9d8b5f4-x2x9q', 'pod/web-1']);
    expect(await bash(['regdoctor', '--namespace', '=', 'ops', 'pod/'])).toEqual(['pod/backup']);
    expect(await bash(['regdoctor', '-n', 'shop', 'pod/w'])).toEqual(['pod/web-1']);
    expect((await bash(['regdoctor', 'diagnose', '-n', ''])).sort()).toEqual(['default', 'ops', 'shop']);
    expect(await bash(['regdoctor', 'scan', '--context', ''])).toEqual(expect.arrayContaining(['test', 'unreachable']));
  });

  it('bash: guarded — no kubectl, or a cluster that does not answer, completes nothing, quickly and silently', async () => {
    // a PATH with what the script needs (sed, timeout) but no kubectl
    const tools = join(dir, 'tools');
    mkdirSync(tools, { recursive: true });
    for (const t of ['sed', 'timeout'])
      symlinkSync(execFileSync('sh', ['-c', `command -v ${t}`], { encoding: 'utf8' }).trim(), join(tools, t));
    const started = Date.now();
    expect(await bash(['regdoctor', 'diagnose', '-n', 'shop', ''], { PATH: `${dir}:${tools}` })).toEqual([]);
    expect(await bash(['regdoctor', 'diagnose', '--context', 'unreachable', '-n', 'shop', ''])).toEqual([]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it.skipIf(!has('zsh'))('zsh: the script parses, and its function completes commands, flags and pods (compsys stubbed)', async () => {
    writeFileSync(join(dir, '_regdoctor'), completionScript('zsh'));
    expect(spawnSync('zsh', ['-n', join(dir, '_regdoctor')]).status).toBe(0);
    // compadd/_describe/_files are compsys builtins; the stubs print what the function offers
    const zsh = (words: string[]) =>
      run('zsh', [
        '-c',
        `compdef() { :; }
compadd() { while [[ $1 == -* && $1 != -- ]]; do shift; done; [[ $1 == -- ]] && shift; print -l -- "$@"; }
_describe() { local -a a; a=("\${(@P)4}"); print -l -- "\${a[@]%%:*}"; }
_files() { print -- FILES "$@"; }
_message() { :; }
source <(regdoctor completion zsh)
words=(${quoted(words)}); CURRENT=${words.length}
_regdoctor`,
      ]);
    expect(await zsh(['regdoctor', ''])).toEqual([...NAMES, 'help', 'version']);
    expect(new Set(await zsh(['regdoctor', 'rollback', '-']))).toEqual(flagWords('rollback'));
    expect((await zsh(['regdoctor', 'diagnose', '-n', 'shop', ''])).sort()).toEqual(['pod/api-7c9d8b5f4-x2x9q', 'pod/web-1']);
    expect((await zsh(['regdoctor', 'diagnose', '-n', ''])).sort()).toEqual(['default', 'ops', 'shop']);
    expect(await zsh(['regdoctor', 'fix', 'reg.test', '--ca', ''])).toEqual(['FILES']);
    expect(await zsh(['regdoctor', 'completion', ''])).toEqual(['bash', 'zsh', 'fish', 'kubectl']);
  });

  it.skipIf(!has('fish'))('fish: the script parses, and fish completes commands, flags and pods with it', async () => {
    writeFileSync(join(dir, 'regdoctor.fish'), completionScript('fish'));
    const parsed = spawnSync('fish', ['--no-execute', join(dir, 'regdoctor.fish')]);
    expect(parsed.status, String(parsed.stderr)).toBe(0);
    const fish = async (line: string) =>
      (await run('fish', ['-c', `regdoctor completion fish | source; complete -C ${JSON.stringify(line)}`])).map((l) => l.split('\t')[0]!);
    expect(await fish('regdoctor ')).toEqual(expect.arrayContaining([...NAMES, 'help', 'version']));
    expect(await fish('regdoctor ex')).toEqual(['explain']);
    const rollbackFlags = await fish('regdoctor rollback --');
    expect(rollbackFlags).toEqual(expect.arrayContaining(['--list', '--force', '--state-dir']));
    expect(rollbackFlags).not.toContain('--json');
    expect(await fish('regdoctor diagnose -n shop ')).toEqual(['pod/api-7c9d8b5f4-x2x9q', 'pod/web-1']);
    expect(await fish('regdoctor diagnose --namespace ')).toEqual(['default', 'ops', 'shop']);
    expect(await fish('regdoctor completion ')).toEqual(['bash', 'fish', 'kubectl', 'zsh']);
  });

  it('kubectl plugin: the real kubectl completes `kubectl regdoctor …` through kubectl_complete-regdoctor', async () => {
    // kubectl finds the plugin (kubectl-regdoctor) and its completer on PATH, and speaks cobra's protocol with it
    writeFileSync(join(dir, 'kubectl-regdoctor'), readFileSync(join(dir, 'regdoctor')));
    writeFileSync(join(dir, 'kubectl_complete-regdoctor'), completionScript('kubectl'));
    for (const f of ['kubectl-regdoctor', 'kubectl_complete-regdoctor']) chmodSync(join(dir, f), 0o755);
    const complete = (...words: string[]) => run('kubectl', ['__complete', 'regdoctor', ...words]);
    expect(await complete('ex')).toEqual(['explain', ':4']);
    expect(await complete('rollback', '--l')).toEqual(['--list', ':4']);
    expect(await complete('fix', 'reg.test', '--ca', '')).toEqual([':0']); // files
    expect(await complete('diagnose', '--root', '')).toEqual([':16']); // directories
    expect((await complete('diagnose', '--namespace', 'shop', '')).sort()).toEqual([':4', 'pod/api-7c9d8b5f4-x2x9q', 'pod/web-1']);
    expect(await complete('completion', 'k')).toEqual(['kubectl', ':4']);
  });

  it('names from a hostile API server are never run or printed: only plain names are offered (bash, zsh, fish)', async () => {
    server.add(
      'pods',
      { metadata: { name: 'fine-1', namespace: 'evil' } },
      { metadata: { name: '$(touch PWNED1)', namespace: 'evil' } },
      { metadata: { name: '`touch PWNED2`', namespace: 'evil' } },
      { metadata: { name: 'red\u001b[31mx', namespace: 'evil' } },
      { metadata: { name: 'a;touch PWNED3', namespace: 'evil' } },
    );
    expect(await bash(['regdoctor', 'diagnose', '-n', 'evil', ''])).toEqual(['pod/fine-1']);
    expect(await bash(['regdoctor', '-n', 'evil', 'pod/'])).toEqual(['pod/fine-1']);
    if (has('zsh'))
      expect(
        await run('zsh', [
          '-c',
          `compadd() { shift; print -l -- "$@"; }; compdef() { :; }; source <(regdoctor completion zsh); words=(regdoctor diagnose -n evil ''); CURRENT=5; _regdoctor`,
        ]),
      ).toEqual(['pod/fine-1']);
    if (has('fish'))
      expect(await run('fish', ['-c', 'regdoctor completion fish | source; complete -C "regdoctor diagnose -n evil "'])).toEqual([
        'pod/fine-1',
      ]);
    for (const f of ['PWNED1', 'PWNED2', 'PWNED3']) expect(existsSync(join(dir, f)), f).toBe(false);
  });
});
