// The Ink matrix and progress of `regdoctor nodes`, and the diagnose option that makes a pod's /host a live node.
import React from 'react';
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { MatrixTable, NodesProgress } from '../../src/ui/nodes-view.js';
import type { NodeGroup } from '../../src/kube/nodes-matrix.js';
import { toRunOptions } from '../../src/cli/options.js';

const groups: NodeGroup[] = [
  {
    key: 'b',
    code: 'untrusted-ca',
    title: 't',
    summary: 'chain ends at \x1b[31mEvil CA',
    predictedRuntimeError: 'x509: certificate signed by unknown authority',
    config: { digest: 'bbbb', lines: ['config_path = /etc/containerd/certs.d'] },
    nodes: ['n3'],
    healthy: false,
  },
  {
    key: 'a',
    code: 'healthy',
    title: 't',
    summary: 'ok',
    config: { digest: 'aaaa', lines: ['config_path = /etc/containerd/certs.d', 'applies: /etc/containerd/certs.d/r:5000/hosts.toml'] },
    nodes: ['n1', 'n2'],
    healthy: true,
  },
];

describe('nodes view (Ink)', () => {
  it('shows the groups, odd ones out first, inert cluster text', () => {
    const { lastFrame } = render(<MatrixTable v={{ target: 'r:5000/a:1', total: 3, groups, fixes: [], notes: [] }} columns={120} />);
    const f = lastFrame()!;
    expect(f.indexOf('1 of 3 nodes: untrusted-ca')).toBeGreaterThan(-1);
    expect(f.indexOf('1 of 3 nodes: untrusted-ca')).toBeLessThan(f.indexOf('2 of 3 nodes: healthy'));
    expect(f).toContain('x509: certificate signed by unknown authority');
    expect(f).toContain('registry config sha256:bbbb');
    expect(f).toContain('\\x1b[31mEvil CA');
    expect(f).not.toContain('\x1b[31mEvil');
  });

  it('progress: N of M nodes', () => {
    const { lastFrame } = render(
      <NodesProgress p={{ total: 40, done: 12, running: 5, phase: 'diagnosing', last: 'n7: healthy' }} columns={100} />,
    );
    expect(lastFrame()).toContain('12 of 40 nodes done (5 running)');
    expect(lastFrame()).toContain('diagnosing: n7: healthy');
  });
});

describe('diagnose --root with --runtime-endpoint', () => {
  it('is a live node mounted at the root (a diagnosis pod), --root alone stays an offline copy', () => {
    expect(toRunOptions({ root: '/host', 'runtime-endpoint': 'unix:///host/run/containerd/containerd.sock' }, {}).liveRoot).toBe(true);
    expect(toRunOptions({ root: '/copy' }, { CONTAINER_RUNTIME_ENDPOINT: 'unix:///run/containerd/containerd.sock' }).liveRoot).toBe(false);
    expect(toRunOptions({ 'runtime-endpoint': 'unix:///run/x.sock' }, {}).liveRoot).toBe(false);
  });
});
