/**
 * Valkey 8's dual-channel full sync (replication.c at 8.0.1, "Dual channel for full sync"), both
 * ends. With dual-channel-replication-enabled on both, a replica's PSYNC that cannot continue is
 * answered `+DUALCHANNELSYNC`; the replica opens a second connection, the rdb channel, which
 * says `REPLCONF capa eof rdb-only 1 rdb-channel 1 listening-port <port>` and `SYNC`; the primary
 * answers `$ENDOFF:<offset> <replid> <dbid> <client-id>` (sendCurrentOffsetToReplica) and its fork
 * child writes the RDB straight to that socket. Meanwhile the main connection says
 * `REPLCONF set-rdb-client-id <id>` and PSYNCs from offset + 1: the primary accepts it (the rdb
 * channel kept the backlog from that offset) and streams the writes made during the transfer on
 * the main connection, where the replica buffers them (`pending_repl_data`, INFO
 * replicas_repl_buffer_size/peak) until the RDB is loaded; then it applies them and is online.
 *
 * The primary's side lives with the classic decisions (master.ts syncCommand, rdb.ts
 * startBgsaveForReplication) and its helpers in dualChannelPrimary.ts; this module is the
 * replica's side. Log lines Valkey alone has are written in its words.
 */
import { applyMasterStream } from './applyStream';
import { createReplicationBacklog, jemallocUsable } from './backlog';
import { replicationDiscardCachedMaster } from './cachedMaster';
import { cloneKeyspace } from './keyspace';
import { installDualChannel } from './dualChannelHooks';
import { connect, disconnectSlaves, send, teardown } from './net';
import { rdbLoadLog } from './rdb';
import { abortDualChannelSync, cancelReplicationHandshake, replicationSendAck } from './replica';
import { respLength } from './resp';
import type { Conn, RdbImage, ServerState, StreamEntry, ToReplica } from './types';
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

/** PROTO_IOBUF_LEN: bufferReplData reads up to this much at a time. */
const PROTO_IOBUF_LEN = 16 * 1024;
const PROTO_REPLY_CHUNK_BYTES = 16 * 1024;
/** sizeof(replDataBufBlock) before its buffer: size and used. */
const REPL_DATA_BUF_BLOCK_HEADER = 16;

/** `+DUALCHANNELSYNC`: open the rdb channel (syncWithPrimary, PSYNC_FULLRESYNC_DUAL_CHANNEL). */
export function dualChannelStart(
  w: World,
  s: ServerState,
  target: ServerState | undefined,
  addr: string,
): void {
  log(w, s, 'notice', 'PSYNC is not possible, initialize RDB channel.');
  const conn = connect(w, s, target, addr);
  if (conn === 'unreachable') {
    log(w, s, 'warning', 'Unable to connect to Primary: Network is unreachable');
    failHandshake(w, s);
    return;
  }
  conn.rdbChannel = true;
  s.dual = {
    rdbConn: conn.id,
    state: 'send_handshake',
    rdbClientId: -1,
    replid: '',
    reploff: -1,
    dbid: -1,
  };
}

/** The handshake failed before the transfer: close both connections, the cron reconnects. */
function failHandshake(w: World, s: ServerState): void {
  const main = s.repl_transfer_s !== null ? w.state.conns[s.repl_transfer_s] : undefined;
  s.repl_transfer_s = null;
  if (main) teardown(w, main, 'replica');
  setReplState(w, s, 'connect');
  if (s.dual) abortDualChannelSync(w, s);
}

