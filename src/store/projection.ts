/**
 * The event half of the views: what the engine *said* — messages on the wires, PSYNC decisions,
 * resync costs, which keys changed, how fast each replication stream grew — folded one event at a
 * time. Everything here is pure: `applyEvent` returns a new view (or the same one when nothing
 * changed), never mutates its input and never reads the engine. So the views of any moment can be
 * rebuilt from the events kept so far (`foldEvents(EMPTY_EVENT_VIEW, history, now)`), and the other
 * half (servers, logs) from a snapshot of the engine state alone (see serverViews.ts).
 */
import type { SimEvent } from '../engine/events';
import { respEncode } from '../engine/resp';
import {
  DROP_FADE_MS,
  MAX_FLASHED_KEYS,
  MAX_MESSAGES_PER_CHANNEL,
  MAX_WAITING_PER_CHANNEL,
  RATE_WINDOW_MS,
} from './constants';
import type { PsyncDecision, ResyncCost, WireMessage } from './types';

/**
 * Stream growth within this much simulated time is kept as one sample: the rate window holds
 * parts of at most 121 buckets, and each write copies their samples.
 */
export const GROWTH_BUCKET_MS = 250;

/** A stream growth: `bytes` were added to a server's master_repl_offset at `at`. */
export interface GrowthSample {
  readonly at: number;
  readonly bytes: number;
}

/** The channel a message travels on: one direction between two servers (an rdb channel apart). */
export function channelOf(m: {
  readonly from: string;
  readonly to: string;
  readonly rdbChannel?: boolean;
}): string {
  return `${m.from}>${m.to}${m.rdbChannel ? ' rdb' : ''}`;
}

/**
 * Messages of one channel waiting their turn to be drawn, oldest first: `items[start..end)`. The
 * array is shared between views and only ever appended to past every holder's `end` (a view that
 * would append where another view already has copies first), so a message costs O(1).
 */
export interface Waiting {
  readonly items: readonly WireMessage[];
  readonly start: number;
  readonly end: number;
}

export interface EventView {
  /**
   * Messages on a wire (in flight, or fading out after a drop), oldest first: on each channel
   * the first MAX_MESSAGES_PER_CHANNEL to arrive.
   */
  readonly messages: readonly WireMessage[];
  /** channel (channelOf) → the messages sent after its drawn ones, waiting their turn. */
  readonly waiting: Readonly<Record<string, Waiting>>;
  /** The last PSYNC decision per replica. */
  readonly psync: Readonly<Record<string, PsyncDecision>>;
  readonly lastPsync: PsyncDecision | null;
  /** The last completed resync per replica. */
  readonly costs: Readonly<Record<string, ResyncCost>>;
  /**
   * server → key → flash counter (a new number each time the key changes), for the
   * MAX_FLASHED_KEYS keys that changed last.
   */
  readonly flashes: Readonly<Record<string, ReadonlyMap<string, number>>>;
  readonly flashSeq: number;
  /** server → stream growth over the last RATE_WINDOW_MS of simulated time. */
  readonly growth: Readonly<Record<string, readonly GrowthSample[]>>;
  /** replica → the masters it completed a sync with (full or partial), since it was declared. */
  readonly synced: Readonly<Record<string, readonly string[]>>;
  /** Replication IDs masters announced (+FULLRESYNC, +CONTINUE, their IDs in a decision). */
  readonly masterIds: readonly string[];
}

export const EMPTY_EVENT_VIEW: EventView = {
  messages: [],
  waiting: {},
  psync: {},
  lastPsync: null,
  costs: {},
  flashes: {},
  flashSeq: 0,
  growth: {},
  synced: {},
  masterIds: [],
};

/** Replication IDs a view remembers as announced by masters (the newest ones). */
const MAX_MASTER_IDS = 64;

