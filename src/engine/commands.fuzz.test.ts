/**
 * Fuzzing the engine's command path (Simulation.exec, as the consoles and lab scripts reach it)
 * with random commands and hostile arguments on a master with a replica: every command answers
 * with a RESP reply, an error is worded as Redis words one (an upper-case code first), nothing
 * throws, and once the link has had time to carry the stream the replica has the master's
 * offset and dataset. Seeds are printed by fast-check on failure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyArg, hostileText } from '../lab/hostile.testing';
import { dialectOf, VERSIONS } from './dialect';
import { dumpKeyspace } from './keyspace';
import type { Reply } from './reply';
import { Simulation } from './sim';
import { WAIT_MAX_MS } from './wait';
import type { Version } from './types';

/** Commands of the course, as a student may type them (any case); none changes the topology. */
const NAMES = [
  'get',
  'set',
  'getset',
  'del',
  'unlink',
  'exists',
  'type',
  'incr',
  'incrby',
  'decr',
  'decrby',
  'incrbyfloat',
  'append',
  'strlen',
  'expire',
  'pexpire',
  'expireat',
  'pexpireat',
  'ttl',
  'pttl',
  'persist',
  'mget',
  'mset',
  'setex',
  'psetex',
  'setnx',
  'getdel',
  'getex',
  'msetnx',
  'rename',
  'renamenx',
  'object',
  'hset',
  'hmset',
  'hget',
  'hgetall',
  'hdel',
  'hlen',
  'hexists',
  'hincrby',
  'hincrbyfloat',
  'hmget',
  'hkeys',
  'hvals',
  'lpush',
  'rpush',
  'lpop',
  'rpop',
  'lrange',
  'llen',
  'lindex',
  'lset',
  'lrem',
  'ltrim',
  'linsert',
  'sadd',
  'srem',
  'smembers',
  'scard',
  'sismember',
  'spop',
  'sinter',
  'sunion',
  'sdiff',
  'smove',
  'zadd',
  'zincrby',
  'zscore',
  'zrem',
  'zcard',
  'zrank',
  'zrevrank',
  'zrange',
  'zrevrange',
  'zrangebyscore',
  'zrevrangebyscore',
  'zcount',
  'xadd',
  'xlen',
  'xrange',
  'xrevrange',
  'xdel',
  'xtrim',
  'publish',
  'eval',
  'keys',
  'dbsize',
  'flushdb',
  'flushall',
  'ping',
  'echo',
  'select',
  'multi',
  'exec',
  'discard',
  'info',
  'role',
  'wait',
  'save',
  'bgsave',
  'replconf',
  'psync',
  'sync',
  'nosuchcommand',
];

/** Arguments a command reads as numbers, options, IDs or scripts, and hostile text. */
const arg = fc.oneof(
  { weight: 4, arbitrary: anyArg },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'k',
      'k2',
      'h',
      'l',
      's',
      'z',
      'x',
      '0',
      '1',
      '-1',
      '2',
      '15',
      '16',
      '100',
      '1.5',
      '-0',
      '+inf',
      '-inf',
      'nan',
      '1e400',
      '9223372036854775807',
      '9223372036854775808',
      '-9223372036854775808',
      '0x1f',
      ' 1',
      '1 ',
      '',
      'EX',
      'PX',
      'EXAT',
      'KEEPTTL',
      'NX',
      'XX',
      'GT',
      'LT',
      'CH',
      'INCR',
      'GET',
      'WITHSCORES',
      'LIMIT',
      'BYSCORE',
      'REV',
      'BEFORE',
      'AFTER',
      'MAXLEN',
      'MINID',
      '~',
      '=',
      '*',
      '0-1',
      '1-0',
      '18446744073709551615-0',
      'ENCODING',
      'HELP',
      'replication',
      'all',
      '(1',
      '[a',
      "return redis.call('SET', KEYS[1], ARGV[1])",
      "redis.call('INCR', 'k'); return 1",
      'return {1, 2}',
      'while true do end',
    ),
  },
  { weight: 1, arbitrary: hostileText(6) },
);

const command = fc.tuple(
  fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...NAMES) },
    { weight: 1, arbitrary: fc.constantFrom(...NAMES).map((n) => n.toUpperCase()) },
    { weight: 1, arbitrary: anyArg },
  ),
  // Mostly as many arguments as the commands take, so that they run rather than fail on arity.
  fc.oneof(fc.array(arg, { minLength: 1, maxLength: 3 }), fc.array(arg, { maxLength: 7 })),
);

