/** String commands (t_string.c): GET, SET, GETSET, MGET, MSET, INCR and friends, APPEND, STRLEN. */
import { utf8Length } from '../resp';
import type { Reply } from '../reply';
import { OK, NIL, int, bulk, array, err, SYNTAX, NOT_INTEGER, wrongArity } from '../reply';
import type { Value } from './db';
import { deleteKey, rawGet, setEntry } from './db';
import type { Exec } from './exec';
import { arg, expiredDel, fail, intArg, lookup, lookupType, propagateVerbatim } from './exec';
import { INT64_MAX, INT64_MIN, incrByFloatText, parseInt64 } from './numbers';

export function cmdGet(x: Exec): Reply {
  const e = lookupType(x, arg(x, 1), 'string');
  return e ? bulk(e.value.v) : NIL;
}

export function cmdSet(x: Exec): Reply {
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
  const when = unit !== null ? expireMs(x, unit, expireArg, 'set') : null;
  // 6.2 propagates EX/PX as PX with the relative milliseconds (parsed above when valid).
  const relMs =
    when !== null && (unit === 'EX' || unit === 'PX')
      ? Number(parseInt64(expireArg)!) * (unit === 'EX' ? 1000 : 1)
      : null;
  return setGeneric(x, key, val, { nx, xx, get, keepttl, when, relMs });
}

