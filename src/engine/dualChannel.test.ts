import { describe, expect, it } from 'vitest';
import type { SimEvent } from './events';
import { replicationFields } from './info';
import { Simulation } from './sim';
import type { Version } from './types';

type Message = Extract<SimEvent, { type: 'message' }>;

/** Messages of a server's log lines (the text after `pid:R date time L `). */
const messages = (sim: Simulation, name: string): string[] =>
  sim.server(name).log.map((l) => l.replace(/^\d+:[MSC] \d\d \w{3} \d{4} [\d:.]+ [*#.-] /, ''));
const info = (sim: Simulation, name: string): Record<string, string> =>
  Object.fromEntries(replicationFields(sim.state, sim.server(name)));

// RESP sizes worked out by hand:
// REPLCONF listening-port 6380: *3 (4) + $8 REPLCONF (14) + $14 listening-port (21) + $4 6380 (10)
const REPLCONF_PORT = 4 + 14 + 21 + 10;
// REPLCONF capa eof capa psync2 capa dual-channel: *7 (4) + REPLCONF (14) + 3 × $4 capa (10)
//   + $3 eof (9) + $6 psync2 (12) + $12 dual-channel (19)
const REPLCONF_CAPA_DUAL = 4 + 14 + 30 + 9 + 12 + 19;
// REPLCONF version 8.0.1: *3 (4) + REPLCONF (14) + $7 version (13) + $5 8.0.1 (11)
const REPLCONF_VERSION = 4 + 14 + 13 + 11;
// The rdb channel: REPLCONF capa eof rdb-only 1 rdb-channel 1 listening-port 6380: *9 (4)
//   + REPLCONF (14) + capa (10) + eof (9) + $8 rdb-only (14) + $1 1 (7) + $11 rdb-channel (18)
//   + 1 (7) + listening-port (21) + 6380 (10)
const REPLCONF_RDB = 4 + 14 + 10 + 9 + 14 + 7 + 18 + 7 + 21 + 10;
// PSYNC <40 hex> 1: *3 (4) + $5 PSYNC (11) + $40 id (47) + $1 1 (7)
const PSYNC_FROM_1 = 4 + 11 + 47 + 7;
// The writes made during the transfer, as the stream carries them: SELECT 0 (23),
// SET during 1: *3 (4) + $3 SET (9) + $6 during (12) + $1 1 (7) = 32; INCR during: *2 (4)
//   + $4 INCR (10) + during (12) = 26. Real Valkey 8.0.1: master_repl_offset 81.
const WRITES = 23 + 32 + 26;
// The replica's local buffer: one block of PROTO_REPLY_CHUNK_BYTES (16384) plus its 16-byte
// header, in jemalloc's 20480 size class, less the header.
const LOCAL_BLOCK = 20480 - 16;

/** 1000 bytes LZF cannot shrink (a deterministic pseudo-random string). */
function blob(seed: number): string {
  let x = seed * 7919 + 13;
  let out = '';
  const abc = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  for (let i = 0; i < 1000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += abc[x % abc.length];
  }
  return out;
}

/**
 * The corpus script dual-channel.lab's setup: 2048 bytes/s links, four 1000-byte values, dual
 * channel on both (with a 250 ms per key save delay), REPLICAOF at 600 ms.
 */
function lab(version: Version = 'valkey-8.0', dual = true): { sim: Simulation; msgs: Message[] } {
  const sim = new Simulation({ seed: 3, version, bytesPerSec: 2048 });
  const msgs: Message[] = [];
  sim.subscribe((e) => {
    if (e.type === 'message') msgs.push(e);
  });
  sim.addServer('master', '127.0.0.1', 6379);
  sim.addServer('replica1', '127.0.0.1', 6380);
  sim.exec('master', ['CONFIG', 'SET', 'repl-ping-replica-period', '3600']);
  sim.exec('replica1', ['CONFIG', 'SET', 'repl-ping-replica-period', '3600']);
  sim.exec('master', ['CONFIG', 'SET', 'repl-diskless-sync-delay', '0']);
  if (dual) {
    sim.exec('master', [
      'CONFIG',
      'SET',
      'dual-channel-replication-enabled',
      'yes',
      'rdb-key-save-delay',
      '250000',
    ]);
    sim.exec('replica1', ['CONFIG', 'SET', 'dual-channel-replication-enabled', 'yes']);
  }
  sim.advance(600);
  for (let i = 0; i < 4; i++) sim.exec('master', ['SET', `blob:${i}`, blob(i)]);
  sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
  return { sim, msgs };
}

describe('Valkey 8 dual-channel full sync', () => {
  it('only Valkey has the parameter: Redis 7.0 answers as for any unknown one', () => {
    const sim = new Simulation({ version: '7.0' });
    sim.addServer('m', '127.0.0.1', 6379);
    expect(sim.exec('m', ['CONFIG', 'SET', 'dual-channel-replication-enabled', 'yes'])).toEqual({
      t: 'error',
      v: "ERR Unknown option or number of arguments for CONFIG SET - 'dual-channel-replication-enabled'",
    });
    const v = new Simulation({ version: 'valkey-8.0' });
    v.addServer('m', '127.0.0.1', 6379);
    expect(v.exec('m', ['CONFIG', 'GET', 'dual-channel-replication-enabled'])).toEqual({
      t: 'array',
      v: [
        { t: 'bulk', v: 'dual-channel-replication-enabled' },
        { t: 'bulk', v: 'no' },
      ],
    });
  });

  it('runs the handshake on two connections, with the bytes of each message', () => {
    const { sim, msgs } = lab();
    sim.advance(1000);
    sim.exec('master', ['SET', 'during', '1']);
    sim.exec('master', ['INCR', 'during']);
    sim.advance(4000);
    const conns = [...new Set(msgs.map((m) => m.conn))];
    expect(conns).toHaveLength(2);
    const [main, rdb] = conns as [number, number];
    const on = (c: number) => msgs.filter((m) => m.conn === c);
    const mainToMaster = on(main).filter((m) => m.to === 'master');
    expect(mainToMaster.slice(0, 6).map((m) => [m.kind, m.bytes])).toEqual([
      ['PING', 14],
      ['REPLCONF', REPLCONF_PORT + REPLCONF_CAPA_DUAL + REPLCONF_VERSION],
      ['PSYNC', PSYNC_FROM_1], // PSYNC <replica's own id> 1: refused, +DUALCHANNELSYNC
      ['REPLCONF', 49], // REPLCONF set-rdb-client-id <1 digit>: *3 + REPLCONF + $17… (24) + $1 (7)
      ['PSYNC', PSYNC_FROM_1], // from the $ENDOFF offset + 1
      ['ACK', 4 + 14 + 9 + 8], // REPLCONF ACK 81: *3 + REPLCONF + $3 ACK (9) + $2 81 (8)
    ]);
    const mainToReplica = on(main).filter((m) => m.to === 'replica1');
    expect(mainToReplica.map((m) => m.kind)).toEqual([
      'PONG',
      'OK',
      'OK',
      'OK',
      'DUALCHANNELSYNC',
      'OK',
      'CONTINUE',
      'STREAM',
      'STREAM',
    ]);
    expect(mainToReplica.find((m) => m.kind === 'DUALCHANNELSYNC')!.bytes).toBe(18);
    // The writes made during the transfer go on the main channel, not after the RDB.
    const stream = mainToReplica.filter((m) => m.kind === 'STREAM');
    expect(stream.reduce((n, m) => n + m.bytes, 0)).toBe(WRITES);
    const rdbToMaster = on(rdb).filter((m) => m.to === 'master');
    expect(rdbToMaster.map((m) => [m.kind, m.bytes])).toEqual([
      ['REPLCONF', REPLCONF_RDB],
      ['SYNC', 6],
    ]);
    const rdbToReplica = on(rdb).filter((m) => m.to === 'replica1');
    expect(rdbToReplica.map((m) => m.kind)).toEqual(['OK', 'ENDOFF', 'RDB', 'RDB']);
    const endoff = rdbToReplica[1]!;
    // $ENDOFF:0 <40 hex> 0 <id>\r\n
    expect(endoff.label).toMatch(/^\$ENDOFF:0 [0-9a-f]{40} 0 \d$/);
    expect(endoff.bytes).toBe(8 + 1 + 1 + 40 + 1 + 1 + 1 + 1 + 2);
    // $EOF:<40-byte mark>\r\n before the payload, the mark again after it.
    expect(rdbToReplica[2]!.bytes).toBe(47);
  });

  it('the primary streams the writes to the replica, which buffers them until the RDB is loaded', () => {
    const { sim } = lab();
    sim.advance(1000);
    // Both connections on the primary: the rdb channel waits for the RDB, the main one streams.
    let m = info(sim, 'master');
    expect(m['connected_slaves']).toBe('2');
    expect(m['slave0']).toBe(
      'ip=127.0.0.1,port=6380,state=wait_bgsave,offset=0,lag=0,type=rdb-channel',
    );
    expect(m['slave1']).toBe(
      'ip=127.0.0.1,port=6380,state=bg_transfer,offset=0,lag=0,type=main-channel',
    );
    expect(m['replicas_waiting_psync']).toBe('0');
    sim.exec('master', ['SET', 'during', '1']);
    sim.exec('master', ['INCR', 'during']);
    sim.advance(1000);
    m = info(sim, 'master');
    expect(m['master_repl_offset']).toBe(String(WRITES));
    const main = sim.server('master').slaves.find((r) => !r.rdbChannel)!;
    // Nothing waits in the primary's output buffer for this replica: it has been sent.
    expect(main.sentOffset).toBe(WRITES);
    let r = info(sim, 'replica1');
    expect(r['master_sync_in_progress']).toBe('1');
    expect(r['replicas_repl_buffer_size']).toBe(String(LOCAL_BLOCK));
    expect(r['replicas_repl_buffer_peak']).toBe(String(LOCAL_BLOCK));
    expect(r['slave_repl_offset']).toBe('0');
    expect(sim.exec('replica1', ['GET', 'during'])).toEqual({ t: 'bulk', v: null });
    sim.advance(3000);
    r = info(sim, 'replica1');
    expect(r['master_link_status']).toBe('up');
    expect(r['slave_repl_offset']).toBe(String(WRITES));
    expect(r['replicas_repl_buffer_size']).toBe('0');
    expect(r['replicas_repl_buffer_peak']).toBe(String(LOCAL_BLOCK));
    // The backlog starts after the buffered writes (real: first byte 82, histlen 0).
    expect(r['repl_backlog_first_byte_offset']).toBe(String(WRITES + 1));
    expect(r['repl_backlog_histlen']).toBe('0');
    expect(sim.exec('replica1', ['GET', 'during'])).toEqual({ t: 'bulk', v: '2' });
    m = info(sim, 'master');
    expect(m['connected_slaves']).toBe('1');
    expect(m['slave0']).toBe(
      `ip=127.0.0.1,port=6380,state=online,offset=${WRITES},lag=0,type=replica`,
    );
  });

  it('logs each step in Valkey 8.0.1’s words and order', () => {
    const { sim } = lab();
    sim.advance(1000);
    sim.exec('master', ['SET', 'during', '1']);
    sim.advance(4000);
    const m = messages(sim, 'master').filter((l) => !/^(Fork CoW|Running|Ready|Server)/.test(l));
    const start = m.findIndex((l) => l.startsWith('Replica 127.0.0.1:6380 asks'));
    expect(
      m.slice(start).map((l) => l.replace(/[0-9a-f]{40}/g, 'ID').replace(/pid \d+/, 'pid N')),
    ).toEqual([
      'Replica 127.0.0.1:6380 asks for synchronization',
      "Partial resynchronization not accepted: Replication ID mismatch (Replica asked for 'ID', my replication IDs are 'ID' and 'ID')",
      "Replica 127.0.0.1:6380 is capable of dual channel synchronization, and partial sync isn't possible. Full sync will continue with dedicated RDB channel.",
      'Replica 127.0.0.1:6380 asks for synchronization',
      "Replication backlog created, my new replication IDs are 'ID' and 'ID'",
      'Starting BGSAVE for SYNC with target: replicas sockets using: dual-channel',
      expect.stringMatching(
        /^Sending to replica 127\.0\.0\.1:6380 RDB end offset 0 and client-id \d+$/,
      ),
      'Background RDB transfer started by pid N to direct socket to replica',
      'Replica 127.0.0.1:6380 asks for synchronization',
      'Partial resynchronization request from 127.0.0.1:6380 accepted. Sending 0 bytes of backlog starting from offset 1.',
      'Background RDB transfer terminated with success',
      'Streamed RDB transfer with replica 127.0.0.1:6380 succeeded (socket). Waiting for REPLCONF ACK from replica to enable streaming',
      'RDB transfer completed, rdb only replica (127.0.0.1:6380) should be disconnected asap',
      'Replica 127.0.0.1:6380 rdb channel disconnected.',
      'Synchronization with replica 127.0.0.1:6380 succeeded',
    ]);
    const r = messages(sim, 'replica1');
    const from = r.findIndex((l) => l.startsWith('Trying a partial resynchronization'));
    expect(r.slice(from).map((l) => l.replace(/[0-9a-f]{40}/g, 'ID'))).toEqual([
      'Trying a partial resynchronization (request ID:1).',
      'PSYNC is not possible, initialize RDB channel.',
      'Trying a partial resynchronization using main channel (request ID:1).',
      'Primary <-> REPLICA sync: Primary accepted a Partial Resynchronization, RDB load in background.',
      'PRIMARY <-> REPLICA sync: receiving streamed RDB from primary with EOF to disk',
      'Discarding previously cached primary state.',
      'PRIMARY <-> REPLICA sync: Flushing old data',
      'PRIMARY <-> REPLICA sync: Loading DB in memory',
      'Loading RDB produced by Valkey version 8.0.1',
      expect.stringMatching(/^RDB age \d+ seconds$/),
      'RDB memory usage when created 0.98 Mb',
      'Done loading RDB, keys loaded: 4, keys expired: 0.',
      'Successfully streamed replication data into memory',
      'PRIMARY <-> REPLICA sync: Finished with success',
    ]);
  });

  it('is off by default: the classic full sync, the writes held by the primary until the RDB is sent', () => {
    const { sim, msgs } = lab('valkey-8.0', false);
    sim.advance(1000);
    sim.exec('master', ['SET', 'during', '1']);
    sim.exec('master', ['INCR', 'during']);
    sim.advance(500);
    expect(new Set(msgs.map((m) => m.conn)).size).toBe(1);
    const r = sim.server('master').slaves[0]!;
    expect(r.replstate).toBe('online');
    // Waiting for the replica's first ACK: the writes stay in its output buffer.
    expect(r.sentOffset).toBe(0);
    expect(info(sim, 'master')['slave0']).toMatch(/,type=replica$/);
    expect(msgs.some((m) => m.kind === 'DUALCHANNELSYNC' || m.kind === 'ENDOFF')).toBe(false);
  });

  it('a reset mid-transfer aborts it; the replica syncs again on two connections', () => {
    const { sim, msgs } = lab();
    sim.advance(1000);
    sim.exec('master', ['SET', 'during', '1']);
    sim.advance(500);
    sim.setNet('replica1', 'down');
    expect(messages(sim, 'replica1')).toContain('Aborting dual channel sync');
    expect(sim.server('replica1').dual ?? null).toBeNull();
    expect(info(sim, 'replica1')['replicas_repl_buffer_size']).toBe('0');
    sim.setNet('replica1', 'up');
    sim.advance(10_000);
    const r = info(sim, 'replica1');
    expect(r['master_link_status']).toBe('up');
    expect(r['slave_repl_offset']).toBe(info(sim, 'master')['master_repl_offset']);
    expect(sim.exec('replica1', ['GET', 'during'])).toEqual({ t: 'bulk', v: '1' });
    // Two syncs, each on its own pair of connections.
    expect(msgs.filter((m) => m.kind === 'DUALCHANNELSYNC')).toHaveLength(2);
    expect(sim.server('master').slaves).toHaveLength(1);
  });
});
