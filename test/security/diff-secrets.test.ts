// A fix plan's diffs (printed on screen, in --dry-run and in CI logs) never show a secret: a client private key is
// `[private key, N bytes, sha256 …]`, legacy `password`/`auth`/`identitytoken` values and Authorization headers in
// diff context are `[REDACTED]`. The diff is still computed on the real bytes: a changed secret still shows a change.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RootedFs } from '../../src/adapters/fs.js';
import { preparePlan } from '../../src/fix/engine.js';
import { unifiedDiff } from '../../src/fix/diff.js';
import { generateKey } from '../../src/x509/build.js';
import type { FixAction } from '../../src/core/types.js';
import { expectInert } from './hostile-corpus.js';
import { runGraph } from '../../src/core/engine.js';
import { buildReport, collectFindings } from '../../src/core/report.js';
import { parseTarget } from '../../src/core/reference.js';
import { DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { renderJson } from '../../src/report/export.js';
import type { Adapters } from '../../src/core/adapters.js';
import type { Check } from '../../src/core/types.js';

const PASSWORD = 'Pa55-legacy-s3cret';
const AUTH = Buffer.from(`user:${PASSWORD}`).toString('base64');
const TOKEN = 'idtok-3f9a0c1d7e';
const BASIC = Buffer.from('robot:hdr-s3cret-77').toString('base64');
const BEARER = 'eyJhbGciOiJIUzI1NiJ9.payload-s3cret.sig';

const CONFIG = `version = 2

[plugins."io.containerd.grpc.v1.cri".registry.configs."reg.test:5000".auth]
  username = "user"
  identitytoken = "${TOKEN}"
  auth = "${AUTH}"
  password = "${PASSWORD}"

[plugins."io.containerd.grpc.v1.cri".registry]
`;

const HOSTS = `server = "https://reg.test:5000"

[host."https://reg.test:5000".header]
  Authorization = ["Basic ${BASIC}"]
  X-Extra = { Authorization = "Bearer ${BEARER}" }
`;

/** No piece (≥ 6 characters) of any secret value appears. */
function expectNoSecret(out: string, secrets: string[]) {
  for (const s of secrets) {
    for (let i = 0; i + 6 <= s.length; i++)
      expect(out, `fragment ${JSON.stringify(s.slice(i, i + 6))} of a secret`).not.toContain(s.slice(i, i + 6));
  }
}

function keyBody(pem: string): string[] {
  return pem.split('\n').filter((l) => l && !l.startsWith('-----'));
}

describe('fix plan diffs show no secret', () => {
  it('client key, legacy password/auth/identitytoken lines and Authorization headers', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'regdoctor-diff-'));
    await mkdir(path.join(root, 'etc/containerd/certs.d/reg.test:5000'), { recursive: true });
    await writeFile(path.join(root, 'etc/containerd/config.toml'), CONFIG);
    await writeFile(path.join(root, 'etc/containerd/certs.d/reg.test:5000/hosts.toml'), HOSTS);
    const key = generateKey('rsa', 2048).keyPem;
    const actions: FixAction[] = [
      { kind: 'write-file', path: '/etc/containerd/certs.d/reg.test:5000/client.key', content: key, mode: 0o600 },
      {
        kind: 'edit-toml',
        path: '/etc/containerd/config.toml',
        description: 'set config_path',
        edit: { table: ['plugins', 'io.containerd.grpc.v1.cri', 'registry'], set: { config_path: '/etc/containerd/certs.d' } },
      },
      {
        kind: 'write-file',
        path: '/etc/containerd/certs.d/reg.test:5000/hosts.toml',
        content: `${HOSTS}\n[host."https://reg.test:5000"]\n  client = [["client.crt", "client.key"]]\n`,
      },
    ];
    const plan = await preparePlan(new RootedFs(root), actions);
    const diffs = plan.map((s) => s.diff ?? '');
    const all = diffs.join('\n');
    expectNoSecret(all, [PASSWORD, AUTH, TOKEN, BASIC, BEARER, ...keyBody(key)]);
    expectInert(all, 'plan diffs');

    // the key: one line with its size and fingerprint; the hunk still counts the file's real lines
    const sha = createHash('sha256').update(key).digest('hex');
    expect(diffs[0]).toContain(`+[private key, ${Buffer.byteLength(key)} bytes, sha256 ${sha.slice(0, 16)}…]`);
    expect(diffs[0]).toContain(`@@ -0,0 +1,${key.trimEnd().split('\n').length} @@`);
    expect(diffs[0]).not.toMatch(/BEGIN (RSA )?PRIVATE KEY/);

    // the config edit is visible; the secret line in its context is there, value redacted
    expect(diffs[1]).toContain('+  config_path = "/etc/containerd/certs.d"');
    expect(diffs[1]).toContain('   password = "[REDACTED]"');

    // hosts.toml: header lines shown as context with the values redacted
    expect(diffs[2]).toContain(' [host."https://reg.test:5000".header]');
    expect(diffs[2]).toContain('   Authorization = ["[REDACTED]"]');
    expect(diffs[2]).toContain('+  client = [["client.crt", "client.key"]]');
  });

  it('a changed secret still shows as a change (computed on the real bytes), without either value', () => {
    const d = unifiedDiff(CONFIG, CONFIG.replace(PASSWORD, 'N3w-passw0rd-value'), '/etc/containerd/config.toml');
    expect(d).toContain('-  password = "[REDACTED]"');
    expect(unifiedDiff(CONFIG, CONFIG.replace(TOKEN, 'other-token-1'), 'c')).toContain('+  identitytoken = "[REDACTED]"');
    expect(unifiedDiff(CONFIG, CONFIG.replace(AUTH, 'b3RoZXI6b3RoZXI='), 'c')).toContain('+  auth = "[REDACTED]"');
    expect(d).toContain('+  password = "[REDACTED]"');
    expectNoSecret(d, [PASSWORD, 'N3w-passw0rd-value', AUTH, TOKEN]);
    const k1 = generateKey('ec').keyPem;
    const k2 = generateKey('ec').keyPem;
    const kd = unifiedDiff(k1, k2, '/etc/containerd/certs.d/r/client.key');
    expect(kd.split('\n').filter((l) => l.startsWith('-[private key') || l.startsWith('+[private key'))).toHaveLength(2);
    expectNoSecret(kd, [...keyBody(k1), ...keyBody(k2)]);
  });

  it('keys inside other files, multi-line secret strings, URL credentials and key files without PEM armour', () => {
    const key = generateKey('ec').keyPem;
    const yamlish = `client:\n  key: |\n${key
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')}\n  mirror: https://robot:url-s3cret-99@mirror.test/\n`;
    const toml = `[x]\n  password = """\nmulti-line-s3cret\n"""\n  a = 1\n`;
    const raw = Buffer.from(keyBody(key).join('')).toString();
    const out = [
      unifiedDiff('', yamlish, '/dev/null', '/etc/app.yaml'),
      unifiedDiff(toml, toml.replace('a = 1', 'a = 2'), '/etc/x.toml'),
      unifiedDiff('', `${raw}\n`, '/dev/null', '/etc/containerd/certs.d/r/client.key'),
      unifiedDiff('', '{"auths":{"r":{"auth":"' + AUTH + '","password":"' + PASSWORD + '"}}}\n', '/dev/null', '/root/.docker/config.json'),
    ].join('\n');
    expectNoSecret(out, [...keyBody(key), 'url-s3cret-99', 'multi-line-s3cret', raw.slice(0, 40), AUTH, PASSWORD]);
    expect(out).toContain('[key file, ');
  });

  it('every hosts.toml request header value is a secret whatever the header is called (tables, inline, multi-line)', () => {
    const hosts = `server = "https://r"

[header]
  X-Api-Key = "hdrA-s3cret-01"

[host."https://r:5000".header]
  X-JFrog-Art-Api = 'hdrB-s3cret-02'
  Authorization = [
    "Basic hdrC-s3cret-03",
  ]

[host."https://r:5000"]
  capabilities = ["pull", "resolve"]
  header = { X-Token = "hdrD-s3cret-04" }
`;
    const d = unifiedDiff('', hosts, '/dev/null', '/etc/containerd/certs.d/r:5000/hosts.toml');
    expectNoSecret(d, ['hdrA-s3cret-01', 'hdrB-s3cret-02', 'hdrC-s3cret-03', 'hdrD-s3cret-04']);
    expect(d).toContain('+  X-Api-Key = "[REDACTED]"');
    expect(d).toContain('+  Authorization = ["[REDACTED]"]');
    expect(d).toContain('+  capabilities = ["pull", "resolve"]');
    expect(d).toContain(`@@ -0,0 +1,${hosts.trimEnd().split('\n').length} @@`);
  });

  it('planned file contents in a report (JSON, --report) are redacted by the same structure', async () => {
    const state = await runGraph(
      [
        {
          id: 'x',
          title: 'x',
          needs: [],
          timeoutMs: 5000,
          run: async () => ({ summary: 's', findings: [{ code: 'untrusted-ca', summary: 'x' }] }),
        } as unknown as Check,
      ],
      { target: parseTarget('reg.test:5000/app:1'), options: DEFAULT_RUN_OPTIONS, adapters: {} as Adapters },
    );
    const key = generateKey('ec').keyPem;
    const findings = collectFindings(state).map((f) => ({
      ...f,
      fixes: [
        {
          id: 'hosts-toml-ca',
          title: 't',
          risk: 'safe' as const,
          where: 'node' as const,
          restartRequired: false,
          description: 'd',
          manualSteps: [],
          actions: [
            {
              kind: 'write-file' as const,
              path: '/etc/containerd/certs.d/reg.test:5000/hosts.toml',
              content: `${HOSTS}[header]\n  X-Api-Key = "hdrZ-s3cret-09"\n`,
            },
            { kind: 'write-file' as const, path: '/etc/containerd/certs.d/reg.test:5000/client.key', content: key },
          ],
        },
      ],
    }));
    const json = renderJson(buildReport(state, findings));
    expectNoSecret(json, [BASIC, BEARER, 'hdrZ-s3cret-09', ...keyBody(key)]);
    expect(json).toContain('X-Api-Key = \\"[REDACTED]\\"');
  });

  it('keeps the unified format: context, real line numbers, "\\ No newline at end of file"; controls escaped', () => {
    expect(unifiedDiff('a\nb\nc\n', 'a\nB\nc\n', 'f')).toBe('--- f\n+++ f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n');
    expect(unifiedDiff('a\nb', 'a\nb\n', 'f')).toBe('--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n');
    expect(unifiedDiff('same\n', 'same\n', 'f')).toBe('');
    const hostile = unifiedDiff('x\n', 'y\u001b]52;c;cHduZWQ=\u0007\r\u202e\n', 'f');
    expectInert(hostile, 'diff');
    expect(hostile).toContain('+y\\x1b]52;c;cHduZWQ=\\x07\\r\\u202e');
  });
});
