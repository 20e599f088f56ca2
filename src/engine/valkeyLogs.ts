/**
 * Valkey 8.0's log wording. The engine writes its log lines in Redis 7.0's words; Valkey 8.0
 * (forked from Redis 7.2.4) renamed most of the replication ones (MASTER → PRIMARY, master →
 * primary, Redis → Valkey), and 7.2 itself reworded a few. Each rule below was checked string by
 * string against the format strings of Redis 7.0.15 / 7.2.4 and Valkey 8.0.1 (src/*.c at those
 * tags) and against the log of a real valkey-server 8.0.1. The capitalisation is Valkey's own and
 * is not uniform ("PRIMARY <-> REPLICA sync: Primary accepted…", "Unable to connect to PRIMARY"),
 * and some lines keep "master" ("Lagging replica … behind master"), so there is no blanket rule.
 *
 * Only the message text changes: several lines also went from warning (`#`) to notice (`*`) in
 * 7.2, which is the caller's business.
 */

/** VALKEY_VERSION (src/version.h at 8.0.1): what Valkey prints where Redis printed its version. */
export const VALKEY_VERSION = '8.0.1';

interface Rule {
  /** A 7.0 prefix (the rest of the message, its parameters, is kept) or an anchored pattern. */
  readonly from: string | RegExp;
  /** The Valkey prefix, or the replacement for the pattern (with `$1`…). */
  readonly to: string;
}

