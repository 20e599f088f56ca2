/**
 * The code of the data-type commands no lesson's first screen runs: sets (sets.ts), sorted sets
 * (zsets.ts), streams (streams.ts) and EVAL (script.ts). The command table (commandTable.ts)
 * knows their names, arity and flags; `installTypeCommands` gives it their code. Strings,
 * hashes and lists (the seed slides' data) are in the first load.
 *
 * The browser loads this module when a statement first needs one of them (or once the lab has
 * painted). Everything else (tests, the CLI, the
 * conformance harness, the bench) installs it before it starts.
 */
import type { CommandCode } from './commandTable';
import { installCommands } from './commandTable';
import {
  cmdSadd,
  cmdScard,
  cmdSetAlgebra,
  cmdSismember,
  cmdSmembers,
  cmdSmove,
  cmdSpop,
  cmdSrem,
} from './sets';
import { cmdEval } from './script';
import { cmdXadd, cmdXdel, cmdXlen, cmdXrange, cmdXtrim } from './streams';
import { cmdZadd, cmdZcard, cmdZcount, cmdZrange, cmdZrank, cmdZrem, cmdZscore } from './zsets';

const CODE: ReadonlyArray<[string, CommandCode]> = [
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

/** The commands this module has the code of. */
export const TYPE_COMMAND_NAMES: readonly string[] = CODE.map(([name]) => name);

/** Gives the command table the code of every command in this module (idempotent). */
export function installTypeCommands(): void {
  installCommands(new Map(CODE));
}
