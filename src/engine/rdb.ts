/**
 * Snapshots (rdb.c and replication.c's BGSAVE for replication): the fork child that writes the
 * dataset to disk or straight to the replicas' sockets, and what the parent does when it ends.
 */
import {
  replicaPutOnline,
  replicaStartCommandStream,
  replicationSetupSlaveForFullResync,
  slaveStateChanged,
} from './feed';
import { sendCurrentOffsetToReplica } from './dualChannelPrimary';
import { cloneKeyspace, keyCount, rdbPayloadSize } from './keyspace';
import { send, teardown, writeAcceptedAt } from './net';
import { nextServerCronTick } from './obuf';
import { schedule } from './queue';
import { nextInt } from './rng';
import { err, status, SYNTAX, type Reply } from './reply';
import type { ChildInfo, Conn, RdbImage, ServerState, ToReplica } from './types';
import { dialect, emit, log, logAs, unixtime, wallMs, type World } from './world';

/** The fork child writes a small RDB in about this long (observed: 2 ms). */
const CHILD_SAVE_MS = 2;

/** The dataset and replication info as an RDB file would hold them now. */
export function makeRdb(w: World, s: ServerState): RdbImage {
  // rdbPopulateSaveInfo: the master's selected db, else the cached master's (a replica whose
  // link is down), else the stream's own.
  const replStreamDb = s.masterhost
    ? Math.max(0, s.master?.db ?? s.cached_master?.db ?? 0)
    : s.slaveseldb === -1
      ? 0
      : s.slaveseldb;
  const info = {
    replId: s.replid,
    replOffset: s.master_repl_offset,
    replStreamDb,
    ctimeSec: unixtime(w),
    usedMem: 1_000_000,
    versionAux: dialect(w).rdbVersionAux,
    aofAux: dialect(w).rdbAofAux,
    small: dialect(w).rdbSmallEncoding,
    // ≤ 6.2 save the script cache with the replication info; 7.0 does not.
    scripts: dialect(w).rdbSavesScripts ? (s.keyspace.scripts ?? []) : [],
  };
  const keyspace = cloneKeyspace(s.keyspace);
  if (!dialect(w).rdbSavesScripts) delete keyspace.scripts;
  return {
    keyspace,
    replid: s.replid,
    replOffset: s.master_repl_offset,
    replStreamDb,
    size: rdbPayloadSize(keyspace, info),
    ctimeMs: wallMs(w),
  };
}

/** rdbLoad's log lines (7.0). */
export function rdbLoadLog(w: World, s: ServerState, rdb: RdbImage): void {
  const d = dialect(w);
  if (!d.logsRdbLoad) return;
  log(w, s, 'notice', `Loading RDB produced by version ${d.rdbVersionAux[1]}`);
  log(
    w,
    s,
    'notice',
    `RDB age ${Math.max(0, Math.floor((wallMs(w) - rdb.ctimeMs) / 1000))} seconds`,
  );
  log(w, s, 'notice', 'RDB memory usage when created 0.98 Mb');
  log(
    w,
    s,
    d.rdbDoneLevel,
    `Done loading RDB, keys loaded: ${keyCount(rdb.keyspace)}, keys expired: 0.`,
  );
}

/** fork(): the child's pid (the parent's log names it before the child exists). */
function nextChildPid(w: World): number {
  const pid = w.state.nextPid;
  w.state.nextPid += nextInt(w.state.rng, 3, 60);
  return pid;
}

/** The child starts writing `rdb`; it takes ~2 ms plus rdb-key-save-delay µs per key. */
function forkChild(
  w: World,
  m: ServerState,
  pid: number,
  target: ChildInfo['target'],
  purpose: ChildInfo['purpose'],
  rdb: RdbImage,
): ChildInfo {
  const saveMs =
    CHILD_SAVE_MS + (keyCount(rdb.keyspace) * Math.max(0, m.config['rdb-key-save-delay'])) / 1000;
  const child: ChildInfo = { pid, target, purpose, rdb, doneAt: w.state.now + saveMs };
  m.child = child;
  emit(w, { type: 'bgsave', server: m.name, phase: 'start', target, purpose, at: w.state.now });
  return child;
}

/**
 * bgsaveCommand: BGSAVE [SCHEDULE]. Any RDB child, a replica's too, makes it "already in
 * progress" (SCHEDULE only waits for an AOF rewrite, which the lab has none of).
 */
export function bgsaveCommand(w: World, m: ServerState, argv: readonly string[]): Reply {
  if (argv.length > 2 || (argv.length === 2 && argv[1]!.toLowerCase() !== 'schedule'))
    return SYNTAX;
  if (m.child) return err('ERR Background save already in progress');
  const pid = nextChildPid(w);
  log(w, m, 'notice', `Background saving started by pid ${pid}`);
  const child = forkChild(w, m, pid, 'disk', 'bgsave', makeRdb(w, m));
  schedule(w.state, child.doneAt, { t: 'childDone', server: m.name, pid });
  return status('Background saving started');
}

