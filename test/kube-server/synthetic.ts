// A large synthetic cluster generated on demand (nothing stored): `pods` pods of which one in `failEvery` cannot
// pull (cycling through the broken-cluster scenarios' errors), and `events` events — the failing pods' kubelet pull
// events followed by unrelated noise — for the scan benchmark and the bounded-memory test.
import type { KubeObject, KubeServerOptions } from './server.js';
import { eventsFor, podObject, scenarios } from './broken-cluster.js';

export interface SyntheticOptions {
  pods: number;
  events: number;
  /** One pod in failEvery fails to pull (default 10). */
  failEvery?: number;
  namespaces?: number;
}

export function syntheticCluster(o: SyntheticOptions): NonNullable<KubeServerOptions['virtual']> {
  const sc = scenarios().filter((s) => !s.init);
  const failEvery = o.failEvery ?? 10;
  const nsCount = o.namespaces ?? 20;
  const uid = (i: number) => `b0000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
  const ns = (i: number) => `team-${i % nsCount}`;
  const failing = (i: number) => i % failEvery === 0;
  const makePod = (i: number): KubeObject => {
    if (failing(i)) {
      const s = sc[(i / failEvery) % sc.length]!;
      const p = podObject({ ...s, pod: `app-${i}`, namespace: ns(i), node: `node-${i % 50}` }, uid(i));
      return p;
    }
    return {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: {
        name: `app-${i}`,
        namespace: ns(i),
        uid: uid(i),
        creationTimestamp: '2025-03-01T08:00:00Z',
        labels: { app: `app-${i % 100}` },
      },
      spec: {
        nodeName: `node-${i % 50}`,
        serviceAccountName: 'default',
        containers: [{ name: 'app', image: `reg.corp.test:5000/team/app-${i % 100}:1`, imagePullPolicy: 'IfNotPresent' }],
      },
      status: {
        phase: 'Running',
        hostIP: '10.0.0.10',
        containerStatuses: [
          {
            name: 'app',
            image: `reg.corp.test:5000/team/app-${i % 100}:1`,
            ready: true,
            restartCount: 0,
            state: { running: { startedAt: '2025-03-01T08:00:05Z' } },
          },
        ],
      },
    };
  };
  // Events: per failing pod the kubelet pull cycle (6 events), then noise for healthy pods up to `events`.
  const failingPods = Math.ceil(o.pods / failEvery);
  const perFailing = 6;
  const pullEvents = Math.min(o.events, failingPods * perFailing);
  const makeEvent = (k: number): KubeObject => {
    if (k < pullEvents) {
      const i = Math.floor(k / perFailing) * failEvery;
      const s = sc[(i / failEvery) % sc.length]!;
      const evs = eventsFor(
        { ...s, pod: `app-${i}`, namespace: ns(i), node: `node-${i % 50}`, missingSecret: undefined, events: true },
        uid(i),
      );
      const e = evs[k % perFailing] ?? evs[evs.length - 1]!;
      e.metadata.name = `app-${i}.${k.toString(16)}`;
      return { kind: 'Event', apiVersion: 'v1', ...e };
    }
    const i = (k * 7919) % o.pods;
    return {
      kind: 'Event',
      apiVersion: 'v1',
      metadata: { name: `app-${i}.n${k.toString(16)}`, namespace: ns(i), creationTimestamp: '2025-03-01T09:00:00Z' },
      involvedObject: { kind: 'Pod', namespace: ns(i), name: `app-${i}`, uid: uid(i), apiVersion: 'v1', fieldPath: 'spec.containers{app}' },
      reason: k % 3 === 0 ? 'Pulled' : k % 3 === 1 ? 'Created' : 'Started',
      message:
        k % 3 === 0
          ? `Container image "reg.corp.test:5000/team/app-${i % 100}:1" already present on machine`
          : k % 3 === 1
            ? 'Created container app'
            : 'Started container app',
      source: { component: 'kubelet', host: `node-${i % 50}` },
      firstTimestamp: '2025-03-01T09:00:00Z',
      lastTimestamp: '2025-03-01T09:00:00Z',
      count: 1,
      type: 'Normal',
      eventTime: null,
      reportingComponent: 'kubelet',
      reportingInstance: `node-${i % 50}`,
    };
  };
  return { pods: { count: o.pods, make: makePod }, events: { count: o.events, make: makeEvent } };
}
