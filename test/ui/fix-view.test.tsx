import { describe, expect, it } from 'vitest';
import React from 'react';
import { render } from 'ink-testing-library';
import { FixPrompt, FixPromptInteractive } from '../../src/ui/fix-view.js';
import { unifiedDiff } from '../../src/fix/diff.js';
import { stripAnsi } from '../../src/ui/format.js';

const steps = [
  { summary: 'write /etc/containerd/certs.d/reg.test:5000/ca.crt (mode 644)', diff: unifiedDiff('', '-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----\n', '/dev/null', '/etc/containerd/certs.d/reg.test:5000/ca.crt') },
  { summary: 'write /etc/containerd/certs.d/reg.test:5000/hosts.toml (mode 644)', diff: unifiedDiff('', 'server = "https://reg.test:5000"\nca = "ca.crt"\n', '/dev/null', '/etc/containerd/certs.d/reg.test:5000/hosts.toml') },
];
const base = { title: 'Trust the registry’s self-signed certificate for reg.test:5000 only (hosts.toml ca)', risk: 'safe, no restart', description: 'Only this registry host trusts it; verification stays on.', steps, color: false, columns: 90 };

describe('fix screen', () => {
  it('shows the plan, the current step with its diff and the keys (snapshot)', async () => {
    const { lastFrame } = render(<FixPrompt {...base} decisions={[true]} />);
    const frame = stripAnsi(lastFrame() ?? '').split('\n').map((l) => l.trimEnd()).join('\n');
    expect(frame).toContain('✓ 1. write /etc/containerd/certs.d/reg.test:5000/ca.crt');
    expect(frame).toContain('+ca = "ca.crt"');
    expect(frame).toContain('[y] yes');
    await expect(frame).toMatchFileSnapshot('../../snapshots/fix-prompt.txt');
  });

  it('y accepts a step, n declines the rest, a accepts the rest', async () => {
    const run = async (keys: string[]) => {
      let got: boolean[] | undefined;
      const r = render(<FixPromptInteractive {...base} done={(d) => (got = d)} />);
      for (const k of keys) {
        await new Promise((res) => setTimeout(res, 20));
        r.stdin.write(k);
      }
      await new Promise((res) => setTimeout(res, 20));
      r.unmount();
      return got;
    };
    expect(await run(['y', 'y'])).toEqual([true, true]);
    expect(await run(['y', 'n'])).toEqual([true, false]);
    expect(await run(['n'])).toEqual([false, false]);
    expect(await run(['a'])).toEqual([true, true]);
  });
});
