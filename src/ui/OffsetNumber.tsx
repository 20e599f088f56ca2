import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';
import { selectServer, useLabStore } from '../store';
import { motionNow, useReducedMotion } from './motion';
import { writeText } from './writeText';

/**
 * master_repl_offset as a large number that counts up as bytes arrive. Fed by a transient store
 * subscription that writes the span's text itself, so a change never re-renders the panel around
 * it; the count-up is framer-motion's `animate` (loaded after the first paint: until then, and
 * under reduced motion, the number snaps).
 *
 * The engine's exact value is always on `data-offset` (tests and tools read it), and the shown
 * number snaps to it when an animation ends, when time is paused and under reduced motion: a
 * paused screen never shows a number the engine does not have.
 */
export function OffsetNumber({ name }: { name: string }) {
  const store = useLabStore();
  const reduce = useReducedMotion();
  const ref = useRef<HTMLSpanElement>(null);
  const initial = selectServer(name)(store.getState())?.offset ?? 0;
  // The number on screen. React renders no text in the span (it would fight over the node).
  const shown = useRef(initial);
  useLayoutEffect(() => paint(ref, shown, shown.current), []);
  useEffect(() => {
    const show = (v: number) => paint(ref, shown, v);
    let target = selectServer(name)(store.getState())?.offset ?? 0;
    let ctl: { stop(): void } | null = null;
    const snap = () => {
      ctl?.stop();
      ctl = null;
      show(target);
    };
    const mark = () => ref.current?.setAttribute('data-offset', String(target));
    snap();
    mark();
    const unsub = store.subscribe((st, prev) => {
      const v = selectServer(name)(st)?.offset;
      if (v !== undefined && v !== target) {
        target = v;
        mark();
        const motion = motionNow();
        const from = shown.current;
        if (!motion || reduce || !st.playing || v < from || v - from > 100_000) snap();
        else {
          ctl?.stop();
          ctl = motion.animate(from, v, {
            duration: 0.4,
            ease: 'easeOut',
            onUpdate: show,
            onComplete: snap,
          });
        }
      }
      if (prev.playing && !st.playing) snap();
    });
    return () => {
      unsub();
      ctl?.stop();
    };
  }, [store, name, reduce]);
  return (
    <span
      ref={ref}
      className="rl-offset-num"
      aria-label={`${name} master_repl_offset`}
      data-testid={`offset-${name}`}
      data-offset={initial}
    />
  );
}

/** Shows `v` (rounded) in the span, and remembers it as what the reader sees. */
function paint(span: RefObject<HTMLSpanElement | null>, shown: RefObject<number>, v: number) {
  shown.current = v;
  if (span.current) writeText(span.current, String(Math.round(v)));
}
