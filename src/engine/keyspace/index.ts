/**
 * The dataset of a simulated Redis 7.0 server: 16 databases of strings, hashes, lists and sets,
 * with expiry, the data commands, their propagation rewrites and an exact RDB size estimate.
 */
import { utf8Length } from '../resp';
import type { Reply } from '../reply';
import {
  OK,
  NIL,
  status,
  int,
  bulk,
  array,
  bulks,
  err,
  WRONGTYPE,
  SYNTAX,
  NOT_INTEGER,
  wrongArity,
} from '../reply';
import type { Db, Entry, Keyspace, Value } from './db';
import {
  deleteKey,
  dictEntries,
  flushAll,
  getDb,
  isExpired,
  listItems,
  mk,
  rawGet,
  setEntry,
  setMembers,
} from './db';
import { globMatchBytes } from './glob';
import { INT64_MAX, INT64_MIN, incrByFloatText, isInt64String, parseInt64 } from './numbers';
import { intsetBytes, listpackBytes } from './rdbSize';
import { utf8Bytes } from './utf8';

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
export { globMatch } from './glob';
export { incrByFloatText } from './numbers';
export { lzfCompressedSize, rdbPayloadSize } from './rdbSize';
export { utf8Bytes } from './utf8';

// ---------------------------------------------------------------------------------------------
// Command types

export type ExpireMode = 'master' | 'replica';

export interface CommandContext {
  nowMs: number;
  db: number;
  mode: ExpireMode;
  version: '7.0' | '5.0';
}

export interface CommandResult {
  reply: Reply;
  /** What to feed to replicas (argv arrays), rewritten as Redis propagates it. Empty when the dataset did not change. */
  propagate: string[][];
}

export interface CommandSpec {
  name: string;
  /** Redis arity: positive = exact argc incl. the command name, negative = at least |arity|. */
  arity: number;
  write: boolean;
}

const HASH_MAX_LISTPACK_ENTRIES = 512;
const HASH_MAX_LISTPACK_VALUE = 64;
const SET_MAX_INTSET_ENTRIES = 512;
const LIST_MAX_LISTPACK_SIZE = 8192; // list-max-listpack-size -2
const SIZE_ESTIMATE_OVERHEAD = 8;

// ---------------------------------------------------------------------------------------------
// Command table

const SPECS: CommandSpec[] = [
  // strings & generic
  { name: 'get', arity: 2, write: false },
  { name: 'set', arity: -3, write: true },
  { name: 'getset', arity: 3, write: true },
  { name: 'del', arity: -2, write: true },
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
  // hashes
  { name: 'hset', arity: -4, write: true },
  { name: 'hmset', arity: -4, write: true },
  { name: 'hget', arity: 3, write: false },
  { name: 'hgetall', arity: 2, write: false },
  { name: 'hdel', arity: -3, write: true },
  { name: 'hlen', arity: 2, write: false },
  { name: 'hexists', arity: 3, write: false },
  // lists
  { name: 'lpush', arity: -3, write: true },
  { name: 'rpush', arity: -3, write: true },
  { name: 'lpop', arity: -2, write: true },
  { name: 'rpop', arity: -2, write: true },
  { name: 'lrange', arity: 4, write: false },
  { name: 'llen', arity: 2, write: false },
  // sets
  { name: 'sadd', arity: -3, write: true },
  { name: 'srem', arity: -3, write: true },
  { name: 'smembers', arity: 2, write: false },
  { name: 'scard', arity: 2, write: false },
  { name: 'sismember', arity: 3, write: false },
  { name: 'spop', arity: -2, write: true },
  // keyspace
  { name: 'keys', arity: 2, write: false },
  { name: 'dbsize', arity: 1, write: false },
  { name: 'flushdb', arity: -1, write: true },
  { name: 'flushall', arity: -1, write: true },
];

const KEYSPACE_SPECS = new Map(SPECS.map((s) => [s.name, s]));

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

