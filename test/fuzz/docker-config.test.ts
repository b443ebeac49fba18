// Fuzz: docker config JSON from the node (config.json, .dockercfg) and from pull secrets (base64 inside a Secret).
// Classified = an error *result* (`parsed.error`, a credentials-missing finding): parseDockerConfig and
// analyzePullSecrets never throw on content, whatever the bytes.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseImageReference } from '../../src/core/reference.js';
import { parseDockerConfig } from '../../src/runtime/credential-match.js';
import { analyzePullSecrets, DOCKERCFG, DOCKERCONFIGJSON } from '../../src/kube/pull-secrets.js';
import { parseRegistry } from '../../src/core/reference.js';
import { dockerConfig } from '../../src/runtime/other-runtimes.js';
import { crioAuthFiles } from '../../src/runtime/crio-config.js';
import { memFs } from './memfs.js';
import { fuzz, mutateText, randomJson, stopWatchdog, type Rng } from './mutate.js';

afterAll(stopWatchdog);

const fixture = (p: string) => readFileSync(new URL(`../fixtures/nodes/${p}`, import.meta.url), 'utf8');

const SEEDS = [
  fixture('auth/var/lib/kubelet/config.json'),
  fixture('auth-bad/var/lib/kubelet/config.json'),
  JSON.stringify({ auths: { 'reg.test:5000': { auth: Buffer.from('user:pa:ss').toString('base64') } } }),
  JSON.stringify({
    auths: { 'https://index.docker.io/v1/': { username: 'u', password: 'p', identitytoken: 'tok' } },
    credsStore: 'desktop',
  }),
  // legacy .dockercfg: the keys are at the top level
  JSON.stringify({ 'reg.test': { auth: 'dTpw', email: 'x@y' }, '*.corp.test': { username: 'a', password: 'b' } }),
  '{"auths":{}}',
  '{}',
  '[]',
  'null',
];

const DICT = [
  '{',
  '}',
  '[',
  ']',
  '"',
  ',',
  ':',
  '"auths"',
  '"auth"',
  '"username"',
  '"password"',
  '"credHelpers"',
  '"credsStore"',
  '"identitytoken"',
  'null',
  'true',
  '1e999',
  '-0',
  '"__proto__"',
  '"constructor"',
  '"toString"',
  '\\u0000',
  '\\ud800',
  '\\',
  '"=="',
  '"Og=="',
  '"%zz"',
];

const WORDS = [
  'auths',
  'auth',
  'username',
  'password',
  'identitytoken',
  'credHelpers',
  'credsStore',
  'email',
  'reg.test:5000',
  'reg.test:5000/team',
  '*.test',
  'https://reg.test:5000/v1/',
  '__proto__',
  'constructor',
  '',
  'Og==',
  'dTpw',
  '%zz',
  ':',
];

function generate(rng: Rng): string {
  // half structure-aware (valid JSON of odd shapes), half byte-level damage of real files
  if (rng.chance(0.4)) return JSON.stringify(rng.chance(0.6) ? { auths: randomJson(rng, WORDS) } : randomJson(rng, WORDS)) ?? 'null';
  return mutateText(rng, SEEDS, {
    dictionary: DICT,
    nest: [
      ['[', ']'],
      ['{"a":', '}'],
      ['{"auths":', '}'],
    ],
    maxLength: 200_000,
  });
}