/** setGenericCommand once the arguments are parsed. */
function setGeneric(
  x: Exec,
  key: string,
  val: string,
  o: {
    nx: boolean;
    xx: boolean;
    get: boolean;
    keepttl: boolean;
    when: number | null;
    /** The expiry as relative milliseconds when it was given as EX/PX (6.2's propagation). */
    relMs: number | null;
  },
): Reply {
  const { nx, xx, get, keepttl, when, relMs } = o;
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
  // 7.0 propagates any expiry as PXAT; 6.2 EX/PX as PX with the relative ms (EXAT/PXAT as
  // PXAT); 5.0 verbatim.
  if (when !== null && x.ctx.line >= 7) x.prop.push(['SET', key, val, 'PXAT', String(when)]);
  else if (when !== null && x.ctx.line >= 6.2)
    x.prop.push(['SET', key, val, relMs !== null ? 'PX' : 'PXAT', String(relMs ?? when)]);
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

/**
 * getExpireMillisecondsOrReply: an EX/PX/EXAT/PXAT argument as an absolute unix time in ms, or
 * the command's reply error.
 */
function expireMs(
  x: Exec,
  unit: 'EX' | 'PX' | 'EXAT' | 'PXAT',
  expireArg: string,
  cmd: string,
): number {
  const v = parseInt64(expireArg);
  if (v === null) fail(NOT_INTEGER);
  const invalid = err(`ERR invalid expire time in '${cmd}' command`);
  const seconds = unit === 'EX' || unit === 'EXAT';
  if (v <= 0n || (seconds && v > INT64_MAX / 1000n)) fail(invalid);
  let ms = seconds ? v * 1000n : v;
  if (unit === 'EX' || unit === 'PX') {
    ms += BigInt(x.ctx.nowMs);
    if (ms > INT64_MAX) fail(invalid);
  }
  return Number(ms);
}

/** SETEX key seconds value, PSETEX key milliseconds value: 7.0 propagates SET key value PXAT. */
export function cmdSetex(x: Exec, ms: boolean): Reply {
  const name = ms ? 'psetex' : 'setex';
  const when = expireMs(x, ms ? 'PX' : 'EX', arg(x, 2), name);
  const key = arg(x, 1);
  const val = arg(x, 3);
  lookup(x, key);
  setEntry(x.db, key, { type: 'string', v: val }, when);
  // 7.0: SET … PXAT; 6.2: SET … PX (setGenericCommand's rewrite); 5.0 as typed.
  if (x.ctx.line >= 7) x.prop.push(['SET', key, val, 'PXAT', String(when)]);
  else if (x.ctx.line >= 6.2)
    x.prop.push(['SET', key, val, 'PX', String(Number(parseInt64(arg(x, 2))!) * (ms ? 1 : 1000))]);
  else propagateVerbatim(x);
  return OK;
}

export function cmdSetnx(x: Exec): Reply {
  const key = arg(x, 1);
  if (lookup(x, key)) return int(0);
  setEntry(x.db, key, { type: 'string', v: arg(x, 2) }, null);
  propagateVerbatim(x);
  return int(1);
}

/** GETDEL: the value, then the key deleted and DEL propagated. */
export function cmdGetdel(x: Exec): Reply {
  const key = arg(x, 1);
  const e = lookupType(x, key, 'string');
  if (!e) return NIL;
  deleteKey(x.db, key);
  x.prop.push(['DEL', key]);
  return bulk(e.value.v);
}

/**
 * GETEX key [EX s | PX ms | EXAT ts | PXAT ms-ts | PERSIST]: never propagated as is, but as
 * PEXPIREAT, DEL (an absolute time already past, on a master) or PERSIST.
 */
export function cmdGetex(x: Exec): Reply {
  const key = arg(x, 1);
  let unit: 'EX' | 'PX' | 'EXAT' | 'PXAT' | null = null;
  let persist = false;
  let expireArg = '';
  for (let j = 2; j < x.argv.length; j++) {
    const a = arg(x, j).toLowerCase();
    const hasNext = j + 1 < x.argv.length;
    if (a === 'persist' && unit === null) persist = true;
    else if ((a === 'ex' || a === 'px' || a === 'exat' || a === 'pxat') && !persist && hasNext) {
      const u = a.toUpperCase() as 'EX' | 'PX' | 'EXAT' | 'PXAT';
      if (unit !== null && unit !== u) return SYNTAX;
      unit = u;
      expireArg = arg(x, ++j);
    } else return SYNTAX;
  }
  const e = lookupType(x, key, 'string');
  if (!e) return NIL;
  const reply = bulk(e.value.v);
  if (unit !== null) {
    const when = expireMs(x, unit, expireArg, 'getex');
    const absolute = unit === 'EXAT' || unit === 'PXAT';
    if (absolute && when <= x.ctx.nowMs && x.ctx.mode === 'master') {
      deleteKey(x.db, key);
      x.prop.push([expiredDel(x.ctx), key]);
    } else {
      e.expireAt = when;
      x.prop.push(['PEXPIREAT', key, String(when)]);
    }
  } else if (persist && e.expireAt !== null) {
    e.expireAt = null;
    x.prop.push(['PERSIST', key]);
  }
  return reply;
}

/** MSETNX: all the keys set, or none if any of them exists. */
export function cmdMsetnx(x: Exec): Reply {
  if (x.argv.length % 2 === 0) return wrongArity('msetnx');
  for (let i = 1; i < x.argv.length; i += 2) if (lookup(x, arg(x, i))) return int(0);
  for (let i = 1; i < x.argv.length; i += 2)
    setEntry(x.db, arg(x, i), { type: 'string', v: arg(x, i + 1) }, null);
  propagateVerbatim(x);
  return int(1);
}

/** OBJECT ENCODING of a string: tryObjectEncoding's choice unless the command made it otherwise. */
export function stringEncoding(v: Extract<Value, { type: 'string' }>): string {
  if (v.enc) return v.enc;
  if (utf8Length(v.v) <= 20 && parseInt64(v.v) !== null) return 'int';
  return utf8Length(v.v) <= 44 ? 'embstr' : 'raw';
}

export function cmdGetset(x: Exec): Reply {
  const key = arg(x, 1);
  const e = lookupType(x, key, 'string');
  const old = e ? bulk(e.value.v) : NIL;
  setEntry(x.db, key, { type: 'string', v: arg(x, 2) }, null);
  // Propagated as SET since 6.2, as typed before.
  if (x.ctx.line >= 6.2) x.prop.push(['SET', key, arg(x, 2)]);
  else propagateVerbatim(x);
  return old;
}

export function cmdMget(x: Exec): Reply {
  const out: Reply[] = [];
  for (let i = 1; i < x.argv.length; i++) {
    const e = lookup(x, arg(x, i));
    out.push(e && e.value.type === 'string' ? bulk(e.value.v) : NIL);
  }
  return array(out);
}

export function cmdMset(x: Exec): Reply {
  if (x.argv.length % 2 === 0) return wrongArity('mset');
  for (let i = 1; i < x.argv.length; i += 2) {
    lookup(x, arg(x, i)); // lazy expiry first, as setKey's lookup does
    setEntry(x.db, arg(x, i), { type: 'string', v: arg(x, i + 1) }, null);
  }
  propagateVerbatim(x);
  return OK;
}

export function incrDecr(x: Exec, by: bigint): Reply {
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
  if (e) {
    e.value.v = r.toString();
    delete e.value.enc; // an int-encoded object
  } else setEntry(x.db, key, { type: 'string', v: r.toString() }, null);
  propagateVerbatim(x);
  return int(Number(r));
}

export function cmdDecrby(x: Exec): Reply {
  const d = intArg(x, 2);
  if (d === INT64_MIN) return err('ERR decrement would overflow');
  return incrDecr(x, -d);
}

export function cmdIncrbyfloat(x: Exec): Reply {
  const key = arg(x, 1);
  const e = lookupType(x, key, 'string');
  const r = incrByFloatText(e ? e.value.v : null, arg(x, 2));
  if (typeof r !== 'string') return r;
  // createStringObject (no tryObjectEncoding): embstr up to 44 bytes, even for "3"
  const enc = utf8Length(r) <= 44 ? 'embstr' : 'raw';
  if (e) {
    e.value.v = r;
    e.value.enc = enc;
  } else setEntry(x.db, key, { type: 'string', v: r, enc }, null);
  x.prop.push(x.ctx.line < 6 ? ['SET', key, r] : ['SET', key, r, 'KEEPTTL']);
  return bulk(r);
}

export function cmdAppend(x: Exec): Reply {
  const key = arg(x, 1);
  const e = lookupType(x, key, 'string');
  let v: string;
  if (e) {
    e.value.v += arg(x, 2);
    e.value.enc = 'raw'; // dbUnshareStringValue: a raw sds, whatever its length
    v = e.value.v;
  } else {
    v = arg(x, 2);
    setEntry(x.db, key, { type: 'string', v }, null);
  }
  propagateVerbatim(x);
  return int(utf8Length(v));
}

export function cmdStrlen(x: Exec): Reply {
  const e = lookupType(x, arg(x, 1), 'string');
  return int(e ? utf8Length(e.value.v) : 0);
}