const ALL_SPECS = new Map([...SPECS, ...SERVER_SPECS].map((s) => [s.name, s]));

export function lookupCommand(name: string): CommandSpec | undefined {
  return ALL_SPECS.get(name.toLowerCase());
}

export function isKeyspaceCommand(name: string): boolean {
  return KEYSPACE_SPECS.has(name.toLowerCase());
}

// ---------------------------------------------------------------------------------------------
// Command execution

class ReplyError {
  constructor(readonly reply: Reply) {}
}

interface Exec {
  ks: Keyspace;
  db: Db;
  ctx: CommandContext;
  argv: readonly string[];
  prop: string[][];
  write: boolean;
}

/** Look a key up, applying lazy expiry as Redis does for this mode and command kind. */
function lookup(x: Exec, key: string): Entry | undefined {
  const e = rawGet(x.db, key);
  if (!e) return undefined;
  if (!isExpired(e, x.ctx.nowMs)) return e;
  if (x.ctx.mode === 'master') {
    deleteKey(x.db, key);
    x.prop.push(['DEL', key]);
    return undefined;
  }
  // replica: the master client writes see the key; reads see it as missing
  return x.write ? e : undefined;
}

function fail(r: Reply): never {
  throw new ReplyError(r);
}

function lookupType<T extends Value['type']>(
  x: Exec,
  key: string,
  type: T,
): (Entry & { value: Extract<Value, { type: T }> }) | undefined {
  const e = lookup(x, key);
  if (!e) return undefined;
  if (e.value.type !== type) fail(WRONGTYPE);
  return e as Entry & { value: Extract<Value, { type: T }> };
}

function arg(x: Exec, i: number): string {
  const a = x.argv[i];
  if (a === undefined) fail(SYNTAX);
  return a;
}

function intArg(x: Exec, i: number): bigint {
  const v = parseInt64(arg(x, i));
  if (v === null) fail(NOT_INTEGER);
  return v;
}

function propagateVerbatim(x: Exec): void {
  x.prop.push([...x.argv]);
}

export function execKeyspaceCommand(
  ks: Keyspace,
  argv: readonly string[],
  ctx: CommandContext,
): CommandResult {
  const name = (argv[0] ?? '').toLowerCase();
  const spec = KEYSPACE_SPECS.get(name);
  if (!spec) return { reply: unknownCommand(argv), propagate: [] };
  const argc = argv.length;
  if ((spec.arity > 0 && argc !== spec.arity) || argc < -spec.arity) {
    return { reply: wrongArity(name), propagate: [] };
  }
  const x: Exec = { ks, db: getDb(ks, ctx.db), ctx, argv, prop: [], write: spec.write };
  try {
    const reply = run(x, name);
    return { reply, propagate: x.prop };
  } catch (e) {
    if (e instanceof ReplyError) return { reply: e.reply, propagate: x.prop };
    throw e;
  }
}

