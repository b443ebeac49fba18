// `explain` understands what a person pastes: bare error lines, every runtime's and cloud registry's wording,
// ambiguity made explicit, clean references, paste mode, bounded memory (issue 15).
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { extractMessages, MAX_MESSAGES, MessageExtractor } from '../../src/classify/classify.js';
import { explainStream, explainText, type ExplainItem } from '../../src/classify/explain.js';
import { parseTarget } from '../../src/core/reference.js';
import { run as explainCommand } from '../../src/cli/commands/explain.js';
import type { CliIO } from '../../src/app/io.js';

function only(text: string): ExplainItem {
  const items = explainText(text).items;
  expect(items, `items for: ${text}`).toHaveLength(1);
  return items[0]!;
}

describe('bare error lines are found (no pull prefix needed)', () => {
  const cases: [string, string, string | undefined][] = [
    ['Get "https://10.43.240.20:5000/v2/": http: server gave HTTP response to HTTPS client', 'plain-http-registry', '10.43.240.20:5000'],
    ['dial tcp: lookup reg.corp on 10.0.0.2:53: no such host', 'dns', 'reg.corp'],
    ['dial tcp 10.1.2.3:443: connect: connection refused', 'connection-refused', undefined],
    ['dial tcp: i/o timeout', 'timeout', undefined],
  ];
  for (const [text, code, host] of cases) {
    it(`${text} → ${code}`, () => {
      const it0 = only(text);
      expect(it0.code).toBe(code);
      if (host) expect(it0.host).toBe(host);
    });
  }

  it('a bare "dial tcp: i/o timeout" names DNS as the alternative and how to tell', () => {
    const it0 = only('dial tcp: i/o timeout');
    expect(it0.alternatives).toEqual(['dns']);
    expect(it0.tellApart).toMatch(/^to tell them apart: .*getent hosts/);
  });

  it('Go network errors of the cluster itself (probes, API server) are not taken for pull errors', () => {
    const text = [
      'E1123 04:30:01.1 812 reflector.go:138] failed to list *v1.Pod: Get "https://10.0.0.1:6443/api/v1/pods": dial tcp 10.0.0.1:6443: connect: connection refused',
      'I1123 04:30:02.1 812 prober.go:107] "Probe failed" probeType="Readiness" output="Get \\"http://10.1.0.7:8080/ready\\": dial tcp 10.1.0.7:8080: connect: connection refused"',
      'sh: 1: frobnicate: not found',
    ].join('\n');
    expect(explainText(text).items).toEqual([]);
  });
});

