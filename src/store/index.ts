export { LabProvider, useFrame, useLab, useLabStore, useLabText, useShallow } from './context';
export {
  DEFAULT_WRITE,
  DROP_FADE_MS,
  INITIAL_SCRIPT,
  MASTER_HOST,
  MAX_REPLICAS,
  SPEEDS,
} from './constants';
export { loadCommandCode } from './commandCode';
export { startFrameDriver, type FrameScheduler } from './driver';
export { channelOf, sentBy, waitingSentBy, type Waiting } from './projection';
export * from './format';
export * from './selectors';
export type { ApplyResult, CreateOptions, LabState, SkipReport } from './state';
export { createLabStore, type LabStore } from './store';
export type * from './types';
