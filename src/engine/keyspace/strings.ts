/** String commands (t_string.c): GET, SET, GETSET, MGET, MSET, INCR and friends, APPEND, STRLEN. */
import { utf8Length } from '../resp';
import type { Reply } from '../reply';
import { OK, NIL, int, bulk, array, err, SYNTAX, NOT_INTEGER, wrongArity } from '../reply';
import { rawGet, setEntry } from './db';
import type { Exec } from './exec';
import { arg, intArg, lookup, lookupType, propagateVerbatim } from './exec';
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
  // 7.0 propagates any expiry as PXAT; 6.2 EX/PX as PX with the relative ms (EXAT/PXAT as
  // PXAT); 5.0 verbatim.
  if (when !== null && x.ctx.line >= 7) x.prop.push(['SET', key, val, 'PXAT', String(when)]);
  else if (when !== null && x.ctx.line >= 6.2) {
    const relative = unit === 'EX' || unit === 'PX';
    const ms = relative ? Number(parseInt64(expireArg)!) * (unit === 'EX' ? 1000 : 1) : when;
    x.prop.push(['SET', key, val, relative ? 'PX' : 'PXAT', String(ms)]);
  } else if (get) {
    // 7.0 drops the GET flag from the propagated command
    const out: string[] = [];
    x.argv.forEach((a, i) => {
      if (i < 3 || a.toLowerCase() !== 'get') out.push(a);
    });
    x.prop.push(out);
  } else propagateVerbatim(x);
  return get ? old : OK;
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
  if (e) e.value.v = r.toString();
  else setEntry(x.db, key, { type: 'string', v: r.toString() }, null);
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
  if (e) e.value.v = r;
  else setEntry(x.db, key, { type: 'string', v: r }, null);
  // KEEPTTL since 6.0.
  x.prop.push(x.ctx.line < 6 ? ['SET', key, r] : ['SET', key, r, 'KEEPTTL']);
  return bulk(r);
}

export function cmdAppend(x: Exec): Reply {
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

export function cmdStrlen(x: Exec): Reply {
  const e = lookupType(x, arg(x, 1), 'string');
  return int(e ? utf8Length(e.value.v) : 0);
}
