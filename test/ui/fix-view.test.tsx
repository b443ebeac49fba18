import { describe, expect, it } from 'vitest';
import React from 'react';
import { render } from 'ink-testing-library';
import { FixPrompt, FixPromptInteractive } from '../../src/ui/fix-view.js';
import { unifiedDiff } from '../../src/fix/diff.js';
import { stripAnsi } from '../../src/ui/format.js';

const steps = [
  {
    summary: 'write /etc/containerd/certs.d/reg.test:5000/ca.crt (mode 644)',
    diff: unifiedDiff(
      '',
      '-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----\n',
      '/dev/null',
      '/etc/containerd/certs.d/reg.test:5000/ca.crt',
    ),
  },
  {
    summary: 'write /etc/containerd/certs.d/reg.test:5000/hosts.toml (mode 644)',
    diff: unifiedDiff(
      '',
      'server = "https://reg.test:5000"\nca = "ca.crt"\n',
      '/dev/null',
      '/etc/containerd/certs.d/reg.test:5000/hosts.toml',
    ),
  },
];
const base = {
  title: 'Trust the registry’s self-signed certificate for reg.test:5000 only (hosts.toml ca)',
  risk: 'safe, no restart',
  description: 'Only this registry host trusts it; verification stays on.',
  steps,
  color: false,
  columns: 90,
};

describe('fix screen', () => {
  it('shows the plan, the step under review with its diff and the keys; reviewed steps are not applied (snapshot)', async () => {
    const { lastFrame } = render(<FixPrompt {...base} reviewed={1} />);
    const frame = stripAnsi(lastFrame() ?? '')
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n');
    expect(frame).toContain('nothing is written before your final yes');
    expect(frame).toContain('1. write /etc/containerd/certs.d/reg.test:5000/ca.crt (mode 644) (seen)');
    expect(frame).toContain('+ca = "ca.crt"');
    expect(frame).toContain('[q/n/Esc] quit — nothing is changed');
    await expect(frame).toMatchFileSnapshot('../../snapshots/fix-prompt.txt');
    const last = stripAnsi(render(<FixPrompt {...base} reviewed={2} />).lastFrame() ?? '');
    expect(last).toContain('Apply all 2 steps now?');
  });

  // keys, one at a time; `done` is the single decision for the whole plan (undefined: still asking)
  const run = async (keys: string[]) => {
    const calls: boolean[] = [];
    const r = render(<FixPromptInteractive {...base} done={(d) => calls.push(d)} />);
    for (const k of keys) {
      await new Promise((res) => setTimeout(res, 20));
      r.stdin.write(k);
    }
    await new Promise((res) => setTimeout(res, 20));
    r.unmount();
    expect(calls.length).toBeLessThanOrEqual(1);
    return calls[0];
  };

  it('every step is reviewed first; only the final yes applies, and it applies the whole plan', async () => {
    expect(await run(['y', 'y', 'y'])).toBe(true);
    expect(await run(['\r', ' ', 'y'])).toBe(true);
    // reviewing is not applying: no decision until the final question is answered
    expect(await run(['y'])).toBeUndefined();
    expect(await run(['y', 'y'])).toBeUndefined();
    // no "yes to all" that skips unseen diffs
    expect(await run(['a'])).toBeUndefined();
  });

  it('q, n, Esc or Ctrl-C at any step, or at the final question, means nothing changes', async () => {
    expect(await run(['y', 'q'])).toBe(false);
    expect(await run(['y', 'n'])).toBe(false);
    expect(await run(['n'])).toBe(false);
    expect(await run(['\u001b'])).toBe(false);
    expect(await run(['y', '\u0003'])).toBe(false);
    expect(await run(['y', 'y', 'n'])).toBe(false);
    expect(await run(['y', 'y', '\u0003'])).toBe(false);
    // a decision is final: keys after it change nothing
    expect(await run(['q', 'y', 'y', 'y'])).toBe(false);
  });
});
