// Unary gRPC over HTTP/2 on a unix socket (or tcp://), with a deadline and an abort signal.
import * as http2 from 'node:http2';
import * as net from 'node:net';

export class GrpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'GrpcError';
  }
}

/** gRPC status codes we name in messages (as kubelet prints them). */
export const GRPC_CODE_NAMES: Record<number, string> = {
  0: 'OK',
  1: 'Canceled',
  2: 'Unknown',
  3: 'InvalidArgument',
  4: 'DeadlineExceeded',
  5: 'NotFound',
  7: 'PermissionDenied',
  12: 'Unimplemented',
  13: 'Internal',
  14: 'Unavailable',
  16: 'Unauthenticated',
};

export function socketPath(endpoint: string): string {
  return endpoint.replace(/^unix:\/\//, '');
}

export function unary(endpoint: string, method: string, body: Buffer, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const tcp = endpoint.match(/^tcp:\/\/(.+):(\d+)$/);
    const session = http2.connect('http://localhost', {
      createConnection: () => (tcp ? net.connect(Number(tcp[2]), tcp[1]!) : net.connect(socketPath(endpoint))),
    });
    const done = (err: Error | undefined, value?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      session.close();
      session.destroy();
      if (err) reject(err);
      else resolve(value!);
    };
    const onAbort = () => done(new GrpcError(1, 'context canceled'));
    const timer = setTimeout(() => done(new GrpcError(4, `context deadline exceeded (${opts.timeoutMs} ms)`)), opts.timeoutMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    session.on('error', (err: NodeJS.ErrnoException) =>
      done(
        new GrpcError(
          14,
          `connection error: desc = "transport: error while dialing: dial unix ${socketPath(endpoint)}: ${err.code === 'ENOENT' ? 'connect: no such file or directory' : err.code === 'ECONNREFUSED' ? 'connect: connection refused' : err.code === 'EACCES' ? 'connect: permission denied' : err.message}"`,
        ),
      ),
    );
    const frame = Buffer.alloc(5);
    frame.writeUInt32BE(body.length, 1);
    const req = session.request({
      ':method': 'POST',
      ':path': method,
      'content-type': 'application/grpc',
      te: 'trailers',
      'grpc-timeout': `${Math.max(1, Math.floor(opts.timeoutMs))}m`,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let headerStatus: string | undefined;
    let headerMessage: string | undefined;
    req.on('response', (h) => {
      headerStatus = h['grpc-status'] as string | undefined;
      headerMessage = h['grpc-message'] as string | undefined;
    });
    req.on('data', (d: Buffer) => {
      size += d.length;
      if (size > 64 * 1024 * 1024) return done(new GrpcError(8, 'response too large'));
      chunks.push(d);
    });
    req.on('trailers', (t) => {
      headerStatus = (t['grpc-status'] as string | undefined) ?? headerStatus;
      headerMessage = (t['grpc-message'] as string | undefined) ?? headerMessage;
    });
    req.on('end', () => {
      const code = Number(headerStatus ?? '0');
      if (code !== 0) return done(new GrpcError(code, decodeURIComponent(headerMessage ?? '')));
      const all = Buffer.concat(chunks);
      if (all.length < 5) return done(undefined, Buffer.alloc(0));
      const len = all.readUInt32BE(1);
      done(undefined, all.subarray(5, 5 + len));
    });
    req.on('error', (err) => done(new GrpcError(14, err.message)));
    req.end(Buffer.concat([frame, body]));
  });
}
