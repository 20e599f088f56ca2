/**
 * What differs between the Redis versions the engine speaks, in one record per version: a third
 * version is a new record, not a new set of branches. Each field names the Redis change it
 * models where there is one.
 */
import type { SmallEncoding } from './keyspace/rdbSize';
import type { LogLevel } from './log';
import type { ReplConfig, Version } from './types';

export interface Dialect {
  readonly version: Version;
  /** `redis_version` in INFO and the startup line. */
  readonly redisVersion: string;
  /**
   * The Redis line it descends from, as a number to compare (`5.0`, `7.0`; Valkey 8 forked from
   * Redis 7.2.4, so 7.2): what a config or command appeared in is checked against it.
   */
  readonly redisLine: number;
  /**
   * CONFIG: one parameter per SET/GET with 5.0's errors ("Unsupported CONFIG parameter", "Invalid
   * argument"; 6.2 adds the reason after it), or 7.0's several at once with "Unknown option" and
   * "CONFIG SET failed".
   */
  readonly configSyntax: 'single' | 'single-reason' | 'multi';
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
   * replicationSetMaster (REPLICAOF host port): 7.0 frees the old master before naming the new one
   * and keeps its own replicas (they learn a new ID when it has one); 5.0 names the new master
   * first (the lost-master lines log with role S) and disconnects its replicas.
   */
  readonly setMaster: 'keep-replicas' | 'disconnect-replicas';
  /**
   * replicationUnsetMaster (REPLICAOF NO ONE): 5.0 shifts the replication ID before freeing its
   * master (so "Setting secondary replication ID" is logged first); 7.0 after cancelling the
   * handshake.
   */
  readonly unsetMasterShiftsFirst: boolean;
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
  /** The RDB's version aux field and value: `redis-ver 7.0.15`, Valkey's `valkey-ver 8.0.1`. */
  readonly rdbVersionAux: readonly [key: string, value: string];
  /** The level of "Done loading RDB …": warning in 6.2, notice from 7.0. */
  readonly rdbDoneLevel: 'notice' | 'warning';
  /**
   * Valkey's INFO replication additions: replicas_repl_buffer_size/peak on a replica,
   * replicas_waiting_psync before master_failover_state, `,type=replica` on each slaveN line.
   */
  readonly infoValkey: boolean;
  /** lazyfree-lazy-expire's default: Valkey 8 frees expired keys lazily and propagates UNLINK. */
  readonly lazyfreeLazyExpire: boolean;
  /**
   * Valkey 8's dual-channel replication (dual-channel-replication-enabled, off by default): a full
   * sync streams the RDB on a second connection, the rdb channel, while the main one streams the
   * writes made meanwhile to the replica, which buffers them (replication.c, "Dual channel for
   * full sync").
   */
  readonly dualChannel: boolean;
  /**
   * Valkey's replica also says `REPLCONF version <VALKEY_VERSION>` in its handshake, pipelined after
   * `REPLCONF capa`, and reads its +OK before PSYNC (syncWithPrimary, RECEIVE_VERSION_REPLY).
   */
  readonly replconfVersion: string | null;
  /** Small hashes and list nodes in the RDB: listpacks (7.0, #8887) or ziplists (≤ 6.2). */
  readonly rdbSmallEncoding: SmallEncoding;
  /**
   * Redis ≤ 6.2 save the script cache in an RDB with replication info, a `lua` aux field per
   * script body (rdbSaveRio), so that a replica can run an EVALSHA from the backlog after a
   * restart; 7.0 dropped it (scripts are no longer propagated as EVAL).
   */
  readonly rdbSavesScripts: boolean;
  /** The command replicationCron propagates to keep replicas' links alive. */
  readonly cronPing: string;
  readonly logs: {
    readonly cachedMasterUsingMyself: string;
    readonly forkCow: string;
    /** Before the name of an online replica replicationCron drops for silence. */
    readonly timedoutReplica: string;
    /** Appended to "receiving N bytes from master" (7.0 writes the RDB to disk first). */
    readonly receivingSuffix: string;
  };
  /**
   * A log line's level and message in this version's words: the engine writes 7.0's (and the
   * few 5.0 ones the `logs` record holds); later versions reworded some and changed levels.
   */
  reword(level: LogLevel, msg: string): readonly [LogLevel, string];
  /**
   * hide-user-data-from-log (Valkey 8, on by default): catClientInfoString prints `name` and
   * `user` as `*redacted*` in the lines it logs.
   */
  readonly hideUserDataFromLog: boolean;
  /**
   * Valkey 8's CLIENT LIST ends with `tot-net-in`, `tot-net-out` and `tot-cmds` (a client's
   * net_input_bytes, net_output_bytes and commands_processed), after 7.2's lib-name and lib-ver.
   */
  readonly clientInfoNetTotals: boolean;
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
  readonly defaults: Pick<ReplConfig, 'repl-diskless-sync' | 'repl-backlog-size'>;
}