/** fullSyncWithPrimary: the rdb channel's handshake, one step per reply (null: connected). */
export function rdbChannelReceive(w: World, s: ServerState, c: Conn, msg: ToReplica | null): void {
  const d = s.dual!;
  s.repl_transfer_lastio = unixtime(w);
  switch (d.state) {
    case 'send_handshake': {
      if (msg !== null) return;
      const argv = [
        'REPLCONF',
        'capa',
        'eof',
        'rdb-only',
        '1',
        'rdb-channel',
        '1',
        'listening-port',
        String(s.port),
      ];
      send(w, c, 'toMaster', { k: 'REPLCONF_RDB', listeningPort: s.port }, respLength(argv));
      d.state = 'receive_replconf_reply';
      return;
    }
    case 'receive_replconf_reply':
      if (msg?.k === 'ERR') {
        log(
          w,
          s,
          'notice',
          `Server does not support sync with offset, dual channel sync approach cannot be used: -${msg.text}`,
        );
        failHandshake(w, s);
        return;
      }
      // connSyncWrite(conn, "SYNC\r\n", 6)
      send(w, c, 'toMaster', { k: 'SYNC' }, 6);
      d.state = 'receive_endoff';
      return;
    case 'receive_endoff': {
      // An empty line (the keep-alive newline): "Received empty $ENDOFF response", try again.
      if (!msg || msg.k === 'NEWLINE') return;
      if (msg.k !== 'ENDOFF') {
        log(w, s, 'warning', `Received unexpected $ENDOFF response: ${msg.k}`);
        failHandshake(w, s);
        return;
      }
      d.rdbClientId = msg.clientId;
      d.replid = msg.replid;
      d.reploff = msg.offset;
      d.dbid = msg.dbid;
      s.master_initial_offset = msg.offset;
      s.repl_transfer_size = -1;
      d.state = 'rdb_load';
      // setupMainConnForPsync: the main connection names its rdb channel, then PSYNCs.
      const main = s.repl_transfer_s !== null ? w.state.conns[s.repl_transfer_s] : undefined;
      if (main) {
        const id = String(msg.clientId);
        send(
          w,
          main,
          'toMaster',
          { k: 'REPLCONF_SETID', id: msg.clientId },
          respLength(['REPLCONF', 'set-rdb-client-id', id]),
        );
        setReplState(w, s, 'receive_capa_reply');
      }
      return;
    }
    case 'rdb_load':
      if (msg?.k === 'RDB_HEADER') {
        s.repl_transfer_size = msg.eof ? 0 : msg.size;
        log(
          w,
          s,
          'notice',
          msg.eof
            ? `MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF${dialect(w).logs.receivingSuffix}`
            : `MASTER <-> REPLICA sync: receiving ${msg.size} bytes from master${dialect(w).logs.receivingSuffix}`,
        );
      } else if (msg?.k === 'RDB') rdbChannelLoaded(w, s, c, msg.rdb);
      return;
    case 'rdb_loaded':
      return;
  }
}

/**
 * A reply on the main connection once $ENDOFF came (setupMainConnForPsync): +OK to
 * set-rdb-client-id, then the PSYNC's reply. Returns false when it is not this module's.
 */
export function mainChannelReceive(w: World, s: ServerState, c: Conn, msg: ToReplica): boolean {
  const d = s.dual;
  if (!d || (d.state !== 'rdb_load' && d.state !== 'rdb_loaded')) return false;
  if (s.repl_state === 'receive_capa_reply') {
    if (msg.k === 'ERR') {
      log(w, s, 'notice', `Primary does not understand REPLCONF identify: -${msg.text}`);
      log(w, s, 'warning', 'Aborting dual channel sync. Main channel psync result -1');
      cancelBoth(w, s);
      return true;
    }
    if (msg.k !== 'OK') return true;
    const offset = d.reploff + 1;
    log(
      w,
      s,
      'notice',
      `Trying a partial resynchronization using main channel (request ${d.replid}:${offset}).`,
    );
    send(
      w,
      c,
      'toMaster',
      { k: 'PSYNC', replid: d.replid, offset },
      respLength(['PSYNC', d.replid, String(offset)]),
    );
    setReplState(w, s, 'receive_psync_reply');
    return true;
  }
  if (s.repl_state !== 'receive_psync_reply') return false;
  if (msg.k === 'NEWLINE') return true;
  if (msg.k !== 'CONTINUE') {
    // PSYNC_FULLRESYNC is 3, PSYNC_TRY_LATER 5, PSYNC_NOT_SUPPORTED 2 (replication.c).
    const code = msg.k === 'FULLRESYNC' ? 3 : msg.k === 'ERR' ? 5 : 2;
    log(w, s, 'warning', `Aborting dual channel sync. Main channel psync result ${code}`);
    cancelBoth(w, s);
    return true;
  }
  log(
    w,
    s,
    'notice',
    `Primary <-> REPLICA sync: Primary accepted a Partial Resynchronization${d.rdbConn !== null ? ', RDB load in background.' : '.'}`,
  );
  if (d.state === 'rdb_loaded') {
    dualChannelSyncSuccess(w, s);
    finishSync(w, s);
    return true;
  }
  // dualChannelSyncHandlePsync: buffer the stream until the RDB is loaded (replDataBufInit).
  s.pending_repl_data = { len: 0, peak: 0, blocks: [], entries: [] };
  setReplState(w, s, 'transfer');
  return true;
}

/** cancelReplicationHandshake(1) during a dual-channel sync. */
function cancelBoth(w: World, s: ServerState): void {
  cancelReplicationHandshake(w, s, true);
}

