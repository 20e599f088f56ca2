import { describe, expect, it } from 'vitest';
import { VALKEY_VERSION, valkeyMessage } from './valkeyLogs';

const ID = '075c41dc8d1e1d4179c73c9014cee5a1e70bf7a4';
const ID2 = 'c80a1ae820109420524fa1c30e28109f500f801e';
const CLIENT =
  'id=3 addr=127.0.0.1:42890 laddr=127.0.0.1:29902 fd=11 name= age=0 idle=0 flags=N db=0 cmd=replicaof';

// [Redis 7.0 message as the engine writes it, Valkey 8.0.1's]. "observed": copied from the log of a
// real valkey-server 8.0.1 (two instances, REPLICAOF, CLIENT KILL TYPE master, DEBUG SLEEP past
// repl-timeout, REPLICAOF NO ONE, SHUTDOWN, restart from the RDB). "source": the format string in
// valkey 8.0.1's src/<file>, filled in by hand.
const REWORDED: readonly (readonly [string, string])[] = [
  // observed
  [
    'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo',
    'oO0OoO0OoO0Oo Valkey is starting oO0OoO0OoO0Oo',
  ],
  // observed (the engine's Valkey dialect gives 7.2.4 as redis_version; Valkey prints its own)
  [
    'Redis version=7.2.4, bits=64, commit=00000000, modified=0, pid=13025, just started',
    'Valkey version=8.0.1, bits=64, commit=00000000, modified=0, pid=13025, just started',
  ],
  // observed
  ['Ready to accept connections', 'Ready to accept connections tcp'],
  // observed
  ['Redis is now ready to exit, bye bye...', 'Valkey is now ready to exit, bye bye...'],
  // observed
  ['Loading RDB produced by version 7.2.4', 'Loading RDB produced by Valkey version 8.0.1'],
  // source: rdb.c ("Loading RDB produced by Redis version %s", for a redis-ver aux field)
  ['Loading RDB produced by version 7.0.15', 'Loading RDB produced by Redis version 7.0.15'],
  // observed
  [
    'Starting BGSAVE for SYNC with target: replicas sockets',
    'Starting BGSAVE for SYNC with target: replicas sockets using: normal sync',
  ],
  // observed
  [
    'Starting BGSAVE for SYNC with target: disk',
    'Starting BGSAVE for SYNC with target: disk using: normal sync',
  ],
  // observed
  [
    'Background RDB transfer started by pid 13173',
    'Background RDB transfer started by pid 13173 to pipe through parent process',
  ],
  // observed
  [
    'Streamed RDB transfer with replica 127.0.0.1:29902 succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming',
    'Streamed RDB transfer with replica 127.0.0.1:29902 succeeded (socket). Waiting for REPLCONF ACK from replica to enable streaming',
  ],
  // source: replication.c
  [
    'Warning: replica 127.0.0.1:6380 tried to PSYNC with an offset that is greater than the master replication offset.',
    'Warning: replica 127.0.0.1:6380 tried to PSYNC with an offset that is greater than the primary replication offset.',
  ],
  // observed (client info shortened)
  [
    `MASTER MODE enabled (user request from '${CLIENT}')`,
    `PRIMARY MODE enabled (user request from '${CLIENT}')`,
  ],
  // observed
  [
    'REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.',
    'REPLICAOF would result into synchronization with the primary we are already connected with. No operation performed.',
  ],
  // observed
  ['Caching the disconnected master state.', 'Caching the disconnected primary state.'],
  // observed
  [
    'Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.',
    'Before turning into a replica, using my own primary parameters to synthesize a cached primary: I may be able to synchronize with the new primary with just a partial transfer.',
  ],
  // observed
  ['Discarding previously cached master state.', 'Discarding previously cached primary state.'],
  // observed
  ['Connecting to MASTER 127.0.0.1:29901', 'Connecting to PRIMARY 127.0.0.1:29901'],
  // observed
  ['Reconnecting to MASTER 127.0.0.1:29901', 'Reconnecting to PRIMARY 127.0.0.1:29901'],
  // source: replication.c cancelReplicationHandshake
  [
    'Reconnecting to MASTER 127.0.0.1:29901 after failure',
    'Reconnecting to PRIMARY 127.0.0.1:29901 after failure',
  ],
  // source: replication.c connectWithPrimary
  [
    'Unable to connect to MASTER: Network is unreachable',
    'Unable to connect to PRIMARY: Network is unreachable',
  ],
  // observed
  ['MASTER <-> REPLICA sync started', 'PRIMARY <-> REPLICA sync started'],
  // observed
  [
    'Master replied to PING, replication can continue...',
    'Primary replied to PING, replication can continue...',
  ],
  // source: replication.c syncWithPrimary
  [
    "Error reply to PING from master: '-NOAUTH Authentication required.'",
    "Error reply to PING from primary: '-NOAUTH Authentication required.'",
  ],
  // source: replication.c syncWithPrimary
  [
    "(Non critical) Master does not understand REPLCONF listening-port: -ERR unknown command 'REPLCONF'",
    "(Non critical) Primary does not understand REPLCONF listening-port: -ERR unknown command 'REPLCONF'",
  ],
  // source: replication.c syncWithPrimary
  [
    '(Non critical) Master does not understand REPLCONF capa: -ERR syntax error',
    '(Non critical) Primary does not understand REPLCONF capa: -ERR syntax error',
  ],
  // source: replication.c replicaTryPartialResynchronization
  [
    'Partial resynchronization not possible (no cached master)',
    'Partial resynchronization not possible (no cached primary)',
  ],
  // observed
  [`Full resync from master: ${ID}:0`, `Full resync from primary: ${ID}:0`],
  // observed
  [
    'Successful partial resynchronization with master.',
    'Successful partial resynchronization with primary.',
  ],
  // observed
  [`Master replication ID changed to ${ID2}`, `Primary replication ID changed to ${ID2}`],
  // source: replication.c replicaTryPartialResynchronization
  [
    "Master is currently unable to PSYNC but should be in the future: -NOMASTERLINK Can't SYNC while not connected with my master",
    "Primary is currently unable to PSYNC but should be in the future: -NOMASTERLINK Can't SYNC while not connected with my master",
  ],
  // source: replication.c replicaTryPartialResynchronization
  [
    'Master does not support PSYNC or is in error state (reply: -ERR unknown command)',
    'Primary does not support PSYNC or is in error state (reply: -ERR unknown command)',
  ],
  // observed (not the dual-channel wording "Primary <-> REPLICA sync: …")
  [
    'MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.',
    'PRIMARY <-> REPLICA sync: Primary accepted a Partial Resynchronization.',
  ],
  // observed
  [
    'MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk',
    'PRIMARY <-> REPLICA sync: receiving streamed RDB from primary with EOF to disk',
  ],
  // observed
  [
    'MASTER <-> REPLICA sync: receiving 191 bytes from master to disk',
    'PRIMARY <-> REPLICA sync: receiving 191 bytes from primary to disk',
  ],
  // observed
  ['MASTER <-> REPLICA sync: Flushing old data', 'PRIMARY <-> REPLICA sync: Flushing old data'],
  // observed
  [
    'MASTER <-> REPLICA sync: Loading DB in memory',
    'PRIMARY <-> REPLICA sync: Loading DB in memory',
  ],
  // observed
  [
    'MASTER <-> REPLICA sync: Finished with success',
    'PRIMARY <-> REPLICA sync: Finished with success',
  ],
  // observed (abandoned-disk-bgsave: the master dropped the replica waiting for its BGSAVE)
  [
    'I/O error reading bulk count from MASTER: Success',
    'I/O error reading bulk count from PRIMARY: Success',
  ],
  // source: replication.c readSyncBulkPayload
  [
    'I/O error trying to sync with MASTER: connection lost',
    'I/O error trying to sync with PRIMARY: connection lost',
  ],
  // source: replication.c replicationCron
  ['Timeout connecting to the MASTER...', 'Timeout connecting to the PRIMARY...'],
  // source: replication.c replicationCron
  [
    "Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.",
    "Timeout receiving bulk data from PRIMARY... If the problem persists try to set the 'repl-timeout' parameter in valkey.conf to a larger value.",
  ],
  // observed
  ['MASTER timeout: no data nor PING received...', 'PRIMARY timeout: no data nor PING received...'],
  // observed
  ['Connection with master lost.', 'Connection with primary lost.'],
];

