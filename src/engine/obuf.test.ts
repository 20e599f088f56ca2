import { describe, expect, it } from 'vitest';
import { Simulation } from './sim';

// Numbers by hand from Redis 7.0's rules (replication.c feedReplicationBuffer, networking.c
// getClientOutputBufferMemoryUsage / checkClientOutputBufferLimits):
// - A block of the shared replication buffer asks for 16384 bytes (PROTO_REPLY_CHUNK_BYTES; the
//   backlog here is small, so repl_backlog_size/16 is no larger) plus its 40-byte header: jemalloc
//   gives 20480, so the block holds 20480 - 40 = 20440 bytes.
// - A replica's output buffer is every block from the one it references to the newest, whole,
//   plus sizeof(listNode) + sizeof(replBufBlock) = 24 + 40 = 64 per block: 20504 per block.
// - The stream after +FULLRESYNC 0: SELECT 0 (*2 $6 SELECT $1 0 = 23 bytes), then each
//   `SET kNN <9000 bytes>` = 4 (*3) + 9 ($3 SET) + 9 ($3 kNN) + 7 ($9000) + 9000 + 2 = 9031 bytes.
//   After k writes the stream holds 23 + 9031k bytes; block 2 starts at byte 20441 (write 3),
//   block 3 at 40881 (write 5), block 4 at 61321 (write 7).

