/**
 * framer-motion, kept out of the first load. The first screen only needs to know whether the
 * reader asked for reduced motion (a media query); framer-motion's animation engine arrives in
 * its own chunk once the lab has painted (`preloadMotion`), and the tweens and dialogs that use it
 * wait for it: until then a number snaps to its value instead of counting up.
 */
import { useSyncExternalStore } from 'react';

const QUERY = '(prefers-reduced-motion: reduce)';

/** The query's list, made once: React asks for its value on every render of every reader. */
let list: MediaQueryList | null | undefined;
const query = (): MediaQueryList | null =>
  list === undefined ? (list = typeof matchMedia === 'function' ? matchMedia(QUERY) : null) : list;

function subscribe(onChange: () => void): () => void {
  const mq = query();
  mq?.addEventListener('change', onChange);
  return () => mq?.removeEventListener('change', onChange);
}

const reducedNow = () => query()?.matches ?? false;

/** True while the reader's system asks for reduced motion; follows the setting as it changes. */
export function useReducedMotion(): boolean {
  return useSyncExternalStore(subscribe, reducedNow, () => false);
}

type MotionModule = typeof import('./motionFeatures');

let loading: Promise<MotionModule> | null = null;
let loaded: MotionModule | null = null;

/** Starts loading framer-motion (once); resolves with it. */
export function preloadMotion(): Promise<MotionModule> {
  loading ??= import('./motionFeatures').then((m) => (loaded = m));
  return loading;
}

/** framer-motion once it has loaded, else null (and the caller shows the end state at once). */
export function motionNow(): MotionModule | null {
  return loaded;
}