function wireMessage(view: EventView, e: Extract<SimEvent, { type: 'message' }>): WireMessage {
  // TCP sends in order: the first byte leaves once what was queued before it on this connection
  // and direction has left. A message gone from the wire arrived before now, so it left before.
  let startAt = e.sendAt;
  for (const m of view.messages)
    if (m.conn === e.conn && m.from === e.from && m.sentAt > startAt) startAt = m.sentAt;
  // Behind the drawn ones, those waiting their turn: the last on this connection left last.
  const w = view.waiting[channelOf({ ...e, rdbChannel: e.channel === 'rdb' })];
  for (let i = (w?.end ?? 0) - 1; w && i >= w.start; i--) {
    const m = w.items[i]!;
    if (m.conn !== e.conn) continue;
    startAt = Math.max(startAt, m.sentAt);
    break;
  }
  startAt = Math.min(startAt, e.finishAt);
  const p = view.psync[e.to];
  const first = e.commands?.[0];
  const backlogSlice =
    e.kind === 'STREAM' &&
    p &&
    p.result === 'continue' &&
    p.master === e.from &&
    p.at === e.sendAt &&
    first?.off === p.offset
      ? { offset: p.offset, bytes: p.bytes }
      : null;
  return {
    id: e.id,
    from: e.from,
    to: e.to,
    kind: e.kind,
    label: e.label,
    bytes: e.bytes,
    sendAt: e.sendAt,
    sentAt: e.finishAt,
    arriveAt: e.arriveAt,
    droppedAt: null,
    resp: e.commands ? e.commands.map((c) => respEncode(c.argv)).join('') : null,
    conn: e.conn,
    ...(e.channel === 'rdb' ? { rdbChannel: true } : {}),
    startAt,
    commands: e.commands ? e.commands.map((c) => ({ off: c.off, argv: c.argv })) : null,
    backlogSlice,
  };
}

const HEX40 = /^[0-9a-f]{40}$/;
const ZERO_ID = '0'.repeat(40);

/** `ids` with the 40-hex replication IDs among `more` added (the newest MAX_MASTER_IDS). */
function withIds(ids: readonly string[], more: readonly string[]): readonly string[] {
  const add = more
    .map((x) => x.toLowerCase())
    .filter(
      (x, i, all) => HEX40.test(x) && x !== ZERO_ID && !ids.includes(x) && all.indexOf(x) === i,
    );
  return add.length === 0 ? ids : [...ids, ...add].slice(-MAX_MASTER_IDS);
}

/** The IDs a master announced in a decision: its own when it told them (or matched them). */
function announcedIn(e: Extract<SimEvent, { type: 'psync' }>): string[] {
  const out: string[] = [];
  for (const c of e.checks) {
    if (c.id !== 'replid') continue;
    if (c.reason.k === 'replid-mismatch') out.push(c.reason.id1, c.reason.id2);
    else if (c.ok) out.push(e.replid);
  }
  return out;
}

/**
 * A first synchronisation (see PsyncDecision.firstSync): judged from what the events said before
 * this decision — the syncs the replica completed and the IDs masters announced.
 */
function isFirstSync(view: EventView, e: Extract<SimEvent, { type: 'psync' }>): boolean {
  if ((view.synced[e.replica] ?? []).includes(e.master)) return false;
  const c = e.checks.find((x) => x.id === 'replid');
  if (!c || c.ok) return false;
  if (c.reason.k === 'no-replid') return true;
  return c.reason.k === 'replid-mismatch' && !view.masterIds.includes(e.replid.toLowerCase());
}

/** The view with `replica`'s decision replaced (lastPsync follows when it was that one). */
function withDecision(view: EventView, replica: string, d: PsyncDecision): EventView {
  const old = view.psync[replica];
  return {
    ...view,
    psync: { ...view.psync, [replica]: d },
    lastPsync: view.lastPsync === old ? d : view.lastPsync,
  };
}

/** The view with the current decision of `replica` marked as belonging to a connection that ended. */
function endDecision(view: EventView, replica: string, at: number): EventView {
  const d = view.psync[replica];
  if (!d || d.endedAt !== null || at < d.at) return view;
  return withDecision(view, replica, { ...d, endedAt: at });
}