// Messages Valkey 8.0.1 writes word for word as Redis 7.0 does. "observed" or "source" as above.
const UNCHANGED: readonly string[] = [
  // observed
  'Configuration loaded',
  'Running mode=standalone, port=29901.',
  'Server initialized',
  'RDB age 0 seconds',
  'RDB memory usage when created 0.98 Mb',
  'Done loading RDB, keys loaded: 2, keys expired: 0.',
  'DB loaded from disk: 0.000 seconds',
  'Replica 127.0.0.1:29902 asks for synchronization',
  `Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${ID2}', my replication IDs are '${ID}' and '0000000000000000000000000000000000000000')`,
  `Replication backlog created, my new replication IDs are '${ID}' and '0000000000000000000000000000000000000000'`,
  'Delay next BGSAVE for diskless SYNC',
  'Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB',
  'Diskless rdb transfer, done reading from pipe, 1 replicas still up.',
  'Background RDB transfer terminated with success',
  'Background saving started by pid 12768',
  'Background saving terminated with success',
  'DB saved on disk',
  'Synchronization with replica 127.0.0.1:29902 succeeded',
  'Partial resynchronization request from 127.0.0.1:29902 accepted. Sending 0 bytes of backlog starting from offset 96.',
  'Connection with replica 127.0.0.1:29902 lost.',
  `Setting secondary replication ID to ${ID}, valid up to offset: 67. New replication ID is ${ID2}`,
  `REPLICAOF 127.0.0.1:29901 enabled (user request from '${CLIENT}')`,
  'Non blocking connect for SYNC fired the event.',
  `Trying a partial resynchronization (request ${ID}:96).`,
  'Error condition on socket for SYNC: Connection refused',
  '1 of 1 replicas are in sync when shutting down.',
  'Saving the final RDB snapshot before exiting.',
  'Removing the pid file.',
  // source: server.c (the signal path; SHUTDOWN appends " (user request from '…')")
  'User requested shutdown...',
  // source: server.c finishShutdown keeps "master"
  'Lagging replica 127.0.0.1:29902 reported offset 14 behind master, lag=1, state=online.',
  // source: replication.c
  'Full resync requested by replica 127.0.0.1:29902',
  'Waiting for end of BGSAVE for SYNC',
  "Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC",
  'Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC',
  'Partial resynchronization not accepted: Requested offset for second ID was 120, but I can reply up to 96',
  'Unable to partial resync with replica 127.0.0.1:29902 for lack of backlog (Replica request was: 5).',
  'Disconnecting timedout replica (streaming sync): 127.0.0.1:29902',
  'Replication backlog freed after 3600 seconds without connected replicas.',
  // source: networking.c
  'Client id=7 addr=127.0.0.1:29902 cmd=psync scheduled to be closed ASAP for overcoming of output buffer limits.',
];

describe('valkeyMessage', () => {
  it.each(REWORDED)('%s', (redis, valkey) => {
    expect(valkeyMessage(redis)).toBe(valkey);
  });

  it.each(UNCHANGED)('keeps %s', (msg) => {
    expect(valkeyMessage(msg)).toBe(msg);
  });

  it('leaves an already-Valkey message as it is', () => {
    for (const [, valkey] of REWORDED) expect(valkeyMessage(valkey)).toBe(valkey);
  });

  it("prints Valkey's own version in the banner whatever redis_version the dialect has", () => {
    expect(
      valkeyMessage(
        'Redis version=7.0.15, bits=64, commit=00000000, modified=0, pid=1, just started',
      ),
    ).toBe(
      `Valkey version=${VALKEY_VERSION}, bits=64, commit=00000000, modified=0, pid=1, just started`,
    );
  });

  it('leaves no MASTER and no Redis in a reworded message', () => {
    for (const [redis] of REWORDED) {
      const out = valkeyMessage(redis).replace(/NOMASTERLINK.*$|Redis version 7\.0\.15/, '');
      expect(out).not.toMatch(/MASTER|Master|Redis|redis\.conf/);
    }
  });
});
