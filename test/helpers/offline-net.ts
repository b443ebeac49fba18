// A network that answers nothing: every name fails to resolve and every connection is refused (node-side tests that
// must never reach a registry).
import type { NetAdapter } from '../../src/adapters/net.js';

export const OFFLINE: NetAdapter = {
  lookup: async (hostname) => ({
    ok: false,
    error: 'not-found',
    code: 'ENOTFOUND',
    message: `lookup ${hostname}: no such host`,
    durationMs: 0,
  }),
  connect: async () => ({ ok: false, error: 'refused', code: 'ECONNREFUSED', message: 'connection refused', durationMs: 0 }),
};