function without<T>(rec: Readonly<Record<string, T>>, key: string): Readonly<Record<string, T>> {
  if (!(key in rec)) return rec;
  const { [key]: _gone, ...rest } = rec;
  return rest;
}

/** The view after one engine event. */
export function applyEvent(view: EventView, e: SimEvent): EventView {
  switch (e.type) {
    case 'message': {
      const m = wireMessage(view, e);
      const ch = channelOf(m);
      const w = view.waiting[ch];
      const masterIds =
        e.kind === 'FULLRESYNC' || e.kind === 'CONTINUE'
          ? withIds(view.masterIds, e.label.split(' '))
          : view.masterIds;
      // Its channel has its fill drawn (or others wait before it): it waits its turn.
      const next =
        (w && w.end > w.start) || drawnOn(view.messages, m) >= MAX_MESSAGES_PER_CHANNEL
          ? { ...view, waiting: { ...view.waiting, [ch]: pushWaiting(w, m) }, masterIds }
          : { ...view, messages: [...view.messages, m], masterIds };
      // A FULLRESYNC sent after the BGSAVE started carries the offset the decision could not know.
      const p = view.psync[e.to];
      if (e.kind !== 'FULLRESYNC' || !p || p.result !== 'fullresync' || p.reply === e.label)
        return next;
      return withDecision(next, e.to, { ...p, reply: e.label });
    }
    case 'dropped': {
      if (view.messages.some((m) => m.id === e.id && m.droppedAt === null)) {
        const messages = view.messages.map((m) => (m.id === e.id ? { ...m, droppedAt: e.at } : m));
        return { ...view, messages };
      }
      // Lost before its turn came: it fades out where it waited, once drawn.
      for (const [ch, w] of Object.entries(view.waiting)) {
        const i = w.items.findIndex((m, k) => k >= w.start && k < w.end && m.id === e.id);
        if (i < 0 || w.items[i]!.droppedAt !== null) continue;
        const items = w.items
          .slice(w.start, w.end)
          .map((m) => (m.id === e.id ? { ...m, droppedAt: e.at } : m));
        return {
          ...view,
          waiting: { ...view.waiting, [ch]: { items, start: 0, end: items.length } },
        };
      }
      return view;
    }
    case 'psync': {
      const { type: _type, ...rest } = e;
      const d: PsyncDecision = { ...rest, firstSync: isFirstSync(view, e), endedAt: null };
      return {
        ...view,
        psync: { ...view.psync, [e.replica]: d },
        lastPsync: d,
        masterIds: withIds(view.masterIds, announcedIn(e)),
      };
    }
    case 'replState':
      // The replica's link was lost (or it stopped replicating): the next PSYNC decides again.
      return e.after === 'connect' || e.after === 'none' ? endDecision(view, e.server, e.at) : view;
    case 'slaveState':
      return e.state === 'gone' ? endDecision(view, e.replica, e.at) : view;
    case 'resynced': {
      const cost: ResyncCost = {
        replica: e.replica,
        kind: e.kind,
        bytes: e.bytes,
        ms: e.at - e.startedAt,
        at: e.at,
      };
      const masters = view.synced[e.replica] ?? [];
      const synced = masters.includes(e.master)
        ? view.synced
        : { ...view.synced, [e.replica]: [...masters, e.master] };
      return { ...view, costs: { ...view.costs, [e.replica]: cost }, synced };
    }
    case 'offset': {
      if (e.after <= e.before) return view;
      const prev = view.growth[e.server] ?? [];
      const last = prev.at(-1);
      // Writes within one GROWTH_BUCKET_MS are one sample (at the latest one's time): the window
      // holds at most RATE_WINDOW_MS / GROWTH_BUCKET_MS + 1 samples, however fast the writes come.
      // (One copy of the list per event: a stream sends one for every write on every server.)
      const list = prev.slice();
      if (last && Math.floor(last.at / GROWTH_BUCKET_MS) === Math.floor(e.at / GROWTH_BUCKET_MS))
        list[list.length - 1] = { at: e.at, bytes: last.bytes + e.after - e.before };
      else list.push({ at: e.at, bytes: e.after - e.before });
      return { ...view, growth: { ...view.growth, [e.server]: list } };
    }
    case 'keyspace': {
      if (e.keys.length === 0) return view;
      let seq = view.flashSeq;
      // (A Map: key names are the user's, and a record of ever-new names is a hash table anyway.)
      const cur = new Map(view.flashes[e.server]);
      for (const k of e.keys) {
        cur.delete(k);
        cur.set(k, ++seq);
      }
      newest(cur);
      return { ...view, flashes: { ...view.flashes, [e.server]: cur }, flashSeq: seq };
    }
    case 'removed': {
      // A removed server has no decision, no cost, no history left to show.
      const flashes = without(view.flashes, e.server);
      const growth = without(view.growth, e.server);
      const psync = without(view.psync, e.server);
      const costs = without(view.costs, e.server);
      const synced = without(view.synced, e.server);
      if (
        flashes === view.flashes &&
        growth === view.growth &&
        psync === view.psync &&
        costs === view.costs &&
        synced === view.synced
      )
        return view;
      let lastPsync = view.lastPsync;
      if (lastPsync && lastPsync.replica === e.server) {
        lastPsync = null;
        for (const d of Object.values(psync)) if (!lastPsync || d.at >= lastPsync.at) lastPsync = d;
      }
      return { ...view, flashes, growth, psync, costs, synced, lastPsync };
    }
    default:
      return view;
  }
}