describe('fuzz: docker config JSON', () => {
  it('parseDockerConfig (config.json and legacy .dockercfg): an error result, never a throw', async () => {
    await fuzz({
      name: 'parseDockerConfig',
      iterations: 2000,
      generate: (rng) => ({ text: generate(rng), legacy: rng.chance(0.3) }),
      run: ({ text, legacy }) => parseDockerConfig(text, legacy),
      classified: () => false,
      check: (r) => {
        const p = r as ReturnType<typeof parseDockerConfig>;
        expect(Array.isArray(p.entries) && Array.isArray(p.ignored)).toBe(true);
        for (const e of p.entries) expect(typeof e.key).toBe('string');
        if (p.error) expect(typeof p.error.message).toBe('string');
      },
    });
  });

  it('analyzePullSecrets: any secret bytes give findings, never a throw', async () => {
    const image = parseImageReference('reg.test:5000/team/app:1');
    await fuzz({
      name: 'analyzePullSecrets',
      iterations: 1500,
      generate: (rng) => {
        const json = generate(rng);
        const type = rng.pick([DOCKERCONFIGJSON, DOCKERCFG, 'Opaque', '']);
        const key = rng.chance(0.9)
          ? type === DOCKERCFG
            ? '.dockercfg'
            : '.dockerconfigjson'
          : rng.pick(['.dockerconfigjson', '.dockercfg', 'x']);
        // secret data is base64 as the API returns it, sometimes damaged
        let b64 = Buffer.from(json, 'utf8').toString('base64');
        if (rng.chance(0.2)) b64 = mutateText(rng, [b64], { dictionary: ['=', '-', '_', '*', '\n'] });
        return { type, data: { [key]: b64 } };
      },
      run: (s) =>
        analyzePullSecrets({
          image,
          namespace: 'ns',
          pod: { name: 'p', namespace: 'ns', serviceAccountName: 'default', imagePullSecrets: ['s'] },
          secrets: [{ name: 's', namespace: 'ns', status: 'ok', type: s.type, data: s.data }],
        }),
      classified: () => false,
      check: (r) => {
        const a = r as ReturnType<typeof analyzePullSecrets>;
        expect(Array.isArray(a.findings)).toBe(true);
      },
    });
  });

  it('Docker daemon.json (insecure-registries): a finding or an endpoint, never a throw', async () => {
    const DAEMON = [
      '{"insecure-registries": ["reg.test:5000", "10.0.0.0/8", "fd00::/8"]}',
      '{"insecure-registries": []}',
      '{}',
      '{"insecure-registries": "10.0.0.0/8"}',
      'null',
    ];
    await fuzz({
      name: 'daemon.json',
      iterations: 1000,
      generate: (rng) => ({
        text: rng.chance(0.4)
          ? (JSON.stringify({ 'insecure-registries': randomJson(rng, ['reg.test:5000', '10.0.0.0/8', '10.0.0.5/33', '/', 'x/y/z', '']) }) ??
            '{}')
          : mutateText(rng, DAEMON, { dictionary: DICT }),
        registry: rng.pick(['reg.test:5000', '10.0.0.5:5000', '127.0.0.1:5000', '[fd00::1]:5000']),
      }),
      run: ({ text, registry }) => dockerConfig(memFs({ '/etc/docker/daemon.json': text }), parseRegistry(registry), '10.0.0.5'),
      classified: () => false,
      regressions: [
        // TypeError: insecure.some is not a function / insecure.includes is not a function
        { text: '{"insecure-registries": "10.0.0.0/8"}', registry: '10.0.0.5:5000' },
        { text: '{"insecure-registries": 5}', registry: 'reg.test:5000' },
        { text: 'null', registry: 'reg.test:5000' },
      ],
    });
  });

  it('CRI-O auth files (auth.json, .dockercfg): per-file problems, never a throw', async () => {
    await fuzz({
      name: 'crio-auth',
      iterations: 1000,
      generate: (rng) => ({ auth: generate(rng), cfg: generate(rng) }),
      run: ({ auth, cfg }) =>
        crioAuthFiles(memFs({ '/run/containers/0/auth.json': auth, '/root/.dockercfg': cfg }), 'reg.test:5000/team/app:1'),
      classified: () => false,
    });
  });

  it('daemon.json with a non-list insecure-registries is reported as dockerd does (refuses to start), null is an empty config', async () => {
    const run = (text: string) => dockerConfig(memFs({ '/etc/docker/daemon.json': text }), parseRegistry('10.0.0.5:5000'), '10.0.0.5');
    const bad = await run('{"insecure-registries": "10.0.0.0/8"}');
    expect(bad.findings.map((f) => f.summary)).toEqual([
      '/etc/docker/daemon.json does not parse: "insecure-registries" is not a list of strings. dockerd refuses to start with it.',
    ]);
    const empty = await run('null');
    expect(empty.findings).toEqual([]);
    expect(empty.effective.endpoints[0]!.tls.skipVerify).toBe(false);
  });
});
