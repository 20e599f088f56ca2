/**
 * The simulation: Redis servers and the links between them on a simulated clock.
 *
 * Every handler below is named after, and follows, the Redis 7.0 function it models
 * (src/replication.c unless said otherwise), so the code can be read side by side with Redis.
 * The state is plain data (types.ts); this class only holds it, the event listeners, and no
 * other truth.
 */
import { describePsyncReason, type PsyncCheck, type PsyncReason, type SimEvent } from './events';
import {
  activeExpire,
  createKeyspace,
  cloneKeyspace,
  execKeyspaceCommand,
  keyCount,
  lookupCommand,
  nextExpireAt,
  rdbPayloadSize,
  isKeyspaceCommand,
} from './keyspace';
import { formatLogLine, type LogLevel } from './log';
import { array, bulk, err, int, NIL, OK, QUEUED, status, wrongArity, type Reply } from './reply';
import { respLength } from './resp';
import { nextHex40, nextInt, seedRng } from './rng';
import { renderInfo, renderRole } from './info';
import { configGet, configSet, defaultConfig } from './config';
import type {
  Conn,
  MasterClient,
  PendingClient,
  QueuedEvent,
  RdbImage,
  ReplState,
  ServerState,
  SimState,
  SlaveClient,
  StreamEntry,
  ToMaster,
  ToReplica,
  Version,
} from './types';

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

export const DEFAULT_WALL_START_MS = Date.UTC(2020, 1, 27, 14, 6, 23, 0);
export const ZERO_REPLID = '0000000000000000000000000000000000000000';
const PROTO_REPLY_CHUNK_BYTES = 16 * 1024;
const REPL_BUF_BLOCK_HEADER = 40; // sizeof(replBufBlock) on LP64
const CONFIG_REPL_BACKLOG_MIN_SIZE = 16 * 1024;
/** The fork child writes a small RDB in about this long (observed: 2 ms). */
const CHILD_SAVE_MS = 2;

/** jemalloc's usable size for an allocation of n bytes (size classes: 4 per power of two). */
export function jemallocUsable(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  const lg = Math.floor(Math.log2(n - 1));
  const spacing = 2 ** (lg - 2);
  return Math.ceil(n / spacing) * spacing;
}

export class Simulation {
  state: SimState;
  private listeners: Array<(e: SimEvent) => void> = [];

  constructor(opts: SimOptions = {}) {
    this.state = {
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
      latencyMs: opts.latencyMs ?? 0.5,
      bytesPerSec: opts.bytesPerSec ?? null,
      replies: {},
    };
  }

  /** A deep copy of the whole state: restore it with `Simulation.fromSnapshot`. */
  snapshot(): SimState {
    return deepClone(this.state);
  }

  static fromSnapshot(s: SimState): Simulation {
    const sim = new Simulation();
    sim.state = deepClone(s);
    return sim;
  }

