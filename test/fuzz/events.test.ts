// Fuzz: event and log text — kubelet event messages and container waiting messages (parsePullMessage, parseWaiting,
// isPullEvent, toPullEvent), pasted text for `regdoctor explain` (extractMessages) and the classifier that names
// the cause (classifyMessage). None of them has an error path: classified = a result ('other' / 'unknown' for text
// they do not recognise); any throw, or an input that takes seconds (regex backtracking), fails.
import { afterAll, describe, expect, it } from 'vitest';
import { isPullEvent, parsePullMessage, parseWaiting, toPullEvent } from '../../src/kube/events.js';
import { classifyMessage, extractMessages } from '../../src/classify/classify.js';
import type { KubeEvent } from '../../src/kube/objects.js';
import { CORPUS } from '../fixtures/messages/corpus.js';
import { fuzz, mutateText, stopWatchdog, type Rng } from './mutate.js';

afterAll(stopWatchdog);

const IMG = 'reg.test:5000/team/app:1';
const EVENT_SEEDS = [
  `Pulling image "${IMG}"`,
  `Successfully pulled image "${IMG}" in 1.2s (1.2s including waiting)`,
  `Container image "${IMG}" already present on machine`,
  `Container image "${IMG}" is not present with pull policy of Never`,
  `Failed to pull image "${IMG}": rpc error: code = Unknown desc = failed to pull and unpack image "${IMG}": failed to resolve reference "${IMG}": failed to do request: Head "https://reg.test:5000/v2/team/app/manifests/1": tls: failed to verify certificate: x509: certificate signed by unknown authority`,
  'Error: ErrImagePull',
  'Error: ImagePullBackOff',
  `Back-off pulling image "${IMG}"`,
  `Back-off pulling image "${IMG}": ErrImagePull: rpc error: code = NotFound desc = failed to pull and unpack image "${IMG}": not found`,
  `Failed to apply default image tag "Reg/App": couldn't parse image reference "Reg/App": invalid reference format: repository name must be lowercase`,
  'Unable to retrieve some image pull secrets (regcred, other); attempting to pull the image may not succeed.',
  `image pull failed for ${IMG} because the registry is unavailable: dial tcp 10.0.0.5:5000: connect: connection refused`,
  `Failed to pull image "a\\"b": x`,
];
const SEEDS = [...EVENT_SEEDS, ...CORPUS.map((c) => c.text)];

const DICT = [
  '"',
  '\\"',
  '\\\\',
  '\\n',
  '\n',
  ': ',
  'Failed to pull image ',
  'Back-off pulling image ',
  'Error: ',
  'ErrImagePull',
  'rpc error: code = ',
  'x509: ',
  'tls: failed to verify certificate: ',
  'https://',
  'http://',
  'Head ',
  'GET ',
  '/v2/',
  '/token',
  'dial tcp ',
  'lookup ',
  'proxyconnect tcp: ',
  'level=error ',
  'msg="',
  'error="',
  'time="2026-01-01T00:00:00Z" ',
  'Warning  Failed  ',
  'Normal  Pulling  ',
  '  ',
  '\t',
  '(x3 over 2m)',
  '\u001b[31m',
  '\r',
  'FATA[0001] ',
  'ctr: ',
  'Error response from daemon: ',
  'docker://',
  '@sha256:',
  ':5000',
  '[',
  ']',
  '(',
  ')',
  ',',
];

function text(rng: Rng): string {
  return mutateText(rng, SEEDS, {
    dictionary: DICT,
    nest: [
      ['"', '"'],
      ['(', ')'],
      ['\\"', '\\"'],
      ['Failed to pull image "', '": '],
    ],
    maxLength: 40_000,
  });
}

// Long pasted lines that made the Go-error regexes backtrack for seconds (found by this fuzzer, iteration 385).
const LONG_LINES = [
  `failed to pull and unpack image "x": x509: a${' '.repeat(30_000)}"x`,
  `Error response from daemon: Get "https://r/v2/": remote error: tls: b${' '.repeat(30_000)}"x`,
];

const REASONS = [
  'Failed',
  'BackOff',
  'Pulling',
  'Pulled',
  'InspectFailed',
  'ErrImageNeverPull',
  'FailedToRetrieveImagePullSecret',
  'ErrImagePull',
  'ImagePullBackOff',
  'RegistryUnavailable',
  'InvalidImageName',
  '',
  'Other',
];

describe('fuzz: event text', () => {
  it('kubelet event and waiting messages: a parsed message (kind "other" when unknown), never a throw', async () => {
    await fuzz({
      name: 'pull-events',
      iterations: 3000,
      generate: (rng) => ({
        message: text(rng),
        reason: rng.pick(REASONS),
        fieldPath: rng.chance(0.5) ? `spec.containers{${text(rng).slice(0, 40)}}` : undefined,
      }),
      run: ({ message, reason, fieldPath }) => {
        const e: KubeEvent = {
          reason,
          message,
          type: 'Warning',
          involvedObject: { kind: 'Pod', name: 'p', namespace: 'ns', fieldPath },
          count: 2,
        } as KubeEvent;
        return [parsePullMessage(message, reason), parseWaiting(reason, message), isPullEvent(e), toPullEvent(e)] as const;
      },
      classified: () => false,
      check: (r) => {
        const [parsed, waiting] = r as [ReturnType<typeof parsePullMessage>, ReturnType<typeof parseWaiting>];
        expect(typeof parsed.kind).toBe('string');
        expect(typeof waiting.kind).toBe('string');
      },
    });
  });

  it('extractMessages + classifyMessage over pasted text: results, never a throw', async () => {
    await fuzz({
      name: 'explain-text',
      iterations: 1000,
      generate: (rng) => Array.from({ length: rng.range(1, 4) }, () => text(rng)).join(rng.pick(['\n', '\r\n', '\n\n  ', ''])),
      run: (t) => {
        const found = extractMessages(t);
        const classified = found.slice(0, 50).map((m) => classifyMessage(m.message));
        return { found, classified, whole: classifyMessage(t.slice(0, 20_000)) };
      },
      classified: () => false,
      regressions: LONG_LINES,
      check: (r) => {
        const { classified } = r as { classified: ReturnType<typeof classifyMessage>[] };
        for (const c of classified) expect(typeof c.code).toBe('string');
      },
    });
  });

  it('classifyMessage stays fast on a long line and still names the Go error at the end', () => {
    for (const line of LONG_LINES) {
      const t0 = performance.now();
      classifyMessage(line);
      expect(performance.now() - t0).toBeLessThan(1_000);
    }
    const msg = `Failed to pull image "r:5000/a:1": rpc error: code = Unknown desc = failed to pull and unpack image "r:5000/a:1": failed to resolve reference "r:5000/a:1": failed to do request: Head "https://r:5000/v2/a/manifests/1": ${'x'.repeat(6000)} tls: failed to verify certificate: x509: certificate signed by unknown authority`;
    expect(classifyMessage(msg).goError).toBe('x509: certificate signed by unknown authority');
  });
});
