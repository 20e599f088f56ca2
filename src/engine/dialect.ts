/**
 * What differs between the Redis versions the engine speaks, in one record per version: a third
 * version is a new record, not a new set of branches. Each field names the Redis change it
 * models where there is one.
 */
import type { ReplConfig, Version } from './types';

export interface Dialect {
  readonly version: Version;
  /** `redis_version` in INFO and the startup line. */
  readonly redisVersion: string;
  /**
   * The backlog: Redis 7's shared replication buffer freed in whole blocks (#9166), or the
   * fixed ring of exactly repl-backlog-size bytes of Redis ≤ 6.2.
   */
  readonly backlog: 'blocks' | 'ring';
  /**
   * Which replicas' output buffers the client-output-buffer-limit checks: 7.0 counts what a
   * replica still references of the shared replication buffer, in whole blocks
   * (getClientOutputBufferMemoryUsage), and raises a replica hard limit below repl-backlog-size to
   * it (checkClientOutputBufferLimits); 5.0 counts each replica's own reply list, which the
   * engine does not model, so its limits are not enforced.
   */
  readonly replicaObufLimits: 'shared-buffer' | 'none';
  /** 7.0 sends `REPLCONF listening-port` and `REPLCONF capa` back to back (#9224); 5.0 waits for each +OK. */
  readonly replconfPipelined: boolean;
  /** REPLICAOF and a lost master connect at once (7.0) or at the next replicationCron tick (5.0). */
  readonly connectAtOnce: boolean;
  /** A restarted master keeps the replication ID of its RDB as replid2, so its replicas can PSYNC (7.0, #8015). */
  readonly restartKeepsReplid: boolean;
  /**
   * When a replica doing a full sync drops its cached master, its own replicas and its backlog:
   * on +FULLRESYNC (5.0) or once the RDB is loaded (7.0, replicationAttachToNewMaster).
   */
  readonly attachToNewMaster: 'on-fullresync' | 'on-load';
  /**
   * After a BGSAVE, replicas still waiting for one: 7.0's checkChildrenDone starts the pending
   * fork at once (replicationStartPendingFork, which honours repl-diskless-sync-delay); 5.0's
   * updateSlavesWaitingBgsave starts a BGSAVE for them whatever the delay.
   */
  readonly afterChildDone: 'pending-fork' | 'start-bgsave';
  /**
   * SHUTDOWN with replicas (7.0 prepareForShutdown, #9872): unless NOW or shutdown-timeout 0, a
   * master whose replicas have not all acknowledged master_repl_offset sends REPLCONF GETACK *,
   * pauses writes and waits up to shutdown-timeout for their ACKs; finishShutdown then logs each
   * lagging replica and "N of M replicas are in sync when shutting down.". 5.0 saves and exits
   * at once, without those lines, and its SHUTDOWN takes only SAVE or NOSAVE (no NOW, FORCE,
   * ABORT, no shutdown-timeout).
   */
  readonly shutdownWaitsForReplicas: boolean;
  /**
   * 7.0's freeClient kills a disk BGSAVE child (killRDBChild) when the replica that goes was in
   * WAIT_BGSAVE_END and no other replica waits for that BGSAVE (with no save points configured,
   * as the lab's servers); 5.0 lets it run on.
   */
  readonly killsAbandonedDiskBgsave: boolean;
  /** 7.0 logs "Replication backlog created, my new replication IDs are …". */
  readonly logsBacklogCreated: boolean;
  /** 7.0 logs the RDB's version, age, memory and key counts when loading it. */
  readonly logsRdbLoad: boolean;
  /** INFO replication shows slave_read_repl_offset, master_sync_total/read_bytes, replica_announced, master_failover_state. */
  readonly infoFields7: boolean;
  /** master_link_down_since_seconds before the link was ever up: -1 (7.0) or the unix time (5.0). */
  readonly downSinceNever: 'minus-one' | 'unixtime';
  /**
   * How EXEC propagates: 7.0 wraps the effects in MULTI/EXEC only when there are several (one
   * goes bare, none propagates nothing); 5.0 propagates MULTI before the first command that is
   * not read-only and EXEC after, whatever changed (execCommandPropagateMulti).
   */
  readonly execPropagation: 'effects' | 'any-write';
  /**
   * A write refused by a read-only replica inside MULTI: 7.0's rejectCommand flags the
   * transaction (EXEC then fails with EXECABORT), and processCommand refuses an EXEC whose queued
   * commands include a write (execCommandAbort). 5.0 only replies the error (the command is not
   * queued, the transaction goes on), and execCommand refuses such an EXEC with its own error.
   */
  readonly readonlyInMulti: 'flag-abort' | 'reply-only';
  /** The RDB's last aux field: 7.0's `aof-base`, 5.0's `aof-preamble`. */
  readonly rdbAofAux: string;
  /** The command replicationCron propagates to keep replicas' links alive. */
  readonly cronPing: string;
  readonly logs: {
    readonly cachedMasterUsingMyself: string;
    readonly forkCow: string;
    /** Appended to "receiving N bytes from master" (7.0 writes the RDB to disk first). */
    readonly receivingSuffix: string;
  };
  /** The CLIENT LIST line in "user request from '…'". */
  clientInfo(c: {
    id: number;
    host: string;
    port: number;
    cport: number;
    db: number;
    qbuf: number;
    argvMem: number;
    cmd: string;
  }): string;
  /** Defaults that differ from version to version. */
  readonly defaults: Pick<ReplConfig, 'repl-diskless-sync'>;
}

