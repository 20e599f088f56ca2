// Mutation testing of the replication modules (`npm run mutate`; not in CI: it takes a while).
// Reports and the sandbox go to a temporary folder, never into the working tree.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = process.env.STRYKER_OUT ?? join(tmpdir(), 'resync-lab-stryker');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts' },
  coverageAnalysis: 'perTest',
  mutate: [
    'src/engine/psync.ts',
    'src/engine/backlog.ts',
    'src/engine/master.ts',
    'src/engine/feed.ts',
    'src/engine/replica.ts',
    'src/engine/replicaSync.ts',
    'src/engine/cachedMaster.ts',
    'src/engine/wait.ts',
    'src/engine/cron.ts',
  ],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: join(out, 'mutation.html') },
  jsonReporter: { fileName: join(out, 'mutation.json') },
  tempDirName: join(out, 'sandbox'),
  cleanTempDir: 'always',
  concurrency: 2,
  timeoutMS: 20000,
  thresholds: { high: 90, low: 85, break: null },
};
