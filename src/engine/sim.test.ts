import { describe, expect, it } from 'vitest';
import { replicationFields } from './info';
import { Simulation } from './sim';

/** Messages of a server's log lines (the text after `pid:R date time L `). */
const messages = (sim: Simulation, name: string): string[] =>
  sim.server(name).log.map((l) => l.replace(/^\d+:[MSC] \d\d \w{3} \d{4} [\d:.]+ [*#.-] /, ''));
const info = (sim: Simulation, name: string): Record<string, string> =>
  Object.fromEntries(replicationFields(sim.state, sim.server(name)));

// RESP sizes worked out by hand (see /work/shared/redis-reference/README.md §4.4):
// HSET curso:4 nombre "Curso de introducción a docker" duration 30 →
//   *6\r\n (4) + $4 HSET (10) + $7 curso:4 (13) + $6 nombre (12)
//   + $31 "Curso de introducción a docker" (ó is 2 bytes: 30 chars, 31 bytes → 5+31+2 = 38)
//   + $8 duration (14) + $2 30 (8) = 99
const HSET_BYTES = 4 + 10 + 13 + 12 + 38 + 14 + 8;
const SELECT0 = 23; // *2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n
const SET_FOO_BAR = 31;
const PING = 14;

function seedLab(): Simulation {
  const sim = new Simulation({ seed: 7 });
  sim.addServer('master', '192.168.157.144', 6379);
  sim.addServer('replica1', '192.168.157.146', 6379);
  return sim;
}

describe('first full resync (seed demo 1, Redis 7.0 defaults: diskless)', () => {
  it('follows Redis 7.0: PSYNC with the replica’s own id, mismatch, new backlog id, +FULLRESYNC at 0', () => {
    const sim = seedLab();
    const masterIdBefore = sim.server('master').replid;
    const replicaOwnId = sim.server('replica1').replid;
    expect(sim.exec('replica1', ['REPLICAOF', '192.168.157.144', '6379'])).toEqual({
      t: 'status',
      v: 'OK',
    });
    sim.advance(7000);
    const newId = sim.server('master').replid;
    expect(newId).not.toBe(masterIdBefore);
    const m = messages(sim, 'master');
    const at = (s: string): number => m.indexOf(s);
    const expected = [
      'Replica 192.168.157.146:6379 asks for synchronization',
      `Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${replicaOwnId}', my replication IDs are '${masterIdBefore}' and '0000000000000000000000000000000000000000')`,
      `Replication backlog created, my new replication IDs are '${newId}' and '0000000000000000000000000000000000000000'`,
      'Delay next BGSAVE for diskless SYNC',
      'Starting BGSAVE for SYNC with target: replicas sockets',
      'Diskless rdb transfer, done reading from pipe, 1 replicas still up.',
      'Background RDB transfer terminated with success',
      'Streamed RDB transfer with replica 192.168.157.146:6379 succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming',
      'Synchronization with replica 192.168.157.146:6379 succeeded',
    ];
    const positions = expected.map(at);
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);

    const r = messages(sim, 'replica1');
    expect(r).toContain(
      'Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.',
    );
    expect(r).toContain(`Trying a partial resynchronization (request ${replicaOwnId}:1).`);
    expect(r).toContain(`Full resync from master: ${newId}:0`);
    expect(r).toContain('MASTER <-> REPLICA sync: Finished with success');
    expect(info(sim, 'master').master_repl_offset).toBe('0');
    expect(info(sim, 'replica1')).toMatchObject({
      role: 'slave',
      master_link_status: 'up',
      master_replid: newId,
      master_repl_offset: '0',
    });
  });

  it('the first write after a full sync costs SELECT 0 + the command, on both sides', () => {
    const sim = seedLab();
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.advance(7000);
    // +FULLRESYNC at 0 (nothing written before), and no PING before the cron loop 10 at 10.001 s.
    const before = 0;
    expect(info(sim, 'master').master_repl_offset).toBe(String(before));
    sim.exec('master', [
      'HSET',
      'curso:4',
      'nombre',
      'Curso de introducción a docker',
      'duration',
      '30',
    ]);
    sim.advance(100);
    const expected = before + SELECT0 + HSET_BYTES;
    expect(Number(info(sim, 'master').master_repl_offset)).toBe(expected);
    expect(Number(info(sim, 'replica1').master_repl_offset)).toBe(expected);
    expect(sim.exec('replica1', ['HGET', 'curso:4', 'nombre'])).toEqual({
      t: 'bulk',
      v: 'Curso de introducción a docker',
    });
  });

  it('to disk: +FULLRESYNC at once, the RDB size in the replica log, writes buffered during BGSAVE', () => {
    const sim = seedLab();
    sim.exec('master', ['CONFIG', 'SET', 'repl-diskless-sync', 'no']);
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    // Let PSYNC reach the master (a few link latencies) but not the BGSAVE end (next 100 ms tick).
    sim.advance(4);
    expect(messages(sim, 'master')).toContain('Starting BGSAVE for SYNC with target: disk');
    sim.exec('master', ['SET', 'foo', 'bar']); // during the BGSAVE
    sim.advance(2000);
    const r = messages(sim, 'replica1');
    // The RDB of the empty dataset forked before the SET, byte by byte (rdb.c, 7.0.15):
    //   "REDIS0010" 9; aux fields, each 0xFA + key + value (1 length byte + bytes; ints 2 or 5):
    //   redis-ver 7.0.15 1+10+7 = 18, redis-bits 64 1+11+2 = 14, ctime <32-bit int> 1+6+5 = 12,
    //   used-mem <32-bit int> 1+9+5 = 15, repl-stream-db 0 1+15+2 = 18, repl-id <40 hex, too
    //   random for LZF> 1+8+41 = 50, repl-offset 0 1+12+2 = 15, aof-base 0 1+9+2 = 12;
    //   no database (empty); EOF 1 + CRC64 8.  9 + 154 + 9 = 172, as a real 7.0.15 prints.
    const rdbBytes = 9 + (18 + 14 + 12 + 15 + 18 + 50 + 15 + 12) + 9;
    expect(r).toContain(`MASTER <-> REPLICA sync: receiving ${rdbBytes} bytes from master to disk`);
    // The write made during the BGSAVE reached the replica after the RDB: SELECT 0 + SET, from
    // the +FULLRESYNC offset 0 (no PING before 10.001 s).
    expect(sim.exec('replica1', ['GET', 'foo'])).toEqual({ t: 'bulk', v: 'bar' });
    expect(info(sim, 'replica1').master_repl_offset).toBe(String(SELECT0 + SET_FOO_BAR));
    expect(info(sim, 'master').master_repl_offset).toBe(String(SELECT0 + SET_FOO_BAR));
  });
});

describe('partial resync after the network comes back (seed demo 2)', () => {
  // `rc-service networking stop` on the replica's VM: the master is not told (a silent cut from its
  // side), keeps its replica and keeps PINGing it until repl-timeout (60 s) — hence the seed's
  // "Sending 183 bytes": the HSET plus six PINGs.
  it('sends exactly the missed bytes: the HSET and the PINGs of the minute it was down', () => {
    const sim = seedLab();
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.advance(7000);
    sim.exec('master', ['SET', 'foo', 'bar']); // emits SELECT 0 now, so the HSET later costs its own bytes only
    // Replication cron runs at 1 ms + k s; PINGs at loops 0, 10, 20… i.e. at 10.001 s, 20.001 s, …
    sim.runUntil(30_500); // just after the PING at 30.001 s
    // +FULLRESYNC at 0, SELECT 0 + SET foo bar, PINGs at 10, 20 and 30 s: 23 + 31 + 3 × 14 = 96.
    const replicaBefore = SELECT0 + SET_FOO_BAR + 3 * PING;
    expect(info(sim, 'replica1').master_repl_offset).toBe(String(replicaBefore));
    expect(info(sim, 'master').master_repl_offset).toBe(String(replicaBefore));
    sim.setNet('replica1', false, true);
    sim.exec('master', [
      'HSET',
      'curso:4',
      'nombre',
      'Curso de introducción a docker',
      'duration',
      '30',
    ]);
    // PINGs at 40, 50, 60, 70, 80, 90 s: six of them. At 91.001 s both ends' repl-timeout (60 s
    // since 30.001 s, compared in whole seconds: 91 - 30 > 60) gives the link up; the master
    // stops PINGing the replica it dropped. Restored after that, as on the slides.
    sim.runUntil(91_500);
    // What the replica missed: the HSET and six PINGs, 99 + 6 × 14 = 183, as in the seed's slide.
    const missed = 183;
    const masterOffset = replicaBefore + missed; // 279
    expect(info(sim, 'master').master_repl_offset).toBe(String(masterOffset));
    sim.setNet('replica1', true, false);
    sim.advance(3000);
    expect(messages(sim, 'master')).toContain(
      'Partial resynchronization request from 192.168.157.146:6379 accepted. Sending 183 bytes of backlog starting from offset 97.',
    );
    const r = messages(sim, 'replica1');
    const id = sim.server('master').replid;
    expect(r).toContain('MASTER timeout: no data nor PING received...');
    expect(r).toContain('Connection with master lost.');
    expect(r).toContain('Caching the disconnected master state.');
    expect(r).toContain(`Trying a partial resynchronization (request ${id}:97).`);
    expect(r).toContain('Successful partial resynchronization with master.');
    expect(r).toContain('MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.');
    expect(info(sim, 'replica1').master_repl_offset).toBe(String(masterOffset));
    expect(sim.exec('replica1', ['HGET', 'curso:4', 'duration'])).toEqual({ t: 'bulk', v: '30' });
  });

  it('a silent cut is noticed by repl-timeout on both sides, then PSYNC continues', () => {
    const sim = seedLab();
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.advance(7000);
    for (const s of ['master', 'replica1']) sim.exec(s, ['CONFIG', 'SET', 'repl-timeout', '5']);
    sim.setNet('replica1', false, true);
    sim.exec('master', ['SET', 'k', 'v']);
    sim.advance(8000);
    expect(messages(sim, 'replica1')).toContain('MASTER timeout: no data nor PING received...');
    expect(messages(sim, 'master')).toContain(
      'Disconnecting timedout replica (streaming sync): 192.168.157.146:6379',
    );
    sim.setNet('replica1', true, false);
    sim.advance(10_000);
    expect(messages(sim, 'replica1')).toContain('Timeout connecting to the MASTER...');
    expect(messages(sim, 'replica1')).toContain(
      'Successful partial resynchronization with master.',
    );
    expect(sim.exec('replica1', ['GET', 'k'])).toEqual({ t: 'bulk', v: 'v' });
  });

  it('a cut longer than the backlog ends in a full resync, with the reason in the log', () => {
    const sim = seedLab();
    sim.exec('master', ['CONFIG', 'SET', 'repl-backlog-size', '16384']);
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.advance(7000);
    const replicaBefore = 0; // +FULLRESYNC at 0, no PING yet
    expect(info(sim, 'replica1').master_repl_offset).toBe(String(replicaBefore));
    sim.setNet('replica1', false, false);
    const big = 'x'.repeat(1000);
    for (let i = 0; i < 60; i++) sim.exec('master', ['SET', `k${i}`, big]);
    // SELECT 0 (23) + SET k0..k9 (4 + 9 + 8 + 1009 = 1030 each) + SET k10..k59 (1031 each):
    // 23 + 10 × 1030 + 50 × 1031 = 61873 bytes. They fill 20440-byte blocks (16 KiB + the 40-byte
    // block header is 16424 bytes, which jemalloc rounds up to its 20480 class: 20480 - 40 = 20440):
    // [1, 20440] [20441, 40880] [40881, 61320] [61321, 61873]. The first block is dropped as soon
    // as the blocks after it alone hold more than 16384 bytes: so were [1, 20440] and [20441,
    // 40880]; the last two hold 20440 + 553 = 20993, and 553 alone is not enough to drop the third.
    // The backlog starts at 40881 = 61873 - 20993 + 1: the replica's offset 1 fell out of it.
    expect(info(sim, 'master')).toMatchObject({
      master_repl_offset: '61873',
      repl_backlog_histlen: '20993',
      repl_backlog_first_byte_offset: '40881',
    });
    sim.setNet('replica1', true, false);
    sim.advance(8000);
    expect(messages(sim, 'master')).toContain(
      `Unable to partial resync with replica 192.168.157.146:6379 for lack of backlog (Replica request was: ${replicaBefore + 1}).`,
    );
    expect(
      messages(sim, 'replica1').filter((l) => l.startsWith('Full resync from master:')),
    ).toHaveLength(2);
    expect(sim.exec('replica1', ['STRLEN', 'k59'])).toEqual({ t: 'int', v: 1000 });
  });
});

describe('PSYNC2: REPLICAOF NO ONE keeps the old history as replid2', () => {
  it('a sibling partially resyncs to the promoted replica; "Master replication ID changed"', () => {
    const sim = seedLab();
    sim.addServer('replica2', '192.168.157.147', 6379);
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.exec('replica2', ['REPLICAOF', 'master', '6379']);
    sim.advance(8000);
    sim.exec('master', ['SET', 'foo', 'bar']);
    sim.advance(1500);
    const oldId = sim.server('master').replid;
    const off = SELECT0 + SET_FOO_BAR; // from the +FULLRESYNC offset 0; no PING before 10.001 s
    expect(info(sim, 'replica1').master_repl_offset).toBe(String(off));
    expect(sim.exec('replica1', ['REPLICAOF', 'NO', 'ONE'])).toEqual({ t: 'status', v: 'OK' });
    const promoted = info(sim, 'replica1');
    expect(promoted.master_replid2).toBe(oldId);
    expect(promoted.second_repl_offset).toBe(String(off + 1));
    expect(messages(sim, 'replica1')).toContain(
      `Setting secondary replication ID to ${oldId}, valid up to offset: ${off + 1}. New replication ID is ${promoted.master_replid}`,
    );
    sim.exec('replica2', ['REPLICAOF', 'replica1', '6379']);
    sim.advance(2000);
    expect(messages(sim, 'replica1')).toContain(
      `Partial resynchronization request from 192.168.157.147:6379 accepted. Sending 0 bytes of backlog starting from offset ${off + 1}.`,
    );
    expect(messages(sim, 'replica2')).toContain(
      `Master replication ID changed to ${promoted.master_replid}`,
    );
  });
});

describe('determinism and snapshots', () => {
  const run = (sim: Simulation): string => {
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.advance(6000);
    sim.exec('master', ['SET', 'a', '1']);
    sim.setNet('replica1', false, false);
    sim.advance(3000);
    sim.setNet('replica1', true, false);
    sim.advance(3000);
    return JSON.stringify(sim.state);
  };
  it('the same seed and inputs give the same run, byte for byte', () => {
    expect(run(seedLab())).toBe(run(seedLab()));
  });
  it('a restored snapshot continues exactly as the original', () => {
    const a = seedLab();
    a.exec('replica1', ['REPLICAOF', 'master', '6379']);
    a.advance(2500);
    const b = Simulation.fromSnapshot(a.snapshot());
    for (const sim of [a, b]) {
      sim.advance(4000);
      sim.exec('master', ['INCRBYFLOAT', 'x', '1.5']);
      sim.advance(1000);
    }
    expect(JSON.stringify(b.state)).toBe(JSON.stringify(a.state));
  });
});

describe('remove', () => {
  it('a removed master leaves its replica retrying, refused, with the link down', () => {
    const sim = seedLab();
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.advance(7000);
    sim.removeServer('master');
    sim.advance(2500);
    expect(sim.serverNames()).toEqual(['replica1']);
    const r = messages(sim, 'replica1');
    expect(r).toContain('Connection with master lost.');
    expect(
      r.filter((l) => l === 'Error condition on socket for SYNC: Connection refused').length,
    ).toBeGreaterThanOrEqual(2);
    expect(info(sim, 'replica1').master_link_status).toBe('down');
  });
});
