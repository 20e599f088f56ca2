/**
 * The dataset of a simulated Redis 7.0 server: 16 databases of strings, hashes, lists, sets,
 * sorted sets and streams,
 * with expiry, the data commands, their propagation rewrites and an exact RDB size estimate.
 *
 * The public API, as the rest of the app imports it from './keyspace'. Inside the folder:
 * db.ts (data model, lookups, expiry), commandTable.ts (command table and dispatch) with exec.ts,
 * strings.ts, generic.ts, collections.ts, zsets.ts, streams.ts and script.ts (the commands),
 * load.ts (re-encoding on RDB load), listpack.ts (listpack bytes), numbers.ts (int64, long double),
 * glob.ts (KEYS and CONFIG GET patterns), utf8.ts, rdbSize.ts (RDB size estimate).
 */
export type { DumpedKey, Entry, Keyspace } from './db';
export {
  activeExpire,
  cloneKeyspace,
  createKeyspace,
  dictEntries,
  dumpEntry,
  dumpKeyspace,
  keyCount,
  keyspaceInfoLines,
  nextExpireAt,
} from './db';
export {
  commandReady,
  execKeyspaceCommand,
  isKeyspaceCommand,
  lookupCommand,
  unknownCommand,
} from './commandTable';
export { globMatch } from './glob';
export { loadKeyspace } from './load';
export { rdbPayloadSize } from './rdbSize';
