// Kubernetes API access through the real kubectl binary, so every kubeconfig auth method works.
// (Interface owned by the Kubernetes work; real implementation in this file.)
export type KubeResult<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      /** missing-kubectl | unreachable | forbidden | not-found | invalid | failure */
      error: 'missing-kubectl' | 'unreachable' | 'forbidden' | 'not-found' | 'invalid' | 'failure';
      message: string;
      /** For forbidden: the verb and resource that were denied. */
      verb?: string;
      resource?: string;
    };

export interface KubeAdapter {
  /** Runs `kubectl get <resource> [name] -o json` with context/kubeconfig/namespace passed through. */
  getJson<T = unknown>(resource: string, name?: string, opts?: { namespace?: string; allNamespaces?: boolean; fieldSelector?: string; chunkSize?: number }): Promise<KubeResult<T>>;
}
