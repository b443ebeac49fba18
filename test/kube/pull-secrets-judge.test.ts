import { describe, expect, it } from 'vitest';
import { analyzePullSecrets, judgeCredentialTests } from '../../src/kube/pull-secrets.js';
import { parseImageReference } from '../../src/core/reference.js';
import { b64, dockerConfig as cfg, okSecret as ok, podNaming as pod } from '../helpers/pull-secrets.js';

const image = parseImageReference('reg.example.com:5000/team/app:1');

describe('analyzePullSecrets', () => {
  it('matches entries with kubelet rules and keeps kubelet order; auth wins over username/password', () => {
    const a = analyzePullSecrets({
      image,
      namespace: 'ns',
      pod: pod(['a', 'b']),
      secrets: [
        ok(
          'a',
          cfg({
            'other.example.com': { auth: b64('x:y') },
            'https://reg.example.com:5000/v2/': { username: 'u1', password: 'p1', auth: b64('u2:p2') },
          }),
        ),
        ok('b', cfg({ '*.example.com:5000/team': { username: 'u3', password: 'p3' } })),
      ],
    });
    expect(a.candidates.map((c) => [c.secret, c.key, c.username, c.password])).toEqual([
      ['a', 'https://reg.example.com:5000/v2/', 'u2', 'p2'],
      ['b', '*.example.com:5000/team', 'u3', 'p3'],
    ]);
    expect(a.findings).toEqual([]);
    expect(a.source).toBe('pod');
    expect(a.evidence.join('\n')).not.toMatch(/p1|p2|p3/);
  });

  it('credentials-mismatch names the wrong port, the wrong path, or the other hosts', () => {
    const port = analyzePullSecrets({
      image,
      namespace: 'ns',
      pod: pod(['a']),
      secrets: [ok('a', cfg({ 'reg.example.com:443': { auth: b64('u:p') } }))],
    });
    expect(port.findings).toHaveLength(1);
    expect(port.findings[0]).toMatchObject({ code: 'credentials-mismatch' });
    expect(port.findings[0]!.summary).toContain('entry "reg.example.com:443" is for port 443 but the image uses port 5000');
    // kubelet keeps an explicit :443 (Go url.Parse): it does not match an image reference without a port.
    const noPort = parseImageReference('reg.example.com/team/app:1');
    const p443 = analyzePullSecrets({
      image: noPort,
      namespace: 'ns',
      pod: pod(['a']),
      secrets: [ok('a', cfg({ 'https://reg.example.com:443': { auth: b64('u:p') } }))],
    });
    expect(p443.candidates).toEqual([]);
    expect(p443.findings[0]!.summary).toContain('is for port 443 but the image uses no port (reg.example.com)');
    const path = analyzePullSecrets({
      image,
      namespace: 'ns',
      pod: pod(['a']),
      secrets: [ok('a', cfg({ 'reg.example.com:5000/other': { auth: b64('u:p') } }))],
    });
    expect(path.findings[0]!.summary).toMatch(/limited to a path that is not a prefix of team\/app/);
    const host = analyzePullSecrets({
      image,
      namespace: 'ns',
      pod: pod(['a']),
      secrets: [ok('a', cfg({ 'ghcr.io': { auth: b64('u:p') }, 'a.b.example.com:5000': {} }))],
    });
    expect(host.findings[0]!.summary).toContain('the entries are for ghcr.io, a.b.example.com, not reg.example.com:5000');
  });

  it('legacy .dockercfg secrets', () => {
    const a = analyzePullSecrets({
      image,
      namespace: 'ns',
      pod: pod(['old']),
      secrets: [
        ok(
          'old',
          { '.dockercfg': b64(JSON.stringify({ 'reg.example.com:5000': { auth: b64('u:p'), email: 'x' } })) },
          'kubernetes.io/dockercfg',
        ),
      ],
    });
    expect(a.candidates).toHaveLength(1);
  });

  it('wrong type, missing key, malformed JSON, empty auths, not found (also elsewhere), forbidden', () => {
    const a = analyzePullSecrets({
      image,
      namespace: 'ns',
      pod: pod(['t', 'k', 'm', 'e', 'nf', 'nf2', 'f', 'swap']),
      secrets: [
        ok('t', cfg({}), 'Opaque'),
        ok('k', { other: 'x' }),
        ok('m', { '.dockerconfigjson': b64('{"auths": {') }),
        ok('e', { '.dockerconfigjson': b64('{"credsStore": "desktop"}') }),
        { name: 'nf', namespace: 'ns', status: 'not-found', elsewhere: [] },
        { name: 'nf2', namespace: 'ns', status: 'not-found', elsewhere: ['ns', 'ops', 'ci'] },
        {
          name: 'f',
          namespace: 'ns',
          status: 'error',
          error: { ok: false, error: 'forbidden', message: 'secrets "f" is forbidden', verb: 'get', resource: 'secrets', namespace: 'ns' },
        },
        ok('swap', cfg({}), 'kubernetes.io/dockercfg'),
      ],
    });
    const reasons = a.findings.map((f) => [f.code, f.data?.reason ?? f.data?.error]);
    expect(reasons).toEqual([
      ['credentials-missing', 'secret-wrong-type'],
      ['credentials-missing', 'secret-missing-key'],
      ['credentials-missing', 'secret-malformed'],
      ['credentials-missing', 'secret-empty'],
      ['credentials-missing', 'secret-not-found'],
      ['credentials-missing', 'secret-other-namespace'],
      ['kube-access', 'forbidden'],
      ['credentials-missing', 'secret-missing-key'],
    ]);
    expect(a.breaksAllPulls).toBe(true);
    expect(a.findings[3]!.summary).toMatch(/credsStore/);
    expect(a.findings[5]!.summary).toMatch(/exists in ops, ci: a pod can only use secrets from its own namespace/);
    expect(a.findings[6]!.summary).toContain('RBAC forbids "get" on "secrets" in namespace "ns"');
    expect(a.findings[7]!.summary).toMatch(/type kubernetes.io\/dockercfg\) has no \.dockercfg key \(keys: \.dockerconfigjson\)/);
  });

  it('ServiceAccount: used when no pod is given; edits after pod creation are called out', () => {
    const sa = { name: 'default', namespace: 'ns', imagePullSecrets: ['a'], lastWrite: '2024-06-01T00:00:00Z' };
    const noPod = analyzePullSecrets({
      image,
      namespace: 'ns',
      serviceAccount: sa,
      secrets: [ok('a', cfg({ 'reg.example.com:5000': { auth: b64('u:p') } }))],
    });
    expect(noPod.source).toBe('service-account');
    expect(noPod.candidates).toHaveLength(1);

    const later = analyzePullSecrets({ image, namespace: 'ns', pod: pod([]), serviceAccount: sa, secrets: [] });
    expect(later.findings[0]).toMatchObject({
      code: 'credentials-missing',
      severity: 'error',
      data: expect.objectContaining({ serviceAccountChangedAfterPod: true }),
    });
    const before = analyzePullSecrets({
      image,
      namespace: 'ns',
      pod: pod(['own'], { creationTimestamp: '2024-07-01T00:00:00Z' }),
      serviceAccount: sa,
      secrets: [],
    });
    expect(before.findings[0]).toMatchObject({
      severity: 'warning',
      data: expect.objectContaining({ serviceAccountChangedAfterPod: false }),
    });
    expect(before.findings[0]!.summary).toMatch(/lists its own imagePullSecrets/);
    const denied = analyzePullSecrets({
      image,
      namespace: 'ns',
      pod: pod([]),
      serviceAccount: { error: { ok: false, error: 'forbidden', message: 'x', verb: 'get', resource: 'serviceaccounts', namespace: 'ns' } },
      secrets: [],
    });
    expect(denied.findings[0]).toMatchObject({ code: 'kube-access' });
  });
});

