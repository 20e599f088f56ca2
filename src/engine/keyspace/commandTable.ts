/**
 * The command table and the dispatch of keyspace commands: arity checks, then the command's
 * implementation within an execution context (exec.ts). Strings, hashes, lists and the generic
 * commands (strings.ts, collections.ts, generic.ts) are here; sets, sorted sets, streams and EVAL
 * are in typeCommands.ts, which the browser loads on demand: the table knows them all (names,
 * arity, flags), and `installCommands` gives it their code.
 */
import type { Reply } from '../reply';
import { bulk, err, int, status, wrongArity } from '../reply';
import type { Keyspace } from './db';
import { getDb } from './db';
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
} from './collections';
import type { CommandContext, CommandResult, Exec } from './exec';
import { ReplyError, intArg } from './exec';
import {
  cmdDbsize,
  cmdDel,
  cmdExists,
  cmdExpire,
  cmdFlush,
  cmdKeys,
  cmdObject,
  cmdPersist,
  cmdRename,
  cmdTtl,
  cmdType,
} from './generic';
import {
  cmdAppend,
  cmdDecrby,
  cmdGet,
  cmdGetdel,
  cmdGetex,
  cmdGetset,
  cmdMsetnx,
  cmdSetex,
  cmdSetnx,
  cmdIncrbyfloat,
  cmdMget,
  cmdMset,
  cmdSet,
  cmdStrlen,
  incrDecr,
} from './strings';
import type { ScriptHost } from './script';

export interface CommandSpec {
  name: string;
  /** Redis arity: positive = exact argc incl. the command name, negative = at least |arity|. */
  arity: number;
  write: boolean;
  /** The first Redis line that has it (Dialect.redisLine); unknown before. */
  since?: number;
}

const SPECS: CommandSpec[] = [
  // strings & generic
  { name: 'get', arity: 2, write: false },
  { name: 'set', arity: -3, write: true },
  { name: 'getset', arity: 3, write: true },
  { name: 'del', arity: -2, write: true },
  // DEL that frees in the background: the same keyspace effect (what Valkey 8 propagates for an expired key).
  { name: 'unlink', arity: -2, write: true },
  { name: 'exists', arity: -2, write: false },
  { name: 'type', arity: 2, write: false },
  { name: 'incr', arity: 2, write: true },
  { name: 'incrby', arity: 3, write: true },
  { name: 'decr', arity: 2, write: true },
  { name: 'decrby', arity: 3, write: true },
  { name: 'incrbyfloat', arity: 3, write: true },
  { name: 'append', arity: 3, write: true },
  { name: 'strlen', arity: 2, write: false },
  { name: 'expire', arity: -3, write: true },
  { name: 'pexpire', arity: -3, write: true },
  { name: 'expireat', arity: -3, write: true },
  { name: 'pexpireat', arity: -3, write: true },
  { name: 'ttl', arity: 2, write: false },
  { name: 'pttl', arity: 2, write: false },
  { name: 'persist', arity: 2, write: true },
  { name: 'mget', arity: -2, write: false },
  { name: 'mset', arity: -3, write: true },
  { name: 'setex', arity: 4, write: true },
  { name: 'psetex', arity: 4, write: true },
  { name: 'setnx', arity: 3, write: true },
  { name: 'getdel', arity: 2, write: true, since: 6.2 },
  { name: 'getex', arity: -2, write: true, since: 6.2 },
  { name: 'msetnx', arity: -3, write: true },
  { name: 'rename', arity: 3, write: true },
  { name: 'renamenx', arity: 3, write: true },
  { name: 'object', arity: -2, write: false },
  // hashes
  { name: 'hset', arity: -4, write: true },
  { name: 'hmset', arity: -4, write: true },
  { name: 'hget', arity: 3, write: false },
  { name: 'hgetall', arity: 2, write: false },
  { name: 'hdel', arity: -3, write: true },
  { name: 'hlen', arity: 2, write: false },
  { name: 'hexists', arity: 3, write: false },
  { name: 'hincrby', arity: 4, write: true },
  { name: 'hincrbyfloat', arity: 4, write: true },
  { name: 'hmget', arity: -3, write: false },
  { name: 'hkeys', arity: 2, write: false },
  { name: 'hvals', arity: 2, write: false },
  // lists
  { name: 'lpush', arity: -3, write: true },
  { name: 'rpush', arity: -3, write: true },
  { name: 'lpop', arity: -2, write: true },
  { name: 'rpop', arity: -2, write: true },
  { name: 'lrange', arity: 4, write: false },
  { name: 'llen', arity: 2, write: false },
  { name: 'lindex', arity: 3, write: false },
  { name: 'lset', arity: 4, write: true },
  { name: 'lrem', arity: 4, write: true },
  { name: 'ltrim', arity: 4, write: true },
  { name: 'linsert', arity: 5, write: true },
  // pub/sub (not a write: a read-only replica takes it)
  { name: 'publish', arity: 3, write: false },
  // keyspace
  { name: 'keys', arity: 2, write: false },
  { name: 'dbsize', arity: 1, write: false },
  { name: 'flushdb', arity: -1, write: true },
  { name: 'flushall', arity: -1, write: true },
];