const REDIS_7_0: Dialect = {
  version: '7.0',
  redisVersion: '7.0.15',
  backlog: 'blocks',
  replicaObufLimits: 'shared-buffer',
  replconfPipelined: true,
  connectAtOnce: true,
  restartKeepsReplid: true,
  attachToNewMaster: 'on-load',
  afterChildDone: 'pending-fork',
  shutdownWaitsForReplicas: true,
  killsAbandonedDiskBgsave: true,
  logsBacklogCreated: true,
  logsRdbLoad: true,
  infoFields7: true,
  downSinceNever: 'minus-one',
  cronPing: 'ping',
  rdbAofAux: 'aof-base',
  execPropagation: 'effects',
  readonlyInMulti: 'flag-abort',
  logs: {
    cachedMasterUsingMyself:
      'Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.',
    forkCow: 'Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB',
    receivingSuffix: ' to disk',
  },
  clientInfo: (c) =>
    `id=${c.id} addr=${c.host}:${c.cport} laddr=${c.host}:${c.port} fd=8 name= age=0 idle=0 flags=N db=${c.db} sub=0 psub=0 ssub=0 multi=-1 qbuf=${c.qbuf} qbuf-free=${20474 - c.qbuf} argv-mem=${c.argvMem} multi-mem=0 rbs=16384 rbp=16384 obl=0 oll=0 omem=0 tot-mem=${37634 + c.qbuf} events=r cmd=${c.cmd} user=default redir=-1 resp=2`,
  // 7.0 made diskless sync the default (#10092).
  defaults: { 'repl-diskless-sync': true },
};

const REDIS_5_0: Dialect = {
  version: '5.0',
  redisVersion: '5.0.14',
  backlog: 'ring',
  replicaObufLimits: 'none',
  replconfPipelined: false,
  connectAtOnce: false,
  restartKeepsReplid: false,
  attachToNewMaster: 'on-fullresync',
  afterChildDone: 'start-bgsave',
  shutdownWaitsForReplicas: false,
  killsAbandonedDiskBgsave: false,
  logsBacklogCreated: false,
  logsRdbLoad: false,
  infoFields7: false,
  downSinceNever: 'unixtime',
  cronPing: 'PING',
  rdbAofAux: 'aof-preamble',
  execPropagation: 'any-write',
  readonlyInMulti: 'reply-only',
  logs: {
    cachedMasterUsingMyself:
      'Before turning into a replica, using my master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.',
    forkCow: 'RDB: 0 MB of memory used by copy-on-write',
    receivingSuffix: '',
  },
  clientInfo: (c) =>
    `id=${c.id} addr=${c.host}:${c.cport} fd=8 name= age=0 idle=0 flags=N db=${c.db} sub=0 psub=0 multi=-1 qbuf=${c.qbuf} qbuf-free=${32768 - c.qbuf} obl=0 oll=0 omem=0 events=r cmd=${c.cmd}`,
  defaults: { 'repl-diskless-sync': false },
};

export const DIALECTS: Readonly<Record<Version, Dialect>> = { '7.0': REDIS_7_0, '5.0': REDIS_5_0 };

export function dialectOf(version: Version): Dialect {
  return DIALECTS[version];
}