function run(x: Exec, name: string): Reply {
  switch (name) {
    case 'get': {
      const e = lookupType(x, arg(x, 1), 'string');
      return e ? bulk(e.value.v) : NIL;
    }
    case 'set':
      return cmdSet(x);
    case 'getset': {
      const key = arg(x, 1);
      const e = lookupType(x, key, 'string');
      const old = e ? bulk(e.value.v) : NIL;
      setEntry(x.db, key, { type: 'string', v: arg(x, 2) }, null);
      x.prop.push(['SET', key, arg(x, 2)]);
      return old;
    }
    case 'mget': {
      const out: Reply[] = [];
      for (let i = 1; i < x.argv.length; i++) {
        const e = lookup(x, arg(x, i));
        out.push(e && e.value.type === 'string' ? bulk(e.value.v) : NIL);
      }
      return array(out);
    }
    case 'mset': {
      if (x.argv.length % 2 === 0) return wrongArity('mset');
      for (let i = 1; i < x.argv.length; i += 2) {
        lookup(x, arg(x, i)); // lazy expiry first, as setKey's lookup does
        setEntry(x.db, arg(x, i), { type: 'string', v: arg(x, i + 1) }, null);
      }
      propagateVerbatim(x);
      return OK;
    }
    case 'del': {
      let n = 0;
      for (let i = 1; i < x.argv.length; i++) {
        const key = arg(x, i);
        if (lookup(x, key) && deleteKey(x.db, key)) n++;
      }
      if (n > 0) propagateVerbatim(x);
      return int(n);
    }
    case 'exists': {
      let n = 0;
      for (let i = 1; i < x.argv.length; i++) if (lookup(x, arg(x, i))) n++;
      return int(n);
    }
    case 'type': {
      const e = lookup(x, arg(x, 1));
      return status(e ? e.value.type : 'none');
    }
    case 'incr':
      return incrDecr(x, 1n);
    case 'decr':
      return incrDecr(x, -1n);
    case 'incrby':
      return incrDecr(x, intArg(x, 2));
    case 'decrby': {
      const d = intArg(x, 2);
      if (d === INT64_MIN) return err('ERR decrement would overflow');
      return incrDecr(x, -d);
    }
    case 'incrbyfloat': {
      const key = arg(x, 1);
      const e = lookupType(x, key, 'string');
      const r = incrByFloatText(e ? e.value.v : null, arg(x, 2));
      if (typeof r !== 'string') return r;
      if (e) e.value.v = r;
      else setEntry(x.db, key, { type: 'string', v: r }, null);
      x.prop.push(x.ctx.version === '5.0' ? ['SET', key, r] : ['SET', key, r, 'KEEPTTL']);
      return bulk(r);
    }
    case 'append': {
      const key = arg(x, 1);
      const e = lookupType(x, key, 'string');
      let v: string;
      if (e) {
        e.value.v += arg(x, 2);
        v = e.value.v;
      } else {
        v = arg(x, 2);
        setEntry(x.db, key, { type: 'string', v }, null);
      }
      propagateVerbatim(x);
      return int(utf8Length(v));
    }
    case 'strlen': {
      const e = lookupType(x, arg(x, 1), 'string');
      return int(e ? utf8Length(e.value.v) : 0);
    }
    case 'expire':
      return cmdExpire(x, false, 1000);
    case 'pexpire':
      return cmdExpire(x, false, 1);
    case 'expireat':
      return cmdExpire(x, true, 1000);
    case 'pexpireat':
      return cmdExpire(x, true, 1);
    case 'ttl':
    case 'pttl': {
      const e = lookup(x, arg(x, 1));
      if (!e) return int(-2);
      if (e.expireAt === null) return int(-1);
      const ttl = Math.max(0, e.expireAt - x.ctx.nowMs);
      return int(name === 'ttl' ? Math.floor((ttl + 500) / 1000) : ttl);
    }
    case 'persist': {
      const e = lookup(x, arg(x, 1));
      if (!e || e.expireAt === null) return int(0);
      e.expireAt = null;
      propagateVerbatim(x);
      return int(1);
    }
    case 'hset':
    case 'hmset':
      return cmdHset(x, name);
    case 'hget': {
      const e = lookupType(x, arg(x, 1), 'hash');
      const f = arg(x, 2);
      const p = e?.value.v.find((q) => q[0] === f);
      return p ? bulk(p[1]) : NIL;
    }
    case 'hgetall': {
      const e = lookupType(x, arg(x, 1), 'hash');
      return bulks(e ? e.value.v.flat() : []);
    }
    case 'hdel': {
      const key = arg(x, 1);
      const e = lookupType(x, key, 'hash');
      if (!e) return int(0);
      let n = 0;
      for (let i = 2; i < x.argv.length; i++) {
        const f = arg(x, i);
        const idx = e.value.v.findIndex((q) => q[0] === f);
        if (idx >= 0) {
          e.value.v.splice(idx, 1);
          n++;
        }
      }
      if (e.value.v.length === 0) deleteKey(x.db, key);
      if (n > 0) propagateVerbatim(x);
      return int(n);
    }
    case 'hlen': {
      const e = lookupType(x, arg(x, 1), 'hash');
      return int(e ? e.value.v.length : 0);
    }
    case 'hexists': {
      const e = lookupType(x, arg(x, 1), 'hash');
      const f = arg(x, 2);
      return int(e && e.value.v.some((q) => q[0] === f) ? 1 : 0);
    }
    case 'lpush':
    case 'rpush': {
      const key = arg(x, 1);
      let e = lookupType(x, key, 'list');
      if (!e) {
        setEntry(x.db, key, { type: 'list', nodes: [] }, null);
        e = lookupType(x, key, 'list');
        if (!e) throw new Error('unreachable');
      }
      for (let i = 2; i < x.argv.length; i++) listPush(e.value, arg(x, i), name === 'lpush');
      propagateVerbatim(x);
      return int(listItems(e.value).length);
    }
    case 'lpop':
    case 'rpop':
      return cmdPop(x, name === 'lpop');
    case 'lrange': {
      const e = lookupType(x, arg(x, 1), 'list');
      let start = Number(intArg(x, 2));
      let end = Number(intArg(x, 3));
      if (!e) return array([]);
      const items = listItems(e.value);
      const len = items.length;
      if (start < 0) start = len + start;
      if (end < 0) end = len + end;
      if (start < 0) start = 0;
      if (start > end || start >= len) return array([]);
      if (end >= len) end = len - 1;
      return bulks(items.slice(start, end + 1));
    }
    case 'llen': {
      const e = lookupType(x, arg(x, 1), 'list');
      return int(e ? listItems(e.value).length : 0);
    }
    case 'sadd':
      return cmdSadd(x);
    case 'srem': {
      const key = arg(x, 1);
      const e = lookupType(x, key, 'set');
      if (!e) return int(0);
      let n = 0;
      for (let i = 2; i < x.argv.length; i++) {
        const k = mk(arg(x, i));
        if (Object.hasOwn(e.value.m, k)) {
          delete e.value.m[k];
          n++;
        }
      }
      if (Object.keys(e.value.m).length === 0) deleteKey(x.db, key);
      if (n > 0) propagateVerbatim(x);
      return int(n);
    }
    case 'spop': {
      // Redis picks members at random; the simulation takes them in the set's listing order so
      // a run stays deterministic. The effect is propagated as Redis does: SREM (or DEL).
      if (x.argv.length > 3) fail(SYNTAX);
      const key = arg(x, 1);
      const withCount = x.argv.length === 3;
      let count = 1;
      if (withCount) {
        const c = parseInt64(arg(x, 2));
        if (c === null || c < 0n) fail(err('ERR value is out of range, must be positive'));
        count = Number(c);
      }
      const e = lookupType(x, key, 'set');
      if (!e) return withCount ? array([]) : NIL;
      const members = setMembersRedisOrder(e.value);
      const popped = members.slice(0, count);
      for (const m of popped) delete e.value.m[mk(m)];
      const emptied = Object.keys(e.value.m).length === 0;
      if (emptied) deleteKey(x.db, key);
      if (popped.length > 0) {
        if (withCount && emptied) x.prop.push(['DEL', key]);
        else x.prop.push(['SREM', key, ...popped]);
      }
      return withCount ? bulks(popped) : bulk(popped[0] ?? null);
    }
    case 'smembers': {
      const e = lookupType(x, arg(x, 1), 'set');
      return bulks(e ? setMembersRedisOrder(e.value) : []);
    }
    case 'scard': {
      const e = lookupType(x, arg(x, 1), 'set');
      return int(e ? Object.keys(e.value.m).length : 0);
    }
    case 'sismember': {
      const e = lookupType(x, arg(x, 1), 'set');
      return int(e && Object.hasOwn(e.value.m, mk(arg(x, 2))) ? 1 : 0);
    }
    case 'keys': {
      const pat = utf8Bytes(arg(x, 1));
      const all = pat.length === 1 && pat[0] === 42;
      const out: string[] = [];
      for (const e of dictEntries(x.db)) {
        if (isExpired(e, x.ctx.nowMs)) continue; // KEYS skips expired keys without deleting them
        if (all || globMatchBytes(pat, utf8Bytes(e.key))) out.push(e.key);
      }
      return bulks(out);
    }
    case 'dbsize':
      return int(Object.keys(x.db.dict).length);
    case 'flushdb':
    case 'flushall': {
      for (let i = 1; i < x.argv.length; i++) {
        const a = arg(x, i).toLowerCase();
        if (x.argv.length > 2 || (a !== 'sync' && a !== 'async')) return SYNTAX;
      }
      if (name === 'flushdb') x.db.dict = {};
      else flushAll(x.ks);
      propagateVerbatim(x);
      return OK;
    }
  }
  return unknownCommand(x.argv);
}

