// Runs the test API server with a synthetic cluster in its own process (so its memory does not count against the
// scan being measured). Usage: node --import tsx test/kube-server/serve.ts '{"pods":5000,"events":50000}' DIR
// Prints one JSON line {"kubeconfig": ..., "url": ...} when ready; exits when stdin closes.
import { startKubeServer } from './server.js';
import { syntheticCluster, type SyntheticOptions } from './synthetic.js';

const opts = JSON.parse(process.argv[2] ?? '{}') as SyntheticOptions;
const dir = process.argv[3] ?? '.';
const server = await startKubeServer({
  virtual: syntheticCluster({
    pods: opts.pods ?? 5000,
    events: opts.events ?? 50_000,
    failEvery: opts.failEvery,
    namespaces: opts.namespaces,
  }),
});
const kubeconfig = server.writeKubeconfig(dir);
process.stdout.write(`${JSON.stringify({ kubeconfig, url: server.url })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void server.close().then(() => process.exit(0));
});
