/**
 * framer-motion's animation features, loaded after the first paint (LazyMotion in App.tsx): the
 * first screen needs only the `m` components and motion values, not the animation engine.
 */
export { domAnimation as default } from 'framer-motion';
