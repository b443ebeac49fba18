// Super-linear work on attacker-shaped text: every regular expression that runs on untrusted input (pasted logs, server
// answers, node files, cluster objects) was audited (recheck over every literal in src/ and checks/); each one that
// could backtrack more than linearly is driven here, through the public function that runs it, with the hostile input
// that made it slow, at growing sizes. Linear work grows 4× when the input grows 4×; quadratic 16×, cubic 64×. The
// bound is a ratio with a generous factor (the suite runs on a loaded 2-core machine), never an absolute wall time,
// and a timing too small to measure is not judged. Each case fails on the code before its fix.
import { describe, expect, it } from 'vitest';
import { classifyMessage, extractImage } from '../../src/classify/classify.js';
import { explainText } from '../../src/classify/explain.js';
import { REDACTED, redactFileText, redactText, secretUnits } from '../../src/text/redact.js';
import { parsePemBundle, toPem } from '../../src/x509/cert.js';
import { parseSemver } from '../../src/runtime/containerd-config.js';
import { goServerName } from '../../src/runtime/go-url.js';
import { parseYamlSubset } from '../../src/runtime/k3s.js';
import { kubeletRuntimeSocket } from '../../src/runtime/proc-socket.js';
import { firstNameserver } from '../../src/probe/judge-tcp.js';
import { labelValue } from '../../src/kube/nodes-plan.js';
import { crioVersionFromCli } from '../../checks/crio-config.js';
import { selfSigned } from '../../src/x509/build.js';
import { parseRegistry } from '../../src/core/reference.js';
import { parseKubectlError } from '../../src/adapters/kubectl/errors.js';
import { parseNodesOptions } from '../../src/cli/commands/nodes.js';
import { editYaml } from '../../src/fix/yaml-edit.js';

