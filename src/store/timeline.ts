/**
 * Time travel: any moment of the run, shown again exactly. The engine is deterministic, so the
 * moment `t` is rebuilt from the latest checkpoint before it (or from the scene) by replaying
 * every statement the run applied after the checkpoint, at the simulated time it ran at, then
 * running up to `t`. The statements after `t` are kept (scrubbing forward again replays them)
 * until the user acts from the past: then the run goes on from there, a new future, and the old
 * one is dropped.
 *
 * Checkpoints: every `checkpointEveryMs` of simulated time (30 s by default), after a flush, the
 * timeline keeps a deep copy of the engine and the view state the flush left. A checkpoint
 * belongs to the run whose statements up to it are a prefix of the known run's; one of an old
 * future that the user has since replaced is dropped when a seek meets it. At most
 * MAX_CHECKPOINTS are kept: past that, every other one of the older half is dropped, so a long
 * run keeps dense checkpoints near its end and sparse ones further back.
 */
import type { LabSnapshot } from '../lab/run';
import { EMPTY_EVENT_VIEW, type EventView } from './projection';
import type { LabRuntime } from './runtime';
import type { EngineViewSlice, IntentionsSlice, LabState, Slice, TimelineSlice } from './state';
import { flush } from './sync';

type Entry = { readonly at: number; readonly text: string };

/** Simulated time between two checkpoints, by default. */
export const CHECKPOINT_EVERY_MS = 30_000;
/** The most checkpoints kept (120 are one hour at 30 s). */
export const MAX_CHECKPOINTS = 160;

/** The store's fields a checkpoint keeps: the engine's views and what the statements wrote. */
const VIEW_KEYS = [
  ...(Object.keys(EMPTY_EVENT_VIEW) as (keyof EventView)[]),
  'servers',
  'logs',
  'mainMaster',
  'latencyMs',
  'bytesPerSec',
  'consoles',
  'statements',
  'history',
  'notice',
] as const satisfies readonly (keyof EngineViewSlice | keyof IntentionsSlice)[];

type ViewFields = Pick<LabState, (typeof VIEW_KEYS)[number]>;

interface Checkpoint {
  readonly at: number;
  readonly lab: LabSnapshot;
  readonly view: ViewFields;
}

const sameEntry = (a: Entry | undefined, b: Entry | undefined): boolean =>
  a !== undefined && b !== undefined && a.at === b.at && a.text === b.text;

const isPrefix = (a: readonly Entry[], b: readonly Entry[]): boolean =>
  a.length <= b.length && a.every((x, i) => sameEntry(x, b[i]));

export const createTimelineSlice =
  (rt: LabRuntime, opts: { checkpointEveryMs?: number } = {}): Slice<TimelineSlice> =>
  (set, get) => {
    const every = opts.checkpointEveryMs ?? CHECKPOINT_EVERY_MS;
    /** The whole run's statements (after the scene), kept while the user scrubs. */
    let future: readonly Entry[] = [];
    /** Oldest first by time; several runs' checkpoints may be mixed until a seek sorts them out. */
    let checkpoints: Checkpoint[] = [];
    /** Time of the last checkpoint on the current run's path (taken or restored). */
    let lastAt = -Infinity;

    function take(now: number): void {
      const s = get();
      const view = Object.fromEntries(VIEW_KEYS.map((k) => [k, s[k]])) as unknown as ViewFields;
      const c: Checkpoint = { at: now, lab: rt.snapshot(), view };
      let i = checkpoints.length;
      while (i > 0 && checkpoints[i - 1]!.at > now) i--;
      checkpoints.splice(i, 0, c);
      lastAt = now;
      if (checkpoints.length > MAX_CHECKPOINTS) {
        const half = checkpoints.length >> 1;
        checkpoints = [
          ...checkpoints.slice(0, half).filter((_, j) => j % 2 === 1),
          ...checkpoints.slice(half),
        ];
      }
    }

    // Every flush ends with a frame: a checkpoint when the run has gone `every` ms since the last.
    rt.onFrame((now) => {
      // Time went back (a reset, a seek): the last checkpoint taken is not on this path.
      if (now < lastAt) lastAt = -Infinity;
      if (rt.sim && now - lastAt >= every) take(now);
    });

    /** The run as far as it is known: the old future, unless the user has acted since. */
    function known(): { entries: readonly Entry[]; diverged: boolean } {
      const s = get();
      const now = s.history.slice(s.sceneStatements);
      if (isPrefix(now, future)) return { entries: future, diverged: false };
      return { entries: now, diverged: true };
    }

    /**
     * The latest checkpoint at or before `t` on the run `scene + entries`, and how many of
     * `entries` it has applied. Checkpoints of another run are dropped on the way.
     */
    function checkpointFor(
      t: number,
      scene: readonly Entry[],
      entries: readonly Entry[],
    ): { c: Checkpoint; applied: number } | null {
      const run = [...scene, ...entries];
      for (let i = checkpoints.length - 1; i >= 0; i--) {
        const c = checkpoints[i]!;
        if (c.at > t) continue;
        const h = c.view.history;
        if (h.length >= scene.length && isPrefix(h, run))
          return { c, applied: h.length - scene.length };
        checkpoints.splice(i, 1);
      }
      return null;
    }

    return {
      horizon: 0,
      seekTo: (target) => {
        const s0 = get();
        // A reset since (horizon 0) left nothing to come back to.
        if (s0.horizon === 0) future = [];
        const { entries, diverged } = known();
        future = entries;
        const horizon = diverged ? rt.now : Math.max(s0.horizon, rt.now);
        const t = Math.max(0, Math.min(horizon, target));
        const lessonStarts = s0.stepStarts;
        const scene = s0.history.slice(0, s0.sceneStatements);
        const from = checkpointFor(t, scene, entries);
        let i = 0;
        if (from) {
          rt.restore(from.c.lab);
          // A fresh `rev`: the restored views are new to whoever cached the last one.
          set({ ...from.c.view, rev: s0.rev + 1, skipped: null, confirmReset: false });
          lastAt = from.c.at;
          i = from.applied;
        } else {
          get().reset();
        }
        /** Runs to `at`, flushing (and so checkpointing) every `every` ms on the way. */
        const runTo = (at: number): void => {
          while (rt.sim && rt.now < at) {
            const stop = Math.min(at, Math.max(lastAt, rt.now) + every);
            rt.advance(stop - rt.now);
            if (rt.now - lastAt >= every) flush(rt, get, set);
          }
        };
        for (; i < future.length; i++) {
          const h = future[i]!;
          if (h.at > t) break;
          runTo(h.at);
          get().applyStatement(h.text, { echo: true, replay: true });
        }
        runTo(t);
        // A lesson: the steps begun by then; a step cut short stays paused where it is.
        const begun = lessonStarts.filter((x) => x <= t).length;
        set({
          horizon,
          playing: false,
          lessonStep: begun,
          stepStarts: lessonStarts.slice(0, begun),
          stepRunning: false,
          asking: false,
        });
        flush(rt, get, set);
      },
      timelineMarks: () => {
        const marks = new Set<number>(known().entries.map((h) => h.at));
        for (const x of get().stepStarts) marks.add(x);
        return [...marks].sort((a, b) => a - b);
      },
    };
  };
