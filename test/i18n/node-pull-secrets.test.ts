// Pull-secret findings in zh-CN and ja: analyzePullSecrets and judgeCredentialTests (the pull-secrets check's judges)
// over secrets as the API server returns them; every finding is a message, its English the stored summary, and
// translated no English sentence is left (secret names, keys, namespaces and kubelet's own words stay).
import { describe, expect, it } from 'vitest';
import { analyzePullSecrets, judgeCredentialTests, type SecretFetch } from '../../src/kube/pull-secrets.js';
import { parseImageReference } from '../../src/core/reference.js';
import { messageIn, summaryText, withLang } from '../../src/i18n/index.js';
import { firstClause } from '../../checks/runtime-drift.js';
import { englishRuns } from './node-english.js';
import { b64, dockerConfig as cfg, okSecret as ok, podNaming as pod } from '../helpers/pull-secrets.js';

const image = parseImageReference('reg.example.com:5000/team/app:1');
const kept = ['FailedToRetrieveImagePullSecret', 'kubernetes.io/dockerconfigjson', 'kubernetes.io/dockercfg', 'Opaque'];

function expectTranslated(findings: { summary: string; summaryMessage?: { key: string } }[]): string[] {
  return findings.map((f) => {
    expect(f.summaryMessage, f.summary).toBeDefined();
    expect(messageIn('en', f.summaryMessage as never)).toBe(f.summary);
    for (const lang of ['zh-CN', 'ja'] as const) {
      const text = withLang(lang, () => summaryText(f as never));
      expect(englishRuns(text, kept), `${lang}: ${text}`).toEqual([]);
      // the check's summary: the first clause, in the reader's language too when the finding has one
      const head = firstClause(f as never);
      if (head.summaryMessage)
        expect(
          englishRuns(
            withLang(lang, () => summaryText(head)),
            kept,
          ),
        ).toEqual([]);
    }
    return f.summaryMessage!.key;
  });
}

describe('pull-secret findings in zh-CN and ja', () => {
  it('secrets that kubelet cannot use: missing, other namespace, wrong type, no key, bad JSON, empty', () => {
    const a = analyzePullSecrets({
      image,
      namespace: 'ns',
      pod: pod(['gone', 'elsewhere', 'opaque', 'nokey', 'bad', 'empty']),
      secrets: [
        { name: 'gone', namespace: 'ns', status: 'not-found' },
        { name: 'elsewhere', namespace: 'ns', status: 'not-found', elsewhere: ['other'] },
        ok('opaque', { '.dockerconfigjson': b64('{}') }, 'Opaque'),
        ok('nokey', { other: 'eA==' }),
        ok('bad', { '.dockerconfigjson': b64('{"auths": {') }),
        ok('empty', { '.dockerconfigjson': b64('{"credsStore":"x"}') }),
      ] as SecretFetch[],
    });
    expect(new Set(expectTranslated(a.findings))).toEqual(
      new Set(['node.ps.clause', 'node.ps.wrongType', 'node.ps.missingKey', 'node.ps.empty']),
    );
    expect(a.findings.length).toBe(6);
  });

  it('entries that miss by port, by path, or by host; rejected and missing credentials', () => {
    for (const key of ['reg.example.com:443', 'reg.example.com:5000/other', 'other.example.com']) {
      const a = analyzePullSecrets({ image, namespace: 'ns', pod: pod(['a']), secrets: [ok('a', cfg({ [key]: { auth: b64('u:p') } }))] });
      expect(expectTranslated(a.findings)).toEqual(['node.ps.clause']);
    }
    const a = analyzePullSecrets({
      image,
      namespace: 'ns',
      pod: pod(['a']),
      secrets: [ok('a', cfg({ 'reg.example.com:5000': { auth: b64('u:p') } }))],
    });
    const rejected = judgeCredentialTests(
      a,
      image,
      undefined,
      [
        {
          candidate: { secret: 'a', key: 'reg.example.com:5000' },
          result: { outcome: 'rejected', via: 'basic', status: 401, detail: 'HTTP 401' },
        },
      ],
      false,
    );
    expect(expectTranslated(rejected)).toEqual(['node.ps.clause']);
    const none = analyzePullSecrets({ image, namespace: 'ns', pod: pod([]), secrets: [] });
    const missing = judgeCredentialTests(none, image, { authRequired: true, detail: 'x' } as never, [], false);
    expect(expectTranslated(missing)).toEqual(['node.ps.authNoSecrets']);
  });
});