describe('judgeCredentialTests', () => {
  const a = analyzePullSecrets({
    image,
    namespace: 'ns',
    pod: pod(['a']),
    secrets: [ok('a', cfg({ 'reg.example.com:5000': { auth: b64('u:p') } }))],
  });
  const probe = { authRequired: true, scheme: 'bearer', realmHost: 'auth.example.com', detail: '401' };
  it('any accepted credential means no finding', () => {
    expect(
      judgeCredentialTests(
        a,
        image,
        probe,
        [{ candidate: a.candidates[0]!, result: { outcome: 'accepted', via: 'token', detail: 'ok' } }],
        false,
      ),
    ).toEqual([]);
  });
  it('rejected → unauthorized on the realm host', () => {
    const f = judgeCredentialTests(
      a,
      image,
      probe,
      [
        {
          candidate: a.candidates[0]!,
          result: { outcome: 'rejected', via: 'token', status: 401, realmHost: 'auth.example.com', detail: 'token service answered 401' },
        },
      ],
      false,
    );
    expect(f).toEqual([expect.objectContaining({ code: 'unauthorized', host: 'auth.example.com' })]);
  });
  it('no secrets, auth required, no node credentials → credentials-missing; node credentials → nothing', () => {
    const none = analyzePullSecrets({ image, namespace: 'ns', pod: pod([]), secrets: [] });
    expect(judgeCredentialTests(none, image, probe, [], false)).toEqual([expect.objectContaining({ code: 'credentials-missing' })]);
    expect(judgeCredentialTests(none, image, probe, [], true)).toEqual([]);
    expect(judgeCredentialTests(none, image, { ...probe, authRequired: false }, [], false)).toEqual([]);
  });
});