/** Redis 7.0's unknown-command error (each argument quoted and followed by a space). */
export function unknownCommand(argv: readonly string[]): Reply {
  const args = argv
    .slice(1)
    .map((a) => `'${a.slice(0, 128)}' `)
    .join('');
  return err(
    `ERR unknown command '${(argv[0] ?? '').slice(0, 128)}', with args beginning with: ${args}`,
  );
}

/** SMEMBERS order: intsets are sorted numerically; hashtable order is unspecified (insertion here). */
function setMembersRedisOrder(v: Extract<Value, { type: 'set' }>): string[] {
  const ms = setMembers(v);
  if (v.enc === 'intset')
    ms.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  return ms;
}

function cmdSet(x: Exec): Reply {
  const key = arg(x, 1);
  const val = arg(x, 2);
  let nx = false;
  let xx = false;
  let get = false;
  let keepttl = false;
  let unit: 'EX' | 'PX' | 'EXAT' | 'PXAT' | null = null;
  let expireArg = '';
  for (let j = 3; j < x.argv.length; j++) {
    const a = arg(x, j).toLowerCase();
    const hasNext = j + 1 < x.argv.length;
    if (a === 'nx' && !xx) nx = true;
    else if (a === 'xx' && !nx) xx = true;
    else if (a === 'get') get = true;
    else if (a === 'keepttl' && unit === null) keepttl = true;
    else if ((a === 'ex' || a === 'px' || a === 'exat' || a === 'pxat') && !keepttl && hasNext) {
      const u = a.toUpperCase() as 'EX' | 'PX' | 'EXAT' | 'PXAT';
      if (unit !== null && unit !== u) return SYNTAX;
      unit = u;
      expireArg = arg(x, ++j);
    } else return SYNTAX;
  }
  let when: number | null = null;
  if (unit !== null) {
    const v = parseInt64(expireArg);
    if (v === null) return NOT_INTEGER;
    const invalid = err("ERR invalid expire time in 'set' command");
    const seconds = unit === 'EX' || unit === 'EXAT';
    if (v <= 0n || (seconds && v > INT64_MAX / 1000n)) return invalid;
    let ms = seconds ? v * 1000n : v;
    if (unit === 'EX' || unit === 'PX') {
      ms += BigInt(x.ctx.nowMs);
      if (ms > INT64_MAX) return invalid;
    }
    when = Number(ms);
  }
  let old: Reply = NIL;
  if (get) {
    const e = lookupType(x, key, 'string');
    if (e) old = bulk(e.value.v);
  }
  const found = lookup(x, key) !== undefined;
  if ((nx && found) || (xx && !found)) return get ? old : NIL;
  const prev = rawGet(x.db, key);
  const expireAt = when !== null ? when : keepttl && prev ? prev.expireAt : null;
  setEntry(x.db, key, { type: 'string', v: val }, expireAt);
  if (when !== null && x.ctx.version === '7.0')
    x.prop.push(['SET', key, val, 'PXAT', String(when)]);
  else if (get) {
    // 7.0 drops the GET flag from the propagated command
    const out: string[] = [];
    x.argv.forEach((a, i) => {
      if (i < 3 || a.toLowerCase() !== 'get') out.push(a);
    });
    x.prop.push(out);
  } else propagateVerbatim(x);
  return get ? old : OK;
}

