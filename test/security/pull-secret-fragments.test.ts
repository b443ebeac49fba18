// Pull-secret evidence is redacted by structure: a malformed-JSON error says where (line, column, path of keys)
// and what kind of fault, never the text around it; userinfo in a docker config key (`user:pass@host:5000`, with or
// without a scheme), secret data key names other than the telling ones, and credHelpers/credsStore values are not
// shown. Checked on the analysis and on every output the findings reach.
import { describe, expect, it } from 'vitest';
import { analyzePullSecrets, type SecretFetch } from '../../src/kube/pull-secrets.js';
import { runGraph } from '../../src/core/engine.js';
import { buildReport } from '../../src/core/report.js';
import { parseTarget } from '../../src/core/reference.js';
import { DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { renderText } from '../../src/ui/text.js';
import { renderHtml, renderJson, renderJUnit, renderMarkdown } from '../../src/report/export.js';
import type { Adapters } from '../../src/core/adapters.js';
import type { Check } from '../../src/core/types.js';
import { b64, okSecret as ok } from '../helpers/pull-secrets.js';

const image = parseTarget('reg.example.com:5000/app:1').image!;

// every value here is a secret: no piece of 5 or more characters may appear anywhere
const SECRETS = {
  unquoted: 'Qz7hQnvXw2',
  singleQuotedAuth: b64('robot:Vq4sQPw4411'),
  unterminated: 'Jt8tQlKp8812',
  rawNewline: 'Wn3nQPz7720',
  userinfo: 'Yk5kQyPq5531',
  userinfoScheme: 'Zs6sQhPq6642',
  dataKeyName: 'Xp9rQbTk9911',
  credsStore: 'Fh2sQrHl3321',
  credHelper: 'Gc1eQrHp2231',
};

const secrets: SecretFetch[] = [
  ok('unquoted', { '.dockerconfigjson': b64(`{"auths":{"reg.example.com:5000":{"username":"u","password":${SECRETS.unquoted}}}}`) }),
  ok('single', { '.dockerconfigjson': b64(`{"auths":{"reg.example.com:5000":{"auth":'${SECRETS.singleQuotedAuth}'}}}`) }),
  ok('unterminated', { '.dockerconfigjson': b64(`{"auths":{"reg.example.com:5000":{"password":"${SECRETS.unterminated}`) }),
  ok('newline', {
    '.dockerconfigjson': b64(
      `{"auths":{"reg.example.com:5000":{"password":"${SECRETS.rawNewline.slice(0, 5)}\n${SECRETS.rawNewline.slice(5)}"}}}`,
    ),
  }),
  ok('keys', { [SECRETS.dataKeyName]: 'eA==', 'config.json': 'e30=' }),
  ok('helpers', {
    '.dockerconfigjson': b64(
      JSON.stringify({ credsStore: SECRETS.credsStore, credHelpers: { [`${SECRETS.credHelper}.example`]: SECRETS.credHelper } }),
    ),
  }),
  ok('userinfo', {
    '.dockerconfigjson': b64(
      JSON.stringify({
        auths: {
          [`robot:${SECRETS.userinfo}@reg.example.com:5000`]: { auth: b64('robot:x') },
          [`https://robot:${SECRETS.userinfoScheme}@other.example.com:5000`]: { auth: b64('robot:y') },
          [`robot:${SECRETS.userinfo}@reg.example.com:5001`]: { auth: b64('robot:z') },
        },
      }),
    ),
  }),
];

function expectNoFragment(out: string, where: string) {
  for (const s of Object.values(SECRETS)) {
    for (let i = 0; i + 5 <= s.length; i++)
      expect(out, `${where}: piece ${JSON.stringify(s.slice(i, i + 5))} of ${JSON.stringify(s)}`).not.toContain(s.slice(i, i + 5));
  }
}

describe('pull-secret evidence never carries part of a secret', () => {
  const a = analyzePullSecrets({
    image,
    namespace: 'ns',
    pod: { name: 'p', namespace: 'ns', serviceAccountName: 'default', imagePullSecrets: secrets.map((s) => s.name) },
    secrets,
  });
  // what reaches findings, evidence, report data and mismatch records (candidates hold the real password on purpose)
  const shown = JSON.stringify({
    findings: a.findings,
    evidence: a.evidence,
    mismatches: a.mismatches,
    keys: a.candidates.map((c) => c.key),
  });

  it('malformed JSON: position, path and kind of fault only', () => {
    const malformed = a.findings.filter((f) => f.data?.reason === 'secret-malformed');
    expect(malformed).toHaveLength(4);
    const ev = malformed.map((f) => f.evidence![0]!);
    expect(ev[0]).toMatch(
      /^JSON error at line 1, column \d+ in "auths" › "reg\.example\.com:5000" › "password": unquoted text where a value was expected$/,
    );
    expect(ev[1]).toMatch(/in "auths" › "reg\.example\.com:5000" › "auth": a string in single quotes/);
    expect(ev[2]).toMatch(/: a string that is never closed$/);
    expect(ev[3]).toMatch(/: a control character \(e\.g\. a raw newline\) inside a string$/);
    expect(malformed[0]!.summary).toMatch(/\(line 1, column \d+\)/);
  });

  it('data key names, credHelpers and credsStore values are counted or named by kind, not shown', () => {
    const keys = a.findings.find((f) => f.data?.secret === 'keys')!;
    expect(keys.summary).toContain('(keys: config.json, 1 other (names not shown))');
    const helpers = a.findings.find((f) => f.data?.secret === 'helpers')!;
    expect(helpers.summary).toContain('credHelpers (1 entry, not shown), credsStore (value not shown)');
  });

  it('userinfo in docker config keys is replaced by structure, with or without a scheme', () => {
    expect(a.candidates.map((c) => c.key)).toEqual(['[REDACTED]@reg.example.com:5000']);
    expect(a.evidence.join('\n')).toContain('entry "[REDACTED]@reg.example.com:5000" matches reg.example.com:5000');
    expect(a.mismatches.map((m) => m.key)).toEqual(['https://[REDACTED]@other.example.com:5000', '[REDACTED]@reg.example.com:5001']);
    // the real key still decides the match: the password went into the candidate
    expect(a.candidates[0]!.password).toBe('x');
  });

  it('nothing of any secret in the analysis output', () => {
    expectNoFragment(shown, 'analysis');
  });

  it('nor in any report output', async () => {
    const check = {
      id: 'pull-secrets',
      title: 'pull secrets',
      needs: [],
      timeoutMs: 5_000,
      run: async () => ({ summary: 'checked', evidence: a.evidence, findings: a.findings }),
    } as unknown as Check;
    const state = await runGraph([check], {
      target: parseTarget('reg.example.com:5000/app:1'),
      options: DEFAULT_RUN_OPTIONS,
      adapters: {} as Adapters,
    });
    const report = buildReport(state);
    for (const [name, out] of Object.entries({
      text: renderText(report, { verbose: true, color: false, columns: 120 }),
      json: renderJson(report),
      markdown: renderMarkdown(report),
      html: renderHtml(report),
      junit: renderJUnit(report),
    }))
      expectNoFragment(out, name);
  });
});
