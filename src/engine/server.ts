/**
 * A server process (server.c): boot, loading the RDB from disk, beforeSleep, active expiry,
 * SHUTDOWN (for good, or to start again).
 */
import { createReplicationBacklog, replicationFeedSlaves } from './backlog';
import { replicationCacheMasterUsingMyself } from './cachedMaster';
import { defaultConfig } from './config';
import { flushSlaves } from './feed';
import { freeClientsInAsyncFreeQueue, nextServerCronTick, scheduleClientsCron } from './obuf';
import { scheduleExpire } from './expire';
import { loadKeyspace, createKeyspace } from './keyspace';
import { teardown } from './net';
import { schedule } from './queue';
import { makeRdb, rdbLoadLog } from './rdb';
import { nextHex40, nextInt } from './rng';
import type { RdbImage, ServerState } from './types';
import { CONNECTION_CLOSED } from './reply';
import { deliverReply, processClientsWaitingReplicas } from './wait';
import { dialect, emit, log, logAs, unixtime, unixtimeAt, ZERO_REPLID, type World } from './world';

function newServerState(w: World, name: string, host: string, port: number): ServerState {
  return {
    name,
    host,
    port,
    pid: 0,
    alive: false,
    startedAt: 0,
    config: defaultConfig(w.state.version),
    keyspace: createKeyspace(),
    client: { db: 0, multi: null, multiError: false, woff: 0 },
    replid: nextHex40(w.state.rng),
    replid2: ZERO_REPLID,
    master_repl_offset: 0,
    second_replid_offset: -1,
    backlog: null,
    buffer: { blocks: [], nextBlockId: 0, entries: [] },
    slaves: [],
    pending: [],
    slaveseldb: -1,
    repl_no_slaves_since: unixtime(w),
    replication_cron_loops: 0,
    next_client_id: 3,
    child: null,
    clientsCronAt: null,
    waits: [],
    getAckFromSlaves: false,
    stat_sync_full: 0,
    stat_sync_partial_ok: 0,
    stat_sync_partial_err: 0,
    stat_expiredkeys: 0,
    masterhost: null,
    masterport: 0,
    repl_state: 'none',
    repl_transfer_s: null,
    repl_transfer_lastio: 0,
    repl_transfer_size: -1,
    repl_down_since: 0,
    master_initial_offset: -1,
    master: null,
    cached_master: null,
    rdbOnDisk: null,
    shutdown: null,
    transfer_replid: '',
    psync_started_at: 0,
    log: [],
  };
}

export function addServer(w: World, name: string, host: string, port: number): void {
  if (w.state.servers[name]) throw new Error(`server '${name}' already exists`);
  w.state.order.push(name);
  w.state.net[name] = 'up';
  const s = newServerState(w, name, host, port);
  w.state.servers[name] = s;
  startProcess(w, s, false);
}