function incrDecr(x: Exec, by: bigint): Reply {
  const key = arg(x, 1);
  const e = lookupType(x, key, 'string');
  let cur = 0n;
  if (e) {
    const v = parseInt64(e.value.v);
    if (v === null) return NOT_INTEGER;
    cur = v;
  }
  const r = cur + by;
  if (r < INT64_MIN || r > INT64_MAX) return err('ERR increment or decrement would overflow');
  if (e) e.value.v = r.toString();
  else setEntry(x.db, key, { type: 'string', v: r.toString() }, null);
  propagateVerbatim(x);
  return int(Number(r));
}

function cmdExpire(x: Exec, absolute: boolean, unitMs: number): Reply {
  const key = arg(x, 1);
  const cmd = arg(x, 0).toLowerCase();
  const whenArg = parseInt64(arg(x, 2));
  let nx = false;
  let xx = false;
  let gt = false;
  let lt = false;
  for (let j = 3; j < x.argv.length; j++) {
    const o = arg(x, j);
    const a = o.toLowerCase();
    if (a === 'nx') nx = true;
    else if (a === 'xx') xx = true;
    else if (a === 'gt') gt = true;
    else if (a === 'lt') lt = true;
    else return err(`ERR Unsupported option ${o}`);
  }
  if (nx && (xx || gt || lt))
    return err('ERR NX and XX, GT or LT options at the same time are not compatible');
  if (gt && lt) return err('ERR GT and LT options at the same time are not compatible');
  if (whenArg === null) return NOT_INTEGER;
  const invalid = err(`ERR invalid expire time in '${cmd}' command`);
  let when = whenArg;
  if (unitMs === 1000) {
    if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) return invalid;
    when *= 1000n;
  }
  if (!absolute) {
    when += BigInt(x.ctx.nowMs);
    if (when > INT64_MAX || when < INT64_MIN) return invalid;
  }
  const e = lookup(x, key);
  if (!e) return int(0);
  const w = Number(when);
  if (nx && e.expireAt !== null) return int(0);
  if (xx && e.expireAt === null) return int(0);
  if (gt && (e.expireAt === null || w <= e.expireAt)) return int(0);
  if (lt && e.expireAt !== null && w >= e.expireAt) return int(0);
  if (x.ctx.version === '5.0') {
    if (w <= x.ctx.nowMs && x.ctx.mode === 'master') {
      deleteKey(x.db, key);
      x.prop.push(['DEL', key]);
    } else {
      e.expireAt = w;
      propagateVerbatim(x);
    }
    return int(1);
  }
  if (w <= x.ctx.nowMs && x.ctx.mode === 'master') {
    deleteKey(x.db, key);
    x.prop.push(['DEL', key]);
    return int(1);
  }
  e.expireAt = w;
  // PEXPIREAT is propagated as executed, the others are rewritten to it (options kept)
  if (absolute && unitMs === 1) propagateVerbatim(x);
  else x.prop.push(['PEXPIREAT', key, String(w), ...x.argv.slice(3)]);
  return int(1);
}

