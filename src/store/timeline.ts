/**
 * Time travel: any moment of the run, shown again exactly. The engine is deterministic, so the
 * moment `t` is rebuilt by starting over from the scene and replaying every statement the run
 * applied before `t` at the simulated time it ran at, then running up to `t`. The statements
 * after `t` are kept (scrubbing forward again replays them) until the user acts from the past:
 * then the run goes on from there, a new future, and the old one is dropped.
 */
import type { LabRuntime } from './runtime';
import type { Slice, TimelineSlice } from './state';
import { flush } from './sync';

type Entry = { readonly at: number; readonly text: string };

const isPrefix = (a: readonly Entry[], b: readonly Entry[]): boolean =>
  a.length <= b.length && a.every((x, i) => x.at === b[i]?.at && x.text === b[i]?.text);

export const createTimelineSlice =
  (rt: LabRuntime): Slice<TimelineSlice> =>
  (set, get) => {
    /** The whole run's statements (after the scene), kept while the user scrubs. */
    let future: readonly Entry[] = [];

    /** The run as far as it is known: the old future, unless the user has acted since. */
    function known(): { entries: readonly Entry[]; diverged: boolean } {
      const s = get();
      const now = s.history.slice(s.sceneStatements);
      if (isPrefix(now, future)) return { entries: future, diverged: false };
      return { entries: now, diverged: true };
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
        get().reset();
        for (const h of future) {
          if (h.at > t) break;
          if (h.at > rt.now) rt.advance(h.at - rt.now);
          get().applyStatement(h.text, { echo: true, replay: true });
        }
        if (t > rt.now) rt.advance(t - rt.now);
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
