/**
 * The replica applies its master's replication stream (processCommand for the master client) and
 * proxies it, byte for byte, to its own replicas.
 */
import { feedReplicationBuffer } from './backlog';
import { execKeyspaceCommand, isKeyspaceCommand, lookupCommand } from './keyspace';
import { replicationSendAck } from './replica';
import type { MasterClient, ServerState, StreamEntry } from './types';
import { dialect, emit, mstime, parseStrictInt, type World } from './world';

/** The replica applies its master's stream and proxies it, byte for byte, to its own replicas. */
export function applyMasterStream(w: World, s: ServerState, entries: StreamEntry[]): void {
  const mc = s.master!;
  const proxied: StreamEntry[] = [];
  for (const e of entries) {
    if (e.off + e.len - 1 <= mc.reploff) continue; // already applied
    const name = e.argv[0]!.toLowerCase();
    // A SHUTDOWN waiting for sub-replicas pauses writes, and the master's client too: its first
    // write blocks it (BLOCKED_POSTPONE) with everything after, until the process exits.
    if (s.shutdown && (s.shutdown.masterBlocked || lookupCommand(name)?.write)) {
      s.shutdown.masterBlocked = true;
      break;
    }
    if (mc.multi && name !== 'exec') {
      mc.multi.push(e.argv);
    } else if (name === 'multi') {
      mc.multi = [];
    } else if (name === 'exec') {
      const q = mc.multi ?? [];
      mc.multi = null;
      for (const argv of q) applyOne(w, s, mc, argv);
    } else if (name === 'replconf') {
      // REPLCONF GETACK: the ACK carries the offset before the GETACK itself.
      if ((e.argv[1] ?? '').toLowerCase() === 'getack') replicationSendAck(w, s);
    } else {
      applyOne(w, s, mc, e.argv);
    }
    // commandProcessed: the applied offset does not move inside MULTI.
    if (!mc.multi) mc.reploff = e.off + e.len - 1;
    proxied.push(e);
  }
  if (proxied.length) feedReplicationBuffer(w, s, proxied);
}

/** One command of the master's stream, run by the master's client. */
function applyOne(w: World, s: ServerState, mc: MasterClient, argv: string[]): void {
  const name = argv[0]!.toLowerCase();
  if (name === 'select') {
    const db = parseStrictInt(argv[1] ?? '');
    if (db !== null && db >= 0 && db < 16) mc.db = db;
    return;
  }
  if (name === 'ping') return;
  if (!isKeyspaceCommand(name)) return;
  execKeyspaceCommand(s.keyspace, argv, {
    nowMs: mstime(w),
    db: mc.db,
    mode: 'replica',
    line: dialect(w).redisLine,
  });
  emit(w, {
    type: 'keyspace',
    server: s.name,
    keys: argv.length > 1 && name !== 'publish' && name !== 'eval' ? [argv[1]!] : [],
    at: w.state.now,
  });
}