function cmdHset(x: Exec, name: string): Reply {
  if (x.argv.length % 2 === 1) return wrongArity(name);
  const key = arg(x, 1);
  let e = lookupType(x, key, 'hash');
  if (!e) {
    setEntry(x.db, key, { type: 'hash', enc: 'listpack', v: [] }, null);
    e = lookupType(x, key, 'hash');
    if (!e) throw new Error('unreachable');
  }
  const h = e.value;
  if (h.enc === 'listpack') {
    for (let i = 2; i < x.argv.length; i++)
      if (utf8Length(arg(x, i)) > HASH_MAX_LISTPACK_VALUE) h.enc = 'hashtable';
  }
  let created = 0;
  for (let i = 2; i < x.argv.length; i += 2) {
    const f = arg(x, i);
    const v = arg(x, i + 1);
    const p = h.v.find((q) => q[0] === f);
    if (p) p[1] = v;
    else {
      h.v.push([f, v]);
      created++;
      if (h.enc === 'listpack' && h.v.length > HASH_MAX_LISTPACK_ENTRIES) h.enc = 'hashtable';
    }
  }
  propagateVerbatim(x);
  return name === 'hmset' ? OK : int(created);
}

function intWidth(v: bigint): 2 | 4 | 8 {
  if (v >= -32768n && v <= 32767n) return 2;
  if (v >= -2147483648n && v <= 2147483647n) return 4;
  return 8;
}

