/**
 * Properties over random scripts on three servers, in both dialects (7.0 and 5.0), with random
 * latency and bandwidth: writes (alone, in MULTI/EXEC, in other databases), reads, cuts (reset or
 * silent), restores, waits, promotions (REPLICAOF NO ONE, then every other server re-pointed),
 * re-pointing a replica (chains), restarts of replicas and of the master, and CONFIG SET of
 * repl-backlog-size. The model below knows only what the script did; everything else is checked
 * against it or against Redis's invariants.
 */
import { dialectOf, VERSIONS } from './dialect';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SimEvent } from './events';
import { replicationFields } from './info';
import { dumpKeyspace } from './keyspace';
import { Simulation } from './sim';

import type { Version } from './types';
const NODES = ['n0', 'n1', 'n2'] as const;
const ZERO_ID = '0'.repeat(40);
// A block of the 7.0 shared replication buffer, for writes under 16 KiB: Redis asks jemalloc for
// 16 KiB + the 40-byte replBufBlock header = 16424 bytes; jemalloc's size classes between 16 KiB
// and 32 KiB are 4 KiB apart (20 KiB, 24 KiB, …), so it gets 20480 and 20480 - 40 = 20440 bytes
// hold data (observed on redis-server 7.0.15 with jemalloc 5.3.0: mem_total_replication_buffers).
const BLOCK = 20480 - 40;
// repl-timeout: short, so silent cuts are noticed within a script, but above the 5 s diskless
// delay + 1 s of cron phase. Known engine bug (sim.exact.test.ts, "known engine bugs (7.0)"): no
// newline keep-alive to replicas waiting for the BGSAVE, so with 5 s a handshake can time out
// before +FULLRESYNC, forever.
const TIMEOUT_S = 10;
/** Scripts per run; PROPERTY_RUNS=2000 for a long hunt. */
const RUNS = Number(process.env['PROPERTY_RUNS'] ?? 120);
// Known engine limitation found by PROPERTY_SEED=random (src/test-setup.ts pins the seed
// otherwise): fast-check seed 349940531, path
// 5:0:0:2:2:3:2:4:3:3:3:3:3:4:3:3:4:3:4:5:6:7:6:6:6:8:6:8:7:6:8:11:10:14:17:17:17:17:17:18:18:18,
// under 5.0. `down silent` on the master while it sends a replica its RDB and the writes made
// meanwhile drops those packets for good (the model README's differences describe), so after the
// restore that replica stays short of the master (933 vs 1752) with its link up: real TCP would
// retransmit them.

interface Config {
  version: Version;
  seed: number;
  latencyMs: number;
  bytesPerSec: number | null;
  backlog: number;
}

type Op =
  | { k: 'write'; cmd: string[] }
  | { k: 'multi'; cmds: string[][]; abort: boolean }
  | { k: 'select'; db: number }
  | { k: 'read'; key: string }
  | { k: 'cut'; node: number; silent: boolean }
  | { k: 'restore'; node: number }
  | { k: 'wait'; ms: number }
  | { k: 'promote'; node: number }
  | { k: 'repoint'; node: number; to: number }
  | { k: 'restart'; node: number }
  | { k: 'backlog'; node: number; size: number }
  | { k: 'settle' };

