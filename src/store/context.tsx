/** React glue: one store per <LabProvider>, read with `useLab(selector)` and `useFrame`. */
import {
  createContext,
  useContext,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { useStore } from 'zustand';
import { createFrameBatch, startFrameDriver, throttledFrames } from './driver';
import type { CreateOptions, LabState } from './state';
import { shallowEqual } from './share';
import { createLabStore, type LabStore } from './store';

/**
 * Whether the browser is dispatching an input or change event (a key typed in a field, a choice
 * in a select): the views then hear the store at once (createFrameBatch's `urgent`).
 */
function typingNow(): boolean {
  const e = (globalThis as { event?: Event }).event;
  return e?.type === 'input' || e?.type === 'change';
}

/** How often at most the text panels hear the store (`useLabText`): ten times a second. */
export const TEXT_EVERY_MS = 100;

interface LabContextValue {
  store: LabStore;
  /** The store as the views read it: its changes heard once per frame. */
  views: LabStore;
  /** The store as the text panels read it: heard at most every TEXT_EVERY_MS. */
  text: LabStore;
}

const LabContext = createContext<LabContextValue | null>(null);

/** Provides a store (the given one, or its own) and drives it with animation frames while mounted. */
export function LabProvider({
  store,
  options,
  children,
}: {
  store?: LabStore;
  options?: CreateOptions;
  children: ReactNode;
}) {
  const [value] = useState(() => {
    const own = store ?? createLabStore(options);
    const batch = createFrameBatch(own, undefined, typingNow);
    const textBatch = createFrameBatch(own, throttledFrames(TEXT_EVERY_MS), typingNow);
    return {
      store: own,
      views: { ...own, subscribe: batch.subscribe },
      text: { ...own, subscribe: textBatch.subscribe },
      batch,
      textBatch,
    };
  });
  useEffect(() => {
    const stop = startFrameDriver(value.store, undefined, value.batch.flush);
    return () => {
      stop();
      value.batch.dispose();
      value.textBatch.dispose();
    };
  }, [value]);
  return <LabContext.Provider value={value}>{children}</LabContext.Provider>;
}

function useLabContext(): LabContextValue {
  const s = useContext(LabContext);
  if (!s) throw new Error('useLab must be used inside <LabProvider>');
  return s;
}

/** The store itself: actions, getState, and a `subscribe` that hears every change. */
export function useLabStore(): LabStore {
  return useLabContext().store;
}

/**
 * A slice of the state, re-rendering when it changes — heard at most once per frame, so a burst
 * of actions within one frame renders once (createFrameBatch).
 */
export function useLab<T>(selector: (s: LabState) => T): T {
  return useStore(useLabContext().views, selector);
}

/**
 * `selector`, giving back its previous result while the new one is shallowly equal to it
 * (`shallowEqual`): a selector that builds an object or a list of store fields each time then
 * re-renders only when one of them changed. (zustand's `useShallow`, for plain objects only.)
 */
export function useShallow<T>(selector: (s: LabState) => T): (s: LabState) => T {
  const prev = useRef<{ value: T } | null>(null);
  return (s) => {
    const next = selector(s);
    if (prev.current && shallowEqual(prev.current.value, next)) return prev.current.value;
    prev.current = { value: next };
    return next;
  };
}

/**
 * A slice of the state for a panel of text (a console, a log, a card's keys): like `useLab`, but
 * heard at most every TEXT_EVERY_MS. Under a stream of writes such a panel is laid out and painted
 * ten times a second instead of sixty, and is just as readable; what moves (packets, offsets,
 * the clock) keeps every frame. A field being typed in is heard at once, as with `useLab`.
 */
export function useLabText<T>(selector: (s: LabState) => T): T {
  return useStore(useLabContext().text, selector);
}

/**
 * Calls `fn` with the simulated time after every flush (each frame while playing, each action),
 * and once at once when it mounts or `fn` changes while paused — without re-rendering anything.
 * For per-frame DOM writes (positions, clocks). It subscribes once: a new `fn` (a wire's packets
 * changed) is what the next frame calls, so a stream of writes does not draw each frame twice.
 */
export function useFrame(fn: (now: number) => void): void {
  const store = useLabStore();
  const latest = useRef(fn);
  // In the commit that made the DOM `fn` draws, not after the paint: a frame in between would
  // run the previous `fn` over the new elements (a wire's reused packet element, still showing
  // as the packet it was).
  useLayoutEffect(() => {
    latest.current = fn;
    const { getNow, playing } = store.getState();
    if (!playing) fn(getNow());
  }, [store, fn]);
  useEffect(() => {
    const { getNow, onFrame } = store.getState();
    // Mounted while playing: drawn now, not a frame later.
    if (store.getState().playing) latest.current(getNow());
    return onFrame((now) => latest.current(now));
  }, [store]);
}
