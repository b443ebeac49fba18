// Fuzz: containerd's config.toml (+ imports) and hosts.toml as regdoctor reads them, and the TOML-preserving editor
// the fix engine writes them with. Classified:
//  - reading: a `problems` entry / a hosts.toml `problem` / a finding — the readers never throw on content;
//  - editing: TomlEditError (refusal) — any result returned must parse and keep the file's other content.
import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';
import type { FsAdapter } from '../../src/adapters/fs.js';
import { memFs } from './memfs.js';
import { parseRegistry } from '../../src/core/reference.js';
import {
  effectiveConfigPath,
  findHostDir,
  loadContainerdConfig,
  missingReferencedFiles,
  parseSemver,
  registrySection,
  resolveRegistryConfig,
} from '../../src/runtime/containerd-config.js';
import { editToml, TomlEditError } from '../../src/fix/toml-edit.js';
import { crioNodeConfig } from '../../src/runtime/crio-config.js';
import type { TomlEdit } from '../../src/core/types.js';
import { fuzz, mutateText, randomJson, stopWatchdog, type Rng } from './mutate.js';

afterAll(stopWatchdog);

// ------------------------------------------------------------------------------------------------ seeds

const FIXTURES = new URL('../fixtures/', import.meta.url);
const read = (rel: string) => readFileSync(new URL(rel, FIXTURES), 'utf8');

