/**
 * What flows on a replica's link to its master (replication.c): the handshake (syncWithMaster),
 * the PSYNC request and its reply (slaveTryPartialResynchronization), the RDB payload
 * (readSyncBulkPayload) and, once connected, the replication stream applied and proxied to the
 * replica's own replicas.
 */
import { applyMasterStream } from './applyStream';
import { createReplicationBacklog, freeReplicationBacklog } from './backlog';
import { replicationDiscardCachedMaster, replicationResurrectCachedMaster } from './cachedMaster';
import { dualChannel } from './dualChannelHooks';
import { loadKeyspace } from './keyspace';
import { describeMessage, disconnectSlaves, send } from './net';
import { rdbLoadLog } from './rdb';
import { abortHandshake, replicationSendAck } from './replica';
import { respLength } from './resp';
import type { Conn, RdbImage, ServerState, ToReplica } from './types';
import {
  dialect,
  emit,
  log,
  setOffset,
  setReplState,
  unixtime,
  ZERO_REPLID,
  type World,
} from './world';

/** Whether this replica asks for dual channel (`REPLCONF capa dual-channel`). */
function wantsDualChannel(w: World, s: ServerState): boolean {
  return dialect(w).dualChannel && s.config['dual-channel-replication-enabled'];
}

/** A message from the master reaches the replica. */
export function replicaReceive(w: World, s: ServerState, c: Conn, msg: ToReplica): void {
  if (s.master && s.master.connId === c.id) {
    s.master.lastInteraction = unixtime(w);
    if (msg.k === 'STREAM') applyMasterStream(w, s, msg.entries);
    return;
  }
  // Valkey's rdb channel.
  if (s.dual && s.dual.rdbConn === c.id) return dualChannel().rdbChannelReceive(w, s, c, msg);
  if (s.repl_transfer_s !== c.id) return;
  s.repl_transfer_lastio = unixtime(w);
  // A keep-alive newline (an empty PSYNC reply, or before the $ line): only the I/O time counts.
  if (msg.k === 'NEWLINE') return;
  if (s.dual && s.repl_state === 'transfer') {
    // Dual channel: the main connection's stream waits in the local buffer while the RDB loads.
    if (msg.k === 'STREAM') dualChannel().bufferReplData(s, msg.entries);
    return;
  }
  if (s.dual && dualChannel().mainChannelReceive(w, s, c, msg)) return;
  if (s.repl_state === 'transfer') {
    // The master only streams after the RDB, so nothing else arrives during a transfer.
    if (msg.k === 'RDB_HEADER') {
      s.repl_transfer_size = msg.eof ? 0 : msg.size;
      const where = dialect(w).logs.receivingSuffix;
      log(
        w,
        s,
        'notice',
        msg.eof
          ? `MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF${where}`
          : `MASTER <-> REPLICA sync: receiving ${msg.size} bytes from master${where}`,
      );
    } else if (msg.k === 'RDB') {
      readSyncBulkPayloadDone(w, s, c, msg.rdb, msg.eof);
    }
    return;
  }
  syncWithMaster(w, s, c, msg);
}

/** syncWithMaster: the handshake, one step per reply (null: the connect just succeeded). */
export function syncWithMaster(w: World, s: ServerState, c: Conn, msg: ToReplica | null): void {
  const pipelined = dialect(w).replconfPipelined;
  const portBytes = respLength(['REPLCONF', 'listening-port', String(s.port)]);
  // Valkey adds `capa dual-channel` when dual-channel-replication-enabled is on.
  const capa = wantsDualChannel(w, s) ? ['eof', 'psync2', 'dual-channel'] : ['eof', 'psync2'];
  const version = dialect(w).replconfVersion;
  const capaBytes =
    respLength(['REPLCONF', ...capa.flatMap((x) => ['capa', x])]) +
    (version ? respLength(['REPLCONF', 'version', version]) : 0);
  const replconf = {
    k: 'REPLCONF' as const,
    listeningPort: s.port,
    capa,
    ...(version ? { version } : {}),
  };
  switch (s.repl_state) {
    case 'connecting':
      log(w, s, 'notice', 'Non blocking connect for SYNC fired the event.');
      setReplState(w, s, 'receive_ping_reply');
      send(w, c, 'toMaster', { k: 'PING' }, 14);
      return;
    case 'receive_ping_reply':
      if (msg?.k !== 'PONG')
        return abortHandshake(
          w,
          s,
          c,
          `Error reply to PING from master: '${describeMessage(msg!)[1]}'`,
        );
      log(w, s, 'notice', 'Master replied to PING, replication can continue...');
      setReplState(w, s, 'receive_port_reply');
      if (pipelined) send(w, c, 'toMaster', replconf, portBytes + capaBytes);
      else send(w, c, 'toMaster', { k: 'REPLCONF', listeningPort: s.port, capa: [] }, portBytes);
      return;
    case 'receive_port_reply':
      if (msg?.k !== 'OK')
        log(
          w,
          s,
          'notice',
          `(Non critical) Master does not understand REPLCONF listening-port: ${describeMessage(msg!)[1]}`,
        );
      setReplState(w, s, 'receive_capa_reply');
      if (!pipelined) send(w, c, 'toMaster', replconf, capaBytes);
      return;
    case 'receive_capa_reply':
      if (msg?.k !== 'OK')
        log(
          w,
          s,
          'notice',
          `(Non critical) Master does not understand REPLCONF capa: ${describeMessage(msg!)[1]}`,
        );
      // Valkey reads the +OK to REPLCONF version next (any reply will do), then PSYNCs.
      if (dialect(w).replconfVersion) return setReplState(w, s, 'receive_version_reply');
      setReplState(w, s, 'send_psync');
      slaveTryPartialResynchronizationWrite(w, s, c);
      setReplState(w, s, 'receive_psync_reply');
      return;
    case 'receive_version_reply':
      setReplState(w, s, 'send_psync');
      slaveTryPartialResynchronizationWrite(w, s, c);
      setReplState(w, s, 'receive_psync_reply');
      return;
    case 'receive_psync_reply':
      if (msg) slaveTryPartialResynchronizationRead(w, s, c, msg);
      return;
    default:
      return;
  }
}

