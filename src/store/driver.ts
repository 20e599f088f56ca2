/**
 * The frame driver: turns animation frames into `tick`s while the store is playing. It lives
 * outside the store (which never schedules anything) and is started by the React provider;
 * anything with a `requestAnimationFrame`-like scheduler can drive a store the same way.
 */
import { MAX_FRAME_MS } from './constants';
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
): () => void {
  let handle: number | null = null;
  let last: number | null = null;

  const frame = (t: number): void => {
    handle = null;
    const dt = last === null ? 16 : Math.min(MAX_FRAME_MS, Math.max(0, t - last));
    last = t;
    store.getState().tick(dt);
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
