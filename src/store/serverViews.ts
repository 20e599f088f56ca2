/**
 * The state half of the views: server cards and logs, built from a plain engine `SimState` alone
 * (the live one, or a snapshot). Pure: the same state gives equal views, and a rebuild shares
 * every unchanged part with the previous views.
 */
import { dialectOf } from '../engine/dialect';
import { replicationFields } from '../engine/info';
import { dictEntries, dumpEntry } from '../engine/keyspace';
import type { DumpedKey, Entry, Keyspace } from '../engine/keyspace';
import type { NetState, ServerState, SimState } from '../engine/types';
import { MAX_LOG } from './constants';
import { shareBy } from './share';
import type { KeyView, LinkState, LogLine, ReplicaLinkView, ServerView } from './types';

/** A server's network as the engine keeps it (absent means up). */
const netOf = (state: SimState, name: string): NetState => state.net[name] ?? 'up';

function shortValue(k: DumpedKey): string {
  const v = k.value;
  if (typeof v === 'string') return v;
  if (k.type === 'hash')
    return (v as Array<[string, string]>).map(([f, x]) => `${f}=${x}`).join('  ');
  if (k.type === 'zset')
    return (v as Array<[string, string]>).map(([m, score]) => `${m}:${score}`).join('  ');
  if (k.type === 'stream')
    return (v as Array<[string, string]>).map(([id, fields]) => `${id} ${fields}`).join('  ');
  return (v as string[]).join(', ');
}

/**
 * What the link to its master looks like from a replica (null: not a replica). A reset connection
 * (`net down`) is down at once; while a network is stopped or silent nobody is told, and the
 * replica's link stays what Redis says it is (master_link_status:up) until repl-timeout.
 */