/** slaveTryPartialResynchronization, writing half: PSYNC <cached replid> <cached offset + 1>. */
function slaveTryPartialResynchronizationWrite(w: World, s: ServerState, c: Conn): void {
  s.master_initial_offset = -1;
  let replid = '?';
  let offset = -1;
  if (s.cached_master) {
    replid = s.cached_master.replid;
    offset = s.cached_master.reploff + 1;
    log(w, s, 'notice', `Trying a partial resynchronization (request ${replid}:${offset}).`);
  } else {
    log(w, s, 'notice', 'Partial resynchronization not possible (no cached master)');
  }
  s.psync_started_at = w.state.now;
  send(
    w,
    c,
    'toMaster',
    { k: 'PSYNC', replid, offset },
    respLength(['PSYNC', replid, String(offset)]),
  );
}

/** replicationAttachToNewMaster: the old data's replicas, backlog and cached master go. */
function replicationAttachToNewMaster(w: World, s: ServerState): void {
  replicationDiscardCachedMaster(w, s);
  disconnectSlaves(w, s);
  freeReplicationBacklog(s);
}

/** slaveTryPartialResynchronization, reading half: +FULLRESYNC, +CONTINUE or an error. */
function slaveTryPartialResynchronizationRead(
  w: World,
  s: ServerState,
  c: Conn,
  msg: ToReplica,
): void {
  if (msg.k === 'DUALCHANNELSYNC') {
    const target = w.state.servers[c.to];
    dualChannel().dualChannelStart(w, s, target, `${s.masterhost}:${s.masterport}`);
    return;
  }
  if (msg.k === 'FULLRESYNC') {
    s.master_initial_offset = msg.offset;
    s.transfer_replid = msg.replid;
    log(w, s, 'notice', `Full resync from master: ${msg.replid}:${msg.offset}`);
    if (dialect(w).attachToNewMaster === 'on-fullresync') replicationAttachToNewMaster(w, s);
    setReplState(w, s, 'transfer');
    s.repl_transfer_size = -1;
    s.repl_transfer_lastio = unixtime(w);
    return;
  }
  if (msg.k === 'CONTINUE') {
    log(w, s, 'notice', 'Successful partial resynchronization with master.');
    const cached = s.cached_master!;
    if (msg.replid && msg.replid !== cached.replid) {
      log(w, s, 'warning', `Master replication ID changed to ${msg.replid}`);
      s.replid2 = cached.replid;
      s.second_replid_offset = s.master_repl_offset + 1;
      s.replid = msg.replid;
      cached.replid = msg.replid;
      disconnectSlaves(w, s);
    }
    replicationResurrectCachedMaster(w, s, c);
    log(w, s, 'notice', 'MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.');
    const m = w.state.servers[c.to];
    const bytes = m ? m.master_repl_offset - cached.reploff : 0;
    emit(w, {
      type: 'resynced',
      master: c.to,
      replica: s.name,
      kind: 'partial',
      bytes: Math.max(0, bytes),
      startedAt: s.psync_started_at,
      at: w.state.now,
    });
    return;
  }
  if (msg.k === 'ERR') {
    if (msg.text.startsWith('NOMASTERLINK') || msg.text.startsWith('LOADING'))
      log(
        w,
        s,
        'notice',
        `Master is currently unable to PSYNC but should be in the future: -${msg.text}`,
      );
    else
      log(
        w,
        s,
        'notice',
        `Master does not support PSYNC or is in error state (reply: -${msg.text})`,
      );
    abortHandshake(w, s, c);
  }
}

/** The end of readSyncBulkPayload: flush, load, and become a connected replica. */
function readSyncBulkPayloadDone(
  w: World,
  s: ServerState,
  c: Conn,
  rdb: RdbImage,
  eof: boolean,
): void {
  if (dialect(w).attachToNewMaster === 'on-load') replicationAttachToNewMaster(w, s);
  log(w, s, 'notice', 'MASTER <-> REPLICA sync: Flushing old data');
  log(w, s, 'notice', 'MASTER <-> REPLICA sync: Loading DB in memory');
  rdbLoadLog(w, s, rdb);
  s.keyspace = loadKeyspace(rdb.keyspace, s.keyspace.scripts);
  emit(w, { type: 'keyspace', server: s.name, keys: [], at: w.state.now });
  const replid = s.transfer_replid || rdb.replid;
  s.master = {
    connId: c.id,
    replid,
    reploff: s.master_initial_offset,
    db: rdb.replStreamDb,
    multi: null,
    lastInteraction: unixtime(w),
  };
  s.repl_transfer_s = null;
  setReplState(w, s, 'connected');
  s.repl_down_since = 0;
  s.replid = replid;
  setOffset(w, s, s.master_initial_offset);
  s.replid2 = ZERO_REPLID;
  s.second_replid_offset = -1;
  createReplicationBacklog(s);
  s.rdbOnDisk = rdb;
  log(w, s, 'notice', 'MASTER <-> REPLICA sync: Finished with success');
  emit(w, {
    type: 'resynced',
    master: c.to,
    replica: s.name,
    kind: 'full',
    bytes: rdb.size,
    startedAt: s.psync_started_at,
    at: w.state.now,
  });
  if (eof) replicationSendAck(w, s);
}
