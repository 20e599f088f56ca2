/**
 * A toolbar's keyboard (the WAI-ARIA APG toolbar pattern): one Tab stop, the control last focused
 * in it (the first at the start); ← and → move between its enabled, visible controls, wrapping
 * round, Home and End go to the first and the last. Its items are buttons (a dropdown or a text
 * field in a toolbar would need keys of its own kept: ↑ ↓ Home End, or all of them).
 */
import { useEffect, useRef, type RefObject } from 'react';

const ITEMS = 'button';

/** Where `key` moves the focus from item `at` of `n`, or -1 when that key is not the toolbar's. */
export function rovingTarget(key: string, at: number, n: number): number {
  if (at < 0 || n < 1) return -1;
  if (key === 'ArrowRight') return (at + 1) % n;
  if (key === 'ArrowLeft') return (at + n - 1) % n;
  return key === 'Home' ? 0 : key === 'End' ? n - 1 : -1;
}

/** The toolbar pattern on the element `ref` points to (its DOM: React's tree is not touched). */
export function useRovingToolbar(ref: RefObject<HTMLElement | null>): void {
  const current = useRef<HTMLElement | null>(null);
  // After each render (a control shown, hidden, disabled): still exactly one Tab stop.
  useEffect(() => sync(ref.current, current.current));
  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    const onFocus = (e: FocusEvent) => {
      if (!(e.target instanceof HTMLElement) || !e.target.matches(ITEMS)) return;
      current.current = e.target;
      sync(box, e.target);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return;
      const all = items(box);
      const to = all[rovingTarget(e.key, all.indexOf(e.target as HTMLElement), all.length)];
      if (!to) return;
      // Handled here: the lab's shortcuts (← → walk a lesson's steps) leave it alone.
      e.preventDefault();
      to.focus();
    };
    // A control hidden or shown as the box is resized (the toolbar's container queries).
    const resized = new ResizeObserver(() => sync(box, current.current));
    resized.observe(box);
    box.addEventListener('focusin', onFocus);
    box.addEventListener('keydown', onKey);
    return () => {
      resized.disconnect();
      box.removeEventListener('focusin', onFocus);
      box.removeEventListener('keydown', onKey);
    };
  }, [ref]);
}

function items(box: HTMLElement): HTMLElement[] {
  return [...box.querySelectorAll<HTMLElement>(ITEMS)].filter(
    (el) => !el.matches(':disabled') && el.checkVisibility(),
  );
}

/** Makes `want` (or, when it cannot take the focus now, the first item) the one Tab stop. */
function sync(box: HTMLElement | null, want: HTMLElement | null): void {
  if (!box) return;
  const all = items(box);
  const stop = want && all.includes(want) ? want : all[0];
  for (const el of box.querySelectorAll<HTMLElement>(ITEMS)) el.tabIndex = el === stop ? 0 : -1;
}