/** Redis words an error with an upper-case code first (ERR, WRONGTYPE, EXECABORT, NOSCRIPT…). */
function expectRedisReply(r: Reply, argv: readonly string[]): void {
  const what = JSON.stringify(argv).slice(0, 200);
  expect(['status', 'error', 'int', 'bulk', 'array'], what).toContain(r.t);
  if (r.t === 'error') expect(r.v, what).toMatch(/^[A-Z][A-Z_]*[A-Z] \S/);
  if (r.t === 'int') expect(Number.isFinite(r.v), what).toBe(true);
  if (r.t === 'array' && r.v) for (const e of r.v) expectRedisReply(e, argv);
}

function dataset(sim: Simulation, name: string, version: Version): string {
  const d = dumpKeyspace(sim.server(name).keyspace);
  // ≤ 6.2 sends relative TTLs the replica counts from when it applies them (see the property test).
  const withTtl = dialectOf(version).redisLine >= 7;
  return JSON.stringify(withTtl ? d : d.map((e) => ({ ...e, expireAt: undefined })));
}

/** Scripts per run; FUZZ_RUNS=5000 for a long hunt. */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 150);

describe('the engine under random commands with hostile arguments', () => {
  it('answers each one in Redis style, and the replica converges on the master', () => {
    const replies = { ok: 0, error: 0 };
    fc.assert(
      fc.property(
        fc.constantFrom<Version>(...VERSIONS),
        fc.integer({ min: 1, max: 1e6 }),
        fc.array(command, { minLength: 1, maxLength: 30 }),
        (version, seed, commands) => {
          const sim = new Simulation({ seed, version });
          sim.addServer('m', '10.0.0.1', 6379);
          sim.addServer('r', '10.0.0.2', 6379);
          sim.exec('r', ['REPLICAOF', '10.0.0.1', '6379']);
          sim.advance(10_000);
          for (const [name, args] of commands) {
            const argv = [name, ...args];
            const reply = sim.exec('m', argv);
            expectRedisReply(reply, argv);
            replies[reply.t === 'error' ? 'error' : 'ok']++;
          }
          // A transaction left open is closed, as a client that goes away discards it, and the
          // session goes back to database 0.
          sim.exec('m', ['DISCARD']);
          sim.exec('m', ['SELECT', '0']);
          // A good command still works after the bad ones.
          expect(sim.exec('m', ['SET', 'probe', 'ok'])).toEqual({ t: 'status', v: 'OK' });
          sim.advance(30_000);
          const m = sim.server('m');
          const r = sim.server('r');
          expect(r.repl_state).toBe('connected');
          expect(r.master_repl_offset).toBe(m.master_repl_offset);
          expect(dataset(sim, 'r', version)).toBe(dataset(sim, 'm', version));
          expect(sim.exec('r', ['GET', 'probe'])).toEqual({ t: 'bulk', v: 'ok' });
        },
      ),
      { numRuns: RUNS },
    );
    // Commands ran, and some were refused: both paths were taken.
    expect(replies.ok).toBeGreaterThan(RUNS);
    expect(replies.error).toBeGreaterThan(RUNS);
  });

  it('stores and replicates a 1 MB value and a command of 5,000 arguments', () => {
    const sim = new Simulation({ seed: 3 });
    sim.addServer('m', '10.0.0.1', 6379);
    sim.addServer('r', '10.0.0.2', 6379);
    sim.exec('r', ['REPLICAOF', '10.0.0.1', '6379']);
    sim.advance(10_000);
    const mb = 'é'.repeat(1 << 19); // 1 MiB of UTF-8
    expect(sim.exec('m', ['SET', 'big', mb])).toEqual({ t: 'status', v: 'OK' });
    expect(sim.exec('m', ['STRLEN', 'big'])).toEqual({ t: 'int', v: 1 << 20 });
    const fields = Array.from({ length: 5000 }, (_, i) => String(i));
    expect(sim.exec('m', ['SADD', 'many', ...fields])).toEqual({ t: 'int', v: 5000 });
    sim.advance(30_000);
    expect(sim.exec('r', ['STRLEN', 'big'])).toEqual({ t: 'int', v: 1 << 20 });
    expect(sim.exec('r', ['SCARD', 'many'])).toEqual({ t: 'int', v: 5000 });
    expect(sim.server('r').master_repl_offset).toBe(sim.server('m').master_repl_offset);
  });
});