/** The commands whose code is in typeCommands.ts, loaded on demand. */
const TYPE_SPECS: CommandSpec[] = [
  // sets
  { name: 'sadd', arity: -3, write: true },
  { name: 'srem', arity: -3, write: true },
  { name: 'smembers', arity: 2, write: false },
  { name: 'scard', arity: 2, write: false },
  { name: 'sismember', arity: 3, write: false },
  { name: 'spop', arity: -2, write: true },
  { name: 'sinter', arity: -2, write: false },
  { name: 'sunion', arity: -2, write: false },
  { name: 'sdiff', arity: -2, write: false },
  { name: 'smove', arity: 4, write: true },
  // sorted sets
  { name: 'zadd', arity: -4, write: true },
  { name: 'zincrby', arity: 4, write: true },
  { name: 'zscore', arity: 3, write: false },
  { name: 'zrem', arity: -3, write: true },
  { name: 'zcard', arity: 2, write: false },
  { name: 'zrank', arity: 3, write: false },
  { name: 'zrevrank', arity: 3, write: false },
  { name: 'zrange', arity: -4, write: false },
  { name: 'zrevrange', arity: -4, write: false },
  { name: 'zrangebyscore', arity: -4, write: false },
  { name: 'zrevrangebyscore', arity: -4, write: false },
  { name: 'zcount', arity: 4, write: false },
  // streams
  { name: 'xadd', arity: -5, write: true },
  { name: 'xlen', arity: 2, write: false },
  { name: 'xrange', arity: -4, write: false },
  { name: 'xrevrange', arity: -4, write: false },
  { name: 'xdel', arity: -3, write: true },
  { name: 'xtrim', arity: -4, write: true },
  // scripting (not a write: a read-only replica takes it)
  { name: 'eval', arity: -3, write: false },
];

/** The names of the commands in typeCommands.ts. */
const ON_DEMAND = new Set(TYPE_SPECS.map((s) => s.name));

const KEYSPACE_SPECS = new Map([...SPECS, ...TYPE_SPECS].map((s) => [s.name, s]));

const SERVER_SPECS: CommandSpec[] = [
  { name: 'ping', arity: -1, write: false },
  { name: 'echo', arity: 2, write: false },
  { name: 'select', arity: 2, write: false },
  { name: 'multi', arity: 1, write: false },
  { name: 'exec', arity: 1, write: false },
  { name: 'discard', arity: 1, write: false },
  { name: 'info', arity: -1, write: false },
  { name: 'role', arity: 1, write: false },
  { name: 'replicaof', arity: 3, write: false },
  { name: 'slaveof', arity: 3, write: false },
  { name: 'config', arity: -2, write: false },
  { name: 'wait', arity: 3, write: false },
  { name: 'replconf', arity: -1, write: false },
  { name: 'psync', arity: -3, write: false },
  { name: 'sync', arity: 1, write: false },
  { name: 'shutdown', arity: -1, write: false },
  { name: 'save', arity: 1, write: false },
  { name: 'bgsave', arity: -1, write: false },
];

