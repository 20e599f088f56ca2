import type { Reply } from '../engine/reply';

/**
 * What a run of a lab script shows, in a form that both the engine and real redis-server can
 * produce, so the conformance harness can compare them step by step.
 */
export interface StepObservation {
  /** 0-based index of the statement in the script, and its text (formatStatement). */
  readonly index: number;
  readonly text: string;
  /** For a `command` statement: the reply. */
  readonly reply?: Reply;
  /**
   * After a `wait` statement (a settled point): each server's INFO replication fields
   * (name → value, in order) and its ROLE reply.
   */
  readonly info?: Readonly<Record<string, ReadonlyArray<readonly [string, string]>>>;
  readonly role?: Readonly<Record<string, Reply>>;
}

export interface RunObservation {
  readonly steps: readonly StepObservation[];
  /** Each server's log lines at the end of the run, full lines (prefix included), in order. */
  readonly logs: Readonly<Record<string, readonly string[]>>;
}