  /** Listen to engine events (messages, logs, state changes). Returns an unsubscribe function. */
  subscribe(fn: (e: SimEvent) => void): () => void {
    this.listeners.push(fn);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== fn);
    };
  }

  private emit(e: SimEvent): void {
    for (const l of this.listeners) l(e);
  }

  // ---------------------------------------------------------------- clock and queue

  get now(): number {
    return this.state.now;
  }

  /** Unix ms of the simulated wall clock. */
  wallMs(): number {
    return this.state.wallStartMs + this.state.now;
  }

  /** `mstime()`: whole milliseconds of the wall clock, as Redis's keyspace sees time. */
  private mstime(): number {
    return Math.floor(this.wallMs());
  }

  /** `server.unixtime`: whole seconds. */
  private unixtime(): number {
    return Math.floor(this.wallMs() / 1000);
  }

  private schedule(at: number, ev: QueuedEvent): void {
    const q = this.state.queue;
    const item = { at, seq: this.state.seq++, ev };
    // binary heap on (at, seq)
    q.push(item);
    let i = q.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = q[p]!;
      if (parent.at < item.at || (parent.at === item.at && parent.seq < item.seq)) break;
      q[i] = parent;
      i = p;
    }
    q[i] = item;
  }

  private popEvent(): { at: number; ev: QueuedEvent } | undefined {
    const q = this.state.queue;
    const top = q[0];
    if (!top) return undefined;
    const last = q.pop()!;
    if (q.length === 0) return top;
    const less = (a: { at: number; seq: number }, b: { at: number; seq: number }): boolean =>
      a.at < b.at || (a.at === b.at && a.seq < b.seq);
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = last;
      let mi = -1;
      if (l < q.length && less(q[l]!, m)) {
        m = q[l]!;
        mi = l;
      }
      if (r < q.length && less(q[r]!, m)) {
        m = q[r]!;
        mi = r;
      }
      if (mi < 0) break;
      q[i] = m;
      i = mi;
    }
    q[i] = last;
    return top;
  }

  /** Time of the next pending event, or null. */
  nextEventAt(): number | null {
    return this.state.queue[0]?.at ?? null;
  }

  /** Runs the next event (advancing the clock to it). Returns false when nothing is pending. */
  step(): boolean {
    const e = this.popEvent();
    if (!e) return false;
    this.state.now = Math.max(this.state.now, e.at);
    this.dispatch(e.ev);
    return true;
  }

  /** Runs every event due in the next `ms` milliseconds and leaves the clock at now + ms. */
  advance(ms: number): void {
    const until = this.state.now + ms;
    this.runUntil(until);
  }

  runUntil(until: number): void {
    for (;;) {
      const next = this.state.queue[0];
      if (!next || next.at > until) break;
      this.step();
    }
    this.state.now = Math.max(this.state.now, until);
  }

  // ---------------------------------------------------------------- servers

  addServer(name: string, host: string, port: number): void {
    if (this.state.servers[name]) throw new Error(`server '${name}' already exists`);
    this.state.order.push(name);
    this.state.net[name] = 'up';
    this.state.servers[name] = this.newServerState(name, host, port);
    this.startProcess(this.state.servers[name]!, false);
  }

  server(name: string): ServerState {
    const s = this.state.servers[name];
    if (!s) throw new Error(`no server '${name}'`);
    return s;
  }

  serverNames(): string[] {
    return [...this.state.order];
  }

  private newServerState(name: string, host: string, port: number): ServerState {
    return {
      name,
      host,
      port,
      pid: 0,
      alive: false,
      startedAt: 0,
      config: defaultConfig(this.state.version),
      keyspace: createKeyspace(),
      client: { db: 0, multi: null, multiError: false, woff: 0 },
      replid: nextHex40(this.state.rng),
      replid2: ZERO_REPLID,
      master_repl_offset: 0,
      second_replid_offset: -1,
      backlog: null,
      buffer: { blocks: [], nextBlockId: 0, entries: [] },
      slaves: [],
      pending: [],
      slaveseldb: -1,
      repl_no_slaves_since: this.unixtime(),
      replication_cron_loops: 0,
      next_client_id: 3,
      child: null,
      waits: [],
      getAckFromSlaves: false,
      stat_sync_full: 0,
      stat_sync_partial_ok: 0,
      stat_sync_partial_err: 0,
      masterhost: null,
      masterport: 0,
      repl_state: 'none',
      repl_transfer_s: null,
      repl_transfer_lastio: 0,
      repl_transfer_size: -1,
      repl_transfer_read: 0,
      repl_down_since: 0,
      master_initial_offset: -1,
      master: null,
      cached_master: null,
      rdbOnDisk: null,
      transfer_replid: '',
      psync_started_at: 0,
      log: [],
    };
  }

  /** Starts the process: pid, startup log lines, cron phase, and (restart) the RDB on disk. */
  private startProcess(s: ServerState, fromRdb: boolean): void {
    s.pid = this.state.nextPid;
    this.state.nextPid += nextInt(this.state.rng, 7, 177);
    s.alive = true;
    s.startedAt = this.state.now;
    s.replication_cron_loops = 0;
    const v = this.state.version;
    this.logAs(s, 'C', 'warning', 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
    this.logAs(
      s,
      'C',
      'warning',
      v === '7.0'
        ? `Redis version=7.0.15, bits=64, commit=00000000, modified=0, pid=${s.pid}, just started`
        : `Redis version=5.0.14, bits=64, commit=00000000, modified=0, pid=${s.pid}, just started`,
    );
    this.logAs(s, 'C', 'warning', 'Configuration loaded');
    this.log(s, 'notice', `Running mode=standalone, port=${s.port}.`);
    this.log(s, 'warning', 'Server initialized');
    if (fromRdb && s.rdbOnDisk) this.loadDataFromDisk(s, s.rdbOnDisk);
    this.log(s, 'notice', 'Ready to accept connections');
    // serverCron's first run (1 ms after start) is replicationCron's loop 0; then once a second.
    this.schedule(s.startedAt + 1, { t: 'cron', server: s.name, pid: s.pid });
    this.scheduleExpire(s);
  }

  /** server.c loadDataFromDisk, with 7.0's PSYNC-after-restart rules (#8015). */
  private loadDataFromDisk(s: ServerState, rdb: RdbImage): void {
    this.rdbLoadLog(s, rdb);
    s.keyspace = cloneKeyspace(rdb.keyspace);
    this.log(s, 'notice', 'DB loaded from disk: 0.000 seconds');
    if (s.masterhost) {
      // A replica: restore the replication info and synthesize a cached master from it.
      s.replid = rdb.replid;
      s.master_repl_offset = rdb.replOffset;
      this.replicationCacheMasterUsingMyself(s);
      s.cached_master!.db = rdb.replStreamDb;
    } else if (this.state.version === '7.0') {
      // A master (7.0): keep the old id as replid2 so replicas can partially resync.
      this.createReplicationBacklog(s);
      s.replid2 = rdb.replid;
      s.second_replid_offset = rdb.replOffset + 1;
      s.master_repl_offset += rdb.replOffset;
      s.backlog!.offset = s.master_repl_offset + 1;
      s.repl_no_slaves_since = this.unixtime();
    }
  }

  private rdbLoadLog(s: ServerState, rdb: RdbImage): void {
    if (this.state.version !== '7.0') return;
    this.log(s, 'notice', 'Loading RDB produced by version 7.0.15');
    this.log(
      s,
      'notice',
      `RDB age ${Math.max(0, Math.floor((this.wallMs() - rdb.ctimeMs) / 1000))} seconds`,
    );
    this.log(s, 'notice', 'RDB memory usage when created 0.98 Mb');
    this.log(
      s,
      'notice',
      `Done loading RDB, keys loaded: ${keyCount(rdb.keyspace)}, keys expired: 0.`,
    );
  }

  // ---------------------------------------------------------------- logging

  private roleChar(s: ServerState): string {
    return s.masterhost ? 'S' : 'M';
  }

  private log(s: ServerState, level: LogLevel, msg: string): void {
    this.logAs(s, this.roleChar(s), level, msg);
  }

  private logAs(s: ServerState, role: string, level: LogLevel, msg: string, pid = s.pid): void {
    const line = formatLogLine(pid, role, this.wallMs(), level, msg);
    s.log.push(line);
    if (s.log.length > 20000) s.log.splice(0, s.log.length - 20000);
    this.emit({ type: 'log', server: s.name, line, at: this.state.now });
  }

  // ---------------------------------------------------------------- the client session

  /**
   * Runs a command in the server's one client session (as one redis-cli would). Returns a ticket;
   * the reply is `replyFor(ticket)`, available at once except for blocking commands (WAIT).
   */
  submit(server: string, argv: readonly string[]): number {
    const s = this.server(server);
    const ticket = this.state.nextTicket++;
    const r = this.processCommand(s, [...argv], ticket);
    if (r) this.deliverReply(s, ticket, r);
    this.afterEvent(s);
    return ticket;
  }

  replyFor(ticket: number): Reply | undefined {
    return this.state.replies[ticket];
  }

  /** Runs a command and, if it blocks (WAIT), the simulation until it replies. */
  exec(server: string, argv: readonly string[]): Reply {
    const t = this.submit(server, argv);
    while (this.state.replies[t] === undefined) {
      if (!this.step()) break;
    }
    const r = this.state.replies[t];
    delete this.state.replies[t];
    return r ?? err('ERR no reply');
  }

  private deliverReply(s: ServerState, ticket: number, reply: Reply): void {
    this.state.replies[ticket] = reply;
    this.emit({ type: 'reply', server: s.name, ticket, reply, at: this.state.now });
  }

  /** server.c processCommand + call(), for the script's client. Null means blocked. */
  private processCommand(s: ServerState, argv: string[], ticket: number): Reply | null {
    if (!s.alive) return err('ERR server is down');
    const name = (argv[0] ?? '').toLowerCase();
    const spec = lookupCommand(name);
    const c = s.client;
    if (!spec) {
      if (c.multi) c.multiError = true;
      const args = argv
        .slice(1)
        .map((a) => `'${a.slice(0, 128)}' `)
        .join('');
      return err(
        `ERR unknown command '${(argv[0] ?? '').slice(0, 128)}', with args beginning with: ${args}`,
      );
    }
    if ((spec.arity > 0 && argv.length !== spec.arity) || argv.length < -spec.arity) {
      if (c.multi) c.multiError = true;
      return wrongArity(spec.name);
    }
    if (c.multi && !['exec', 'discard', 'multi', 'watch', 'quit', 'reset'].includes(name)) {
      // Commands flagged no-multi in Redis refuse to be queued.
      if (['replicaof', 'slaveof', 'psync', 'sync'].includes(name)) {
        c.multiError = true;
        return err('ERR Command not allowed inside a transaction');
      }
      c.multi.push(argv);
      return QUEUED;
    }
    if (spec.write && s.masterhost) {
      return err("READONLY You can't write against a read only replica.");
    }
    switch (name) {
      case 'multi':
        if (c.multi) return err('ERR MULTI calls can not be nested');
        c.multi = [];
        c.multiError = false;
        return OK;
      case 'discard':
        if (!c.multi) return err('ERR DISCARD without MULTI');
        c.multi = null;
        return OK;
      case 'exec':
        return this.execCommand(s);
      case 'wait':
        return this.waitCommand(s, argv, ticket);
      default:
        return this.call(s, argv, true);
    }
  }

  private execCommand(s: ServerState): Reply {
    const c = s.client;
    if (!c.multi) return err('ERR EXEC without MULTI');
    const queued = c.multi;
    c.multi = null;
    if (c.multiError) {
      c.multiError = false;
      return err('EXECABORT Transaction discarded because of previous errors.');
    }
    const replies: Reply[] = [];
    const effects: Array<{ db: number; argv: string[] }> = [];
    for (const argv of queued) {
      const name = argv[0]!.toLowerCase();
      const spec = lookupCommand(name);
      if (spec?.write && s.masterhost) {
        replies.push(err("READONLY You can't write against a read only replica."));
        continue;
      }
      replies.push(this.callCollect(s, argv, effects));
    }
    this.propagateUnit(s, effects, true);
    return array(replies);
  }

  /** Runs one command and propagates its effects as one unit. */
  private call(s: ServerState, argv: string[], wrap: boolean): Reply {
    const effects: Array<{ db: number; argv: string[] }> = [];
    const r = this.callCollect(s, argv, effects);
    this.propagateUnit(s, effects, wrap);
    return r;
  }

  private callCollect(
    s: ServerState,
    argv: string[],
    effects: Array<{ db: number; argv: string[] }>,
  ): Reply {
    const name = argv[0]!.toLowerCase();
    const c = s.client;
    if (isKeyspaceCommand(name)) {
      const res = execKeyspaceCommand(s.keyspace, argv, {
        nowMs: this.mstime(),
        db: c.db,
        mode: s.masterhost ? 'replica' : 'master',
        version: this.state.version,
      });
      for (const p of res.propagate) effects.push({ db: c.db, argv: p });
      if (res.propagate.length > 0) {
        if (this.listeners.length)
          this.emit({
            type: 'keyspace',
            server: s.name,
            keys: argv.length > 1 ? [argv[1]!] : [],
            at: this.state.now,
          });
        if (res.propagate.some(setsExpire)) this.scheduleExpire(s);
      }
      return res.reply;
    }
    return this.serverCommand(s, argv);
  }

  /** server.c propagatePendingCommands: several effects of one unit are wrapped in MULTI/EXEC. */
  private propagateUnit(
    s: ServerState,
    effects: Array<{ db: number; argv: string[] }>,
    wrap: boolean,
  ): void {
    if (effects.length === 0) return;
    if (wrap && effects.length > 1) {
      this.replicationFeedSlaves(s, effects[0]!.db, ['MULTI']);
      for (const e of effects) this.replicationFeedSlaves(s, e.db, e.argv);
      this.replicationFeedSlaves(s, effects[effects.length - 1]!.db, ['EXEC']);
    } else {
      for (const e of effects) this.replicationFeedSlaves(s, e.db, e.argv);
    }
    s.client.woff = s.master_repl_offset;
  }

  private serverCommand(s: ServerState, argv: string[]): Reply {
    const name = argv[0]!.toLowerCase();
    const c = s.client;
    switch (name) {
      case 'ping':
        if (argv.length > 2) return wrongArity('ping');
        return argv.length === 2 ? bulk(argv[1]!) : status('PONG');
      case 'echo':
        return bulk(argv[1]!);
      case 'select': {
        const db = parseStrictInt(argv[1]!);
        if (db === null) return err('ERR value is not an integer or out of range');
        if (db < 0 || db >= 16) return err('ERR DB index is out of range');
        c.db = db;
        return OK;
      }
      case 'info':
        return bulk(renderInfo(this, s, argv.slice(1)));
      case 'role':
        return renderRole(this, s);
      case 'config':
        return this.configCommand(s, argv);
      case 'replicaof':
      case 'slaveof':
        return this.replicaofCommand(s, argv);
      case 'replconf':
        return OK;
      case 'psync':
      case 'sync':
        return err('ERR PSYNC from the lab client is not supported: use REPLICAOF');
      case 'save':
      case 'bgsave': {
        const rdb = this.makeRdb(s);
        s.rdbOnDisk = rdb;
        if (name === 'save') {
          this.log(s, 'notice', 'DB saved on disk');
          return OK;
        }
        return status('Background saving started');
      }
      default:
        return err(`ERR unknown command '${argv[0]}', with args beginning with: `);
    }
  }

  private configCommand(s: ServerState, argv: string[]): Reply {
    const sub = (argv[1] ?? '').toLowerCase();
    if (sub === 'get') {
      if (argv.length < 3) return wrongArity('config|get');
      return configGet(s.config, argv.slice(2));
    }
    if (sub === 'set') {
      if (argv.length < 4 || argv.length % 2 !== 0) return wrongArity('config|set');
      const before = s.config['repl-backlog-size'];
      const r = configSet(s.config, argv.slice(2));
      if (r.t !== 'error' && s.config['repl-backlog-size'] !== before)
        this.resizeReplicationBacklog(s);
      return r;
    }
    if (sub === 'resetstat') return OK;
    return err(`ERR unknown subcommand '${(argv[1] ?? '').slice(0, 128)}'. Try CONFIG HELP.`);
  }

  /** WAIT numreplicas timeout (replication.c waitCommand). */
  private waitCommand(s: ServerState, argv: string[], ticket: number): Reply | null {
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
    const acked = this.replicationCountAcksByOffset(s, woff);
    if (acked >= numreplicas) return int(acked);
    const w = {
      ticket,
      numreplicas,
      woff,
      timeoutAt: timeout > 0 ? this.state.now + timeout : null,
    };
    s.waits.push(w);
    if (w.timeoutAt !== null)
      this.schedule(w.timeoutAt, { t: 'waitTimeout', server: s.name, ticket });
    s.getAckFromSlaves = true;
    return null;
  }

  private replicationCountAcksByOffset(s: ServerState, offset: number): number {
    return s.slaves.filter((r) => r.replstate === 'online' && r.replAckOff >= offset).length;
  }

  private processClientsWaitingReplicas(s: ServerState): void {
    for (const w of [...s.waits]) {
      const n = this.replicationCountAcksByOffset(s, w.woff);
      if (n >= w.numreplicas) {
        s.waits = s.waits.filter((x) => x !== w);
        this.deliverReply(s, w.ticket, int(n));
      }
    }
  }

  // ---------------------------------------------------------------- REPLICAOF

  /** Resolves a REPLICAOF target to a declared server: by name, or by host and port. */
  resolveServer(host: string, port: number): ServerState | undefined {
    const byName = this.state.servers[host];
    if (byName) return byName;
    return Object.values(this.state.servers).find((x) => x.host === host && x.port === port);
  }

  private replicaofCommand(s: ServerState, argv: string[]): Reply {
    const host = argv[1]!;
    const portArg = argv[2]!;
    if (host.toLowerCase() === 'no' && portArg.toLowerCase() === 'one') {
      if (s.masterhost) {
        this.replicationUnsetMaster(s);
        this.log(
          s,
          'notice',
          `MASTER MODE enabled (user request from '${this.clientInfo(s, argv)}')`,
        );
      }
      return OK;
    }
    const port = parseStrictInt(portArg);
    if (port === null || port < 0 || port > 65535) return err('ERR Invalid master port');
    // A declared server's name stands for its address.
    const target = this.state.servers[host];
    const mhost = target ? target.host : host;
    const mport = target && port === target.port ? target.port : port;
    if (s.masterhost === mhost && s.masterport === mport) {
      this.log(
        s,
        'notice',
        'REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.',
      );
      return status('OK Already connected to specified master');
    }
    const fiveO = this.state.version === '5.0';
    this.replicationSetMaster(s, mhost, mport);
    this.log(
      s,
      'notice',
      `REPLICAOF ${mhost}:${mport} enabled (user request from '${this.clientInfo(s, argv)}')`,
    );
    if (fiveO) {
      // 5.0 connects from replicationCron, up to a second later.
    }
    return OK;
  }

  /** The CLIENT LIST line Redis puts in "user request from '…'". */
  private clientInfo(s: ServerState, argv: string[]): string {
    const id = this.state.nextClientId++;
    const cport = 40000 + nextInt(this.state.rng, 0, 20000);
    const qbuf = respLength(argv);
    const argvMem = argv.reduce((n, a) => n + a.length, 0) - argv[0]!.length;
    if (this.state.version === '5.0') {
      return `id=${id} addr=${s.host}:${cport} fd=8 name= age=0 idle=0 flags=N db=${s.client.db} sub=0 psub=0 multi=-1 qbuf=${qbuf} qbuf-free=${32768 - qbuf} obl=0 oll=0 omem=0 events=r cmd=${argv[0]!.toLowerCase()}`;
    }
    return `id=${id} addr=${s.host}:${cport} laddr=${s.host}:${s.port} fd=8 name= age=0 idle=0 flags=N db=${s.client.db} sub=0 psub=0 ssub=0 multi=-1 qbuf=${qbuf} qbuf-free=${20474 - qbuf} argv-mem=${argvMem} multi-mem=0 rbs=16384 rbp=16384 obl=0 oll=0 omem=0 tot-mem=${37634 + qbuf} events=r cmd=${argv[0]!.toLowerCase()} user=default redir=-1 resp=2`;
  }

  /** replicationSetMaster. */
  private replicationSetMaster(s: ServerState, host: string, port: number): void {
    const wasMaster = s.masterhost === null;
    s.masterhost = null; // so the next lines log with role M, as Redis does
    if (s.master) this.freeMasterClient(s, 'lost');
    s.masterhost = host;
    s.masterport = port;
    this.cancelReplicationHandshake(s, false);
    if (wasMaster) {
      this.replicationDiscardCachedMaster(s);
      this.replicationCacheMasterUsingMyself(s);
    }
    this.setReplState(s, 'connect');
    if (this.state.version === '7.0') {
      this.log(s, 'notice', `Connecting to MASTER ${host}:${port}`);
      this.connectWithMaster(s);
    }
  }

  /** replicationUnsetMaster (REPLICAOF NO ONE). */
  private replicationUnsetMaster(s: ServerState): void {
    s.masterhost = null;
    if (s.master) this.freeMasterClient(s, 'lost');
    this.replicationDiscardCachedMaster(s);
    this.cancelReplicationHandshake(s, false);
    this.shiftReplicationId(s);
    this.disconnectSlaves(s);
    this.setReplState(s, 'none');
    s.slaveseldb = -1;
    s.repl_no_slaves_since = this.unixtime();
    s.repl_down_since = 0;
  }

  private shiftReplicationId(s: ServerState): void {
    s.replid2 = s.replid;
    s.second_replid_offset = s.master_repl_offset + 1;
    s.replid = nextHex40(this.state.rng);
    this.log(
      s,
      'warning',
      `Setting secondary replication ID to ${s.replid2}, valid up to offset: ${s.second_replid_offset}. New replication ID is ${s.replid}`,
    );
  }

  /** replicationCacheMasterUsingMyself: a master turning replica may still PSYNC. */
  private replicationCacheMasterUsingMyself(s: ServerState): void {
    s.master_initial_offset = s.master_repl_offset;
    s.cached_master = {
      connId: null,
      replid: s.replid,
      reploff: s.master_repl_offset,
      db: -1,
      multi: null,
      lastInteraction: this.unixtime(),
    };
    this.log(
      s,
      'notice',
      this.state.version === '5.0'
        ? 'Before turning into a replica, using my master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.'
        : 'Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.',
    );
  }

  private replicationDiscardCachedMaster(s: ServerState): void {
    if (!s.cached_master) return;
    this.log(s, 'notice', 'Discarding previously cached master state.');
    s.cached_master = null;
  }

  private setReplState(s: ServerState, st: ReplState): void {
    if (s.repl_state === st) return;
    const before = s.repl_state;
    s.repl_state = st;
    this.emit({ type: 'replState', server: s.name, before, after: st, at: this.state.now });
  }

  private setOffset(s: ServerState, off: number): void {
    const before = s.master_repl_offset;
    if (before === off) return;
    s.master_repl_offset = off;
    this.emit({ type: 'offset', server: s.name, before, after: off, at: this.state.now });
  }

  // ---------------------------------------------------------------- network

  /** Cut or restore a server's network. */
  setNet(server: string, up: boolean, silent: boolean): void {
    const s = this.server(server);
    const st = up ? 'up' : silent ? 'silent' : 'down';
    this.state.net[server] = st;
    this.emit({ type: 'net', server, state: st, at: this.state.now });
    if (st === 'up') return;
    for (const c of Object.values(this.state.conns)) {
      if (c.state === 'closed' || (c.from !== server && c.to !== server)) continue;
      if (st === 'silent') c.blackholed = true;
      else this.closeConn(c, 'reset');
    }
    this.afterEvent(s);
  }

  netState(server: string): 'up' | 'down' | 'silent' {
    return this.state.net[server] ?? 'up';
  }

  private linkCut(a: string, b: string): 'up' | 'down' | 'silent' {
    const na = this.netState(a);
    const nb = this.netState(b);
    if (na === 'down' || nb === 'down') return 'down';
    if (na === 'silent' || nb === 'silent') return 'silent';
    return 'up';
  }

  /** connectWithMaster. */
  private connectWithMaster(s: ServerState): void {
    const target = this.resolveServer(s.masterhost!, s.masterport);
    const conn: Conn = {
      id: this.state.nextConnId++,
      from: s.name,
      to: target ? target.name : `${s.masterhost}:${s.masterport}`,
      state: 'connecting',
      blackholed: false,
      busyToMaster: 0,
      busyToReplica: 0,
    };
    this.state.conns[conn.id] = conn;
    s.repl_transfer_s = conn.id;
    s.repl_transfer_lastio = this.unixtime();
    this.setReplState(s, 'connecting');
    this.log(s, 'notice', 'MASTER <-> REPLICA sync started');
    const cut = target ? this.linkCut(s.name, target.name) : 'down';
    const rtt = 2 * this.state.latencyMs;
    if (cut === 'silent') {
      // The SYN vanishes. TCP retransmits it after 1, 2, 4… s; one may get through once the
      // network is back. Otherwise only repl-timeout notices.
      conn.blackholed = true;
      this.schedule(this.state.now + 1000, { t: 'synRetry', conn: conn.id, attempt: 1 });
    } else if (cut === 'down' || !target || !target.alive) {
      this.schedule(this.state.now + rtt, { t: 'refused', conn: conn.id });
    } else {
      this.schedule(this.state.now + rtt, { t: 'connected', conn: conn.id });
    }
  }

  private closeConn(c: Conn, why: 'reset' | 'close'): void {
    if (c.state === 'closed') return;
    c.state = 'closed';
    const replica = this.state.servers[c.from];
    const master = this.state.servers[c.to];
    if (master) this.masterConnClosed(master, c.id, why === 'reset');
    if (replica) this.replicaConnClosed(replica, c.id);
    delete this.state.conns[c.id];
  }

  /** Sends a message on a connection; it arrives after latency plus its transmission time. */
  private send(
    c: Conn,
    dir: 'toMaster' | 'toReplica',
    msg: ToMaster | ToReplica,
    bytes: number,
  ): number {
    const now = this.state.now;
    const bps = this.state.bytesPerSec;
    const busy = dir === 'toMaster' ? c.busyToMaster : c.busyToReplica;
    const start = Math.max(now, busy);
    const finish = bps ? start + (bytes * 1000) / bps : start;
    if (dir === 'toMaster') c.busyToMaster = finish;
    else c.busyToReplica = finish;
    const arrive = finish + this.state.latencyMs;
    const id = this.state.nextMsgId++;
    const from = dir === 'toMaster' ? c.from : c.to;
    const to = dir === 'toMaster' ? c.to : c.from;
    if (this.listeners.length === 0) {
      if (!c.blackholed) {
        if (dir === 'toMaster')
          this.schedule(arrive, { t: 'toMaster', conn: c.id, msg: msg as ToMaster, msgId: id });
        else
          this.schedule(arrive, { t: 'toReplica', conn: c.id, msg: msg as ToReplica, msgId: id });
      }
      return finish;
    }
    const [kind, label, commands] = describeMessage(msg);
    this.emit({
      type: 'message',
      id,
      conn: c.id,
      from,
      to,
      kind,
      label,
      bytes,
      sendAt: now,
      finishAt: finish,
      arriveAt: arrive,
      ...(commands ? { commands } : {}),
    });
    if (c.blackholed) {
      this.emit({ type: 'dropped', id, at: now + this.state.latencyMs / 2 });
      return finish;
    }
    if (dir === 'toMaster')
      this.schedule(arrive, { t: 'toMaster', conn: c.id, msg: msg as ToMaster, msgId: id });
    else this.schedule(arrive, { t: 'toReplica', conn: c.id, msg: msg as ToReplica, msgId: id });
    return finish;
  }

  // ---------------------------------------------------------------- dispatch

  private dispatch(ev: QueuedEvent): void {
    switch (ev.t) {
      case 'cron': {
        const s = this.state.servers[ev.server];
        if (!s || !s.alive || s.pid !== ev.pid) return;
        this.replicationCron(s);
        this.schedule(this.state.now + 1000, ev);
        this.afterEvent(s);
        return;
      }
      case 'connected':
      case 'refused': {
        const c = this.state.conns[ev.conn];
        if (!c || c.state !== 'connecting') return;
        const s = this.state.servers[c.from]!;
        if (ev.t === 'refused' || c.blackholed) {
          if (ev.t === 'refused') {
            c.state = 'closed';
            delete this.state.conns[c.id];
            this.log(s, 'warning', 'Error condition on socket for SYNC: Connection refused');
            s.repl_transfer_s = null;
            this.setReplState(s, 'connect');
          }
          return;
        }
        c.state = 'open';
        const m = this.state.servers[c.to];
        if (m)
          m.pending.push({
            connId: c.id,
            clientId: m.next_client_id++,
            ip: s.host,
            listeningPort: null,
            capaEof: false,
            capaPsync2: false,
          });
        this.syncWithMaster(s, c, null);
        this.afterEvent(s);
        return;
      }
      case 'synRetry': {
        const c = this.state.conns[ev.conn];
        if (!c || c.state !== 'connecting') return;
        const target = this.state.servers[c.to];
        const cut = target ? this.linkCut(c.from, c.to) : 'down';
        if (cut === 'silent') {
          if (ev.attempt < 6)
            this.schedule(this.state.now + 1000 * 2 ** ev.attempt, {
              t: 'synRetry',
              conn: c.id,
              attempt: ev.attempt + 1,
            });
          return;
        }
        c.blackholed = false;
        const rtt = 2 * this.state.latencyMs;
        const ok = cut === 'up' && !!target && target.alive;
        this.schedule(this.state.now + rtt, { t: ok ? 'connected' : 'refused', conn: c.id });
        return;
      }
      case 'toMaster': {
        const c = this.state.conns[ev.conn];
        if (!c || c.state !== 'open') return;
        if (c.blackholed) {
          this.emit({ type: 'dropped', id: ev.msgId, at: this.state.now });
          return;
        }
        const m = this.state.servers[c.to];
        if (!m || !m.alive) return;
        this.masterReceive(m, c, ev.msg);
        this.afterEvent(m);
        return;
      }
      case 'toReplica': {
        const c = this.state.conns[ev.conn];
        if (!c || c.state !== 'open') return;
        if (c.blackholed) {
          this.emit({ type: 'dropped', id: ev.msgId, at: this.state.now });
          return;
        }
        const s = this.state.servers[c.from];
        if (!s || !s.alive) return;
        this.replicaReceive(s, c, ev.msg);
        this.afterEvent(s);
        return;
      }
      case 'childDone': {
        const s = this.state.servers[ev.server];
        if (!s || !s.child || s.child.pid !== ev.pid) return;
        this.childDone(s);
        this.afterEvent(s);
        return;
      }
      case 'bgsaveNoticed': {
        const s = this.state.servers[ev.server];
        if (!s || !s.child || s.child.pid !== ev.pid) return;
        this.backgroundSaveDoneHandler(s);
        this.afterEvent(s);
        return;
      }
      case 'sendDone': {
        const s = this.state.servers[ev.server];
        if (!s) return;
        const r = s.slaves.find((x) => x.connId === ev.conn);
        if (r && r.replstate === 'send_bulk') {
          this.replicaPutOnline(s, r);
          this.replicaStartCommandStream(s, r);
        }
        this.afterEvent(s);
        return;
      }
      case 'expire': {
        const s = this.state.servers[ev.server];
        if (!s || !s.alive || s.pid !== ev.pid) return;
        if (!s.masterhost) {
          const gone = activeExpire(s.keyspace, this.mstime());
          for (const [db, key] of gone) this.replicationFeedSlaves(s, db, ['DEL', key]);
          if (gone.length)
            this.emit({
              type: 'keyspace',
              server: s.name,
              keys: gone.map((g) => g[1]),
              at: this.state.now,
            });
        }
        this.scheduleExpire(s);
        this.afterEvent(s);
        return;
      }
      case 'waitTimeout': {
        const s = this.state.servers[ev.server];
        if (!s) return;
        const w = s.waits.find((x) => x.ticket === ev.ticket);
        if (!w) return;
        s.waits = s.waits.filter((x) => x !== w);
        this.deliverReply(s, w.ticket, int(this.replicationCountAcksByOffset(s, w.woff)));
        return;
      }
    }
  }

  /** Active expiry runs in serverCron (10 Hz); the key goes at the first tick after it expires. */
  private scheduleExpire(s: ServerState): void {
    if (s.masterhost) return;
    const at = nextExpireAt(s.keyspace);
    if (at === null) return;
    const simAt = at - this.state.wallStartMs;
    const ticks = Math.max(0, Math.ceil((simAt - s.startedAt - 1) / 100));
    const when = Math.max(this.state.now, s.startedAt + 1 + ticks * 100);
    this.schedule(when, { t: 'expire', server: s.name, pid: s.pid });
  }

  /** beforeSleep: write pending replication data to replicas, send GETACK, serve WAIT. */
  private afterEvent(s: ServerState): void {
    if (s.getAckFromSlaves && s.slaves.length > 0) {
      s.getAckFromSlaves = false;
      this.replicationFeedSlaves(s, s.slaveseldb, ['REPLCONF', 'GETACK', '*']);
    }
    s.getAckFromSlaves = false;
    this.flushSlaves(s);
    this.processClientsWaitingReplicas(s);
  }

  private flushSlaves(s: ServerState): void {
    for (const r of s.slaves) {
      if (r.replstate !== 'online' || !r.streaming) continue;
      if (r.sentOffset >= s.master_repl_offset) continue;
      const entries = this.entriesFrom(s, r.sentOffset + 1);
      const c = this.state.conns[r.connId];
      if (!c) {
        // The other end is gone without a word (silent cut): the bytes still leave, and vanish.
        r.sentOffset = s.master_repl_offset;
        const was = r.refBlock;
        r.refBlock = lastBlockId(s);
        if (was !== r.refBlock && s.backlog && this.state.version === '7.0')
          this.incrementalTrimReplicationBacklog(s, s.master_repl_offset);
        continue;
      }
      const bytes = s.master_repl_offset - r.sentOffset;
      r.sentOffset = s.master_repl_offset;
      const before = r.refBlock;
      r.refBlock = lastBlockId(s);
      this.send(c, 'toReplica', { k: 'STREAM', entries }, bytes);
      // networking.c _writeToClient: a replica moving on to the next block lets the backlog trim.
      if (before !== r.refBlock && s.backlog && this.state.version === '7.0')
        this.incrementalTrimReplicationBacklog(s, s.master_repl_offset);
    }
  }

  private entriesFrom(s: ServerState, off: number): StreamEntry[] {
    const es = s.buffer.entries;
    let lo = 0;
    let hi = es.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (es[mid]!.off < off) lo = mid + 1;
      else hi = mid;
    }
    return es.slice(lo).map((e) => ({ off: e.off, len: e.len, argv: e.argv }));
  }

  // ---------------------------------------------------------------- replication stream (master)

  /** replicationFeedSlaves: what a master appends to its stream for a write in `dictid`. */
  private replicationFeedSlaves(s: ServerState, dictid: number, argv: string[]): void {
    if (s.masterhost) return;
    if (!s.backlog && s.slaves.length === 0) return;
    if (dictid >= 0 && s.slaveseldb !== dictid) {
      this.feedReplicationBuffer(s, [{ argv: ['SELECT', String(dictid)] }]);
      s.slaveseldb = dictid;
    }
    this.feedReplicationBuffer(s, [{ argv }]);
  }

  /**
   * feedReplicationBuffer: appends commands to the shared replication buffer (7.0) or ring
   * backlog (5.0), advancing master_repl_offset. `off`/`len` of the entries are (re)computed.
   */
  private feedReplicationBuffer(s: ServerState, entries: ReadonlyArray<{ argv: string[] }>): void {
    if (!s.backlog) return;
    for (const e of entries) {
      const len = respLength(e.argv);
      const entry: StreamEntry = { off: s.master_repl_offset + 1, len, argv: e.argv };
      const startBlock = this.feedBytes(s, len);
      s.buffer.entries.push(entry);
      // Replicas waiting for their BGSAVE start referencing the buffer from their first byte.
      for (const r of s.slaves) {
        if (r.replstate === 'wait_bgsave_start') continue;
        if (r.refBlock === null) r.refBlock = startBlock;
      }
      this.setOffset(s, s.master_repl_offset + len);
    }
  }

  /** The block accounting of feedReplicationBuffer + incrementalTrimReplicationBacklog. */
  private feedBytes(s: ServerState, len0: number): number {
    const b = s.backlog!;
    const buf = s.buffer;
    let len = len0;
    let startBlock = -1;
    if (this.state.version === '5.0') {
      // 5.0: a ring of exactly repl-backlog-size bytes.
      b.histlen = Math.min(b.histlen + len, s.config['repl-backlog-size']);
      b.offset = s.master_repl_offset + len - b.histlen + 1;
      this.trimEntries(s, b.offset);
      return 0;
    }
    const tail = buf.blocks[buf.blocks.length - 1];
    if (tail && tail.size > tail.used) {
      startBlock = tail.id;
      const copy = Math.min(tail.size - tail.used, len);
      tail.used += copy;
      len -= copy;
    }
    let replOffset = s.master_repl_offset + (len0 - len) + 1;
    while (len > 0) {
      const limit = Math.max(
        Math.floor(s.config['repl-backlog-size'] / 16),
        PROTO_REPLY_CHUNK_BYTES,
      );
      const want = Math.min(Math.max(len, PROTO_REPLY_CHUNK_BYTES), limit);
      const size = jemallocUsable(want + REPL_BUF_BLOCK_HEADER) - REPL_BUF_BLOCK_HEADER;
      const copy = Math.min(size, len);
      const block = { id: buf.nextBlockId++, replOffset, size, used: copy };
      buf.blocks.push(block);
      if (startBlock < 0) startBlock = block.id;
      replOffset += copy;
      len -= copy;
    }
    b.histlen += len0;
    // Redis 7.0.15 trims after every write to the buffer (observed: a backlog of two blocks is
    // trimmed as soon as the second alone holds more than repl-backlog-size), not only when a
    // block is added.
    this.incrementalTrimReplicationBacklog(s, s.master_repl_offset + len0);
    return startBlock;
  }

  /** incrementalTrimReplicationBacklog: drop whole blocks only the backlog still references. */
  private incrementalTrimReplicationBacklog(s: ServerState, masterOffset: number): void {
    const b = s.backlog!;
    const buf = s.buffer;
    let trimmed = 0;
    while (b.histlen > s.config['repl-backlog-size'] && trimmed < 64) {
      if (buf.blocks.length <= 1) break;
      const first = buf.blocks[0]!;
      if (s.slaves.some((r) => r.refBlock === first.id)) break;
      if (b.histlen - first.size <= s.config['repl-backlog-size']) break;
      buf.blocks.shift();
      b.histlen -= first.size;
      trimmed++;
    }
    b.offset = masterOffset - b.histlen + 1;
    this.trimEntries(s, b.offset);
  }

  /** Forget entries that ended before `offset` (nobody can ask for them any more). */
  private trimEntries(s: ServerState, offset: number): void {
    const es = s.buffer.entries;
    let k = 0;
    while (k < es.length && es[k]!.off + es[k]!.len - 1 < offset) k++;
    if (k > 0) es.splice(0, k);
  }

  private createReplicationBacklog(s: ServerState): void {
    s.backlog = { offset: s.master_repl_offset + 1, histlen: 0 };
    s.buffer = { blocks: [], nextBlockId: s.buffer.nextBlockId, entries: [] };
  }

  private freeReplicationBacklog(s: ServerState): void {
    s.backlog = null;
    s.buffer = { blocks: [], nextBlockId: s.buffer.nextBlockId, entries: [] };
    for (const r of s.slaves) r.refBlock = null;
  }

  /** resizeReplicationBacklog (CONFIG SET repl-backlog-size). */
  private resizeReplicationBacklog(s: ServerState): void {
    if (s.config['repl-backlog-size'] < CONFIG_REPL_BACKLOG_MIN_SIZE)
      s.config['repl-backlog-size'] = CONFIG_REPL_BACKLOG_MIN_SIZE;
    if (!s.backlog) return;
    if (this.state.version === '5.0') {
      s.backlog = { offset: s.master_repl_offset + 1, histlen: 0 };
      s.buffer.entries = [];
      return;
    }
    this.incrementalTrimReplicationBacklog(s, s.master_repl_offset);
  }

  /** The backlog bytes from `offset` on, as commands (addReplyReplicationBacklog). */
  backlogEntries(server: string, offset: number): StreamEntry[] {
    return this.entriesFrom(this.server(server), offset);
  }

  // ---------------------------------------------------------------- master side

  private masterReceive(m: ServerState, c: Conn, msg: ToMaster): void {
    const pend = m.pending.find((p) => p.connId === c.id);
    const slave = m.slaves.find((r) => r.connId === c.id);
    switch (msg.k) {
      case 'PING':
        this.send(c, 'toReplica', { k: 'PONG' }, 7);
        return;
      case 'REPLCONF':
        if (pend) {
          pend.listeningPort = msg.listeningPort;
          pend.capaEof = msg.capa.includes('eof');
          pend.capaPsync2 = msg.capa.includes('psync2');
        }
        this.send(c, 'toReplica', { k: 'OK' }, 5);
        if (msg.capa.length) this.send(c, 'toReplica', { k: 'OK' }, 5);
        return;
      case 'PSYNC':
        if (pend) this.syncCommand(m, c, pend, msg.replid, msg.offset);
        return;
      case 'ACK':
        if (!slave) return;
        if (msg.offset > slave.replAckOff) slave.replAckOff = msg.offset;
        slave.replAckTime = this.state.now;
        slave.lastInteraction = this.unixtime();
        if (!slave.streaming && slave.replstate === 'online')
          this.replicaStartCommandStream(m, slave);
        return;
    }
  }

  /** syncCommand (PSYNC replid offset). */
  private syncCommand(
    m: ServerState,
    c: Conn,
    pend: PendingClient,
    replid: string,
    offset: number,
  ): void {
    const replicaName = c.from;
    if (m.masterhost && m.repl_state !== 'connected') {
      const text = "NOMASTERLINK Can't SYNC while not connected with my master";
      this.emitPsync(m, replicaName, replid, offset, [], 'nomasterlink', `-${text}`, 0);
      this.send(c, 'toReplica', { k: 'ERR', text }, text.length + 3);
      return;
    }
    const name = `${pend.ip}:${pend.listeningPort ?? '<unknown-replica-port>'}`;
    this.log(m, 'notice', `Replica ${name} asks for synchronization`);
    m.pending = m.pending.filter((p) => p.connId !== c.id);
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
      replAckTime: this.state.now,
      psyncInitialOffset: 0,
      sentOffset: 0,
      refBlock: null,
      streaming: false,
      lastInteraction: this.unixtime(),
    };
    const { ok, checks } = this.masterTryPartialResynchronization(m, r, replid, offset);
    if (ok) {
      m.stat_sync_partial_ok++;
      return;
    }
    if (replid !== '?') m.stat_sync_partial_err++;
    // Full resynchronization.
    m.stat_sync_full++;
    m.slaves.push(r);
    this.emit({
      type: 'slaveState',
      master: m.name,
      replica: replicaName,
      state: 'wait_bgsave_start',
      at: this.state.now,
    });
    if (m.slaves.length === 1 && !m.backlog) {
      m.replid = nextHex40(this.state.rng);
      m.replid2 = ZERO_REPLID;
      m.second_replid_offset = -1;
      this.createReplicationBacklog(m);
      if (this.state.version === '7.0')
        this.log(
          m,
          'notice',
          `Replication backlog created, my new replication IDs are '${m.replid}' and '${m.replid2}'`,
        );
    }
    this.emitPsync(m, replicaName, replid, offset, checks, 'fullresync', '+FULLRESYNC', 0);
    const child = m.child;
    if (child && child.target === 'disk') {
      const other = m.slaves.find((x) => x !== r && x.replstate === 'wait_bgsave_end');
      if (other) {
        r.sentOffset = other.sentOffset;
        r.refBlock = other.refBlock;
        this.replicationSetupSlaveForFullResync(m, r, other.psyncInitialOffset);
        this.log(m, 'notice', 'Waiting for end of BGSAVE for SYNC');
      } else {
        this.log(
          m,
          'notice',
          "Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC",
        );
      }
    } else if (child) {
      this.log(m, 'notice', 'Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC');
    } else if (
      m.config['repl-diskless-sync'] &&
      r.capaEof &&
      m.config['repl-diskless-sync-delay'] > 0
    ) {
      this.log(m, 'notice', 'Delay next BGSAVE for diskless SYNC');
    } else {
      this.startBgsaveForReplication(m);
    }
  }

  private emitPsync(
    m: ServerState,
    replica: string,
    replid: string,
    offset: number,
    checks: PsyncCheck[],
    result: 'continue' | 'fullresync' | 'nomasterlink',
    reply: string,
    bytes: number,
  ): void {
    this.emit({
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
      at: this.state.now,
    });
  }

  /** masterTryPartialResynchronization. */
  private masterTryPartialResynchronization(
    m: ServerState,
    r: SlaveClient,
    replid: string,
    psyncOffset: number,
  ): { ok: boolean; checks: PsyncCheck[] } {
    const checks: PsyncCheck[] = [];
    const check = (id: PsyncCheck['id'], ok: boolean, reason: PsyncReason): void => {
      checks.push({ id, ok, reason, detail: describePsyncReason(reason) });
    };
    const idMatches = replid.toLowerCase() === m.replid;
    const id2Matches = replid.toLowerCase() === m.replid2 && psyncOffset <= m.second_replid_offset;
    if (!idMatches && !id2Matches) {
      if (replid === '?') {
        check('replid', false, { k: 'no-replid' });
        this.log(m, 'notice', `Full resync requested by replica ${r.name}`);
      } else if (replid.toLowerCase() !== m.replid2) {
        check('replid', false, { k: 'replid-mismatch', replid, id1: m.replid, id2: m.replid2 });
        this.log(
          m,
          'notice',
          `Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${replid}', my replication IDs are '${m.replid}' and '${m.replid2}')`,
        );
      } else {
        check('replid', false, {
          k: 'replid2-too-far',
          offset: psyncOffset,
          second: m.second_replid_offset,
        });
        this.log(
          m,
          'notice',
          `Partial resynchronization not accepted: Requested offset for second ID was ${psyncOffset}, but I can reply up to ${m.second_replid_offset}`,
        );
      }
      return { ok: false, checks };
    }
    check(
      'replid',
      true,
      idMatches
        ? { k: 'replid-match' }
        : { k: 'replid2-match', offset: psyncOffset, second: m.second_replid_offset },
    );
    const b = m.backlog;
    check('backlog', !!b, { k: 'backlog', exists: !!b });
    const inRange = !!b && psyncOffset >= b.offset && psyncOffset <= b.offset + b.histlen;
    if (b)
      check(
        'range',
        inRange,
        inRange
          ? { k: 'in-range', offset: psyncOffset, first: b.offset, last: b.offset + b.histlen }
          : psyncOffset < b.offset
            ? { k: 'before-backlog', offset: psyncOffset, first: b.offset }
            : { k: 'after-backlog', offset: psyncOffset, last: b.offset + b.histlen },
      );
    if (!b || !inRange) {
      this.log(
        m,
        'notice',
        `Unable to partial resync with replica ${r.name} for lack of backlog (Replica request was: ${psyncOffset}).`,
      );
      if (psyncOffset > m.master_repl_offset)
        this.log(
          m,
          'warning',
          `Warning: replica ${r.name} tried to PSYNC with an offset that is greater than the master replication offset.`,
        );
      return { ok: false, checks };
    }
    // Accepted.
    r.replstate = 'online';
    r.replAckTime = this.state.now;
    r.streaming = true;
    r.sentOffset = psyncOffset - 1;
    m.slaves.push(r);
    const c = this.state.conns[r.connId]!;
    const line = r.capaPsync2 ? `+CONTINUE ${m.replid}` : '+CONTINUE';
    this.send(
      c,
      'toReplica',
      { k: 'CONTINUE', replid: r.capaPsync2 ? m.replid : null },
      line.length + 2,
    );
    const psyncLen = b.histlen === 0 ? 0 : m.master_repl_offset - psyncOffset + 1;
    this.log(
      m,
      'notice',
      `Partial resynchronization request from ${r.name} accepted. Sending ${psyncLen} bytes of backlog starting from offset ${psyncOffset}.`,
    );
    this.emitPsync(m, c.from, replid, psyncOffset, checks, 'continue', line, psyncLen);
    this.emit({
      type: 'slaveState',
      master: m.name,
      replica: c.from,
      state: 'online',
      at: this.state.now,
    });
    this.flushSlaves(m);
    return { ok: true, checks };
  }

  /** startBgsaveForReplication. */
  private startBgsaveForReplication(m: ServerState): void {
    const waiting = m.slaves.filter((r) => r.replstate === 'wait_bgsave_start');
    const socket = m.config['repl-diskless-sync'] && waiting.every((r) => r.capaEof);
    this.log(
      m,
      'notice',
      `Starting BGSAVE for SYNC with target: ${socket ? 'replicas sockets' : 'disk'}`,
    );
    const pid = this.state.nextPid;
    this.state.nextPid += nextInt(this.state.rng, 3, 60);
    if (socket) {
      for (const r of waiting) this.replicationSetupSlaveForFullResync(m, r, m.master_repl_offset);
      this.log(m, 'notice', `Background RDB transfer started by pid ${pid}`);
    } else {
      this.log(m, 'notice', `Background saving started by pid ${pid}`);
      for (const r of waiting) this.replicationSetupSlaveForFullResync(m, r, m.master_repl_offset);
    }
    const rdb = this.makeRdb(m);
    // The child's own time: ~2 ms, plus rdb-key-save-delay µs per key.
    const saveMs =
      CHILD_SAVE_MS + (keyCount(rdb.keyspace) * Math.max(0, m.config['rdb-key-save-delay'])) / 1000;
    m.child = {
      pid,
      target: socket ? 'socket' : 'disk',
      rdb,
      doneAt: this.state.now + saveMs,
    };
    this.emit({
      type: 'bgsave',
      server: m.name,
      phase: 'start',
      target: socket ? 'socket' : 'disk',
      at: this.state.now,
    });
    if (socket) {
      // The child writes the RDB into a pipe the parent forwards to every replica socket.
      let finish = this.state.now + saveMs;
      for (const r of waiting) {
        const c = this.state.conns[r.connId];
        if (!c) continue;
        const header = `$EOF:${'0'.repeat(40)}\r\n`.length;
        this.send(c, 'toReplica', { k: 'RDB_HEADER', eof: true, size: rdb.size }, header);
        const f = this.send(c, 'toReplica', { k: 'RDB', rdb, eof: true }, rdb.size + 40);
        finish = Math.max(finish, f);
      }
      m.child.doneAt = finish;
    }
    this.schedule(m.child.doneAt, { t: 'childDone', server: m.name, pid });
  }

  private makeRdb(s: ServerState): RdbImage {
    const replStreamDb = s.masterhost
      ? (s.master?.db ?? 0)
      : s.slaveseldb === -1
        ? 0
        : s.slaveseldb;
    const info = {
      replId: s.replid,
      replOffset: s.master_repl_offset,
      replStreamDb,
      ctimeSec: this.unixtime(),
      usedMem: 1_000_000,
    };
    return {
      keyspace: cloneKeyspace(s.keyspace),
      replid: s.replid,
      replOffset: s.master_repl_offset,
      replStreamDb,
      size: rdbPayloadSize(s.keyspace, info),
      ctimeMs: this.wallMs(),
    };
  }

  /** replicationSetupSlaveForFullResync: +FULLRESYNC, and SELECT again in the stream. */
  private replicationSetupSlaveForFullResync(m: ServerState, r: SlaveClient, offset: number): void {
    r.psyncInitialOffset = offset;
    r.sentOffset = offset;
    r.replstate = 'wait_bgsave_end';
    m.slaveseldb = -1;
    const c = this.state.conns[r.connId];
    const line = `+FULLRESYNC ${m.replid} ${offset}`;
    if (c)
      this.send(c, 'toReplica', { k: 'FULLRESYNC', replid: m.replid, offset }, line.length + 2);
    this.emit({
      type: 'slaveState',
      master: m.name,
      replica: c?.from ?? r.name,
      state: 'wait_bgsave_end',
      at: this.state.now,
    });
  }

  /** The fork child finished writing. */
  private childDone(m: ServerState): void {
    const child = m.child!;
    const v = this.state.version;
    const cow =
      v === '7.0'
        ? 'Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB'
        : 'RDB: 0 MB of memory used by copy-on-write';
    if (child.target === 'disk') {
      this.logAs(m, 'C', 'notice', 'DB saved on disk', child.pid);
      this.logAs(m, 'C', 'notice', cow, child.pid);
      m.rdbOnDisk = child.rdb;
      // The parent notices the child's exit in serverCron (10 Hz).
      const ticks = Math.ceil((this.state.now - m.startedAt - 1) / 100 + 1e-9);
      this.schedule(m.startedAt + 1 + ticks * 100, {
        t: 'bgsaveNoticed',
        server: m.name,
        pid: child.pid,
      });
      return;
    }
    this.logAs(m, 'C', 'notice', cow, child.pid);
    const up = m.slaves.filter((r) => r.replstate === 'wait_bgsave_end').length;
    this.log(
      m,
      'warning',
      `Diskless rdb transfer, done reading from pipe, ${up} replicas still up.`,
    );
    this.backgroundSaveDoneHandler(m);
  }

  /** backgroundSaveDoneHandler → updateSlavesWaitingBgsave. */
  private backgroundSaveDoneHandler(m: ServerState): void {
    const child = m.child!;
    m.child = null;
    this.log(
      m,
      'notice',
      child.target === 'disk'
        ? 'Background saving terminated with success'
        : 'Background RDB transfer terminated with success',
    );
    this.emit({
      type: 'bgsave',
      server: m.name,
      phase: 'end',
      target: child.target,
      at: this.state.now,
    });
    for (const r of m.slaves) {
      if (r.replstate !== 'wait_bgsave_end') continue;
      const c = this.state.conns[r.connId];
      if (child.target === 'socket') {
        this.log(
          m,
          'notice',
          `Streamed RDB transfer with replica ${r.name} succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming`,
        );
        this.replicaPutOnline(m, r);
        r.streaming = false; // repl_start_cmd_stream_on_ack
      } else if (c) {
        r.replstate = 'send_bulk';
        this.emit({
          type: 'slaveState',
          master: m.name,
          replica: c.from,
          state: 'send_bulk',
          at: this.state.now,
        });
        const pre = `$${child.rdb.size}\r\n`.length;
        this.send(c, 'toReplica', { k: 'RDB_HEADER', eof: false, size: child.rdb.size }, pre);
        const finish = this.send(
          c,
          'toReplica',
          { k: 'RDB', rdb: child.rdb, eof: false },
          child.rdb.size,
        );
        if (finish <= this.state.now) {
          this.replicaPutOnline(m, r);
          this.replicaStartCommandStream(m, r);
        } else
          this.schedule(finish, { t: 'sendDone', server: m.name, conn: r.connId, what: 'bulk' });
      }
    }
    // Replicas that arrived during this BGSAVE and could not attach get the next one.
    if (
      m.slaves.some((r) => r.replstate === 'wait_bgsave_start') &&
      !m.config['repl-diskless-sync']
    )
      this.startBgsaveForReplication(m);
  }

  private replicaPutOnline(m: ServerState, r: SlaveClient): void {
    r.replstate = 'online';
    r.replAckTime = this.state.now;
    this.log(m, 'notice', `Synchronization with replica ${r.name} succeeded`);
    const c = this.state.conns[r.connId];
    this.emit({
      type: 'slaveState',
      master: m.name,
      replica: c?.from ?? r.name,
      state: 'online',
      at: this.state.now,
    });
  }

  private replicaStartCommandStream(m: ServerState, r: SlaveClient): void {
    r.streaming = true;
    this.flushSlaves(m);
  }

  /** A connection to this server closed. */
  private masterConnClosed(m: ServerState, connId: number, reset = false): void {
    m.pending = m.pending.filter((p) => p.connId !== connId);
    const r = m.slaves.find((x) => x.connId === connId);
    if (!r) return;
    // After a reset the socket has no peer address left, so Redis names the client by its id.
    this.log(
      m,
      'warning',
      `Connection with replica ${reset ? `client id #${r.clientId}` : r.name} lost.`,
    );
    m.slaves = m.slaves.filter((x) => x !== r);
    const c = this.state.conns[connId];
    this.emit({
      type: 'slaveState',
      master: m.name,
      replica: c?.from ?? r.name,
      state: 'gone',
      at: this.state.now,
    });
    if (m.slaves.length === 0) m.repl_no_slaves_since = this.unixtime();
    if (m.backlog && this.state.version === '7.0')
      this.incrementalTrimReplicationBacklog(m, m.master_repl_offset);
  }

  private disconnectSlaves(s: ServerState): void {
    for (const r of [...s.slaves]) {
      const c = this.state.conns[r.connId];
      if (c) this.closeConn(c, 'close');
    }
  }

  // ---------------------------------------------------------------- replica side

  /** syncWithMaster: the handshake, one step per reply. */
  private syncWithMaster(s: ServerState, c: Conn, msg: ToReplica | null): void {
    const v5 = this.state.version === '5.0';
    switch (s.repl_state) {
      case 'connecting':
        this.log(s, 'notice', 'Non blocking connect for SYNC fired the event.');
        this.setReplState(s, 'receive_ping_reply');
        this.send(c, 'toMaster', { k: 'PING' }, 14);
        return;
      case 'receive_ping_reply':
        if (msg?.k !== 'PONG')
          return this.handshakeError(
            s,
            c,
            `Error reply to PING from master: '${describeMessage(msg!)[1]}'`,
          );
        this.log(s, 'notice', 'Master replied to PING, replication can continue...');
        if (v5) {
          this.setReplState(s, 'receive_port_reply');
          this.send(
            c,
            'toMaster',
            { k: 'REPLCONF', listeningPort: s.port, capa: [] },
            respLength(['REPLCONF', 'listening-port', String(s.port)]),
          );
        } else {
          this.setReplState(s, 'receive_port_reply');
          this.send(
            c,
            'toMaster',
            { k: 'REPLCONF', listeningPort: s.port, capa: ['eof', 'psync2'] },
            respLength(['REPLCONF', 'listening-port', String(s.port)]) +
              respLength(['REPLCONF', 'capa', 'eof', 'capa', 'psync2']),
          );
        }
        return;
      case 'receive_port_reply':
        if (msg?.k !== 'OK')
          this.log(
            s,
            'notice',
            `(Non critical) Master does not understand REPLCONF listening-port: ${describeMessage(msg!)[1]}`,
          );
        this.setReplState(s, 'receive_capa_reply');
        if (v5)
          this.send(
            c,
            'toMaster',
            { k: 'REPLCONF', listeningPort: s.port, capa: ['eof', 'psync2'] },
            respLength(['REPLCONF', 'capa', 'eof', 'capa', 'psync2']),
          );
        return;
      case 'receive_capa_reply':
        if (msg?.k !== 'OK')
          this.log(
            s,
            'notice',
            `(Non critical) Master does not understand REPLCONF capa: ${describeMessage(msg!)[1]}`,
          );
        this.setReplState(s, 'send_psync');
        this.slaveTryPartialResynchronizationWrite(s, c);
        this.setReplState(s, 'receive_psync_reply');
        return;
      case 'receive_psync_reply':
        if (msg) this.slaveTryPartialResynchronizationRead(s, c, msg);
        return;
      default:
        return;
    }
  }

  private handshakeError(s: ServerState, c: Conn, text: string): void {
    this.log(s, 'warning', text);
    c.state = 'closed';
    delete this.state.conns[c.id];
    const m = this.state.servers[c.to];
    if (m) this.masterConnClosed(m, c.id);
    s.repl_transfer_s = null;
    this.setReplState(s, 'connect');
  }

  private slaveTryPartialResynchronizationWrite(s: ServerState, c: Conn): void {
    s.master_initial_offset = -1;
    let replid = '?';
    let offset = -1;
    if (s.cached_master) {
      replid = s.cached_master.replid;
      offset = s.cached_master.reploff + 1;
      this.log(s, 'notice', `Trying a partial resynchronization (request ${replid}:${offset}).`);
    } else {
      this.log(s, 'notice', 'Partial resynchronization not possible (no cached master)');
    }
    s.psync_started_at = this.state.now;
    this.send(
      c,
      'toMaster',
      { k: 'PSYNC', replid, offset },
      respLength(['PSYNC', replid, String(offset)]),
    );
  }

  private slaveTryPartialResynchronizationRead(s: ServerState, c: Conn, msg: ToReplica): void {
    const v5 = this.state.version === '5.0';
    if (msg.k === 'FULLRESYNC') {
      s.master_initial_offset = msg.offset;
      s.transfer_replid = msg.replid;
      this.log(s, 'notice', `Full resync from master: ${msg.replid}:${msg.offset}`);
      if (v5) {
        this.replicationDiscardCachedMaster(s);
        this.disconnectSlaves(s);
        this.freeReplicationBacklog(s);
      }
      this.setReplState(s, 'transfer');
      s.repl_transfer_size = -1;
      s.repl_transfer_read = 0;
      s.repl_transfer_lastio = this.unixtime();
      return;
    }
    if (msg.k === 'CONTINUE') {
      this.log(s, 'notice', 'Successful partial resynchronization with master.');
      const cached = s.cached_master!;
      if (msg.replid && msg.replid !== cached.replid) {
        this.log(s, 'warning', `Master replication ID changed to ${msg.replid}`);
        s.replid2 = cached.replid;
        s.second_replid_offset = s.master_repl_offset + 1;
        s.replid = msg.replid;
        cached.replid = msg.replid;
        this.disconnectSlaves(s);
      }
      this.replicationResurrectCachedMaster(s, c);
      this.log(
        s,
        'notice',
        'MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.',
      );
      const m = this.state.servers[c.to];
      const bytes = m ? m.master_repl_offset - cached.reploff : 0;
      this.emit({
        type: 'resynced',
        master: c.to,
        replica: s.name,
        kind: 'partial',
        bytes: Math.max(0, bytes),
        startedAt: s.psync_started_at,
        at: this.state.now,
      });
      return;
    }
    if (msg.k === 'ERR') {
      if (msg.text.startsWith('NOMASTERLINK') || msg.text.startsWith('LOADING')) {
        this.log(
          s,
          'notice',
          `Master is currently unable to PSYNC but should be in the future: -${msg.text}`,
        );
      } else {
        this.log(
          s,
          'notice',
          `Master does not support PSYNC or is in error state (reply: -${msg.text})`,
        );
      }
      this.closeHandshake(s, c);
      return;
    }
  }

  private closeHandshake(s: ServerState, c: Conn): void {
    c.state = 'closed';
    delete this.state.conns[c.id];
    const m = this.state.servers[c.to];
    if (m) this.masterConnClosed(m, c.id);
    s.repl_transfer_s = null;
    this.setReplState(s, 'connect');
  }

  private replicationResurrectCachedMaster(s: ServerState, c: Conn): void {
    const cm = s.cached_master!;
    s.master = { ...cm, connId: c.id, lastInteraction: this.unixtime() };
    s.cached_master = null;
    this.setReplState(s, 'connected');
    s.repl_down_since = 0;
    s.repl_transfer_s = null;
    if (!s.backlog) this.createReplicationBacklog(s);
  }

  private replicaReceive(s: ServerState, c: Conn, msg: ToReplica): void {
    if (s.master && s.master.connId === c.id) {
      s.master.lastInteraction = this.unixtime();
      if (msg.k === 'STREAM') this.applyMasterStream(s, msg.entries);
      return;
    }
    if (s.repl_transfer_s !== c.id) return;
    s.repl_transfer_lastio = this.unixtime();
    if (s.repl_state === 'transfer') {
      if (msg.k === 'RDB_HEADER') {
        s.repl_transfer_size = msg.eof ? 0 : msg.size;
        const where = this.state.version === '7.0' ? ' to disk' : '';
        this.log(
          s,
          'notice',
          msg.eof
            ? `MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF${where}`
            : `MASTER <-> REPLICA sync: receiving ${msg.size} bytes from master${where}`,
        );
      } else if (msg.k === 'RDB') {
        this.readSyncBulkPayloadDone(s, c, msg.rdb, msg.eof);
      } else if (msg.k === 'STREAM') {
        // Cannot happen: the master only streams after the RDB.
      }
      return;
    }
    this.syncWithMaster(s, c, msg);
  }

  /** The end of readSyncBulkPayload: flush, load, and become a connected replica. */
  private readSyncBulkPayloadDone(s: ServerState, c: Conn, rdb: RdbImage, eof: boolean): void {
    if (this.state.version === '7.0') {
      // replicationAttachToNewMaster
      this.replicationDiscardCachedMaster(s);
      this.disconnectSlaves(s);
      this.freeReplicationBacklog(s);
    }
    this.log(s, 'notice', 'MASTER <-> REPLICA sync: Flushing old data');
    this.log(s, 'notice', 'MASTER <-> REPLICA sync: Loading DB in memory');
    this.rdbLoadLog(s, rdb);
    s.keyspace = cloneKeyspace(rdb.keyspace);
    this.emit({ type: 'keyspace', server: s.name, keys: [], at: this.state.now });
    const replid = s.transfer_replid || rdb.replid;
    s.master = {
      connId: c.id,
      replid,
      reploff: s.master_initial_offset,
      db: rdb.replStreamDb,
      multi: null,
      lastInteraction: this.unixtime(),
    };
    s.repl_transfer_s = null;
    this.setReplState(s, 'connected');
    s.repl_down_since = 0;
    s.replid = replid;
    this.setOffset(s, s.master_initial_offset);
    s.replid2 = ZERO_REPLID;
    s.second_replid_offset = -1;
    this.createReplicationBacklog(s);
    s.rdbOnDisk = rdb;
    this.log(s, 'notice', 'MASTER <-> REPLICA sync: Finished with success');
    this.emit({
      type: 'resynced',
      master: c.to,
      replica: s.name,
      kind: 'full',
      bytes: rdb.size,
      startedAt: s.psync_started_at,
      at: this.state.now,
    });
    if (eof) this.replicationSendAck(s);
  }

  /** The replica applies its master's stream and proxies it, byte for byte, to its own replicas. */
  private applyMasterStream(s: ServerState, entries: StreamEntry[]): void {
    const mc = s.master!;
    const proxied: StreamEntry[] = [];
    for (const e of entries) {
      if (e.off + e.len - 1 <= mc.reploff) continue; // already applied
      const name = e.argv[0]!.toLowerCase();
      if (mc.multi && name !== 'exec') {
        mc.multi.push(e.argv);
      } else if (name === 'multi') {
        mc.multi = [];
      } else if (name === 'exec') {
        const q = mc.multi ?? [];
        mc.multi = null;
        for (const argv of q) this.applyOne(s, mc, argv);
      } else if (name === 'replconf') {
        // REPLCONF GETACK: the ACK carries the offset before the GETACK itself.
        if ((e.argv[1] ?? '').toLowerCase() === 'getack') this.replicationSendAck(s);
      } else {
        this.applyOne(s, mc, e.argv);
      }
      // commandProcessed: the applied offset does not move inside MULTI.
      if (!mc.multi) mc.reploff = e.off + e.len - 1;
      proxied.push(e);
    }
    if (proxied.length) this.feedReplicationBuffer(s, proxied);
  }

  private applyOne(s: ServerState, mc: MasterClient, argv: string[]): void {
    const name = argv[0]!.toLowerCase();
    if (name === 'select') {
      const db = parseStrictInt(argv[1] ?? '');
      if (db !== null && db >= 0 && db < 16) mc.db = db;
      return;
    }
    if (name === 'ping') return;
    if (!isKeyspaceCommand(name)) return;
    const res = execKeyspaceCommand(s.keyspace, argv, {
      nowMs: this.mstime(),
      db: mc.db,
      mode: 'replica',
      version: this.state.version,
    });
    void res;
    this.emit({
      type: 'keyspace',
      server: s.name,
      keys: argv.length > 1 ? [argv[1]!] : [],
      at: this.state.now,
    });
  }

  /** replicationSendAck: REPLCONF ACK <reploff>. */
  private replicationSendAck(s: ServerState): void {
    const mc = s.master;
    if (!mc || mc.connId === null) return;
    const c = this.state.conns[mc.connId];
    if (!c) return;
    this.send(
      c,
      'toMaster',
      { k: 'ACK', offset: mc.reploff },
      respLength(['REPLCONF', 'ACK', String(mc.reploff)]),
    );
  }

  /** The replica's connection to its master closed (freeClient / cancelReplicationHandshake). */
  private replicaConnClosed(s: ServerState, connId: number): void {
    if (s.master && s.master.connId === connId) {
      this.freeMasterClient(s, 'lost');
      return;
    }
    if (s.repl_transfer_s === connId) {
      if (s.repl_state === 'transfer') {
        this.log(s, 'warning', 'I/O error trying to sync with MASTER: connection lost');
        this.cancelReplicationHandshake(s, true);
      } else {
        this.log(s, 'warning', 'Error condition on socket for SYNC: Connection reset by peer');
        s.repl_transfer_s = null;
        this.setReplState(s, 'connect');
      }
    }
  }

  /** freeClient(server.master) → replicationCacheMaster → replicationHandleMasterDisconnection. */
  private freeMasterClient(s: ServerState, _why: 'lost' | 'timeout'): void {
    const mc = s.master!;
    this.log(s, 'warning', 'Connection with master lost.');
    this.log(s, 'notice', 'Caching the disconnected master state.');
    const connId = mc.connId;
    s.master = null;
    s.cached_master = { ...mc, connId: null, multi: null };
    if (connId !== null) {
      const c = this.state.conns[connId];
      if (c && c.state !== 'closed') {
        c.state = 'closed';
        delete this.state.conns[connId];
        const m = this.state.servers[c.to];
        // Through a silent cut the master is not told: it finds out by its own repl-timeout.
        if (m && !c.blackholed) this.masterConnClosed(m, connId);
      }
    }
    this.setReplState(s, 'connect');
    s.repl_down_since = this.unixtime();
    if (s.masterhost && this.state.version === '7.0') {
      this.log(s, 'notice', `Reconnecting to MASTER ${s.masterhost}:${s.masterport}`);
      this.connectWithMaster(s);
    }
  }

  /** cancelReplicationHandshake. */
  private cancelReplicationHandshake(s: ServerState, reconnect: boolean): void {
    if (s.repl_transfer_s !== null) {
      const c = this.state.conns[s.repl_transfer_s];
      s.repl_transfer_s = null;
      if (c && c.state !== 'closed') {
        c.state = 'closed';
        delete this.state.conns[c.id];
        const m = this.state.servers[c.to];
        if (m && !c.blackholed) this.masterConnClosed(m, c.id);
      }
    }
    if (s.repl_state !== 'connected' && s.repl_state !== 'none') this.setReplState(s, 'connect');
    if (reconnect && s.masterhost) {
      this.log(s, 'notice', `Reconnecting to MASTER ${s.masterhost}:${s.masterport} after failure`);
      this.connectWithMaster(s);
    }
  }

  // ---------------------------------------------------------------- cron

  /** replicationCron, once a second. */
  private replicationCron(s: ServerState): void {
    const now = this.unixtime();
    const timeout = s.config['repl-timeout'];
    const handshake =
      s.repl_state !== 'none' &&
      s.repl_state !== 'connect' &&
      s.repl_state !== 'transfer' &&
      s.repl_state !== 'connected';
    if (s.masterhost && handshake && now - s.repl_transfer_lastio > timeout) {
      this.log(s, 'warning', 'Timeout connecting to the MASTER...');
      this.cancelReplicationHandshake(s, true);
    }
    if (s.masterhost && s.repl_state === 'transfer' && now - s.repl_transfer_lastio > timeout) {
      this.log(
        s,
        'warning',
        "Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.",
      );
      this.cancelReplicationHandshake(s, true);
    }
    if (
      s.masterhost &&
      s.master &&
      s.repl_state === 'connected' &&
      now - s.master.lastInteraction > timeout
    ) {
      this.log(s, 'warning', 'MASTER timeout: no data nor PING received...');
      this.freeMasterClient(s, 'timeout');
    }
    if (s.masterhost && s.repl_state === 'connect') {
      this.log(s, 'notice', `Connecting to MASTER ${s.masterhost}:${s.masterport}`);
      this.connectWithMaster(s);
    }
    if (s.masterhost && s.master) this.replicationSendAck(s);

    const period = s.config['repl-ping-replica-period'];
    if (s.replication_cron_loops % period === 0 && s.slaves.length > 0) {
      this.replicationFeedSlaves(
        s,
        s.slaveseldb,
        this.state.version === '7.0' ? ['ping'] : ['PING'],
      );
    }
    // Disconnect timed out replicas.
    for (const r of [...s.slaves]) {
      if (r.replstate !== 'online') continue;
      // Whole seconds, as Redis compares server.unixtime with repl_ack_time.
      if (now - Math.floor((this.state.wallStartMs + r.replAckTime) / 1000) > timeout) {
        this.log(s, 'warning', `Disconnecting timedout replica (streaming sync): ${r.name}`);
        const c = this.state.conns[r.connId];
        if (c) {
          c.state = 'closed';
          delete this.state.conns[c.id];
        }
        this.masterConnClosed(s, r.connId);
      }
    }
    // Free the backlog of a master without replicas for repl-backlog-ttl seconds.
    const ttl = s.config['repl-backlog-ttl'];
    if (
      !s.masterhost &&
      s.slaves.length === 0 &&
      ttl > 0 &&
      s.backlog &&
      now - s.repl_no_slaves_since > ttl
    ) {
      s.replid = nextHex40(this.state.rng);
      s.replid2 = ZERO_REPLID;
      s.second_replid_offset = -1;
      this.freeReplicationBacklog(s);
      this.log(
        s,
        'notice',
        `Replication backlog freed after ${ttl} seconds without connected replicas.`,
      );
    }
    this.replicationStartPendingFork(s);
    s.replication_cron_loops++;
  }

  /** replicationStartPendingFork / shouldStartChildReplication. */
  private replicationStartPendingFork(s: ServerState): void {
    if (s.child) return;
    const waiting = s.slaves.filter((r) => r.replstate === 'wait_bgsave_start');
    if (waiting.length === 0) return;
    const now = this.unixtime();
    const maxIdle = Math.max(...waiting.map((r) => now - r.lastInteraction));
    if (!s.config['repl-diskless-sync'] || maxIdle >= s.config['repl-diskless-sync-delay'])
      this.startBgsaveForReplication(s);
  }

  // ---------------------------------------------------------------- remove

  /** SHUTDOWN NOSAVE for good: the server leaves the simulation; its peers see its links close. */
  removeServer(server: string): void {
    const s = this.server(server);
    this.log(s, 'warning', 'User requested shutdown...');
    this.log(s, 'warning', 'Redis is now ready to exit, bye bye...');
    s.alive = false;
    this.closeAllConnectionsOf(server);
    delete this.state.servers[server];
    delete this.state.net[server];
    this.state.order = this.state.order.filter((n) => n !== server);
    this.emit({ type: 'removed', server, at: this.state.now });
  }

  /** Every connection to or from a stopping server closes; the other ends notice at once. */
  private closeAllConnectionsOf(server: string): void {
    for (const c of Object.values(this.state.conns)) {
      if (c.from !== server && c.to !== server) continue;
      c.state = 'closed';
      delete this.state.conns[c.id];
      const other = this.state.servers[c.from === server ? c.to : c.from];
      if (!other || !other.alive) continue;
      if (c.to === server) this.replicaConnClosed(other, c.id);
      else this.masterConnClosed(other, c.id);
      this.afterEvent(other);
    }
  }

  // ---------------------------------------------------------------- restart

  /** SHUTDOWN (saving an RDB with the replication info) and start again. */
  restart(server: string): void {
    const s = this.server(server);
    this.log(s, 'warning', 'User requested shutdown...');
    this.log(s, 'notice', 'Saving the final RDB snapshot before exiting.');
    const rdb = this.makeRdb(s);
    if (s.master) rdb.replOffset = s.master.reploff;
    s.rdbOnDisk = rdb;
    this.log(s, 'notice', 'DB saved on disk');
    this.log(s, 'notice', 'Removing the pid file.');
    this.log(s, 'warning', 'Redis is now ready to exit, bye bye...');
    s.alive = false;
    this.closeAllConnectionsOf(server);
    const masterhost = s.masterhost;
    const masterport = s.masterport;
    const fresh = this.newServerState(s.name, s.host, s.port);
    fresh.rdbOnDisk = rdb;
    fresh.log = s.log;
    fresh.masterhost = masterhost;
    fresh.masterport = masterport;
    fresh.repl_state = masterhost ? 'connect' : 'none';
    this.state.servers[server] = fresh;
    this.startProcess(fresh, true);
    if (masterhost && !fresh.cached_master) this.replicationCacheMasterUsingMyself(fresh);
  }
}