const key = fc.constantFrom('a', 'b', 'curso:4', 'ñandú', '日本');
const val = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('x', 'introducción', '🚀', '42', '1.5') },
  { weight: 4, arbitrary: fc.string({ maxLength: 300 }) },
  // Big enough that a 16 KiB backlog fills and trims within a script.
  { weight: 1, arbitrary: fc.integer({ min: 500, max: 4000 }).map((n) => 'v'.repeat(n)) },
);
const write = fc.oneof(
  fc.tuple(key, val).map(([k, v]) => ['SET', k, v]),
  fc
    .tuple(key, val, fc.integer({ min: 1, max: 50 }))
    .map(([k, v, s]) => ['SET', k, v, 'EX', String(s)]),
  key.map((k) => ['INCR', `n:${k}`]),
  fc.tuple(key, fc.constantFrom('1.5', '-0.25', '3')).map(([k, x]) => ['INCRBYFLOAT', `f:${k}`, x]),
  fc.tuple(key, val).map(([k, v]) => ['APPEND', `s:${k}`, v]),
  fc.tuple(key, val).map(([k, v]) => ['HSET', `h:${k}`, 'f', v, 'g', 'x']),
  fc.tuple(key, val).map(([k, v]) => ['RPUSH', `l:${k}`, v]),
  fc.tuple(key, val).map(([k, v]) => ['SADD', `z:${k}`, v]),
  key.map((k) => ['DEL', k]),
  key.map((k) => ['EXPIRE', k, '30']),
  key.map((k) => ['LPOP', `l:${k}`]),
  key.map((k) => ['INCR', `s:${k}`]), // ERR not an integer, when s:k holds text: no effect
  key.map((k) => ['LPUSH', k, 'x']), // WRONGTYPE when k holds a string
);
const node = fc.integer({ min: 0, max: 2 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 12, arbitrary: write.map((cmd) => ({ k: 'write' as const, cmd })) },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('multi' as const),
      cmds: fc.array(write, { minLength: 1, maxLength: 4 }),
      abort: fc.nat(5).map((n) => n === 0), // a queued unknown command: EXECABORT, nothing runs
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('select' as const), db: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('read' as const), key }) },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant('cut' as const), node, silent: fc.boolean() }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('restore' as const), node }) },
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('wait' as const),
      ms: fc.integer({ min: 1, max: 12_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('promote' as const), node }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('repoint' as const), node, to: node }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('restart' as const), node }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('backlog' as const),
      node,
      size: fc.constantFrom(16384, 65536, 1048576),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ k: 'settle' as const }) },
);
const config: fc.Arbitrary<Config> = fc.record({
  version: fc.constantFrom<Version>(...VERSIONS),
  seed: fc.integer({ min: 1, max: 1e6 }),
  latencyMs: fc.constantFrom(0.5, 5, 40),
  bytesPerSec: fc.constantFrom<number | null>(null, 1_000_000, 200_000),
  backlog: fc.constantFrom(16384, 65536, 1048576),
});

const field = (sim: Simulation, name: string, f: string): string =>
  replicationFields(sim.state, sim.server(name)).find(([k]) => k === f)?.[1] ?? '';

/**
 * The script's world: the topology the script set up, and the top master's history — its dataset
 * at every offset it passed through, by replication ID — against which every replica is checked.
 */
class World {
  readonly sim: Simulation;
  /** Each server's upstream, as the script's REPLICAOFs set it; null for the master. */
  readonly upstream: Record<string, string | null> = { n0: null, n1: 'n0', n2: 'n0' };
  readonly backlogSize: Record<string, number> = {};
  /** replid → offset → the master's dataset (as JSON) when its offset was that. */
  private readonly history = new Map<string, Map<number, string>>();
  /** A replid that continues another one's history up to an offset (promotion, 7.0 restart). */
  private readonly continues = new Map<string, { parent: string; upTo: number }>();
  /** Servers whose offset went backwards, until the full resync that explains it. */
  private readonly backwards = new Map<string, number>();
  private lastArrival = 0;
  /** Whether the script wrote in a database other than 0 (see the restart case). */
  private otherDb = false;
  /** Whether the master got there by REPLICAOF NO ONE (see the active expiry check). */
  private promotedTop = false;
  readonly psyncs: Array<{ expected: boolean; got: boolean; what: string }> = [];
  quietPoints = 0;

