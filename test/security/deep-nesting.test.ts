// Deep nesting in every document format regdoctor reads from a node or a cluster: 100k nested JSON arrays/objects,
// TOML arrays / inline tables / dotted tables, DER SEQUENCEs nested to the certificate size bound and lengths past the
// end. Each one is a clear answer about that file (a problem, a refusal, an error string), never a RangeError (stack
// overflow) or a crash, and the generic deep copies every output goes through (redact, sanitizeDeep) cut what is too
// deep with a marker instead of overflowing. (YAML: test/fuzz/k3s.test.ts; 50 MB PEM: test/security/redos.test.ts.)
import { describe, expect, it } from 'vitest';
import { parseImageReference, parseRegistry } from '../../src/core/reference.js';
import { parseDockerConfig } from '../../src/runtime/credential-match.js';
import { analyzePullSecrets, DOCKERCONFIGJSON } from '../../src/kube/pull-secrets.js';
import { dockerConfig } from '../../src/runtime/other-runtimes.js';
import { crioAuthFiles, crioNodeConfig } from '../../src/runtime/crio-config.js';
import { loadContainerdConfig } from '../../src/runtime/containerd-config.js';
import { CertificateParseError, parseAnyCertificates, parseCertificate } from '../../src/x509/cert.js';
import { Asn1Error, children, readNode } from '../../src/x509/asn1.js';
import { redact } from '../../src/text/redact.js';
import { MAX_OUTPUT_DEPTH, sanitizeDeep, sanitizeDeepLine, TOO_DEEP } from '../../src/text/sanitize.js';
import { memFs } from '../fuzz/memfs.js';

const N = 100_000;
const ARRAYS = `${'['.repeat(N)}${']'.repeat(N)}`;
const OBJECTS = `${'{"a":'.repeat(N)}1${'}'.repeat(N)}`;

/** A value nested `depth` objects deep, built without recursion. */
function deepValue(depth: number): unknown {
  let v: unknown = 'leaf\u001b[31m';
  for (let i = 0; i < depth; i++) v = i % 2 ? { password: 'x', a: v } : [v];
  return v;
}

describe('JSON documents nested 100k levels deep', () => {
  it('docker config.json / auth.json: the entry or a problem, no stack overflow', async () => {
    for (const text of [`{"auths":{"reg.test":{"x":${ARRAYS}}}}`, `{"auths":{"reg.test":${OBJECTS}}}`, ARRAYS, OBJECTS]) {
      const r = parseDockerConfig(text);
      expect(r.error === undefined || typeof r.error.message === 'string').toBe(true);
    }
    expect(parseDockerConfig(ARRAYS).error?.message).toBe('not a JSON object');
    const crio = await crioAuthFiles(memFs({ '/run/containers/0/auth.json': `{"auths":${OBJECTS}}` }), 'reg.test/a:1');
    expect(crio.files[0]!.exists).toBe(true);
  });

  it('daemon.json insecure-registries nested deep: reported as dockerd would refuse it', async () => {
    const r = await dockerConfig(
      memFs({ '/etc/docker/daemon.json': `{"insecure-registries":${ARRAYS}}` }),
      parseRegistry('reg.test:5000'),
      '10.0.0.5',
    );
    expect(r.findings.map((f) => f.summary).join('\n')).toMatch(/insecure-registries/);
  });

  it('a pull secret whose .dockerconfigjson nests 100k levels: findings, no throw', () => {
    const r = analyzePullSecrets({
      image: parseImageReference('reg.test/app:1'),
      namespace: 'ns',
      pod: { name: 'p', namespace: 'ns', serviceAccountName: 'default', imagePullSecrets: ['s'] },
      secrets: [
        {
          name: 's',
          namespace: 'ns',
          status: 'ok',
          type: DOCKERCONFIGJSON,
          data: { '.dockerconfigjson': Buffer.from(`{"auths":{"reg.test":${OBJECTS}}}`).toString('base64') },
        },
      ],
    });
    expect(Array.isArray(r.findings)).toBe(true);
  });

  it('redact and sanitizeDeep cut a 100k-deep value with a marker instead of overflowing the stack', () => {
    const v = deepValue(N);
    for (const out of [redact(v), sanitizeDeep(v), sanitizeDeepLine(v)]) {
      const text = JSON.stringify(out);
      expect(text).toContain('nested more than 256 levels deep: not shown');
      expect(text).not.toContain('\u001b');
    }
    expect(MAX_OUTPUT_DEPTH).toBe(256);
    // shallow values are copied whole, secrets redacted
    const shallow = redact(deepValue(40)) as unknown[];
    expect(JSON.stringify(shallow)).not.toContain(TOO_DEEP);
    expect(JSON.stringify(shallow)).not.toContain('"password":"x"');
  });
});