describe('other runtimes’ and clouds’ wordings', () => {
  const cases: [string, string][] = [
    [
      'Error response from daemon: Get https://registry-1.docker.io/v2/: proxyconnect tcp: dial tcp 192.168.65.83:8080: connect: no route to host',
      'proxy',
    ],
    [
      'error pulling image configuration: Get https://production.cloudflare.docker.com/registry-v2/docker/registry/v2/blobs/sha256/96/969c/data: x509: certificate signed by unknown authority',
      'untrusted-ca',
    ],
    [
      'Failed to pull image "gcr.io/google_containers/kube-ui:v2": Error: Status 429 trying to pull repository google_containers/kube-ui: "<!DOCTYPE html>"',
      'rate-limited',
    ],
    ['Error: initializing source docker://quay.io/team/app:1: reading manifest 1 in quay.io/team/app: name unknown', 'not-found'],
    ['Error reading manifest latest in registry.opensuse.org/sonartype/nexus3: name unknown', 'not-found'],
    [
      'Error: initializing source docker://quay.io/tusc/ntopng-udm:latest: reading manifest latest in quay.io/tusc/ntopng-udm: unauthorized: access to the requested resource is not authorized',
      'unauthorized',
    ],
    [
      "Error response from daemon: error parsing HTTP 403 response body: invalid character 'Y' looking for beginning of value: \"Your Authorization Token has expired. Please run 'aws ecr get-login' to fetch a new one.\"",
      'unauthorized',
    ],
    [
      'Error response from daemon: Head "https://europe-west2-docker.pkg.dev/v2/p/ml/app/manifests/4.19.5": denied: Permission "artifactregistry.repositories.downloadArtifacts" denied on resource "projects/p/locations/europe-west2/repositories/ml" (or it may not exist)',
      'unauthorized',
    ],
    ['Error response from daemon: Head "https://ghcr.io/v2/org/app/manifests/latest": denied: denied', 'unauthorized'],
    [
      'Error response from daemon: Get https://myserver.azurecr.io/v2/: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.',
      'credentials-missing',
    ],
    [
      'Error response from daemon: Get https://registry-1.docker.io/v2/: malformed HTTP response "\\x15\\x03\\x01\\x00\\x02\\x02\\x16"',
      'http-client-to-https-server',
    ],
    ['Get https://localhost:5000/v2/: tls: oversized record received with length 20527', 'plain-http-registry'],
    ['error pulling image configuration: unknown blob', 'not-found'],
    ['no matching manifest for linux/arm64/v8 in the manifest list entries', 'platform-mismatch'],
  ];
  for (const [text, code] of cases) it(`${text.slice(0, 90)}… → ${code}`, () => expect(only(text).code).toBe(code));

  it('wordings with no actionable cause are recognised and explained, but stay unknown', () => {
    for (const text of [
      'Error response from daemon: unexpected EOF',
      'FATA[0001] pulling image failed: rpc error: code = Unknown desc = error pinging docker registry 10.0.0.5:5000: invalid status code from registry 502 (Bad Gateway)',
    ]) {
      const it0 = only(text);
      expect(it0.code).toBe('unknown');
      expect(it0.explanation).not.toMatch(/does not recognise/);
      expect(it0.alternatives).toContain('proxy');
    }
    // and a wording nobody knows stays plain unknown
    const u = only('Failed to pull image "a/b:1": rpc error: code = Unknown desc = quux frobnicated');
    expect(u).toMatchObject({ code: 'unknown', alternatives: [], tellApart: null });
  });
});

describe('ambiguity is explicit', () => {
  it("Docker's pull access denied: unauthorized, or a repository that does not exist, or no credentials", () => {
    const it0 = only(
      "Error response from daemon: pull access denied for reg.corp.test/team/app, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
    );
    expect(it0.code).toBe('unauthorized');
    expect(it0.alternatives).toEqual(['not-found', 'credentials-missing']);
    expect(it0.tellApart).toContain('`regdoctor diagnose reg.corp.test/team/app`');
  });

  it('unambiguous wordings have no alternatives', () => {
    const it0 = only('Get "https://10.43.240.20:5000/v2/": http: server gave HTTP response to HTTPS client');
    expect(it0.alternatives).toEqual([]);
    expect(it0.tellApart).toBeNull();
  });

  it('the human output names the alternatives and how to tell them apart', async () => {
    const out: string[] = [];
    const code = await explainCommand(
      ["Error response from daemon: pull access denied for app, repository does not exist or may require 'docker login'"],
      fakeIO({ tty: false, input: '' }, out),
    );
    expect(code).toBe(1);
    expect(out.join('')).toContain('could also be: not-found, credentials-missing');
    expect(out.join('')).toMatch(/to tell them apart: .*`regdoctor diagnose app`/s);
  });

  it('the JSON output carries alternatives and tellApart on every item (additive to regdoctor/explain@1)', async () => {
    const out: string[] = [];
    const io = fakeIO(
      {
        tty: false,
        input: "Error response from daemon: pull access denied for app, repository does not exist or may require 'docker login'",
      },
      out,
    );
    const code = await explainCommand(['--json'], io);
    expect(code).toBe(1);
    const doc = JSON.parse(out.join(''));
    expect(doc.schema).toBe('regdoctor/explain@1');
    expect(doc.items[0]).toMatchObject({ code: 'unauthorized', alternatives: ['not-found', 'credentials-missing'] });
    expect(typeof doc.items[0].tellApart).toBe('string');
  });
});

