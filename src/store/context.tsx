/** React glue: one store per <LabProvider>, read with `useLab(selector)` and `useFrame`. */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { startFrameDriver } from './driver';
import type { CreateOptions, LabState } from './state';
import { createLabStore, type LabStore } from './store';

const LabContext = createContext<LabStore | null>(null);

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
  const [own] = useState(() => store ?? createLabStore(options));
  useEffect(() => startFrameDriver(own), [own]);
  return <LabContext.Provider value={own}>{children}</LabContext.Provider>;
}

export function useLabStore(): LabStore {
  const s = useContext(LabContext);
  if (!s) throw new Error('useLab must be used inside <LabProvider>');
  return s;
}

export function useLab<T>(selector: (s: LabState) => T): T {
  return useStore(useLabStore(), selector);
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
