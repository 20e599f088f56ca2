/**
 * What every engine module works on: the plain-data state, the events of the step under way (the
 * facade delivers them when the step has finished), and the two handlers through which the
 * network tells a master or a replica that a connection closed (wired once by the facade, so the
 * master side and the replica side never import each other).
 */
import { dialectOf, type Dialect } from './dialect';
import type { SimEvent } from './events';
import { formatLogLine, type LogLevel } from './log';
import type { ReplState, ServerState, SimState } from './types';

/** `server.c`'s notion of "this connection is gone", told to the side that did not close it. */
export interface ConnClosedHandlers {
  /** The master side frees the client of a replica or would-be replica (freeClient). */
  master(w: World, m: ServerState, connId: number, reset: boolean): void;
  /** The replica side finds its link to its master (or its handshake) closed. */
  replica(w: World, s: ServerState, connId: number): void;
}

export interface World {
  state: SimState;
  /** Events of the step under way, oldest first. */
  readonly out: SimEvent[];
  readonly closed: ConnClosedHandlers;
}

/** The all-zero replication ID (`replid2` when there is no previous one). */
export const ZERO_REPLID = '0000000000000000000000000000000000000000';

/** Default wall clock at time 0: 27 Feb 2020 14:06:23 UTC (the seed's logs). */
export const DEFAULT_WALL_START_MS = Date.UTC(2020, 1, 27, 14, 6, 23, 0);

export function dialect(w: World): Dialect {
  return dialectOf(w.state.version);
}

export function emit(w: World, e: SimEvent): void {
  w.out.push(e);
}

/** Unix ms of the simulated wall clock. */
export function wallMs(w: World): number {
  return w.state.wallStartMs + w.state.now;
}

/** `mstime()`: whole milliseconds of the wall clock, as Redis's keyspace sees time. */
export function mstime(w: World): number {
  return Math.floor(wallMs(w));
}

/** `server.unixtime`: whole seconds. */
export function unixtime(w: World): number {
  return Math.floor(wallMs(w) / 1000);
}

/** Whole unix seconds of a simulated-ms moment (Redis compares `repl_ack_time` this way). */
export function unixtimeAt(w: World, simMs: number): number {
  return Math.floor((w.state.wallStartMs + simMs) / 1000);
}

const MAX_LOG_LINES = 20000;

/** serverLog: the role character follows the server's role at the moment of the line. */
export function log(w: World, s: ServerState, level: LogLevel, msg: string): void {
  logAs(w, s, s.masterhost ? 'S' : 'M', level, msg);
}

/** serverLog with an explicit role character (`C` for a child, or before the role is known). */
export function logAs(
  w: World,
  s: ServerState,
  role: string,
  level: LogLevel,
  msg: string,
  pid = s.pid,
): void {
  const [lvl, text] = dialect(w).reword(level, msg);
  const line = formatLogLine(pid, role, wallMs(w), lvl, text);
  s.log.push(line);
  if (s.log.length > MAX_LOG_LINES) s.log.splice(0, s.log.length - MAX_LOG_LINES);
  emit(w, { type: 'log', server: s.name, line, at: w.state.now });
}

export function setReplState(w: World, s: ServerState, st: ReplState): void {
  if (s.repl_state === st) return;
  const before = s.repl_state;
  s.repl_state = st;
  emit(w, { type: 'replState', server: s.name, before, after: st, at: w.state.now });
}

export function setOffset(w: World, s: ServerState, off: number): void {
  const before = s.master_repl_offset;
  if (before === off) return;
  s.master_repl_offset = off;
  emit(w, { type: 'offset', server: s.name, before, after: off, at: w.state.now });
}

/** Redis's string2ll: optional '-', digits, no leading zeros or '+', fits 64-bit. */
export function parseStrictInt(s: string): number | null {
  if (!/^-?(0|[1-9][0-9]*)$/.test(s)) return null;
  const n = Number(s);
  if (!Number.isSafeInteger(n)) return null;
  return n;
}

/** Deep copy of plain data. */
export function deepClone<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(deepClone) as T;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = deepClone((v as Record<string, unknown>)[k]);
  return out as T;
}