/**
 * Forgets all but the MAX_FLASHED_KEYS highest counters of `flashes` (a fresh copy, changed in
 * place). Its keys are in counter order (each set again is deleted first), so the first go.
 */
function newest(flashes: Map<string, number>): void {
  for (const k of flashes.keys()) {
    if (flashes.size <= MAX_FLASHED_KEYS) break;
    flashes.delete(k);
  }
}

/** How many of `messages` travel on the channel of `like` (compared field by field, no string). */
function drawnOn(messages: readonly WireMessage[], like: WireMessage): number {
  const rdb = like.rdbChannel === true;
  let n = 0;
  for (const m of messages)
    if (m.from === like.from && m.to === like.to && (m.rdbChannel === true) === rdb) n++;
  return n;
}

/** `w` with `m` at its end (the same `w` when it is full: `m` is then neither drawn nor counted). */
function pushWaiting(w: Waiting | undefined, m: WireMessage): Waiting {
  if (!w) return { items: [m], start: 0, end: 1 };
  if (w.end - w.start >= MAX_WAITING_PER_CHANNEL) return w;
  // Another view appended here already (a run forked by time travel): this one copies its own.
  const items = (w.items.length === w.end ? w.items : w.items.slice(0, w.end)) as WireMessage[];
  items.push(m);
  return { items, start: w.start, end: w.end + 1 };
}

/** `items[start..end)` as a Waiting, copied into a fresh array once most of it is gone. */
function compacted(items: readonly WireMessage[], start: number, end: number): Waiting {
  return start > 256 && start * 2 > items.length
    ? { items: items.slice(start, end), start: 0, end: end - start }
    : { items, start, end };
}

/** Two lists in id order (the order the engine sent them in) as one. */
function mergeById(a: readonly WireMessage[], b: readonly WireMessage[]): WireMessage[] {
  const out: WireMessage[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length)
    out.push(j >= b.length || (i < a.length && a[i]!.id < b[j]!.id) ? a[i++]! : b[j++]!);
  return out;
}

/**
 * How many of `items[from..to)`, in the order they were sent, were sent by `now` (`sendAt` of
 * each): a binary search.
 */
export function sentBy<T>(
  items: readonly T[],
  sendAt: (x: T) => number,
  now: number,
  from = 0,
  to = items.length,
): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sendAt(items[mid]!) <= now) lo = mid + 1;
    else hi = mid;
  }
  return lo - from;
}

