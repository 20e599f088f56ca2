/**
 * The simulation: Redis servers and the links between them on a simulated clock.
 *
 * This facade holds the plain-data state (types.ts) and the event listeners, and routes each
 * queued event to the module that handles it. The handlers are plain functions, grouped as
 * Redis groups them (see the map in the README): master.ts, replica.ts, replicaSync.ts,
 * backlog.ts, psync.ts, rdb.ts, cron.ts, wait.ts, commands.ts, server.ts, net.ts.
 *
 * Events are collected while a step runs and delivered when it has finished, so a listener
 * never sees the state in the middle of a change.
 */
import { entriesFrom } from './backlog';
import { dualChannel } from './dualChannelHooks';
import { activeExpireCycle } from './expire';
import { processCommand } from './commands';
import { replicationCron } from './cron';
import type { SimEvent } from './events';
import { acceptReplicaConnection, masterConnClosed, masterReceive } from './master';
import {
  finArrives,
  finRetransmit,
  lostInCut,
  netState,
  retransmit,
  setNetState,
  synRetry,
} from './net';
import { clientsCronIfDue } from './obuf';
import { popEvent, schedule } from './queue';
import { backgroundSaveDoneHandler, bulkSent, childDone } from './rdb';
import { err, type Reply } from './reply';
import { connectRefused, replicaConnClosed } from './replica';
import { replicaReceive, syncWithMaster } from './replicaSync';
import { seedRng } from './rng';
import { addServer, beforeSleep, removeServer, restartServer, shutdownCronIfDue } from './server';
import type { NetState, QueuedEvent, ServerState, SimState, StreamEntry, Version } from './types';
import { deliverReply, waitTimedOut } from './wait';
import { deepClone, DEFAULT_WALL_START_MS, emit, wallMs, type World } from './world';

export interface SimOptions {
  seed?: number;
  /** Unix ms of the simulated wall clock at time 0. Default: 27 Feb 2020 14:06:23 UTC (the seed's logs). */
  wallStartMs?: number;
  version?: Version;
  /** One-way latency of every link, ms. Default 0.5 (a LAN). */
  latencyMs?: number;
  /** Throughput of every link, bytes/s, or null for unlimited. */
  bytesPerSec?: number | null;
}

export class Simulation {
  private readonly w: World;
  private listeners: Array<(e: SimEvent) => void> = [];

  constructor(opts: SimOptions = {}) {
    this.w = {
      state: {
        version: opts.version ?? '7.0',
        now: 0,
        wallStartMs: opts.wallStartMs ?? DEFAULT_WALL_START_MS,
        rng: seedRng(opts.seed ?? 1),
        seq: 0,
        queue: [],
        servers: {},
        order: [],
        conns: {},
        nextConnId: 1,
        nextPid: 4437,
        nextClientId: 3,
        nextMsgId: 1,
        nextTicket: 1,
        net: {},
        finsHeld: [],
        latencyMs: opts.latencyMs ?? 0.5,
        bytesPerSec: opts.bytesPerSec ?? null,
        replies: {},
      },
      out: [],
      closed: { master: masterConnClosed, replica: replicaConnClosed },
    };
  }

  /** The whole state, plain data. */
  get state(): SimState {
    return this.w.state;
  }

  /** A deep copy of the whole state: restore it with `Simulation.fromSnapshot`. */
  snapshot(): SimState {
    return deepClone(this.w.state);
  }

  static fromSnapshot(s: SimState): Simulation {
    const sim = new Simulation();
    sim.w.state = deepClone(s);
    return sim;
  }

