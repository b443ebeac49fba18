// A small CRI client (runtime.v1 ImageService/RuntimeService over the unix socket): pulls exactly as kubelet does.
// (Interface owned by the node-configuration work; real implementation in this file.)
export interface CriAuth {
  username?: string;
  password?: string;
  auth?: string;
  identityToken?: string;
  registryToken?: string;
}

export type CriPullResult =
  { ok: true; imageRef: string; durationMs: number } | { ok: false; grpcCode: number; message: string; durationMs: number };

export interface CriRuntimeInfo {
  endpoint: string;
  runtimeName: string;
  runtimeVersion: string;
  runtimeApiVersion: string;
  /** Status conditions (RuntimeReady, NetworkReady). */
  conditions: { type: string; status: boolean; reason?: string; message?: string }[];
  /** Verbose info map (containerd: "config" holds the loaded CRI config as JSON). */
  info: Record<string, string>;
}

export interface CriAdapter {
  /** First reachable endpoint among the override and the default sockets (containerd, CRI-O, cri-dockerd). */
  detect(opts: { endpoint?: string; timeoutMs: number; signal?: AbortSignal }): Promise<CriRuntimeInfo | { error: string }>;
  pullImage(image: string, opts: { endpoint: string; auth?: CriAuth; timeoutMs: number; signal?: AbortSignal }): Promise<CriPullResult>;
  removeImage(
    image: string,
    opts: { endpoint: string; timeoutMs: number; signal?: AbortSignal },
  ): Promise<{ ok: boolean; message?: string }>;
}
