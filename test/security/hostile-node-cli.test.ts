// End to end through the built CLI: a node tree (--root) full of hostile entries — FIFOs and device nodes where
// configuration and credentials are expected, escape sequences, NUL and bidi controls in host names and paths inside
// hosts.toml. The diagnosis ends within its bound, names the paths, prints no raw control character on the terminal
// text, and --json, Markdown, HTML and JUnit stay valid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { expectInert, expectNoForgedLine, xmlError } from './hostile-corpus.js';

let base: string;
let port = 0;

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const p = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return p;
}

function tree(name: string): string {
  const root = path.join(base, name);
  mkdirSync(path.join(root, 'etc/containerd/certs.d'), { recursive: true });
  mkdirSync(path.join(root, 'dev'));
  execFileSync('mknod', [path.join(root, 'dev/zero'), 'c', '1', '5']);
  execFileSync('mknod', [path.join(root, 'dev/urandom'), 'c', '1', '9']);
  return root;
}

beforeAll(async () => {
  base = mkdtempSync(path.join(tmpdir(), 'regdoctor-hostile-cli-'));
  port = await closedPort();

  // 1. every file the checks read is a FIFO (no writer: open(2) would wait for ever) or a device behind a link
  const fifos = tree('fifos');
  const hostDir = path.join(fifos, `etc/containerd/certs.d/127.0.0.1:${port}`);
  mkdirSync(hostDir);
  mkdirSync(path.join(fifos, 'root/.docker'), { recursive: true });
  mkdirSync(path.join(fifos, 'var/lib/kubelet'), { recursive: true });
  for (const f of ['etc/containerd/config.toml', `etc/containerd/certs.d/127.0.0.1:${port}/hosts.toml`, 'root/.docker/config.json'])
    execFileSync('mkfifo', [path.join(fifos, f)]);
  symlinkSync('/dev/zero', path.join(hostDir, 'ca.crt'));
  symlinkSync('/dev/urandom', path.join(fifos, 'var/lib/kubelet/config.json'));

  // 2. hosts.toml naming hosts and files with escape sequences, NUL, CR and bidi overrides (TOML \u escapes)
  const names = tree('names');
  writeFileSync(
    path.join(names, 'etc/containerd/config.toml'),
    'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
  );
  const hd = path.join(names, `etc/containerd/certs.d/127.0.0.1:${port}`);
  mkdirSync(hd);
  writeFileSync(
    path.join(hd, 'hosts.toml'),
    [
      `server = "https://127.0.0.1:${port}"`,
      '',
      '[host."https://evil\\u001b]0;pwned\\u0007\\u001b[2J.test\\u202etxt.exe:1"]',
      '  capabilities = ["pull", "resolve"]',
      '  ca = "/etc/\\u001b[31mca\\u0000\\r\\u2713 verdict: healthy\\n.crt"',
      '  skip_verify = false',
      '',
      `[host."https://127.0.0.1:${port}"]`,
      '  capabilities = ["pull", "resolve"]',
      '  client = [["/etc/c\\u009b31m.cert", "/etc/k\\u202e.key"]]',
      '',
    ].join('\n'),
  );

  // invisible characters in a mirror's name (a valid hosts.toml: the mirror is listed and probed)
  const inv = tree('invisible');
  writeFileSync(
    path.join(inv, 'etc/containerd/config.toml'),
    'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
  );
  mkdirSync(path.join(inv, `etc/containerd/certs.d/127.0.0.1:${port}`));
  writeFileSync(
    path.join(inv, `etc/containerd/certs.d/127.0.0.1:${port}/hosts.toml`),
    `server = "https://127.0.0.1:${port}"\n\n[host."https://mirror\\u200b\\ufeff\\U000E0041.test:5000"]\n  capabilities = ["pull", "resolve"]\n`,
  );

  // a hosts.toml naming a secret file as its CA and client pair: its bytes must never be printed
  const shadow = tree('shadow');
  writeFileSync(
    path.join(shadow, 'etc/containerd/config.toml'),
    'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
  );
  writeFileSync(path.join(shadow, 'etc/shadow'), `root:$6$${SECRET}:19000:0:99999:7:::\nAWS_SECRET_ACCESS_KEY=${SECRET}\n`);
  mkdirSync(path.join(shadow, `etc/containerd/certs.d/127.0.0.1:${port}`));
  writeFileSync(
    path.join(shadow, `etc/containerd/certs.d/127.0.0.1:${port}/hosts.toml`),
    `server = "https://127.0.0.1:${port}"\n[host."https://127.0.0.1:${port}"]\n  ca = "/etc/shadow"\n  client = [["/etc/shadow", "/etc/shadow"]]\n`,
  );

  // a certs.d directory whose name carries escape sequences, a bidi override and a zero-width space
  const dirs = tree('dirs');
  writeFileSync(
    path.join(dirs, 'etc/containerd/config.toml'),
    'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
  );
  const evilDir = path.join(dirs, 'etc/containerd/certs.d', 'ev\u001b]0;pwn\u0007il\u202e\u200b.test:5000');
  mkdirSync(evilDir);
  writeFileSync(path.join(evilDir, 'hosts.toml'), 'server = "https://x.test"\n');

  // 3. config.toml as each other hostile kind of entry, one tree each
  const kinds = tree('kinds');
  const make = (kind: string, at: string) => {
    const etc = path.join(kinds, kind, 'etc/containerd');
    mkdirSync(etc, { recursive: true });
    if (kind === 'directory') mkdirSync(at);
    if (kind === 'loop') {
      symlinkSync('config.toml.b', at);
      symlinkSync('config.toml', `${at}.b`);
    }
    if (kind === 'zero') {
      mkdirSync(path.join(kinds, kind, 'dev'));
      execFileSync('mknod', [path.join(kinds, kind, 'dev/zero'), 'c', '1', '5']);
      symlinkSync('/dev/zero', at);
    }
    if (kind === 'sparse') execFileSync('truncate', ['-s', '2G', at]);
    if (kind === 'not-utf8') writeFileSync(at, Buffer.from([0x76, 0x65, 0x72, 0x73, 0x69, 0x6f, 0x6e, 0x20, 0x3d, 0x20, 0xff, 0xfe, 0x0a]));
  };
  for (const k of KINDS) make(k[0], path.join(kinds, k[0], 'etc/containerd/config.toml'));
});

