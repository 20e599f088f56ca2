/**
 * The network between the servers (the kernel's part of networking.c and anet.c): connections,
 * sending with latency and bandwidth, cuts, and the one function that tears a connection down
 * and says who is told.
 */
import type { MessageKind } from './events';
import { schedule } from './queue';
import type { Conn, HeldSegment, NetState, ServerState, ToMaster, ToReplica } from './types';
import { emit, type World } from './world';

export function netState(w: World, server: string): NetState {
  return w.state.net[server] ?? 'up';
}

/** What a packet between two servers meets: the worse of the two ends' networks. */
function linkCut(w: World, a: string, b: string): NetState {
  const na = netState(w, a);
  const nb = netState(w, b);
  for (const worst of ['down', 'silent', 'stopped'] as const)
    if (na === worst || nb === worst) return worst;
  return 'up';
}

/**
 * Cuts after which TCP retransmits what was lost: both. Packets that vanish in the network
 * (`down silent`) and an interface stopped (`stop`) differ only at the stopped end, whose own
 * connect() fails at once; each is proven against the real kernel (conformance corpus
 * silent-short/long, stop-short/long). Only a reset (`down`) ends connections.
 */
function retransmits(cut: NetState): boolean {
  return cut === 'silent' || cut === 'stopped';
}

/** Sets a server's network, acting on its connections; a restored one retransmits what was lost. */
export function setNetState(w: World, s: ServerState, st: NetState): void {
  w.state.net[s.name] = st;
  emit(w, { type: 'net', server: s.name, state: st, at: w.state.now });
  if (st === 'down') resetConnectionsOf(w, s.name);
  else if (st === 'up') scheduleRetransmissions(w, s.name);
}

/**
 * Linux's retransmission timeout: the first retransmission 200 ms after the segment was sent,
 * each next one twice as far, at most 120 s apart. The first one at or after `now`.
 */
export function nextRetransmission(sentAt: number, now: number): number {
  let t = sentAt;
  let rto = TCP_RTO_MIN_MS;
  for (;;) {
    t += rto;
    if (t >= now) return t;
    rto = Math.min(rto * 2, TCP_RTO_MAX_MS);
  }
}
const TCP_RTO_MIN_MS = 200;
const TCP_RTO_MAX_MS = 120_000;

/** The path of a server is back: each connection's lost segments and FINs go at their next RTO. */
function scheduleRetransmissions(w: World, server: string): void {
  const now = w.state.now;
  for (const c of Object.values(w.state.conns)) {
    if ((c.from !== server && c.to !== server) || linkCut(w, c.from, c.to) !== 'up') continue;
    for (const dir of ['toMaster', 'toReplica'] as const) {
      const first = c.held.find((h) => h.dir === dir);
      if (first)
        schedule(w.state, nextRetransmission(first.sentAt, now), {
          t: 'retransmit',
          conn: c.id,
          dir,
        });
    }
  }
  for (const f of w.state.finsHeld)
    if ((f.from === server || f.to === server) && linkCut(w, f.from, f.to) === 'up')
      schedule(w.state, nextRetransmission(f.sentAt, now), { t: 'finRetransmit', conn: f.conn });
}

/** A retransmission timer fired: if the path is up, the lost segments go again, in order. */
export function retransmit(w: World, c: Conn, dir: 'toMaster' | 'toReplica'): void {
  if (linkCut(w, c.from, c.to) !== 'up') return;
  const segments = c.held.filter((h) => h.dir === dir);
  if (segments.length === 0) return;
  c.held = c.held.filter((h) => h.dir !== dir);
  for (const h of segments) send(w, c, dir, h.msg, h.bytes);
  // A closed master end's FIN was waiting behind this data: it follows it.
  if (dir === 'toReplica' && c.state === 'closing') {
    w.state.finsHeld = w.state.finsHeld.filter((f) => f.conn !== c.id);
    schedule(w.state, lastArrivalToReplica(w, c), { t: 'fin', conn: c.id });
  }
}

