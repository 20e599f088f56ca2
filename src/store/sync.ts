/**
 * The bridge from the runtime to the reactive state: the engine-view slice and `flush`, which
 * every action and every frame ends with.
 */
import type { StoreApi } from 'zustand/vanilla';
import { KEY_LIST_EVERY_FRAMES, WAIT_PART_MS } from './constants';
import { arrivesBetween, EMPTY_EVENT_VIEW, foldEvents, type EventView } from './projection';
import type { LabRuntime } from './runtime';
import { writeRateAt } from './selectors';
import { buildLogs, buildServerViews, topologyRoot } from './serverViews';
import type { EngineViewSlice, LabState, Slice } from './state';

type Writable<T> = { -readonly [K in keyof T]?: T[K] };

/** The data of the engine view before anything is declared. */
export const EMPTY_ENGINE_VIEW = {
  ...EMPTY_EVENT_VIEW,
  rev: 0,
  servers: [],
  mainMaster: 'master',
  logs: {},
  latencyMs: 0,
  bytesPerSec: null,
} satisfies Omit<EngineViewSlice, 'getNow' | 'getWallStartMs' | 'onFrame' | 'writeRate'>;

export const createEngineViewSlice =
  (rt: LabRuntime): Slice<EngineViewSlice> =>
  (_set, get) => ({
    ...EMPTY_ENGINE_VIEW,
    getNow: () => rt.now,
    getWallStartMs: () => rt.wallStartMs,
    onFrame: (fn) => rt.onFrame(fn),
    writeRate: () => writeRateAt(get(), rt.now),
  });

function eventViewOf(s: LabState): EventView {
  return {
    messages: s.messages,
    waiting: s.waiting,
    psync: s.psync,
    lastPsync: s.lastPsync,
    costs: s.costs,
    flashes: s.flashes,
    flashSeq: s.flashSeq,
    growth: s.growth,
    synced: s.synced,
    masterIds: s.masterIds,
  };
}

/** Flushes now if the views wait for the frame's tick (a reader that needs them current). */
export function settle(
  rt: LabRuntime,
  get: StoreApi<LabState>['getState'],
  set: StoreApi<LabState>['setState'],
): void {
  if (rt.viewsBehind || rt.keysBehind.size > 0) flush(rt, get, set, false);
}

/**
 * Pushes what happened in the engine since the last flush into the store, then runs the frame
 * listeners. The event half of the views is folded from the new events; the server views and
 * logs are rebuilt only when the engine said something changed (an event, an applied statement)
 * or a message reached its receiver, and keep every unchanged part's reference. Nothing is set
 * when nothing changed. With `frame` false the frame listeners are left for the next frame's tick
 * (an intention while playing: twenty writes in one frame place the packets once, not twenty times).
 * With `thinKeys` (a playing frame) a server's key list is rebuilt at most every
 * KEY_LIST_EVERY_FRAMES frames, and one server's a frame (keyListDue); the servers whose keyspace
 * changed meanwhile wait in `rt.keysBehind`.
 */
export function flush(
  rt: LabRuntime,
  get: StoreApi<LabState>['getState'],
  set: StoreApi<LabState>['setState'],
  frame = true,
  thinKeys = false,
): void {
  const s = get();
  const now = rt.now;
  rt.viewsBehind = false;
  const { events, changed } = rt.drain();
  const before = eventViewOf(s);
  const after = foldEvents(before, events, now);
  const arrived = arrivesBetween(s.messages, rt.flushedAt, now);
  rt.flushedAt = now;

  const patch: Writable<LabState> = {};
  for (const k of Object.keys(before) as Array<keyof EventView>)
    if (after[k] !== before[k]) Object.assign(patch, { [k]: after[k] });

  for (const e of events) if (e.type === 'keyspace') rt.keysBehind.add(e.server);
  const keyspaceChanged = thinKeys ? keyListDue(rt) : new Set(rt.keysBehind);
  for (const name of keyspaceChanged) {
    rt.keysBehind.delete(name);
    rt.keysBuiltAt.set(name, rt.keyFrames);
  }
  if (changed || arrived || keyspaceChanged.size > 0) {
    const sim = rt.sim;
    const servers = sim
      ? buildServerViews(sim.state, s.servers, { keyspaceChanged })
      : EMPTY_ENGINE_VIEW.servers;
    const logs = sim ? buildLogs(sim.state, s.logs) : EMPTY_ENGINE_VIEW.logs;
    if (servers !== s.servers || logs !== s.logs) {
      patch.servers = servers;
      patch.logs = logs;
      patch.rev = s.rev + 1;
    }
    const mainMaster = topologyRoot(servers) ?? EMPTY_ENGINE_VIEW.mainMaster;
    if (mainMaster !== s.mainMaster) patch.mainMaster = mainMaster;
    if (sim && sim.state.latencyMs !== s.latencyMs) patch.latencyMs = sim.state.latencyMs;
    if (sim && sim.state.bytesPerSec !== s.bytesPerSec) patch.bytesPerSec = sim.state.bytesPerSec;
  }
  if (Object.keys(patch).length > 0) set(patch);
  if (frame) rt.emitFrame(now);
}

/**
 * The server whose key list a playing frame rebuilds, if any: the first in `rt.keysBehind` (the
 * one waiting there longest) among those whose list is at least KEY_LIST_EVERY_FRAMES frames
 * old. One a frame: a rebuild reads a whole keyspace, and under a stream every server's changes;
 * four in one frame were a frame's worth.
 */
function keyListDue(rt: LabRuntime): Set<string> {
  const frame = ++rt.keyFrames;
  for (const name of rt.keysBehind)
    if (frame - (rt.keysBuiltAt.get(name) ?? -Infinity) >= KEY_LIST_EVERY_FRAMES)
      return new Set([name]);
  return new Set();
}

/**
 * Runs the engine `ms` forward in parts of WAIT_PART_MS, the views folding each part's events (a
 * lesson step's long wait run at once); the caller flushes at the end.
 */
export function advanceInParts(
  rt: LabRuntime,
  get: StoreApi<LabState>['getState'],
  set: StoreApi<LabState>['setState'],
  ms: number,
): void {
  for (let left = ms; left > 0;) {
    const part = Math.min(left, WAIT_PART_MS);
    rt.advance(part);
    left -= part;
    if (left > 0) flush(rt, get, set, false);
  }
}
