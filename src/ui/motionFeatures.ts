/**
 * The part of framer-motion the lab uses, in its own chunk (loaded by motion.ts after the first
 * paint): `animate` for the offsets' count-up, and the `m` components with their animation
 * features for the dialogs.
 */
export { animate, domAnimation, LazyMotion, m, MotionConfig } from 'framer-motion';