  /** Listen to engine events (messages, logs, state changes). Returns an unsubscribe function. */
  subscribe(fn: (e: SimEvent) => void): () => void {
    this.listeners.push(fn);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== fn);
    };
  }

  /** Delivers the events of the step that has just finished. */
  private deliver(): void {
    const out = this.w.out;
    if (out.length === 0) return;
    const events = out.splice(0, out.length);
    for (const e of events) for (const l of this.listeners) l(e);
  }

  // ---------------------------------------------------------------- clock

  get now(): number {
    return this.w.state.now;
  }

  /** Unix ms of the simulated wall clock. */
  wallMs(): number {
    return wallMs(this.w);
  }

  /** Time of the next pending event, or null. */
  nextEventAt(): number | null {
    return this.w.state.queue[0]?.at ?? null;
  }

  /** Runs the next event (advancing the clock to it). Returns false when nothing is pending. */
  step(): boolean {
    const e = popEvent(this.w.state);
    if (!e) return false;
    this.w.state.now = Math.max(this.w.state.now, e.at);
    dispatch(this.w, e.ev);
    this.deliver();
    return true;
  }

  /** Runs every event due in the next `ms` milliseconds and leaves the clock at now + ms. */
  advance(ms: number): void {
    this.runUntil(this.w.state.now + ms);
  }

  runUntil(until: number): void {
    for (;;) {
      const next = this.w.state.queue[0];
      if (!next || next.at > until) break;
      this.step();
    }
    this.w.state.now = Math.max(this.w.state.now, until);
  }

  // ---------------------------------------------------------------- servers

  addServer(name: string, host: string, port: number): void {
    addServer(this.w, name, host, port);
    this.deliver();
  }

  server(name: string): ServerState {
    const s = this.w.state.servers[name];
    if (!s) throw new Error(`no server '${name}'`);
    return s;
  }

  serverNames(): string[] {
    return [...this.w.state.order];
  }

  /** SHUTDOWN NOSAVE for good: the server leaves the simulation; its peers see its links close. */
  removeServer(name: string): void {
    this.server(name);
    removeServer(this.w, name);
    this.deliver();
  }

  /**
   * SHUTDOWN (saving an RDB with the replication info) and start again. A master waiting for its
   * replicas' ACKs (7.0) exits later: the simulation runs until the process has started again.
   */
  restart(name: string): void {
    const old = this.server(name);
    const done = restartServer(this.w, name);
    this.deliver();
    if (done) return;
    while (this.w.state.servers[name] === old) {
      if (!this.step()) break;
    }
  }

  // ---------------------------------------------------------------- the client session

  /**
   * Runs a command in the server's one client session (as one redis-cli would). Returns a ticket;
   * the reply is `replyFor(ticket)`, available at once except for blocking commands (WAIT).
   */
  submit(server: string, argv: readonly string[]): number {
    const s = this.server(server);
    const ticket = this.w.state.nextTicket++;
    const r = processCommand(this.w, s, [...argv], ticket);
    if (r) deliverReply(this.w, s, ticket, r);
    beforeSleep(this.w, s);
    this.deliver();
    return ticket;
  }

  replyFor(ticket: number): Reply | undefined {
    return this.w.state.replies[ticket];
  }

  /** Runs a command and, if it blocks (WAIT), the simulation until it replies. */
  exec(server: string, argv: readonly string[]): Reply {
    const t = this.submit(server, argv);
    while (this.w.state.replies[t] === undefined) {
      if (!this.step()) break;
    }
    const r = this.w.state.replies[t];
    delete this.w.state.replies[t];
    return r ?? err('ERR no reply');
  }

  // ---------------------------------------------------------------- network

  /**
   * Cuts or restores a server's network (see NetState). `setNet(name, up, silent)` is the older
   * spelling of `up` / `silent` / `down`.
   */
  setNet(server: string, state: NetState): void;
  setNet(server: string, up: boolean, silent: boolean): void;
  setNet(server: string, a: NetState | boolean, silent = false): void {
    const s = this.server(server);
    const st: NetState = typeof a === 'string' ? a : a ? 'up' : silent ? 'silent' : 'down';
    setNetState(this.w, s, st);
    beforeSleep(this.w, s);
    this.deliver();
  }

  netState(server: string): NetState {
    return netState(this.w, server);
  }

  /** The backlog's commands from `offset` on (what a partial resync from there would send). */
  backlogEntries(server: string, offset: number): StreamEntry[] {
    return entriesFrom(this.server(server), offset);
  }
}

