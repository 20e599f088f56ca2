/**
 * The cached master (replication.c "partial resynchronization" helpers on the replica side): what
 * a replica keeps of its master after losing it, so it can ask for a PSYNC and, on +CONTINUE,
 * resurrect the link without a full sync.
 */
import { createReplicationBacklog } from './backlog';
import type { Conn, MasterClient, ServerState } from './types';
import { dialect, log, setReplState, unixtime, type World } from './world';

/** replicationCacheMaster: keep the lost master's client (replid, offset, selected db). */
export function replicationCacheMaster(w: World, s: ServerState, mc: MasterClient): void {
  log(w, s, 'notice', 'Caching the disconnected master state.');
  s.cached_master = { ...mc, connId: null, multi: null };
}

/** replicationCacheMasterUsingMyself: a master turning replica may still PSYNC. */
export function replicationCacheMasterUsingMyself(w: World, s: ServerState): void {
  s.master_initial_offset = s.master_repl_offset;
  s.cached_master = {
    connId: null,
    replid: s.replid,
    reploff: s.master_repl_offset,
    db: -1,
    multi: null,
    lastInteraction: unixtime(w),
  };
  log(w, s, 'notice', dialect(w).logs.cachedMasterUsingMyself);
}

export function replicationDiscardCachedMaster(w: World, s: ServerState): void {
  if (!s.cached_master) return;
  log(w, s, 'notice', 'Discarding previously cached master state.');
  s.cached_master = null;
}

/** replicationResurrectCachedMaster: +CONTINUE turns the cached master into the master again. */
export function replicationResurrectCachedMaster(w: World, s: ServerState, c: Conn): void {
  const cm = s.cached_master!;
  s.master = { ...cm, connId: c.id, lastInteraction: unixtime(w) };
  s.cached_master = null;
  setReplState(w, s, 'connected');
  s.repl_down_since = 0;
  s.repl_transfer_s = null;
  if (!s.backlog) createReplicationBacklog(s);
}
