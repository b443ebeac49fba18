// The Node.js globals the sources use (kept here so the lint config needs no extra package).
export default Object.fromEntries(
  [
    'process', 'Buffer', 'console', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate',
    'clearImmediate', 'queueMicrotask', 'structuredClone', 'URL', 'URLSearchParams', 'AbortController', 'AbortSignal',
    'TextDecoder', 'TextEncoder', 'performance', 'fetch', 'NodeJS', 'globalThis', 'WeakRef', 'Intl',
  ].map((name) => [name, 'readonly']),
);