/** A message unchanged. */
const sameWords = (level: LogLevel, msg: string): readonly [LogLevel, string] => [level, msg];

/**
 * Messages 7.2 logs at notice that 7.0 logs as warnings (replication.c, networking.c, rdb.c),
 * matched on their start.
 */
const NOTICE_FROM_7_2: readonly string[] = [
  'Connection with master lost.',
  'Connection with replica ',
  'Diskless rdb transfer, done reading from pipe',
  'Done loading RDB, keys loaded',
  'Lagging replica ',
  'Master replication ID changed to ',
  'Setting secondary replication ID to ',
];

/** 7.2's levels and words for 7.0 messages the engine writes. */
function reword72(level: LogLevel, msg: string): readonly [LogLevel, string] {
  const lvl = NOTICE_FROM_7_2.some((p) => msg.startsWith(p)) ? 'notice' : level;
  return [
    lvl,
    msg
      .replace(
        / Waiting for REPLCONF ACK from slave to enable streaming$/,
        ' Waiting for REPLCONF ACK from replica to enable streaming',
      )
      // CLIENT LIST fields (the output-buffer-limit line): 7.2 adds lib-name and lib-ver after resp.
      .replace(/^(Client id=\d+ .* resp=\d+)( )/, '$1 lib-name= lib-ver=$2'),
  ];
}

/** 7.4: 7.2's words, and CLIENT LIST's `watch=` (the keys a client WATCHes) after `multi=`. */
function reword74(level: LogLevel, msg: string): readonly [LogLevel, string] {
  const [lvl, text] = reword72(level, msg);
  return [lvl, text.replace(/^(Client id=\d+ .* multi=-?\d+)( qbuf=)/, '$1 watch=0$2')];
}

const REDIS_7_0: Dialect = {
  reword: sameWords,
  hideUserDataFromLog: false,
  clientInfoNetTotals: false,
  infoValkey: false,
  lazyfreeLazyExpire: false,
  dualChannel: false,
  replconfVersion: null,
  version: '7.0',
  redisVersion: '7.0.15',
  redisLine: 7.0,
  configSyntax: 'multi',
  backlog: 'blocks',
  replicaObufLimits: 'shared-buffer',
  replconfPipelined: true,
  connectAtOnce: true,
  restartKeepsReplid: true,
  attachToNewMaster: 'on-load',
  unsetMasterShiftsFirst: false,
  setMaster: 'keep-replicas',
  afterChildDone: 'pending-fork',
  shutdownWaitsForReplicas: true,
  killsAbandonedDiskBgsave: true,
  logsBacklogCreated: true,
  logsRdbLoad: true,
  infoFields7: true,
  downSinceNever: 'minus-one',
  cronPing: 'ping',
  rdbAofAux: 'aof-base',
  rdbSmallEncoding: 'listpack',
  rdbSavesScripts: false,
  rdbVersionAux: ['redis-ver', '7.0.15'],
  rdbDoneLevel: 'notice',
  execPropagation: 'effects',
  readonlyInMulti: 'flag-abort',
  logs: {
    cachedMasterUsingMyself:
      'Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.',
    forkCow: 'Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB',
    timedoutReplica: 'Disconnecting timedout replica (streaming sync): ',
    receivingSuffix: ' to disk',
  },
  clientInfo: (c) =>
    `id=${c.id} addr=${c.host}:${c.cport} laddr=${c.host}:${c.port} fd=8 name= age=0 idle=0 flags=N db=${c.db} sub=0 psub=0 ssub=0 multi=-1 qbuf=${c.qbuf} qbuf-free=${20474 - c.qbuf} argv-mem=${c.argvMem} multi-mem=0 rbs=16384 rbp=16384 obl=0 oll=0 omem=0 tot-mem=${37634 + c.qbuf} events=r cmd=${c.cmd} user=default redir=-1 resp=2`,
  // 7.0 made diskless sync the default (#10092).
  defaults: { 'repl-diskless-sync': true, 'repl-backlog-size': 1024 * 1024 },
};

