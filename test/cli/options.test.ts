// Each command's flags parse into a typed Options object (gh's pattern), and bad flags are usage errors thrown
// before anything runs.
import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../../src/app/io.js';
import { parseDiagnoseOptions } from '../../src/cli/commands/diagnose.js';
import { parseFixOptions } from '../../src/cli/commands/fix.js';
import { parseRollbackOptions } from '../../src/cli/commands/rollback.js';
import { parseExplainOptions } from '../../src/cli/commands/explain.js';
import { parseScanOptions } from '../../src/cli/commands/scan.js';
import { parseDemoOptions } from '../../src/cli/commands/demo.js';
import { parseNodesOptions } from '../../src/cli/commands/nodes.js';
import { parseAuditOptions } from '../../src/cli/commands/audit.js';
import { DEFAULT_STATE_DIR } from '../../src/fix/engine.js';
import { parseErrorMessage, parseStrict } from '../../src/cli/options.js';
import { DEFAULT_ENDPOINT, DEFAULT_IMAGE } from '../../src/kube/nodes-plan.js';

const env = {};

describe('parseDiagnoseOptions', () => {
  it('a registry target with run options and report files', () => {
    const o = parseDiagnoseOptions(
      [
        'reg.test:5000/app:1',
        '--json',
        '--no-pull',
        '--timeout',
        '4000',
        '--probe-timeout',
        '9000',
        '--report',
        'r.md',
        '--junit',
        'j.xml',
        '-v',
      ],
      env,
    );
    expect(o.kind).toBe('target');
    if (o.kind !== 'target') return;
    expect(o.target.registry.name).toBe('reg.test:5000');
    expect(o.target.input).toBe('reg.test:5000/app:1');
    expect(o.json).toBe(true);
    expect(o.reportFile).toBe('r.md');
    expect(o.junitFile).toBe('j.xml');
    expect(o.options).toMatchObject({ root: '/', pull: false, timeoutMs: 4000, probeTimeoutMs: 4000, verbose: true, useKube: false });
  });

  it('a pod, with --live and the namespace for kubectl', () => {
    const o = parseDiagnoseOptions(['pod/web-1', '-n', 'shop', '--live'], env);
    expect(o).toMatchObject({
      kind: 'pod',
      name: 'web-1',
      live: true,
      json: false,
      options: { kube: { namespace: 'shop' }, useKube: true },
    });
  });

  it('CONTAINER_RUNTIME_ENDPOINT from the environment is the default runtime endpoint', () => {
    const o = parseDiagnoseOptions(['reg.test'], { CONTAINER_RUNTIME_ENDPOINT: 'unix:///run/x.sock' });
    expect(o.kind === 'target' && o.options.runtimeEndpoint).toBe('unix:///run/x.sock');
  });

  it.each([
    [[], /missing target/],
    [['a.test', 'b.test'], /one target at a time/],
    [['a.test', '--report', 'r.txt'], /--report r\.txt: use a \.md, \.json or \.html file name/],
    [['a.test', '--timeout', '0'], /--timeout must be/],
    [['a.test', '--bogus'], /^unknown option '--bogus'$/],
    [['a.test', '--root', '/nonexistent-regdoctor-dir'], /--root \/nonexistent-regdoctor-dir: not a directory/],
    [['pod/Bad_Name'], /invalid pod name/],
    [['pod/a', 'pod/b'], /takes one pod/],
    [['a.test', '--live'], /^unknown option '--live'$/],
  ])('%j is a usage error', (argv, msg) => {
    expect(() => parseDiagnoseOptions(argv, env)).toThrow(UsageError);
    expect(() => parseDiagnoseOptions(argv, env)).toThrow(msg);
  });
});

describe('parseFixOptions', () => {
  it('flags become typed fields with defaults', () => {
    const o = parseFixOptions(
      ['reg.test:5000', '--dry-run', '--no-pull', '--restart-cmd', 'true', '--proposal', 'hosts-toml-ca', '--trust-presented', 'AB:CD'],
      env,
    );
    expect(o).toMatchObject({
      dryRun: true,
      yes: false,
      allowSkipVerify: false,
      allowDestructive: false,
      stateDir: DEFAULT_STATE_DIR,
      restartCmd: 'true',
      proposal: 'hosts-toml-ca',
      trustPresented: 'AB:CD',
      inputs: { ca: undefined, clientCert: undefined, clientKey: undefined },
    });
    expect(o.target.registry.name).toBe('reg.test:5000');
    expect(o.run.pull).toBe(false);
    expect(parseFixOptions(['reg.test', '-y', '--state-dir', '/tmp/s', '--allow-skip-verify', '--allow-destructive'], env)).toMatchObject({
      yes: true,
      stateDir: '/tmp/s',
      allowSkipVerify: true,
      allowDestructive: true,
    });
  });

  it('--ca is read and checked while parsing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'regdoctor-opts-'));
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    await writeFile(path.join(dir, 'ca.pem'), pem);
    await writeFile(path.join(dir, 'not.pem'), 'hello\n');
    expect(parseFixOptions(['reg.test', '--ca', path.join(dir, 'ca.pem')], env).inputs).toMatchObject({
      ca: pem,
      caSource: path.join(dir, 'ca.pem'),
    });
    expect(() => parseFixOptions(['reg.test', '--ca', path.join(dir, 'not.pem')], env)).toThrow(/no PEM certificate in it/);
    expect(() => parseFixOptions(['reg.test', '--ca', path.join(dir, 'missing.pem')], env)).toThrow(/cannot read --ca/);
    expect(() => parseFixOptions(['reg.test', '--client-cert', path.join(dir, 'ca.pem')], env)).toThrow(
      /--client-cert and --client-key go together/,
    );
  });

  it.each([
    [[], /fix takes exactly one target/],
    [['a.test', 'b.test'], /fix takes exactly one target/],
    [['a.test', '--yes', '--nope'], /^unknown option '--nope'$/],
  ])('%j is a usage error', (argv, msg) => {
    expect(() => parseFixOptions(argv, env)).toThrow(UsageError);
    expect(() => parseFixOptions(argv, env)).toThrow(msg);
  });
});

