import { useEffect, useRef, type RefObject } from 'react';

/**
 * Keeps a scrolled box at its end while its content grows — a console, a log — unless the reader
 * has scrolled up to read (then it stays where they are until they scroll back down).
 *
 * Nothing is measured while React renders: a ResizeObserver on the box and on its one child hears
 * of the growth after the browser's own layout, where reading the heights costs nothing. Reading
 * them in an effect instead forced a second layout of the whole page on every write (the frame
 * budget). Returns the refs for the box and for that child.
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
    /** The content's height the last time it changed (0: not yet seen). */
    let height = 0;
    const follow = () => {
      // Where the reader was before the content changed: at its end then, or scrolled up to read.
      const atEnd = height === 0 || el.scrollTop + el.clientHeight >= height - 4;
      height = el.scrollHeight;
      if (atEnd) el.scrollTo({ top: height });
    };
    const ro = new ResizeObserver(follow);
    ro.observe(inner);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return { box, body };
}