/** startBgsaveForReplication. */
export function startBgsaveForReplication(w: World, m: ServerState): void {
  const all = m.slaves.filter((r) => r.replstate === 'wait_bgsave_start');
  // One child per kind of request: Valkey's rdb channels (REPLICA_REQ_RDB_CHANNEL) apart.
  const dual = !!all[0]?.rdbChannel;
  const waiting = all.filter((r) => !!r.rdbChannel === dual);
  const socket = (m.config['repl-diskless-sync'] || dual) && waiting.every((r) => r.capaEof);
  const target = socket ? 'replicas sockets' : 'disk';
  log(
    w,
    m,
    'notice',
    dual
      ? `Starting BGSAVE for SYNC with target: ${target} using: dual-channel`
      : `Starting BGSAVE for SYNC with target: ${target}`,
  );
  const pid = nextChildPid(w);
  if (socket) {
    for (const r of waiting) {
      if (dual) sendCurrentOffsetToReplica(w, m, r);
      replicationSetupSlaveForFullResync(w, m, r, m.master_repl_offset);
    }
    log(
      w,
      m,
      'notice',
      dual
        ? `Background RDB transfer started by pid ${pid} to direct socket to replica`
        : `Background RDB transfer started by pid ${pid}`,
    );
  } else {
    log(w, m, 'notice', `Background saving started by pid ${pid}`);
    for (const r of waiting) replicationSetupSlaveForFullResync(w, m, r, m.master_repl_offset);
  }
  const child = forkChild(w, m, pid, socket ? 'socket' : 'disk', 'replication', makeRdb(w, m));
  if (dual) {
    // The child writes into the sockets through a buffered rio (PROTO_IOBUF_LEN, 16 KB): a small
    // RDB leaves in one go once the child has written it (childDone).
    child.direct = true;
    schedule(w.state, child.doneAt, { t: 'childDone', server: m.name, pid });
    return;
  }
  if (socket) {
    // The child writes the RDB into a pipe the parent forwards to every replica socket (Valkey's
    // dual channel: straight into the rdb channels' sockets).
    for (const r of waiting) {
      const c = w.state.conns[r.connId];
      if (!c) continue;
      const header = `$EOF:${'0'.repeat(40)}\r\n`.length;
      const f = sendBulk(
        w,
        c,
        { k: 'RDB', rdb: child.rdb, eof: true },
        header,
        child.rdb.size + 40,
      );
      child.doneAt = Math.max(child.doneAt, f);
    }
  }
  schedule(w.state, child.doneAt, { t: 'childDone', server: m.name, pid });
}

/**
 * Sends an RDB payload after its header (`$<size>` or `$EOF:<mark>`) and notes on the connection
 * when its bytes arrive, for the replica's INFO. Returns when the sender's last write was accepted.
 */
function sendBulk(
  w: World,
  c: Conn,
  msg: Extract<ToReplica, { k: 'RDB' }>,
  headerBytes: number,
  bytes: number,
): number {
  const first = send(
    w,
    c,
    'toReplica',
    { k: 'RDB_HEADER', eof: msg.eof, size: msg.rdb.size },
    headerBytes,
  );
  const finish = send(w, c, 'toReplica', msg, bytes);
  c.bulk = { from: first + w.state.latencyMs, to: finish + w.state.latencyMs, bytes };
  // The sender (the child's pipe, or the master reading the file) is done once the kernel holds
  // the last byte, not when it has crossed a slow link.
  return writeAcceptedAt(w, finish);
}

/**
 * killRDBChild: SIGUSR1 to the child, which exits at once without writing its RDB; the parent
 * reaps it at its next serverCron tick (checkChildrenDone) and finds it killed by signal 10.
 */
export function killRdbChild(w: World, m: ServerState): void {
  const child = m.child;
  if (!child || child.killed) return;
  child.killed = true;
  child.doneAt = w.state.now;
  schedule(w.state, nextServerCronTick(m, w.state.now), {
    t: 'bgsaveNoticed',
    server: m.name,
    pid: child.pid,
  });
}