describe('parseRollbackOptions', () => {
  it('journal id, root, state dir, restart command, force, list', () => {
    expect(parseRollbackOptions([], env)).toEqual({
      id: undefined,
      root: '/',
      stateDir: DEFAULT_STATE_DIR,
      restartCmd: undefined,
      runtimeEndpoint: undefined,
      force: false,
      list: false,
    });
    expect(
      parseRollbackOptions(
        [
          '20260101-abc',
          '--root',
          '/host',
          '--state-dir',
          '/s',
          '--restart-cmd',
          'kill -HUP 1',
          '--force',
          '--runtime-endpoint',
          'unix:///x.sock',
        ],
        env,
      ),
    ).toEqual({
      id: '20260101-abc',
      root: '/host',
      stateDir: '/s',
      restartCmd: 'kill -HUP 1',
      runtimeEndpoint: 'unix:///x.sock',
      force: true,
      list: false,
    });
    expect(parseRollbackOptions(['--list'], env).list).toBe(true);
  });

  it('more than one journal id, or an unknown flag, is a usage error', () => {
    expect(() => parseRollbackOptions(['a', 'b'], env)).toThrow(new UsageError('rollback takes at most one journal id'));
    expect(() => parseRollbackOptions(['--yes'], env)).toThrow(UsageError);
  });
});

describe('parseExplainOptions', () => {
  it('text from arguments, --file, --json, --diagnose, -v', () => {
    expect(parseExplainOptions(['failed', 'to', 'pull'], env)).toEqual({
      file: undefined,
      text: 'failed to pull',
      json: false,
      verbose: false,
      diagnose: false,
    });
    expect(parseExplainOptions(['-f', 'log.txt', '--json', '--diagnose', '-v'], env)).toEqual({
      file: 'log.txt',
      text: undefined,
      json: true,
      verbose: true,
      diagnose: true,
    });
    expect(parseExplainOptions([], env).text).toBeUndefined();
  });

  it('an unknown flag is a usage error', () => {
    expect(() => parseExplainOptions(['--yes'], env)).toThrow(UsageError);
  });
});

describe('parseScanOptions', () => {
  it('namespace or all namespaces, chunk size, timeout and kubectl access', () => {
    expect(parseScanOptions(['-A', '--chunk-size', '50', '--json', '--context', 'prod', '--kubectl', '/bin/kc'], env)).toEqual({
      namespace: undefined,
      allNamespaces: true,
      chunkSize: 50,
      timeoutMs: 300_000,
      json: true,
      verbose: false,
      context: 'prod',
      kubeconfig: undefined,
      kubectl: '/bin/kc',
    });
    expect(parseScanOptions(['-n', 'shop', '--timeout', '9000', '-v'], env)).toMatchObject({
      namespace: 'shop',
      allNamespaces: false,
      chunkSize: 500,
      timeoutMs: 9000,
      verbose: true,
    });
  });

  it.each([
    [['-A', '-n', 'x'], /use either -n\/--namespace or -A\/--all-namespaces/],
    [['--chunk-size', '0'], /--chunk-size must be a number between 1 and 10000/],
    [['--chunk-size', '10001'], /--chunk-size must be/],
    [['--timeout', 'soon'], /--timeout must be a number of milliseconds/],
    [['pods'], /scan takes no positional arguments \(got pods\)/],
  ])('%j is a usage error', (argv, msg) => {
    expect(() => parseScanOptions(argv, env)).toThrow(UsageError);
    expect(() => parseScanOptions(argv, env)).toThrow(msg);
  });
});

