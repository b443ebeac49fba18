// The regdoctor CLI run from the sources (node --import tsx test/kube-server/regdoctor-src.ts …): what the simulated
// kubelet runs for a pod whose command is `regdoctor` (dist/ is rebuilt by concurrent test runs; the sources are not).
import { run } from '../../src/cli/main.js';

await run(process.argv.slice(2));