/**
 * bufferReplData: the stream's bytes go into the local buffer, filling the tail block and then
 * blocks of PROTO_REPLY_CHUNK_BYTES (as the shared replication buffer sizes them; jemalloc's
 * usable size, less the block header).
 */
export function bufferReplData(s: ServerState, entries: readonly StreamEntry[]): void {
  const buf = s.pending_repl_data!;
  let len = entries.reduce((n, e) => n + e.len, 0);
  buf.entries.push(...entries);
  while (len > 0) {
    const tail = buf.blocks[buf.blocks.length - 1];
    if (tail && tail.used < tail.size) {
      const copy = Math.min(len, tail.size - tail.used);
      tail.used += copy;
      len -= copy;
      continue;
    }
    const limit = Math.max(Math.floor(s.config['repl-backlog-size'] / 16), PROTO_REPLY_CHUNK_BYTES);
    const want = Math.min(Math.max(PROTO_IOBUF_LEN, PROTO_REPLY_CHUNK_BYTES), limit);
    const size = jemallocUsable(want + REPL_DATA_BUF_BLOCK_HEADER) - REPL_DATA_BUF_BLOCK_HEADER;
    buf.blocks.push({ size, used: 0 });
    buf.len += size;
    if (buf.peak < buf.len) buf.peak = buf.len;
  }
}

/** The RDB arrived whole on the rdb channel: readSyncBulkPayload's end for a dual-channel sync. */
function rdbChannelLoaded(w: World, s: ServerState, c: Conn, rdb: RdbImage): void {
  const d = s.dual!;
  // replicationAttachToNewPrimary: the old history's cached primary, replicas and backlog go.
  replicationDiscardCachedMaster(w, s);
  disconnectSlaves(w, s);
  s.backlog = null;
  s.buffer = { blocks: [], nextBlockId: s.buffer.nextBlockId, entries: [] };
  log(w, s, 'notice', 'MASTER <-> REPLICA sync: Flushing old data');
  log(w, s, 'notice', 'MASTER <-> REPLICA sync: Loading DB in memory');
  rdbLoadLog(w, s, rdb);
  s.keyspace = cloneKeyspace(rdb.keyspace);
  emit(w, { type: 'keyspace', server: s.name, keys: [], at: w.state.now });
  s.rdbOnDisk = rdb;
  // dualChannelSyncHandleRdbLoadCompletion: the main channel may not have its +CONTINUE yet.
  if (s.repl_state !== 'transfer') d.state = 'rdb_loaded';
  else dualChannelSyncSuccess(w, s);
  s.repl_down_since = 0;
  d.rdbConn = null;
  teardown(w, c, 'replica');
  emit(w, {
    type: 'resynced',
    master: c.to,
    replica: s.name,
    kind: 'full',
    bytes: rdb.size,
    startedAt: s.psync_started_at,
    at: w.state.now,
  });
  if (s.repl_state === 'connected') finishSync(w, s);
}

/** The end of readSyncBulkPayload once the primary client exists: new history, backlog, done. */
function finishSync(w: World, s: ServerState): void {
  const mc = s.master!;
  s.replid = mc.replid;
  setOffset(w, s, mc.reploff);
  s.replid2 = ZERO_REPLID;
  s.second_replid_offset = -1;
  if (!s.backlog) createReplicationBacklog(s);
  log(w, s, 'notice', 'MASTER <-> REPLICA sync: Finished with success');
}

/**
 * dualChannelSyncSuccess: the provisional primary becomes the primary, the local buffer is
 * applied (streamReplDataBufToDb), and the replica ACKs.
 */
function dualChannelSyncSuccess(w: World, s: ServerState): void {
  const d = s.dual!;
  s.master_initial_offset = d.reploff;
  s.master = {
    connId: s.repl_transfer_s,
    replid: d.replid,
    reploff: d.reploff,
    db: d.dbid,
    multi: null,
    lastInteraction: unixtime(w),
  };
  s.repl_transfer_s = null;
  setReplState(w, s, 'connected');
  const buf = s.pending_repl_data;
  const entries = buf ? buf.entries : [];
  if (buf) {
    buf.len = 0;
    buf.blocks = [];
    buf.entries = [];
  }
  applyMasterStream(w, s, entries);
  log(w, s, 'notice', 'Successfully streamed replication data into memory');
  s.dual = null;
  replicationSendAck(w, s);
}

/** Hands the engine this module's entry points (on-demand code: dualChannelHooks.ts). */
export function installDualChannelCode(): void {
  installDualChannel({ dualChannelStart, rdbChannelReceive, mainChannelReceive, bufferReplData });
}
