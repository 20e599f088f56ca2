/**
 * Valkey 8's dual-channel full sync, the primary's side (replication.c at 8.0.1): whether a
 * replica's `capa dual-channel` is taken, `$ENDOFF` (sendCurrentOffsetToReplica), the rdb
 * channels waiting for their main channel's PSYNC (replicas_waiting_psync), and INFO's `type=`.
 * The replica's side is dualChannel.ts.
 */
import { releaseBlocks } from './backlog';
import { endoffLine, send } from './net';
import type { ServerState, SlaveClient } from './types';
import { dialect, log, type World } from './world';

/** The primary takes `capa dual-channel` only with dual channel and diskless sync on (replconfCommand). */
export function primaryAcceptsDualChannel(w: World, m: ServerState): boolean {
  return (
    dialect(w).dualChannel &&
    m.config['dual-channel-replication-enabled'] &&
    m.config['repl-diskless-sync']
  );
}

/** sendCurrentOffsetToReplica + addRdbReplicaToPsyncWait, just before the fork. */
export function sendCurrentOffsetToReplica(w: World, m: ServerState, r: SlaveClient): void {
  const c = w.state.conns[r.connId];
  const msg = {
    k: 'ENDOFF' as const,
    offset: m.master_repl_offset,
    replid: m.replid,
    dbid: 0,
    clientId: r.clientId,
  };
  log(
    w,
    m,
    'notice',
    `Sending to replica ${r.name} RDB end offset ${m.master_repl_offset} and client-id ${r.clientId}`,
  );
  if (c) send(w, c, 'toReplica', msg, endoffLine(msg).length + 2);
  r.waitingPsync = true;
}

/** The rdb channel a main channel names (lookupRdbClientByID: only those waiting for their PSYNC). */
export function lookupRdbClientById(
  m: ServerState,
  id: number | undefined,
): SlaveClient | undefined {
  if (id === undefined) return undefined;
  return m.slaves.find((x) => x.rdbChannel && x.waitingPsync && x.clientId === id);
}

/** removeReplicaFromPsyncWait: the main channel's PSYNC was accepted; the rdb channel may now go. */
export function removeReplicaFromPsyncWait(w: World, m: ServerState, rdb: SlaveClient): void {
  rdb.waitingPsync = false;
  rdb.refBlock = null;
  releaseBlocks(w, m);
}

/** INFO's `type=` of a replica client. */
export function replicaType(r: SlaveClient): string {
  if (r.rdbChannel) return 'rdb-channel';
  return r.replstate === 'bg_rdb_load' ? 'main-channel' : 'replica';
}
