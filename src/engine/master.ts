/**
 * The master side of replication (replication.c): what a master does with the commands a
 * replica sends it (REPLCONF, PSYNC, REPLCONF ACK), the PSYNC decision acted upon, and a
 * replica's connection going away.
 */
import { createReplicationBacklog, releaseBlocks } from './backlog';
import type { PsyncCheck } from './events';
import {
  flushSlaves,
  replicaPutOnline,
  replicaStartCommandStream,
  replicationSetupSlaveForFullResync,
  slaveStateChanged,
} from './feed';
import {
  lookupRdbClientById,
  primaryAcceptsDualChannel,
  removeReplicaFromPsyncWait,
} from './dualChannelPrimary';
import { send } from './net';
import { masterTryPartialResynchronization } from './psync';
import { killRdbChild, startBgsaveForReplication } from './rdb';
import { nextHex40 } from './rng';
import type { Conn, PendingClient, ServerState, SlaveClient, ToMaster, ToReplica } from './types';
import { dialect, emit, log, unixtime, ZERO_REPLID, type World } from './world';

/**
 * A command from a replica (or would-be replica) reaches its master: `bytes` on the wire, which
 * may carry several pipelined commands (`REPLCONF listening-port`, `capa`, Valkey's `version`).
 */
export function masterReceive(
  w: World,
  m: ServerState,
  c: Conn,
  msg: ToMaster,
  bytes: number,
): void {
  const pend = m.pending.find((p) => p.connId === c.id);
  const slave = m.slaves.find((r) => r.connId === c.id);
  // readQueryFromClient counts what it read before the commands in it run.
  const reader = pend ?? slave;
  if (reader) reader.net_input_bytes = (reader.net_input_bytes ?? 0) + bytes;
  const commands = processReplicaCommands(w, m, c, msg, pend, slave);
  // call() counts each command once it has run (a PSYNC's client may be a replica by now).
  const client =
    m.pending.find((p) => p.connId === c.id) ?? m.slaves.find((r) => r.connId === c.id);
  if (client) client.commands_processed = (client.commands_processed ?? 0) + commands;
}

/**
 * addReply: a reply through the client's own buffers, which Valkey counts in its
 * `net_output_bytes` when written (+FULLRESYNC, +CONTINUE, +DUALCHANNELSYNC and the RDB go straight
 * to the socket, uncounted).
 */
function addReply(
  w: World,
  c: Conn,
  client: PendingClient | SlaveClient | undefined,
  msg: ToReplica,
  bytes: number,
): void {
  if (client) client.net_output_bytes = (client.net_output_bytes ?? 0) + bytes;
  send(w, c, 'toReplica', msg, bytes);
}