/** A segment reached a cut path: lost, to be retransmitted (or gone for good: a silent cut). */
export function lostInCut(w: World, c: Conn, h: HeldSegment, msgId: number): boolean {
  const cut = linkCut(w, c.from, c.to);
  if (cut === 'up' && !c.blackholed) return false;
  if (!c.blackholed && retransmits(cut)) c.held.push(h);
  emit(w, { type: 'dropped', id: msgId, at: w.state.now });
  return true;
}

/** A FIN lost in a cut gets through: the other end finds its connection closed. */
export function finRetransmit(w: World, connId: number): ServerState | undefined {
  const f = w.state.finsHeld.find((x) => x.conn === connId);
  if (!f || linkCut(w, f.from, f.to) !== 'up') return undefined;
  // Data lost before it goes first, the FIN with it (retransmit).
  const c = w.state.conns[connId];
  if (c?.state === 'closing' && c.held.some((h) => h.dir === 'toReplica')) return undefined;
  w.state.finsHeld = w.state.finsHeld.filter((x) => x !== f);
  const m = w.state.servers[f.to];
  const r = w.state.servers[f.from];
  if (f.tell === 'master' && m?.alive) {
    w.closed.master(w, m, connId, false);
    return m;
  }
  if (f.tell === 'replica' && r?.alive) {
    w.closed.replica(w, r, connId);
    return r;
  }
  return undefined;
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

/**
 * Closes a connection and tells each end as `closer` says. When the master closes it while bytes
 * it sent are still on their way (a slow link), its FIN follows them, as TCP sends it: the
 * connection stays `closing` and the replica is told when the last of them has arrived.
 */
export function teardown(w: World, c: Conn, closer: Closer): void {
  if (c.state === 'closed') return;
  // The master closed its end before: only the replica is left to be told.
  const masterGone = c.state === 'closing';
  c.state = 'closed';
  const rule = WHO_IS_TOLD[closer];
  const cut = linkCut(w, c.from, c.to);
  const lost = c.blackholed || retransmits(cut);
  const master = w.state.servers[c.to];
  const replica = w.state.servers[c.from];
  let finBehindData = false;
  let heldBehindData = false;
  for (const [side, server] of [
    ['master', master],
    ['replica', replica],
  ] as const) {
    const t = rule[side];
    if (!server?.alive || t === 'no' || (side === 'master' && masterGone)) continue;
    if (t === 'unless-silent' && lost) {
      // The FIN is lost; TCP retransmits it once the path is back (not through a silent cut).
      if (!c.blackholed && retransmits(cut)) {
        w.state.finsHeld.push({
          conn: c.id,
          from: c.from,
          to: c.to,
          tell: side,
          sentAt: w.state.now,
        });
        // The master's data lost in the cut goes first: the kernel retransmits it, then the
        // FIN, even for a process that has exited (seen on 7.0.15: a replica cut while its
        // master restarted got the write and the GETACK, then asked to continue after them).
        if (side === 'replica' && c.held.some((h) => h.dir === 'toReplica')) heldBehindData = true;
      }
      continue;
    }
    if (side === 'master') w.closed.master(w, server, c.id, rule.reset);
    else if (closer === 'master' && lastArrivalToReplica(w, c) > w.state.now) finBehindData = true;
    else w.closed.replica(w, server, c.id);
  }
  if (finBehindData) {
    c.state = 'closing';
    schedule(w.state, lastArrivalToReplica(w, c), { t: 'fin', conn: c.id });
    return;
  }
  if (heldBehindData) {
    c.state = 'closing';
    return;
  }
  delete w.state.conns[c.id];
}

/** The FIN of a connection the master closed reaches the replica, after the data before it. */
export function finArrives(w: World, connId: number): ServerState | undefined {
  const c = w.state.conns[connId];
  if (!c || c.state !== 'closing') return undefined;
  const replica = w.state.servers[c.from];
  teardown(w, c, 'master');
  return replica?.alive ? replica : undefined;
}

/** Closes every connection of a server whose network goes down (`net NAME down`): RST both ways. */
function resetConnectionsOf(w: World, server: string): void {
  for (const c of Object.values(w.state.conns))
    if (c.from === server || c.to === server) teardown(w, c, 'network-reset');
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
): Conn | 'unreachable' {
  // With its own interface down there is no route: connect() fails at once.
  if (netState(w, from.name) === 'stopped') return 'unreachable';
  const conn: Conn = {
    id: w.state.nextConnId++,
    from: from.name,
    to: to ? to.name : addr,
    state: 'connecting',
    blackholed: false,
    held: [],
    busyToMaster: 0,
    busyToReplica: 0,
    arriveToMaster: 0,
    arriveToReplica: 0,
  };
  w.state.conns[conn.id] = conn;
  const cut = to ? linkCut(w, from.name, to.name) : 'down';
  const rtt = 2 * w.state.latencyMs;
  if (cut === 'silent' || cut === 'stopped') {
    // The SYN vanishes; the kernel retransmits it after 1, 2, 4… s.
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
  if (cut === 'silent' || cut === 'stopped') {
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
  // In order: never before the message sent ahead of it (which may have met a longer latency).
  const arrive = Math.max(
    finish + w.state.latencyMs,
    dir === 'toMaster' ? c.arriveToMaster : c.arriveToReplica,
  );
  if (dir === 'toMaster') c.arriveToMaster = arrive;
  else c.arriveToReplica = arrive;
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
    ...(c.rdbChannel ? { channel: 'rdb' as const } : {}),
  });
  if (c.blackholed) {
    emit(w, { type: 'dropped', id, at: now + w.state.latencyMs / 2 });
    return finish;
  }
  if (c.held.some((h) => h.dir === dir)) {
    // TCP delivers in order: this waits behind the segments still to be retransmitted.
    c.held.push({ dir, msg, bytes, sentAt: now });
    emit(w, { type: 'dropped', id, at: now + w.state.latencyMs / 2 });
    return finish;
  }
  const ev = { conn: c.id, msgId: id, bytes, sentAt: now };
  if (dir === 'toMaster') schedule(w.state, arrive, { t: 'toMaster', msg: msg as ToMaster, ...ev });
  else schedule(w.state, arrive, { t: 'toReplica', msg: msg as ToReplica, ...ev });
  return finish;
}

/** When what the master has sent on `c` so far (and so a FIN sent now) reaches the replica. */
export function lastArrivalToReplica(w: World, c: Conn): number {
  return Math.max(c.busyToReplica + w.state.latencyMs, c.arriveToReplica);
}

/**
 * Linux autotunes a TCP socket's send buffer up to 4 MiB (tcp_wmem's maximum): a writer is done
 * once its last byte is in that buffer, while the link may still be carrying the bytes before it.
 */
const SOCKET_SEND_BUFFER_BYTES = 4 * 1024 * 1024;

/** When the sender's last write of a message that leaves the link at `finish` was accepted. */
export function writeAcceptedAt(w: World, finish: number): number {
  const bps = w.state.bytesPerSec;
  if (!bps) return finish;
  return Math.max(w.state.now, finish - (SOCKET_SEND_BUFFER_BYTES * 1000) / bps);
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
          ? `REPLCONF listening-port ${msg.listeningPort} + capa ${msg.capa.join(' ')}${msg.version ? ` + version ${msg.version}` : ''}`
          : `REPLCONF listening-port ${msg.listeningPort}`,
        undefined,
      ];
    case 'REPLCONF_RDB':
      return [
        'REPLCONF',
        `REPLCONF capa eof rdb-only 1 rdb-channel 1 listening-port ${msg.listeningPort}`,
        undefined,
      ];
    case 'REPLCONF_SETID':
      return ['REPLCONF', `REPLCONF set-rdb-client-id ${msg.id}`, undefined];
    case 'SYNC':
      return ['SYNC', 'SYNC', undefined];
    case 'DUALCHANNELSYNC':
      return ['DUALCHANNELSYNC', '+DUALCHANNELSYNC', undefined];
    case 'ENDOFF':
      return ['ENDOFF', endoffLine(msg), undefined];
    case 'OK':
      return ['OK', '+OK', undefined];
    case 'NEWLINE':
      return ['NEWLINE', '\\n', undefined];
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

/** sendCurrentOffsetToReplica's line, without its CRLF. */
export function endoffLine(m: {
  offset: number;
  replid: string;
  dbid: number;
  clientId: number;
}): string {
  return `$ENDOFF:${m.offset} ${m.replid} ${m.dbid} ${m.clientId}`;
}
