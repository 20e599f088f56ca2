import { useEffect, useRef, type RefObject } from 'react';

/**
 * Keeps a scrolled box at its end while its content grows — a console, a log — unless the reader
 * has scrolled up to read (then it stays where they are until they scroll back down).
 *
 * Nothing is measured while React renders: a ResizeObserver on the box and on its one child hears
 * of any change of size (new lines, the box squeezed by the layout) after the browser's own
 * layout, where reading the heights costs nothing. Reading them in an effect instead forced a
 * second layout of the whole page on every write (the frame budget). Returns the refs for the box
 * and for that child.
 */
export function useStickToBottom(): {
  box: RefObject<HTMLDivElement | null>;
  body: RefObject<HTMLDivElement | null>;
} {
  const box = useRef<HTMLDivElement>(null);
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    const inner = body.current;
    if (!el || !inner || typeof ResizeObserver === 'undefined') return;
    /** The reader is at the end: every change of size keeps them there. */
    let pinned = true;
    /** This hook has just scrolled: the next scroll event is its own, not the reader's. */
    let mine = false;
    const follow = () => {
      if (!pinned) return;
      const end = el.scrollHeight - el.clientHeight;
      if (Math.abs(el.scrollTop - end) <= 1) return;
      el.scrollTop = end;
      mine = true;
    };
    // The reader scrolled: at the end, it follows again; scrolled up, it stays where they are.
    // Our own scroll events read nothing: by then a write may have changed the page, and reading
    // where the box is would force a layout of it.
    const onScroll = () => {
      if (mine) {
        mine = false;
        return;
      }
      pinned = el.scrollTop + el.clientHeight >= el.scrollHeight - 4;
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    const ro = new ResizeObserver(follow);
    ro.observe(inner);
    ro.observe(el);
    return () => {
      ro.disconnect();
      el.removeEventListener('scroll', onScroll);
    };
  }, []);
  return { box, body };
}