const REDIS_5_0: Dialect = {
  reword: sameWords,
  hideUserDataFromLog: false,
  clientInfoNetTotals: false,
  infoValkey: false,
  lazyfreeLazyExpire: false,
  dualChannel: false,
  replconfVersion: null,
  version: '5.0',
  redisVersion: '5.0.14',
  redisLine: 5.0,
  configSyntax: 'single',
  backlog: 'ring',
  replicaObufLimits: 'none',
  replconfPipelined: false,
  connectAtOnce: false,
  restartKeepsReplid: false,
  attachToNewMaster: 'on-fullresync',
  unsetMasterShiftsFirst: true,
  setMaster: 'disconnect-replicas',
  afterChildDone: 'start-bgsave',
  shutdownWaitsForReplicas: false,
  killsAbandonedDiskBgsave: false,
  logsBacklogCreated: false,
  logsRdbLoad: false,
  infoFields7: false,
  downSinceNever: 'unixtime',
  cronPing: 'PING',
  rdbAofAux: 'aof-preamble',
  rdbSmallEncoding: 'ziplist',
  rdbSavesScripts: true,
  rdbVersionAux: ['redis-ver', '5.0.14'],
  rdbDoneLevel: 'warning',
  execPropagation: 'any-write',
  readonlyInMulti: 'reply-only',
  logs: {
    cachedMasterUsingMyself:
      'Before turning into a replica, using my master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.',
    forkCow: 'RDB: 0 MB of memory used by copy-on-write',
    timedoutReplica: 'Disconnecting timedout replica: ',
    receivingSuffix: '',
  },
  clientInfo: (c) =>
    `id=${c.id} addr=${c.host}:${c.cport} fd=8 name= age=0 idle=0 flags=N db=${c.db} sub=0 psub=0 multi=-1 qbuf=${c.qbuf} qbuf-free=${32768 - c.qbuf} obl=0 oll=0 omem=0 events=r cmd=${c.cmd}`,
  defaults: { 'repl-diskless-sync': false, 'repl-backlog-size': 1024 * 1024 },
};

/**
 * 6.2: 7.0's log texts and handshake shape for most things, but 5.0's ring backlog, ziplists,
 * one-pair CONFIG SET, disk sync by default, and no replid kept over a master restart.
 */
const REDIS_6_2: Dialect = {
  ...REDIS_7_0,
  version: '6.2',
  redisVersion: '6.2.16',
  redisLine: 6.2,
  configSyntax: 'single-reason',
  shutdownWaitsForReplicas: false,
  backlog: 'ring',
  replicaObufLimits: 'none',
  replconfPipelined: false,
  restartKeepsReplid: false,
  rdbAofAux: 'aof-preamble',
  rdbSmallEncoding: 'ziplist',
  rdbSavesScripts: true,
  cronPing: 'PING',
  attachToNewMaster: 'on-fullresync',
  rdbVersionAux: ['redis-ver', '6.2.16'],
  rdbDoneLevel: 'warning',
  execPropagation: 'any-write',
  clientInfo: (c) =>
    `id=${c.id} addr=${c.host}:${c.cport} laddr=${c.host}:${c.port} fd=8 name= age=0 idle=0 flags=N db=${c.db} sub=0 psub=0 multi=-1 qbuf=${c.qbuf} qbuf-free=${40928 - c.qbuf} argv-mem=${c.argvMem} obl=0 oll=0 omem=0 tot-mem=${61466 + c.qbuf} events=r cmd=${c.cmd} user=default redir=-1`,
  defaults: { 'repl-diskless-sync': false, 'repl-backlog-size': 1024 * 1024 },
};

