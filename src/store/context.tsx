/** React glue: one store per <LabProvider>, read with `useLab(selector)` and `useFrame`. */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { createFrameBatch, startFrameDriver } from './driver';
import type { CreateOptions, LabState } from './state';
import { createLabStore, type LabStore } from './store';

/**
 * Whether the browser is dispatching an input or change event (a key typed in a field, a choice
 * in a select): the views then hear the store at once (createFrameBatch's `urgent`).
 */
function typingNow(): boolean {
  const e = (globalThis as { event?: Event }).event;
  return e?.type === 'input' || e?.type === 'change';
}

/** The store, and the same store as the views read it: its changes heard once per frame. */
const LabContext = createContext<{ store: LabStore; views: LabStore } | null>(null);

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
    return { store: own, views: { ...own, subscribe: batch.subscribe }, batch };
  });
  useEffect(() => {
    const stop = startFrameDriver(value.store, undefined, value.batch.flush);
    return () => {
      stop();
      value.batch.dispose();
    };
  }, [value]);
  return <LabContext.Provider value={value}>{children}</LabContext.Provider>;
}

function useLabContext(): { store: LabStore; views: LabStore } {
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
 * Calls `fn` with the simulated time after every flush (each frame while playing, each action),
 * and once at once when it mounts or `fn` changes — without re-rendering anything. For per-frame
 * DOM writes (positions, clocks); pass a stable callback (useCallback) so it subscribes once.
 */
export function useFrame(fn: (now: number) => void): void {
  const store = useLabStore();
  useEffect(() => {
    const { getNow, onFrame } = store.getState();
    fn(getNow());
    return onFrame(fn);
  }, [store, fn]);
}
