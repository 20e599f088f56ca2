/**
 * Commands on keys of any type (db.c, expire.c): DEL, EXISTS, TYPE, the EXPIRE family, TTL,
 * PERSIST, KEYS, DBSIZE, FLUSHDB and FLUSHALL.
 */
import type { Reply } from '../reply';
import {
  OK,
  NIL,
  status,
  int,
  array,
  bulk,
  bulks,
  err,
  SYNTAX,
  NOT_INTEGER,
  wrongArity,
} from '../reply';
import type { Value } from './db';
import { deleteKey, dictEntries, flushAll, isExpired, setEntry, setMembers } from './db';
import type { Exec } from './exec';
import { arg, expiredDel, fail, lookup, propagateVerbatim } from './exec';
import { stringEncoding } from './strings';
import { globMatchBytes } from './glob';
import { INT64_MAX, INT64_MIN, parseInt64 } from './numbers';
import { utf8Bytes } from './utf8';

export function cmdDel(x: Exec): Reply {
  let n = 0;
  for (let i = 1; i < x.argv.length; i++) {
    const key = arg(x, i);
    if (lookup(x, key) && deleteKey(x.db, key)) n++;
  }
  if (n > 0) propagateVerbatim(x);
  return int(n);
}

export function cmdExists(x: Exec): Reply {
  let n = 0;
  for (let i = 1; i < x.argv.length; i++) if (lookup(x, arg(x, i))) n++;
  return int(n);
}

export function cmdType(x: Exec): Reply {
  const e = lookup(x, arg(x, 1));
  return status(e ? e.value.type : 'none');
}

export function cmdExpire(x: Exec, absolute: boolean, unitMs: number): Reply {
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
  // Before 7.0, an expiry in the future is propagated as typed.
  if (x.ctx.line < 7) {
    if (w <= x.ctx.nowMs && x.ctx.mode === 'master') {
      deleteKey(x.db, key);
      x.prop.push([expiredDel(x.ctx), key]);
    } else {
      e.expireAt = w;
      propagateVerbatim(x);
    }
    return int(1);
  }
  if (w <= x.ctx.nowMs && x.ctx.mode === 'master') {
    deleteKey(x.db, key);
    x.prop.push([expiredDel(x.ctx), key]);
    return int(1);
  }
  e.expireAt = w;
  // PEXPIREAT is propagated as executed, the others are rewritten to it (options kept)
  if (absolute && unitMs === 1) propagateVerbatim(x);
  else x.prop.push(['PEXPIREAT', key, String(w), ...x.argv.slice(3)]);
  return int(1);
}

export function cmdTtl(x: Exec, name: string): Reply {
  const e = lookup(x, arg(x, 1));
  if (!e) return int(-2);
  if (e.expireAt === null) return int(-1);
  const ttl = Math.max(0, e.expireAt - x.ctx.nowMs);
  return int(name === 'ttl' ? Math.floor((ttl + 500) / 1000) : ttl);
}

export function cmdPersist(x: Exec): Reply {
  const e = lookup(x, arg(x, 1));
  if (!e || e.expireAt === null) return int(0);
  e.expireAt = null;
  propagateVerbatim(x);
  return int(1);
}

export function cmdKeys(x: Exec): Reply {
  const pat = utf8Bytes(arg(x, 1));
  const all = pat.length === 1 && pat[0] === 42;
  const out: string[] = [];
  for (const e of dictEntries(x.db)) {
    if (isExpired(e, x.ctx.nowMs)) continue; // KEYS skips expired keys without deleting them
    if (all || globMatchBytes(pat, utf8Bytes(e.key))) out.push(e.key);
  }
  return bulks(out);
}

export function cmdDbsize(x: Exec): Reply {
  return int(Object.keys(x.db.dict).length);
}

export function cmdFlush(x: Exec, name: string): Reply {
  for (let i = 1; i < x.argv.length; i++) {
    const a = arg(x, i).toLowerCase();
    if (x.argv.length > 2 || (a !== 'sync' && a !== 'async')) return SYNTAX;
  }
  if (name === 'flushdb') x.db.dict = {};
  else flushAll(x.ks);
  propagateVerbatim(x);
  return OK;
}

/** RENAME / RENAMENX: the value and its TTL move to the new name, replacing what was there. */
export function cmdRename(x: Exec, nx: boolean): Reply {
  const src = arg(x, 1);
  const dst = arg(x, 2);
  const e = lookup(x, src);
  if (!e) return err('ERR no such key');
  if (src === dst) return nx ? int(0) : OK;
  if (lookup(x, dst)) {
    if (nx) return int(0);
    deleteKey(x.db, dst);
  }
  setEntry(x.db, dst, e.value, e.expireAt);
  deleteKey(x.db, src);
  propagateVerbatim(x);
  return nx ? int(1) : OK;
}

const OBJECT_HELP = [
  'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
  'HELP',
  '    Prints this help.',
];

/**
 * OBJECT ENCODING key and OBJECT HELP. FREQ, IDLETIME and REFCOUNT exist in Redis but depend on
 * access times and shared objects the lab does not model: they get an error that says so.
 */
export function cmdObject(x: Exec): Reply {
  const sub = arg(x, 1).toLowerCase();
  const arity = (n: number): void => {
    if (x.argv.length !== n) fail(wrongArity(`object|${sub}`));
  };
  if (sub === 'help') {
    arity(2);
    return array(OBJECT_HELP.map((l) => status(l)));
  }
  if (sub === 'freq' || sub === 'idletime' || sub === 'refcount') {
    arity(3);
    return err(`ERR OBJECT ${sub.toUpperCase()} is not modelled by this simulation`);
  }
  if (sub !== 'encoding')
    return err(`ERR unknown subcommand '${arg(x, 1).slice(0, 128)}'. Try OBJECT HELP.`);
  arity(3);
  const e = lookup(x, arg(x, 2));
  if (!e) return NIL;
  const v = e.value;
  switch (v.type) {
    case 'string':
      return bulk(stringEncoding(v));
    case 'list':
      return bulk('quicklist');
    case 'stream':
      return bulk('stream');
    default:
      // Before 7.0 the small hashes and sorted sets were ziplists (7.0 made them listpacks); from
      // 7.2 a small set of strings is a listpack too (the engine keeps it as a hashtable).
      if (v.enc === 'listpack' && x.ctx.line < 7) return bulk('ziplist');
      if (v.type === 'set' && v.enc === 'hashtable' && x.ctx.line >= 7.2 && smallSet(v))
        return bulk('listpack');
      return bulk(v.enc);
  }
}

/** set-max-listpack-entries 128, set-max-listpack-value 64 (7.2's listpack sets). */
function smallSet(v: Extract<Value, { type: 'set' }>): boolean {
  const ms = setMembers(v);
  return ms.length <= 128 && ms.every((m) => utf8Bytes(m).length <= 64);
}
