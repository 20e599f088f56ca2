/**
 * Selectors over the store's state. Anything the UI derives from the views — the backlog
 * forecast, whether an offset is outside the backlog, the write rate — is named here, built on the
 * engine's own values (server views, the PSYNC decision's checks) and never worked out in a
 * component.
 */
import { logTimestamp } from '../engine/log';
import { backlogCovers } from '../engine/psync';
import { respEncode, respLength } from '../engine/resp';
import { answerOf, askKey, type AskKind } from '../lab/scenario';
import { MIN_RATE, RATE_WINDOW_MS } from './constants';
import type { LabState } from './state';
import type { BacklogView, PsyncDecision, ServerView, WireMessage } from './types';

export const selectServer =
  (name: string) =>
  (s: LabState): ServerView | undefined =>
    s.servers.find((x) => x.name === name);

export const selectMaster = (s: LabState): ServerView | undefined =>
  s.servers.find((x) => x.name === s.mainMaster);

/** Names of the servers other than the main master, comma-separated (a stable string). */
export const selectReplicaNames = (s: LabState): string =>
  s.servers
    .filter((x) => x.name !== s.mainMaster)
    .map((x) => x.name)
    .join(',');

export const selectReplicaCount = (s: LabState): number =>
  s.servers.filter((x) => x.name !== s.mainMaster).length;

// --------------------------------------------------------------------------------- the backlog

/**
 * Whether a PSYNC for `offset` passes the master's range check against `backlog` — the engine's
 * own range check (psync.ts `backlogCovers`) applied to the backlog the view shows. No backlog: nothing is in it.
 */
export function offsetInBacklog(
  backlog: Pick<BacklogView, 'first' | 'histlen'> | null,
  offset: number,
): boolean {
  return backlogCovers(backlog && { offset: backlog.first, histlen: backlog.histlen }, offset);
}

/** The engine's verdict on a PSYNC: its range check failed (false when it never got that far). */
export function psyncOutsideBacklog(d: PsyncDecision): boolean {
  return d.checks.some((c) => c.id === 'range' && !c.ok);
}

/** The master's backlog when the engine decided the PSYNC: [first, last] and master_repl_offset. */
export function psyncWindow(
  d: PsyncDecision,
): { readonly first: number; readonly last: number; readonly masterOffset: number } | null {
  if (!d.backlog) return null;
  const first = d.backlog.offset;
  return { first, last: first + d.backlog.histlen, masterOffset: d.master_repl_offset };
}

export interface ReplicaForecast {
  readonly name: string;
  readonly offset: number;
  /** The offset its next PSYNC asks for: one past the last byte it has. */
  readonly next: number;
  /** Bytes the master wrote that this replica has not got, or null when it has them all. */
  readonly missed: { readonly from: number; readonly to: number } | null;
  /** `next` fails the range check of the master's backlog now: a PSYNC now gets +FULLRESYNC. */
  readonly outside: boolean;
  readonly online: boolean;
  /** Its network is cut or its link is down: it cannot catch up until it reconnects. */
  readonly disconnected: boolean;
  /** Bytes the master must still write for `next` to leave the backlog (see bytesUntilOut). */
  readonly bytesLeft: number;
  /** `bytesLeft` is a lower bound: the block `next` will be in is not allocated yet. */
  readonly atLeast: boolean;
}

/**
 * How many more bytes the master (at master_repl_offset `m`) must write for offset `next` to
 * leave backlog `b`. The ring of Redis ≤ 6.2 keeps the last repl-backlog-size bytes. Redis 7
 * frees whole blocks: the oldest goes once the blocks after it alone hold more than
 * repl-backlog-size (incrementalTrimReplicationBacklog), so an offset leaves with its block — the
 * backlog may hold up to a block more than repl-backlog-size meanwhile. When `next`'s block is not
 * allocated yet its size is unknown, and the count is a lower bound (`atLeast`).
 */
export function bytesUntilOut(
  b: Pick<BacklogView, 'size' | 'blocks'>,
  m: number,
  next: number,
): { readonly bytes: number; readonly atLeast: boolean } {
  const block = b.blocks?.find((x) => x.start <= next && next < x.start + x.size);
  if (block) return { bytes: b.size + block.start + block.size - m, atLeast: false };
  return { bytes: b.size + next - m, atLeast: b.blocks !== null };
}

