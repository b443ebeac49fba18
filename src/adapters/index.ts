// Real adapters for a live node (or a copied tree with --root). Heavy modules are imported on first use.
import type { Adapters } from '../core/adapters.js';
import { RootedFs } from './fs.js';
import { RealNet } from './net.js';
import { RealExec } from './exec.js';
import { systemClock } from './clock.js';
import { RealTls } from './tls-real.js';
import { RealHttp } from './http-real.js';
import { KubectlAdapter } from './kube.js';
import { RealCri } from './cri-real.js';

export interface AdapterOptions {
  root: string;
  kube?: { context?: string; kubeconfig?: string; namespace?: string };
  env?: Record<string, string | undefined>;
  /** Name → address overrides applied by every network adapter before DNS (demo, tests). */
  hosts?: Record<string, string>;
}

export function createRealAdapters(opts: AdapterOptions): Adapters {
  return {
    fs: new RootedFs(opts.root),
    net: new RealNet(opts.hosts),
    tls: new RealTls(opts.hosts),
    http: new RealHttp(opts.hosts),
    exec: new RealExec(),
    clock: systemClock,
    kube: new KubectlAdapter({ ...opts.kube, env: opts.env }),
    cri: new RealCri(),
    env: opts.env ?? process.env,
  };
}