  constructor(readonly cfg: Config) {
    this.sim = new Simulation({
      seed: cfg.seed,
      version: cfg.version,
      latencyMs: cfg.latencyMs,
      bytesPerSec: cfg.bytesPerSec,
    });
    for (const [i, n] of NODES.entries()) {
      this.sim.addServer(n, `10.0.0.${i + 1}`, 6379);
      this.backlogSize[n] = cfg.backlog;
      this.configure(n);
    }
    this.sim.subscribe((e) => this.onEvent(e));
    this.sim.exec('n1', ['REPLICAOF', 'n0', '6379']);
    this.sim.exec('n2', ['REPLICAOF', 'n0', '6379']);
  }

  /** The settings every server runs with (a restart loses CONFIG SET, so it is set again). */
  private configure(n: string): void {
    // One pair per CONFIG SET: Redis ≤ 6.2 takes no more.
    const settings: Array<[string, string]> = [
      ['repl-timeout', String(TIMEOUT_S)],
      ['repl-ping-replica-period', '3'], // below repl-timeout, or an idle link times out
      ['repl-backlog-size', String(this.backlogSize[n])],
    ];
    for (const [name, value] of settings)
      expect(this.sim.exec(n, ['CONFIG', 'SET', name, value])).toEqual({ t: 'status', v: 'OK' });
  }

  get top(): string {
    return NODES.find((n) => this.upstream[n] === null)!;
  }

  /** A dataset as compared: 5.0 sends relative TTLs (SET … EX, EXPIRE) that the replica starts
   * counting when it applies them, and INCRBYFLOAT as a plain SET (dropping the TTL on the
   * replica only), so in 5.0 TTLs differ by design and are left out. */
  dataset(n: string): string {
    const d = dumpKeyspace(this.sim.server(n).keyspace);
    return JSON.stringify(
      dialectOf(this.cfg.version).redisLine >= 7
        ? d
        : d.map((e) => ({ ...e, expireAt: undefined })),
    );
  }

  private record(replid: string, offset: number, data: string): void {
    let h = this.history.get(replid);
    if (!h) this.history.set(replid, (h = new Map()));
    h.set(offset, data);
  }

  private recordTop(): void {
    const s = this.sim.server(this.top);
    this.record(s.replid, s.master_repl_offset, this.dataset(this.top));
  }

  /** The master's dataset at this point of this history, if the master passed through it. */
  lookup(replid: string, offset: number): string | undefined {
    for (let id: string | undefined = replid, depth = 0; id && depth < 50; depth++) {
      const hit = this.history.get(id)?.get(offset);
      if (hit !== undefined) return hit;
      const c = this.continues.get(id);
      if (!c || offset > c.upTo) return undefined;
      id = c.parent;
    }
    return undefined;
  }

  private onEvent(e: SimEvent): void {
    switch (e.type) {
      case 'message':
        this.lastArrival = Math.max(this.lastArrival, e.arriveAt);
        return;
      case 'offset':
        if (e.after < e.before) this.backwards.set(e.server, e.at);
        if (e.server === this.top) this.recordTop();
        this.checkBacklog(e.server);
        return;
      case 'bgsave':
        // The RDB of a full sync is the dataset at the fork, at the +FULLRESYNC offset.
        if (e.phase === 'start' && e.server === this.top) this.recordTop();
        return;
      case 'resynced':
        // The offset went back in the same instant as the RDB it came with was loaded.
        if (e.kind === 'full' && this.backwards.get(e.replica) === e.at)
          this.backwards.delete(e.replica);
        return;
      case 'psync': {
        if (e.result === 'nomasterlink') return;
        // Redis's rule read from INFO, independently of the engine's own checks.
        const f = (n: string): string => field(this.sim, e.master, n);
        const first = Number(f('repl_backlog_first_byte_offset'));
        const histlen = Number(f('repl_backlog_histlen'));
        const idOk =
          e.replid === f('master_replid') ||
          (e.replid === f('master_replid2') && e.offset <= Number(f('second_repl_offset')));
        const inBacklog =
          f('repl_backlog_active') === '1' && e.offset >= first && e.offset <= first + histlen;
        this.psyncs.push({
          expected: idOk && inBacklog,
          got: e.result === 'continue',
          what: `${e.replica} → ${e.master}: PSYNC ${e.replid} ${e.offset} at ${e.at}`,
        });
        return;
      }
      default:
        return;
    }
  }

