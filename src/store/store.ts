/**
 * One vanilla zustand store per app instance. It owns a `Lab` (engine + lab script), runs the
 * player loop (requestAnimationFrame → `sim.runUntil`), turns engine events into plain view models
 * and turns every user intention into a lab-script statement applied through `applyStatement`.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SimEvent } from '../engine/events';
import { replicationFields } from '../engine/info';
import { dumpKeyspace } from '../engine/keyspace';
import { respEncode } from '../engine/resp';
import type { ServerState } from '../engine/types';
import { LabScriptError, type Statement } from '../lab/ast';
import { formatReplyTty } from '../lab/format';
import { Lab } from '../lab/run';
import { formatStatement, parseScript, splitArgs } from '../lab/script';
import type {
  ConsoleEntry,
  KeyView,
  Lang,
  LinkState,
  LogLine,
  PsyncDecision,
  ResyncCost,
  ServerView,
  StreamView,
  Theme,
  WireMessage,
} from './types';

export const SPEEDS = [0.25, 0.5, 1, 2, 5, 10] as const;
export const MAX_REPLICAS = 3;
const MAX_MESSAGES = 120;
const MAX_CONSOLE = 200;
const MAX_LOG = 200;
const RATE_WINDOW_MS = 30_000;
const SKIP_LIMIT_MS = 120_000;

export const MASTER_HOST = '192.168.157.144';
export const DEFAULT_WRITE = 'SET key:{n} "valor {n}"';

/** The opening scene: a master with a few keys, then replica1 asks to replicate it. */
export const INITIAL_SCRIPT = [
  'latency 400ms bandwidth 1kb',
  `server master ${MASTER_HOST}:6379`,
  'server replica1 192.168.157.146:6379',
  'master CONFIG SET repl-diskless-sync no',
  'master SET curso:1 "Introducción a Redis"',
  'master HSET curso:2 nombre "Replicación en Redis" duration 20',
  'master RPUSH alumnos ana luis marta',
  `replica1 REPLICAOF ${MASTER_HOST} 6379`,
];

/** Words that start a lab directive when typed in a console (otherwise it is a Redis command). */
const DIRECTIVES = new Set(['server', 'net', 'restart', 'show', 'clock', 'version']);

export interface ApplyResult {
  readonly ok: boolean;
  readonly lines: readonly string[];
}

