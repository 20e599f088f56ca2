/** Hash, list and set commands (t_hash.c, t_list.c, t_set.c), with their encodings. */
import { utf8Length } from '../resp';
import type { Reply } from '../reply';
import { OK, NIL, int, bulk, array, bulks, err, SYNTAX, wrongArity } from '../reply';
import type { Value } from './db';
import { deleteKey, listItems, mk, setEntry, setMembers } from './db';
import type { Exec } from './exec';
import { arg, fail, intArg, lookupType, propagateVerbatim } from './exec';
import { parseInt64 } from './numbers';
import { listpackBytes } from './rdbSize';

// ---------------------------------------------------------------------------------------------
// Hashes

const HASH_MAX_LISTPACK_ENTRIES = 512;
const HASH_MAX_LISTPACK_VALUE = 64;

export function cmdHset(x: Exec, name: string): Reply {
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

export function cmdHget(x: Exec): Reply {
  const e = lookupType(x, arg(x, 1), 'hash');
  const f = arg(x, 2);
  const p = e?.value.v.find((q) => q[0] === f);
  return p ? bulk(p[1]) : NIL;
}

export function cmdHgetall(x: Exec): Reply {
  const e = lookupType(x, arg(x, 1), 'hash');
  return bulks(e ? e.value.v.flat() : []);
}

export function cmdHdel(x: Exec): Reply {
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

export function cmdHlen(x: Exec): Reply {
  const e = lookupType(x, arg(x, 1), 'hash');
  return int(e ? e.value.v.length : 0);
}

export function cmdHexists(x: Exec): Reply {
  const e = lookupType(x, arg(x, 1), 'hash');
  const f = arg(x, 2);
  return int(e && e.value.v.some((q) => q[0] === f) ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------
// Lists

const LIST_MAX_LISTPACK_SIZE = 8192; // list-max-listpack-size -2
const SIZE_ESTIMATE_OVERHEAD = 8;

export function cmdPush(x: Exec, name: string): Reply {
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

export function cmdPop(x: Exec, left: boolean): Reply {
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

export function cmdLrange(x: Exec): Reply {
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

export function cmdLlen(x: Exec): Reply {
  const e = lookupType(x, arg(x, 1), 'list');
  return int(e ? listItems(e.value).length : 0);
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

// ---------------------------------------------------------------------------------------------
// Sets

const SET_MAX_INTSET_ENTRIES = 512;

function intWidth(v: bigint): 2 | 4 | 8 {
  if (v >= -32768n && v <= 32767n) return 2;
  if (v >= -2147483648n && v <= 2147483647n) return 4;
  return 8;
}

export function cmdSadd(x: Exec): Reply {
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