  /** Backlog invariants: its bytes end at master_repl_offset; 5.0 holds at most its size. */
  private checkBacklog(n: string): void {
    const s = this.sim.server(n);
    const b = s.backlog;
    if (!b) return;
    const size = s.config['repl-backlog-size'];
    expect(b.histlen).toBeGreaterThanOrEqual(0);
    if (b.histlen > 0) expect(b.offset + b.histlen - 1).toBe(s.master_repl_offset);
    else expect(b.offset).toBe(s.master_repl_offset + 1);
    if (dialectOf(this.cfg.version).backlog === 'ring') {
      expect(b.histlen).toBeLessThanOrEqual(size);
    } else {
      // A replica in the middle of a full sync pins the blocks from its +FULLRESYNC on.
      const pinned = s.slaves.some((r) => r.replstate !== 'online' || !r.streaming);
      if (!pinned) expect(b.histlen).toBeLessThanOrEqual(size + 2 * BLOCK);
    }
  }

  private downstreamOf(n: string): Set<string> {
    const out = new Set<string>([n]);
    for (let grew = true; grew;) {
      grew = false;
      for (const m of NODES)
        if (!out.has(m) && out.has(this.upstream[m] ?? '')) {
          out.add(m);
          grew = true;
        }
    }
    return out;
  }