describe('TOML documents nested 100k levels deep', () => {
  it('config.toml: arrays, inline tables, dotted tables — a problem with the file, no crash', async () => {
    const docs = [
      `version = 2\nx = ${ARRAYS}\n`,
      `version = 2\nx = ${'{a='.repeat(N)}1${'}'.repeat(N)}\n`,
      `version = 2\n[plugins${'.x'.repeat(N)}]\n`,
      `version = 2\n${'a.'.repeat(N)}b = 1\n`,
    ];
    for (const text of docs) {
      const loaded = await loadContainerdConfig(memFs({ '/etc/containerd/config.toml': text }));
      expect(loaded.problems.length, text.slice(0, 40)).toBeGreaterThan(0);
      for (const p of loaded.problems) expect(p.message).not.toMatch(/\n|Maximum call stack/);
    }
  });

  it('CRI-O registries.conf nested deep: a problem, no crash', async () => {
    const c = await crioNodeConfig(
      memFs({ '/etc/containers/registries.conf': `[[registry]]\nlocation = ${ARRAYS}\n` }),
      parseRegistry('reg.test'),
      parseImageReference('reg.test/a:1'),
    );
    expect(JSON.stringify(c).length).toBeGreaterThan(0);
  });
});

describe('DER nested to the size bound and lengths past the end', () => {
  /** SEQUENCEs nested `depth` levels around NULL, definite lengths. */
  function nestedDer(depth: number): Buffer {
    const heads: Buffer[] = [];
    let l = 2; // NULL
    for (let i = 0; i < depth; i++) {
      const len = l < 128 ? [l] : l < 256 ? [0x81, l] : l < 65536 ? [0x82, l >> 8, l & 255] : [0x83, l >> 16, (l >> 8) & 255, l & 255];
      heads.push(Buffer.from([0x30, ...len]));
      l += 1 + len.length;
    }
    return Buffer.concat([...heads.reverse(), Buffer.from([0x05, 0x00])]);
  }

  it('a certificate of 15k nested SEQUENCEs (under 64 KiB) and one past the bound: CertificateParseError', () => {
    const deep = nestedDer(15_000);
    expect(deep.length).toBeLessThan(64 * 1024);
    expect(() => parseCertificate(deep)).toThrow(CertificateParseError);
    expect(() => parseCertificate(nestedDer(30_000))).toThrow(CertificateParseError);
    expect(parseAnyCertificates(deep).errors).toHaveLength(1);
  });

  it('walking 15k levels with children() is bounded by its depth guard, not the stack', () => {
    let node = readNode(nestedDer(15_000));
    let err: unknown;
    try {
      for (let d = 0; d < 20_000; d++) {
        const c = children(node, d);
        if (!c.length) break;
        node = c[0]!;
      }
    } catch (e) {
      err = e;
    }
    expect(err === undefined || err instanceof Asn1Error).toBe(true);
  });

  it('lengths of 4 GiB, indefinite, and 2^64: a refusal naming the truncation', () => {
    for (const len of [[0x84, 0xff, 0xff, 0xff, 0xff], [0x80], [0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]]) {
      const der = Buffer.from([0x30, ...len, 0x30, 0x00]);
      expect(() => parseCertificate(der)).toThrow(CertificateParseError);
    }
  });
});
