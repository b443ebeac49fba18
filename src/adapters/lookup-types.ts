// What a name lookup returns and takes (net.ts's NetAdapter; resolve.ts produces them).
import type { GoLookupOrder } from './resolve-conf.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** How a name was resolved, as containerd's Go resolver would: its own resolver (/etc/hosts, then resolv.conf's
 *  servers), or libc's getaddrinfo when the node's configuration makes Go defer to it (net/conf.go lookupOrder). */
export type ResolverVia =
  | { resolver: 'go'; order: Exclude<GoLookupOrder, 'cgo'>; source: 'hosts' | 'dns' | 'none'; servers: string[] }
  | { resolver: 'libc'; reason: string };

export type LookupResult =
  | { ok: true; addresses: ResolvedAddress[]; durationMs: number; via?: ResolverVia }
  | {
      ok: false;
      error: 'not-found' | 'timeout' | 'failure';
      code: string;
      message: string;
      durationMs: number;
      /** Go's *net.DNSError text for this failure ("lookup H on 10.0.0.2:53: no such host", "lookup H: no such
       *  host" from libc or /etc/hosts alone), when it is known; a dialer error is "dial tcp: " + it. */
      goError?: string;
      via?: ResolverVia;
    };

export interface NetOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** The runtime's environment when known: GODEBUG=netdns, LOCALDOMAIN, RES_OPTIONS, HOSTALIASES steer Go's resolver. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The runtime's Go version: which resolv.conf options its resolver knows. */
  goVersion?: string;
}