  apply(o: Op): void {
    const sim = this.sim;
    const top = this.top;
    switch (o.k) {
      case 'write':
        sim.exec(top, o.cmd);
        break;
      case 'multi': {
        expect(sim.exec(top, ['MULTI'])).toEqual({ t: 'status', v: 'OK' });
        for (const c of o.cmds) sim.exec(top, c);
        if (o.abort) sim.exec(top, ['NOSUCHCOMMAND']);
        const r = sim.exec(top, ['EXEC']);
        if (o.abort) expect(r.t).toBe('error');
        else expect(r).toMatchObject({ t: 'array' });
        break;
      }
      case 'select':
        sim.exec(top, ['SELECT', String(o.db)]);
        if (o.db !== 0) this.otherDb = true;
        break;
      case 'read':
        sim.exec(top, ['GET', o.key]); // may expire it lazily (and propagate DEL)
        break;
      case 'cut':
        sim.setNet(NODES[o.node]!, false, o.silent);
        break;
      case 'restore':
        sim.setNet(NODES[o.node]!, true, false);
        break;
      case 'wait':
        sim.advance(o.ms);
        break;
      case 'promote': {
        const x = NODES[o.node]!;
        if (x === top) break;
        const before = sim.server(x);
        const [oldId, off] = [before.replid, before.master_repl_offset];
        const known = this.lookup(oldId, off);
        if (known !== undefined) expect(this.dataset(x)).toBe(known);
        expect(sim.exec(x, ['REPLICAOF', 'NO', 'ONE'])).toEqual({ t: 'status', v: 'OK' });
        // shiftReplicationId: the old history stays reachable as replid2, up to offset + 1.
        const s = sim.server(x);
        expect(s.replid2).toBe(oldId);
        expect(s.second_replid_offset).toBe(off + 1);
        expect(s.master_repl_offset).toBe(off);
        this.continues.set(s.replid, { parent: oldId, upTo: off });
        this.upstream[x] = null;
        this.promotedTop = true;
        for (const n of NODES) {
          if (n === x) continue;
          expect(sim.exec(n, ['REPLICAOF', x, '6379']).t).toBe('status');
          this.upstream[n] = x;
        }
        break;
      }
      case 'repoint': {
        const n = NODES[o.node]!;
        const to = NODES[o.to]!;
        if (n === top || this.downstreamOf(n).has(to)) break; // no second master, no cycle
        expect(sim.exec(n, ['REPLICAOF', to, '6379']).t).toBe('status');
        this.upstream[n] = to;
        break;
      }
      case 'restart': {
        const n = NODES[o.node]!;
        const before = sim.server(n);
        // Known engine bug (sim.exact.test.ts, "known engine bugs (7.0)"): a replica restarted
        // while its link is down saves repl-stream-db 0, not its cached master's db. Remove this
        // guard once it is fixed.
        if (this.otherDb && before.masterhost && !before.master) break;
        // A replica waiting for its sub-replicas' ACKs stops applying its master's writes, so the
        // RDB it saves holds the dataset of this moment.
        const data = this.dataset(n);
        sim.restart(n);
        // What the old process saved when it exited: a 7.0 master with lagging replicas first
        // sends REPLCONF GETACK * (37 bytes) and waits for their ACKs, so read it afterwards.
        const [oldId, off] = [before.replid, before.master_repl_offset];
        const applied = before.master?.reploff;
        this.configure(n);
        if (n === top) this.promotedTop = false;
        const s = sim.server(n);
        expect(this.dataset(n)).toBe(data); // SHUTDOWN SAVE, then load that RDB
        if (n !== top) {
          // A replica comes back with its own replid and applied offset, as a cached master.
          expect(s.replid).toBe(oldId);
          expect(s.master_repl_offset).toBe(applied ?? off);
        } else if (dialectOf(this.cfg.version).restartKeepsReplid) {
          // #8015: a fresh replid; the old one continues as replid2 up to offset + 1.
          expect(s.replid).not.toBe(oldId);
          expect(s.replid2).toBe(oldId);
          expect(s.second_replid_offset).toBe(off + 1);
          expect(s.master_repl_offset).toBe(off);
          this.continues.set(s.replid, { parent: oldId, upTo: off });
        } else {
          // 5.0 keeps no replication info on a master: offset 0, no backlog, no replid2.
          expect(s.replid2).toBe(ZERO_ID);
          expect(s.master_repl_offset).toBe(0);
          expect(s.backlog).toBeNull();
        }
        break;
      }
      case 'backlog': {
        const n = NODES[o.node]!;
        this.backlogSize[n] = o.size;
        sim.exec(n, ['CONFIG', 'SET', 'repl-backlog-size', String(o.size)]);
        expect(field(sim, n, 'repl_backlog_size')).toBe(String(o.size));
        break;
      }
      case 'settle':
        this.settle();
        break;
    }
    this.afterOp();
  }

  /** Checks after every step of the script. */
  afterOp(): void {
    const sim = this.sim;
    // An offset only goes back when a full resync loads an RDB of an older point.
    expect([...this.backwards.keys()]).toEqual([]);
    // The master's dataset changes only with its offset, once it has a backlog.
    const t = sim.server(this.top);
    const known = this.history.get(t.replid)?.get(t.master_repl_offset);
    if (t.backlog && known !== undefined) expect(this.dataset(this.top)).toBe(known);
    else this.recordTop();
    for (const n of NODES) {
      this.checkBacklog(n);
      const s = sim.server(n);
      if (!s.masterhost || s.repl_state !== 'connected') continue;
      // A connected replica has applied a prefix of its master's stream: its dataset is the
      // master's dataset at the replica's own offset.
      expect(field(sim, n, 'slave_repl_offset')).toBe(String(s.master_repl_offset));
      const want = this.lookup(s.replid, s.master_repl_offset);
      expect(want, `${n} at ${s.replid}:${s.master_repl_offset} is in the history`).toBeDefined();
      expect(this.dataset(n), `${n}'s dataset at offset ${s.master_repl_offset}`).toBe(want);
    }
  }

