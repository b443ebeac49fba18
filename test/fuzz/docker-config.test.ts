// Fuzz: docker config JSON from the node (config.json, .dockercfg) and from pull secrets (base64 inside a Secret).
// Classified = an error *result* (`parsed.error`, a credentials-missing finding): parseDockerConfig and
// analyzePullSecrets never throw on content, whatever the bytes.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseImageReference } from '../../src/core/reference.js';
import { parseDockerConfig } from '../../src/runtime/credential-match.js';
import { analyzePullSecrets, DOCKERCFG, DOCKERCONFIGJSON } from '../../src/kube/pull-secrets.js';
import { fuzz, mutateText, randomJson, stopWatchdog, type Rng } from './mutate.js';

afterAll(stopWatchdog);

const fixture = (p: string) => readFileSync(new URL(`../fixtures/nodes/${p}`, import.meta.url), 'utf8');

const SEEDS = [
  fixture('auth/var/lib/kubelet/config.json'),
  fixture('auth-bad/var/lib/kubelet/config.json'),
  JSON.stringify({ auths: { 'reg.test:5000': { auth: Buffer.from('user:pa:ss').toString('base64') } } }),
  JSON.stringify({ auths: { 'https://index.docker.io/v1/': { username: 'u', password: 'p', identitytoken: 'tok' } }, credsStore: 'desktop' }),
  // legacy .dockercfg: the keys are at the top level
  JSON.stringify({ 'reg.test': { auth: 'dTpw', email: 'x@y' }, '*.corp.test': { username: 'a', password: 'b' } }),
  '{"auths":{}}',
  '{}',
  '[]',
  'null',
];

const DICT = ['{', '}', '[', ']', '"', ',', ':', '"auths"', '"auth"', '"username"', '"password"', '"credHelpers"', '"credsStore"', '"identitytoken"', 'null', 'true', '1e999', '-0', '"__proto__"', '"constructor"', '"toString"', '\\u0000', '\\ud800', '\\', '"=="', '"Og=="', '"%zz"'];

const WORDS = ['auths', 'auth', 'username', 'password', 'identitytoken', 'credHelpers', 'credsStore', 'email', 'reg.test:5000', 'reg.test:5000/team', '*.test', 'https://reg.test:5000/v1/', '__proto__', 'constructor', '', 'Og==', 'dTpw', '%zz', ':'];

function generate(rng: Rng): string {
  // half structure-aware (valid JSON of odd shapes), half byte-level damage of real files
  if (rng.chance(0.4)) return JSON.stringify(rng.chance(0.6) ? { auths: randomJson(rng, WORDS) } : randomJson(rng, WORDS)) ?? 'null';
  return mutateText(rng, SEEDS, { dictionary: DICT, nest: [['[', ']'], ['{"a":', '}'], ['{"auths":', '}']], maxLength: 200_000 });
}

describe('fuzz: docker config JSON', () => {
  it('parseDockerConfig (config.json and legacy .dockercfg): an error result, never a throw', async () => {
    await fuzz({
      name: 'parseDockerConfig',
      iterations: 4000,
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
      iterations: 2000,
      generate: (rng) => {
        const json = generate(rng);
        const type = rng.pick([DOCKERCONFIGJSON, DOCKERCFG, 'Opaque', '']);
        const key = rng.chance(0.9) ? (type === DOCKERCFG ? '.dockercfg' : '.dockerconfigjson') : rng.pick(['.dockerconfigjson', '.dockercfg', 'x']);
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
});