export interface LabState {
  /** Bumps whenever the view models are rebuilt. */
  readonly rev: number;
  readonly playing: boolean;
  readonly speed: number;
  /** Visible servers, in declaration order. */
  readonly servers: readonly ServerView[];
  /** The server drawn on the left (the first one declared). */
  readonly mainMaster: string;
  readonly messages: readonly WireMessage[];
  readonly psync: Readonly<Record<string, PsyncDecision>>;
  readonly lastPsync: PsyncDecision | null;
  readonly costs: Readonly<Record<string, ResyncCost>>;
  readonly logs: Readonly<Record<string, readonly LogLine[]>>;
  readonly consoles: Readonly<Record<string, readonly ConsoleEntry[]>>;
  /** server → key → flash counter (changes when the key changes). */
  readonly flashes: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Every statement applied since the start (the run's script). */
  readonly statements: readonly string[];
  readonly latencyMs: number;
  readonly bytesPerSec: number | null;
  readonly streamView: StreamView;
  readonly lang: Lang;
  readonly theme: Theme;
  readonly helpOpen: boolean;
  readonly writeTemplate: string;
  readonly writeCount: number;
  readonly notice: { readonly id: number; readonly text: string; readonly error: boolean } | null;

  // --- non-reactive readers (stable functions) ---
  /** Simulated ms now. */
  getNow(): number;
  /** Called after every frame / time jump with the simulated time. Returns an unsubscribe. */
  onFrame(fn: (now: number) => void): () => void;
  /** Bytes per second the main master's stream grew by, over the last 30 simulated seconds. */
  writeRate(): number;

  // --- actions: every one is a lab statement ---
  applyStatement(text: string, opts?: { console?: string }): ApplyResult;
  consoleSubmit(server: string, line: string): ApplyResult;
  writeKey(): ApplyResult;
  setWriteTemplate(text: string): void;
  cutNetwork(server: string): ApplyResult;
  restoreNetwork(server: string): ApplyResult;
  toggleNetwork(server: string): ApplyResult;
  addReplica(): ApplyResult;
  removeReplica(server: string): ApplyResult;
  promote(server: string): ApplyResult;
  restartServer(server: string): ApplyResult;

  // --- player ---
  play(): void;
  pause(): void;
  togglePlay(): void;
  setSpeed(speed: number): void;
  faster(): void;
  slower(): void;
  step(): void;
  skipToNext(): void;
  reset(): void;

  // --- preferences ---
  setStreamView(v: StreamView): void;
  setLang(l: Lang): void;
  setTheme(t: Theme): void;
  setHelpOpen(open: boolean): void;
  /** Start the player loop (if playing); called when a view mounts the store. */
  mount(): void;
  /** Stop the player loop; the store can be mounted again. */
  unmount(): void;
}

export type LabStore = StoreApi<LabState>;

export interface CreateOptions {
  seed?: number;
  /** Lines of lab script to start from (default: INITIAL_SCRIPT). */
  script?: readonly string[];
  /** Start playing as soon as a view mounts the store (default true). */
  autoplay?: boolean;
  speed?: number;
  lang?: Lang;
  theme?: Theme;
}

function shortValue(k: ReturnType<typeof dumpKeyspace>[number]): string {
  const v = k.value;
  if (typeof v === 'string') return v;
  if (k.type === 'hash')
    return (v as Array<[string, string]>).map(([f, x]) => `${f}=${x}`).join('  ');
  return (v as string[]).join(', ');
}

export function createLabStore(opts: CreateOptions = {}): LabStore {
  const script = opts.script ?? INITIAL_SCRIPT;
  let lab = new Lab({ seed: opts.seed ?? 1 });
  let unsubscribeSim: (() => void) | null = null;
  const frameListeners = new Set<(now: number) => void>();
  let raf = 0;
  let lastFrame = 0;
  let nextConsoleId = 1;
  let noticeId = 1;

  // Mutable drafts, flushed into the store once per frame.
  let messages: WireMessage[] = [];
  let messagesChanged = false;
  let psync: Record<string, PsyncDecision> = {};
  let lastPsync: PsyncDecision | null = null;
  let costs: Record<string, ResyncCost> = {};
  let flashes: Record<string, Record<string, number>> = {};
  let flashCounter = 0;
  let rateSamples: Array<{ at: number; delta: number }> = [];
  let dirty = true;
  let interesting = false;
  const logCache = new Map<string, { len: number; lines: LogLine[] }>();

  const sim = () => lab.sim;

  function onEvent(e: SimEvent): void {
    switch (e.type) {
      case 'message': {
        const latency = sim().state.latencyMs;
        messages.push({
          id: e.id,
          from: e.from,
          to: e.to,
          kind: e.kind,
          label: e.label,
          bytes: e.bytes,
          sendAt: e.sendAt,
          sentAt: Math.max(e.sendAt, e.arriveAt - latency),
          arriveAt: e.arriveAt,
          droppedAt: null,
          resp: e.commands ? e.commands.map((c) => respEncode(c.argv)).join('') : null,
        });
        if (messages.length > MAX_MESSAGES) messages = messages.slice(-MAX_MESSAGES);
        messagesChanged = true;
        if (e.kind === 'FULLRESYNC') {
          const p = psync[e.to];
          if (p && p.result === 'fullresync') {
            const upd = { ...p, reply: e.label };
            psync = { ...psync, [e.to]: upd };
            if (lastPsync === p) lastPsync = upd;
          }
        }
        break;
      }
      case 'dropped': {
        messages = messages.map((m) => (m.id === e.id ? { ...m, droppedAt: e.at } : m));
        messagesChanged = true;
        break;
      }
      case 'psync': {
        const { type: _type, ...d } = e;
        psync = { ...psync, [e.replica]: d };
        lastPsync = d;
        interesting = true;
        dirty = true;
        break;
      }
      case 'resynced': {
        costs = {
          ...costs,
          [e.replica]: {
            replica: e.replica,
            kind: e.kind,
            bytes: e.bytes,
            ms: e.at - e.startedAt,
            at: e.at,
          },
        };
        interesting = true;
        dirty = true;
        break;
      }
      case 'replState':
        if (
          !(e.after === 'connect' || e.after === 'connecting') ||
          e.before === 'connected' ||
          e.before === 'transfer'
        )
          interesting = true;
        dirty = true;
        break;
      case 'bgsave':
        interesting = true;
        dirty = true;
        break;
      case 'offset':
        if (e.server === get().mainMaster)
          rateSamples.push({ at: e.at, delta: Math.max(0, e.after - e.before) });
        dirty = true;
        break;
      case 'keyspace': {
        if (e.keys.length > 0) {
          const cur = { ...(flashes[e.server] ?? {}) };
          for (const k of e.keys) cur[k] = ++flashCounter;
          flashes = { ...flashes, [e.server]: cur };
        }
        dirty = true;
        break;
      }
      default:
        dirty = true;
    }
  }

  function attach(): void {
    if (unsubscribeSim || !lab.started) return;
    unsubscribeSim = lab.sim.subscribe(onEvent);
  }

  function linkState(s: ServerState, masterName: string | null): LinkState | null {
    if (!s.masterhost) return null;
    const sm = sim();
    if (!s.alive) return 'down';
    if (sm.netState(s.name) !== 'up') return 'down';
    if (masterName && sm.netState(masterName) !== 'up') return 'down';
    switch (s.repl_state) {
      case 'none':
        return null;
      case 'connect':
        return s.repl_down_since ? 'down' : 'connecting';
      case 'connecting':
        return 'connecting';
      case 'transfer': {
        if (masterName) {
          const m = sm.server(masterName);
          const entry = m.slaves.find((r) => r.ip === s.host && r.listeningPort === s.port);
          if (
            entry &&
            (entry.replstate === 'wait_bgsave_start' || entry.replstate === 'wait_bgsave_end')
          )
            return 'wait_bgsave';
        }
        return 'receiving';
      }
      case 'connected':
        return 'online';
      default:
        return 'handshake';
    }
  }

  function buildServers(): ServerView[] {
    if (!lab.started) return [];
    const sm = sim();
    const all = sm.serverNames().map((n) => sm.server(n));
    const byAddr = (host: string, port: number): ServerState | undefined =>
      all.find((x) => x.host === host && x.port === port);
    return all.map((s): ServerView => {
      const master = s.masterhost ? byAddr(s.masterhost, s.masterport) : undefined;
      const masterName = master ? master.name : null;
      const keys: KeyView[] = dumpKeyspace(s.keyspace).map((k) => ({
        db: k.db,
        key: k.key,
        type: k.type,
        text: shortValue(k),
        ttl: k.expireAt !== null,
      }));
      return {
        name: s.name,
        host: s.host,
        port: s.port,
        addr: `${s.host}:${s.port}`,
        alive: s.alive,
        role: s.masterhost ? 'replica' : 'master',
        masterName,
        masterAddr: s.masterhost ? `${s.masterhost}:${s.masterport}` : null,
        replid: s.replid,
        replid2: s.replid2,
        secondOffset: s.second_replid_offset,
        offset: s.master_repl_offset,
        link: linkState(s, masterName),
        net: sm.netState(s.name),
        backlog: s.backlog
          ? {
              first: s.backlog.offset,
              histlen: s.backlog.histlen,
              size: s.config['repl-backlog-size'],
            }
          : null,
        backlogSize: s.config['repl-backlog-size'],
        replicas: s.slaves.map((r) => ({
          server: byAddr(r.ip, r.listeningPort)?.name ?? null,
          addr: `${r.ip}:${r.listeningPort}`,
          state: r.replstate,
          ackOffset: r.replAckOff,
        })),
        keys,
        info: replicationFields(sm.state, s),
      };
    });
  }

  function buildLogs(): Record<string, readonly LogLine[]> {
    const prev = get().logs;
    const out: Record<string, readonly LogLine[]> = {};
    let changed = false;
    if (!lab.started) return prev;
    for (const name of sim().serverNames()) {
      const log = sim().server(name).log;
      const cached = logCache.get(name);
      if (cached && cached.len === log.length && prev[name]) {
        out[name] = prev[name];
        continue;
      }
      const start = Math.max(0, log.length - MAX_LOG);
      const lines = log.slice(start).map((text, i) => ({ n: start + i, text }));
      logCache.set(name, { len: log.length, lines });
      out[name] = lines;
      changed = true;
    }
    return changed || Object.keys(prev).length !== Object.keys(out).length ? out : prev;
  }

  /** Push pending engine changes into the store (at most once per frame). */
  function flush(force = false): void {
    const now = lab.started ? sim().now : 0;
    // Messages that have arrived (or faded after a drop) leave the wire.
    const before = messages.length;
    messages = messages.filter((m) =>
      m.droppedAt !== null ? now < m.droppedAt + 1500 : now <= m.arriveAt,
    );
    if (messages.length !== before) messagesChanged = true;
    rateSamples = rateSamples.filter((r) => r.at > now - RATE_WINDOW_MS);
    const patch: { -readonly [K in keyof LabState]?: LabState[K] } = {};
    if (dirty || force) {
      const prevViews = new Map(get().servers.map((v) => [v.name, v]));
      const built = buildServers().map((v) => {
        const old = prevViews.get(v.name);
        return old && JSON.stringify(old) === JSON.stringify(v) ? old : v;
      });
      const prevList = get().servers;
      patch.servers =
        built.length === prevList.length && built.every((v, i) => v === prevList[i])
          ? prevList
          : built;
      patch.logs = buildLogs();
      patch.psync = psync;
      patch.lastPsync = lastPsync;
      patch.costs = costs;
      patch.flashes = flashes;
      patch.rev = get().rev + 1;
      if (lab.started) {
        patch.latencyMs = sim().state.latencyMs;
        patch.bytesPerSec = sim().state.bytesPerSec;
        patch.mainMaster = sim().serverNames()[0] ?? 'master';
      }
      dirty = false;
    }
    if (messagesChanged) {
      patch.messages = messages;
      messagesChanged = false;
    }
    if (Object.keys(patch).length > 0) set(patch);
    for (const fn of frameListeners) fn(now);
  }

  function pushConsole(server: string, entries: Array<Omit<ConsoleEntry, 'id'>>): void {
    const cur = get().consoles[server] ?? [];
    const next = [...cur, ...entries.map((e) => ({ ...e, id: nextConsoleId++ }))].slice(
      -MAX_CONSOLE,
    );
    set({ consoles: { ...get().consoles, [server]: next } });
  }

  function notify(text: string, error: boolean): void {
    set({ notice: { id: noticeId++, text, error } });
  }

  function promptOf(server: string): string {
    try {
      const s = sim().server(server);
      return `${s.host}:${s.port}>`;
    } catch {
      return `${server}>`;
    }
  }

  /** Parses `text` with the servers declared so far, so a single line can name them. */
  function parseWithContext(text: string): Statement[] {
    const prefix = lab.started
      ? sim()
          .serverNames()
          .map((n) => {
            const s = sim().server(n);
            return `server ${n} ${s.host}:${s.port}`;
          })
      : [];
    try {
      return parseScript([...prefix, text].join('\n')).statements.slice(prefix.length);
    } catch (e) {
      if (e instanceof LabScriptError)
        throw new LabScriptError({ line: e.line - prefix.length, col: e.col }, e.reason);
      throw e;
    }
  }

  function applyStatement(text: string, o: { console?: string; echo?: boolean } = {}): ApplyResult {
    const out: string[] = [];
    let statements: Statement[];
    try {
      statements = parseWithContext(text);
    } catch (e) {
      const msg = e instanceof LabScriptError ? `column ${e.col}: ${e.reason}` : String(e);
      if (o.console) pushConsole(o.console, [{ kind: 'error', text: `(lab error) ${msg}` }]);
      else notify(msg, true);
      return { ok: false, lines: [msg] };
    }
    let ok = true;
    const applied: string[] = [];
    for (const st of statements) {
      try {
        const r = lab.apply(st);
        attach();
        applied.push(formatStatement(st));
        if (st.kind === 'command' && r.reply) {
          const reply = formatReplyTty(r.reply, st.argv);
          const isErr = r.reply.t === 'error';
          if (isErr) ok = false;
          out.push(reply);
          const target = o.console ?? (o.echo ? st.server : undefined);
          if (target !== undefined) {
            const entries: Array<Omit<ConsoleEntry, 'id'>> = [];
            if (!o.console)
              entries.push({
                kind: 'input',
                text: `${promptOf(st.server)} ${formatStatement(st).slice(st.server.length + 1)}`,
              });
            if (reply !== '') entries.push({ kind: isErr ? 'error' : 'output', text: reply });
            pushConsole(target, entries);
          }
        } else if (st.kind === 'show') {
          const body = r.lines.slice(1);
          out.push(...body);
          if (o.console) pushConsole(o.console, [{ kind: 'output', text: body.join('\n') }]);
        } else if (o.console) {
          pushConsole(o.console, [{ kind: 'output', text: `(lab) ${formatStatement(st)}` }]);
        }
      } catch (e) {
        ok = false;
        const msg =
          e instanceof LabScriptError ? e.reason : e instanceof Error ? e.message : String(e);
        out.push(msg);
        if (o.console) pushConsole(o.console, [{ kind: 'error', text: `(lab error) ${msg}` }]);
        else notify(msg, true);
        break;
      }
    }
    if (applied.length) set({ statements: [...get().statements, ...applied] });
    dirty = true;
    flush();
    return { ok, lines: out };
  }

  function consoleSubmit(server: string, line: string): ApplyResult {
    pushConsole(server, [{ kind: 'input', text: `${promptOf(server)} ${line}` }]);
    const trimmed = line.trim();
    if (trimmed === '') return { ok: true, lines: [] };
    const tokens = splitArgs(trimmed);
    if (tokens === null) {
      pushConsole(server, [{ kind: 'error', text: 'Invalid argument(s)' }]);
      return { ok: false, lines: ['Invalid argument(s)'] };
    }
    const first = (tokens[0] ?? '').toLowerCase();
    const directive =
      DIRECTIVES.has(first) ||
      (first === 'wait' && tokens.length === 2) ||
      (first === 'latency' && /^\d/.test(tokens[1] ?? ''));
    return applyStatement(directive ? trimmed : `${server} ${trimmed}`, { console: server });
  }

  function serverExists(name: string): boolean {
    return lab.started && sim().serverNames().includes(name);
  }

  function frame(t: number): void {
    raf = 0;
    if (!get().playing) return;
    const dt = lastFrame ? Math.min(100, Math.max(0, t - lastFrame)) : 16;
    lastFrame = t;
    if (lab.started) sim().runUntil(sim().now + dt * get().speed);
    flush();
    raf = requestAnimationFrame(frame);
  }

  function startLoop(): void {
    if (raf || typeof requestAnimationFrame === 'undefined') return;
    lastFrame = 0;
    raf = requestAnimationFrame(frame);
  }

  function stopLoop(): void {
    if (raf && typeof cancelAnimationFrame !== 'undefined') cancelAnimationFrame(raf);
    raf = 0;
  }

  function boot(): void {
    unsubscribeSim?.();
    unsubscribeSim = null;
    lab = new Lab({ seed: opts.seed ?? 1 });
    messages = [];
    psync = {};
    lastPsync = null;
    costs = {};
    flashes = {};
    rateSamples = [];
    logCache.clear();
    set({ statements: [], consoles: {}, logs: {}, messages: [], writeCount: 0 });
    for (const line of script) applyStatement(line, { echo: true });
    dirty = true;
    flush();
  }

  let set: StoreApi<LabState>['setState'];
  let get: StoreApi<LabState>['getState'];

  const store = createStore<LabState>()((s, g) => {
    set = s;
    get = g;
    return {
      rev: 0,
      playing: opts.autoplay ?? true,
      speed: opts.speed ?? 1,
      servers: [],
      mainMaster: 'master',
      messages: [],
      psync: {},
      lastPsync: null,
      costs: {},
      logs: {},
      consoles: {},
      flashes: {},
      statements: [],
      latencyMs: 0,
      bytesPerSec: null,
      streamView: 'commands',
      lang: opts.lang ?? 'en',
      theme: opts.theme ?? 'light',
      helpOpen: false,
      writeTemplate: DEFAULT_WRITE,
      writeCount: 0,
      notice: null,

      getNow: () => (lab.started ? sim().now : 0),
      onFrame: (fn) => {
        frameListeners.add(fn);
        return () => frameListeners.delete(fn);
      },
      writeRate: () => {
        const now = lab.started ? sim().now : 0;
        const span = Math.min(RATE_WINDOW_MS, Math.max(1000, now));
        const bytes = rateSamples
          .filter((r) => r.at > now - RATE_WINDOW_MS)
          .reduce((n, r) => n + r.delta, 0);
        return (bytes * 1000) / span;
      },

      applyStatement: (text, o) => applyStatement(text, o ?? {}),
      consoleSubmit,
      writeKey: () => {
        const n = get().writeCount + 1;
        set({ writeCount: n });
        const cmd = get().writeTemplate.replaceAll('{n}', String(n)).trim() || `SET key:${n} value`;
        return applyStatement(`${get().mainMaster} ${cmd}`, { echo: true });
      },
      setWriteTemplate: (text) => set({ writeTemplate: text }),
      cutNetwork: (server) => applyStatement(`net ${server} down`),
      restoreNetwork: (server) => applyStatement(`net ${server} up`),
      toggleNetwork: (server) =>
        serverExists(server) && sim().netState(server) !== 'up'
          ? applyStatement(`net ${server} up`)
          : applyStatement(`net ${server} down`),
      addReplica: () => {
        const visible = get().servers.filter((s) => s.name !== get().mainMaster);
        if (visible.length >= MAX_REPLICAS) {
          notify(`max ${MAX_REPLICAS}`, true);
          return { ok: false, lines: [] };
        }
        let k = 1;
        while (serverExists(`replica${k}`)) k++;
        const name = `replica${k}`;
        const m = get().servers.find((s) => s.name === get().mainMaster);
        const host = m?.host ?? MASTER_HOST;
        const port = m?.port ?? 6379;
        const r1 = applyStatement(`server ${name} 192.168.157.${145 + k}:6379`);
        if (!r1.ok) return r1;
        return applyStatement(`${name} REPLICAOF ${host} ${port}`, { echo: true });
      },
      removeReplica: (server) => {
        if (!serverExists(server) || server === get().mainMaster) return { ok: false, lines: [] };
        const r = applyStatement(`remove ${server}`);
        dirty = true;
        flush();
        return r;
      },
      promote: (server) => applyStatement(`${server} REPLICAOF NO ONE`, { echo: true }),
      restartServer: (server) => applyStatement(`restart ${server}`),

      play: () => {
        set({ playing: true });
        startLoop();
      },
      pause: () => {
        set({ playing: false });
        stopLoop();
      },
      togglePlay: () => (get().playing ? get().pause() : get().play()),
      setSpeed: (speed) => set({ speed: Math.min(10, Math.max(0.25, speed)) }),
      faster: () => {
        const i = SPEEDS.findIndex((x) => x >= get().speed);
        set({
          speed: SPEEDS[Math.min(SPEEDS.length - 1, i < 0 ? SPEEDS.length - 1 : i + 1)] ?? 10,
        });
      },
      slower: () => {
        const i = SPEEDS.findIndex((x) => x >= get().speed);
        set({ speed: SPEEDS[Math.max(0, (i < 0 ? SPEEDS.length : i) - 1)] ?? 0.25 });
      },
      step: () => {
        if (!lab.started) return;
        sim().step();
        flush();
      },
      skipToNext: () => {
        if (!lab.started) return;
        interesting = false;
        const limit = sim().now + SKIP_LIMIT_MS;
        while (!interesting && sim().now < limit) {
          if (!sim().step()) break;
        }
        flush(true);
      },
      reset: () => {
        boot();
      },

      setStreamView: (v) => set({ streamView: v }),
      setLang: (l) => set({ lang: l }),
      setTheme: (t) => set({ theme: t }),
      setHelpOpen: (open) => set({ helpOpen: open }),
      mount: () => {
        if (get().playing) startLoop();
      },
      unmount: () => stopLoop(),
    };
  });

  boot();
  return store;
}