  /**
   * A quiet point: every link up long enough for every replica to be online again, nothing in
   * flight. Then every replica is at its master's offset, with its replid and its dataset.
   */
  settle(): void {
    const sim = this.sim;
    for (const n of NODES) sim.setNet(n, true, false);
    // repl-timeout, SYN retries and handshake timeouts, the 5 s diskless delay, a full sync.
    sim.advance(60_000);
    for (let i = 0; i < 100 && this.lastArrival >= sim.now; i++)
      sim.runUntil(this.lastArrival + 0.001);
    expect(this.lastArrival).toBeLessThan(sim.now);
    this.quietPoints++;
    const top = this.top;
    const m = sim.server(top);
    const data = this.dataset(top);
    expect(this.lookup(m.replid, m.master_repl_offset)).toBe(data);
    for (const n of NODES) {
      const s = sim.server(n);
      const children = NODES.filter((c) => this.upstream[c] === n);
      expect(field(sim, n, 'connected_slaves'), `${n}'s replicas`).toBe(String(children.length));
      for (const [i] of children.entries())
        expect(field(sim, n, `slave${i}`)).toContain('state=online');
      if (n === top) continue;
      expect(field(sim, n, 'master_link_status'), `${n}'s link`).toBe('up');
      expect(s.masterhost).toBe(sim.server(this.upstream[n]!).host);
      expect(s.replid).toBe(m.replid);
      expect(s.master_repl_offset).toBe(m.master_repl_offset);
      expect(this.lookup(s.replid, s.master_repl_offset)).toBe(data);
      expect(this.dataset(n), `${n}'s dataset`).toBe(data);
    }
    // Active expiry (10 Hz, and these few keys are all sampled) leaves no key on the master more
    // than 100 ms past its expiry time. Known engine bug (sim.exact.test.ts, "known engine bugs
    // (7.0)"): a promoted replica never expires keys actively; skip until it is fixed.
    const late = dumpKeyspace(m.keyspace).filter(
      (e) => e.expireAt !== null && e.expireAt < sim.wallMs() - 100,
    );
    if (!this.promotedTop) expect(late, 'expired keys still on the master').toEqual([]);
    // WAIT: every direct replica acks a new write one round trip later (GETACK, then ACK).
    const direct = NODES.filter((c) => this.upstream[c] === top).length;
    sim.exec(top, ['SET', 'wait:probe', String(this.quietPoints)]);
    const t0 = sim.now;
    const ticket = sim.submit(top, ['WAIT', String(direct), '1000']);
    while (sim.replyFor(ticket) === undefined && sim.step());
    expect(sim.replyFor(ticket)).toEqual({ t: 'int', v: direct });
    expect(sim.now - t0, 'WAIT returned before its timeout').toBeLessThan(1000);
    // One more than there are: the timeout, and the count.
    const more = sim.submit(top, ['WAIT', String(direct + 1), '300']);
    sim.advance(300);
    expect(sim.replyFor(more)).toEqual({ t: 'int', v: direct });
  }
}

describe('random scripts: writes, MULTI, cuts, waits, promotions, chains, restarts, backlog sizes', () => {
  it(
    'every connected replica holds the master’s dataset at its own offset; quiet points converge',
    () => {
      const seen = { partial: 0, full: 0, quiet: 0, versions: new Set<Version>() };
      fc.assert(
        fc.property(config, fc.array(op, { minLength: 15, maxLength: 45 }), (cfg, ops) => {
          const w = new World(cfg);
          for (const o of ops) w.apply(o);
          w.apply({ k: 'settle' });
          for (const d of w.psyncs) {
            expect(d.got, d.what).toBe(d.expected);
            seen[d.got ? 'partial' : 'full']++;
          }
          seen.quiet += w.quietPoints;
          seen.versions.add(cfg.version);
        }),
        { numRuns: RUNS },
      );
      // The random scripts exercised both outcomes of PSYNC and both dialects.
      expect(seen.partial).toBeGreaterThan(0);
      expect(seen.full).toBeGreaterThan(0);
      // Under every dialect the engine speaks.
      expect([...seen.versions].sort()).toEqual([...VERSIONS].sort());
    },
    Math.max(120_000, RUNS * 300),
  );
});