const CONFIG_SEEDS = [
  ...readdirSync(new URL('configs/', FIXTURES), { withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => read(`configs/${d.name}`)),
  ...['bad-toml', 'broken-hosts', 'import-replaces', 'unused-certsd', 'v1-legacy', 'v2-conflict', 'v2-hosts', 'v3-wrong-table'].map((n) =>
    read(`nodes/${n}/etc/containerd/config.toml`),
  ),
  'version = 3\n[plugins."io.containerd.cri.v1.images".registry]\n  config_path = "/etc/containerd/certs.d:/etc/docker/certs.d"\n',
  'version = 2\nimports = ["conf.d/*.toml", "/etc/containerd/extra.toml"]\n[plugins."io.containerd.grpc.v1.cri".registry.mirrors."*"]\n  endpoint = ["http://insecure.corp:5000", "reg.test:5000"]\n[plugins."io.containerd.grpc.v1.cri".registry.configs."reg.test:5000".tls]\n  ca_file = "/etc/ca.crt"\n  insecure_skip_verify = true\n[plugins."io.containerd.grpc.v1.cri".registry.configs."reg.test:5000".auth]\n  username = "u"\n  password = "p"\n',
  'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry.mirrors."reg.test:5000"]\n  endpoint = ["https://[fd00::1]:5000/v2/x", "localhost:5000", "::", "http://"]\n',
];

const HOSTS_SEEDS = [
  read('nodes/broken-hosts/etc/containerd/certs.d/reg.test:5000/hosts.toml'),
  read('nodes/unused-certsd/etc/containerd/certs.d/reg.test:5000/hosts.toml'),
  read('nodes/v2-hosts/etc/containerd/certs.d/reg.test_5000_/hosts.toml'),
  read('nodes/v2-hosts/etc/containerd/certs.d/_default/hosts.toml'),
  'server = "https://reg.test:5000"\n\n[host."https://reg.test:5000"]\n  capabilities = ["pull", "resolve"]\n  ca = ["/etc/ca.crt", "b.crt"]\n  client = [["c.cert", "c.key"], "both.pem"]\n  skip_verify = false\n  [host."https://reg.test:5000".header]\n    x-custom = ["a", "b"]\n    authorization = "Basic c2VjcmV0"\n',
  'server = "http://reg.test:5000"\n[host."http://reg.test:5000"]\n  capabilities = ["pull", "resolve"]\n  skip_verify = true\n  override_path = true\n',
  '[host.\'https://r\\eg.test\']\n[host."https://r\\u0065g.test:5000"]\n  ca = \'ca.crt\'\n[host."https://m\\U0001F600.test"]\n  ca = """\nmulti"""\n',
  '[[host]]\nx = 1\n',
  'host = "https://reg.test"\nserver = 5\n',
  'server = "https://reg.test:5000/v2/deep/path"\n[host."reg.test:5000"]\n[host."https://[fd00::1]:5000"]\n[host."https://user:pw@reg.test:99999"]\n',
];

const DICT = [
  '\n',
  '[',
  ']',
  '[[',
  ']]',
  '"',
  "'",
  '"""',
  "'''",
  '=',
  '.',
  ',',
  '{',
  '}',
  '#',
  ' = ',
  '\\',
  '\\u',
  '\\u0041',
  '\\U0001F600',
  '\\x41',
  '\\e',
  'host',
  'server',
  'ca',
  'client',
  'skip_verify',
  'capabilities',
  'header',
  'override_path',
  '[host."',
  '"]',
  'https://',
  'http://',
  '[::1]',
  ':0',
  ':99999',
  '%zz',
  'version = 3',
  'version = 1',
  'imports',
  'config_path',
  'mirrors',
  'endpoint',
  'configs',
  'tls',
  'auth',
  'plugins',
  '"io.containerd.grpc.v1.cri"',
  'registry',
  'true',
  'false',
  'inf',
  'nan',
  '1979-05-27T07:32:00Z',
  '0x7f',
  '1e999',
  '-0',
  '__proto__',
  'constructor',
];
const NEST: [string, string][] = [
  ['[', ']'],
  ['{ a = ', ' }'],
  ['a = [', ']'],
  ['x.', ''],
];

const WORDS = [
  'host',
  'server',
  'ca',
  'client',
  'skip_verify',
  'capabilities',
  'header',
  'override_path',
  'https://reg.test:5000',
  'http://reg.test:5000',
  'reg.test:5000',
  'https://[fd00::1]:5000',
  'http://',
  '::',
  'pull',
  'resolve',
  'push',
  '/etc/ca.crt',
  'ca.crt',
  '',
  '__proto__',
];

/** Mutated real files, or valid TOML of odd shapes (a string where a table is expected, numbers for URLs...). */
function tomlText(rng: Rng, seeds: readonly string[]): string {
  if (rng.chance(0.3)) {
    const v = randomJson(rng, WORDS);
    const doc = v && typeof v === 'object' && !Array.isArray(v) ? v : { server: v };
    try {
      const text = stringifyToml(rng.chance(0.6) ? { ...doc, host: randomJson(rng, WORDS) } : doc);
      return rng.chance(0.5) ? text : mutateText(rng, [text], { dictionary: DICT, nest: NEST });
    } catch {
      // not representable in TOML (null...): fall through to a mutated seed
    }
  }
  return mutateText(rng, seeds, { dictionary: DICT, nest: NEST, maxLength: 200_000 });
}

const VERSIONS = ['1.6.20', '1.6.25', '1.7.0', '1.7.8', '2.0.0', '2.2.2'];
const REGISTRIES = ['reg.test:5000', 'docker.io', 'localhost:5000', '[fd00::1]:5000', '127.0.0.1'];

/** What the containerd-config check does with a node's files (checks/containerd-config.ts), minus the rendering. */
async function readNodeConfig(fs: FsAdapter, versionText: string, registryText: string) {
  const version = parseSemver(versionText)!;
  const registry = parseRegistry(registryText);
  const loaded = await loadContainerdConfig(fs);
  const section = registrySection(loaded.doc, loaded.version);
  const roots = effectiveConfigPath(section.table, version);
  const hostDir = roots.length ? await findHostDir(fs, roots, registry.name, version) : undefined;
  const input = {
    loaded,
    registry,
    version,
    versionKnown: true,
    hostDir,
    unusedCertDirs: [],
    missingFiles: [] as { path: string; error: string }[],
  };
  let resolved = resolveRegistryConfig(input);
  const missing = await missingReferencedFiles(fs, resolved.effective.endpoints);
  if (missing.length) resolved = resolveRegistryConfig({ ...input, missingFiles: missing });
  return { loaded, resolved };
}

function checkResolved(r: unknown): void {
  const { resolved } = r as Awaited<ReturnType<typeof readNodeConfig>>;
  expect(resolved.effective.endpoints.length).toBeGreaterThan(0);
  for (const e of resolved.effective.endpoints) {
    expect(['http', 'https']).toContain(e.scheme);
    expect(Number.isInteger(e.port)).toBe(true);
  }
}

const HOSTS_DIR_CONFIG = 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n';
const never = () => false;

describe('fuzz: containerd config.toml and hosts.toml', () => {
  it('hosts.toml: a problem or endpoints, never a throw', async () => {
    await fuzz({
      name: 'hosts.toml',
      iterations: 1000,
      generate: (rng) => {
        const registry = rng.pick(REGISTRIES);
        const dirName = rng.chance(0.8) ? registry : '_default';
        return { hosts: tomlText(rng, HOSTS_SEEDS), version: rng.pick(VERSIONS), registry, dirName };
      },
      run: (i) =>
        readNodeConfig(
          memFs({
            '/etc/containerd/config.toml': HOSTS_DIR_CONFIG,
            [`/etc/containerd/certs.d/${i.dirName}/hosts.toml`]: i.hosts,
            [`/etc/containerd/certs.d/${i.dirName}/ca.crt`]: 'x',
          }),
          i.version,
          i.registry,
        ),
      classified: never,
      check: checkResolved,
      regressions: [
        // TypeError: Invalid URL (a `server` WHATWG URL cannot parse)
        { hosts: 'server = "https://:5000"\n  ca = "ca.crt"\n', version: '1.7.8', registry: '[fd00::1]:5000', dirName: '[fd00::1]:5000' },
        // RangeError: Maximum call stack size exceeded (tables nested thousands deep, then JSON.stringify/structuredClone)
        {
          hosts: `[host."https://reg.test:5000"${'.x'.repeat(20_000)}]\n`,
          version: '1.7.0',
          registry: 'reg.test:5000',
          dirName: 'reg.test:5000',
        },
      ],
    });
  });

  it('config.toml (+ an imported file): problems or an effective config, never a throw', async () => {
    await fuzz({
      name: 'config.toml',
      iterations: 1500,
      generate: (rng) => ({
        config: tomlText(rng, CONFIG_SEEDS),
        imported: rng.chance(0.3) ? tomlText(rng, CONFIG_SEEDS) : undefined,
        version: rng.pick(VERSIONS),
        registry: rng.pick(REGISTRIES),
      }),
      run: (i) =>
        readNodeConfig(
          memFs({
            '/etc/containerd/config.toml': i.config,
            ...(i.imported !== undefined ? { '/etc/containerd/conf.d/a.toml': i.imported, '/etc/containerd/extra.toml': i.imported } : {}),
            '/etc/containerd/certs.d/reg.test:5000/hosts.toml': HOSTS_SEEDS[4]!,
          }),
          i.version,
          i.registry,
        ),
      classified: never,
      check: checkResolved,
      regressions: [
        // SyntaxError: Invalid regular expression … too large (an import glob turned into a regex)
        {
          config: `version = 2\nimports = ["conf.d/*.${'a'.repeat(40_000)}"]\n`,
          imported: '',
          version: '1.7.0',
          registry: 'reg.test:5000',
        },
        // RangeError: Maximum call stack size exceeded (JSON.stringify of a deeply nested ignored registry table)
        {
          config: `[plugins."io.containerd.grpc.v1.cri".registry${'.x'.repeat(20_000)}]\n`,
          imported: undefined,
          version: '1.7.0',
          registry: 'reg.test:5000',
        },
        { config: CONFIG_SEEDS[0]!, imported: `[plugins.x${'.y'.repeat(20_000)}]\n`, version: '1.7.0', registry: 'reg.test:5000' },
      ],
    });
  });

  it('CRI-O registries.conf (+ a drop-in): findings or endpoints, never a throw', async () => {
    const CRIO_SEEDS = [
      'unqualified-search-registries = ["docker.io", "quay.io"]\nshort-name-mode = "enforcing"\n\n[[registry]]\nprefix = "reg.test:5000"\nlocation = "reg.test:5000"\ninsecure = true\n\n[[registry.mirror]]\nlocation = "mirror.test:5000/cache"\ninsecure = false\npull-from-mirror = "digest-only"\n',
      '[[registry]]\nprefix = "*.corp.test"\nlocation = "reg.corp.test"\nblocked = true\n[aliases]\n"app" = "reg.test:5000/team/app"\n',
      '[[registry]]\nlocation = "[fd00::1]:5000"\n[[registry.mirror]]\nlocation = "http://x"\n[[registry.mirror]]\nlocation = ""\n',
      'registries = ["old-v1-format.test"]\n[registries.insecure]\nregistries = ["x"]\n',
    ];
    await fuzz({
      name: 'registries.conf',
      iterations: 1200,
      generate: (rng) => ({
        main: tomlText(rng, CRIO_SEEDS),
        dropIn: rng.chance(0.3) ? tomlText(rng, CRIO_SEEDS) : undefined,
        registry: rng.pick(REGISTRIES),
      }),
      run: ({ main, dropIn, registry }) =>
        crioNodeConfig(
          memFs({
            '/etc/containers/registries.conf': main,
            ...(dropIn !== undefined ? { '/etc/containers/registries.conf.d/50-x.conf': dropIn } : {}),
          }),
          parseRegistry(registry),
          { normalized: `${registry}/team/app:1`, input: `${registry}/team/app:1` },
        ),
      classified: never,
      regressions: [
        // TypeError: Invalid URL (a location / mirror location that is not a host)
        {
          main: '[[registry]]\nprefix = "reg.test:5000"\nlocation = "bad host"\n[[registry.mirror]]\nlocation = "bad mirror"\n',
          dropIn: undefined,
          registry: 'reg.test:5000',
        },
      ],
    });
  });

  it('a registries.conf location that is not a host is a finding, not a crash', async () => {
    const c = await crioNodeConfig(
      memFs({
        '/etc/containers/registries.conf':
          '[[registry]]\nprefix = "reg.test:5000"\nlocation = "bad host"\n[[registry.mirror]]\nlocation = "bad mirror"\n',
      }),
      parseRegistry('reg.test:5000'),
    );
    expect(
      c.findings.filter((f) => /is not a registry host/.test(f.summary)).map((f) => (f.data as { location: string }).location),
    ).toEqual(['bad mirror', 'bad host']);
    expect(c.effective.endpoints.map((e) => e.url)).toEqual(['https://reg.test:5000/v2']);
  });

  it('editToml: TomlEditError or a text that parses and keeps what it does not change', async () => {
    const EDITS: TomlEdit[] = [
      { table: [], set: { server: 'https://reg.test:5000' } },
      { table: ['host', 'https://reg.test:5000'], set: { ca: '/etc/ca.crt', skip_verify: true, capabilities: ['pull', 'resolve'] } },
      { table: ['host', 'https://reg.test:5000'], append: { ca: ['/etc/b.crt'] } },
      { table: ['host', 'http://reg.test:5000'], set: { client: [['c.cert', 'c.key']] } },
      {
        table: ['plugins', 'io.containerd.grpc.v1.cri', 'registry'],
        set: { config_path: '/etc/containerd/certs.d' },
        removeTables: [['mirrors'], ['configs', 'reg.test:5000', 'tls']],
      },
      { table: ['plugins', 'io.containerd.grpc.v1.cri', 'registry'], remove: ['config_path'] },
      { table: [], remove: ['server', 'ca'], set: { skip_verify: false } },
    ];
    await fuzz({
      name: 'editToml',
      iterations: 1500,
      generate: (rng) => ({ text: tomlText(rng, rng.chance(0.5) ? HOSTS_SEEDS : CONFIG_SEEDS), edit: rng.pick(EDITS) }),
      run: ({ text, edit }) => editToml(text, edit),
      classified: (err) => err instanceof TomlEditError,
      regressions: [
        // SyntaxError: Bad Unicode escape in JSON (TOML \u / \U escapes in a quoted table name)
        {
          text: '[host.\'https://r\\eg.test\']\n[host."https://r\\u0065g.test:5]00"]\n  ca = \'ca.crt\'\n[host."https://m\\U0001F600.test"]\n  ca = """\nmulti"""\n',
          edit: EDITS[0]!,
        },
        // RangeError: Maximum call stack size exceeded (prune/structuredClone of tables nested thousands deep)
        { text: `[9px${'.x'.repeat(8000)}]\n`, edit: EDITS[0]! },
        // seconds of regex backtracking: the trailing-comment regex on a line ending in a long run of spaces
        { text: `server = "https://old.test"${' '.repeat(40_000)}\n`, edit: EDITS[0]! },
      ],
      check: (out, { text }) => {
        parseToml(out as string);
        // comments are never dropped unless their line was replaced: at least the ones on untouched lines remain
        const before = text.split(/\r?\n/).filter((l) => /^\s*#/.test(l));
        const after = new Set((out as string).split(/\r?\n/));
        expect(before.filter((l) => !after.has(l)).length).toBeLessThanOrEqual(before.length);
      },
    });
  });

  it('hosts.toml with a server that is not a URL: a finding, and the file is not used', async () => {
    const { resolved } = await readNodeConfig(
      memFs({
        '/etc/containerd/config.toml': HOSTS_DIR_CONFIG,
        '/etc/containerd/certs.d/reg.test:5000/hosts.toml': 'server = "https://:5000"\n[host."https://reg.test:5000"]\n  ca = "ca.crt"\n',
      }),
      '1.7.8',
      'reg.test:5000',
    );
    const f = resolved.findings.find((x) => x.code === 'config-ignored' && /not a usable URL/.test(x.summary));
    expect(f?.summary).toContain('server "https://:5000"');
    expect(resolved.effective.endpoints.map((e) => e.url)).toEqual(['https://reg.test:5000/v2']);
  });

  it('a TOML document nested thousands of tables deep is a problem with the file, not a crash', async () => {
    const { loaded, resolved } = await readNodeConfig(
      memFs({ '/etc/containerd/config.toml': `[plugins."io.containerd.grpc.v1.cri".registry${'.x'.repeat(20_000)}]\n` }),
      '1.7.0',
      'reg.test',
    );
    expect(loaded.problems.map((p) => p.message)).toEqual(['tables or arrays nested more than 64 levels deep']);
    expect(resolved.effective.endpoints.length).toBe(1);
    expect(() => editToml(`[a${'.b'.repeat(8000)}]\n`, { table: [], set: { x: 1 } })).toThrow(TomlEditError);
  });

  it('editToml decodes TOML escapes in quoted table names (\\u, \\U) and edits that table in place', () => {
    const text = '[host."https://r\\u0065g.test:5000"]\n  ca = "a.crt" # keep\n\n[host."https://\\U0001F600.test"]\n  ca = "b.crt"\n';
    const out = editToml(text, { table: ['host', 'https://reg.test:5000'], set: { skip_verify: true } });
    expect(out).toBe(
      '[host."https://r\\u0065g.test:5000"]\n  ca = "a.crt" # keep\n  skip_verify = true\n\n[host."https://\\U0001F600.test"]\n  ca = "b.crt"\n',
    );
    expect(() => editToml(text, { table: ['host', 'https://😀.test'], remove: ['ca'] })).not.toThrow();
  });

  it('editToml keeps a trailing comment and stays fast on a line ending in a long run of spaces', () => {
    expect(editToml('server = "https://a" # was a\n', { table: [], set: { server: 'https://b' } })).toBe('server = "https://b" # was a\n');
    const t0 = performance.now();
    editToml(`server = "https://old.test"${' '.repeat(40_000)}\n`, { table: [], set: { server: 'https://b' } });
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  it('an import glob of many `*` is matched in linear time and keeps glob semantics', async () => {
    const files = {
      '/etc/containerd/config.toml': `version = 2\nimports = ["conf.d/${'*'.repeat(9)}b", "conf.d/?.toml", "conf.d/x*.toml"]\n`,
      [`/etc/containerd/conf.d/${'a'.repeat(30)}`]: '',
      '/etc/containerd/conf.d/1.toml': '',
      '/etc/containerd/conf.d/xy.toml': '',
      '/etc/containerd/conf.d/12.toml': '',
    };
    const t0 = performance.now();
    const loaded = await loadContainerdConfig(memFs(files));
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(loaded.imports).toEqual(['/etc/containerd/conf.d/1.toml', '/etc/containerd/conf.d/xy.toml']);
  });
});