describe('parseDemoOptions', () => {
  it('--json and the run options (e.g. --go-version)', () => {
    const o = parseDemoOptions(['--json', '--go-version', 'go1.22'], env);
    expect(o.json).toBe(true);
    expect(o.run.goVersion).toBe('go1.22');
    expect(parseDemoOptions([], env).json).toBe(false);
  });

  it('a target or a malformed --go-version is a usage error', () => {
    expect(() => parseDemoOptions(['reg.test'], env)).toThrow(new UsageError('demo takes no target'));
    expect(() => parseDemoOptions(['--go-version', '1.22'], env)).toThrow(/--go-version must look like go1\.19/);
  });
});

describe('parseNodesOptions', () => {
  it('an image with selection, parallelism and defaults', () => {
    const o = parseNodesOptions(
      ['reg.test:5000/app:1', '-l', 'pool=gpu', '--parallel', '3', '--no-pull', '--yes', '--report', 'n.html'],
      env,
    );
    expect(o).toMatchObject({
      selector: 'pool=gpu',
      parallel: 3,
      noPull: true,
      yes: true,
      reportFile: 'n.html',
      image: DEFAULT_IMAGE,
      runtimeEndpoint: DEFAULT_ENDPOINT,
      timeoutMs: 120_000,
      json: false,
    });
    expect(o.target.input).toBe('reg.test:5000/app:1');
    expect(parseNodesOptions(['reg.test/app:1', '--nodes', 'a, b,,c'], env).nodes).toEqual(['a', 'b', 'c']);
  });

  it.each([
    [[], /missing image reference/],
    [['reg.test:5000'], /nodes needs an image reference/],
    [['reg.test/a:1', '--parallel', '0'], /--parallel must be a number between 1 and 200/],
    [['reg.test/a:1', '--timeout', '999'], /--timeout must be milliseconds between 1000 and 3600000/],
    [['reg.test/a:1', '--nodes', 'Bad_Node'], /--nodes takes node names/],
    [['reg.test/a:1', '--report', 'x.txt'], /--report x\.txt/],
    [['reg.test/a:1', '--image=.bad'], /--image .bad: not an image reference/],
    [['reg.test/a:1', '--verbose'], /^unknown option '--verbose'$/],
  ])('%j is a usage error', (argv, msg) => {
    expect(() => parseNodesOptions(argv, env)).toThrow(UsageError);
    expect(() => parseNodesOptions(argv, env)).toThrow(msg);
  });
});

describe('parseStrict: parse errors a person can act on', () => {
  const spec = {
    timeout: { type: 'string' },
    namespace: { type: 'string', short: 'n' },
    json: { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' },
  } as const;

  it('a negative number after a flag is its value (checked by the flag, not called ambiguous)', () => {
    expect(parseStrict(['--timeout', '-5', 'x'], spec)).toMatchObject({ values: { timeout: '-5' }, positionals: ['x'] });
    expect(parseStrict(['-n', '-1'], spec).values.namespace).toBe('-1');
    expect(() => parseDiagnoseOptions(['a.test', '--timeout', '-5'], env)).toThrow(
      new UsageError('--timeout must be a number of milliseconds between 1 and 3600000 (got -5)'),
    );
    expect(() => parseDiagnoseOptions(['a.test', '--probe-timeout', '-1'], env)).toThrow(/--probe-timeout must be .*\(got -1\)/);
    // after `--` everything is an argument
    expect(parseStrict(['--', '--timeout', '-5'], spec).positionals).toEqual(['--timeout', '-5']);
  });

  it.each([
    [['--bogus'], "unknown option '--bogus'"],
    [['--jsno'], "unknown option '--jsno'; did you mean '--json'?"],
    [['--timeot', '5'], "unknown option '--timeot'; did you mean '--timeout'?"],
    [['-x'], "unknown option '-x'"],
    [['-vx'], "unknown option '-x'"],
    [['--timeout'], '--timeout needs a value'],
    [['--timeout', '--json'], '--timeout needs a value'],
    [['-n'], '--namespace needs a value'],
    [['-n', '-v'], '--namespace needs a value'],
    [['--json=1'], '--json takes no value'],
  ])('%j → %s', (argv, message) => {
    expect(() => parseStrict(argv, spec)).toThrow(new UsageError(message));
  });

  it('messages it does not know pass through whole', () => {
    expect(parseErrorMessage('--report x.txt: use a .md, .json or .html file name')).toBe(
      '--report x.txt: use a .md, .json or .html file name',
    );
  });
});

describe('parseAuditOptions', () => {
  it.each([
    [['--root', '/nonexistent-regdoctor-dir'], /--root \/nonexistent-regdoctor-dir: not a directory/],
    [['--report', 'a.txt'], /--report a\.txt: use a \.md, \.json or \.html file name/],
    [['reg.test'], /audit takes no target/],
  ])('%j is a usage error (the checks diagnose uses)', (argv, msg) => {
    expect(() => parseAuditOptions(argv, env)).toThrow(UsageError);
    expect(() => parseAuditOptions(argv, env)).toThrow(msg);
  });

  it('--root names a directory, --report a known format', () => {
    const o = parseAuditOptions(['--root', tmpdir(), '--report', 'audit.html'], env);
    expect(o).toBeTruthy();
  });
});