/** The fork child finished writing. */
export function childDone(w: World, m: ServerState): void {
  const child = m.child!;
  if (child.killed) return;
  const cow = dialect(w).logs.forkCow;
  if (child.target === 'disk' || child.direct) {
    if (child.target === 'disk') logAs(w, m, 'C', 'notice', 'DB saved on disk', child.pid);
    logAs(w, m, 'C', 'notice', cow, child.pid);
    if (child.target === 'disk') m.rdbOnDisk = child.rdb;
    // Valkey's dual channel: the RDB leaves for the rdb channels now; the child exits once the
    // kernel has taken the last byte.
    let end = w.state.now;
    if (child.direct)
      for (const r of m.slaves) {
        const c = r.rdbChannel && r.replstate === 'wait_bgsave_end' && w.state.conns[r.connId];
        if (!c) continue;
        const header = `$EOF:${'0'.repeat(40)}\r\n`.length;
        const msg = { k: 'RDB' as const, rdb: child.rdb, eof: true };
        end = Math.max(end, sendBulk(w, c, msg, header, child.rdb.size + 40));
      }
    // The parent notices the child's exit in serverCron (10 Hz).
    const ticks = Math.ceil((end - m.startedAt - 1) / 100 + 1e-9);
    schedule(w.state, m.startedAt + 1 + ticks * 100, {
      t: 'bgsaveNoticed',
      server: m.name,
      pid: child.pid,
    });
    return;
  }
  logAs(w, m, 'C', 'notice', cow, child.pid);
  const up = m.slaves.filter((r) => r.replstate === 'wait_bgsave_end').length;
  log(w, m, 'warning', `Diskless rdb transfer, done reading from pipe, ${up} replicas still up.`);
  backgroundSaveDoneHandler(w, m);
}

/** backgroundSaveDoneHandler → updateSlavesWaitingBgsave. */
export function backgroundSaveDoneHandler(w: World, m: ServerState): void {
  const child = m.child!;
  m.child = null;
  if (child.killed)
    log(
      w,
      m,
      'warning',
      child.target === 'disk'
        ? 'Background saving terminated by signal 10'
        : 'Background transfer terminated by signal 10',
    );
  else
    log(
      w,
      m,
      'notice',
      child.target === 'disk'
        ? 'Background saving terminated with success'
        : 'Background RDB transfer terminated with success',
    );
  emit(w, {
    type: 'bgsave',
    server: m.name,
    phase: 'end',
    target: child.target,
    purpose: child.purpose,
    at: w.state.now,
  });
  for (const r of [...m.slaves]) {
    if (r.replstate !== 'wait_bgsave_end') continue;
    const c = w.state.conns[r.connId];
    if (child.killed) {
      // updateSlavesWaitingBgsave(C_ERR): freeClientAsync, closed before the master sleeps.
      log(w, m, 'warning', 'SYNC failed. BGSAVE child returned an error');
      if (c) teardown(w, c, 'master');
      continue;
    }
    if (child.target === 'socket') {
      log(
        w,
        m,
        'notice',
        `Streamed RDB transfer with replica ${r.name} succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming`,
      );
      // An rdb channel is done: freed asap, once its main channel has PSYNCed.
      if (!replicaPutOnline(w, m, r)) r.closeAsap = true;
      else r.streaming = false; // repl_start_cmd_stream_on_ack
    } else if (c) {
      r.replstate = 'send_bulk';
      slaveStateChanged(w, m, r);
      const pre = `$${child.rdb.size}\r\n`.length;
      const finish = sendBulk(w, c, { k: 'RDB', rdb: child.rdb, eof: false }, pre, child.rdb.size);
      if (finish <= w.state.now) {
        replicaPutOnline(w, m, r);
        replicaStartCommandStream(w, m, r);
      } else schedule(w.state, finish, { t: 'sendDone', server: m.name, conn: r.connId });
    }
  }
  // Replicas that arrived during this BGSAVE and could not attach get the next one.
  if (dialect(w).afterChildDone === 'pending-fork') replicationStartPendingFork(w, m);
  else if (m.slaves.some((r) => r.replstate === 'wait_bgsave_start'))
    startBgsaveForReplication(w, m);
}

/** The last byte of a disk RDB left for a replica (sendBulkToSlave's end). */
export function bulkSent(w: World, m: ServerState, connId: number): void {
  const r = m.slaves.find((x) => x.connId === connId);
  if (r && r.replstate === 'send_bulk') {
    replicaPutOnline(w, m, r);
    replicaStartCommandStream(w, m, r);
  }
}

/** replicationStartPendingFork / shouldStartChildReplication. */
export function replicationStartPendingFork(w: World, s: ServerState): void {
  if (s.child) return;
  const waiting = s.slaves.filter((r) => r.replstate === 'wait_bgsave_start');
  if (waiting.length === 0) return;
  const now = unixtime(w);
  const maxIdle = Math.max(...waiting.map((r) => now - r.lastInteraction));
  if (!s.config['repl-diskless-sync'] || maxIdle >= s.config['repl-diskless-sync-delay'])
    startBgsaveForReplication(w, s);
}