describe('WAIT', () => {
  it('with timeout 0 and more replicas than there are, returns after WAIT_MAX_MS (was: hung)', () => {
    const sim = new Simulation({ seed: 5 });
    sim.addServer('m', '10.0.0.1', 6379);
    sim.addServer('r', '10.0.0.2', 6379);
    sim.exec('r', ['REPLICAOF', '10.0.0.1', '6379']);
    sim.advance(10_000);
    sim.exec('m', ['SET', 'k', 'v']);
    const t0 = sim.now;
    expect(sim.exec('m', ['WAIT', '2', '0'])).toEqual({ t: 'int', v: 1 });
    expect(sim.now - t0).toBeGreaterThanOrEqual(WAIT_MAX_MS);
    expect(sim.now - t0).toBeLessThan(WAIT_MAX_MS + 1000);
    // A timeout of years is cut to the same bound.
    const t1 = sim.now;
    expect(sim.exec('m', ['WAIT', '2', '9007199254740991'])).toEqual({ t: 'int', v: 1 });
    expect(sim.now - t1).toBeLessThan(WAIT_MAX_MS + 1000);
    // The client is free again, and a shorter timeout is kept as it is.
    const t2 = sim.now;
    expect(sim.exec('m', ['WAIT', '2', '1500'])).toEqual({ t: 'int', v: 1 });
    expect(sim.now - t2).toBeGreaterThanOrEqual(1500);
    expect(sim.now - t2).toBeLessThan(1600);
  });
});

describe('a write longer than repl-timeout on the wire (found by the console fuzz)', () => {
  it('does not time the replica out while its bytes arrive (was: a resync loop forever)', () => {
    // 1 kB/s: 200 kB take 200 s to cross, over three times repl-timeout (60 s).
    const sim = new Simulation({ seed: 9, latencyMs: 400, bytesPerSec: 1024 });
    sim.addServer('m', '10.0.0.1', 6379);
    sim.addServer('r', '10.0.0.2', 6379);
    sim.exec('r', ['REPLICAOF', '10.0.0.1', '6379']);
    sim.advance(10_000);
    expect(sim.server('r').repl_state).toBe('connected');
    expect(sim.exec('m', ['SET', 'big', 'v'.repeat(200 * 1024)])).toEqual({ t: 'status', v: 'OK' });
    sim.advance(230_000);
    expect(sim.server('r').log.filter((l) => l.includes('MASTER timeout'))).toEqual([]);
    expect(sim.server('m').log.filter((l) => l.includes('Connection with replica'))).toEqual([]);
    expect(sim.server('r').master_repl_offset).toBe(sim.server('m').master_repl_offset);
    expect(sim.exec('r', ['STRLEN', 'big'])).toEqual({ t: 'int', v: 200 * 1024 });
  });

  it('still times the replica out when a silent cut stops the bytes', () => {
    const sim = new Simulation({ seed: 9, latencyMs: 400, bytesPerSec: 1024 });
    sim.addServer('m', '10.0.0.1', 6379);
    sim.addServer('r', '10.0.0.2', 6379);
    sim.exec('r', ['REPLICAOF', '10.0.0.1', '6379']);
    sim.advance(10_000);
    sim.setNet('r', 'silent');
    sim.exec('m', ['SET', 'big', 'v'.repeat(200 * 1024)]);
    sim.advance(75_000);
    expect(sim.server('r').log.filter((l) => l.includes('MASTER timeout'))).toHaveLength(1);
  });
});

describe('latency lowered while writes are on their way (found by the console fuzz)', () => {
  it('delivers them in order: the replica misses nothing (was: a later write overtook them)', () => {
    const sim = new Simulation({ seed: 4, latencyMs: 400, bytesPerSec: 1024 });
    sim.addServer('m', '10.0.0.1', 6379);
    sim.addServer('r', '10.0.0.2', 6379);
    sim.exec('r', ['REPLICAOF', '10.0.0.1', '6379']);
    sim.advance(12_000);
    sim.exec('m', ['SET', 'a', '1']);
    // What `latency 1ms` does: the next messages take 1 ms, no bandwidth limit.
    sim.state.latencyMs = 1;
    sim.state.bytesPerSec = null;
    sim.exec('m', ['SET', 'b', '2']);
    sim.advance(100_000);
    expect(sim.server('r').master_repl_offset).toBe(sim.server('m').master_repl_offset);
    expect(sim.exec('r', ['MGET', 'a', 'b'])).toEqual({
      t: 'array',
      v: [
        { t: 'bulk', v: '1' },
        { t: 'bulk', v: '2' },
      ],
    });
  });
});