/** 7.2: 7.0's replication, its own version string. */
const REDIS_7_2: Dialect = {
  ...REDIS_7_0,
  version: '7.2',
  redisVersion: '7.2.6',
  redisLine: 7.2,
  reword: reword72,
  // Small sets of strings are listpacks from 7.2.
  rdbSmallEncoding: 'listpack-sets',
  rdbVersionAux: ['redis-ver', '7.2.6'],
};

/** 7.4: as 7.2. */
const REDIS_7_4: Dialect = {
  ...REDIS_7_2,
  version: '7.4',
  redisVersion: '7.4.1',
  redisLine: 7.4,
  reword: reword74,
  rdbVersionAux: ['redis-ver', '7.4.1'],
};

/**
 * Valkey 8.0's wording of a log message written in Redis 7.0's (valkeyLogs.ts). Only Valkey needs
 * it, so the browser loads it with the rest of the on-demand code (onDemand.ts); until it is
 * installed a Valkey run cannot start (`versionReady`), and the store waits for it.
 */
let valkeyWords: ((msg: string) => string) | null = null;

/** What the on-demand chunk (onDemand.ts) brings. */
export interface OnDemandCode {
  installTypeCommands(): void;
  installDualChannelCode(): void;
  valkeyMessage(msg: string): string;
}

/**
 * Installs the on-demand code: its data-type commands, Valkey's log wording and the replica's
 * side of Valkey's dual-channel sync.
 */
export function installOnDemandCode(code: OnDemandCode): void {
  code.installTypeCommands();
  code.installDualChannelCode();
  valkeyWords = code.valkeyMessage;
}

/** True when the engine can run `version` now (Valkey needs its log wording installed). */
export function versionReady(version: Version): boolean {
  return version !== 'valkey-8.0' || valkeyWords !== null;
}

function valkeyMessage(msg: string): string {
  if (!valkeyWords) throw new Error("Valkey's log wording is not installed (installOnDemandCode)");
  return valkeyWords(msg);
}

/**
 * Valkey 8.0, forked from Redis 7.2.4 (INFO's redis_version says so; valkey_version says 8.0.1).
 * Its dual-channel replication is off by default (CONFIG SET dual-channel-replication-enabled yes).
 */
const VALKEY_8_0: Dialect = {
  ...REDIS_7_2,
  // CLIENT LIST has `watch=` too (networking.c catClientInfoString at 8.0.1).
  reword: (level, msg) => {
    const [lvl, text] = reword74(level, msg);
    return [lvl, valkeyMessage(text)];
  },
  hideUserDataFromLog: true,
  clientInfoNetTotals: true,
  infoValkey: true,
  lazyfreeLazyExpire: true,
  dualChannel: true,
  replconfVersion: '8.0.1',
  version: 'valkey-8.0',
  redisVersion: '7.2.4',
  rdbVersionAux: ['valkey-ver', '8.0.1'],
  // Valkey 8 raised the default backlog to 10 MB.
  defaults: { 'repl-diskless-sync': true, 'repl-backlog-size': 10 * 1024 * 1024 },
};

export const DIALECTS: Readonly<Record<Version, Dialect>> = {
  '5.0': REDIS_5_0,
  '6.2': REDIS_6_2,
  '7.0': REDIS_7_0,
  '7.2': REDIS_7_2,
  '7.4': REDIS_7_4,
  'valkey-8.0': VALKEY_8_0,
};

/** Every version the engine speaks, oldest first (the lab script's `version` takes these). */
export const VERSIONS: readonly Version[] = ['5.0', '6.2', '7.0', '7.2', '7.4', 'valkey-8.0'];

export function dialectOf(version: Version): Dialect {
  return DIALECTS[version];
}
