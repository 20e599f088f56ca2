/**
 * The frame driver: turns animation frames into `tick`s while the store is playing. It lives
 * outside the store (which never schedules anything) and is started by the React provider;
 * anything with a `requestAnimationFrame`-like scheduler can drive a store the same way.
 */
import { MAX_FRAME_MS } from './constants';
import type { LabState } from './state';
import type { LabStore } from './store';

export interface FrameScheduler {
  request(cb: (t: number) => void): number;
  cancel(handle: number): void;
}

/** The browser's animation frames (only touched when a driver starts). */
export const animationFrames: FrameScheduler = {
  request: (cb) => requestAnimationFrame(cb),
  cancel: (h) => cancelAnimationFrame(h),
};

/**
 * Ticks `store` once per frame while it is playing, with the real time since the previous frame
 * (at most MAX_FRAME_MS: a background tab does not jump ahead). Returns a stop function.
 */
export function startFrameDriver(
  store: LabStore,
  frames: FrameScheduler = animationFrames,
  afterTick?: () => void,
): () => void {
  let handle: number | null = null;
  let last: number | null = null;

  const frame = (t: number): void => {
    handle = null;
    const dt = last === null ? 16 : Math.min(MAX_FRAME_MS, Math.max(0, t - last));
    last = t;
    store.getState().tick(dt);
    afterTick?.();
    schedule();
  };

  function schedule(): void {
    const playing = store.getState().playing;
    if (playing && handle === null) handle = frames.request(frame);
    else if (!playing && handle !== null) {
      frames.cancel(handle);
      handle = null;
    }
    if (!playing) last = null;
  }

  const unsubscribe = store.subscribe((s, prev) => {
    if (s.playing !== prev.playing) schedule();
  });
  schedule();
  return () => {
    unsubscribe();
    if (handle !== null) frames.cancel(handle);
    handle = null;
  };
}

/** A store's `subscribe` whose listeners hear at most once per frame. */
export interface FrameBatch {
  /** Like the store's `subscribe`, but the listener is called once per frame with the latest state. */
  subscribe(listener: (state: LabState, prev: LabState) => void): () => void;
  /** Tells the listeners now if anything changed since they last heard (the frame driver's end). */
  flush(): void;
  /** Cancels a pending frame (the listeners stay: they unsubscribe themselves). */
  dispose(): void;
}

/**
 * Coalesces a store's changes into one notification per animation frame, for the views: twenty
 * writes clicked within one frame re-render the panels once, not twenty times. The store itself
 * stays synchronous (getState is always current; actions, tests and the embed bridge see every
 * change); only those who subscribe here hear late — at the latest by the next frame, or at the
 * end of the frame driver's tick (`flush`), before the browser paints. When `urgent()` says so
 * (the UI: during an input or change event), they hear at once.
 */
export function createFrameBatch(
  store: LabStore,
  frames: FrameScheduler = animationFrames,
  urgent: () => boolean = () => false,
): FrameBatch {
  const listeners = new Set<(state: LabState, prev: LabState) => void>();
  let dirty = false;
  /** The state the listeners last heard of. */
  let heard = store.getState();
  let handle: number | null = null;
  /** Listening to the store while anyone listens here. */
  let unsubscribe: (() => void) | null = null;
  const cancel = (): void => {
    if (handle !== null) frames.cancel(handle);
    handle = null;
  };
  const flush = (): void => {
    cancel();
    if (!dirty) return;
    dirty = false;
    const prev = heard;
    heard = store.getState();
    for (const l of [...listeners]) l(heard, prev);
  };
  const changed = (): void => {
    dirty = true;
    // A change a text field or a select made while the user types or picks must reach React
    // before the event ends: a controlled field left a frame behind is put back to its old value,
    // and the next key typed is lost.
    if (urgent()) return flush();
    if (handle === null)
      handle = frames.request(() => {
        handle = null;
        flush();
      });
  };
  return {
    subscribe(listener) {
      if (listeners.size === 0) heard = store.getState();
      listeners.add(listener);
      unsubscribe ??= store.subscribe(changed);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && unsubscribe) {
          unsubscribe();
          unsubscribe = null;
          cancel();
        }
      };
    },
    flush,
    dispose: cancel,
  };
}

/**
 * Animation frames at most once every `everyMs` (a frame asked for sooner waits for a later one):
 * the scheduler of the text panels' batch (`useLabText`), which a stream of writes would
 * otherwise lay out and paint again on every frame.
 */
export function throttledFrames(
  everyMs: number,
  frames: FrameScheduler = animationFrames,
): FrameScheduler {
  let last = -Infinity;
  let next = 1;
  /** Our handles, each to the frame it now waits for. */
  const waiting = new Map<number, number>();
  return {
    request(cb) {
      const id = next++;
      const run = (t: number): void => {
        if (t - last < everyMs) {
          waiting.set(id, frames.request(run));
          return;
        }
        waiting.delete(id);
        last = t;
        cb(t);
      };
      waiting.set(id, frames.request(run));
      return id;
    },
    cancel(id) {
      const h = waiting.get(id);
      if (h !== undefined) frames.cancel(h);
      waiting.delete(id);
    },
  };
}
