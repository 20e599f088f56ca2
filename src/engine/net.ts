/**
 * The network between the servers (the kernel's part of networking.c and anet.c): connections,
 * sending with latency and bandwidth, cuts, and the one function that tears a connection down
 * and says who is told.
 */
import type { MessageKind } from './events';
import { schedule } from './queue';
import type { Conn, NetState, ServerState, ToMaster, ToReplica } from './types';
import { emit, type World } from './world';

export function netState(w: World, server: string): NetState {
  return w.state.net[server] ?? 'up';
}

/** What a packet between two servers meets: the worse of the two ends' networks. */
function linkCut(w: World, a: string, b: string): NetState {
  const na = netState(w, a);
  const nb = netState(w, b);
  if (na === 'down' || nb === 'down') return 'down';
  if (na === 'silent' || nb === 'silent') return 'silent';
  return 'up';
}

/**
 * Who closes a connection. The closing side does its own bookkeeping before calling `teardown`;
 * the table says which ends then learn of it. Through a silent cut nothing arrives, so a FIN is
 * lost there as any other packet.
 */
export type Closer =
  /** `net NAME down`: both ends get an RST; the master names the client by its id. */
  | 'network-reset'
  /** The master frees the replica's client (REPLICAOF, a timeout): the replica gets the FIN. */
  | 'master'
  /** The replica closes its link to its master (lost, timeout, handshake error). */
  | 'replica'
  /** The master's process exits. */
  | 'master-exit'
  /** The replica's process exits. */
  | 'replica-exit'
  /** A connection that never opened (refused). */
  | 'refused';

type Tell = 'yes' | 'unless-silent' | 'no';

const WHO_IS_TOLD: Readonly<Record<Closer, { master: Tell; replica: Tell; reset: boolean }>> = {
  'network-reset': { master: 'yes', replica: 'yes', reset: true },
  master: { master: 'yes', replica: 'unless-silent', reset: false },
  replica: { master: 'unless-silent', replica: 'no', reset: false },
  'master-exit': { master: 'no', replica: 'unless-silent', reset: false },
  'replica-exit': { master: 'unless-silent', replica: 'no', reset: false },
  refused: { master: 'no', replica: 'no', reset: false },
};

/** Closes a connection and tells each end as `closer` says. */
export function teardown(w: World, c: Conn, closer: Closer): void {
  if (c.state === 'closed') return;
  c.state = 'closed';
  const rule = WHO_IS_TOLD[closer];
  const told = (t: Tell): boolean => t === 'yes' || (t === 'unless-silent' && !c.blackholed);
  const master = w.state.servers[c.to];
  const replica = w.state.servers[c.from];
  if (master?.alive && told(rule.master)) w.closed.master(w, master, c.id, rule.reset);
  if (replica?.alive && told(rule.replica)) w.closed.replica(w, replica, c.id);
  delete w.state.conns[c.id];
}

/** Closes every connection of a server whose network goes down (`net NAME down`): RST both ways. */
export function resetConnectionsOf(w: World, server: string): void {
  for (const c of Object.values(w.state.conns))
    if (c.from === server || c.to === server) teardown(w, c, 'network-reset');
}

/** A silent cut: packets on the server's open connections vanish from now on. */
export function blackholeConnectionsOf(w: World, server: string): void {
  for (const c of Object.values(w.state.conns))
    if (c.from === server || c.to === server) c.blackholed = true;
}

/** The master side closes every replica's connection (replication.c disconnectSlaves). */
export function disconnectSlaves(w: World, m: ServerState): void {
  for (const r of [...m.slaves]) {
    const c = w.state.conns[r.connId];
    if (c) teardown(w, c, 'master');
  }
}

/**
 * A replica's non-blocking connect to `to` (a declared server's name, or an address nobody
 * listens on). It resolves to `connected` or `refused` after a round trip; through a silent cut
 * the SYN vanishes and TCP retransmits it after 1, 2, 4… s (`synRetry`).
 */
export function connect(
  w: World,
  from: ServerState,
  to: ServerState | undefined,
  addr: string,
): Conn {
  const conn: Conn = {
    id: w.state.nextConnId++,
    from: from.name,
    to: to ? to.name : addr,
    state: 'connecting',
    blackholed: false,
    busyToMaster: 0,
    busyToReplica: 0,
  };
  w.state.conns[conn.id] = conn;
  const cut = to ? linkCut(w, from.name, to.name) : 'down';
  const rtt = 2 * w.state.latencyMs;
  if (cut === 'silent') {
    conn.blackholed = true;
    schedule(w.state, w.state.now + 1000, { t: 'synRetry', conn: conn.id, attempt: 1 });
  } else if (cut === 'down' || !to || !to.alive) {
    schedule(w.state, w.state.now + rtt, { t: 'refused', conn: conn.id });
  } else {
    schedule(w.state, w.state.now + rtt, { t: 'connected', conn: conn.id });
  }
  return conn;
}

