/**
 * Set commands (t_set.c), with the intset and hash table encodings. Loaded on demand with the
 * other data-type commands (typeCommands.ts).
 */
import type { Reply } from '../reply';
import { NIL, int, bulk, array, bulks, err, SYNTAX } from '../reply';
import { WRONGTYPE } from '../reply';
import type { Value } from './db';
import { deleteKey, mk, setEntry, setMembers } from './db';
import type { Exec } from './exec';
import { arg, fail, lookup, lookupType, propagateVerbatim } from './exec';
import { parseInt64 } from './numbers';

const SET_MAX_INTSET_ENTRIES = 512;

function intWidth(v: bigint): 2 | 4 | 8 {
  if (v >= -32768n && v <= 32767n) return 2;
  if (v >= -2147483648n && v <= 2147483647n) return 4;
  return 8;
}

type SetValue = Extract<Value, { type: 'set' }>;

/** setTypeCreate: an intset when the first member is an integer, else a hash table. */
function newSet(first: string): SetValue {
  return { type: 'set', enc: parseInt64(first) !== null ? 'intset' : 'hashtable', width: 2, m: {} };
}

/** setTypeAdd: false if already a member; converts the intset as Redis does. */
function setAdd(s: SetValue, m: string): boolean {
  const k = mk(m);
  if (Object.hasOwn(s.m, k)) return false;
  s.m[k] = true;
  if (s.enc === 'intset') {
    const v = parseInt64(m);
    if (v === null) s.enc = 'hashtable';
    else {
      const w = intWidth(v);
      if (w > s.width) s.width = w;
      if (Object.keys(s.m).length > SET_MAX_INTSET_ENTRIES) s.enc = 'hashtable';
    }
  }
  return true;
}

export function cmdSadd(x: Exec): Reply {
  const key = arg(x, 1);
  let e = lookupType(x, key, 'set');
  if (!e) {
    setEntry(x.db, key, newSet(arg(x, 2)), null);
    e = lookupType(x, key, 'set');
    if (!e) throw new Error('unreachable');
  }
  let added = 0;
  for (let i = 2; i < x.argv.length; i++) if (setAdd(e.value, arg(x, i))) added++;
  if (added > 0) propagateVerbatim(x);
  return int(added);
}

/** SMOVE source destination member. */
export function cmdSmove(x: Exec): Reply {
  const srcKey = arg(x, 1);
  const dstKey = arg(x, 2);
  const m = arg(x, 3);
  const src = lookup(x, srcKey);
  const dst = lookup(x, dstKey);
  if (!src) return int(0);
  if (src.value.type !== 'set' || (dst && dst.value.type !== 'set')) return WRONGTYPE;
  const k = mk(m);
  if (srcKey === dstKey) return int(Object.hasOwn(src.value.m, k) ? 1 : 0);
  if (!Object.hasOwn(src.value.m, k)) return int(0);
  delete src.value.m[k];
  if (Object.keys(src.value.m).length === 0) deleteKey(x.db, srcKey);
  let d = dst?.value as SetValue | undefined;
  if (!d) {
    d = newSet(m);
    setEntry(x.db, dstKey, d, null);
  }
  setAdd(d, m);
  propagateVerbatim(x);
  return int(1);
}

/** SINTER / SUNION / SDIFF key [key ...]: every key is type-checked; a missing key is empty. */
export function cmdSetAlgebra(x: Exec, op: 'inter' | 'union' | 'diff'): Reply {
  const sets: Array<SetValue | null> = [];
  for (let i = 1; i < x.argv.length; i++) {
    const e = lookupType(x, arg(x, i), 'set');
    sets.push(e ? e.value : null);
  }
  const has = (s: SetValue | null, m: string): boolean => s !== null && Object.hasOwn(s.m, mk(m));
  if (op === 'inter') {
    if (sets.some((s) => s === null)) return array([]);
    const all = sets as SetValue[];
    // the smallest set first, its members in its own order
    const order = [...all].sort((a, b) => Object.keys(a.m).length - Object.keys(b.m).length);
    const [first, ...rest] = order;
    return bulks(setMembersRedisOrder(first!).filter((m) => rest.every((s) => has(s, m))));
  }
  if (op === 'union') {
    const out = new Set<string>();
    for (const s of sets) if (s) for (const m of setMembersRedisOrder(s)) out.add(m);
    return bulks([...out]);
  }
  const [first, ...rest] = sets;
  if (!first) return array([]);
  return bulks(setMembersRedisOrder(first).filter((m) => !rest.some((s) => has(s, m))));
}

export function cmdSrem(x: Exec): Reply {
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

export function cmdSpop(x: Exec): Reply {
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

export function cmdSmembers(x: Exec): Reply {
  const e = lookupType(x, arg(x, 1), 'set');
  return bulks(e ? setMembersRedisOrder(e.value) : []);
}

export function cmdScard(x: Exec): Reply {
  const e = lookupType(x, arg(x, 1), 'set');
  return int(e ? Object.keys(e.value.m).length : 0);
}

export function cmdSismember(x: Exec): Reply {
  const e = lookupType(x, arg(x, 1), 'set');
  return int(e && Object.hasOwn(e.value.m, mk(arg(x, 2))) ? 1 : 0);
}

/** SMEMBERS order: intsets are sorted numerically; hashtable order is unspecified (insertion here). */
function setMembersRedisOrder(v: Extract<Value, { type: 'set' }>): string[] {
  const ms = setMembers(v);
  if (v.enc === 'intset')
    ms.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  return ms;
}
