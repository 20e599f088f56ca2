/**
 * The replica side of replication (replication.c): REPLICAOF, the link to the master (connect,
 * lose, cancel, reconnect) and REPLCONF ACK. The handshake and what flows on the link are in
 * replicaSync.ts.
 */
import {
  replicationCacheMaster,
  replicationCacheMasterUsingMyself,
  replicationDiscardCachedMaster,
} from './cachedMaster';
import { scheduleExpire } from './expire';
import { connect, disconnectSlaves, send, teardown } from './net';
import { err, OK, status, type Reply } from './reply';
import { respLength } from './resp';
import { nextHex40, nextInt } from './rng';
import type { Conn, ServerState } from './types';
import { dialect, log, parseStrictInt, setReplState, unixtime, type World } from './world';

/** A REPLICAOF target: a declared server by name, or by host and port. */
function resolveServer(w: World, host: string, port: number): ServerState | undefined {
  const byName = w.state.servers[host];
  if (byName) return byName;
  return Object.values(w.state.servers).find((x) => x.host === host && x.port === port);
}

/** replicaofCommand (REPLICAOF host port | NO ONE). */
export function replicaofCommand(w: World, s: ServerState, argv: string[]): Reply {
  const host = argv[1]!;
  const portArg = argv[2]!;
  if (host.toLowerCase() === 'no' && portArg.toLowerCase() === 'one') {
    if (s.masterhost) {
      replicationUnsetMaster(w, s);
      log(w, s, 'notice', `MASTER MODE enabled (user request from '${clientInfo(w, s, argv)}')`);
    }
    return OK;
  }
  const port = parseStrictInt(portArg);
  if (port === null || port < 0 || port > 65535) return err('ERR Invalid master port');
  // A declared server's name stands for its address.
  const target = w.state.servers[host];
  const mhost = target ? target.host : host;
  const mport = target && port === target.port ? target.port : port;
  if (s.masterhost === mhost && s.masterport === mport) {
    log(
      w,
      s,
      'notice',
      'REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.',
    );
    return status('OK Already connected to specified master');
  }
  replicationSetMaster(w, s, mhost, mport);
  log(
    w,
    s,
    'notice',
    `REPLICAOF ${mhost}:${mport} enabled (user request from '${clientInfo(w, s, argv)}')`,
  );
  return OK;
}

/** The CLIENT LIST line Redis puts in "user request from '…'". */
function clientInfo(w: World, s: ServerState, argv: string[]): string {
  const id = w.state.nextClientId++;
  const cport = 40000 + nextInt(w.state.rng, 0, 20000);
  const qbuf = respLength(argv);
  const argvMem = argv.reduce((n, a) => n + a.length, 0) - argv[0]!.length;
  return dialect(w).clientInfo({
    id,
    host: s.host,
    port: s.port,
    cport,
    db: s.client.db,
    qbuf,
    argvMem,
    cmd: argv[0]!.toLowerCase(),
  });
}

/** replicationSetMaster. */
function replicationSetMaster(w: World, s: ServerState, host: string, port: number): void {
  const wasMaster = s.masterhost === null;
  const legacy = dialect(w).setMaster === 'disconnect-replicas';
  // 7.0 frees the old master with no masterhost (its lines log with role M); 5.0 sets the new
  // one first, and drops its own replicas too.
  s.masterhost = legacy ? host : null;
  if (s.master) freeMasterClient(w, s);
  s.masterhost = host;
  s.masterport = port;
  if (legacy) disconnectSlaves(w, s);
  cancelReplicationHandshake(w, s, false);
  if (wasMaster) {
    replicationDiscardCachedMaster(w, s);
    replicationCacheMasterUsingMyself(w, s);
  }
  setReplState(w, s, 'connect');
  if (dialect(w).connectAtOnce) {
    log(w, s, 'notice', `Connecting to MASTER ${host}:${port}`);
    connectWithMaster(w, s);
  }
}

/** replicationUnsetMaster (REPLICAOF NO ONE). */
function replicationUnsetMaster(w: World, s: ServerState): void {
  s.masterhost = null;
  const shiftFirst = dialect(w).unsetMasterShiftsFirst;
  if (shiftFirst) shiftReplicationId(w, s);
  if (s.master) freeMasterClient(w, s);
  replicationDiscardCachedMaster(w, s);
  cancelReplicationHandshake(w, s, false);
  if (!shiftFirst) shiftReplicationId(w, s);
  disconnectSlaves(w, s);
  setReplState(w, s, 'none');
  s.slaveseldb = -1;
  s.repl_no_slaves_since = unixtime(w);
  s.repl_down_since = 0;
  // A master expires keys itself: the promoted replica's TTLs now run out on their own.
  scheduleExpire(w, s);
}

/** shiftReplicationId: the old ID stays valid as replid2 up to the current offset. */
function shiftReplicationId(w: World, s: ServerState): void {
  s.replid2 = s.replid;
  s.second_replid_offset = s.master_repl_offset + 1;
  s.replid = nextHex40(w.state.rng);
  log(
    w,
    s,
    'warning',
    `Setting secondary replication ID to ${s.replid2}, valid up to offset: ${s.second_replid_offset}. New replication ID is ${s.replid}`,
  );
}

