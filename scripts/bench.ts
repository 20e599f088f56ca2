/**
 * `npm run bench`: engine throughput and memory, printed as figures (not asserted).
 * - propagated commands per second with one and with three replicas (all online, streaming);
 * - heap after a million writes (the backlog is bounded, so memory must be too).
 */
import { Simulation } from '../src/engine/sim';

function cluster(replicas: number): Simulation {
  const sim = new Simulation({ seed: 1 });
  sim.addServer('master', '10.0.0.1', 6379);
  for (let i = 1; i <= replicas; i++) {
    sim.addServer(`replica${i}`, `10.0.0.${i + 1}`, 6379);
    sim.exec(`replica${i}`, ['REPLICAOF', 'master', '6379']);
  }
  sim.advance(7000);
  return sim;
}

function throughput(replicas: number, n: number): number {
  const sim = cluster(replicas);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    sim.exec('master', ['SET', `key:${i % 1000}`, `value-${i}`]);
    if (i % 100 === 99) sim.advance(1); // let the stream reach the replicas
  }
  sim.advance(1000);
  const secs = (performance.now() - t0) / 1000;
  const m = sim.server('master').master_repl_offset;
  for (let i = 1; i <= replicas; i++) {
    if (sim.server(`replica${i}`).master_repl_offset !== m)
      throw new Error('replica did not keep up');
  }
  return n / secs;
}

const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(1)} MB`;
const gc = (globalThis as { gc?: () => void }).gc;

console.log('Resync Lab engine benchmark (node ' + process.version + ')');
for (const r of [1, 3]) {
  throughput(r, 20_000); // warm-up
  const ops = throughput(r, 200_000);
  console.log(
    `  throughput, ${r} replica${r > 1 ? 's' : ' '}: ${Math.round(ops).toLocaleString('en')} propagated commands/s`,
  );
}

{
  const sim = cluster(1);
  gc?.();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 1_000_000; i++) {
    sim.exec('master', ['SET', `key:${i % 10_000}`, `value-${i}`]);
    if (i % 1000 === 999) sim.advance(1);
  }
  sim.advance(1000);
  gc?.();
  const after = process.memoryUsage().heapUsed;
  const m = sim.server('master');
  console.log(
    `  memory after 1,000,000 writes: heap ${mb(after)} (grew ${mb(after - before)}); backlog histlen ${m.backlog!.histlen} bytes of repl-backlog-size ${m.config['repl-backlog-size']}, ${m.buffer.entries.length} entries kept`,
  );
}

// What a browser downloads to show the app: a production build into a temporary directory, and
// every script, module preload and stylesheet its index.html names, raw and gzipped (the example
// deck, its fonts and anything loaded later are not part of it).
{
  const { build } = await import('vite');
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { gzipSync } = await import('node:zlib');
  const outDir = mkdtempSync(join(tmpdir(), 'resync-lab-bench-'));
  try {
    await build({ logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    const names = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.(?:js|css))"/g)].map(
      (m) => m[1]!,
    );
    const files = [...new Set(names)].map((f) => {
      const bytes = readFileSync(join(outDir, f));
      return { f, raw: bytes.length, gz: gzipSync(bytes).length };
    });
    const kb = (b: number): string => `${(b / 1024).toFixed(1)} kB`;
    const sum = (k: 'raw' | 'gz', ext = '') =>
      files.filter((x) => x.f.endsWith(ext)).reduce((a, x) => a + x[k], 0);
    console.log(
      `  first load: ${kb(sum('raw'))} (${kb(sum('gz'))} gzipped) in ${files.length} files; JavaScript ${kb(sum('gz', '.js'))} gzipped (target: 150 kB)`,
    );
    for (const x of files.sort((a, b) => b.raw - a.raw))
      console.log(
        `    ${x.f.replace(/^assets\//, '').replace(/-[\w-]{8}\./, '.')}: ${kb(x.raw)} (${kb(x.gz)} gzipped)`,
      );
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

// Time travel: one hour of simulated class (the replica's network stopped for 90 s every 10
// minutes) with a write every 5 s, and again with two writes a second; then the store shows nine
// moments of it again: from the latest checkpoint before the moment, replaying what came after it
// (src/store/timeline.ts). For comparison, the same seeks replaying the whole run from the scene.
// The store is loaded through Vite (it lists the lessons with import.meta.glob).
{
  const { createServer } = await import('vite');
  const server = await createServer({
    logLevel: 'silent',
    appType: 'custom',
    server: { middlewareMode: true, hmr: false },
  });
  try {
    const mod = (await server.ssrLoadModule(
      '/src/store/index.ts',
    )) as typeof import('../src/store');
    const HOUR = 3_600_000;
    const seekTimes = (everyMs: number, checkpointEveryMs?: number) => {
      const store = mod.createLabStore({ autoplay: false, checkpointEveryMs });
      const s = () => store.getState();
      let writes = 0;
      for (let t = everyMs; t <= HOUR; t += everyMs) {
        s().advance(t - s().getNow());
        s().applyStatement(`master SET key:${writes % 50} "valor ${writes}"`);
        writes++;
        if (t % 600_000 === 0) s().applyStatement('net replica1 stop');
        if (t % 600_000 === 90_000) s().applyStatement('net replica1 start');
      }
      const times: number[] = [];
      for (const target of [
        600_000, 3_000_000, 1_800_000, 95_000, 3_590_000, 2_222_222, 1_234_567, 45_000, 3_599_999,
      ]) {
        const t0 = performance.now();
        s().seekTo(target);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      return { writes, median: times[4]!, max: times[8]! };
    };
    for (const everyMs of [5_000, 500]) {
      const r = seekTimes(everyMs);
      const scene = seekTimes(everyMs, Number.MAX_SAFE_INTEGER);
      console.log(
        `  time travel in a one-hour run (${r.writes} writes, 6 cuts): median ${r.median.toFixed(1)} ms, max ${r.max.toFixed(1)} ms to show a moment again (target: 50 ms); from the scene without checkpoints: median ${scene.median.toFixed(0)} ms`,
      );
    }
  } finally {
    await server.close();
  }
}