export interface BacklogForecast {
  readonly master: ServerView;
  /** repl_backlog_first_byte_offset, or one past master_repl_offset when there is no backlog. */
  readonly first: number;
  /** The master's master_repl_offset: the last byte it wrote. */
  readonly last: number;
  readonly replicas: readonly ReplicaForecast[];
}

function forecast(servers: readonly ServerView[], mainMaster: string): BacklogForecast | null {
  const m = servers.find((x) => x.name === mainMaster);
  if (!m) return null;
  const replicas = servers
    .filter((r) => r.masterName === m.name || (r.name !== m.name && r.role === 'replica'))
    .map((r): ReplicaForecast => {
      const next = r.offset + 1;
      const left = m.backlog
        ? bytesUntilOut(m.backlog, m.offset, next)
        : { bytes: 0, atLeast: false };
      return {
        name: r.name,
        offset: r.offset,
        next,
        missed: m.offset > r.offset ? { from: next, to: m.offset } : null,
        outside: !offsetInBacklog(m.backlog, next),
        online: r.link === 'online',
        disconnected: r.net !== 'up' || r.link === 'down',
        bytesLeft: left.bytes,
        atLeast: left.atLeast,
      };
    });
  return { master: m, first: m.backlog ? m.backlog.first : m.offset + 1, last: m.offset, replicas };
}

/** Forecasts by the server list they were made from (each store has its own lists). */
const forecasts = new WeakMap<
  readonly ServerView[],
  { readonly mainMaster: string; readonly value: BacklogForecast | null }
>();

/**
 * The main master's backlog and where every replica stands against it. The same object for as
 * long as the server views are the same, so it can be selected directly.
 */
export function selectBacklogForecast(s: LabState): BacklogForecast | null {
  const hit = forecasts.get(s.servers);
  if (hit && hit.mainMaster === s.mainMaster) return hit.value;
  const value = forecast(s.servers, s.mainMaster);
  forecasts.set(s.servers, { mainMaster: s.mainMaster, value });
  return value;
}

/** Bytes per second the main master's stream grew by over the last RATE_WINDOW_MS, at `now`. */
export function writeRateAt(s: Pick<LabState, 'growth' | 'mainMaster'>, now: number): number {
  const span = Math.min(RATE_WINDOW_MS, Math.max(1000, now));
  let bytes = 0;
  for (const g of s.growth[s.mainMaster] ?? [])
    if (g.at > now - RATE_WINDOW_MS && g.at <= now) bytes += g.bytes;
  return (bytes * 1000) / span;
}

/** Simulated ms until `bytes` are written at `rate` bytes/s (Infinity when nothing is written). */
export function msUntil(bytes: number, rate: number): number {
  return rate < MIN_RATE ? Infinity : (Math.max(0, bytes) / rate) * 1000;
}

export type GaugeLine =
  | { readonly name: string; readonly lost: true }
  | {
      readonly name: string;
      readonly lost: false;
      /** Bytes more the master must write for this replica's next offset to leave the backlog. */
      readonly bytesLeft: number;
      readonly atLeast: boolean;
      /** Simulated ms until then at the write rate (Infinity without writes). */
      readonly msLeft: number;
    };

export interface BacklogGauge {
  /** How long a disconnect the backlog absorbs at `rate` (Infinity without writes). */
  readonly absorbsMs: number;
  /** Replicas that are not online: fallen out of the backlog, or a countdown while disconnected. */
  readonly lines: readonly GaugeLine[];
}

/** The backlog gauge at a write rate (see writeRateAt). */
export function backlogGauge(f: BacklogForecast, rate: number): BacklogGauge {
  const lines: GaugeLine[] = [];
  for (const r of f.replicas) {
    if (r.online) continue;
    if (r.missed && r.outside) lines.push({ name: r.name, lost: true });
    else if (r.disconnected && !r.outside)
      lines.push({
        name: r.name,
        lost: false,
        bytesLeft: r.bytesLeft,
        atLeast: r.atLeast,
        msLeft: msUntil(r.bytesLeft, rate),
      });
  }
  return { absorbsMs: msUntil(f.master.backlogSize, rate), lines };
}

// ---------------------------------------------------------------------------- repl-timeout