// ------------------------------------------------------------------ helpers

/** Does a propagated command set a TTL (so active expiry must be scheduled)? */
function setsExpire(argv: readonly string[]): boolean {
  const n = argv[0]!.toUpperCase();
  if (n === 'PEXPIREAT' || n === 'EXPIRE' || n === 'PEXPIRE' || n === 'EXPIREAT') return true;
  return n === 'SET' && argv.some((a) => /^(PXAT|EX|PX|EXAT|KEEPTTL)$/i.test(a));
}

function lastBlockId(s: ServerState): number | null {
  const b = s.buffer.blocks;
  return b.length ? b[b.length - 1]!.id : null;
}

/** Redis's string2ll: optional '-', digits, no leading zeros or '+', fits 64-bit. */
export function parseStrictInt(s: string): number | null {
  if (!/^-?(0|[1-9][0-9]*)$/.test(s)) return null;
  const n = Number(s);
  if (!Number.isSafeInteger(n)) return null;
  return n;
}

function describeMessage(
  msg: ToMaster | ToReplica,
): [import('./events').MessageKind, string, Array<{ off: number; argv: string[] }> | undefined] {
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

/** Deep copy of plain data. */
export function deepClone<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(deepClone) as T;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = deepClone((v as Record<string, unknown>)[k]);
  return out as T;
}

export { NIL };