/** How many messages of `w` were sent by `now`. */
export function waitingSentBy(w: Waiting | undefined, now: number): number {
  return w ? sentBy(w.items, (m) => m.sendAt, now, w.start, w.end) : 0;
}

function onWire(m: WireMessage, now: number): boolean {
  return m.droppedAt !== null ? now < m.droppedAt + DROP_FADE_MS : now <= m.arriveAt;
}

/**
 * The view at simulated time `now`: messages that arrived (or finished fading) leave the wire,
 * growth older than the rate window is forgotten. Returns `view` itself when nothing changed.
 */
export function settleEvents(view: EventView, now: number): EventView {
  let messages = view.messages;
  if (messages.some((m) => !onWire(m, now))) messages = messages.filter((m) => onWire(m, now));
  // Each channel draws its first MAX_MESSAGES_PER_CHANNEL: those waiting move up as room frees.
  let waiting = view.waiting;
  for (const [ch, w] of Object.entries(view.waiting)) {
    const first = w.items[w.start];
    if (first === undefined) continue;
    let room = MAX_MESSAGES_PER_CHANNEL - drawnOn(messages, first);
    let start = w.start;
    const up: WireMessage[] = [];
    for (; start < w.end; start++) {
      const m = w.items[start]!;
      if (!onWire(m, now)) continue; // arrived or faded before its turn came
      if (room <= 0) break;
      up.push(m);
      room--;
    }
    if (start === w.start) continue;
    if (up.length > 0) messages = mergeById(messages, up);
    waiting =
      start === w.end
        ? without(waiting, ch)
        : { ...waiting, [ch]: compacted(w.items, start, w.end) };
  }
  let growth = view.growth;
  for (const [server, list] of Object.entries(view.growth)) {
    // Samples are in time order: the first one tells whether any is too old.
    if ((list[0]?.at ?? Infinity) > now - RATE_WINDOW_MS) continue;
    const kept = list.filter((g) => g.at > now - RATE_WINDOW_MS);
    growth = kept.length > 0 ? { ...growth, [server]: kept } : without(growth, server);
  }
  return messages === view.messages && growth === view.growth && waiting === view.waiting
    ? view
    : { ...view, messages, waiting, growth };
}

/** Simulated time at which the engine emitted `e`; a drop has none (its `at` may lie ahead). */
function emittedAt(e: SimEvent): number | null {
  if (e.type === 'message') return e.sendAt;
  if (e.type === 'dropped') return null;
  return e.at;
}

/**
 * Folds events into a view, settling it at each event's time and finally at `now`. The store
 * folds each frame's new events this way, and a replay of the whole history from
 * EMPTY_EVENT_VIEW gives the same view (as long as no channel has more than
 * MAX_WAITING_PER_CHANNEL waiting).
 */
export function foldEvents(view: EventView, events: Iterable<SimEvent>, now: number): EventView {
  let v = view;
  let settled = -Infinity;
  for (const e of events) {
    const t = emittedAt(e);
    // Settling is idempotent at one time: once per distinct time is enough.
    if (t !== null && t > settled) {
      v = settleEvents(v, t);
      settled = t;
    }
    v = applyEvent(v, e);
  }
  return settleEvents(v, now);
}

/** True when some message that was not dropped reaches its receiver in (from, to]. */
export function arrivesBetween(
  messages: readonly WireMessage[],
  from: number,
  to: number,
): boolean {
  return messages.some((m) => m.droppedAt === null && m.arriveAt > from && m.arriveAt <= to);
}

/** Events worth stopping at for "skip to next": a decision, a transfer, a link going up or down. */
export function isMilestone(e: SimEvent): boolean {
  switch (e.type) {
    case 'psync':
    case 'resynced':
    case 'bgsave':
      return true;
    case 'replState':
      return (
        !(e.after === 'connect' || e.after === 'connecting') ||
        e.before === 'connected' ||
        e.before === 'transfer'
      );
    default:
      return false;
  }
}