/** Best of three runs (the least disturbed by other processes). */
function timeOf(fn: () => unknown): number {
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** Below this a timing is noise (GC, scheduling): such a run is linear enough whatever its ratio. */
const FLOOR_MS = 25;
/** Growth allowed when the input grows 4×: linear is 4, quadratic 16. */
const MAX_RATIO = 9;

/**
 * Runs `fn` on `make(n)` for n, 4n and 16n and checks the time grows about linearly. A case whose first size is
 * already slow stops early (the old code took minutes at 16n).
 */
function expectLinear(fn: (input: string) => unknown, make: (n: number) => string, n: number): void {
  const sizes = [n, 4 * n, 16 * n];
  const times: number[] = [];
  for (const size of sizes) {
    const input = make(size);
    times.push(timeOf(() => fn(input)));
    if (times[times.length - 1]! > 3_000) break;
  }
  const report = sizes
    .slice(0, times.length)
    .map((s, k) => `${make(s).length} chars: ${times[k]!.toFixed(1)} ms`)
    .join(', ');
  for (let k = 1; k < times.length; k++) {
    const [small, big] = [times[k - 1]!, times[k]!];
    if (big < FLOOR_MS) continue;
    expect(big / Math.max(small, FLOOR_MS / 4), `time grows faster than the input (${report})`).toBeLessThan(MAX_RATIO);
  }
  expect(times.length, `one size took over 3 s (${report})`).toBe(sizes.length);
}

describe('redaction runs in linear time on hostile text (src/text/redact.ts)', () => {
  it('YAML `key: value` rule: blank lines of vertical tabs (was cubic: \\s*-?\\s* across lines)', () => {
    expectLinear(redactText, (n) => '\v\n'.repeat(n), 1000);
    expectLinear(redactText, (n) => `${'\t'.repeat(n)}\u0000\t`, 4000);
  });

  it('quoted secret value with a run of backslashes and no closing quote (was exponential)', () => {
    expectLinear(redactText, (n) => `AUTH:"${'H\\'.repeat(n)}\\`, 4000);
    expectLinear(redactText, (n) => `"password": "${'\\\\'.repeat(n)}`, 4000);
  });

  it('PEM private key BEGIN lines without END (lazy scan from each BEGIN was quadratic)', () => {
    expectLinear(redactText, (n) => '-----BEGIN PRIVATE KEY-----x'.repeat(n), 500);
    expectLinear(redactText, (n) => '-----BEGIN RSA PRIVATE KEY'.repeat(n), 500);
  });

  it('URL credentials: a long scheme-like run (scheme-first pattern restarted at every letter)', () => {
    expectLinear(redactText, (n) => 'A+'.repeat(n), 4000);
    expectLinear(redactText, (n) => `${'a'.repeat(n)}://u`, 4000);
  });

  it('--creds without a colon, repeated', () => {
    expectLinear(redactText, (n) => '--creds=='.repeat(n), 2000);
  });

  it('hosts.toml header lines: inline table with a long key run, a header table name of blanks', () => {
    expectLinear(
      (s) => redactFileText(s, 'hosts.toml'),
      (n) => `header = { ${'-'.repeat(n)}\\ }\n`,
      4000,
    );
    expectLinear(
      (s) => redactFileText(s, 'hosts.toml'),
      (n) => `header = { ${'"\\'.repeat(n)} }\n`,
      4000,
    );
    expectLinear(
      (s) => secretUnits(s, 'hosts.toml'),
      (n) => `[host.${' '.repeat(n)}x\n`,
      4000,
    );
  });

  it('still redacts what it did, and more where the old rules let a secret through', () => {
    expect(redactText('password: "abc\\"')).toBe(`password: "${REDACTED}"`);
    expect(redactText('{"auth": "dTpw\\\\x", "x": 1}')).toBe(`{"auth": "${REDACTED}", "x": 1}`);
    expect(redactText("token='a\\'b'")).toContain(REDACTED);
    expect(redactText('  - password: hunter2')).toBe(`  - password: ${REDACTED}`);
    expect(redactText('a\n\tpassword: hunter2\nb')).toBe(`a\n\tpassword: ${REDACTED}\nb`);
    expect(redactText('see https://user:pw@reg.test/v2/')).toBe(`see https://user:${REDACTED}@reg.test/v2/`);
    expect(redactText('x 1https://user:pw@reg.test')).not.toContain('pw@');
    expect(redactText('skopeo --creds=user=x:pw copy')).toBe(`skopeo --creds=user=x:${REDACTED} copy`);
    expect(redactText('--creds=abc --password=s3cret')).toBe(`--creds=abc --password=${REDACTED}`);
    const key = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----';
    expect(redactText(`a ${key} b`)).toBe(`a -----BEGIN EC PRIVATE KEY-----\n${REDACTED}\n-----END EC PRIVATE KEY----- b`);
    // a key cut short (no END line) is still a key: nothing of it is shown
    const cut = redactText('before\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
    expect(cut).not.toContain('MIIEvQ');
    expect(cut).toContain('before');
    const longHeader = `header = { x-token = "${'s'.repeat(20_000)}" }\n`;
    expect(redactFileText(longHeader, 'hosts.toml')).not.toContain('sss');
  });
});

describe('explain and the classifier run in linear time on hostile messages (src/classify)', () => {
  const explain = (s: string) => explainText(`Failed to pull image "reg.test/a:1": rpc error: ${s}`);

  it('Go error tail: x509 and dial tcp captures before blank runs (was cubic per message)', () => {
    // the tail is capped at 4 KiB: a hostile tail must cost about what a plain one of the same size costs
    const k = 500;
    const hostile = `n${'nx509: n'.repeat(k)}n${'\t'.repeat(k)}\nx509: r`;
    const plain = 'x'.repeat(hostile.length);
    const dial = `${'dial tcp :: :'.repeat(300)}${' '.repeat(300)}\nh`;
    const base = Math.max(
      timeOf(() => classifyMessage(plain)),
      2,
    );
    expect(timeOf(() => classifyMessage(hostile)) / base).toBeLessThan(20);
    expect(timeOf(() => classifyMessage(dial)) / base).toBeLessThan(20);
    expect(
      classifyMessage('failed to do request: tls: failed to verify certificate: x509: certificate signed by unknown authority').goError,
    ).toBe('x509: certificate signed by unknown authority');
    expect(classifyMessage('dial tcp 10.0.0.1:5000: connect: connection refused  ').goError).toBe(
      'dial tcp 10.0.0.1:5000: connect: connection refused',
    );
    expect(classifyMessage('remote error: tls: bad certificate').goError).toBe('remote error: tls: bad certificate');
  });

  it('image name of the docker daemon wording (\\w and : claimed by two repetitions)', () => {
    expectLinear(classifyMessage, (n) => `Error response from daemon: f${'ound'.repeat(n)}ound`, 1000);
    const digest = `sha256:${'ab'.repeat(32)}`;
    expect(extractImage(`Error response from daemon: manifest for reg.test:5000/a@${digest} not found`)).toBe(`reg.test:5000/a@${digest}`);
    expect(extractImage('Error response from daemon: manifest for reg.test:5000/a:1 not found')).toBe('reg.test:5000/a:1');
  });

  it('trailing punctuation of an image candidate, proxy host in brackets, escaped quotes, trailing blanks', () => {
    expectLinear(extractImage, (n) => `docker://a${':'.repeat(n)}\u0000:`, 4000);
    expectLinear(classifyMessage, (n) => `${'proxyconnect tcp: dial tcp [0'.repeat(n)}proxyconnect tcp: dial tcp 0:0`, 500);
    expectLinear(explain, (n) => `${'\\'.repeat(n)}x`, 4000);
    expectLinear(explain, (n) => `x509: bad${'\t'.repeat(n)}\u0000\t`, 4000);
  });

  it('a failing URL whose host is a huge name is not searched for blob stores', () => {
    expectLinear(classifyMessage, (n) => `x509: bad GET https://${'.s3.amazonaws'.repeat(n)}n/v2/`, 300);
  });
});

describe('PEM bundles are split in linear time (src/x509/cert.ts)', () => {
  it('BEGIN lines without END, and END/BEGIN junk', () => {
    expectLinear(parsePemBundle, (n) => '-----BEGIN CERTIFICATE-----\nU'.repeat(n), 2000);
    expectLinear(parsePemBundle, (n) => `${'----END CERTIFICATE-----BEGIN CERTIFICATE-----U'.repeat(n)}----END CERTIFICATE-----`, 1000);
  });

  it('finds the same blocks as before: first END after each BEGIN, labels mixed, junk between', () => {
    const a = selfSigned({ cn: 'a.test' });
    const b = selfSigned({ cn: 'b.test' });
    const pemA = toPem(a.der).replace('BEGIN CERTIFICATE', 'BEGIN TRUSTED CERTIFICATE');
    const text = `junk\n${pemA}-----BEGIN CERTIFICATE-----\n-----END X509 CERTIFICATE-----\n${toPem(b.der)}-----BEGIN CERTIFICATE-----\nno end`;
    const r = parsePemBundle(text);
    expect(r.certs.map((c) => c.subject.commonName)).toEqual(['a.test', 'b.test']);
    expect(r.errors).toHaveLength(1);
  });

  it('a 50 MB PEM block and a million broken blocks: a clear error, bounded output, no crash', () => {
    const huge = `-----BEGIN CERTIFICATE-----\n${'QUJD'.repeat(12_500_000)}\n-----END CERTIFICATE-----\n`;
    const r = parsePemBundle(huge);
    expect(r.certs).toEqual([]);
    expect(r.errors).toHaveLength(1);
    const many = '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n'.repeat(200_000);
    const m = parsePemBundle(many);
    expect(m.errors.length).toBeLessThanOrEqual(101);
    expect(m.errors.at(-1)).toMatch(/^199900 more blocks could not be parsed/);
  });
});

describe('node files and runtime answers (src/runtime, src/probe, src/kube, checks)', () => {
  it('version strings: a long run of digits', () => {
    expectLinear(parseSemver, (n) => `${'0'.repeat(n)}\u00000.0`, 4000);
    expectLinear(crioVersionFromCli, (n) => '\n'.repeat(n), 4000);
    expect(parseSemver('containerd v1.6.20 abc')).toEqual({ major: 1, minor: 6, patch: 20 });
    expect(crioVersionFromCli('crio version\n  Version:  1.28.1\n')).toBe('1.28.1');
  });

  it('host names: zone after a run of %, trailing dots', () => {
    expectLinear(goServerName, (n) => `${'%'.repeat(n)}\n%`, 4000);
    expectLinear(goServerName, (n) => `${'.'.repeat(n)}\u0000.`, 4000);
    expect(goServerName('fe80::1%eth0')).toBeUndefined();
    expect(goServerName('reg.test..')).toBe('reg.test');
  });

  it('registries.yaml lines with long trailing blanks', () => {
    expectLinear(parseYamlSubset, (n) => `mirrors:${' '.repeat(n)}\u0000 \n`, 4000);
  });

  it('kubelet files and resolv.conf with runs of blank lines', async () => {
    const timeAsync = async (text: string) => {
      const t0 = performance.now();
      await kubeletRuntimeSocket({ readText: () => Promise.resolve(text) } as never);
      await firstNameserver(() => Promise.resolve(text));
      return performance.now() - t0;
    };
    const small = await timeAsync('e' + '\n\t'.repeat(8000));
    const big = await timeAsync('e' + '\n\t'.repeat(32000));
    if (big > FLOOR_MS) expect(big / Math.max(small, FLOOR_MS / 4)).toBeLessThan(MAX_RATIO);
    expect(await firstNameserver(() => Promise.resolve('# x\n\n  nameserver 10.0.0.2\n'))).toBe('10.0.0.2');
  });

  it('node label values from cluster node names', () => {
    expectLinear(labelValue, (n) => `a${'-'.repeat(n)}_a-`, 4000);
    expect(labelValue('-node_1.example-')).toBe('node_1.example');
  });
});

describe('hosts.toml header tables keep their keys and lose every value', () => {
  it('inline tables: pairs read one by one, a malformed rest redacted', () => {
    const out = (s: string) => redactFileText(s, 'hosts.toml');
    expect(out('header = { "x-a" = "1", b = ["c", "d"], c = bare }\n')).toBe(
      `header = { "x-a" = "${REDACTED}", b = ["${REDACTED}"], c = ${REDACTED}}\n`,
    );
    expect(out('header = { x = "s3cret" junk "more" }\n')).not.toMatch(/s3cret|more/);
    expect(out('header = { "unterminated = "s3cret }\n')).not.toContain('s3cret');
    expect(out('[host."https://r.test".header]\n  x-token = "s3cret"\n')).not.toContain('s3cret');
    expect(out('[host. r .header]\n  x-token = "s3cret"\n')).not.toContain('s3cret');
  });
});

describe('pattern rows with a gap between two parts of a wording (src/classify/patterns.ts)', () => {
  it('the gap is bounded: a 64 KiB message of repeated first parts costs linear time', () => {
    const cases: ((n: number) => string)[] = [
      (n) => `M${'CVALIDATE SERVICE CONNECTION: G'.repeat(n)}\n`,
      (n) => `${'uthentication Required\u0000407 '.repeat(n)}uthentication Required\n407 Proxy`,
      (n) => `${'FAILED TO FETCH OAUTH TOKEN: UNEXPECTED STATUSD'.repeat(n)}\n`,
      (n) => `${'afailed to fetch anonymous token: unexpected statuso'.repeat(n)}\n`,
      (n) => `X${'STATUS CODE F'.repeat(n)}\n`,
      (n) => `${'unexpected status '.repeat(n)}\n`,
    ];
    for (const make of cases) expectLinear(classifyMessage, (n) => make(Math.ceil(n / make(1).length)), 4000);
    // the wordings still match at a realistic distance
    expect(
      classifyMessage(
        'failed to fetch oauth token: unexpected status from GET request to https://auth.test/token?scope=x: 401 Unauthorized',
      ).code,
    ).not.toBe('unknown');
    expect(classifyMessage('Error: 407 Proxy Authentication Required').code).toBe('proxy');
  });
});

describe('other inputs: registry hosts, kubectl stderr, node selectors', () => {
  it('a registry written with a long run of slashes', () => {
    const host = (s: string) => {
      try {
        return parseRegistry(s).name;
      } catch {
        return undefined;
      }
    };
    expectLinear(host, (n) => `reg.test${'/'.repeat(n)}x/`, 4000);
    expect(host('https://reg.test:5000//v2/')).toBe('reg.test:5000');
  });

  it("kubectl's stderr: a forbidden message with one very long word, repeated 'error: stat'", () => {
    const parse = (stderr: string) => parseKubectlError({ exitCode: 1, stderr });
    expectLinear(parse, (n) => `Error from server (Forbidden): ${'np'.repeat(n)}`, 2000);
    expectLinear(parse, (n) => `${'error: stat r'.repeat(n)}\n`, 1000);
    expect(
      parse(
        'Error from server (Forbidden): pods "x" is forbidden: User "u" cannot get resource "pods" in API group "" in the namespace "ns"',
      ).error,
    ).toBe('forbidden');
  });

  it('a node selector of blanks around operators is judged in linear time (was exponential)', () => {
    const parse = (sel: string) => {
      try {
        return parseNodesOptions(['reg.test/a:1', '--selector', sel], {});
      } catch (err) {
        return err;
      }
    };
    expectLinear(parse, (n) => `/,!${'/=\t,!'.repeat(Math.ceil(n / 5))}!`, 100);
    expect(parse('pool = gpu, !spot,zone!=a, k==  ')).not.toBeInstanceOf(Error);
    expect(parse('pool=gpu,,')).toBeInstanceOf(Error);
  });
});

describe('the registries.yaml editor (src/fix/yaml-edit.ts)', () => {
  it('a line holding an unclosed double-quoted string full of \\" is read in linear time', () => {
    const edit = (text: string) => {
      try {
        return editYaml(text, { path: ['configs', 'reg.test', 'tls'], set: { ca_file: '/ca.pem' } });
      } catch (err) {
        return err;
      }
    };
    expectLinear(edit, (n) => `mirrors:\n  x: a${'\u0000\\"\\'.repeat(n)}\n`, 1000);
    expect(edit('mirrors:\n  "a:b": [\'x\', "y\\"z"]\n')).toContain('ca_file: "/ca.pem"');
  });
});