/** First match wins; more specific rules come before the prefixes they share. */
const RULES: readonly Rule[] = [
  // --- server.c: startup and shutdown ---
  // server.c main(): "oO0OoO0OoO0Oo Valkey is starting oO0OoO0OoO0Oo"
  {
    from: /^oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo$/,
    to: 'oO0OoO0OoO0Oo Valkey is starting oO0OoO0OoO0Oo',
  },
  // server.c main(): "Valkey version=%s, bits=%d, …" with VALKEY_VERSION (not the 7.2.4 the
  // engine's dialect gives as redis_version).
  { from: /^Redis version=[^,]*, /, to: `Valkey version=${VALKEY_VERSION}, ` },
  // server.c main(): "Ready to accept connections %s" with the listener type (Redis 7.2 too).
  { from: /^Ready to accept connections$/, to: 'Ready to accept connections tcp' },
  // server.c finishShutdown(): "%s is now ready to exit, bye bye..." with "Valkey".
  {
    from: /^Redis is now ready to exit, bye bye\.\.\.$/,
    to: 'Valkey is now ready to exit, bye bye...',
  },

  // --- rdb.c ---
  // rdb.c rdbLoadRioWithLoadingCtx(): "Loading RDB produced by Valkey version %s" for the
  // valkey-ver aux field Valkey writes (rdbSaveInfoAuxFields: VALKEY_VERSION), "…by Redis version
  // %s" for a redis-ver one. The engine logs its dialect's redis_version: Valkey's 7.2.4 is its own.
  {
    from: /^Loading RDB produced by version (?:7\.2\.4|8\.0\.1)$/,
    to: `Loading RDB produced by Valkey version ${VALKEY_VERSION}`,
  },
  {
    from: /^Loading RDB produced by version (.*)$/,
    to: 'Loading RDB produced by Redis version $1',
  },
  // rdb.c rdbSaveToReplicasSockets(): "Background RDB transfer started by pid %ld to %s", "pipe
  // through parent process" unless dual-channel replication (off by default) is in use.
  {
    from: /^Background RDB transfer started by pid (\d+)$/,
    to: 'Background RDB transfer started by pid $1 to pipe through parent process',
  },

  // --- replication.c: the primary's side ---
  // replication.c startBgsaveForReplication(): "Starting BGSAVE for SYNC with target: %s using: %s"
  {
    from: /^Starting BGSAVE for SYNC with target: (replicas sockets|disk)$/,
    to: 'Starting BGSAVE for SYNC with target: $1 using: normal sync',
  },
  // replication.c updateReplicasWaitingBgsave(): "from replica" (Redis 7.2 too; 7.0 said "slave").
  {
    from: /^(Streamed RDB transfer with replica .* succeeded \(socket\)\. Waiting for REPLCONF ACK from) slave (to enable streaming)$/,
    to: '$1 replica $2',
  },
  // replication.c primaryTryPartialResynchronization(): "…greater than the primary replication offset."
  {
    from: /^Warning: replica (.*) tried to PSYNC with an offset that is greater than the master replication offset\.$/,
    to: 'Warning: replica $1 tried to PSYNC with an offset that is greater than the primary replication offset.',
  },
  // replication.c replicaofCommand(): "PRIMARY MODE enabled (user request from '%s')"; syncCommand()
  // (FAILOVER): "PRIMARY MODE enabled (failover request from '%s')".
  { from: 'MASTER MODE enabled (', to: 'PRIMARY MODE enabled (' },
  // replication.c replicaofCommand()
  {
    from: /^REPLICAOF would result into synchronization with the master we are already connected with\. No operation performed\.$/,
    to: 'REPLICAOF would result into synchronization with the primary we are already connected with. No operation performed.',
  },

  // --- replication.c: the replica's side ---
  // replication.c replicationCachePrimary(): "Caching the disconnected primary state."
  {
    from: /^Caching the disconnected master state\.$/,
    to: 'Caching the disconnected primary state.',
  },
  // replication.c replicationCachePrimaryUsingMyself()
  {
    from: /^Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer\.$/,
    to: 'Before turning into a replica, using my own primary parameters to synthesize a cached primary: I may be able to synchronize with the new primary with just a partial transfer.',
  },
  // replication.c replicationDiscardCachedPrimary(): "Discarding previously cached primary state."
  {
    from: /^Discarding previously cached master state\.$/,
    to: 'Discarding previously cached primary state.',
  },
  // replication.c replicationSetPrimary() / replicationCron(): "Connecting to PRIMARY %s:%d"
  { from: 'Connecting to MASTER ', to: 'Connecting to PRIMARY ' },
  // replication.c replicationHandlePrimaryDisconnection() / cancelReplicationHandshake():
  // "Reconnecting to PRIMARY %s:%d" and "Reconnecting to PRIMARY %s:%d after failure"
  { from: 'Reconnecting to MASTER ', to: 'Reconnecting to PRIMARY ' },
  // replication.c connectWithPrimary(): "Unable to connect to PRIMARY: %s" (the dual-channel RDB
  // connection, off by default, says "Primary" instead).
  { from: 'Unable to connect to MASTER: ', to: 'Unable to connect to PRIMARY: ' },
  // replication.c connectWithPrimary(): "PRIMARY <-> REPLICA sync started"
  { from: /^MASTER <-> REPLICA sync started$/, to: 'PRIMARY <-> REPLICA sync started' },
  // replication.c syncWithPrimary(): "Primary replied to PING, replication can continue..."
  {
    from: /^Master replied to PING, replication can continue\.\.\.$/,
    to: 'Primary replied to PING, replication can continue...',
  },
  // replication.c syncWithPrimary(): "Error reply to PING from primary: '%s'"
  { from: 'Error reply to PING from master: ', to: 'Error reply to PING from primary: ' },
  // replication.c syncWithPrimary(): "(Non critical) Primary does not understand REPLCONF
  // listening-port: %s" (and ip-address, capa).
  {
    from: '(Non critical) Master does not understand REPLCONF ',
    to: '(Non critical) Primary does not understand REPLCONF ',
  },
  // replication.c replicaTryPartialResynchronization()
  {
    from: /^Partial resynchronization not possible \(no cached master\)$/,
    to: 'Partial resynchronization not possible (no cached primary)',
  },
  // replication.c replicaTryPartialResynchronization(): "Full resync from primary: %s:%lld"
  { from: 'Full resync from master: ', to: 'Full resync from primary: ' },
  // replication.c replicaTryPartialResynchronization()
  {
    from: /^Successful partial resynchronization with master\.$/,
    to: 'Successful partial resynchronization with primary.',
  },
  // replication.c replicaTryPartialResynchronization(): "Primary replication ID changed to %s"
  { from: 'Master replication ID changed to ', to: 'Primary replication ID changed to ' },
  // replication.c replicaTryPartialResynchronization()
  {
    from: 'Master is currently unable to PSYNC but should be in the future: ',
    to: 'Primary is currently unable to PSYNC but should be in the future: ',
  },
  // replication.c replicaTryPartialResynchronization()
  {
    from: 'Master does not support PSYNC or is in error state (reply: ',
    to: 'Primary does not support PSYNC or is in error state (reply: ',
  },
  // replication.c syncWithPrimary(), the path without dual-channel replication. (The dual-channel
  // one, off by default, writes "Primary <-> REPLICA sync: Primary accepted a Partial
  // Resynchronization%s".)
  {
    from: /^MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization\.$/,
    to: 'PRIMARY <-> REPLICA sync: Primary accepted a Partial Resynchronization.',
  },
  // replication.c readSyncBulkPayload(): "PRIMARY <-> REPLICA sync: receiving streamed RDB from
  // primary with EOF %s" and "…receiving %lld bytes from primary %s" (%s: "to disk" or "to parser").
  {
    from: /^MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF(.*)$/,
    to: 'PRIMARY <-> REPLICA sync: receiving streamed RDB from primary with EOF$1',
  },
  {
    from: /^MASTER <-> REPLICA sync: receiving (\d+) bytes from master(.*)$/,
    to: 'PRIMARY <-> REPLICA sync: receiving $1 bytes from primary$2',
  },
  // replication.c readSyncBulkPayload(): "PRIMARY <-> REPLICA sync: Flushing old data",
  // "…: Loading DB in memory", "…: Finished with success".
  {
    from: /^MASTER <-> REPLICA sync: (Flushing old data|Loading DB in memory|Finished with success)$/,
    to: 'PRIMARY <-> REPLICA sync: $1',
  },
  // replication.c readSyncBulkPayload(): "I/O error reading bulk count from PRIMARY: %s" (the
  // link closed before the RDB's $<count> line: EOF, errno 0, "Success").
  {
    from: 'I/O error reading bulk count from MASTER: ',
    to: 'I/O error reading bulk count from PRIMARY: ',
  },
  // replication.c readSyncBulkPayload(): "I/O error trying to sync with PRIMARY: %s"
  { from: 'I/O error trying to sync with MASTER: ', to: 'I/O error trying to sync with PRIMARY: ' },
  // replication.c replicationCron(): "Timeout connecting to the PRIMARY..."
  { from: /^Timeout connecting to the MASTER\.\.\.$/, to: 'Timeout connecting to the PRIMARY...' },
  // replication.c replicationCron(): the bulk-data timeout also names valkey.conf.
  {
    from: /^Timeout receiving bulk data from MASTER\.\.\. If the problem persists try to set the 'repl-timeout' parameter in redis\.conf to a larger value\.$/,
    to: "Timeout receiving bulk data from PRIMARY... If the problem persists try to set the 'repl-timeout' parameter in valkey.conf to a larger value.",
  },
  // replication.c replicationCron(): "PRIMARY timeout: no data nor PING received..."
  {
    from: /^MASTER timeout: no data nor PING received\.\.\.$/,
    to: 'PRIMARY timeout: no data nor PING received...',
  },

  // --- networking.c ---
  // networking.c freeClient(): "Connection with primary lost." ("Connection with replica %s lost."
  // is unchanged).
  { from: /^Connection with master lost\.$/, to: 'Connection with primary lost.' },
];

/**
 * Valkey 8.0's wording of a log message the engine writes in Redis 7.0's words (the text after
 * the `pid:R dd Mon yyyy hh:mm:ss.mmm L ` prefix). Messages Valkey did not reword come back
 * unchanged.
 */
export function valkeyMessage(msg: string): string {
  for (const { from, to } of RULES) {
    if (typeof from === 'string') {
      if (msg.startsWith(from)) return to + msg.slice(from.length);
    } else if (from.test(msg)) {
      return msg.replace(from, to);
    }
  }
  return msg;
}