describe('clean extraction', () => {
  it('a podman line yields a valid reference (no trailing colon) and a diagnose command that parses', () => {
    const it0 = only('Error: initializing source docker://reg:5000/app:1: reading manifest 1 in reg:5000/app: manifest unknown');
    expect(it0.image).toBe('reg:5000/app:1');
    expect(it0.diagnoseCommand).toBe('regdoctor diagnose reg:5000/app:1');
    expect(() => parseTarget(it0.diagnoseTarget!)).not.toThrow();
  });

  it('every suggested command in the real-world corpus is built from a target that parses', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../fixtures/messages/real-world.txt', import.meta.url), 'utf8');
    const items = explainText(text).items;
    expect(items.length).toBeGreaterThan(100);
    for (const i of items) {
      if (!i.diagnoseCommand) continue;
      expect(() => parseTarget(i.diagnoseTarget!), i.diagnoseCommand).not.toThrow();
      expect(i.diagnoseCommand).toBe(`regdoctor diagnose ${i.diagnoseTarget}`);
      if (i.image) expect(() => parseTarget(i.image!), i.image).not.toThrow();
    }
  });

  it('status-only lines are never items: describe’s Reason, kubelet’s Error: lines, a get-pods row', () => {
    const text = [
      '    State:          Waiting',
      '      Reason:       ImagePullBackOff',
      '  Warning  Failed     5m1s (x6 over 6m37s)   kubelet            Error: ImagePullBackOff',
      '  Warning  Failed     5m13s (x4 over 6m37s)  kubelet            Error: ErrImagePull',
      'api-7c9d8b5f4-x2x9q   0/1     ImagePullBackOff   0          2m',
      '  Normal   BackOff    92s (x21 over 6m37s)   kubelet            Back-off pulling image "pvt-registry.com/nginx:latest"',
    ].join('\n');
    expect(extractMessages(text)).toEqual([]);
  });

  it('the same error seen through the event and the containerd journal is one item', () => {
    const text = [
      '  Warning  Failed  1m  kubelet  Failed to pull image "reg.test/a:1": rpc error: code = Unknown desc = failed to pull and unpack image "reg.test/a:1": failed to resolve reference "reg.test/a:1": failed to do request: Head "https://reg.test/v2/a/manifests/1": x509: certificate signed by unknown authority',
      'Nov 23 04:30:01 node-3 containerd[812]: time="2026-11-23T04:30:01Z" level=error msg="PullImage \\"reg.test/a:1\\" failed" error="failed to pull and unpack image \\"reg.test/a:1\\": failed to resolve reference \\"reg.test/a:1\\": failed to do request: Head \\"https://reg.test/v2/a/manifests/1\\": x509: certificate signed by unknown authority"',
      'FATA[0000] pulling image: rpc error: code = Unknown desc = failed to pull and unpack image "reg.test/b:2": failed to resolve reference "reg.test/b:2": failed to do request: Head "https://reg.test/v2/b/manifests/2": x509: certificate signed by unknown authority',
    ].join('\n');
    const items = explainText(text).items;
    expect(items.map((i) => [i.code, i.line, i.image])).toEqual([
      ['untrusted-ca', 1, 'reg.test/a:1'],
      ['untrusted-ca', 3, 'reg.test/b:2'],
    ]);
  });
});

describe('paste mode', () => {
  it('on a terminal with no input, prompts "paste the error, then Ctrl-D" and reads until end of input', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = fakeIO({ tty: true, input: 'dial tcp: lookup reg.corp on 10.0.0.2:53: no such host\n' }, out, err);
    const code = await explainCommand([], io);
    expect(err.join('')).toContain('paste the error, then Ctrl-D');
    expect(code).toBe(1);
    expect(out.join('')).toMatch(/dns \[reg\.corp, dns\]/);
  });

  it('piped input gets no prompt', async () => {
    const err: string[] = [];
    await explainCommand([], fakeIO({ tty: false, input: 'nothing here\n' }, [], err));
    expect(err.join('')).toBe('');
  });
});

