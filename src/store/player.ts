/**
 * The player slice: simulated time. The store never schedules frames itself — a frame driver
 * (driver.ts, started by the React provider) or a test calls `tick`, and actions run the engine
 * directly (`step`, `skipToNext`, `advance`).
 */
import { loadCommandCode, versionReady } from './commandCode';
import { SKIP_LIMIT_MS, SPEEDS } from './constants';
import { EMPTY_INTENTIONS } from './intentions';
import { EMPTY_EVENT_VIEW } from './projection';
import type { LabRuntime } from './runtime';
import type { PlayerSlice, Slice } from './state';
import { flush } from './sync';

const MIN_SPEED = SPEEDS[0];
const MAX_SPEED = SPEEDS[SPEEDS.length - 1] ?? 10;
/** Numbers each skip's report (a notice shows each one once). */
let skips = 0;

export const createPlayerSlice =
  (
    rt: LabRuntime,
    opts: { script: readonly string[]; autoplay?: boolean; speed?: number },
  ): Slice<PlayerSlice> =>
  (set, get) => {
    /** The lines `reset` applies: a lesson's stage, or the opening scene. */
    let scene: readonly string[] = opts.script;
    let switching = 0;
    return {
      playing: opts.autoplay ?? true,
      // Clamped like setSpeed: a speed of 1e9 from a link would run hours of engine per frame.
      speed: Number.isFinite(opts.speed)
        ? Math.min(MAX_SPEED, Math.max(MIN_SPEED, opts.speed!))
        : 1,
      version: rt.version,
      setVersion: (v) => {
        if (v === get().version) return;
        // Valkey's log wording loads on demand: the switch happens once it is here (a later
        // choice made meanwhile wins).
        const ticket = ++switching;
        if (!versionReady(v)) {
          void loadCommandCode().then(
            () => ticket === switching && get().setVersion(v),
            (e: unknown) => {
              if (ticket !== switching) return;
              const why = e instanceof Error ? e.message : String(e);
              get().raiseNotice('lab', `${v} could not be loaded (${why}); try again`, true);
            },
          );
          return;
        }
        rt.version = v;
        set({ version: v });
        if (get().lesson) get().goToStep(get().lessonStep);
        else get().reset();
      },
      play: () => set({ playing: true }),
      pause: () => set({ playing: false }),
      togglePlay: () => set({ playing: !get().playing }),
      setSpeed: (speed) => set({ speed: Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed)) }),
      faster: () => {
        const i = SPEEDS.findIndex((x) => x >= get().speed);
        const next = SPEEDS[Math.min(SPEEDS.length - 1, i < 0 ? SPEEDS.length - 1 : i + 1)];
        set({ speed: next ?? MAX_SPEED });
      },
      slower: () => {
        const i = SPEEDS.findIndex((x) => x >= get().speed);
        set({ speed: SPEEDS[Math.max(0, (i < 0 ? SPEEDS.length : i) - 1)] ?? MIN_SPEED });
      },
      step: () => {
        if (!rt.sim) return;
        rt.step();
        flush(rt, get, set);
      },
      skipped: null,
      skipToNext: () => {
        if (!rt.sim) return;
        const from = rt.now;
        const event = rt.stepToMilestone(SKIP_LIMIT_MS);
        set({ skipped: { id: ++skips, from, to: rt.now, event } });
        flush(rt, get, set);
      },
      reset: () => {
        rt.boot();
        // The server views and logs stay until the flushes below rebuild them (sharing whatever
        // is equal), so a view never sees an empty stage in between.
        set({
          ...EMPTY_EVENT_VIEW,
          ...EMPTY_INTENTIONS,
          skipped: null,
          // A lesson starts over from its stage.
          lessonStep: 0,
          stepRunning: false,
          asking: false,
          stepStarts: [],
          // A new run: nothing to travel back to (seekTo sets its own horizon after).
          horizon: 0,
        });
        for (const line of scene) get().applyStatement(line, { echo: true });
        set({ sceneStatements: get().history.length, confirmReset: false });
        flush(rt, get, set);
      },
      setScene: (lines) => {
        scene = lines ?? opts.script;
      },
      tick: (realMs) => {
        if (!get().playing) return;
        if (get().stepRunning) get().runLesson(get().lessonSpeed(realMs));
        else rt.advance(realMs * get().speed);
        flush(rt, get, set, true, true);
      },
      advance: (simMs) => {
        rt.advance(simMs);
        flush(rt, get, set);
      },
    };
  };
