import { animate, motion, useMotionValue, useReducedMotion, useTransform } from 'framer-motion';
import { useEffect } from 'react';
import { selectServer, useLabStore } from '../store';

/**
 * master_repl_offset as a large number that counts up as bytes arrive. Fed by a transient store
 * subscription into a MotionValue, so a change never re-renders the panel around it.
 */
export function OffsetNumber({ name }: { name: string }) {
  const store = useLabStore();
  const reduce = useReducedMotion();
  const mv = useMotionValue(selectServer(name)(store.getState())?.offset ?? 0);
  const text = useTransform(mv, (v) => String(Math.round(v)));
  useEffect(() => {
    let target = selectServer(name)(store.getState())?.offset ?? 0;
    mv.set(target);
    let ctl: ReturnType<typeof animate> | null = null;
    const unsub = store.subscribe((st) => {
      const v = selectServer(name)(st)?.offset;
      if (v === undefined || v === target) return;
      target = v;
      ctl?.stop();
      if (reduce || v < mv.get() || v - mv.get() > 100_000) mv.set(v);
      else ctl = animate(mv, v, { duration: 0.4, ease: 'easeOut' });
    });
    return () => {
      unsub();
      ctl?.stop();
    };
  }, [store, name, mv, reduce]);
  return (
    <motion.span
      className="rl-offset-num"
      aria-label={`${name} master_repl_offset`}
      data-testid={`offset-${name}`}
    >
      {text}
    </motion.span>
  );
}
