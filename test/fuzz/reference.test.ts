// Fuzz: image references and registry targets (`diagnose <ref|host>`, pod specs, events) and the docker-config key
// matcher that compares them. Classified = InvalidReferenceError; any other throw, or a result that does not
// re-parse to itself, fails with the seed and the input.
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidReferenceError, looksLikeRegistry, parseImageReference, parseRegistry, parseTarget } from '../../src/core/reference.js';
import { keyMatches } from '../../src/runtime/credential-match.js';
import { fuzz, mutateText, stopWatchdog, type Rng } from './mutate.js';

afterAll(stopWatchdog);

const SEEDS = [
  'nginx',
  'nginx:1.25',
  'ubuntu:22.04',
  'myuser/app:v1',
  'docker.io/library/nginx:latest',
  'index.docker.io/library/nginx:1',
  'localhost/app',
  'localhost:5000/app:latest',
  '10.0.0.5:5000/ns/app:x',
  '[fd00::1]:5000/app:1',
  '[::1]:443/a/b/c@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  'reg.test:5000/team/app:1.2.3',
  'a.b/c__d/e-f.g_h--i:T_1.x-',
  'reg.test/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  'reg.test/app:v1@sha512:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  'reg.test:5000',
  '[fd00::1]:5000',
  'https://reg.test:5000/',
  'https://reg.test:5000/v2/',
  'http://[fd00::1]:5000',
  'registry-1.docker.io',
  'Reg.Test:5000/app',
];

const DICT = [
  ':',
  '/',
  '@',
  '.',
  '-',
  '_',
  '__',
  '--',
  '[',
  ']',
  '::',
  'sha256:',
  '@sha256:',
  ':5000',
  ':0',
  ':65536',
  'https://',
  'http://',
  'localhost',
  'docker.io/',
  'library/',
  '0123456789abcdef'.repeat(4),
  'A',
  ' ',
  '\t',
  '%2F',
  '..',
  '*',
];

function generate(rng: Rng): string {
  return mutateText(rng, SEEDS, {
    dictionary: DICT,
    nest: [
      ['[', ']'],
      ['a.', ''],
      ['a/', ''],
      ['a--', 'b'],
    ],
    maxLength: 20_000,
  });
}

const isRefError = (err: unknown) => err instanceof InvalidReferenceError;

describe('fuzz: image references and registry targets', () => {
  it('parseImageReference: InvalidReferenceError or a reference that normalises to itself', async () => {
    await fuzz({
      name: 'parseImageReference',
      iterations: 4000,
      generate,
      run: (s) => parseImageReference(s),
      classified: isRefError,
      check: (r) => {
        const ref = r as ReturnType<typeof parseImageReference>;
        // the normalised form is itself a valid reference with the same meaning
        const again = parseImageReference(ref.normalized);
        expect(again.normalized).toBe(ref.normalized);
        expect(again.domain).toBe(ref.domain);
      },
    });
  });

  it('parseTarget / parseRegistry: InvalidReferenceError or a usable registry host', async () => {
    await fuzz({
      name: 'parseTarget',
      iterations: 4000,
      generate,
      run: (s) => {
        looksLikeRegistry(s);
        return parseTarget(s);
      },
      classified: isRefError,
      check: (r) => {
        const t = r as ReturnType<typeof parseTarget>;
        expect(Number.isInteger(t.registry.apiPort) && t.registry.apiPort >= 1 && t.registry.apiPort <= 65535).toBe(true);
        expect(parseRegistry(t.registry.name).apiHost).toBe(t.registry.apiHost);
      },
    });
  });

  it('docker config keys: keyMatches answers for any key against any parsed image, in bounded time', async () => {
    const KEYS = [
      'reg.test:5000',
      'https://reg.test:5000/v1/',
      '*.test',
      'https://index.docker.io/v1/',
      'reg.test/team',
      'http://[fd00::1]:5000/a',
      '*.*.example.com',
      'a?b.test',
      '*a*b*c.test',
    ];
    const label = (rng: Rng) => 'abcx'.repeat(12).slice(0, rng.size(40)) || 'a';
    await fuzz({
      name: 'keyMatches',
      iterations: 3000,
      generate: (rng) => ({
        key: mutateText(rng, KEYS, {
          dictionary: ['*', '*'.repeat(rng.range(2, 24)), '?', '%', '%zz', '%C3', '%2F', '/v2/', ':', '[', ']', '@', '.', '*.', 'https://'],
          maxLength: 5_000,
        }),
        image: rng.chance(0.5)
          ? rng.pick(SEEDS.filter((s) => !looksLikeRegistry(s)))
          : `${Array.from({ length: rng.range(1, 3) }, () => label(rng)).join('.')}${rng.chance(0.3) ? ':5000' : ''}/app`,
      }),
      run: ({ key, image }) => keyMatches(key, parseImageReference(image)),
      classified: () => false,
      regressions: [
        // URIError: URI malformed (decodeURIComponent on a key path with a bad or non-UTF-8 %-escape)
        { key: '*.https://*.%C3example.co/m', image: 'reg.test/app:v1' },
        { key: 'reg.test/%zz', image: 'reg.test/app' },
        // exponential regex backtracking: a key label of many `*` against a long label took seconds to minutes
        { key: `${'*'.repeat(10)}b.test`, image: `${'a'.repeat(30)}.test/app` },
      ],
    });
  });

  it('docker config keys with bad %-escapes are skipped as kubelet does (Go url.Parse error); valid escapes still parse', () => {
    expect(keyMatches('reg.test/%zz', parseImageReference('reg.test/app'))).toEqual({ ok: false, why: 'unparseable' });
    expect(keyMatches('reg.test/te%61m', parseImageReference('reg.test/team/app'))).toEqual({ ok: true });
    expect(keyMatches('reg.test/%C3', parseImageReference('reg.test/app'))).toEqual({ ok: false, why: 'path' });
    // globs keep their meaning with the linear matcher
    expect(keyMatches('*.test', parseImageReference('reg.test/app'))).toEqual({ ok: true });
    expect(keyMatches('re*.t*t', parseImageReference('reg.test/app'))).toEqual({ ok: true });
    expect(keyMatches('*a*b*.test', parseImageReference('xaybz.test/app'))).toEqual({ ok: true });
    expect(keyMatches('*a*b*.test', parseImageReference('xbyaz.test/app'))).toEqual({ ok: false, why: 'host' });
    expect(keyMatches('a**.test', parseImageReference('a.test/app'))).toEqual({ ok: true });
    expect(keyMatches('*.test', parseImageReference('a.b.test/app'))).toEqual({ ok: false, why: 'host' });
  });
});