/** Runs what a replica sent; returns how many commands that was. */
function processReplicaCommands(
  w: World,
  m: ServerState,
  c: Conn,
  msg: ToMaster,
  pend: PendingClient | undefined,
  slave: SlaveClient | undefined,
): number {
  const client = pend ?? slave;
  switch (msg.k) {
    case 'PING':
      addReply(w, c, client, { k: 'PONG' }, 7);
      return 1;
    case 'REPLCONF': {
      if (pend) {
        pend.listeningPort = msg.listeningPort;
        pend.capaEof = msg.capa.includes('eof');
        pend.capaPsync2 = msg.capa.includes('psync2');
        // Ignored (as any capability not understood) unless dual channel and diskless are on.
        pend.capaDualChannel = msg.capa.includes('dual-channel') && primaryAcceptsDualChannel(w, m);
      }
      // One +OK for each REPLCONF: listening-port, then capa and version when sent along.
      const n = 1 + (msg.capa.length ? 1 : 0) + (msg.version ? 1 : 0);
      for (let i = 0; i < n; i++) addReply(w, c, client, { k: 'OK' }, 5);
      return n;
    }
    case 'REPLCONF_RDB':
      if (pend) {
        pend.listeningPort = msg.listeningPort;
        pend.capaEof = true;
        pend.rdbChannel = true;
      }
      addReply(w, c, client, { k: 'OK' }, 5);
      return 1;
    case 'REPLCONF_SETID': {
      if (!pend) return 1;
      if (!lookupRdbClientById(m, msg.id)) {
        const text = `ERR Unrecognized RDB client id ${msg.id}`;
        addReply(w, c, client, { k: 'ERR', text }, text.length + 3);
        return 1;
      }
      pend.associatedRdbClientId = msg.id;
      addReply(w, c, client, { k: 'OK' }, 5);
      return 1;
    }
    case 'PSYNC':
      if (pend) syncCommand(w, m, c, pend, msg.replid, msg.offset);
      return 1;
    case 'SYNC':
      if (pend) syncCommand(w, m, c, pend, null, -1);
      return 1;
    case 'ACK':
      if (!slave) return 1;
      if (msg.offset > slave.replAckOff) slave.replAckOff = msg.offset;
      slave.replAckTime = w.state.now;
      slave.lastInteraction = unixtime(w);
      slave.lastcmd = 'replconf';
      if (!slave.streaming && slave.replstate === 'online') replicaStartCommandStream(w, m, slave);
      // A dual-channel replica's first ACK says it loaded the RDB and its buffer: online.
      if (slave.replstate === 'bg_rdb_load') replicaPutOnline(w, m, slave);
      return 1;
  }
}

/** A connection to this server was accepted: a client that may become a replica. */
export function acceptReplicaConnection(w: World, m: ServerState, c: Conn, ip: string): void {
  // The lowest free descriptor, as accept() gives it (8 is the script's own client).
  const used = new Set([...m.pending, ...m.slaves].map((x) => x.fd));
  let fd = 9;
  while (used.has(fd)) fd++;
  m.pending.push({
    connId: c.id,
    clientId: m.next_client_id++,
    ctime: unixtime(w),
    acceptedAt: w.state.now,
    fd,
    ip,
    listeningPort: null,
    capaEof: false,
    capaPsync2: false,
  });
}