const KINDS: [kind: string, says: RegExp][] = [
  ['directory', /config\.toml: is a directory/],
  // a symbolic link loop: there but unreadable — containerd would not start on it
  ['loop', /config\.toml: too many levels of symbolic links|config\.toml[^"]*ELOOP/],
  ['zero', /config\.toml: not a regular file \(a character device\)/],
  ['sparse', /config\.toml: file too large \(2147483648 bytes/],
  ['not-utf8', /config\.toml/],
];

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

const SECRET = 'hunter2SecretHashNeverPrinted';

const BOUND = ['--no-pull', '--timeout', '8000', '--probe-timeout', '800'];

describe('a node tree of FIFOs and devices (--root)', () => {
  it('the diagnosis ends within its bound, names each file and what it is, and --json is valid JSON', async () => {
    const r = await runCli(['diagnose', `127.0.0.1:${port}/app:1`, '--root', path.join(base, 'fifos'), ...BOUND, '--json'], {
      timeoutMs: 20_000,
    });
    expect(r.ms).toBeLessThan(12_000);
    expect(r.stderr).not.toMatch(/Error:|at .*\.js:\d+/);
    const report = JSON.parse(r.stdout) as { checks: { id: string; status: string }[]; verdict: { code: string } };
    expect(report.checks.filter((c) => c.status === 'crash')).toEqual([]);
    expect(report.verdict.code).toBe('config-invalid');
    expect(r.stdout).toContain('/etc/containerd/config.toml: not a regular file (a FIFO)');
    expectInert(r.stdout, 'json');
  });

  it('the plain text says the same, without a stack trace', async () => {
    const r = await runCli(['diagnose', `127.0.0.1:${port}/app:1`, '--root', path.join(base, 'fifos'), ...BOUND, '-v'], {
      timeoutMs: 20_000,
    });
    expect(r.ms).toBeLessThan(12_000);
    expect(r.stdout).toMatch(/config\.toml[^\n]*not a regular file \(a FIFO\)/);
    // kubelet's docker config files: unreadable is said, not taken for "no credentials file"
    const flat = r.stdout.replace(/\s+/g, ' ');
    expect(flat).toContain('/var/lib/kubelet/config.json: not a regular file (a character device)');
    expect(flat).toContain('/root/.docker/config.json: not a regular file (a FIFO)');
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/\n\s+at .*\.js:\d+/);
    expectInert(r.stdout, 'text');
  });
});

describe.each(KINDS)('config.toml is a hostile entry (%s)', (kind, says) => {
  it('a config-invalid verdict naming the file and what is wrong, within the bound, valid JSON', async () => {
    const r = await runCli(['diagnose', `127.0.0.1:${port}/app:1`, '--root', path.join(base, 'kinds', kind), ...BOUND, '--json'], {
      timeoutMs: 20_000,
    });
    expect(r.ms).toBeLessThan(12_000);
    const report = JSON.parse(r.stdout) as { checks: { id: string; status: string }[]; verdict: { code: string; summary: string } };
    expect(report.checks.filter((c) => c.status === 'crash').map((c) => c.id)).toEqual([]);
    expect(report.verdict.code).toBe('config-invalid');
    expect(report.verdict.summary).toMatch(says);
    expectInert(r.stdout, 'json');
  });
});

describe('audit lists certs.d directory names as visible escapes', () => {
  it('text and --json', async () => {
    for (const extra of [[], ['--json']]) {
      const r = await runCli(['audit', '--root', path.join(base, 'dirs'), '--no-pull', ...extra], { timeoutMs: 30_000 });
      expect(`${r.stdout}${r.stderr}`).toMatch(/ev\\+x1b\]0;pwn\\+x07il\\+u202e\\+u200b\.test/);
      expectInert(r.stdout, 'audit stdout');
      expectInert(r.stderr, 'audit stderr');
      expect(`${r.stdout}${r.stderr}`).not.toContain('\u200b');
    }
  });
});

describe('a hosts.toml pointing its CA and client pair at /etc/shadow', () => {
  it('the file is named, its bytes never printed: text, --json and the Markdown report', async () => {
    const md = path.join(base, 'shadow.md');
    const args = ['diagnose', `127.0.0.1:${port}/app:1`, '--root', path.join(base, 'shadow'), ...BOUND];
    const text = await runCli([...args, '-v', '--report', md], { timeoutMs: 20_000 });
    const json = await runCli([...args, '--json'], { timeoutMs: 20_000 });
    expect(json.stdout).toContain('/etc/shadow');
    for (const out of [text.stdout, text.stderr, json.stdout, json.stderr, readFileSync(md, 'utf8')]) expect(out).not.toContain(SECRET);
  });
});

describe('hostile host names and paths inside hosts.toml', () => {
  it('text (verbose), --json and the Markdown, HTML and JUnit exports carry no raw control character', async () => {
    const out = path.join(base, 'out');
    mkdirSync(out, { recursive: true });
    const args = ['diagnose', `127.0.0.1:${port}/app:1`, '--root', path.join(base, 'names'), ...BOUND];
    const text = await runCli([...args, '-v', '--report', path.join(out, 'r.md'), '--junit', path.join(out, 'j.xml')], {
      timeoutMs: 20_000,
    });
    const json = await runCli([...args, '--json', '--report', path.join(out, 'r.html')], { timeoutMs: 20_000 });
    for (const r of [text, json]) {
      expect(r.ms).toBeLessThan(12_000);
      expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
    }
    // the hostile host is in the report (so the test means something), only as visible text
    expect(json.stdout).toMatch(/evil.*\.test/);
    expect(JSON.parse(json.stdout)).toHaveProperty('verdict');
    const md = readFileSync(path.join(out, 'r.md'), 'utf8');
    const html = readFileSync(path.join(out, 'r.html'), 'utf8');
    const junit = readFileSync(path.join(out, 'j.xml'), 'utf8');
    for (const [where, s] of [
      ['text', text.stdout],
      ['stderr', text.stderr + json.stderr],
      ['json', json.stdout],
      ['markdown', md],
      ['html', html],
      ['junit', junit],
    ] as const) {
      expectInert(s, where);
      expectNoForgedLine(s, where);
    }
    expect(xmlError(junit)).toBeUndefined();
    expect(html).not.toMatch(/<[^>]*evil/);
  });

  it('invisible characters in a mirror name (zero-width space, BOM, tag characters) are shown, in text and JSON', async () => {
    const args = ['diagnose', `127.0.0.1:${port}/app:1`, '--root', path.join(base, 'invisible'), ...BOUND];
    for (const r of [await runCli([...args, '-v'], { timeoutMs: 20_000 }), await runCli([...args, '--json'], { timeoutMs: 20_000 })]) {
      expect(r.stdout).not.toMatch(/[\u200b\ufeff]|\u{e0041}/u);
      expect(r.stdout.replace(/\s+/g, '')).toMatch(/mirror\\+u200b\\+ufeff\\+u\{e0041\}\.test/);
    }
  });
});
