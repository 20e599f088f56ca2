/**
 * Active expiry (expire.c activeExpireCycle, run from serverCron at 10 Hz): a master deletes
 * the keys whose time has come and propagates a DEL for each; a replica waits for its master's.
 */
import { replicationFeedSlaves } from './backlog';
import { activeExpire, nextExpireAt } from './keyspace';
import { schedule } from './queue';
import type { ServerState } from './types';
import { dialect, emit, mstime, type World } from './world';

/** Active expiry runs in serverCron (10 Hz); the key goes at the first tick after it expires. */
export function scheduleExpire(w: World, s: ServerState): void {
  if (s.masterhost) return;
  const at = nextExpireAt(s.keyspace);
  if (at === null) return;
  const simAt = at - w.state.wallStartMs;
  const ticks = Math.max(0, Math.ceil((simAt - s.startedAt - 1) / 100));
  const when = Math.max(w.state.now, s.startedAt + 1 + ticks * 100);
  schedule(w.state, when, { t: 'expire', server: s.name, pid: s.pid });
}

/** activeExpireCycle: a master deletes expired keys and propagates a DEL for each. */
export function activeExpireCycle(w: World, s: ServerState): void {
  // Clients paused (a SHUTDOWN waiting for replicas): the dataset stays as it is; retry next tick.
  if (s.shutdown) {
    schedule(w.state, w.state.now + 100, { t: 'expire', server: s.name, pid: s.pid });
    return;
  }
  if (!s.masterhost) {
    const gone = activeExpire(s.keyspace, mstime(w));
    s.stat_expiredkeys += gone.length;
    for (const [db, key] of gone)
      replicationFeedSlaves(w, s, db, [dialect(w).lazyfreeLazyExpire ? 'UNLINK' : 'DEL', key]);
    if (gone.length)
      emit(w, { type: 'keyspace', server: s.name, keys: gone.map((g) => g[1]), at: w.state.now });
  }
  scheduleExpire(w, s);
}
