// HTTP(S) requests with strict bounds (time, body size, redirects) for registry API probes. Built on undici.
export interface HttpRequest {
  url: string;
  method?: 'GET' | 'HEAD' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Bodies beyond this are cut (and `truncated` set). Default 1 MiB. */
  maxBodyBytes?: number;
  /** TLS options for https URLs. Default: verification off (probes judge certificates themselves). */
  tls?: {
    rejectUnauthorized?: boolean;
    ca?: string[];
    cert?: string;
    key?: string;
    servername?: string;
  };
  /** Proxy URL to go through, as the runtime would. */
  proxy?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
  truncated: boolean;
  url: string;
  durationMs: number;
}

export type HttpErrorKind = 'timeout' | 'refused' | 'dns' | 'tls' | 'reset' | 'protocol' | 'aborted' | 'other';

export type HttpResult =
  { ok: true; response: HttpResponse } | { ok: false; error: { kind: HttpErrorKind; code?: string; message: string }; durationMs: number };

export interface HttpAdapter {
  request(req: HttpRequest): Promise<HttpResult>;
}
