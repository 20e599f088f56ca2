/**
 * The code of the commands beyond strings: hashes, lists and sets (collections.ts), sorted sets
 * (zsets.ts), streams (streams.ts) and EVAL (script.ts). The command table (commandTable.ts)
 * knows their names, arity and flags; `installTypeCommands` gives it their code.
 *
 * The browser loads this module when a statement first needs one of them (or once the lab has
 * painted): the lessons' first screens run strings only. Everything else (tests, the CLI, the
 * conformance harness, the bench) installs it before it starts.
 */
import type { CommandCode } from './commandTable';
import { installCommands } from './commandTable';
import {
  cmdHdel,
  cmdHexists,
  cmdHget,
  cmdHgetall,
  cmdHincrby,
  cmdHincrbyfloat,
  cmdHkeysVals,
  cmdHlen,
  cmdHmget,
  cmdHset,
  cmdLindex,
  cmdLinsert,
  cmdLlen,
  cmdLrange,
  cmdLrem,
  cmdLset,
  cmdLtrim,
  cmdPop,
  cmdPush,
  cmdSadd,
  cmdScard,
  cmdSetAlgebra,
  cmdSismember,
  cmdSmembers,
  cmdSmove,
  cmdSpop,
  cmdSrem,
} from './collections';
import { cmdEval } from './script';
import { cmdXadd, cmdXdel, cmdXlen, cmdXrange, cmdXtrim } from './streams';
import { cmdZadd, cmdZcard, cmdZcount, cmdZrange, cmdZrank, cmdZrem, cmdZscore } from './zsets';

const CODE: ReadonlyArray<[string, CommandCode]> = [
  // hashes
  ['hset', (x, name) => cmdHset(x, name)],
  ['hmset', (x, name) => cmdHset(x, name)],
  ['hget', cmdHget],
  ['hgetall', cmdHgetall],
  ['hdel', cmdHdel],
  ['hlen', cmdHlen],
  ['hexists', cmdHexists],
  ['hincrby', cmdHincrby],
  ['hincrbyfloat', cmdHincrbyfloat],
  ['hmget', cmdHmget],
  ['hkeys', (x) => cmdHkeysVals(x, true)],
  ['hvals', (x) => cmdHkeysVals(x, false)],
  // lists
  ['lpush', (x, name) => cmdPush(x, name)],
  ['rpush', (x, name) => cmdPush(x, name)],
  ['lpop', (x) => cmdPop(x, true)],
  ['rpop', (x) => cmdPop(x, false)],
  ['lrange', cmdLrange],
  ['llen', cmdLlen],
  ['lindex', cmdLindex],
  ['lset', cmdLset],
  ['lrem', cmdLrem],
  ['ltrim', cmdLtrim],
  ['linsert', cmdLinsert],
  // sets
  ['sadd', cmdSadd],
  ['srem', cmdSrem],
  ['spop', cmdSpop],
  ['smembers', cmdSmembers],
  ['scard', cmdScard],
  ['sismember', cmdSismember],
  ['sinter', (x) => cmdSetAlgebra(x, 'inter')],
  ['sunion', (x) => cmdSetAlgebra(x, 'union')],
  ['sdiff', (x) => cmdSetAlgebra(x, 'diff')],
  ['smove', cmdSmove],
  // sorted sets
  ['zadd', (x) => cmdZadd(x, false)],
  ['zincrby', (x) => cmdZadd(x, true)],
  ['zscore', cmdZscore],
  ['zrem', cmdZrem],
  ['zcard', cmdZcard],
  ['zrank', (x) => cmdZrank(x, false)],
  ['zrevrank', (x) => cmdZrank(x, true)],
  ['zrange', (x) => cmdZrange(x)],
  ['zrevrange', (x) => cmdZrange(x, { by: 'rank', rev: true })],
  ['zrangebyscore', (x) => cmdZrange(x, { by: 'score', rev: false })],
  ['zrevrangebyscore', (x) => cmdZrange(x, { by: 'score', rev: true })],
  ['zcount', cmdZcount],
  // streams
  ['xadd', cmdXadd],
  ['xlen', cmdXlen],
  ['xrange', (x) => cmdXrange(x, false)],
  ['xrevrange', (x) => cmdXrange(x, true)],
  ['xdel', cmdXdel],
  ['xtrim', cmdXtrim],
  // scripting
  ['eval', (x, _name, host) => cmdEval(x, host())],
];

/** Gives the command table the code of every command in this module (idempotent). */
export function installTypeCommands(): void {
  installCommands(new Map(CODE));
}