/** Starts the process: pid, startup log lines, cron phase, and (restart) the RDB on disk. */
function startProcess(w: World, s: ServerState, fromRdb: boolean): void {
  s.pid = w.state.nextPid;
  w.state.nextPid += nextInt(w.state.rng, 7, 177);
  s.alive = true;
  s.startedAt = w.state.now;
  s.replication_cron_loops = 0;
  logAs(w, s, 'C', 'warning', 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
  logAs(
    w,
    s,
    'C',
    'warning',
    `Redis version=${dialect(w).redisVersion}, bits=64, commit=00000000, modified=0, pid=${s.pid}, just started`,
  );
  logAs(w, s, 'C', 'warning', 'Configuration loaded');
  log(w, s, 'notice', `Running mode=standalone, port=${s.port}.`);
  log(w, s, 'warning', 'Server initialized');
  if (fromRdb && s.rdbOnDisk) loadDataFromDisk(w, s, s.rdbOnDisk);
  log(w, s, 'notice', 'Ready to accept connections');
  // serverCron's first run (1 ms after start) is replicationCron's loop 0; then once a second.
  schedule(w.state, s.startedAt + 1, { t: 'cron', server: s.name, pid: s.pid });
  scheduleExpire(w, s);
}

/** loadDataFromDisk, with 7.0's PSYNC-after-restart rules (#8015). */
function loadDataFromDisk(w: World, s: ServerState, rdb: RdbImage): void {
  rdbLoadLog(w, s, rdb);
  s.keyspace = loadKeyspace(rdb.keyspace);
  log(w, s, 'notice', 'DB loaded from disk: 0.000 seconds');
  if (s.masterhost) {
    // A replica: restore the replication info and synthesize a cached master from it.
    s.replid = rdb.replid;
    s.master_repl_offset = rdb.replOffset;
    replicationCacheMasterUsingMyself(w, s);
    s.cached_master!.db = rdb.replStreamDb;
  } else if (dialect(w).restartKeepsReplid) {
    // A master: keep the old id as replid2 so replicas can partially resync.
    createReplicationBacklog(s);
    s.replid2 = rdb.replid;
    s.second_replid_offset = rdb.replOffset + 1;
    s.master_repl_offset += rdb.replOffset;
    s.backlog!.offset = s.master_repl_offset + 1;
    s.repl_no_slaves_since = unixtime(w);
  }
}

/** beforeSleep: write pending replication data to replicas, send GETACK, serve WAIT. */
export function beforeSleep(w: World, s: ServerState): void {
  // Not while clients are paused (a SHUTDOWN waiting for replicas): it would move the offset.
  if (s.getAckFromSlaves && s.slaves.length > 0 && !s.shutdown) {
    s.getAckFromSlaves = false;
    replicationFeedSlaves(w, s, s.slaveseldb, ['REPLCONF', 'GETACK', '*']);
  }
  s.getAckFromSlaves = false;
  flushSlaves(w, s);
  freeClientsInAsyncFreeQueue(w, s);
  processClientsWaitingReplicas(w, s);
  scheduleClientsCron(w, s);
}

/** The process exits: every connection closes and the other ends hear of it. */
function exitProcess(w: World, s: ServerState): void {
  s.alive = false;
  for (const c of Object.values(w.state.conns)) {
    if (c.from !== s.name && c.to !== s.name) continue;
    // A connect to this server still in flight finds whatever listens when its SYN gets there.
    if (c.state === 'connecting' && c.to === s.name) continue;
    const other = w.state.servers[c.from === s.name ? c.to : c.from];
    teardown(w, c, c.to === s.name ? 'master-exit' : 'replica-exit');
    if (other?.alive) beforeSleep(w, other);
  }
}

/** SHUTDOWN NOSAVE NOW for good: the server leaves the simulation. */
export function removeServer(w: World, name: string): void {
  const s = w.state.servers[name]!;
  log(w, s, 'warning', 'User requested shutdown...');
  if (dialect(w).shutdownWaitsForReplicas) logReplicasAtShutdown(w, s);
  killChildAtShutdown(w, s);
  log(w, s, 'warning', 'Redis is now ready to exit, bye bye...');
  exitProcess(w, s);
  closeBlockedClients(w, s);
  delete w.state.servers[name];
  delete w.state.net[name];
  w.state.order = w.state.order.filter((n) => n !== name);
  emit(w, { type: 'removed', server: name, at: w.state.now });
}

/** SHUTDOWN's options: SAVE (true), NOSAVE (false) or neither (null); NOW skips the wait for replicas. */
export interface ShutdownFlags {
  readonly save: boolean | null;
  readonly now: boolean;
}

/**
 * prepareForShutdown. 7.0: unless NOW or shutdown-timeout 0, a master with replicas that have
 * not all acknowledged master_repl_offset sends them REPLCONF GETACK * (37 bytes into the stream),
 * pauses writes and waits; serverCron finishes the shutdown (shutdownCron). Otherwise, and in
 * 5.0, finishShutdown at once. `ticket` is the client blocked on SHUTDOWN (none for `restart`).
 * Returns true when the process has exited (and, for a restart, started again).
 */
export function prepareForShutdown(
  w: World,
  s: ServerState,
  flags: ShutdownFlags,
  restart: boolean,
  ticket: number | null,
): boolean {
  log(w, s, 'warning', 'User requested shutdown...');
  const timeout = s.config['shutdown-timeout'];
  if (dialect(w).shutdownWaitsForReplicas && !flags.now && timeout !== 0 && !isReadyToShutdown(s)) {
    const checkAt = nextServerCronTick(s, w.state.now);
    s.shutdown = {
      deadline: w.state.now + timeout * 1000,
      save: flags.save,
      restart,
      checkAt,
      tickets: ticket === null ? [] : [ticket],
    };
    // sendGetackToReplicas (not while clients are paused: they are not yet).
    replicationFeedSlaves(w, s, s.slaveseldb, ['REPLCONF', 'GETACK', '*']);
    log(w, s, 'notice', 'Waiting for replicas before shutting down.');
    schedule(w.state, checkAt, { t: 'shutdownCron', server: s.name, pid: s.pid });
    return false;
  }
  // The caller answers the client (the connection closes).
  finishShutdown(w, s, flags.save, restart, []);
  return true;
}

/** isReadyToShutdown: every replica acknowledged the whole offset (or there are none). */
function isReadyToShutdown(s: ServerState): boolean {
  return s.slaves.every((r) => r.replAckOff === s.master_repl_offset);
}

/**
 * serverCron's shutdown check, first thing in a tick: once every replica is in sync, or at the
 * deadline, the shutdown goes ahead. Returns true when the process has exited.
 */
export function shutdownCronIfDue(w: World, s: ServerState): boolean {
  const sd = s.shutdown;
  if (!sd || sd.checkAt > w.state.now) return false;
  if (w.state.now >= sd.deadline || isReadyToShutdown(s)) {
    s.shutdown = null;
    finishShutdown(w, s, sd.save, sd.restart, sd.tickets);
    return true;
  }
  sd.checkAt = nextServerCronTick(s, w.state.now);
  schedule(w.state, sd.checkAt, { t: 'shutdownCron', server: s.name, pid: s.pid });
  return false;
}

/**
 * finishShutdown: the replicas' account (7.0), the RDB child killed, the final RDB saved with the
 * replication info (unless NOSAVE; the lab's servers have save points, so a plain SHUTDOWN saves),
 * and exit. The server stays declared, down, until `restart`; a restart starts it again now.
 */
function finishShutdown(
  w: World,
  s: ServerState,
  save: boolean | null,
  restart: boolean,
  tickets: readonly number[],
): void {
  if (dialect(w).shutdownWaitsForReplicas) logReplicasAtShutdown(w, s);
  killChildAtShutdown(w, s);
  if (save !== false) {
    log(w, s, 'notice', 'Saving the final RDB snapshot before exiting.');
    const rdb = makeRdb(w, s);
    if (s.master) rdb.replOffset = s.master.reploff;
    s.rdbOnDisk = rdb;
    log(w, s, 'notice', 'DB saved on disk');
  }
  log(w, s, 'notice', 'Removing the pid file.');
  log(w, s, 'warning', 'Redis is now ready to exit, bye bye...');
  exitProcess(w, s);
  for (const t of tickets) deliverReply(w, s, t, CONNECTION_CLOSED);
  if (restart) startAgain(w, s);
}

/** The clients still blocked on a SHUTDOWN under way see the connection close. */
function closeBlockedClients(w: World, s: ServerState): void {
  const sd = s.shutdown;
  s.shutdown = null;
  for (const t of sd?.tickets ?? []) deliverReply(w, s, t, CONNECTION_CLOSED);
}

/** finishShutdown kills an RDB child, so that it cannot overwrite the final save. */
function killChildAtShutdown(w: World, s: ServerState): void {
  const child = s.child;
  if (!child) return;
  log(w, s, 'warning', 'There is a child saving an .rdb. Killing it!');
  s.child = null;
  emit(w, {
    type: 'bgsave',
    server: s.name,
    phase: 'end',
    target: child.target,
    purpose: child.purpose,
    at: w.state.now,
  });
}

/**
 * finishShutdown's account of the replicas: a line for each one behind the master, then how many
 * are in sync.
 */
function logReplicasAtShutdown(w: World, s: ServerState): void {
  if (s.slaves.length === 0) return;
  let lagging = 0;
  for (const r of s.slaves) {
    if (r.replAckOff === s.master_repl_offset) continue;
    lagging++;
    const lag = r.replstate === 'online' ? unixtime(w) - unixtimeAt(w, r.replAckTime) : 0;
    const state =
      r.replstate === 'online'
        ? 'online'
        : r.replstate === 'send_bulk'
          ? 'send_bulk'
          : 'wait_bgsave';
    log(
      w,
      s,
      'warning',
      `Lagging replica ${r.name} reported offset ${s.master_repl_offset - r.replAckOff} behind master, lag=${lag}, state=${state}.`,
    );
  }
  log(
    w,
    s,
    'notice',
    `${s.slaves.length - lagging} of ${s.slaves.length} replicas are in sync when shutting down.`,
  );
}

/**
 * The lab's `restart`: SHUTDOWN SAVE (when running) and start again from the RDB. A master
 * waiting for its replicas' ACKs starts again only once it has exited (the caller runs the
 * simulation until then). Returns true when the process is up again.
 */
export function restartServer(w: World, name: string): boolean {
  const s = w.state.servers[name]!;
  if (!s.alive) {
    startAgain(w, s);
    return true;
  }
  const done = prepareForShutdown(w, s, { save: true, now: false }, true, null);
  if (!done) beforeSleep(w, s);
  return done;
}

/** A stopped server's process starts again from its RDB. */
function startAgain(w: World, s: ServerState): void {
  const fresh = newServerState(w, s.name, s.host, s.port);
  fresh.rdbOnDisk = s.rdbOnDisk;
  fresh.log = s.log;
  fresh.masterhost = s.masterhost;
  fresh.masterport = s.masterport;
  fresh.repl_state = s.masterhost ? 'connect' : 'none';
  w.state.servers[s.name] = fresh;
  startProcess(w, fresh, true);
  if (fresh.masterhost && !fresh.cached_master) replicationCacheMasterUsingMyself(w, fresh);
}
