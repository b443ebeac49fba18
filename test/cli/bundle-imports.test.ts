// What each path of the built CLI loads, recorded by a module hook in the real process: `--version` is answered by
// bin/ before the bundle is imported, `--help` loads only the command table (no engine, no checks), neither
// diagnose --json, piped diagnose nor explain loads Ink or React, and the live view on a terminal loads them only to
// host the session once its verdict is drawn.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BIN, ROOT } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'regdoctor-imports-'));
const hooks = path.join(dir, 'hooks.mjs');
// load hook (runs on the loader thread): appends every module URL to the file named by the environment
writeFileSync(
  hooks,
  `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.REGDOCTOR_IMPORT_LOG, url + '\\n');
  return next(url, context);
}
`,
);
const register = path.join(dir, 'register.mjs');
writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${hooks}`)});\n`);

function loaded(args: string[], input = ''): Promise<{ urls: string[]; code: number | null; stdout: string }> {
  const log = path.join(dir, `log-${Math.random().toString(36).slice(2)}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', register, BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', REGDOCTOR_IMPORT_LOG: log },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const urls = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
      resolve({ urls, code, stdout });
    });
    child.stdin.end(input);
  });
}

const UI_PACKAGES = /^(ink|react|react-reconciler|scheduler|es-toolkit|yoga-layout)$/;
/** Modules of the bundle by the sources its source map lists (the chunks are minified: no "// src/…" notes are left):
 *  project files by path, bundled packages by name; packages left external by their node_modules URL. */
function sources(urls: string[]): string[] {
  const out: string[] = [];
  for (const u of urls) {
    if (!u.startsWith('file:')) continue;
    const file = fileURLToPath(u);
    const pkg = file.match(/.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1];
    if (pkg) out.push(pkg);
    if (!file.includes('/dist/') || !existsSync(`${file}.map`)) continue;
    for (const src of (JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }).sources) {
      const rel = path.relative(ROOT, path.resolve(path.dirname(file), src));
      const p = rel.match(/.*node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1];
      if (p) out.push(p);
      else if (/^(src|checks)\//.test(rel)) out.push(rel);
    }
  }
  return out;
}
const ui = (urls: string[]) => [...new Set(sources(urls).filter((s) => UI_PACKAGES.test(s)))];

describe('modules loaded by the built CLI', () => {
  it('the hook sees the process load modules (the recording works)', async () => {
    const r = await loaded(['--help']);
    expect(r.code).toBe(0);
    expect(r.urls.some((u) => u.endsWith('/dist/cli.js'))).toBe(true);
  });

  it('the build holds Ink and React (so their absence from a run means something)', async () => {
    // every chunk of the build: Ink and React are bundled into it (for the Ink screens: fix, audit, nodes)
    const dist = path.join(path.dirname(path.dirname(BIN)), 'dist');
    const all = readdirSync(path.join(dist, 'chunks')).map((n) => pathToFileURL(path.join(dist, 'chunks', n)).href);
    expect(ui(all.filter((u) => u.endsWith('.js')))).toEqual(expect.arrayContaining(['ink', 'react']));
  });

  it('--version loads nothing of the bundle (bin/ answers it from package.json)', async () => {
    for (const args of [['--version'], ['version']]) {
      const r = await loaded(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`regdoctor ${JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`);
      expect(r.urls.some((u) => u.endsWith('/bin/regdoctor.js'))).toBe(true);
      expect(r.urls.filter((u) => u.includes('/dist/'))).toEqual([]);
    }
  });

  it('--help loads no engine, checks, fix planner or UI', async () => {
    const r = await loaded(['--help']);
    const src = sources(r.urls);
    expect(src.length).toBeGreaterThan(0);
    expect(src.filter((s) => /^(checks\/|src\/(core\/engine|fix|probe|ui|x509|runtime)\/?)/.test(s))).toEqual([]);
    expect(ui(r.urls)).toEqual([]);
  });

  it('diagnose --json and piped diagnose load no Ink or React', async () => {
    const root = mkdtempSync(path.join(dir, 'root-'));
    for (const extra of [['--json'], []]) {
      const r = await loaded(['diagnose', 'registry.invalid/app:1', '--root', root, '--no-pull', ...extra]);
      expect(r.stdout.length).toBeGreaterThan(0);
      expect(sources(r.urls)).toContain('src/core/engine.ts');
      expect(ui(r.urls)).toEqual([]);
    }
    rmSync(root, { recursive: true, force: true });
  });

  it.skipIf(spawnSync('script', ['--version']).status !== 0)(
    'diagnose on a terminal (through script(1)) paints its run without Ink, then Ink hosts the view after the verdict',
    async () => {
      const root = mkdtempSync(path.join(dir, 'root-'));
      const log = path.join(dir, `log-${Math.random().toString(36).slice(2)}`);
      const argv = [process.execPath, '--import', register, BIN, 'diagnose', 'registry.invalid/app:1', '--root', root, '--no-pull'];
      const cmd = `stty cols 100 rows 40; exec ${argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')}`;
      const screen = await new Promise<string>((resolve, reject) => {
        const env: NodeJS.ProcessEnv = { ...process.env, REGDOCTOR_IMPORT_LOG: log, TERM: 'xterm-256color' };
        delete env.CI;
        const child = spawn('script', ['-q', '-e', '-c', cmd, '/dev/null'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'ignore'] });
        let out = '';
        let quit = false;
        child.stdout.on('data', (d) => {
          out += d;
          // the verdict on the screen, then Ink's first frame (synchronized output, which the painter never writes):
          // q leaves the view
          // (once: a q the terminal echoes after the view has left would come back as output and ask for another)
          const at = out.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').search(/verdict:/);
          if (at >= 0 && out.includes('\u001b[?2026h') && !quit) {
            quit = true;
            child.stdin.write('q');
          }
        });
        child.on('error', reject);
        child.on('close', () => resolve(out));
      });
      expect(screen).toMatch(/\[q\] quit/);
      const urls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
      expect(sources(urls)).toContain('src/ui/live-lines.ts');
      // (that Ink is not loaded before the verdict is drawn: test/ui/interactive.test.tsx, hand-over)
      expect(ui(urls)).toEqual(expect.arrayContaining(['ink', 'react']));
      rmSync(root, { recursive: true, force: true });
    },
    30_000,
  );

  it('only the language a run speaks is loaded: English runs parse no zh-CN or ja catalogue', async () => {
    const root = mkdtempSync(path.join(dir, 'root-'));
    const langs = (urls: string[]) =>
      [...new Set(sources(urls).map((s) => s.match(/^src\/i18n\/(?:[a-z]+\.)?(zh-CN|ja)\.ts$/)?.[1]))].filter(Boolean);
    const english = await loaded(['diagnose', 'registry.invalid/app:1', '--root', root, '--no-pull', '--json']);
    expect(english.stdout).toContain('"lang": "en"');
    expect(sources(english.urls)).toContain('src/i18n/en.ts');
    expect(langs(english.urls)).toEqual([]);
    for (const lang of ['ja', 'zh-CN']) {
      const r = await loaded(['diagnose', 'registry.invalid/app:1', '--root', root, '--no-pull', '--lang', lang]);
      expect(r.code).toBeGreaterThan(0); // the registry name does not resolve: a failing diagnosis, in that language
      expect(r.stdout).toMatch(lang === 'ja' ? /[\u3040-\u30ff]/ : /[\u4e00-\u9fff]/);
      expect(new Set(langs(r.urls))).toEqual(new Set([lang]));
    }
    rmSync(root, { recursive: true, force: true });
  });

  it('explain on stdin loads no Ink or React and no engine', async () => {
    const r = await loaded(['explain'], 'Failed to pull image "r.test/a:1": x509: certificate signed by unknown authority\n');
    expect(r.stdout).toMatch(/untrusted-ca/);
    expect(ui(r.urls)).toEqual([]);
    expect(sources(r.urls)).not.toContain('src/core/engine.ts');
  });
});