/** One side of a replication link that will give up at `at` (simulated ms) unless data arrives. */
export interface TimeoutCountdown {
  /** `master`: it drops the replica (no ACK); `replica`: "MASTER timeout" (no data nor PING). */
  readonly side: 'master' | 'replica';
  readonly master: string;
  readonly replica: string;
  readonly at: number;
  /** repl-timeout of the side that gives up, in seconds. */
  readonly timeout: number;
}

const SILENT_CUTS: ReadonlySet<string> = new Set(['stopped', 'silent']);

function timeouts(servers: readonly ServerView[]): TimeoutCountdown[] {
  const out: TimeoutCountdown[] = [];
  for (const r of servers) {
    const m = r.masterName ? servers.find((x) => x.name === r.masterName) : undefined;
    if (!m || !(SILENT_CUTS.has(r.net) || SILENT_CUTS.has(m.net))) continue;
    const link = m.replicas.find((x) => x.server === r.name);
    if (link?.timeoutAt != null)
      out.push({
        side: 'master',
        master: m.name,
        replica: r.name,
        at: link.timeoutAt,
        timeout: m.replTimeout,
      });
    if (r.masterTimeoutAt !== null)
      out.push({
        side: 'replica',
        master: m.name,
        replica: r.name,
        at: r.masterTimeoutAt,
        timeout: r.replTimeout,
      });
  }
  return out;
}

const timeoutLists = new WeakMap<readonly ServerView[], readonly TimeoutCountdown[]>();

/**
 * While a stopped or silent cut lasts (nobody is told: packets just vanish), the repl-timeout
 * countdowns of both ends of each cut link: the master drops the replica repl-timeout after its
 * last ACK, the replica gives up on its master repl-timeout after the last data or PING. The same
 * array for as long as the server views are the same.
 */
export function selectTimeouts(s: Pick<LabState, 'servers'>): readonly TimeoutCountdown[] {
  const hit = timeoutLists.get(s.servers);
  if (hit) return hit;
  const value = timeouts(s.servers);
  timeoutLists.set(s.servers, value);
  return value;
}

// ------------------------------------------------------------------------------------ the wires

/** Messages on the wire between `a` and `b` (either direction). */
export function messagesBetween(msgs: readonly WireMessage[], a: string, b: string): WireMessage[] {
  return msgs.filter((m) => (m.from === a && m.to === b) || (m.from === b && m.to === a));
}

/**
 * The messages of one of the two links a Valkey dual-channel sync has between two servers: the
 * main connection's (`rdb` false) or the rdb channel's.
 */
export function channelMessages(
  msgs: readonly WireMessage[],
  a: string,
  b: string,
  rdb: boolean,
): WireMessage[] {
  return messagesBetween(msgs, a, b).filter((m) => !!m.rdbChannel === rdb);
}

/**
 * Where a message is on its wire, 0 (sender) … 1 (receiver), at simulated time `now`: it leaves
 * when its first byte does (startAt, after what was queued before it) and is there when its last
 * byte is (arriveAt). A dropped message stops where it was lost.
 */
export function messageProgress(m: WireMessage, now: number): number {
  const t = m.droppedAt !== null ? Math.min(now, m.droppedAt) : now;
  const span = m.arriveAt - m.startAt;
  if (span <= 0) return t >= m.arriveAt ? 1 : 0;
  return Math.min(1, Math.max(0, (t - m.startAt) / span));
}

/** Fraction of a message's bytes that have left the sender (for the RDB progress bar). */
export function bytesProgress(m: WireMessage, now: number): number {
  const span = m.sentAt - m.startAt;
  if (span <= 0) return now >= m.startAt ? 1 : 0;
  return Math.min(1, Math.max(0, (now - m.startAt) / span));
}

// ----------------------------------------------------------------------- reconnecting replicas

export interface ReconnectInfo {
  /** "Connecting to MASTER" lines since the replica last reached its master (TCP connected). */
  readonly attempts: number;
  /** Why the last attempt (or the link) failed, as Redis logged it; null while none failed. */
  readonly error: string | null;
}

/** Messages after which a replica is no longer retrying (its connect went through). */
const RECONNECTED =
  /^(Non blocking connect for SYNC fired the event\.|MASTER <-> REPLICA sync: Finished with success|Successful partial resynchronization)/;
