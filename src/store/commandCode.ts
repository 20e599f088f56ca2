/**
 * The engine's on-demand code (src/engine/onDemand.ts): the data-type commands (sets, sorted
 * sets, streams, EVAL), Valkey's log wording and the replica's side of its dual-channel sync,
 * which the browser loads apart from the first screen. The store holds back a statement that needs it until it is here (intentions.ts), a
 * lesson opens once it is (lesson.ts), a switch to Valkey happens then (player.ts); the app
 * starts loading it once the lab has painted, so a student typing SADD rarely waits.
 */
import type { Statement } from '../lab/ast';
import { installOnDemandCode, versionReady } from '../engine/dialect';
import { commandReady } from '../engine/keyspace';

let loading: Promise<void> | null = null;

/** Loads and installs the on-demand code (once; again after a failed attempt). */
export function loadCommandCode(): Promise<void> {
  loading ??= import('../engine/onDemand').then(
    (m) => installOnDemandCode(m),
    (e: unknown) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}

/** True when every command among `statements`, and the version they ask for, can run now. */
export function commandsReady(statements: readonly Statement[]): boolean {
  return statements.every((st) =>
    st.kind === 'command'
      ? commandReady(st.argv[0] ?? '')
      : st.kind !== 'version' || versionReady(st.version),
  );
}

export { versionReady };
