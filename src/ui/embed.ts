/**
 * An embedded lab (`?embed=1`): what it shows, and its side of the embed API (embedBridge.ts),
 * which is loaded only when the lab is in a frame.
 */
import { useEffect } from 'react';
import { useLabStore } from '../store';

/** How much of the lab an embed shows: `?controls=none|minimal|full` (default minimal). */
export type EmbedControls = 'none' | 'minimal' | 'full';

export function embedFromUrl(search: string): EmbedControls | null {
  const p = new URLSearchParams(search);
  if (p.get('embed') !== '1') return null;
  const c = p.get('controls');
  return c === 'none' || c === 'full' ? c : 'minimal';
}

/** Answers the host page while the lab is embedded in a frame (the bridge's code loads then). */
export function useEmbedBridge(embed: EmbedControls | null): void {
  const store = useLabStore();
  useEffect(() => {
    if (embed === null || window.parent === window) return;
    let stop: (() => void) | null = null;
    let live = true;
    void import('./embedBridge').then((m) => {
      if (live) stop = m.startEmbedBridge(store);
    });
    return () => {
      live = false;
      stop?.();
    };
  }, [store, embed]);
}
