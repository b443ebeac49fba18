// The only ways a check may touch the system. Real implementations live in src/adapters/; tests inject fakes.
import type { FsAdapter } from '../adapters/fs.js';
import type { NetAdapter } from '../adapters/net.js';
import type { TlsAdapter } from '../adapters/tls.js';
import type { HttpAdapter } from '../adapters/http.js';
import type { ExecAdapter } from '../adapters/exec.js';
import type { Clock } from '../adapters/clock.js';
import type { KubeAdapter } from '../adapters/kube.js';
import type { CriAdapter } from '../adapters/cri.js';

export type { FsAdapter, NetAdapter, TlsAdapter, HttpAdapter, ExecAdapter, Clock, KubeAdapter, CriAdapter };

export interface Adapters {
  fs: FsAdapter;
  net: NetAdapter;
  tls: TlsAdapter;
  http: HttpAdapter;
  exec: ExecAdapter;
  clock: Clock;
  kube: KubeAdapter;
  cri: CriAdapter;
  /** Environment as the runtime sees it (proxy variables, SSL_CERT_FILE...). */
  env: Readonly<Record<string, string | undefined>>;
}
