/**
 * Writing the replication stream to replicas (networking.c writeToClient for a replica client)
 * and the moments a replica's client changes state on the master (replication.c
 * replicationSetupSlaveForFullResync, replicaPutOnline, replicaStartCommandStream).
 */
import { entriesFrom, lastBlockId, releaseBlocks } from './backlog';
import { send } from './net';
import type { ServerState, SlaveClient } from './types';
import { emit, log, unixtime, type World } from './world';

/** Sends each streaming replica what the stream holds past what it was sent. */
export function flushSlaves(w: World, s: ServerState): void {
  for (const r of s.slaves) {
    // A client to be closed gets nothing more (handleClientsWithPendingWrites skips CLOSE_ASAP).
    // A dual-channel main channel is sent the stream while its replica loads the RDB.
    if (r.replstate !== 'online' && r.replstate !== 'bg_rdb_load') continue;
    if (!r.streaming || r.closeAsap) continue;
    if (r.sentOffset >= s.master_repl_offset) continue;
    const c = w.state.conns[r.connId];
    const bytes = s.master_repl_offset - r.sentOffset;
    const entries = c ? entriesFrom(s, r.sentOffset + 1) : [];
    r.sentOffset = s.master_repl_offset;
    // writeToClient: sending to a replica counts as an interaction.
    r.lastInteraction = unixtime(w);
    const before = r.refBlock;
    r.refBlock = lastBlockId(s);
    // The other end is gone without a word (silent cut): the bytes still leave, and vanish.
    if (c) {
      r.net_output_bytes = (r.net_output_bytes ?? 0) + bytes;
      send(w, c, 'toReplica', { k: 'STREAM', entries }, bytes);
    }
    // A replica moving on to the next block lets the backlog trim.
    if (before !== r.refBlock) releaseBlocks(w, s);
  }
}

/** replicationSetupSlaveForFullResync: +FULLRESYNC, and SELECT again in the stream. */
export function replicationSetupSlaveForFullResync(
  w: World,
  m: ServerState,
  r: SlaveClient,
  offset: number,
): void {
  r.psyncInitialOffset = offset;
  r.sentOffset = offset;
  r.replstate = 'wait_bgsave_end';
  m.slaveseldb = -1;
  // A client that came with SYNC (Valkey's rdb channel) is not told +FULLRESYNC.
  if (r.rdbChannel) return slaveStateChanged(w, m, r);
  const c = w.state.conns[r.connId];
  const line = `+FULLRESYNC ${m.replid} ${offset}`;
  if (c) send(w, c, 'toReplica', { k: 'FULLRESYNC', replid: m.replid, offset }, line.length + 2);
  slaveStateChanged(w, m, r);
}

/**
 * replicaPutOnline. An rdb-only client (Valkey's rdb channel) is done instead, to be closed
 * (false: the caller frees it asap).
 */
export function replicaPutOnline(w: World, m: ServerState, r: SlaveClient): boolean {
  if (r.rdbChannel) {
    r.replstate = 'rdb_transmitted';
    log(
      w,
      m,
      'notice',
      `RDB transfer completed, rdb only replica (${r.name}) should be disconnected asap`,
    );
    slaveStateChanged(w, m, r);
    return false;
  }
  r.replstate = 'online';
  r.replAckTime = w.state.now;
  log(w, m, 'notice', `Synchronization with replica ${r.name} succeeded`);
  slaveStateChanged(w, m, r);
  return true;
}

/** replicaStartCommandStream: from now on the replica is sent the stream. */
export function replicaStartCommandStream(w: World, m: ServerState, r: SlaveClient): void {
  r.streaming = true;
  flushSlaves(w, m);
}

/** The name a viewer knows the replica by: its server's name, else its address. */
function replicaServerName(w: World, r: SlaveClient): string {
  return w.state.conns[r.connId]?.from ?? r.name;
}

export function slaveStateChanged(
  w: World,
  m: ServerState,
  r: SlaveClient,
  state: SlaveClient['replstate'] | 'gone' = r.replstate,
): void {
  // Valkey's rdb channel is a second connection of the same replica, not a replica of its own.
  if (r.rdbChannel) return;
  emit(w, {
    type: 'slaveState',
    master: m.name,
    replica: replicaServerName(w, r),
    state,
    at: w.state.now,
  });
}