function linkState(state: SimState, s: ServerState, masterName: string | null): LinkState | null {
  if (!s.masterhost) return null;
  if (!s.alive) return 'down';
  if (netOf(state, s.name) === 'down') return 'down';
  if (masterName && netOf(state, masterName) === 'down') return 'down';
  switch (s.repl_state) {
    case 'none':
      return null;
    case 'connect':
      return s.repl_down_since ? 'down' : 'connecting';
    case 'connecting':
      return 'connecting';
    case 'transfer': {
      if (masterName) {
        const entry = state.servers[masterName]?.slaves.find(
          (r) => r.ip === s.host && r.listeningPort === s.port,
        );
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

/** Simulated ms of `s`'s first replicationCron at or after `t` (it runs 1 ms after start, then every second). */
function cronAt(s: ServerState, t: number): number {
  const first = s.startedAt + 1;
  return t <= first ? first : first + Math.ceil((t - first) / 1000) * 1000;
}

/**
 * Simulated ms of `s`'s first cron at which `unixtime - since > repl-timeout` holds (Redis compares
 * whole unix seconds): the moment a repl-timeout started at unix second `since` fires.
 */
function timeoutAt(state: SimState, s: ServerState, since: number): number {
  return cronAt(s, (since + s.config['repl-timeout'] + 1) * 1000 - state.wallStartMs);
}

function backlogView(state: SimState, s: ServerState): ServerView['backlog'] {
  if (!s.backlog) return null;
  const blocks =
    dialectOf(state.version).backlog === 'blocks'
      ? s.buffer.blocks.map((b) => ({ start: b.replOffset, size: b.size }))
      : null;
  return {
    first: s.backlog.offset,
    histlen: s.backlog.histlen,
    size: s.config['repl-backlog-size'],
    blocks,
  };
}

function keyView(db: number, e: Entry): KeyView {
  const k = dumpEntry(db, e);
  return { db, key: k.key, type: k.type, text: shortValue(k), ttl: k.expireAt !== null };
}

/**
 * The view last built for an engine entry holding a string. A string's view is its value as it
 * is, so a look at the entry tells whether the view is still true (the engine may change an
 * entry in place). Under a stream of writes this keeps a rebuild of the key lists from making a
 * new object for every key each time.
 */
const stringViews = new WeakMap<Entry, KeyView>();

function stringView(db: number, e: Entry & { value: { type: 'string' } }): KeyView {
  const old = stringViews.get(e);
  const ttl = e.expireAt !== null;
  if (old && old.db === db && old.key === e.key && old.text === e.value.v && old.ttl === ttl)
    return old;
  const v: KeyView = { db, key: e.key, type: 'string', text: e.value.v, ttl };
  stringViews.set(e, v);
  return v;
}

const byKey = (a: KeyView, b: KeyView): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Every key of `s`, in dumpKeyspace's order (by database, then by key). */
function keyViews(s: ServerState): KeyView[] {
  let out: KeyView[] = [];
  s.keyspace.dbs.forEach((d, db) => {
    const entries = dictEntries(d);
    if (entries.length === 0) return;
    const mine = entries.map((e) =>
      e.value.type === 'string'
        ? stringView(db, e as Entry & { value: { type: 'string' } })
        : keyView(db, e),
    );
    mine.sort(byKey);
    if (out.length === 0) out = mine;
    else for (const k of mine) out.push(k);
  });
  return out;
}

function serverView(
  state: SimState,
  s: ServerState,
  all: readonly ServerState[],
): Omit<ServerView, 'keys'> {
  const byAddr = (host: string, port: number): ServerState | undefined =>
    all.find((x) => x.host === host && x.port === port);
  const master = s.masterhost ? byAddr(s.masterhost, s.masterport) : undefined;
  const masterName = master ? master.name : null;
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
    link: linkState(state, s, masterName),
    ...(s.dual && s.dual.rdbConn !== null ? { rdbChannel: true } : {}),
    net: netOf(state, s.name),
    backlog: backlogView(state, s),
    backlogSize: s.config['repl-backlog-size'],
    // Valkey's rdb channel is the same replica's second connection, not a replica of its own.
    replicas: slaveViews(s).map((r) => ({
      server: byAddr(r.ip, r.listeningPort)?.name ?? null,
      addr: `${r.ip}:${r.listeningPort}`,
      state: r.replstate as ReplicaLinkView['state'],
      ackOffset: r.replAckOff,
      timeoutAt:
        r.replstate === 'online'
          ? timeoutAt(state, s, Math.floor((state.wallStartMs + r.replAckTime) / 1000))
          : null,
    })),
    replTimeout: s.config['repl-timeout'],
    masterTimeoutAt:
      s.alive && s.masterhost && s.master && s.repl_state === 'connected'
        ? timeoutAt(state, s, s.master.lastInteraction)
        : null,
    info: replicationFields(state, s),
  };
}

/** The keyspace each key list was built from. */
const builtFrom = new WeakMap<readonly KeyView[], Keyspace>();

/** The key list of `s`, reusing `old` when the engine said its keyspace did not change. */
function keysOf(s: ServerState, old: ServerView | undefined, changed: boolean): readonly KeyView[] {
  if (old && !changed && builtFrom.get(old.keys) === s.keyspace) return old.keys;
  const fresh = keyViews(s);
  return old ? shareSorted(old.keys, fresh) : fresh;
}

/** True when `a` comes before `b` in a key list's order (dumpKeyspace's: db, then key). */
const keyBefore = (a: KeyView, b: KeyView): boolean =>
  a.db < b.db || (a.db === b.db && a.key < b.key);

/**
 * `fresh` with every key that did not change since `old` as `old`'s object, or `old` itself when
 * no key changed. Both are in key order, so one walk over the two finds each key's old view: a
 * stream of new keys lands anywhere in that order, and a search by position would miss them all.
 */
export function shareSorted(old: readonly KeyView[], fresh: KeyView[]): readonly KeyView[] {
  let same = old.length === fresh.length;
  let i = 0;
  for (let j = 0; j < fresh.length; j++) {
    const f = fresh[j]!;
    while (i < old.length && keyBefore(old[i]!, f)) i++;
    const o = old[i];
    if (
      o !== undefined &&
      o.db === f.db &&
      o.key === f.key &&
      o.type === f.type &&
      o.text === f.text &&
      o.ttl === f.ttl
    ) {
      fresh[j] = o;
      if (i !== j) same = false;
      i++;
    } else same = false;
  }
  return same ? old : fresh;
}

export interface BuildHints {
  /**
   * The servers whose keyspace may have changed in place: those the engine sent a `keyspace`
   * event for (it sends one for every write, expiry and replicated command). Any other server
   * whose keyspace is still the object its previous key list was built from keeps that list.
   * Without hints every key list is rebuilt.
   */
  readonly keyspaceChanged: ReadonlySet<string>;
}

/**
 * One view per server, in declaration order. With `prev` (the views of a moment before), every
 * part that did not change keeps its previous reference — and `prev` itself is returned when
 * nothing changed at all.
 */
export function buildServerViews(
  state: SimState,
  prev: readonly ServerView[] = [],
  hints?: BuildHints,
): readonly ServerView[] {
  const all = state.order.map((n) => state.servers[n]!);
  const before = new Map(prev.map((v) => [v.name, v]));
  const next = all.map((s): ServerView => {
    const old = before.get(s.name);
    const changed = hints ? hints.keyspaceChanged.has(s.name) : true;
    return { ...serverView(state, s, all), keys: keysOf(s, old, changed) };
  });
  const views = shareBy(prev, next, (v) => v.name);
  // Whatever list each view ended up with shows that server's keyspace as it is now.
  views.forEach((v, i) => {
    const s = all[i];
    if (s) builtFrom.set(v.keys, s.keyspace);
  });
  return views;
}

/** True when `lines` already shows the tail of `log`. */
function showsTail(lines: readonly LogLine[], log: readonly string[]): boolean {
  const last = lines[lines.length - 1];
  if (!last) return log.length === 0;
  return (
    lines.length === Math.min(MAX_LOG, log.length) &&
    last.n === log.length - 1 &&
    last.text === log[log.length - 1]
  );
}

/**
 * The last MAX_LOG lines of every server's log. Unchanged logs keep their previous arrays, and
 * `prev` itself is returned when no log changed.
 */
export function buildLogs(
  state: SimState,
  prev: Readonly<Record<string, readonly LogLine[]>> = {},
): Readonly<Record<string, readonly LogLine[]>> {
  const out: Record<string, readonly LogLine[]> = {};
  let changed = Object.keys(prev).length !== state.order.length;
  for (const name of state.order) {
    const log = state.servers[name]?.log ?? [];
    const old = prev[name];
    if (old && showsTail(old, log)) {
      out[name] = old;
      continue;
    }
    const start = Math.max(0, log.length - MAX_LOG);
    out[name] = log.slice(start).map((text, i) => ({ n: start + i, text }));
    changed = true;
  }
  return changed ? out : prev;
}

/**
 * The server the stage draws on the left: the master at the top of the largest replication tree
 * (the one most servers replicate from, directly or through a chain), so that after a failover
 * the promoted replica moves there once others follow it. On a tie, the first declared. A pure
 * function of the servers, so a moment shown again (time travel) has the same stage.
 */
export function topologyRoot(
  servers: readonly Pick<ServerView, 'name' | 'masterName'>[],
): string | null {
  const byName = new Map(servers.map((s) => [s.name, s]));
  const followers = new Map<string, number>();
  for (const s of servers) {
    let top = s;
    const seen = new Set<string>([s.name]);
    for (
      let up = byName.get(s.masterName ?? '');
      up && !seen.has(up.name);
      up = byName.get(up.masterName ?? '')
    ) {
      seen.add(up.name);
      top = up;
    }
    if (top !== s) followers.set(top.name, (followers.get(top.name) ?? 0) + 1);
  }
  let best: Pick<ServerView, 'name' | 'masterName'> | null = null;
  for (const s of servers) {
    if (s.masterName !== null && byName.has(s.masterName)) continue;
    const n = followers.get(s.name) ?? 0;
    const b = best ? (followers.get(best.name) ?? 0) : -1;
    if (n > b) best = s;
  }
  return best?.name ?? servers[0]?.name ?? null;
}

/** The master's replica clients a view shows: one per replica (not Valkey's rdb channels). */
function slaveViews(s: ServerState): ServerState['slaves'] {
  return s.slaves.filter((r) => !r.rdbChannel);
}

/** Each server's name and the server it replicates from, read from the engine (no view built). */
export function topologyOf(state: SimState): Pick<ServerView, 'name' | 'masterName'>[] {
  const all = state.order.map((n) => state.servers[n]!);
  return all.map((s) => ({
    name: s.name,
    masterName: s.masterhost
      ? (all.find((x) => x.host === s.masterhost && x.port === s.masterport)?.name ?? null)
      : null,
  }));
}
