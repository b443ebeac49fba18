// Real adapters for a live node (or a copied tree with --root). Heavy modules are imported on first use.
import type { Adapters } from '../core/adapters.js';
import { RootedFs } from '../adapters/fs.js';
import { RealNet } from '../adapters/net.js';
import { RealExec } from '../adapters/exec.js';
import { systemClock } from '../adapters/clock.js';
import { RealTls } from '../adapters/tls-real.js';
import { RealHttp } from '../adapters/http-real.js';
import { KubectlAdapter } from '../adapters/kube.js';
import { RealCri } from '../adapters/cri-real.js';

export interface AdapterOptions {
  root: string;
  kube?: { context?: string; kubeconfig?: string; namespace?: string };
  env?: Record<string, string | undefined>;
  /** Name → address overrides applied by every network adapter before DNS (demo, tests). */
  hosts?: Record<string, string>;
}

export function createRealAdapters(opts: AdapterOptions): Adapters {
  const fs = new RootedFs(opts.root);
  // names resolve as containerd's Go resolver would on this node (its resolv.conf, nsswitch.conf and /etc/hosts), for
  // the probes and for HTTP requests alike
  const net = new RealNet(opts.hosts, { fs });
  return {
    fs,
    net,
    tls: new RealTls(opts.hosts),
    http: new RealHttp(opts.hosts, (hostname, o) => net.lookup(hostname, o)),
    exec: new RealExec(),
    clock: systemClock,
    kube: new KubectlAdapter({ ...opts.kube, env: opts.env }),
    cri: new RealCri(),
    env: opts.env ?? process.env,
  };
}