/** syncCommand (PSYNC replid offset, or SYNC when `replid` is null: Valkey's rdb channel). */
function syncCommand(
  w: World,
  m: ServerState,
  c: Conn,
  pend: PendingClient,
  replid: string | null,
  offset: number,
): void {
  if (m.masterhost && m.repl_state !== 'connected') {
    const text = "NOMASTERLINK Can't SYNC while not connected with my master";
    emitPsync(w, m, c.from, replid ?? '?', offset, [], 'nomasterlink', `-${text}`, 0);
    addReply(w, c, pend, { k: 'ERR', text }, text.length + 3);
    return;
  }
  const name = `${pend.ip}:${pend.listeningPort ?? '<unknown-replica-port>'}`;
  log(w, m, 'notice', `Replica ${name} asks for synchronization`);
  const r: SlaveClient = {
    connId: c.id,
    clientId: pend.clientId,
    name,
    ip: pend.ip,
    listeningPort: pend.listeningPort ?? 0,
    replstate: 'wait_bgsave_start',
    capaEof: pend.capaEof,
    capaPsync2: pend.capaPsync2,
    replAckOff: 0,
    replAckTime: w.state.now,
    psyncInitialOffset: 0,
    sentOffset: 0,
    refBlock: null,
    streaming: false,
    lastInteraction: unixtime(w),
    ctime: pend.ctime,
    acceptedAt: pend.acceptedAt,
    fd: pend.fd,
    lastcmd: 'psync',
    obuf_soft_limit_reached_time: 0,
    closeAsap: false,
    net_input_bytes: pend.net_input_bytes ?? 0,
    net_output_bytes: pend.net_output_bytes ?? 0,
    commands_processed: pend.commands_processed ?? 0,
    ...(pend.rdbChannel ? { rdbChannel: true } : {}),
  };
  let checks: PsyncCheck[] = [];
  if (replid !== null) {
    const verdict = masterTryPartialResynchronization(m, replid, offset);
    checks = verdict.checks;
    if (verdict.ok) {
      m.pending = m.pending.filter((p) => p.connId !== c.id);
      const rdb = lookupRdbClientById(m, pend.associatedRdbClientId);
      acceptPartialResync(w, m, c, r, replid, offset, verdict.checks, verdict.psyncLen, rdb);
      m.stat_sync_partial_ok++;
      return;
    }
    logRefusal(w, m, r, replid, offset, verdict.checks);
    if (replid !== '?') m.stat_sync_partial_err++;
    if (pend.capaDualChannel) {
      // The connection stays a plain client: the replica opens its rdb channel.
      log(
        w,
        m,
        'notice',
        `Replica ${name} is capable of dual channel synchronization, and partial sync isn't possible. Full sync will continue with dedicated RDB channel.`,
      );
      const line = '+DUALCHANNELSYNC';
      send(w, c, 'toReplica', { k: 'DUALCHANNELSYNC' }, line.length + 2);
      emitPsync(w, m, c.from, replid, offset, verdict.checks, 'dualchannelsync', line, 0);
      return;
    }
  }
  m.pending = m.pending.filter((p) => p.connId !== c.id);
  // Full resynchronization.
  m.stat_sync_full++;
  m.slaves.push(r);
  slaveStateChanged(w, m, r);
  if (m.slaves.length === 1 && !m.backlog) {
    m.replid = nextHex40(w.state.rng);
    m.replid2 = ZERO_REPLID;
    m.second_replid_offset = -1;
    createReplicationBacklog(m);
    if (dialect(w).logsBacklogCreated)
      log(
        w,
        m,
        'notice',
        `Replication backlog created, my new replication IDs are '${m.replid}' and '${m.replid2}'`,
      );
  }
  if (replid !== null)
    emitPsync(w, m, c.from, replid, offset, checks, 'fullresync', '+FULLRESYNC', 0);
  const child = m.child;
  if (child && child.target === 'disk') {
    const other = m.slaves.find((x) => x !== r && x.replstate === 'wait_bgsave_end');
    if (other) {
      r.sentOffset = other.sentOffset;
      r.refBlock = other.refBlock;
      replicationSetupSlaveForFullResync(w, m, r, other.psyncInitialOffset);
      log(w, m, 'notice', 'Waiting for end of BGSAVE for SYNC');
    } else {
      log(
        w,
        m,
        'notice',
        "Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC",
      );
    }
  } else if (child) {
    log(w, m, 'notice', 'Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC');
  } else if (
    m.config['repl-diskless-sync'] &&
    r.capaEof &&
    m.config['repl-diskless-sync-delay'] > 0
  ) {
    log(w, m, 'notice', 'Delay next BGSAVE for diskless SYNC');
  } else {
    startBgsaveForReplication(w, m);
  }
}

/** The log lines of a refused PSYNC, as masterTryPartialResynchronization writes them. */
function logRefusal(
  w: World,
  m: ServerState,
  r: SlaveClient,
  replid: string,
  psyncOffset: number,
  checks: readonly PsyncCheck[],
): void {
  const failed = checks.find((x) => !x.ok)!;
  const why = failed.reason;
  if (why.k === 'no-replid') log(w, m, 'notice', `Full resync requested by replica ${r.name}`);
  else if (why.k === 'replid-mismatch')
    log(
      w,
      m,
      'notice',
      `Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${replid}', my replication IDs are '${why.id1}' and '${why.id2}')`,
    );
  else if (why.k === 'replid2-too-far')
    log(
      w,
      m,
      'notice',
      `Partial resynchronization not accepted: Requested offset for second ID was ${psyncOffset}, but I can reply up to ${why.second}`,
    );
  else {
    log(
      w,
      m,
      'notice',
      `Unable to partial resync with replica ${r.name} for lack of backlog (Replica request was: ${psyncOffset}).`,
    );
    if (psyncOffset > m.master_repl_offset)
      log(
        w,
        m,
        'warning',
        `Warning: replica ${r.name} tried to PSYNC with an offset that is greater than the master replication offset.`,
      );
  }
}