/** connectWithMaster. */
export function connectWithMaster(w: World, s: ServerState): void {
  const target = resolveServer(w, s.masterhost!, s.masterport);
  const conn = connect(w, s, target, `${s.masterhost}:${s.masterport}`);
  if (conn === 'unreachable') {
    log(w, s, 'warning', 'Unable to connect to MASTER: Network is unreachable');
    s.repl_transfer_s = null;
    setReplState(w, s, 'connect');
    return;
  }
  s.repl_transfer_s = conn.id;
  s.repl_transfer_lastio = unixtime(w);
  setReplState(w, s, 'connecting');
  log(w, s, 'notice', 'MASTER <-> REPLICA sync started');
}

/** The connect failed at once: "Connection refused". */
export function connectRefused(w: World, s: ServerState, c: Conn): void {
  teardown(w, c, 'refused');
  if (s.dual && s.dual.rdbConn === c.id) {
    // fullSyncWithPrimary's error path: both connections close, the cron reconnects.
    log(
      w,
      s,
      'warning',
      'Error condition on socket for dual channel replication: Connection refused',
    );
    s.dual.rdbConn = null;
    const main = s.repl_transfer_s !== null ? w.state.conns[s.repl_transfer_s] : undefined;
    s.repl_transfer_s = null;
    if (main) teardown(w, main, 'replica');
    setReplState(w, s, 'connect');
    abortDualChannelSync(w, s);
    return;
  }
  log(w, s, 'warning', 'Error condition on socket for SYNC: Connection refused');
  s.repl_transfer_s = null;
  setReplState(w, s, 'connect');
}

/** The replica gives up a handshake (an error reply, or a failed PSYNC): replicationCron retries. */
export function abortHandshake(w: World, s: ServerState, c: Conn, warning?: string): void {
  if (warning) log(w, s, 'warning', warning);
  abortDualChannelSync(w, s);
  teardown(w, c, 'replica');
  s.repl_transfer_s = null;
  setReplState(w, s, 'connect');
}

/** The replica's connection to its master closed under it. */
export function replicaConnClosed(w: World, s: ServerState, connId: number): void {
  if (s.master && s.master.connId === connId) {
    freeMasterClient(w, s);
    return;
  }
  if (s.dual && s.dual.rdbConn === connId) {
    // The rdb channel closed before the whole RDB came (readSyncBulkPayload's read error).
    s.dual.rdbConn = null;
    log(w, s, 'warning', 'I/O error trying to sync with MASTER: connection lost');
    cancelReplicationHandshake(w, s, true);
    return;
  }
  if (s.repl_transfer_s === connId) {
    if (s.repl_state === 'transfer') {
      // Still waiting for the `$<size>` line, the read hits the end of the stream with errno 0
      // (seen on 7.0.15 after a reset during a disk BGSAVE); later, the payload read fails.
      log(
        w,
        s,
        'warning',
        s.repl_transfer_size === -1
          ? 'I/O error reading bulk count from MASTER: Success'
          : 'I/O error trying to sync with MASTER: connection lost',
      );
      cancelReplicationHandshake(w, s, true);
    } else {
      log(w, s, 'warning', 'Error condition on socket for SYNC: Connection reset by peer');
      s.repl_transfer_s = null;
      setReplState(w, s, 'connect');
      abortDualChannelSync(w, s);
    }
  }
}

/** freeClient(server.master) → replicationCacheMaster → replicationHandleMasterDisconnection. */
export function freeMasterClient(w: World, s: ServerState): void {
  const mc = s.master!;
  log(w, s, 'warning', 'Connection with master lost.');
  replicationCacheMaster(w, s, mc);
  s.master = null;
  const c = mc.connId !== null ? w.state.conns[mc.connId] : undefined;
  if (c) teardown(w, c, 'replica');
  setReplState(w, s, 'connect');
  s.repl_down_since = unixtime(w);
  if (s.masterhost && dialect(w).connectAtOnce) {
    log(w, s, 'notice', `Reconnecting to MASTER ${s.masterhost}:${s.masterport}`);
    connectWithMaster(w, s);
  }
}

/** cancelReplicationHandshake. */
export function cancelReplicationHandshake(w: World, s: ServerState, reconnect: boolean): void {
  abortDualChannelSync(w, s);
  if (s.repl_transfer_s !== null) {
    const c = w.state.conns[s.repl_transfer_s];
    s.repl_transfer_s = null;
    if (c) teardown(w, c, 'replica');
  }
  if (s.repl_state !== 'connected' && s.repl_state !== 'none') setReplState(w, s, 'connect');
  if (reconnect && s.masterhost) {
    log(w, s, 'notice', `Reconnecting to MASTER ${s.masterhost}:${s.masterport} after failure`);
    connectWithMaster(w, s);
  }
}

/** replicationSendAck: REPLCONF ACK <reploff>. */
export function replicationSendAck(w: World, s: ServerState): void {
  const mc = s.master;
  if (!mc || mc.connId === null) return;
  const c = w.state.conns[mc.connId];
  if (!c) return;
  send(
    w,
    c,
    'toMaster',
    { k: 'ACK', offset: mc.reploff },
    respLength(['REPLCONF', 'ACK', String(mc.reploff)]),
  );
}

/** replicationAbortDualChannelSyncTransfer: close the rdb channel, drop the local buffer. */
export function abortDualChannelSync(w: World, s: ServerState): void {
  const d = s.dual;
  if (!d) return;
  log(w, s, 'notice', 'Aborting dual channel sync');
  s.dual = null;
  const c = d.rdbConn !== null ? w.state.conns[d.rdbConn] : undefined;
  if (c) teardown(w, c, 'replica');
  if (s.pending_repl_data) {
    s.pending_repl_data.len = 0;
    s.pending_repl_data.blocks = [];
    s.pending_repl_data.entries = [];
  }
}