describe('large inputs: linear and bounded', () => {
  it('text fed in small chunks gives exactly what the whole text gives (lines and wrapped messages)', () => {
    const text = [
      'noise',
      '  Warning  Failed  1m  kubelet  Failed to pull image "reg.test/a:1": rpc error: code = Unknown desc = failed to',
      '           resolve reference "reg.test/a:1": failed to do request: Head "https://reg.test/v2/a/manifests/1": tls: failed to verify certificate: x509:',
      '           certificate is valid for other.test, not reg.test',
      'more noise',
      'dial tcp: lookup other.test on 10.0.0.2:53: no such host',
    ].join('\n');
    const whole = extractMessages(text);
    const x = new MessageExtractor();
    for (let i = 0; i < text.length; i += 7) x.push(text.slice(i, i + 7));
    expect(x.finish()).toEqual(whole);
    expect(whole.map((m) => m.line)).toEqual([4, 6]);
  });

  it('keeps at most MAX_MESSAGES distinct messages however many distinct errors stream past', async () => {
    async function* journal() {
      for (let i = 0; i < 5000; i++)
        yield `Nov 23 04:30:01 node-3 containerd[812]: dial tcp: lookup host-${i}.corp on 10.0.0.2:53: no such host\n`;
    }
    const r = await explainStream(journal());
    expect(r.items.length).toBe(MAX_MESSAGES);
  });

  it('200,000 journal lines stream through in time linear with 20,000 (and well under a few seconds)', async () => {
    const noise = [
      'Nov 23 04:30:00 node-3 kubelet[812]: I1123 04:30:00.000000 812 kubelet.go:2460] "SyncLoop (probe)" probe="readiness" status="ready" pod="kube-system/coredns-5d78c9869d-x2x9q"',
      'Nov 23 04:30:00 node-3 containerd[812]: time="2026-11-23T04:30:00Z" level=info msg="ImageCreate event name:\\"registry.k8s.io/pause:3.9\\""',
      'Nov 23 04:31:12 node-3 containerd[812]: time="2026-11-23T04:31:12Z" level=error msg="PullImage \\"a/b:1\\" failed" error="failed to pull and unpack image \\"docker.io/a/b:1\\": failed to resolve reference \\"docker.io/a/b:1\\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"',
    ];
    const time = async (n: number) => {
      async function* gen() {
        let buf = '';
        for (let i = 0; i < n; i++) {
          buf += `${noise[i % 10 === 0 ? 2 : i % 2]}\n`;
          if (buf.length > 65536) {
            yield buf;
            buf = '';
          }
        }
        yield buf;
      }
      const t0 = performance.now();
      const r = await explainStream(gen());
      expect(r.items.map((i) => i.code)).toEqual(['unauthorized']);
      return performance.now() - t0;
    };
    await time(20_000);
    const small = await time(20_000);
    const big = await time(200_000);
    expect(big).toBeLessThan(small * 25);
    expect(big).toBeLessThan(8000);
  });
});

function fakeIO(opts: { tty: boolean; input: string }, out: string[], err: string[] = []): CliIO {
  const stdin = Readable.from([Buffer.from(opts.input)]) as unknown as CliIO['stdin'];
  (stdin as { isTTY?: boolean }).isTTY = opts.tty;
  return {
    stdout: { write: (s: string) => out.push(s), isTTY: false, columns: 120 },
    stderr: { write: (s: string) => err.push(s), isTTY: opts.tty },
    stdin,
    env: {},
    interactive: false,
    color: false,
    columns: 120,
    signal: new AbortController().signal,
  };
}
