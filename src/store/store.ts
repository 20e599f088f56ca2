/**
 * One vanilla zustand store per app instance, composed once from four slices (zustand's slices
 * pattern) over one LabRuntime:
 *
 * - the engine view (sync.ts): servers, logs, messages, PSYNC decisions… rebuilt by `flush`;
 * - the player (player.ts): playing, speed, step, skip, reset, and `tick`/`advance`;
 * - intentions (intentions.ts): consoles and every user action, each one a lab statement;
 * - preferences (preferences.ts): language, theme, stream view, help.
 *
 * The store is DOM-free: nothing here schedules frames. The React provider starts a frame driver
 * (driver.ts) that calls `tick`; tests call `tick`, `advance` or the actions directly.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { INITIAL_SCRIPT } from './constants';
import { createIntentionsSlice } from './intentions';
import { createLessonSlice } from './lesson';
import { createTimelineSlice } from './timeline';
import { createPlayerSlice } from './player';
import { createPreferencesSlice } from './preferences';
import { LabRuntime } from './runtime';
import type { CreateOptions, LabState } from './state';
import { createEngineViewSlice, settle } from './sync';

export type LabStore = StoreApi<LabState>;

/**
 * A store over a fresh runtime (seeded with `opts.seed`), or over `rt` — what a test or a future
 * test passes to reach the engine behind the views.
 */
export function createLabStore(
  opts: CreateOptions = {},
  rt: LabRuntime = new LabRuntime(opts.seed ?? 1),
): LabStore {
  const script = opts.script ?? INITIAL_SCRIPT;
  const store = createStore<LabState>()((zset, get, api) => {
    // zustand merges a partial state with Object.assign, which turns a state of this many fields
    // into a hash table (a copy several times slower, each field read a lookup); a spread copy
    // keeps its shape. A store sets hundreds of times a second under a stream of writes.
    const set: typeof zset = (partial, replace) => {
      if (replace) return zset(partial as LabState, true);
      const cur = get();
      const next = typeof partial === 'function' ? partial(cur) : partial;
      if (!Object.is(next, cur)) zset({ ...cur, ...next }, true);
    };
    api.setState = set;
    const a = [set, get, api] as const;
    return {
      ...createEngineViewSlice(rt)(...a),
      ...createPlayerSlice(rt, { script, autoplay: opts.autoplay, speed: opts.speed })(...a),
      ...createIntentionsSlice(rt)(...a),
      ...createPreferencesSlice({ lang: opts.lang, theme: opts.theme })(...a),
      ...createLessonSlice(rt)(...a),
      ...createTimelineSlice(rt, {
        checkpointEveryMs: opts.checkpointEveryMs,
        maxHistory: opts.maxHistory,
      })(...a),
    };
  });
  // Paused with views still waiting for a tick that will not come: they catch up now.
  store.subscribe((s, prev) => {
    if (prev.playing && !s.playing) settle(rt, store.getState, store.setState);
  });
  store.getState().reset();
  return store;
}
