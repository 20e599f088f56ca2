/**
 * `npm run soak [-- --minutes N --seed S --heap-margin-mb MB]`: drives a headless store through N simulated
 * minutes of classroom use (default 60), checking the invariants of scripts/soak/drive.ts at every
 * step, the heap every 10 simulated minutes, and prints a summary. Exit status 1 on a failure,
 * with the seed that replays it. The store is loaded through Vite (it reads the lesson catalog),
 * as `npm run bench` does.
 */
import { parseArgs } from 'node:util';
import { createServer } from 'vite';
import type { SoakReport } from './soak/drive';

/**
 * By default the heap may grow this much over the second half of the run: a classroom's writes
 * keep a few thousand statements more, not tens of megabytes (`--heap-margin-mb` overrides).
 */
const DEFAULT_HEAP_MARGIN_MB = 24;

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '60' },
    seed: { type: 'string', default: '1' },
    'heap-margin-mb': { type: 'string', default: String(DEFAULT_HEAP_MARGIN_MB) },
  },
});
const HEAP_MARGIN_MB = Number(values['heap-margin-mb']);
const minutes = Number(values.minutes);
const seed = Number(values.seed);
if (!(minutes > 0) || !Number.isInteger(seed) || !(HEAP_MARGIN_MB >= 0)) {
  console.error('usage: npm run soak -- [--minutes N] [--seed INTEGER] [--heap-margin-mb MB]');
  process.exit(2);
}

const gc = (globalThis as { gc?: () => void }).gc;
const server = await createServer({
  logLevel: 'silent',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false },
});
let report: SoakReport | null = null;
let failure: unknown = null;
const t0 = performance.now();
try {
  const store = (await server.ssrLoadModule(
    '/src/store/index.ts',
  )) as typeof import('../src/store');
  const { runSoak } = (await server.ssrLoadModule(
    '/scripts/soak/drive.ts',
  )) as typeof import('./soak/drive');
  console.log(
    `soak: ${minutes} simulated minutes, seed ${seed}${gc ? '' : ' (no --expose-gc: heap figures are approximate)'}`,
  );
  report = runSoak(store.createLabStore, {
    minutes,
    seed,
    log: (line) => console.log(line),
    gc,
    heap: () => process.memoryUsage().heapUsed,
    heapMarginMb: HEAP_MARGIN_MB,
  });
} catch (e) {
  failure = e;
} finally {
  await server.close();
}
const secs = ((performance.now() - t0) / 1000).toFixed(1);
if (failure || !report) {
  console.error(`\nsoak FAILED after ${secs} s (seed ${seed}):`);
  console.error(failure instanceof Error ? failure.message : String(failure));
  process.exit(1);
}
const r = report;
console.log(`\nsoak passed in ${secs} s of wall time (seed ${seed})`);
console.log(`  simulated:     ${r.simulatedMinutes.toFixed(1)} min, ${r.statements} statements`);
console.log(
  `  actions:       ${Object.entries(r.actions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}`,
);
console.log(
  `  quiet points:  ${r.quietPoints}, all converged (slowest in ${(r.slowestConvergeMs / 1000).toFixed(0)} simulated s)`,
);
console.log(`  heap (MB):     ${r.heapMb.map((x) => x.toFixed(1)).join(' → ')}`);
if (r.heapSecondHalfMb !== null)
  console.log(
    `  second half:   ${r.heapSecondHalfMb >= 0 ? '+' : ''}${r.heapSecondHalfMb.toFixed(1)} MB (allowed ${HEAP_MARGIN_MB} MB)`,
  );
