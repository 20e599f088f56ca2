/** WAIT numreplicas timeout (replication.c waitCommand and the clients it blocks). */
import { schedule } from './queue';
import { err, int, type Reply } from './reply';
import type { ServerState } from './types';
import { emit, parseStrictInt, type World } from './world';

/** Hands a reply to the script's client (at once, or when a blocked WAIT returns). */
export function deliverReply(w: World, s: ServerState, ticket: number, reply: Reply): void {
  w.state.replies[ticket] = reply;
  emit(w, { type: 'reply', server: s.name, ticket, reply, at: w.state.now });
}

/**
 * The longest a WAIT blocks, in simulated ms: the lab's one client blocks the whole lab while it
 * waits (nobody can restore a cut meanwhile), so `WAIT n 0` (forever, in Redis) and longer timeouts
 * return after this long, with the count a timeout returns.
 */
export const WAIT_MAX_MS = 3_600_000;

/** waitCommand. Null means the client blocks. */
export function waitCommand(
  w: World,
  s: ServerState,
  argv: string[],
  ticket: number,
): Reply | null {
  if (s.masterhost) {
    return err(
      'ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.',
    );
  }
  const numreplicas = parseStrictInt(argv[1]!);
  if (numreplicas === null) return err('ERR value is not an integer or out of range');
  const timeout = parseStrictInt(argv[2]!);
  if (timeout === null) return err('ERR timeout is not an integer or out of range');
  if (timeout < 0) return err('ERR timeout is negative');
  const woff = s.client.woff;
  const acked = replicationCountAcksByOffset(s, woff);
  if (acked >= numreplicas) return int(acked);
  const timeoutAt = w.state.now + (timeout > 0 ? Math.min(timeout, WAIT_MAX_MS) : WAIT_MAX_MS);
  s.waits.push({ ticket, numreplicas, woff, timeoutAt });
  schedule(w.state, timeoutAt, { t: 'waitTimeout', server: s.name, ticket });
  s.getAckFromSlaves = true;
  return null;
}

/** replicationCountAcksByOffset: online replicas that acknowledged `offset`. */
export function replicationCountAcksByOffset(s: ServerState, offset: number): number {
  return s.slaves.filter((r) => r.replstate === 'online' && r.replAckOff >= offset).length;
}

/** processClientsWaitingReplicas (beforeSleep): unblock the WAITs now satisfied. */
export function processClientsWaitingReplicas(w: World, s: ServerState): void {
  for (const wt of [...s.waits]) {
    const n = replicationCountAcksByOffset(s, wt.woff);
    if (n >= wt.numreplicas) {
      s.waits = s.waits.filter((x) => x !== wt);
      deliverReply(w, s, wt.ticket, int(n));
    }
  }
}

/** A blocked WAIT's timeout: it returns how many replicas acknowledged so far. */
export function waitTimedOut(w: World, s: ServerState, ticket: number): void {
  const wt = s.waits.find((x) => x.ticket === ticket);
  if (!wt) return;
  s.waits = s.waits.filter((x) => x !== wt);
  deliverReply(w, s, wt.ticket, int(replicationCountAcksByOffset(s, wt.woff)));
}