const CONNECT_ERROR =
  /^(?:Error condition on socket for SYNC: |Unable to connect to MASTER: |Failed to connect to MASTER: )(.*)$/;

/**
 * A replica's reconnection attempts, read from its log as Redis writes it (replicationCron tries
 * once a second: "Connecting to MASTER …", then an error such as "Connection refused" or
 * "Network is unreachable"). Pure: pass the replica's log lines.
 */
export function reconnectInfo(lines: readonly { readonly text: string }[]): ReconnectInfo {
  let attempts = 0;
  let error: string | null = null;
  for (let i = lines.length - 1; i >= 0; i--) {
    const text = lines[i]?.text ?? '';
    // `pid:R dd Mon yyyy HH:MM:SS.mmm L message`
    const msg = text.replace(/^\d+:[A-Z] \d\d \w{3} \d{4} \d\d:\d\d:\d\d\.\d{3} [.\-*#] /, '');
    if (RECONNECTED.test(msg)) break;
    if (msg.startsWith('Connecting to MASTER ')) attempts++;
    else if (error === null) {
      const m = CONNECT_ERROR.exec(msg);
      if (m) error = m[1] ?? msg;
      else if (msg === 'Connection with master lost.' || msg.startsWith('MASTER timeout'))
        error = msg;
    }
  }
  return { attempts, error };
}

// ------------------------------------------------------------------------------ the sim clock

/** The simulated wall clock as Redis's log lines print it: `dd Mon yyyy HH:MM:SS.mmm` (UTC). */
export function clockText(unixMs: number): { readonly date: string; readonly time: string } {
  const stamp = logTimestamp(unixMs);
  return { date: stamp.slice(0, 11), time: stamp.slice(12) };
}

// ------------------------------------------------------------------------ the RESP side by side

export interface StreamRow {
  /** Offset of the command's first byte in the replication stream. */
  readonly off: number;
  /** Its bytes as RESP (a JS string; its UTF-8 encoding is what travels). */
  readonly resp: string;
  readonly argv: readonly string[];
  /** Bytes it adds to master_repl_offset. */
  readonly bytes: number;
}

/**
 * The commands of the replication stream `master` has on its wires now, once each (every replica
 * gets the same bytes at the same offsets), in offset order: so `off + bytes` is the next row's
 * offset — offsets count bytes.
 */
export function streamRows(msgs: readonly WireMessage[], master: string): StreamRow[] {
  const rows = new Map<number, StreamRow>();
  for (const m of msgs) {
    if (m.from !== master || m.kind !== 'STREAM' || !m.commands) continue;
    for (const c of m.commands)
      if (!rows.has(c.off))
        rows.set(c.off, {
          off: c.off,
          resp: respEncode(c.argv),
          argv: c.argv,
          bytes: respLength(c.argv),
        });
  }
  return [...rows.values()].sort((a, b) => a.off - b.off);
}

/** A prediction of the lesson's current step: what the student said, and what the run did. */
export interface PredictionView {
  readonly kind: AskKind;
  readonly replica: string;
  readonly given: string | null;
  /** null until the step has run its PSYNC. */
  readonly actual: string | null;
  readonly correct: boolean | null;
}

/** The predictions of step `lessonStep`, revealed by the PSYNC decisions made since it started. */
export function selectPredictions(s: LabState): readonly PredictionView[] {
  const k = s.lessonStep;
  const step = s.lesson && k > 0 ? s.lesson.steps[k - 1] : undefined;
  if (!step || step.asks.length === 0) return NO_PREDICTIONS;
  const started = s.stepStarts[k - 1] ?? Infinity;
  return step.asks.map((a) => {
    const given = s.answers[askKey(k, a.kind, a.replica)] ?? null;
    const d = s.psync[a.replica];
    const actual = d && d.at >= started ? answerOf(a.kind, d) : null;
    const correct =
      actual === null || given === null || given === ''
        ? null
        : a.kind === 'resync'
          ? given === actual
          : Number(given.replace(/[\s_.,]/g, '')) === Number(actual);
    return { kind: a.kind, replica: a.replica, given, actual, correct };
  });
}
const NO_PREDICTIONS: readonly PredictionView[] = [];
