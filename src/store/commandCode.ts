/**
 * The code of the data-type commands (hashes, lists, sets, sorted sets, streams, EVAL), which the
 * browser loads apart from the first screen (src/engine/keyspace/typeCommands.ts). The store
 * holds back a statement that needs it until it is here (intentions.ts); the app starts loading
 * it once the lab has painted, so a student typing HSET rarely waits.
 */
import type { Statement } from '../lab/ast';
import { commandReady } from '../engine/keyspace';

let loading: Promise<void> | null = null;

/** Loads and installs the data-type commands (once; again after a failed attempt). */
export function loadCommandCode(): Promise<void> {
  loading ??= import('../engine/keyspace/typeCommands').then(
    (m) => m.installTypeCommands(),
    (e: unknown) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}

/** True when every command among `statements` can run now. */
export function commandsReady(statements: readonly Statement[]): boolean {
  return statements.every((st) => st.kind !== 'command' || commandReady(st.argv[0] ?? ''));
}
