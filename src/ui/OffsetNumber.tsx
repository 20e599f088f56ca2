import { useMotionValue, useReducedMotion, type MotionValue } from 'framer-motion';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { selectServer, useLabStore } from '../store';

/**
 * master_repl_offset as a large number that counts up as bytes arrive. Fed by a transient store
 * subscription into a MotionValue, so a change never re-renders the panel around it.
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
  const mv = useMotionValue(initial);
  // The shown number follows the motion value without React (a motion component's own text
  // binding needs the animation features, which load after the first paint).
  // React renders no text in the span (it would fight over the node): the value writes it.
  useLayoutEffect(() => {
    const show = (v: number) => {
      if (ref.current) ref.current.textContent = String(Math.round(v));
    };
    show(mv.get());
    return mv.on('change', show);
  }, [mv]);
  useEffect(() => {
    let target = selectServer(name)(store.getState())?.offset ?? 0;
    let ctl: { stop(): void } | null = null;
    const snap = () => {
      ctl?.stop();
      ctl = null;
      mv.set(target);
    };
    const mark = () => ref.current?.setAttribute('data-offset', String(target));
    snap();
    mark();
    const unsub = store.subscribe((st, prev) => {
      const v = selectServer(name)(st)?.offset;
      if (v !== undefined && v !== target) {
        target = v;
        mark();
        if (reduce || !st.playing || v < mv.get() || v - mv.get() > 100_000) snap();
        else {
          ctl?.stop();
          ctl = countUp(mv, v, 400, snap);
        }
      }
      if (prev.playing && !st.playing) snap();
    });
    return () => {
      unsub();
      ctl?.stop();
    };
  }, [store, name, mv, reduce]);
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

/**
 * Moves `mv` to `to` over `ms` with an ease-out, one step per animation frame (the motion value
 * renders the text without React), then calls `done`. framer-motion's own `animate` would pull its
 * whole animation engine into the first load for this one tween.
 */
function countUp(
  mv: MotionValue<number>,
  to: number,
  ms: number,
  done: () => void,
): { stop(): void } {
  const from = mv.get();
  let start: number | null = null;
  let raf = requestAnimationFrame(function frame(now) {
    start ??= now;
    const t = Math.min(1, (now - start) / ms);
    mv.set(from + (to - from) * (1 - (1 - t) ** 3));
    if (t < 1) raf = requestAnimationFrame(frame);
    else done();
  });
  return { stop: () => cancelAnimationFrame(raf) };
}
