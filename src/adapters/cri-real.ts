// Real CRI adapter: runtime.v1 over the runtime's unix socket, as kubelet talks to it.
import type { CriAdapter, CriAuth, CriPullResult, CriRuntimeInfo } from './cri.js';
import type { GrpcError } from '../cri/grpc.js';
import { decode, encode, map, msgs, str, bool, type Field } from '../cri/proto.js';
import { existsSync } from 'node:fs';

export const DEFAULT_ENDPOINTS = [
  'unix:///run/containerd/containerd.sock',
  'unix:///var/run/crio/crio.sock',
  'unix:///run/crio/crio.sock',
  'unix:///var/run/cri-dockerd.sock',
  'unix:///run/k3s/containerd/containerd.sock',
];

// gRPC rides on node:http2 (a large module): loaded when a CRI socket is there to talk to, not at every start
let grpcModule: Promise<typeof import('../cri/grpc.js')> | undefined;
const grpc = () => (grpcModule ??= import('../cri/grpc.js'));

const IMAGE = '/runtime.v1.ImageService';
const RUNTIME = '/runtime.v1.RuntimeService';

function imageSpec(image: string): Field[] {
  return [{ no: 1, value: image }];
}

function authConfig(a?: CriAuth): Field[] | undefined {
  if (!a) return undefined;
  return [
    { no: 1, value: a.username },
    { no: 2, value: a.password },
    { no: 3, value: a.auth },
    { no: 5, value: a.identityToken },
    { no: 6, value: a.registryToken },
  ];
}

export class RealCri implements CriAdapter {
  async detect(opts: { endpoint?: string; timeoutMs: number; signal?: AbortSignal }): Promise<CriRuntimeInfo | { error: string }> {
    const candidates = opts.endpoint
      ? [opts.endpoint.includes('://') ? opts.endpoint : `unix://${opts.endpoint}`]
      : DEFAULT_ENDPOINTS.filter((e) => existsSync(e.replace(/^unix:\/\//, '')));
    if (candidates.length === 0)
      return { error: `no CRI socket found (tried ${DEFAULT_ENDPOINTS.map((e) => e.replace('unix://', '')).join(', ')})` };
    let lastError = '';
    const { unary, GrpcError } = await grpc();
    for (const endpoint of candidates) {
      try {
        const v = decode(await unary(endpoint, `${RUNTIME}/Version`, encode([{ no: 1, value: 'v1' }]), opts));
        const s = decode(await unary(endpoint, `${RUNTIME}/Status`, encode([{ no: 1, value: true }]), opts));
        const status = msgs(s, 1)[0];
        return {
          endpoint,
          runtimeName: str(v, 2),
          runtimeVersion: str(v, 3),
          runtimeApiVersion: str(v, 4),
          conditions: status
            ? msgs(status, 1).map((c) => ({
                type: str(c, 1),
                status: bool(c, 2),
                reason: str(c, 3) || undefined,
                message: str(c, 4) || undefined,
              }))
            : [],
          info: map(s, 2),
        };
      } catch (err) {
        lastError = `${endpoint}: ${err instanceof GrpcError ? `rpc error: code = ${err.code} desc = ${err.message}` : (err as Error).message}`;
      }
    }
    return { error: lastError };
  }

  async pullImage(
    image: string,
    opts: { endpoint: string; auth?: CriAuth; timeoutMs: number; signal?: AbortSignal },
  ): Promise<CriPullResult> {
    const started = Date.now();
    const { unary } = await grpc();
    try {
      const res = decode(
        await unary(
          opts.endpoint,
          `${IMAGE}/PullImage`,
          encode([
            { no: 1, value: imageSpec(image) },
            { no: 2, value: authConfig(opts.auth) },
          ]),
          opts,
        ),
      );
      return { ok: true, imageRef: str(res, 1), durationMs: Date.now() - started };
    } catch (err) {
      const e = err as GrpcError;
      return { ok: false, grpcCode: e.code ?? 2, message: e.message, durationMs: Date.now() - started };
    }
  }

  async removeImage(
    image: string,
    opts: { endpoint: string; timeoutMs: number; signal?: AbortSignal },
  ): Promise<{ ok: boolean; message?: string }> {
    const { unary } = await grpc();
    try {
      await unary(opts.endpoint, `${IMAGE}/RemoveImage`, encode([{ no: 1, value: imageSpec(image) }]), opts);
      return { ok: true };
    } catch (err) {
      return { ok: false, message: (err as Error).message };
    }
  }
}