function cmdSadd(x: Exec): Reply {
  const key = arg(x, 1);
  let e = lookupType(x, key, 'set');
  if (!e) {
    const first = parseInt64(arg(x, 2));
    setEntry(
      x.db,
      key,
      { type: 'set', enc: first !== null ? 'intset' : 'hashtable', width: 2, m: {} },
      null,
    );
    e = lookupType(x, key, 'set');
    if (!e) throw new Error('unreachable');
  }
  const s = e.value;
  let added = 0;
  for (let i = 2; i < x.argv.length; i++) {
    const m = arg(x, i);
    const k = mk(m);
    if (Object.hasOwn(s.m, k)) continue;
    s.m[k] = true;
    added++;
    if (s.enc === 'intset') {
      const v = parseInt64(m);
      if (v === null) s.enc = 'hashtable';
      else {
        const w = intWidth(v);
        if (w > s.width) s.width = w;
        if (Object.keys(s.m).length > SET_MAX_INTSET_ENTRIES) s.enc = 'hashtable';
      }
    }
  }
  if (added > 0) propagateVerbatim(x);
  return int(added);
}

function cmdPop(x: Exec, left: boolean): Reply {
  const key = arg(x, 1);
  if (x.argv.length > 3) return wrongArity(arg(x, 0));
  let count: number | null = null;
  if (x.argv.length === 3) {
    const c = parseInt64(arg(x, 2));
    if (c === null || c < 0n) return err('ERR value is out of range, must be positive');
    count = Number(c);
  }
  const e = lookupType(x, key, 'list');
  if (!e) return count === null ? NIL : array(null);
  if (count === 0) return array([]);
  const n = count ?? 1;
  const out: string[] = [];
  while (out.length < n) {
    const v = listPop(e.value, left);
    if (v === undefined) break;
    out.push(v);
  }
  if (e.value.nodes.length === 0) deleteKey(x.db, key);
  propagateVerbatim(x);
  return count === null ? bulk(out[0] ?? null) : bulks(out);
}

function listPush(l: { nodes: string[][] }, v: string, head: boolean): void {
  const node = head ? l.nodes[0] : l.nodes[l.nodes.length - 1];
  const sz = utf8Length(v);
  if (node && listpackBytes(node).length + sz + SIZE_ESTIMATE_OVERHEAD <= LIST_MAX_LISTPACK_SIZE) {
    if (head) node.unshift(v);
    else node.push(v);
    return;
  }
  if (head) l.nodes.unshift([v]);
  else l.nodes.push([v]);
}

function listPop(l: { nodes: string[][] }, head: boolean): string | undefined {
  const idx = head ? 0 : l.nodes.length - 1;
  const node = l.nodes[idx];
  if (!node) return undefined;
  const v = head ? node.shift() : node.pop();
  if (node.length === 0) l.nodes.splice(idx, 1);
  return v;
}

// exported for tests
export { utf8Length };
export const _internal = { isInt64String, listpackBytes, intsetBytes };
