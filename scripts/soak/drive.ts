/**
 * The soak run: a headless store driven through simulated classroom use, chosen by a seeded
 * PRNG — writes at a classroom rate, cuts of every kind and their restores, restarts, failovers,
 * replicas added and removed, hostile console lines, the timeline scrubbed back and forward —
 * with its invariants checked at every step:
 *
 * - nothing throws, and a write to the top master is accepted;
 * - a scrub back and forward again shows the run exactly as it was;
 * - at each quiet point (every cut restored, the topology whole, enough simulated time) every
 *   replica is online at its top master's offset with its keys, within a bounded time;
 * - the heap, sampled every 10 simulated minutes, levels off: the second half of the run grows
 *   it by less than the stated margin.
 *
 * `npm run soak` runs an hour (scripts/soak.ts); scripts/soak/soak.test.ts runs ten minutes.
 */
import type { CreateOptions, LabStore, ServerView } from '../../src/store';
import { installOnDemandCode } from '../../src/engine/dialect';
import * as onDemand from '../../src/engine/onDemand';
import { mulberry32 } from '../conformance/gen';

export interface SoakOptions {
  /** Simulated minutes of classroom use. */
  readonly minutes: number;
  readonly seed: number;
  /** Called with each line of the report as it is made. */
  readonly log?: (line: string) => void;
  /** Runs a full garbage collection (node --expose-gc), for exact heap figures. */
  readonly gc?: () => void;
  /** Heap in bytes now (process.memoryUsage().heapUsed). */
  readonly heap?: () => number;
  /** Allowed heap growth over the run's second half, in MB. */
  readonly heapMarginMb?: number;
}

export interface SoakReport {
  readonly seed: number;
  readonly simulatedMinutes: number;
  readonly actions: Readonly<Record<string, number>>;
  readonly quietPoints: number;
  /** The longest a quiet point took to converge, in simulated ms. */
  readonly slowestConvergeMs: number;
  /** Heap used (MB) at each 10 simulated minutes, the start first. */
  readonly heapMb: readonly number[];
  readonly heapSecondHalfMb: number | null;
  readonly statements: number;
}

/** A soak invariant that did not hold: what, at which step, with the seed to replay it. */
export class SoakFailure extends Error {
  override name = 'SoakFailure';
}

const MINUTE = 60_000;
/** The longest a quiet point may take to converge: timeouts, reconnects, a full sync at 1 kB/s. */
const CONVERGE_WITHIN_MS = 10 * MINUTE;
/** Simulated time between two quiet points. */
const QUIET_EVERY_MS = 5 * MINUTE;

/** Lines a student may type by mistake or out of curiosity (the answers are not checked here). */
const CURIOUS = [
  'INFO replication',
  'ROLE',
  'show log master',
  'GET "unbalanced',
  'FOO bar',
  'KEYS *',
  'SET',
  '',
  'EVAL "return 1" 0',
  'GET <img src=x onerror=alert(1)>',
  'WAIT 1 50',
];

/** The first place two JSON values differ, as a path and both values. */
function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (JSON.stringify(a) === JSON.stringify(b)) return '';
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDifference(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        `${path}/${k}`,
      );
      if (d) return d;
    }
  }
  return `${path}: ${JSON.stringify(a)?.slice(0, 300)} then ${JSON.stringify(b)?.slice(0, 300)}`;
}

