/**
 * The dataset of a simulated Redis 7.0 server: 16 databases of strings, hashes, lists and sets,
 * with expiry, the data commands, their propagation rewrites and an exact RDB size estimate.
 */
import { isInt64String } from './numbers';
import { intsetBytes, listpackBytes } from './rdbSize';

export type { Db, Entry, Keyspace, Value } from './db';
export {
  activeExpire,
  cloneKeyspace,
  createKeyspace,
  dbSize,
  dumpKeyspace,
  flushAll,
  keyCount,
  keyspaceInfoLines,
  nextExpireAt,
} from './db';
export type { CommandSpec } from './commands';
export { execKeyspaceCommand, isKeyspaceCommand, lookupCommand, unknownCommand } from './commands';
export type { CommandContext, CommandResult, ExpireMode } from './exec';
export { globMatch } from './glob';
export { incrByFloatText } from './numbers';
export { lzfCompressedSize, rdbPayloadSize } from './rdbSize';
export { utf8Bytes } from './utf8';

// exported for tests
export { utf8Length } from '../resp';
export const _internal = { isInt64String, listpackBytes, intsetBytes };
