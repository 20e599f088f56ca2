/**
 * A server process (server.c): boot, loading the RDB from disk, beforeSleep, active expiry,
 * SHUTDOWN (for good, or to start again).
 */
import { createReplicationBacklog, replicationFeedSlaves } from './backlog';
import { replicationCacheMasterUsingMyself } from './cachedMaster';
import { defaultConfig } from './config';
import { flushSlaves } from './feed';
import { freeClientsInAsyncFreeQueue, scheduleClientsCron } from './obuf';
import { scheduleExpire } from './expire';
import { loadKeyspace, createKeyspace } from './keyspace';
import { teardown } from './net';
import { schedule } from './queue';
import { makeRdb, rdbLoadLog } from './rdb';
import { nextHex40, nextInt } from './rng';
import type { RdbImage, ServerState } from './types';
import { processClientsWaitingReplicas } from './wait';
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
  if (s.getAckFromSlaves && s.slaves.length > 0) {
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
    const other = w.state.servers[c.from === s.name ? c.to : c.from];
    teardown(w, c, c.to === s.name ? 'master-exit' : 'replica-exit');
    if (other?.alive) beforeSleep(w, other);
  }
}

/** SHUTDOWN NOSAVE for good: the server leaves the simulation. */
export function removeServer(w: World, name: string): void {
  const s = w.state.servers[name]!;
  log(w, s, 'warning', 'User requested shutdown...');
  log(w, s, 'warning', 'Redis is now ready to exit, bye bye...');
  exitProcess(w, s);
  delete w.state.servers[name];
  delete w.state.net[name];
  w.state.order = w.state.order.filter((n) => n !== name);
  emit(w, { type: 'removed', server: name, at: w.state.now });
}

/**
 * SHUTDOWN [NOSAVE|SAVE]: the process saves its RDB with the replication info (unless NOSAVE;
 * a default-configured Redis has save points, so a plain SHUTDOWN saves) and exits. The server
 * stays declared, down, until `restart`.
 */
export function shutdownServer(w: World, s: ServerState, save: boolean): void {
  log(w, s, 'warning', 'User requested shutdown...');
  logReplicasAtShutdown(w, s);
  if (save) {
    log(w, s, 'notice', 'Saving the final RDB snapshot before exiting.');
    const rdb = makeRdb(w, s);
    if (s.master) rdb.replOffset = s.master.reploff;
    s.rdbOnDisk = rdb;
    log(w, s, 'notice', 'DB saved on disk');
  }
  log(w, s, 'notice', 'Removing the pid file.');
  log(w, s, 'warning', 'Redis is now ready to exit, bye bye...');
  exitProcess(w, s);
}

/**
 * finishShutdown's account of the replicas: a line for each one behind the master, then how many
 * are in sync. (Redis first waits up to shutdown-timeout for lagging ones to acknowledge; the lab
 * does not pause for that.)
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

/** The lab's `restart`: SHUTDOWN SAVE (when running) and start again from the RDB. */
export function restartServer(w: World, name: string): void {
  const s = w.state.servers[name]!;
  if (s.alive) shutdownServer(w, s, true);
  const fresh = newServerState(w, s.name, s.host, s.port);
  fresh.rdbOnDisk = s.rdbOnDisk;
  fresh.log = s.log;
  fresh.masterhost = s.masterhost;
  fresh.masterport = s.masterport;
  fresh.repl_state = s.masterhost ? 'connect' : 'none';
  w.state.servers[name] = fresh;
  startProcess(w, fresh, true);
  if (fresh.masterhost && !fresh.cached_master) replicationCacheMasterUsingMyself(w, fresh);
}