const messages = (sim: Simulation, name: string): string[] =>
  sim.server(name).log.map((l) => l.replace(/^\d+:[MSC] \d\d \w{3} \d{4} [\d:.]+ [*#.-] /, ''));
const VALUE = 'x'.repeat(9000);
const write = (sim: Simulation, k: number) =>
  sim.exec('master', ['SET', `k${String(k).padStart(2, '0')}`, VALUE]);

/**
 * replica1 waits for a disk BGSAVE that lasts 10 s (10 keys, rdb-key-save-delay 1 s each): its
 * output buffer holds every write from +FULLRESYNC 0 on, and nothing is sent to it meanwhile.
 */
function waitingReplica(limit: string, backlog = '16kb'): Simulation {
  const sim = new Simulation({ seed: 1 });
  sim.addServer('master', '10.0.0.1', 6379);
  sim.addServer('replica1', '10.0.0.2', 6379);
  for (const [k, v] of [
    ['repl-ping-replica-period', '3600'],
    ['repl-diskless-sync', 'no'],
    ['repl-backlog-size', backlog],
    ['client-output-buffer-limit', limit],
  ])
    expect(sim.exec('master', ['CONFIG', 'SET', k!, v!])).toEqual({ t: 'status', v: 'OK' });
  for (let i = 0; i < 10; i++) sim.exec('master', ['SET', `pre${i}`, 'v']);
  sim.exec('master', ['CONFIG', 'SET', 'rdb-key-save-delay', '1000000']);
  sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
  sim.advance(100);
  const r = sim.server('master').slaves[0]!;
  expect(r.replstate).toBe('wait_bgsave_end');
  expect(r.psyncInitialOffset).toBe(0);
  return sim;
}

const overLimitLines = (sim: Simulation) =>
  messages(sim, 'master').filter((m) => m.includes('for overcoming of output buffer limits'));

describe('client-output-buffer-limit replica: the hard limit', () => {
  it('drops the replica when a block takes it to the limit, logging the client first', () => {
    // 48kb = 49152: two blocks are 41008 (kept), three 61512 (over) → the 5th write.
    const sim = waitingReplica('replica 48kb 0 0');
    for (let k = 1; k <= 4; k++) write(sim, k);
    expect(sim.server('master').slaves).toHaveLength(1);
    expect(sim.server('master').master_repl_offset).toBe(23 + 4 * 9031);
    write(sim, 5);
    expect(sim.server('master').slaves).toHaveLength(0);
    const m = messages(sim, 'master');
    const i = m.findIndex((x) => x.startsWith('Client '));
    expect(m[i]).toMatch(
      /^Client id=\d+ addr=10\.0\.0\.2:\d+ laddr=10\.0\.0\.1:6379 fd=9 name= age=0 idle=0 flags=S db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=\d+ argv-mem=0 multi-mem=0 rbs=\d+ rbp=\d+ obl=0 oll=3 omem=61512 tot-mem=\d+ events=r cmd=psync user=default redir=-1 resp=2 scheduled to be closed ASAP for overcoming of output buffer limits\.$/,
    );
    // freeClientsInAsyncFreeQueue, in beforeSleep: the usual line for a replica that goes.
    expect(m[i + 1]).toBe('Connection with replica 10.0.0.2:6379 lost.');
    expect(overLimitLines(sim)).toHaveLength(1);
  });

  it('raises a hard limit below repl-backlog-size to it: 16kb with a 64kb backlog holds 3 blocks', () => {
    // Effective limit 65536: three blocks 61512 (kept), four 82016 (over) → the 7th write.
    const sim = waitingReplica('replica 16kb 0 0', '64kb');
    for (let k = 1; k <= 6; k++) write(sim, k);
    expect(sim.server('master').slaves).toHaveLength(1);
    sim.advance(500); // clientsCron has nothing to say either: 61512 < 65536
    expect(sim.server('master').slaves).toHaveLength(1);
    write(sim, 7);
    expect(sim.server('master').slaves).toHaveLength(0);
    expect(overLimitLines(sim)).toEqual([
      expect.stringMatching(/ oll=4 omem=82016 .* scheduled to be closed ASAP /),
    ]);
  });

  it('with the smallest backlog (16kb) the same 16kb limit drops it at its first block', () => {
    // The SELECT of the first write opens block 1: 20504 >= 16384.
    const sim = waitingReplica('replica 16kb 0 0', '16kb');
    write(sim, 1);
    expect(sim.server('master').slaves).toHaveLength(0);
    expect(overLimitLines(sim)).toEqual([
      expect.stringMatching(/ oll=1 omem=20504 .* scheduled to be closed ASAP /),
    ]);
  });

  it('a limit of 0 is no limit', () => {
    const sim = waitingReplica('replica 0 0 0');
    for (let k = 1; k <= 12; k++) write(sim, k);
    sim.advance(3000);
    expect(sim.server('master').slaves).toHaveLength(1);
    expect(overLimitLines(sim)).toEqual([]);
  });
});

describe('client-output-buffer-limit replica: the soft limit', () => {
  // Simulated time 0 is 14:06:23.000, so second s of the run is unixtime 1582812383 + s; the
  // master booted at 0 runs serverCron (so clientsCron) at 1 ms, 101 ms, 201 ms …
  it('drops the replica only after more than soft-seconds over it, from clientsCron', () => {
    // 40000 bytes, 2 s: write 3 opens block 2 (41008 >= 40000) at 0.1 s, second 0: the clock
    // starts. Checks while unixtime - start <= 2 keep it; the first at unixtime start + 3 is
    // clientsCron's tick at 3.001 s, which frees the client at once. The soft limit is not raised
    // to repl-backlog-size (16384 here is smaller anyway; see the next test).
    const sim = waitingReplica('replica 0 40000 2');
    for (let k = 1; k <= 3; k++) write(sim, k);
    const r = sim.server('master').slaves[0]!;
    expect(r.obuf_soft_limit_reached_time).toBe(1582812383);
    write(sim, 4);
    write(sim, 5); // block 3: checked, 2 s not over yet
    sim.runUntil(3000);
    expect(sim.server('master').slaves).toHaveLength(1);
    sim.runUntil(3001);
    expect(sim.server('master').slaves).toHaveLength(0);
    const m = messages(sim, 'master');
    const i = m.indexOf('Connection with replica 10.0.0.2:6379 lost.');
    // freeClient first, then the line about the limits (networking.c, async = 0).
    expect(m[i + 1]).toMatch(
      /^Client id=\d+ .* age=3 idle=3 flags=S .* oll=3 omem=61512 .* closed for overcoming of output buffer limits\.$/,
    );
  });

  it('is not raised to repl-backlog-size: 16kb soft with a 1mb backlog counts from block 1', () => {
    const sim = waitingReplica('replica 0 16kb 0', '1mb');
    write(sim, 1);
    expect(sim.server('master').slaves[0]!.obuf_soft_limit_reached_time).toBe(1582812383);
    sim.runUntil(999);
    expect(sim.server('master').slaves).toHaveLength(1);
    // soft-seconds 0: the first check in a later second (clientsCron at 1.001 s) drops it.
    sim.runUntil(1001);
    expect(sim.server('master').slaves).toHaveLength(0);
  });

  it('must be reached continuously: back under it, the clock starts again', () => {
    const sim = waitingReplica('replica 0 40000 2');
    for (let k = 1; k <= 3; k++) write(sim, k); // 41008 >= 40000 at second 0
    sim.runUntil(1500);
    // Raised above the buffer: the next clientsCron (1.501 s) finds it under and stops the clock.
    sim.exec('master', ['CONFIG', 'SET', 'client-output-buffer-limit', 'replica 0 50000 2']);
    sim.runUntil(1600);
    expect(sim.server('master').slaves[0]!.obuf_soft_limit_reached_time).toBe(0);
    // Lowered again at 1.6 s, second 1: the clock starts at the next check, 1.601 s.
    sim.exec('master', ['CONFIG', 'SET', 'client-output-buffer-limit', 'replica 0 40000 2']);
    sim.runUntil(1700);
    expect(sim.server('master').slaves[0]!.obuf_soft_limit_reached_time).toBe(1582812384);
    // At 3.001 s it would have gone from the first clock; now only at 4.001 s.
    sim.runUntil(4000);
    expect(sim.server('master').slaves).toHaveLength(1);
    sim.runUntil(4001);
    expect(sim.server('master').slaves).toHaveLength(0);
  });
});

describe('a replica dropped while its RDB is on the wire', () => {
  it('receives the RDB, then the close, and asks to continue from the RDB offset + 1', () => {
    // Diskless: the child is done at once and the replica waits (online, not streamed) for the
    // 8 KB/s link to carry the RDB; its buffer overflows meanwhile. The master's FIN follows the
    // RDB's last byte, as TCP sends it.
    const sim = new Simulation({ seed: 1, bytesPerSec: 8192 });
    sim.addServer('master', '10.0.0.1', 6379);
    sim.addServer('replica1', '10.0.0.2', 6379);
    for (const [k, v] of [
      ['repl-ping-replica-period', '3600'],
      ['repl-diskless-sync-delay', '0'],
      ['repl-backlog-size', '16kb'],
      ['client-output-buffer-limit', 'replica 48kb 0 0'],
    ])
      sim.exec('master', ['CONFIG', 'SET', k!, v!]);
    for (let i = 0; i < 8; i++) sim.exec('master', ['SET', `blob${i}`, randomText(1000, i)]);
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.advance(200);
    expect(sim.server('replica1').repl_state).toBe('transfer');
    for (let k = 1; k <= 5; k++) write(sim, k);
    expect(sim.server('master').slaves).toHaveLength(0);
    expect(sim.server('replica1').repl_state).toBe('transfer');
    sim.advance(3000);
    const r = messages(sim, 'replica1');
    const i = r.indexOf('MASTER <-> REPLICA sync: Finished with success');
    expect(i).toBeGreaterThan(0);
    expect(r.slice(i + 1, i + 4)).toEqual([
      'Connection with master lost.',
      'Caching the disconnected master state.',
      'Reconnecting to MASTER 10.0.0.1:6379',
    ]);
    // Its offset 0 is gone from a backlog trimmed to its last two blocks: a full resync again.
    expect(messages(sim, 'master')).toContain(
      'Unable to partial resync with replica 10.0.0.2:6379 for lack of backlog (Replica request was: 1).',
    );
  });
});

/** Text LZF cannot shrink, so the RDB is as large as its values. */
function randomText(n: number, seed: number): string {
  let x = seed + 1;
  let s = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[x % 62];
  }
  return s;
}

describe("Valkey 8's CLIENT LIST in the output-buffer line", () => {
  it('redacts name and user and ends with tot-net-in, tot-net-out and tot-cmds', () => {
    // networking.c catClientInfoString at 8.0.1, with hide-user-data-from-log on (its default).
    // The replica sent PING (14 bytes), REPLCONF listening-port 6379 (49), REPLCONF capa eof capa
    // psync2 (59), REPLCONF version 8.0.1 (42) and PSYNC <its own replid> 1 (69): 233 bytes in 5
    // commands, and was answered +PONG and three +OK (22 bytes; +FULLRESYNC and the RDB go
    // straight to the socket, uncounted). The recorded resync-loop (valkey-8.0.1) shows
    // tot-net-in=234 tot-net-out=22 tot-cmds=5: its replica's real port, 27001, has one digit more.
    const sim = new Simulation({ seed: 1, version: 'valkey-8.0' });
    sim.addServer('master', '10.0.0.1', 6379);
    sim.addServer('replica1', '10.0.0.2', 6379);
    for (const [k, v] of [
      ['repl-ping-replica-period', '3600'],
      ['repl-diskless-sync', 'no'],
      ['repl-backlog-size', '16kb'],
      ['client-output-buffer-limit', 'replica 48kb 0 0'],
    ])
      sim.exec('master', ['CONFIG', 'SET', k!, v!]);
    for (let i = 0; i < 10; i++) sim.exec('master', ['SET', `pre${i}`, 'v']);
    sim.exec('master', ['CONFIG', 'SET', 'rdb-key-save-delay', '1000000']);
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.advance(100);
    for (let k = 1; k <= 5; k++) write(sim, k);
    const [line] = overLimitLines(sim);
    expect(line).toMatch(
      /^Client id=\d+ .* name=\*redacted\* .* multi=-1 watch=0 qbuf=0 .* oll=3 omem=61512 .* cmd=psync user=\*redacted\* redir=-1 resp=2 lib-name= lib-ver= tot-net-in=233 tot-net-out=22 tot-cmds=5 scheduled to be closed ASAP for overcoming of output buffer limits\.$/,
    );
  });
});