/** A retransmitted SYN: lost again while the cut lasts (Linux gives up after 6 tries). */
export function synRetry(w: World, c: Conn, attempt: number): void {
  const target = w.state.servers[c.to];
  const cut = target ? linkCut(w, c.from, c.to) : 'down';
  if (cut === 'silent') {
    if (attempt < 6)
      schedule(w.state, w.state.now + 1000 * 2 ** attempt, {
        t: 'synRetry',
        conn: c.id,
        attempt: attempt + 1,
      });
    return;
  }
  c.blackholed = false;
  const rtt = 2 * w.state.latencyMs;
  const ok = cut === 'up' && !!target && target.alive;
  schedule(w.state, w.state.now + rtt, { t: ok ? 'connected' : 'refused', conn: c.id });
}

/**
 * Sends a message on a connection. Each direction sends one message at a time at the link's
 * bandwidth; it arrives after the latency. Returns when its last byte has left.
 */
export function send(
  w: World,
  c: Conn,
  dir: 'toMaster' | 'toReplica',
  msg: ToMaster | ToReplica,
  bytes: number,
): number {
  const now = w.state.now;
  const bps = w.state.bytesPerSec;
  const busy = dir === 'toMaster' ? c.busyToMaster : c.busyToReplica;
  const start = Math.max(now, busy);
  const finish = bps ? start + (bytes * 1000) / bps : start;
  if (dir === 'toMaster') c.busyToMaster = finish;
  else c.busyToReplica = finish;
  const arrive = finish + w.state.latencyMs;
  const id = w.state.nextMsgId++;
  const [kind, label, commands] = describeMessage(msg);
  emit(w, {
    type: 'message',
    id,
    conn: c.id,
    from: dir === 'toMaster' ? c.from : c.to,
    to: dir === 'toMaster' ? c.to : c.from,
    kind,
    label,
    bytes,
    sendAt: now,
    finishAt: finish,
    arriveAt: arrive,
    ...(commands ? { commands } : {}),
  });
  if (c.blackholed) {
    emit(w, { type: 'dropped', id, at: now + w.state.latencyMs / 2 });
    return finish;
  }
  if (dir === 'toMaster')
    schedule(w.state, arrive, { t: 'toMaster', conn: c.id, msg: msg as ToMaster, msgId: id });
  else schedule(w.state, arrive, { t: 'toReplica', conn: c.id, msg: msg as ToReplica, msgId: id });
  return finish;
}

/** A message's kind, its one-line label, and the commands a stream message carries. */
export function describeMessage(
  msg: ToMaster | ToReplica,
): [MessageKind, string, Array<{ off: number; argv: string[] }> | undefined] {
  switch (msg.k) {
    case 'PING':
      return ['PING', 'PING', undefined];
    case 'PONG':
      return ['PONG', '+PONG', undefined];
    case 'REPLCONF':
      return [
        'REPLCONF',
        msg.capa.length
          ? `REPLCONF listening-port ${msg.listeningPort} + capa eof psync2`
          : `REPLCONF listening-port ${msg.listeningPort}`,
        undefined,
      ];
    case 'OK':
      return ['OK', '+OK', undefined];
    case 'PSYNC':
      return ['PSYNC', `PSYNC ${msg.replid} ${msg.offset}`, undefined];
    case 'ACK':
      return ['ACK', `REPLCONF ACK ${msg.offset}`, undefined];
    case 'ERR':
      return ['ERR', `-${msg.text}`, undefined];
    case 'FULLRESYNC':
      return ['FULLRESYNC', `+FULLRESYNC ${msg.replid} ${msg.offset}`, undefined];
    case 'CONTINUE':
      return ['CONTINUE', msg.replid ? `+CONTINUE ${msg.replid}` : '+CONTINUE', undefined];
    case 'RDB_HEADER':
      return ['RDB', msg.eof ? '$EOF:<mark>' : `$${msg.size}`, undefined];
    case 'RDB':
      return ['RDB', `RDB ${msg.rdb.size} bytes`, undefined];
    case 'STREAM': {
      const label = msg.entries.map((e) => e.argv.join(' ')).join('; ');
      return [
        'STREAM',
        label.length > 80 ? label.slice(0, 79) + '…' : label,
        msg.entries.map((e) => ({ off: e.off, argv: e.argv })),
      ];
    }
  }
}
