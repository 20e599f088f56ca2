/**
 * What the store runs but does not show: the Lab (engine + lab script), the subscription to its
 * events, the simulated clock and the per-frame bus. Nothing here is
 * reactive and nothing touches the DOM; the store's slices drive it and `flush` (sync.ts) turns
 * what it collected into view state.
 *
 * The event listener only queues events: it never reads engine state (an event may be delivered
 * before or after the step that caused it has finished). The engine is read in the flush.
 */
import type { SimEvent } from '../engine/events';
import type { Simulation } from '../engine/sim';
import type { Statement } from '../lab/ast';
import type { Version } from '../engine/types';
import { Lab, type LabSnapshot, type StepResult } from '../lab/run';
import { isMilestone } from './projection';
import type { TimelineMark } from './types';

export type FrameListener = (now: number) => void;

/** The runtime at one moment: the lab, and the timeline marks its events left so far. */
export interface RuntimeSnapshot {
  readonly lab: LabSnapshot;
  readonly marks: readonly TimelineMark[];
}

/** The mark an engine event leaves on the timeline, if any: PSYNC decisions, resyncs finished. */
function markOf(e: SimEvent): TimelineMark | null {
  if (e.type === 'psync' && e.result !== 'nomasterlink')
    return {
      at: e.at,
      // Valkey's +DUALCHANNELSYNC is a full sync too, on a second connection.
      kind: e.result === 'dualchannelsync' ? 'fullresync' : e.result,
      server: e.replica,
      text: e.reply,
    };
  if (e.type === 'resynced')
    return { at: e.at, kind: 'synced', server: e.replica, text: e.kind, bytes: e.bytes };
  return null;
}

export class LabRuntime {
  private lab: Lab;
  private unsubscribe: (() => void) | null = null;
  private pending: SimEvent[] = [];
  private changed = true;
  private milestone = false;
  /** The milestone event the last stepToMilestone stopped at. */
  private milestoneEvent: SimEvent | null = null;
  private readonly frameListeners = new Set<FrameListener>();
  /** Simulated time of the last flush. */
  flushedAt = 0;
  /**
   * The engine has moved on since the last flush and the views wait for the frame's tick (an
   * intention while playing): `settle` brings them up to date for a reader that cannot wait.
   */
  viewsBehind = false;
  /** Servers whose key lists a playing frame left for a later one (KEY_LIST_EVERY_FRAMES). */
  readonly keysBehind = new Set<string>();
  /** Frames flushed while playing, to pace the key lists. */
  keyFrames = 0;
  /** server → the frame (keyFrames) its key list was last rebuilt at. */
  readonly keysBuiltAt = new Map<string, number>();
  /** The marks the engine's events left since the boot (PSYNC decisions, resyncs finished). */
  marks: readonly TimelineMark[] = [];

  /** The server a run imitates unless its script says otherwise (`version`); from the next boot. */
  version: Version = '7.0';

  constructor(readonly seed: number) {
    this.lab = new Lab({ seed });
  }

  /**
   * Which run the engine is on: a new number at each boot (a reset, a new lesson) and each restore
   * (a seek). A statement held back for its code belongs to the run it was typed in.
   */
  epoch = 0;

  /** A fresh engine: nothing declared, nothing pending, time zero. */
  boot(): void {
    this.epoch++;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.lab = new Lab({ seed: this.seed, sim: { version: this.version } });
    this.pending = [];
    this.changed = true;
    this.milestone = false;
    this.flushedAt = 0;
    this.viewsBehind = false;
    this.keysBehind.clear();
    this.keyFrames = 0;
    this.keysBuiltAt.clear();
    this.marks = [];
  }

  /**
   * The engine as it is now, to come back to with `restore` (time travel). Take it right after a
   * flush: events not yet drained are not part of it.
   */
  snapshot(): RuntimeSnapshot {
    return { lab: this.lab.snapshot(), marks: this.marks };
  }

  /** The engine back at a snapshot, as if the flush after it had just run. */
  restore(snap: RuntimeSnapshot): void {
    this.epoch++;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.lab = Lab.fromSnapshot(snap.lab);
    this.marks = snap.marks;
    this.attach();
    this.pending = [];
    this.changed = true;
    this.milestone = false;
    this.flushedAt = this.now;
  }

  /** The simulation, once the first server is declared. */
  get sim(): Simulation | null {
    return this.lab.started ? this.lab.sim : null;
  }

  get now(): number {
    return this.sim?.now ?? 0;
  }

  serverNames(): string[] {
    return this.sim?.serverNames() ?? [];
  }

  hasServer(name: string): boolean {
    return this.serverNames().includes(name);
  }

  /** Applies one lab statement (it may throw LabScriptError, having changed nothing). */
  apply(st: Statement): StepResult {
    try {
      return this.lab.apply(st);
    } finally {
      this.changed = true;
      this.attach();
    }
  }

  private attach(): void {
    if (this.unsubscribe || !this.lab.started) return;
    this.unsubscribe = this.lab.sim.subscribe((e) => {
      this.pending.push(e);
      const mark = markOf(e);
      if (mark) this.marks = [...this.marks, mark];
      if (isMilestone(e)) {
        if (!this.milestone) this.milestoneEvent = e;
        this.milestone = true;
      }
    });
  }

  // --- the clock ---

  /** Runs the engine `ms` simulated milliseconds forward. */
  advance(ms: number): void {
    const sim = this.sim;
    if (sim && ms > 0) sim.runUntil(sim.now + ms);
  }

  /** Runs the next engine event; false when nothing is pending (or nothing is declared). */
  step(): boolean {
    return this.sim?.step() ?? false;
  }

  /**
   * Steps until a milestone event (see isMilestone), at most `limitMs` of simulated time.
   * Returns the milestone it stopped at (the first one of that step), or null when none came.
   */
  stepToMilestone(limitMs: number): SimEvent | null {
    const sim = this.sim;
    if (!sim) return null;
    this.milestone = false;
    this.milestoneEvent = null;
    const limit = sim.now + limitMs;
    while (!this.milestone && sim.now < limit) if (!sim.step()) break;
    return this.milestone ? this.milestoneEvent : null;
  }

  /** The simulated wall clock (what the logs print) at time 0, once a server is declared. */
  get wallStartMs(): number | null {
    return this.sim?.state.wallStartMs ?? null;
  }

  /** The events since the last drain, and whether anything changed in the engine meanwhile. */
  drain(): { readonly events: readonly SimEvent[]; readonly changed: boolean } {
    const events = this.pending;
    const changed = this.changed || events.length > 0;
    this.pending = [];
    this.changed = false;
    return { events, changed };
  }

  // --- the frame bus ---

  /** Calls `fn` with the simulated time after every flush. Returns an unsubscribe. */
  onFrame(fn: FrameListener): () => void {
    this.frameListeners.add(fn);
    return () => {
      this.frameListeners.delete(fn);
    };
  }

  emitFrame(now: number): void {
    for (const fn of this.frameListeners) fn(now);
  }
}