export function runSoak(
  createLabStore: (opts: CreateOptions) => LabStore,
  opts: SoakOptions,
): SoakReport {
  // The soak types HSET: the data-type commands' code is here from the start, as in a browser
  // that has painted (the store holds a statement back while it loads).
  installOnDemandCode(onDemand);
  const rand = mulberry32(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const chance = (p: number): boolean => rand() < p;
  const log = opts.log ?? (() => {});
  const store = createLabStore({ autoplay: false, seed: opts.seed });
  const s = () => store.getState();
  const actions: Record<string, number> = {};
  const trail: string[] = [];
  let driven = 0;
  let writes = 0;
  let quietPoints = 0;
  let slowest = 0;
  const heapMb: number[] = [];
  /** When each cut server's cut began (driven time), and how long it lasts. */
  const cuts = new Map<string, number>();

  const fail = (what: string): never => {
    throw new SoakFailure(
      `${what}\n  at simulated ${(s().getNow() / 1000).toFixed(3)} s (driven ${(driven / 1000).toFixed(0)} s), seed ${opts.seed}\n  last actions: ${trail.slice(-8).join(' | ')}`,
    );
  };
  const act = (name: string, fn: () => void): void => {
    actions[name] = (actions[name] ?? 0) + 1;
    trail.push(`${name}@${Math.round(s().getNow())}`);
    if (trail.length > 50) trail.shift();
    try {
      fn();
    } catch (e) {
      if (e instanceof SoakFailure) throw e;
      fail(`${name} threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  };
  const servers = (): readonly ServerView[] => s().servers;
  const root = (): ServerView => {
    const v = servers().find((x) => x.name === s().mainMaster);
    return v ?? fail(`no view of the top master '${s().mainMaster}'`);
  };
  const replicas = (): ServerView[] => servers().filter((x) => x.name !== s().mainMaster);
  const advance = (ms: number): void => {
    s().advance(ms);
    driven += ms;
  };
  const sampleHeap = (): void => {
    if (!opts.heap) return;
    opts.gc?.();
    const mb = opts.heap() / 1024 / 1024;
    heapMb.push(mb);
    log(
      `  heap at ${heapMb.length === 1 ? 'start' : `${(heapMb.length - 1) * 10} min`}: ${mb.toFixed(1)} MB (${s().history.length} statements)`,
    );
  };

  function write(): void {
    const n = ++writes;
    const k = n % 300;
    const cmd = pick([
      `SET key:${k} "valor ${n}"`,
      `SET key:${k} "valor ${n}"`,
      `INCR visitas:${n % 20}`,
      `HSET ficha:${n % 50} nombre "Curso de introducción ${n}" duration ${n % 90}`,
      `RPUSH alumnos a${n}`,
      'LTRIM alumnos -50 -1',
      `DEL key:${(k + 7) % 300}`,
      `EXPIRE key:${(k + 13) % 300} 30`,
      `SADD grupo:${n % 5} ana luis marta ñandú`,
    ]);
    const r = s().consoleSubmit(root().name, cmd);
    if (!r.ok) fail(`the write '${cmd}' on ${root().name} was refused: ${r.lines.join(' / ')}`);
  }

  function cut(): void {
    const candidates = servers().filter((x) => x.net === 'up');
    if (candidates.length === 0) return;
    const v = pick(candidates);
    const how = pick(['stop', 'down', 'silent'] as const);
    act(`cut:${how}`, () => {
      if (how === 'stop') s().cutNetwork(v.name);
      else if (how === 'down') s().resetConnection(v.name);
      else s().applyStatement(`net ${v.name} down silent`);
      // Restored after a few seconds (TCP retransmits) up to past repl-timeout (a resync).
      cuts.set(v.name, driven + pick([3_000, 10_000, 30_000, 75_000, 150_000]));
    });
  }

  function restoreDue(all: boolean): void {
    for (const v of servers()) {
      const due = cuts.get(v.name);
      const cutNow = v.net !== 'up';
      if (!cutNow) cuts.delete(v.name);
      else if (all || due === undefined || driven >= due) {
        act('restore', () => s().restoreNetwork(v.name));
        cuts.delete(v.name);
      }
    }
  }

  function failover(): void {
    const candidates = replicas().filter((x) => x.role === 'replica');
    if (candidates.length === 0) return;
    const x = pick(candidates);
    act('failover', () => {
      s().promote(x.name);
      for (const other of servers())
        if (other.name !== x.name) s().consoleSubmit(other.name, `REPLICAOF ${x.host} ${x.port}`);
    });
  }

  /**
   * What a scrub must show again exactly: the server views and their logs. INFO is left out: its
   * "seconds ago" fields are computed when a view is rebuilt, and the store rebuilds views only
   * when the engine changed, so an idle view may show an older count.
   */
  const exactView = (): string =>
    JSON.stringify({ servers: s().servers.map(({ info: _info, ...v }) => v), logs: s().logs });

  /** Back to a moment of the run, and forward to its end again: the same views, exactly. */
  function scrub(): void {
    const horizon = Math.max(s().horizon, s().getNow());
    const target = Math.floor(rand() * horizon);
    const before = exactView();
    const stmts = s().history.length;
    act('scrub:back', () => s().seekTo(target));
    if (s().getNow() > target + 1) fail(`seekTo(${target}) left the run at ${s().getNow()}`);
    if (chance(0.75)) {
      act('scrub:forward', () => s().seekTo(horizon));
      if (s().getNow() !== horizon) fail(`seekTo(${horizon}) left the run at ${s().getNow()}`);
      if (s().history.length !== stmts) fail('a scrub back and forward lost statements');
      const after = exactView();
      if (after !== before)
        fail(
          `the run at ${horizon} ms looks different after a scrub back to ${target} ms: ${firstDifference(JSON.parse(before), JSON.parse(after))}`,
        );
    } else {
      // Acting from the past: a new future from there (the old one is dropped).
      actions['scrub:new-future'] = (actions['scrub:new-future'] ?? 0) + 1;
      cuts.clear();
    }
  }

  /** Every cut restored, one topology, then time until every replica is at its master's offset. */
  function quietPoint(): void {
    restoreDue(true);
    act('quiet', () => {
      const top = root();
      for (const v of servers())
        if (v.name !== top.name && v.role === 'master')
          s().consoleSubmit(v.name, `REPLICAOF ${top.host} ${top.port}`);
    });
    const start = driven;
    for (;;) {
      advance(5_000);
      const top = root();
      const lagging = replicas().filter(
        (r) => r.link !== 'online' || r.offset !== top.offset || r.net !== 'up',
      );
      const now = s().getNow();
      // What goes up to a master (the replicas' ACKs, each second) does not change a dataset.
      const toReplicas = s().messages.filter(
        (m) => m.arriveAt > now && m.droppedAt === null && m.to !== top.name,
      );
      const inFlight = toReplicas.length > 0;
      if (lagging.length === 0 && !inFlight) break;
      if (driven - start > CONVERGE_WITHIN_MS)
        fail(
          `no convergence within ${CONVERGE_WITHIN_MS / MINUTE} min: ${lagging.map((r) => `${r.name} link=${r.link} offset=${r.offset} (master ${top.offset})`).join(', ')}${inFlight ? `; still on the wires: ${toReplicas.map((m) => `${m.from}→${m.to} ${m.label}`).join(', ')}` : ''}`,
        );
    }
    // Nothing in flight: the datasets are the master's.
    const top = root();
    for (const r of replicas()) {
      if (r.offset !== top.offset) fail(`${r.name} at ${r.offset}, master at ${top.offset}`);
      if (JSON.stringify(r.keys) !== JSON.stringify(top.keys))
        fail(`${r.name}'s keys differ from ${top.name}'s at offset ${top.offset}`);
    }
    slowest = Math.max(slowest, driven - start);
    quietPoints++;
  }

  sampleHeap();
  const end = opts.minutes * MINUTE;
  let nextQuiet = QUIET_EVERY_MS;
  let nextHeap = 10 * MINUTE;
  while (driven < end) {
    // One simulated second of class: a few writes at random moments, now and then an event.
    let used = 0;
    const n = pick([0, 1, 1, 2, 2, 3, 4]);
    for (let i = 0; i < n; i++) {
      const at = Math.floor(rand() * (1000 - used));
      advance(at);
      used += at;
      act('write', write);
    }
    advance(1000 - used);
    restoreDue(false);
    if (chance(1 / 45)) cut();
    if (chance(1 / 240)) act('restart', () => s().restartServer(pick(servers()).name));
    if (chance(1 / 600)) failover();
    if (chance(1 / 300) && replicas().length < 3) act('add-replica', () => s().addReplica());
    if (chance(1 / 400) && replicas().length > 1)
      act('remove-replica', () => {
        const r = pick(replicas());
        cuts.delete(r.name);
        s().removeReplica(r.name);
      });
    if (chance(1 / 180)) scrub();
    if (chance(1 / 60))
      act('console', () => s().consoleSubmit(pick(servers()).name, pick(CURIOUS)));
    if (driven >= nextQuiet) {
      quietPoint();
      nextQuiet += QUIET_EVERY_MS;
    }
    if (driven >= nextHeap) {
      sampleHeap();
      nextHeap += 10 * MINUTE;
    }
  }
  quietPoint();

  let heapSecondHalfMb: number | null = null;
  if (heapMb.length >= 3) {
    const mid = heapMb[Math.floor((heapMb.length - 1) / 2)]!;
    heapSecondHalfMb = heapMb[heapMb.length - 1]! - mid;
    const margin = opts.heapMarginMb;
    if (margin !== undefined && heapSecondHalfMb > margin)
      fail(
        `the heap grew ${heapSecondHalfMb.toFixed(1)} MB over the second half (allowed ${margin} MB): ${heapMb.map((x) => x.toFixed(1)).join(' → ')}`,
      );
  }
  return {
    seed: opts.seed,
    simulatedMinutes: driven / MINUTE,
    actions,
    quietPoints,
    slowestConvergeMs: slowest,
    heapMb,
    heapSecondHalfMb,
    statements: s().history.length,
  };
}
