export { LabProvider, useLab, useLabStore } from './context';
export {
  createLabStore,
  DEFAULT_WRITE,
  INITIAL_SCRIPT,
  MAX_REPLICAS,
  SPEEDS,
  type ApplyResult,
  type CreateOptions,
  type LabState,
  type LabStore,
} from './store';
export * from './selectors';
export type * from './types';
