import { describe, expect, it } from 'vitest';
import { extractMessages, classifyMessage } from '../../src/classify/classify.js';
import { explainText } from '../../src/classify/explain.js';
import { runCli } from '../helpers/cli.js';

const DESCRIBE = `Name:             api-7c9d8b5f4-x2x9q
Namespace:        team
Containers:
  api:
    Image:          registry.corp.example.com:5000/team/api:1.4.2
    State:          Waiting
      Reason:       ImagePullBackOff
Events:
  Type     Reason     Age                From               Message
  ----     ------     ----               ----               -------
  Normal   Scheduled  2m                 default-scheduler  Successfully assigned team/api-7c9d8b5f4-x2x9q to node-3
  Normal   Pulling    43s (x4 over 2m)   kubelet            Pulling image "registry.corp.example.com:5000/team/api:1.4.2"
  Warning  Failed     43s (x4 over 2m)   kubelet            Failed to pull image "registry.corp.example.com:5000/team/api:1.4.2": rpc error: code = Unknown desc = failed to pull and unpack image "registry.corp.example.com:5000/team/api:1.4.2": failed to resolve reference "registry.corp.example.com:5000/team/api:1.4.2": failed to do request: Head "https://registry.corp.example.com:5000/v2/team/api/manifests/1.4.2": x509: certificate signed by unknown authority
  Warning  Failed     43s (x4 over 2m)   kubelet            Error: ErrImagePull
  Normal   BackOff    5s (x6 over 2m)    kubelet            Back-off pulling image "registry.corp.example.com:5000/team/api:1.4.2"
  Warning  Failed     5s (x6 over 2m)    kubelet            Error: ImagePullBackOff
`;

describe('extraction from real-world text', () => {
  it('kubectl describe pod: finds the failure and ignores Pulling/Scheduled', () => {
    const r = explainText(DESCRIBE);
    const real = r.items.filter((i) => i.code !== 'unknown');
    expect(real).toHaveLength(1);
    expect(real[0]).toMatchObject({
      code: 'untrusted-ca',
      host: 'registry.corp.example.com:5000',
      hostRole: 'registry',
      image: 'registry.corp.example.com:5000/team/api:1.4.2',
    });
    expect(real[0]!.diagnoseCommand).toBe('regdoctor diagnose registry.corp.example.com:5000/team/api:1.4.2');
    expect(real[0]!.fixes[0]!.id).toBe('hosts-toml-ca');
  });

  it('a message wrapped across lines (terminal width) is joined', () => {
    const wrapped = [
      '  Warning  Failed  1m  kubelet  Failed to pull image "reg.test/a:1": rpc error: code = Unknown desc = failed to pull and unpack image "reg.test/a:1": failed to',
      '           resolve reference "reg.test/a:1": failed to do request: Head "https://reg.test/v2/a/manifests/1": tls: failed to verify certificate: x509:',
      '           certificate is valid for other.test, not reg.test',
    ].join('\n');
    const [m] = extractMessages(wrapped);
    expect(classifyMessage(m!.message)).toMatchObject({ code: 'hostname-mismatch', host: 'reg.test' });
  });

  it('journald lines with escaped quotes and timestamps; several messages in one log', () => {
    const log = [
      'Nov 23 04:30:01 node-3 containerd[812]: time="2026-11-23T04:30:01Z" level=info msg="PullImage \\"reg.test/a:1\\""',
      'Nov 23 04:30:01 node-3 containerd[812]: time="2026-11-23T04:30:01Z" level=error msg="PullImage \\"reg.test/a:1\\" failed" error="failed to pull and unpack image \\"reg.test/a:1\\": failed to resolve reference \\"reg.test/a:1\\": failed to do request: Head \\"https://reg.test/v2/a/manifests/1\\": http: server gave HTTP response to HTTPS client"',
      '2026-11-23T04:31:00.123Z [ci] ERROR: Error response from daemon: Get "https://other.test/v2/": dial tcp: lookup other.test on 10.0.0.2:53: no such host',
    ].join('\n');
    const r = explainText(log);
    expect(r.items.map((i) => [i.code, i.host, i.runtime])).toEqual([
      ['plain-http-registry', 'reg.test', 'containerd'],
      ['dns', 'other.test', 'docker'],
    ]);
  });

  it('text with no pull error yields nothing; unknown wording yields unknown, never a guess', () => {
    expect(explainText('all good here\nnothing to see').items).toEqual([]);
    const u = explainText('Failed to pull image "a/b:1": rpc error: code = Unknown desc = quux frobnicated').items[0]!;
    expect(u.code).toBe('unknown');
    expect(u.message).toContain('quux frobnicated');
  });

  it('10,000 lines of mixed log text in well under a second', () => {
    const noise = [
      'I1123 04:30:00.000000 812 kubelet.go:1234] "SyncLoop (probe)" probe="readiness" status="ready" pod="x"',
      'level=info msg="ImageCreate event name:\\"x\\""',
      'just some text',
    ];
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) lines.push(i % 50 === 0 ? DESCRIBE.split('\n')[12]! : noise[i % noise.length]!);
    const t0 = performance.now();
    const r = explainText(lines.join('\n'));
    const ms = performance.now() - t0;
    expect(r.items.length).toBeGreaterThanOrEqual(1);
    expect(ms).toBeLessThan(1000);
  });
});

describe('regdoctor explain (CLI)', () => {
  it('reads stdin, prints JSON with the documented schema, exits 1 when problems are explained', async () => {
    const r = await runCli(['explain', '--json'], { input: DESCRIBE });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.schema).toBe('regdoctor/explain@1');
    expect(Object.keys(out.items[0])).toEqual(
      expect.arrayContaining(['message', 'image', 'failingUrl', 'host', 'runtime', 'code', 'explanation', 'fixes']),
    );
  });

  it('exits 0 when nothing is found, 2 without input on a TTY-less call with no text', async () => {
    const r = await runCli(['explain', 'hello world']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No image-pull error found');
  });

  it('explains text given as an argument, human-readable', async () => {
    const r = await runCli([
      'explain',
      'Error response from daemon: Get "https://r.test/v2/": x509: certificate has expired or is not yet valid: current time 2026-11-23T00:00:00Z is after 2026-01-01T00:00:00Z',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/expired \[r\.test\]/);
    expect(r.stdout).toContain('old root or intermediate');
  });
});