/** Routes a queued event to its handler; beforeSleep runs on the server that handled it. */
function dispatch(w: World, ev: QueuedEvent): void {
  const servers = w.state.servers;
  switch (ev.t) {
    case 'cron': {
      const s = servers[ev.server];
      if (!s || !s.alive || s.pid !== ev.pid) return;
      if (shutdownCronIfDue(w, s)) return;
      clientsCronIfDue(w, s);
      replicationCron(w, s);
      schedule(w.state, w.state.now + 1000, ev);
      beforeSleep(w, s);
      return;
    }
    case 'connected':
    case 'refused': {
      const c = w.state.conns[ev.conn];
      if (!c || c.state !== 'connecting') return;
      const s = servers[c.from]!;
      // The server it connected to exited meanwhile (a restart, SHUTDOWN): nobody listens.
      const gone = !servers[c.to]?.alive;
      if (ev.t === 'refused' || gone) return connectRefused(w, s, c);
      // A SYN-ACK lost in a silent cut: the connect hangs until the handshake times out.
      if (c.blackholed) return;
      c.state = 'open';
      const m = servers[c.to];
      if (m) acceptReplicaConnection(w, m, c, s.host);
      if (s.dual && s.dual.rdbConn === c.id) dualChannel().rdbChannelReceive(w, s, c, null);
      else syncWithMaster(w, s, c, null);
      beforeSleep(w, s);
      return;
    }
    case 'synRetry': {
      const c = w.state.conns[ev.conn];
      if (!c || c.state !== 'connecting') return;
      synRetry(w, c, ev.attempt);
      return;
    }
    case 'toMaster':
    case 'toReplica': {
      const c = w.state.conns[ev.conn];
      // After the master closed its end, what it sent before still reaches the replica; what
      // the replica sends meets a closed socket.
      if (!c || (c.state !== 'open' && !(c.state === 'closing' && ev.t === 'toReplica'))) {
        if (c) emit(w, { type: 'dropped', id: ev.msgId, at: w.state.now });
        return;
      }
      const dir = ev.t;
      if (lostInCut(w, c, { dir, msg: ev.msg, bytes: ev.bytes, sentAt: ev.sentAt }, ev.msgId))
        return;
      const s = servers[ev.t === 'toMaster' ? c.to : c.from];
      if (!s || !s.alive) return;
      if (ev.t === 'toMaster') masterReceive(w, s, c, ev.msg, ev.bytes);
      else replicaReceive(w, s, c, ev.msg);
      beforeSleep(w, s);
      return;
    }
    case 'childDone':
    case 'bgsaveNoticed': {
      const s = servers[ev.server];
      if (!s || !s.child || s.child.pid !== ev.pid) return;
      if (ev.t === 'childDone') childDone(w, s);
      else {
        if (shutdownCronIfDue(w, s)) return;
        clientsCronIfDue(w, s);
        backgroundSaveDoneHandler(w, s);
      }
      beforeSleep(w, s);
      return;
    }
    case 'sendDone': {
      const s = servers[ev.server];
      if (!s) return;
      bulkSent(w, s, ev.conn);
      beforeSleep(w, s);
      return;
    }
    case 'expire': {
      const s = servers[ev.server];
      if (!s || !s.alive || s.pid !== ev.pid) return;
      if (shutdownCronIfDue(w, s)) return;
      clientsCronIfDue(w, s);
      activeExpireCycle(w, s);
      beforeSleep(w, s);
      return;
    }
    case 'retransmit': {
      const c = w.state.conns[ev.conn];
      if (c && (c.state === 'open' || (c.state === 'closing' && ev.dir === 'toReplica')))
        retransmit(w, c, ev.dir);
      return;
    }
    case 'clientsCron': {
      const s = servers[ev.server];
      if (!s || !s.alive || s.pid !== ev.pid) return;
      if (shutdownCronIfDue(w, s)) return;
      clientsCronIfDue(w, s);
      beforeSleep(w, s);
      return;
    }
    case 'shutdownCron': {
      const s = servers[ev.server];
      if (!s || !s.alive || s.pid !== ev.pid) return;
      if (shutdownCronIfDue(w, s)) return;
      beforeSleep(w, s);
      return;
    }
    case 'fin': {
      const told = finArrives(w, ev.conn);
      if (told) beforeSleep(w, told);
      return;
    }
    case 'finRetransmit': {
      const told = finRetransmit(w, ev.conn);
      if (told) beforeSleep(w, told);
      return;
    }
    case 'waitTimeout': {
      const s = servers[ev.server];
      if (s) waitTimedOut(w, s, ev.ticket);
      return;
    }
  }
}