/** The accepting half of masterTryPartialResynchronization: +CONTINUE and the backlog. */
function acceptPartialResync(
  w: World,
  m: ServerState,
  c: Conn,
  r: SlaveClient,
  replid: string,
  psyncOffset: number,
  checks: PsyncCheck[],
  psyncLen: number,
  rdb: SlaveClient | undefined,
): void {
  // A dual-channel main channel: online once the replica has loaded its RDB (first ACK).
  r.replstate = rdb ? 'bg_rdb_load' : 'online';
  if (rdb) removeReplicaFromPsyncWait(w, m, rdb);
  r.replAckTime = w.state.now;
  r.streaming = true;
  r.sentOffset = psyncOffset - 1;
  m.slaves.push(r);
  const line = r.capaPsync2 ? `+CONTINUE ${m.replid}` : '+CONTINUE';
  send(
    w,
    c,
    'toReplica',
    { k: 'CONTINUE', replid: r.capaPsync2 ? m.replid : null },
    line.length + 2,
  );
  log(
    w,
    m,
    'notice',
    `Partial resynchronization request from ${r.name} accepted. Sending ${psyncLen} bytes of backlog starting from offset ${psyncOffset}.`,
  );
  emitPsync(w, m, c.from, replid, psyncOffset, checks, 'continue', line, psyncLen);
  slaveStateChanged(w, m, r);
  flushSlaves(w, m);
}

function emitPsync(
  w: World,
  m: ServerState,
  replica: string,
  replid: string,
  offset: number,
  checks: PsyncCheck[],
  result: 'continue' | 'fullresync' | 'nomasterlink' | 'dualchannelsync',
  reply: string,
  bytes: number,
): void {
  emit(w, {
    type: 'psync',
    master: m.name,
    replica,
    replid,
    offset,
    checks,
    result,
    reply,
    bytes,
    backlog: m.backlog ? { offset: m.backlog.offset, histlen: m.backlog.histlen } : null,
    master_repl_offset: m.master_repl_offset,
    at: w.state.now,
  });
}

/** A connection to this server closed: free the replica's (or would-be replica's) client. */
export function masterConnClosed(w: World, m: ServerState, connId: number, reset: boolean): void {
  m.pending = m.pending.filter((p) => p.connId !== connId);
  const r = m.slaves.find((x) => x.connId === connId);
  if (!r) return;
  // Valkey: an rdb channel waiting for its main channel's PSYNC is protected: freeing it is
  // postponed (a grace period of wait_before_rdb_client_free, 60 s, not modelled) so that the
  // backlog it pins and its client id stay for the PSYNC.
  if (r.rdbChannel && r.waitingPsync) {
    r.closeAsap = true;
    return;
  }
  // After a reset the socket has no peer address left, so Redis names the client by its id.
  const who = reset ? `client id #${r.clientId}` : r.name;
  if (r.rdbChannel) log(w, m, 'notice', `Replica ${who} rdb channel disconnected.`);
  else log(w, m, 'warning', `Connection with replica ${who} lost.`);
  // A disk BGSAVE nobody else waits for is of no use any more (with no save points): kill it,
  // so the next full sync gets a fresh one at once.
  if (
    dialect(w).killsAbandonedDiskBgsave &&
    r.replstate === 'wait_bgsave_end' &&
    m.child?.target === 'disk' &&
    !m.slaves.some((x) => x !== r && x.replstate === 'wait_bgsave_end')
  )
    killRdbChild(w, m);
  m.slaves = m.slaves.filter((x) => x !== r);
  slaveStateChanged(w, m, r, 'gone');
  if (m.slaves.length === 0) m.repl_no_slaves_since = unixtime(w);
  releaseBlocks(w, m);
}