const ALL_SPECS = new Map([...SPECS, ...TYPE_SPECS, ...SERVER_SPECS].map((s) => [s.name, s]));

export function lookupCommand(name: string, line = 7.0): CommandSpec | undefined {
  const spec = ALL_SPECS.get(name.toLowerCase());
  return spec?.since !== undefined && line < spec.since ? undefined : spec;
}

/** A command's code, as typeCommands.ts gives it (the host is what EVAL's redis.call reaches). */
export type CommandCode = (x: Exec, name: string, host: () => ScriptHost) => Reply;

const installed = new Map<string, CommandCode>();

/** The commands whose code typeCommands.ts holds. */
export function onDemandCommands(): readonly string[] {
  return [...ON_DEMAND];
}

/** Gives the table the code of the commands typeCommands.ts holds. */
export function installCommands(code: ReadonlyMap<string, CommandCode>): void {
  for (const [name, c] of code) installed.set(name, c);
}

/**
 * False for a command whose code has not been installed yet (a browser that has not loaded
 * typeCommands.ts): running it would throw. Unknown names are "ready": they get Redis's error.
 */
export function commandReady(name: string): boolean {
  const n = name.toLowerCase();
  return !ON_DEMAND.has(n) || installed.has(n);
}

export function isKeyspaceCommand(name: string): boolean {
  return KEYSPACE_SPECS.has(name.toLowerCase());
}

export function execKeyspaceCommand(
  ks: Keyspace,
  argv: readonly string[],
  ctx: CommandContext,
): CommandResult {
  const name = (argv[0] ?? '').toLowerCase();
  const spec = KEYSPACE_SPECS.get(name);
  if (!spec || (spec.since !== undefined && ctx.line < spec.since))
    return { reply: unknownCommand(argv, ctx.line), propagate: [], expired: 0 };
  const argc = argv.length;
  if ((spec.arity > 0 && argc !== spec.arity) || argc < -spec.arity) {
    return { reply: wrongArity(name), propagate: [], expired: 0 };
  }
  const x: Exec = {
    ks,
    db: getDb(ks, ctx.db),
    ctx,
    argv,
    prop: [],
    write: spec.write,
    expired: 0,
  };
  try {
    const reply = run(x, name);
    return { reply, propagate: x.prop, expired: x.expired };
  } catch (e) {
    if (e instanceof ReplyError) return { reply: e.reply, propagate: x.prop, expired: x.expired };
    throw e;
  }
}

