/**
 * Exact expectations, each worked out by hand in a comment (RESP lengths, RDB bytes, transfer
 * times, offsets), never read back from the engine. Each block pins one behaviour that a plausible
 * wrong engine gets wrong: WAIT's `>=`, the 7.0 master restart's replid2 and second_repl_offset,
 * active expiry, the link's bandwidth, the 5.0 ring backlog's exact bound, MULTI/EXEC on the
 * wire, SELECT after a full sync and after each promotion. Values marked "checked on a real
 * 7.0.15" were also seen on redis-server 7.0.15. At the end, engine bugs as `it.fails`.
 *
 * RESP sizes (see /work/shared/redis-reference/README.md §4.4):
 *   bytes = (1 + digits(argc) + 2) + Σ (1 + digits(len) + 2 + len + 2)
 */
import { describe, expect, it } from 'vitest';
import { replicationFields } from './info';
import { dumpKeyspace } from './keyspace';
import { Simulation } from './sim';

const messages = (sim: Simulation, name: string): string[] =>
  sim.server(name).log.map((l) => l.replace(/^\d+:[MSC] \d\d \w{3} \d{4} [\d:.]+ [*#.-] /, ''));
const info = (sim: Simulation, name: string): Record<string, string> =>
  Object.fromEntries(replicationFields(sim.state, sim.server(name)));
const keysOf = (sim: Simulation, name: string): string[] =>
  dumpKeyspace(sim.server(name).keyspace).map((e) => e.key);

// *2\r\n (4) $6\r\nSELECT\r\n (12) $1\r\n0\r\n (7)
const SELECT_0 = 4 + 12 + 7; // 23
// *3\r\n (4) $3\r\nSET\r\n (9) $3\r\nfoo\r\n (9) $3\r\nbar\r\n (9)
const SET_FOO_BAR = 4 + 9 + 9 + 9; // 31
// *3\r\n (4) $3\r\nSET\r\n (9) $1\r\na\r\n (7) $1\r\n1\r\n (7)
const SET_A_1 = 4 + 9 + 7 + 7; // 27
// *3\r\n (4) $8\r\nREPLCONF\r\n (14) $6\r\nGETACK\r\n (12) $1\r\n*\r\n (7)
const GETACK = 4 + 14 + 12 + 7; // 37
// *2\r\n (4) $3\r\nDEL\r\n (9) $1\r\nk\r\n (7)
const DEL_K = 4 + 9 + 7; // 20

/** Servers all started at t = 0: cron ticks at 1 ms + k s, active expiry at 1 ms + k × 100 ms. */
function lab(
  opts: { version?: '7.0' | '5.0'; latencyMs?: number; bytesPerSec?: number } = {},
  replicas = 1,
): Simulation {
  const sim = new Simulation({ seed: 11, ...opts });
  sim.addServer('master', '10.0.0.1', 6379);
  for (let i = 1; i <= replicas; i++) sim.addServer(`replica${i}`, `10.0.0.${i + 1}`, 6379);
  return sim;
}

describe('WAIT counts the replicas whose ACK reached the write’s offset (>=, as Redis)', () => {
  /** Two replicas in sync at offset 0, then SET a 1: the master at 23 + 27 = 50. */
  function synced(latencyMs: number): Simulation {
    const sim = lab({ latencyMs }, 2);
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.exec('replica2', ['REPLICAOF', 'master', '6379']);
    sim.runUntil(7000); // full syncs done at ~5 s (diskless delay); no PING before 10.001 s
    expect(info(sim, 'master').master_repl_offset).toBe('0');
    sim.exec('master', ['SET', 'a', '1']);
    expect(info(sim, 'master').master_repl_offset).toBe(String(SELECT_0 + SET_A_1));
    return sim;
  }

  it('WAIT 2 with 2 replicas returns 2 one round trip later, as soon as both ACKs are in', () => {
    const latency = 5;
    const sim = synced(latency);
    const t0 = sim.now; // 7000
    const ticket = sim.submit('master', ['WAIT', '2', '1000']);
    expect(sim.replyFor(ticket)).toBeUndefined(); // blocked: nobody acked offset 50 yet
    // GETACK leaves at t0, reaches the replicas at t0 + 5; their ACK 50 is back at t0 + 10.
    sim.runUntil(t0 + 2 * latency - 0.001);
    expect(sim.replyFor(ticket)).toBeUndefined();
    sim.runUntil(t0 + 2 * latency);
    expect(sim.replyFor(ticket)).toEqual({ t: 'int', v: 2 });
    // Each ACK named offset 50 exactly (its reploff), as INFO shows it.
    expect(info(sim, 'master').slave0).toBe('ip=10.0.0.2,port=6379,state=online,offset=50,lag=0');
    expect(info(sim, 'master').slave1).toBe('ip=10.0.0.3,port=6379,state=online,offset=50,lag=0');
    // The GETACK itself went into the stream: 50 + 37.
    expect(info(sim, 'master').master_repl_offset).toBe(String(SELECT_0 + SET_A_1 + GETACK));
  });

  it('asking for one more replica than there are blocks until the timeout, then returns 2', () => {
    const sim = synced(0.5);
    const t0 = sim.now;
    const ticket = sim.submit('master', ['WAIT', '3', '1000']);
    sim.runUntil(t0 + 999);
    expect(sim.replyFor(ticket)).toBeUndefined();
    sim.runUntil(t0 + 1000);
    expect(sim.replyFor(ticket)).toEqual({ t: 'int', v: 2 });
  });

  it('already acked: WAIT returns at once, without blocking or sending GETACK', () => {
    const sim = synced(0.5);
    expect(sim.exec('master', ['WAIT', '2', '1000'])).toEqual({ t: 'int', v: 2 });
    const before = info(sim, 'master').master_repl_offset; // 50 + 37
    // Both replicas acked 50 (the ACK answering GETACK names the offset before the GETACK).
    const ticket = sim.submit('master', ['WAIT', '2', '1000']);
    expect(sim.replyFor(ticket)).toEqual({ t: 'int', v: 2 });
    expect(info(sim, 'master').master_repl_offset).toBe(before);
    const one = sim.submit('master', ['WAIT', '1', '0']);
    expect(sim.replyFor(one)).toEqual({ t: 'int', v: 2 }); // the count, not the number asked for
  });

  it('a replica that is cut does not count: WAIT 2 times out with 1', () => {
    const sim = synced(0.5);
    sim.setNet('replica2', false, true); // silent: the master still lists it as online
    sim.exec('master', ['SET', 'a', '2']);
    const t0 = sim.now;
    const ticket = sim.submit('master', ['WAIT', '2', '500']);
    sim.runUntil(t0 + 499);
    expect(sim.replyFor(ticket)).toBeUndefined();
    sim.runUntil(t0 + 500);
    expect(sim.replyFor(ticket)).toEqual({ t: 'int', v: 1 });
    expect(info(sim, 'master').connected_slaves).toBe('2');
  });
});

describe('7.0 master restart: the old history stays as replid2 (#8015)', () => {
  it('replid2 = the old replid, second_repl_offset = offset + 1, and its replica gets +CONTINUE', () => {
    const sim = lab();
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.runUntil(7000);
    sim.exec('master', ['SET', 'foo', 'bar']); // first write after the full sync: SELECT 0 + SET
    sim.runUntil(7500);
    const offset = SELECT_0 + SET_FOO_BAR; // 54
    expect(info(sim, 'replica1').master_repl_offset).toBe(String(offset));
    const oldId = info(sim, 'master').master_replid;

    // The replica cannot come back at once: so that the master takes writes before its PSYNC.
    sim.setNet('replica1', false, false);
    sim.runUntil(8500);
    sim.restart('master');
    const m = info(sim, 'master');
    expect(m.master_replid).not.toBe(oldId); // a fresh id…
    expect(m.master_replid2).toBe(oldId); // …the old one kept as the second
    expect(m.second_repl_offset).toBe(String(offset + 1)); // 55
    expect(m.master_repl_offset).toBe(String(offset)); // 54, from the RDB
    expect(m.repl_backlog_active).toBe('1');
    expect(m.repl_backlog_first_byte_offset).toBe(String(offset + 1)); // empty backlog at 55
    expect(m.repl_backlog_histlen).toBe('0');
    const newId = m.master_replid;

    // A new process emits SELECT again before its first write: 23 + 27 = 50 bytes, 54 → 104.
    sim.exec('master', ['SET', 'a', '1']);
    const after = offset + SELECT_0 + SET_A_1; // 104
    expect(info(sim, 'master').master_repl_offset).toBe(String(after));

    sim.setNet('replica1', true, false);
    sim.runUntil(10_500); // the replica retries from its cron (once a second)
    // PSYNC <oldId> 55: oldId is replid2 and 55 <= second_repl_offset 55; 55 is the backlog's
    // first byte. Bytes sent = master_repl_offset - 55 + 1 = 104 - 55 + 1 = 50.
    expect(messages(sim, 'replica1')).toContain(
      `Trying a partial resynchronization (request ${oldId}:${offset + 1}).`,
    );
    expect(messages(sim, 'master')).toContain(
      `Partial resynchronization request from 10.0.0.2:6379 accepted. Sending ${after - (offset + 1) + 1} bytes of backlog starting from offset ${offset + 1}.`,
    );
    expect(messages(sim, 'master')).not.toContain('Starting BGSAVE for SYNC with target: disk');
    const r = messages(sim, 'replica1');
    expect(r).toContain('Successful partial resynchronization with master.');
    expect(r).toContain(`Master replication ID changed to ${newId}`);
    expect(r.filter((l) => l.startsWith('Full resync from master:'))).toHaveLength(1); // the first
    // The replica shifts its ids the same way: replid2 = the old id, valid up to its offset + 1.
    expect(info(sim, 'replica1')).toMatchObject({
      master_link_status: 'up',
      master_replid: newId,
      master_replid2: oldId,
      second_repl_offset: String(offset + 1),
      master_repl_offset: String(after),
    });
    expect(sim.exec('replica1', ['GET', 'a'])).toEqual({ t: 'bulk', v: '1' });
  });

  it('5.0 forgets its history on restart: offset 0, no backlog, a full resync by id mismatch', () => {
    const sim = lab({ version: '5.0' });
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.runUntil(3000); // 5.0: disk sync, no delay
    sim.exec('master', ['SET', 'foo', 'bar']);
    sim.runUntil(3500);
    const oldId = info(sim, 'master').master_replid;
    sim.setNet('replica1', false, false);
    sim.runUntil(4500);
    sim.restart('master');
    const m = info(sim, 'master');
    expect(m.master_replid2).toBe('0000000000000000000000000000000000000000');
    expect(m.second_repl_offset).toBe('-1');
    expect(m.master_repl_offset).toBe('0');
    expect(m.repl_backlog_active).toBe('0');
    const ids = `my replication IDs are '${m.master_replid}' and '0000000000000000000000000000000000000000'`;
    sim.setNet('replica1', true, false);
    sim.runUntil(7500);
    expect(messages(sim, 'master')).toContain(
      `Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${oldId}', ${ids})`,
    );
    expect(sim.exec('replica1', ['GET', 'foo'])).toEqual({ t: 'bulk', v: 'bar' });
  });
});

describe('a full sync makes the next write start with SELECT again, for every replica', () => {
  it('50, a second replica full-syncs at 50, then SET b 2 costs 23 + 27: 100', () => {
    // replicationSetupSlaveForFullResync sets slaveseldb = -1 (checked on a real 7.0.15, with
    // repl-diskless-sync-delay 0 and no PINGs: 50 → 100 on the master and both replicas).
    const sim = lab({}, 2);
    sim.exec('master', ['CONFIG', 'SET', 'repl-diskless-sync-delay', '0']);
    sim.exec('master', ['CONFIG', 'SET', 'repl-ping-replica-period', '3600']);
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.runUntil(1000);
    sim.exec('master', ['SET', 'a', '1']); // SELECT 0 + SET a 1 = 23 + 27 = 50
    sim.exec('replica2', ['REPLICAOF', 'master', '6379']);
    sim.runUntil(2000);
    expect(messages(sim, 'replica2')).toContain(
      `Full resync from master: ${info(sim, 'master').master_replid}:50`,
    );
    sim.exec('master', ['SET', 'b', '2']); // SELECT 0 again + SET b 2: 50 + 23 + 27 = 100
    sim.runUntil(2100);
    for (const s of ['master', 'replica1', 'replica2'])
      expect(info(sim, s).master_repl_offset, s).toBe(String(2 * (SELECT_0 + SET_A_1)));
  });
});

describe('PSYNC2 both ways: promote the replica, then the old master again', () => {
  it('each promotion restarts the stream with SELECT; both ways the other side gets +CONTINUE', () => {
    const sim = lab();
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.runUntil(7000); // in sync at 0
    sim.exec('master', ['SET', 'foo', 'bar']); // 0 + 23 + 31 = 54
    sim.runUntil(7100);
    // replica1 takes over: replid2 = the master's id, valid up to 55.
    sim.exec('replica1', ['REPLICAOF', 'NO', 'ONE']);
    sim.exec('master', ['REPLICAOF', 'replica1', '6379']);
    sim.runUntil(7200);
    expect(messages(sim, 'replica1')).toContain(
      'Partial resynchronization request from 10.0.0.1:6379 accepted. Sending 0 bytes of backlog starting from offset 55.',
    );
    sim.exec('replica1', ['SELECT', '1']);
    sim.exec('replica1', ['SET', 'a', '1']); // 54 + SELECT 1 (23) + SET a 1 (27) = 104
    sim.runUntil(7300);
    expect(info(sim, 'master').master_repl_offset).toBe('104');
    // And back: the old master was a master with a stream in db 0 before; promoted again, it
    // must not trust that: SELECT 0 comes again before its next write.
    sim.exec('master', ['REPLICAOF', 'NO', 'ONE']);
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.runUntil(7400);
    expect(messages(sim, 'master')).toContain(
      'Partial resynchronization request from 10.0.0.2:6379 accepted. Sending 0 bytes of backlog starting from offset 105.',
    );
    sim.exec('master', ['SET', 'a', '1']); // its client is in db 0: 104 + 23 + 27 = 154
    sim.runUntil(7500);
    for (const s of ['master', 'replica1']) {
      expect(info(sim, s).master_repl_offset).toBe('154');
      expect(dumpKeyspace(sim.server(s).keyspace).map((e) => [e.db, e.key])).toEqual([
        [0, 'a'],
        [0, 'foo'],
        [1, 'a'],
      ]);
    }
  });
});

describe('active expiry: the master deletes an expired key within 100 ms and replicates DEL', () => {
  // Wall clock at t = 0: 27 Feb 2020 14:06:23.000 UTC = 1582812383000 ms.
  const WALL0 = 1582812383000;
  for (const version of ['7.0', '5.0'] as const) {
    it(`${version}: SET k v EX 1 at 7 s is gone from the master by 8.1 s; DEL costs 20 bytes`, () => {
      const sim = lab({ version });
      sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
      sim.runUntil(7000); // in sync at offset 0, no PING before 10.001 s
      expect(info(sim, 'replica1').master_repl_offset).toBe('0');
      sim.exec('master', ['SET', 'k', 'v', 'EX', '1']);
      // 7.0 rewrites it as SET k v PXAT 1582812391000:
      //   *5\r\n (4) SET (9) k (7) v (7) $4\r\nPXAT\r\n (10) $13\r\n<13 digits>\r\n (20) = 57.
      // 5.0 propagates it as is: *5\r\n (4) SET (9) k (7) v (7) $2\r\nEX\r\n (8) $1\r\n1\r\n (7) = 42.
      const setBytes = version === '7.0' ? 4 + 9 + 7 + 7 + 10 + 20 : 4 + 9 + 7 + 7 + 8 + 7;
      const written = SELECT_0 + setBytes;
      expect(info(sim, 'master').master_repl_offset).toBe(String(written));
      // Expires at wall 1582812391000 = t 8000 ms. Until then both sides hold it.
      sim.runUntil(7999);
      expect(keysOf(sim, 'master')).toEqual(['k']);
      expect(keysOf(sim, 'replica1')).toEqual(['k']);
      expect(dumpKeyspace(sim.server('master').keyspace)[0]!.expireAt).toBe(WALL0 + 8000);
      // The expire cycle runs 10 times a second: the key goes by 8100 at the latest, and the
      // master feeds DEL k (no SELECT: the stream is already in db 0).
      sim.runUntil(8100);
      expect(keysOf(sim, 'master')).toEqual([]);
      expect(info(sim, 'master').master_repl_offset).toBe(String(written + DEL_K));
      // Replicas never expire keys themselves: the DEL from the master removed it.
      expect(keysOf(sim, 'replica1')).toEqual([]);
      expect(info(sim, 'replica1').master_repl_offset).toBe(String(written + DEL_K));
    });
  }
});

describe('bandwidth: a transfer of n bytes at B bytes/s takes n/B s, plus the latency', () => {
  // 1000 keys "key:0000".."key:0999" holding "abcdefghijklmnopqrst" (20 bytes, not a number, too
  // short for LZF: RDB strings are compressed from 21 bytes on). RDB bytes, by hand:
  //   "REDIS0010"                                                        9
  //   aux fields, each 0xFA + key + value (string = 1 length byte + bytes; small ints 2 or 5):
  //     redis-ver 7.0.15      1 + (1+9)  + (1+6)                        18
  //     redis-bits 64         1 + (1+10) + 2 (8-bit int)                14
  //     ctime 1582812383      1 + (1+5)  + 5 (32-bit int)               12
  //     used-mem              1 + (1+8)  + 5 (32-bit int)               15
  //     repl-stream-db 0      1 + (1+14) + 2                            18
  //     repl-id <40 hex>      1 + (1+7)  + (1+40) (see incompressible)  50
  //     repl-offset 0         1 + (1+11) + 2                            15
  //     aof-base 0            1 + (1+8)  + 2                            12
  //   SELECTDB 0 (0xFE 0x00) 2; RESIZEDB 1000 0 (0xFB, 2-byte length 1000, 1-byte 0) 4
  //   each key: type 1 + key (1+8) + value (1+20) = 31, × 1000            31000
  //   EOF 0xFF + CRC64 8                                                  9
  //   total = 9 + 154 + 6 + 31000 + 9 = 31178 (checked: real 7.0.15 printed "receiving 31178 bytes")
  const RDB_BYTES = 9 + (18 + 14 + 12 + 15 + 18 + 50 + 15 + 12) + (2 + 4) + 1000 * 31 + 9;
  const B = 100_000; // bytes per second: 100 bytes per ms
  const LATENCY = 0.5;

  function loaded(diskless: boolean): Simulation {
    const sim = lab({ bytesPerSec: B, latencyMs: LATENCY });
    if (!diskless) sim.exec('master', ['CONFIG', 'SET', 'repl-diskless-sync', 'no']);
    for (let i = 0; i < 1000; i++)
      sim.exec('master', ['SET', `key:${String(i).padStart(4, '0')}`, 'abcdefghijklmnopqrst']);
    return sim;
  }
  /** LZF finds nothing to compress in a string with no repeated 3-byte sequence. */
  const incompressible = (s: string): boolean => {
    const seen = new Set<string>();
    for (let i = 0; i + 3 <= s.length; i++) {
      if (seen.has(s.slice(i, i + 3))) return false;
      seen.add(s.slice(i, i + 3));
    }
    return true;
  };

  it('to disk: the RDB leaves at the 101 ms cron tick and lands (8 + 31178) / 100 + 0.5 ms later', () => {
    const sim = loaded(false);
    expect(RDB_BYTES).toBe(31178);
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    // Handshake and PSYNC take a few ms; the BGSAVE child ends 2 ms after; the parent notices
    // at the next 10 Hz cron tick, 101 ms, and sends "$31178\r\n" (8 bytes) then the file.
    const sent = 101 + (8 + RDB_BYTES) / (B / 1000); // 101 + 311.86 = 412.86
    const arrive = sent + LATENCY; // 413.36
    // The master puts the replica online once the kernel has taken its last write
    // (sendBulkToSlave): 31 KB fit the socket's send buffer, so at the 101 ms tick itself, while
    // the bytes are still crossing the link (as redis-server 7.0.15 does over the conformance
    // proxy's slow link: bandwidth-full-sync)…
    sim.runUntil(101.5);
    expect(info(sim, 'master').slave0).toContain('state=online');
    sim.runUntil(sent - 0.01);
    expect(info(sim, 'replica1').master_link_status).toBe('down');
    // …the replica loads it when that byte arrives.
    sim.runUntil(arrive - 0.01);
    expect(incompressible(info(sim, 'master').master_replid!)).toBe(true);
    expect(messages(sim, 'replica1')).toContain(
      `MASTER <-> REPLICA sync: receiving ${RDB_BYTES} bytes from master to disk`,
    );
    expect(info(sim, 'replica1').master_link_status).toBe('down');
    sim.runUntil(arrive + 0.01);
    expect(info(sim, 'replica1').master_link_status).toBe('up');
    expect(sim.exec('replica1', ['DBSIZE'])).toEqual({ t: 'int', v: 1000 });
  });

  it('diskless: a newline, +FULLRESYNC, the EOF header and RDB + mark leave at 5001 ms and land in 313.72 ms', () => {
    const sim = loaded(true);
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    // The diskless delay ends at the cron tick 5.001 s. At that tick, one after the other: the
    // keep-alive newline that cron writes to a replica still waiting (1 byte; replicationCron
    // sends it before it starts the pending fork), then
    //   "+FULLRESYNC <40 hex> 0\r\n" = 1 + 10 + 1 + 40 + 1 + 1 + 2 = 56 bytes,
    //   "$EOF:<40 hex>\r\n" = 5 + 40 + 2 = 47 bytes, the RDB and the 40-byte end mark.
    const bytes = 1 + 56 + 47 + RDB_BYTES + 40; // 31322
    const arrive = 5001 + bytes / (B / 1000) + LATENCY; // 5001 + 313.22 + 0.5 = 5314.72
    sim.runUntil(arrive - 0.01);
    expect(info(sim, 'replica1').master_link_status).toBe('down');
    sim.runUntil(arrive + 0.01);
    expect(info(sim, 'replica1').master_link_status).toBe('up');
    expect(sim.exec('replica1', ['DBSIZE'])).toEqual({ t: 'int', v: 1000 });
  });

  it('a 1030-byte write reaches the replica 10.3 ms + the latency after it was made', () => {
    const sim = lab({ bytesPerSec: B, latencyMs: LATENCY });
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.exec('master', ['SET', 'warm', 'up']); // nothing yet: no replica attached, no backlog
    sim.runUntil(7000);
    sim.exec('master', ['SET', 'a', 'b']); // SELECT 0 + SET a b: 23 + 27 = 50 bytes, 0.5 ms
    sim.runUntil(7100);
    const t0 = sim.now;
    const base = Number(info(sim, 'master').master_repl_offset);
    expect(base).toBe(SELECT_0 + SET_A_1);
    // *3\r\n (4) SET (9) $2\r\nk0\r\n (8) $1000\r\n<1000>\r\n (1 + 4 + 2 + 1000 + 2 = 1009) = 1030
    sim.exec('master', ['SET', 'k0', 'x'.repeat(1000)]);
    const arrive = t0 + 1030 / (B / 1000) + LATENCY; // 7100 + 10.3 + 0.5 = 7110.8
    sim.runUntil(arrive - 0.01);
    expect(info(sim, 'replica1').master_repl_offset).toBe(String(base));
    sim.runUntil(arrive + 0.01);
    expect(info(sim, 'replica1').master_repl_offset).toBe(String(base + 1030));
  });
});

describe('5.0: the backlog is a ring of exactly repl-backlog-size bytes', () => {
  // SET k<i> <1000 × "x">: *3\r\n (4) SET (9) key (1 + 1 + 2 + len + 2) value (1009)
  //   k0..k9: key "$2\r\nk0\r\n" = 8 → 1030;  k10..k19: "$3\r\nk10\r\n" = 9 → 1031
  const bigSet = (i: number): number => 4 + 9 + (1 + 1 + 2 + String(i).length + 1 + 2) + 1009;
  const SIZE = 16384;

  function ring(): Simulation {
    const sim = lab({ version: '5.0' });
    for (const s of ['master', 'replica1'])
      sim.exec(s, ['CONFIG', 'SET', 'repl-backlog-size', String(SIZE)]);
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.runUntil(3000); // 5.0: disk sync at once; offset 0; the first PING is at 10.001 s
    expect(info(sim, 'master').master_repl_offset).toBe('0');
    return sim;
  }

  it('after 20633 bytes in a 16384-byte ring: histlen 16384, first byte 20633 - 16384 + 1', () => {
    const sim = ring();
    expect(bigSet(0)).toBe(1030);
    expect(bigSet(10)).toBe(1031);
    for (let i = 0; i < 20; i++) sim.exec('master', ['SET', `k${i}`, 'x'.repeat(1000)]);
    sim.runUntil(4000);
    const total = SELECT_0 + 10 * 1030 + 10 * 1031; // 23 + 10300 + 10310 = 20633
    for (const s of ['master', 'replica1']) {
      // The replica's backlog holds the stream it applied, in a ring of its own 16384 bytes.
      expect(info(sim, s)).toMatchObject({
        master_repl_offset: String(total),
        repl_backlog_histlen: String(SIZE),
        repl_backlog_first_byte_offset: String(total - SIZE + 1), // 4250
      });
    }
  });

  it('below its size the ring holds every byte; CONFIG SET of a new size empties it', () => {
    const sim = ring();
    for (let i = 0; i < 10; i++) sim.exec('master', ['SET', `k${i}`, 'x'.repeat(1000)]);
    const total = SELECT_0 + 10 * 1030; // 10323 < 16384
    expect(info(sim, 'master')).toMatchObject({
      master_repl_offset: String(total),
      repl_backlog_histlen: String(total),
      repl_backlog_first_byte_offset: '1',
    });
    sim.exec('master', ['CONFIG', 'SET', 'repl-backlog-size', '32768']);
    expect(info(sim, 'master')).toMatchObject({
      repl_backlog_size: '32768',
      repl_backlog_histlen: '0',
      repl_backlog_first_byte_offset: String(total + 1),
    });
  });
});

describe('MULTI/EXEC on the wire (7.0 propagatePendingCommands)', () => {
  // *1\r\n (4) $5\r\nMULTI\r\n (11) = 15;  *1\r\n (4) $4\r\nEXEC\r\n (10) = 14
  const MULTI = 4 + 11;
  const EXEC = 4 + 10;
  it('two writes: SELECT 0, MULTI, both, EXEC; one write: bare; no change: nothing', () => {
    const sim = lab();
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.runUntil(7000); // in sync at 0
    const run = (...cmds: string[][]): void => {
      sim.exec('master', ['MULTI']);
      for (const c of cmds) sim.exec('master', c);
      sim.exec('master', ['EXEC']);
    };
    run(['SET', 'a', '1'], ['SET', 'b', '2']);
    // The SELECT goes first: MULTI is fed with the db of the first command (ops[0].dbid).
    let off = SELECT_0 + MULTI + SET_A_1 + SET_A_1 + EXEC; // 23 + 15 + 27 + 27 + 14 = 106
    expect(info(sim, 'master').master_repl_offset).toBe(String(off));
    run(['SET', 'a', '3']); // one propagated command: no MULTI/EXEC around it
    off += SET_A_1; // 133
    expect(info(sim, 'master').master_repl_offset).toBe(String(off));
    run(['DEL', 'nokey'], ['GET', 'a']); // nothing changed: nothing propagated
    expect(info(sim, 'master').master_repl_offset).toBe(String(off));
    sim.runUntil(7100);
    expect(info(sim, 'replica1').master_repl_offset).toBe(String(off));
    expect(keysOf(sim, 'replica1')).toEqual(['a', 'b']);
  });

  it('5.0 wraps every transaction that ran a write command, even one or none changing data', () => {
    // 5.0 execCommand propagates MULTI before the first command that is neither read-only nor
    // admin (execCommandPropagateMulti), and EXEC after (server.dirty++), whatever changed:
    //   MULTI; SET a 1; EXEC      → SELECT 0 + MULTI + SET a 1 + EXEC = 23 + 15 + 27 + 14 = 79
    //   MULTI; DEL nokey; EXEC    → MULTI + EXEC = 15 + 14 = 29 more (108)
    // The engine propagates a lone write bare and an unchanged dataset not at all (7.0's rules).
    const sim = lab({ version: '5.0' });
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.runUntil(3000);
    sim.exec('master', ['MULTI']);
    sim.exec('master', ['SET', 'a', '1']);
    sim.exec('master', ['EXEC']);
    expect(info(sim, 'master').master_repl_offset).toBe(String(SELECT_0 + MULTI + SET_A_1 + EXEC));
    sim.exec('master', ['MULTI']);
    sim.exec('master', ['DEL', 'nokey']);
    sim.exec('master', ['EXEC']);
    expect(info(sim, 'master').master_repl_offset).toBe(
      String(SELECT_0 + MULTI + SET_A_1 + EXEC + MULTI + EXEC),
    );
  });
});

// Engine bugs found while writing these tests and the properties. `it.fails` keeps the suite green while the bug
// stands; once the engine is fixed the test passes, `it.fails` reports it, and it becomes `it`.
describe('known engine bugs (5.0 dialect)', () => {
  it('5.0 RDB: the last aux field is aof-preamble (12 chars), not 7.0’s aof-base', () => {
    // Redis 5.0.14 rdbSaveInfoAuxFields ends with rdbSaveAuxFieldStrInt(rdb,"aof-preamble",…);
    // 7.0 replaced it with "aof-base". An empty dataset's RDB is 172 bytes in 7.0 (seen on a real
    // 7.0.15: "receiving 172 bytes"); in 5.0 the aux key is 4 bytes longer: 1 + (1+12) + 2 = 16
    // instead of 1 + (1+8) + 2 = 12, so 176 bytes ("REDIS0009" is as long as "REDIS0010").
    const sim = lab({ version: '5.0' });
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.runUntil(2000);
    expect(messages(sim, 'replica1')).toContain(
      'MASTER <-> REPLICA sync: receiving 176 bytes from master',
    );
  });

  it('5.0: CONFIG SET repl-backlog-size below 16 KB on a 16 KB backlog keeps its bytes', () => {
    // 5.0 resizeReplicationBacklog: newsize < 16 KB becomes 16 KB; `if (server.repl_backlog_size
    // == newsize) return;` comes before the flush. So 16384 → "1000" (= 16384) flushes nothing.
    const sim = lab({ version: '5.0' });
    for (const s of ['master', 'replica1'])
      sim.exec(s, ['CONFIG', 'SET', 'repl-backlog-size', '16384']);
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.runUntil(2000);
    sim.exec('master', ['SET', 'foo', 'bar']); // SELECT 0 + SET foo bar = 23 + 31 = 54 bytes
    sim.exec('master', ['CONFIG', 'SET', 'repl-backlog-size', '1000']);
    expect(info(sim, 'master')).toMatchObject({
      repl_backlog_size: '16384',
      repl_backlog_histlen: String(SELECT_0 + SET_FOO_BAR),
      repl_backlog_first_byte_offset: '1',
    });
  });

  it('5.0: a transaction bigger than the ring still reaches the replica whole', () => {
    // A 5.0 replica's output buffer is its own (addReply per replica), not the ring backlog, so
    // what does not fit in the ring is still sent. The engine sends replicas what the ring still
    // holds after the whole unit was fed: here SELECT 1 and MULTI fell out of 16384 bytes first.
    //   SELECT 1 (23) + MULTI (15) + SET a <10000 × x> (4 + 9 + 7 + 1 + 5 + 2 + 10000 + 2 = 10030)
    //   + SET b <…> (10030) + EXEC (14) = 20112 bytes.
    // The replica ends at 20074 (38 short) with a and b in db 0. A replica proxying a catch-up of
    // more than its own ring size to a sub-replica loses bytes the same way.
    const sim = lab({ version: '5.0' });
    for (const s of ['master', 'replica1'])
      sim.exec(s, ['CONFIG', 'SET', 'repl-backlog-size', '16384']);
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.runUntil(7000);
    sim.exec('master', ['SELECT', '1']);
    sim.exec('master', ['MULTI']);
    sim.exec('master', ['SET', 'a', 'x'.repeat(10_000)]);
    sim.exec('master', ['SET', 'b', 'x'.repeat(10_000)]);
    sim.exec('master', ['EXEC']);
    sim.runUntil(7100);
    const total = SELECT_0 + 15 + 2 * (4 + 9 + 7 + (1 + 5 + 2 + 10_000 + 2)) + 14;
    expect(info(sim, 'master').master_repl_offset).toBe(String(total));
    expect(info(sim, 'replica1').master_repl_offset).toBe(String(total));
    expect(dumpKeyspace(sim.server('replica1').keyspace).map((e) => [e.db, e.key])).toEqual([
      [1, 'a'],
      [1, 'b'],
    ]);
  });

  it('5.0: writes made while a replica waits for its BGSAVE all reach it, past the ring', () => {
    // Same root cause as above: in 5.0 a replica in WAIT_BGSAVE_END buffers the stream in its own
    // output buffer; the engine keeps it only in the 16384-byte ring, so the replica gets the RDB
    // and then only the last 16384 bytes. (CONFIG SET repl-backlog-size during the BGSAVE, which
    // empties the ring, loses them all the same way.)
    //   SELECT 0 (23) + SET k0..k9 <1000 × x> (1030 each) + SET k10..k19 (1031 each) = 20633
    // The ring then starts at 20633 - 16384 + 1 = 4250: SELECT, k0..k3 (up to 23 + 4 × 1030 =
    // 4143) are lost; the engine's replica ends 4143 bytes short, without k0..k3.
    const sim = lab({ version: '5.0' });
    sim.exec('master', ['CONFIG', 'SET', 'repl-backlog-size', '16384']);
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.runUntil(50); // PSYNC at ~6 ms, disk BGSAVE at once; its end is noticed at the 101 ms tick
    expect(messages(sim, 'master')).toContain('Starting BGSAVE for SYNC with target: disk');
    for (let i = 0; i < 20; i++) sim.exec('master', ['SET', `k${i}`, 'x'.repeat(1000)]);
    sim.runUntil(1000);
    const total = SELECT_0 + 10 * 1030 + 10 * 1031;
    expect(info(sim, 'master').master_repl_offset).toBe(String(total));
    expect(info(sim, 'replica1').master_repl_offset).toBe(String(total));
    expect(keysOf(sim, 'replica1')).toHaveLength(20);
  });
});

describe('known engine bugs (7.0)', () => {
  it('a replica restarted while its link is down keeps the stream’s db from its cached master', () => {
    // rdb.c rdbPopulateSaveInfo: on a replica, repl-stream-db is server.master->db->id, else
    // server.cached_master->db->id. The engine saves 0 when the master link is down, so after the
    // restart the partial resync continues in db 0 what the master streams for db 1. Seen on a
    // real 7.0.15 (link broken by REPLICAOF to a closed port, SHUTDOWN SAVE, restart): b in db 1.
    const sim = lab();
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.runUntil(7000);
    sim.exec('master', ['SELECT', '1']);
    sim.exec('master', ['SET', 'a', '1']); // stream: SELECT 1, SET a 1
    sim.runUntil(7100);
    sim.setNet('replica1', false, false);
    sim.runUntil(7200);
    sim.restart('replica1');
    sim.exec('master', ['SET', 'b', '2']); // no SELECT: the stream is in db 1 already
    sim.setNet('replica1', true, false);
    sim.runUntil(9000);
    expect(messages(sim, 'replica1')).toContain(
      'Successful partial resynchronization with master.',
    );
    expect(dumpKeyspace(sim.server('replica1').keyspace).map((e) => [e.db, e.key])).toEqual([
      [1, 'a'],
      [1, 'b'],
    ]);
  });

  it('a promoted replica expires keys actively (here: 80 → 123, SELECT 0 + DEL k)', () => {
    // activeExpireCycle runs on every master (databasesCron: iAmMaster()), so a replica promoted
    // with REPLICAOF NO ONE deletes its expired keys and feeds DEL to its own backlog. The engine
    // schedules expiry only on start and on writes that set a TTL, so the promoted replica keeps
    // the key. Seen on a real 7.0.15: master_repl_offset 80 → 123, dbsize 1 → 0, expired_keys 1.
    const sim = lab();
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.runUntil(7000);
    sim.exec('master', ['SET', 'k', 'v', 'EX', '2']); // SELECT 0 + SET k v PXAT <13 digits>: 23 + 57
    sim.runUntil(7500);
    sim.exec('replica1', ['REPLICAOF', 'NO', 'ONE']);
    expect(info(sim, 'replica1').master_repl_offset).toBe('80');
    sim.runUntil(9100); // k expired at 9000; the promoted replica's expire cycle runs at 9001
    expect(keysOf(sim, 'replica1')).toEqual([]);
    // After the promotion its stream starts with SELECT again: 80 + 23 + 20 = 123.
    expect(info(sim, 'replica1').master_repl_offset).toBe(String(80 + SELECT_0 + DEL_K));
  });

  it('a replica waiting for a delayed diskless BGSAVE is kept alive by the master’s newlines', () => {
    // replicationCron writes "\n" once a second to every replica in WAIT_BGSAVE_START; the replica
    // reads it as an empty PSYNC reply (PSYNC_WAIT_REPLY), which refreshes repl_transfer_lastio.
    // Without it, a repl-timeout shorter than the diskless delay times the handshake out forever.
    // Seen on a real 7.0.15 with repl-diskless-sync-delay 8 and the replica's repl-timeout 5: the
    // full sync finished at ~8 s; the engine logs "Timeout connecting to the MASTER..." at 6 s.
    const sim = lab();
    sim.exec('master', ['CONFIG', 'SET', 'repl-diskless-sync-delay', '8']);
    sim.exec('replica1', ['CONFIG', 'SET', 'repl-timeout', '5']);
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.runUntil(11_000); // BGSAVE at the 8.001 s tick
    expect(messages(sim, 'replica1')).not.toContain('Timeout connecting to the MASTER...');
    expect(info(sim, 'replica1').master_link_status).toBe('up');
  });
});