function run(x: Exec, name: string): Reply {
  switch (name) {
    case 'get':
      return cmdGet(x);
    case 'set':
      return cmdSet(x);
    case 'getset':
      return cmdGetset(x);
    case 'mget':
      return cmdMget(x);
    case 'mset':
      return cmdMset(x);
    case 'del':
    case 'unlink':
      return cmdDel(x);
    case 'exists':
      return cmdExists(x);
    case 'type':
      return cmdType(x);
    case 'incr':
      return incrDecr(x, 1n);
    case 'decr':
      return incrDecr(x, -1n);
    case 'incrby':
      return incrDecr(x, intArg(x, 2));
    case 'decrby':
      return cmdDecrby(x);
    case 'incrbyfloat':
      return cmdIncrbyfloat(x);
    case 'append':
      return cmdAppend(x);
    case 'strlen':
      return cmdStrlen(x);
    case 'expire':
      return cmdExpire(x, false, 1000);
    case 'pexpire':
      return cmdExpire(x, false, 1);
    case 'expireat':
      return cmdExpire(x, true, 1000);
    case 'pexpireat':
      return cmdExpire(x, true, 1);
    case 'ttl':
    case 'pttl':
      return cmdTtl(x, name);
    case 'persist':
      return cmdPersist(x);
    case 'setex':
    case 'psetex':
      return cmdSetex(x, name === 'psetex');
    case 'setnx':
      return cmdSetnx(x);
    case 'getdel':
      return cmdGetdel(x);
    case 'getex':
      return cmdGetex(x);
    case 'msetnx':
      return cmdMsetnx(x);
    case 'rename':
    case 'renamenx':
      return cmdRename(x, name === 'renamenx');
    case 'object':
      return cmdObject(x);
    case 'hset':
    case 'hmset':
      return cmdHset(x, name);
    case 'hget':
      return cmdHget(x);
    case 'hgetall':
      return cmdHgetall(x);
    case 'hdel':
      return cmdHdel(x);
    case 'hlen':
      return cmdHlen(x);
    case 'hexists':
      return cmdHexists(x);
    case 'hincrby':
      return cmdHincrby(x);
    case 'hincrbyfloat':
      return cmdHincrbyfloat(x);
    case 'hmget':
      return cmdHmget(x);
    case 'hkeys':
    case 'hvals':
      return cmdHkeysVals(x, name === 'hkeys');
    case 'lpush':
    case 'rpush':
      return cmdPush(x, name);
    case 'lpop':
    case 'rpop':
      return cmdPop(x, name === 'lpop');
    case 'lrange':
      return cmdLrange(x);
    case 'llen':
      return cmdLlen(x);
    case 'lindex':
      return cmdLindex(x);
    case 'lset':
      return cmdLset(x);
    case 'lrem':
      return cmdLrem(x);
    case 'ltrim':
      return cmdLtrim(x);
    case 'linsert':
      return cmdLinsert(x);
    case 'publish':
      // No subscribers in the lab: 0 receivers. 7.0 propagates PUBLISH to its replicas.
      x.prop.push([...x.argv]);
      return int(0);
    case 'keys':
      return cmdKeys(x);
    case 'dbsize':
      return cmdDbsize(x);
    case 'flushdb':
    case 'flushall':
      return cmdFlush(x, name);
  }
  const code = installed.get(name);
  if (code) return code(x, name, () => scriptHost(x));
  if (ON_DEMAND.has(name))
    throw new Error(`${name.toUpperCase()}: its code has not been installed (installCommands)`);
  return unknownCommand(x.argv, x.ctx.line);
}

/** Commands flagged noscript in Redis 7.0, among those the lab knows. */
const NOSCRIPT = new Set([
  'multi',
  'exec',
  'discard',
  'replicaof',
  'slaveof',
  'wait',
  'psync',
  'sync',
  'save',
  'bgsave',
  'shutdown',
  'eval',
]);

/** What a script's redis.call reaches: the keyspace commands, run in the script's context. */
function scriptHost(x: Exec): ScriptHost {
  return {
    spec: (name) => {
      const s = lookupCommand(name, x.ctx.line);
      return s ? { arity: s.arity, write: s.write, scriptable: !NOSCRIPT.has(s.name) } : null;
    },
    call: (argv) => {
      const name = argv[0]!.toLowerCase();
      if (name === 'ping')
        return argv.length > 2
          ? wrongArity('ping')
          : argv[1] !== undefined
            ? bulk(argv[1])
            : status('PONG');
      if (name === 'echo') return bulk(argv[1]!);
      if (!isKeyspaceCommand(name))
        return err('ERR this lab runs only data commands (and PING, ECHO) from scripts');
      const res = execKeyspaceCommand(x.ks, argv, x.ctx);
      x.prop.push(...res.propagate);
      x.expired += res.expired;
      return res.reply;
    },
  };
}

/** Redis 7.0's unknown-command error (each argument quoted and followed by a space). */
export function unknownCommand(argv: readonly string[], line = 7.0): Reply {
  if (line < 7) {
    // ≤ 6.2: backquotes and commas, arguments added while the list is under 128 characters,
    // each cut to what is left of them.
    let list = '';
    for (let i = 1; i < argv.length && list.length < 128; i++)
      list += `\`${argv[i]!.slice(0, 128 - list.length)}\`, `;
    return err(`ERR unknown command \`${argv[0] ?? ''}\`, with args beginning with: ${list}`);
  }
  const args = argv
    .slice(1)
    .map((a) => `'${a.slice(0, 128)}' `)
    .join('');
  return err(
    `ERR unknown command '${(argv[0] ?? '').slice(0, 128)}', with args beginning with: ${args}`,
  );
}
