/** Hash and list commands (t_hash.c, t_list.c), with their encodings. Sets are in sets.ts. */
import { utf8Length } from '../resp';
import type { Reply } from '../reply';
import { OK, NIL, int, bulk, array, bulks, err, SYNTAX, wrongArity } from '../reply';
import { NOT_FLOAT } from '../reply';
import { deleteKey, listItems, setEntry } from './db';
import type { Exec } from './exec';
import { arg, intArg, lookupType, propagateVerbatim } from './exec';
import { INT64_MAX, INT64_MIN, incrByFloatText, parseInt64 } from './numbers';
import { listpackBytes } from './listpack';

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

/** HINCRBY key field increment: the new value; the field is created at 0. */
export function cmdHincrby(x: Exec): Reply {
  const by = intArg(x, 3);
  const key = arg(x, 1);
  const f = arg(x, 2);
  let e = lookupType(x, key, 'hash');
  if (!e) {
    setEntry(x.db, key, { type: 'hash', enc: 'listpack', v: [] }, null);
    e = lookupType(x, key, 'hash');
    if (!e) throw new Error('unreachable');
  }
  const h = e.value;
  const p = h.v.find((q) => q[0] === f);
  let cur = 0n;
  if (p) {
    const v = parseInt64(p[1]);
    if (v === null) return err('ERR hash value is not an integer');
    cur = v;
  }
  const r = cur + by;
  if (r < INT64_MIN || r > INT64_MAX) return err('ERR increment or decrement would overflow');
  // hashTypeSet: a field too long for the listpack converts it before the write
  if (h.enc === 'listpack' && utf8Length(f) > HASH_MAX_LISTPACK_VALUE) h.enc = 'hashtable';
  if (p) p[1] = r.toString();
  else {
    h.v.push([f, r.toString()]);
    if (h.enc === 'listpack' && h.v.length > HASH_MAX_LISTPACK_ENTRIES) h.enc = 'hashtable';
  }
  propagateVerbatim(x);
  return int(Number(r));
}

/** HINCRBYFLOAT key field increment: long double arithmetic, propagated as HSET of the result. */
export function cmdHincrbyfloat(x: Exec): Reply {
  const key = arg(x, 1);
  const f = arg(x, 2);
  const incr = arg(x, 3);
  const check = incrByFloatText(null, incr);
  if (typeof check !== 'string')
    return check.t === 'error' && check.v === NOT_FLOAT.v
      ? check
      : err('ERR value is NaN or Infinity');
  let e = lookupType(x, key, 'hash');
  if (!e) {
    setEntry(x.db, key, { type: 'hash', enc: 'listpack', v: [] }, null);
    e = lookupType(x, key, 'hash');
    if (!e) throw new Error('unreachable');
  }
  const h = e.value;
  const p = h.v.find((q) => q[0] === f);
  const r = incrByFloatText(p ? p[1] : null, incr);
  if (typeof r !== 'string')
    return r.t === 'error' && r.v === NOT_FLOAT.v ? err('ERR hash value is not a float') : r;
  if (h.enc === 'listpack' && utf8Length(f) > HASH_MAX_LISTPACK_VALUE) h.enc = 'hashtable';
  if (p) p[1] = r;
  else {
    h.v.push([f, r]);
    if (h.enc === 'listpack' && h.v.length > HASH_MAX_LISTPACK_ENTRIES) h.enc = 'hashtable';
  }
  x.prop.push(['HSET', key, f, r]);
  return bulk(r);
}

export function cmdHmget(x: Exec): Reply {
  const e = lookupType(x, arg(x, 1), 'hash');
  const out: Reply[] = [];
  for (let i = 2; i < x.argv.length; i++) {
    const f = arg(x, i);
    const p = e?.value.v.find((q) => q[0] === f);
    out.push(bulk(p ? p[1] : null));
  }
  return array(out);
}

/** HKEYS / HVALS: listpack (insertion) order; a hash table's order is unspecified in Redis. */
export function cmdHkeysVals(x: Exec, keys: boolean): Reply {
  const e = lookupType(x, arg(x, 1), 'hash');
  return bulks(e ? e.value.v.map((p) => (keys ? p[0] : p[1])) : []);
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

/** LINDEX key index (the key is looked up before the index is parsed). */
export function cmdLindex(x: Exec): Reply {
  const e = lookupType(x, arg(x, 1), 'list');
  if (!e) return NIL;
  const at = listSeek(e.value, intArg(x, 2));
  return at ? bulk(e.value.nodes[at[0]]![at[1]]!) : NIL;
}

/** LSET key index value: lpReplace in its node, whatever the size. */
export function cmdLset(x: Exec): Reply {
  const e = lookupType(x, arg(x, 1), 'list');
  if (!e) return err('ERR no such key');
  const at = listSeek(e.value, intArg(x, 2));
  if (!at) return err('ERR index out of range');
  e.value.nodes[at[0]]![at[1]] = arg(x, 3);
  propagateVerbatim(x);
  return OK;
}

/** LREM key count value: count > 0 from the head, < 0 from the tail, 0 all. */
export function cmdLrem(x: Exec): Reply {
  const count = intArg(x, 2);
  const key = arg(x, 1);
  const v = arg(x, 3);
  const e = lookupType(x, key, 'list');
  if (!e) return int(0);
  const l = e.value;
  const limit = count < 0n ? -count : count;
  let removed = 0;
  const fromTail = count < 0n;
  for (
    let ni = fromTail ? l.nodes.length - 1 : 0;
    fromTail ? ni >= 0 : ni < l.nodes.length;
    ni += fromTail ? -1 : 1
  ) {
    const node = l.nodes[ni]!;
    for (let i = fromTail ? node.length - 1 : 0; fromTail ? i >= 0 : i < node.length;) {
      if ((limit === 0n || BigInt(removed) < limit) && node[i] === v) {
        node.splice(i, 1);
        removed++;
        if (!fromTail) continue;
      }
      i += fromTail ? -1 : 1;
    }
  }
  l.nodes = l.nodes.filter((n) => n.length > 0);
  if (l.nodes.length === 0) deleteKey(x.db, key);
  if (removed > 0) propagateVerbatim(x);
  return int(removed);
}

/** LTRIM key start stop: quicklistDelRange at both ends (no node merges). */
export function cmdLtrim(x: Exec): Reply {
  let start = Number(intArg(x, 2));
  let end = Number(intArg(x, 3));
  const key = arg(x, 1);
  const e = lookupType(x, key, 'list');
  if (!e) return OK;
  const items = listItems(e.value);
  const len = items.length;
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  let ltrim: number;
  let rtrim: number;
  if (start > end || start >= len) {
    ltrim = len;
    rtrim = 0;
  } else {
    if (end >= len) end = len - 1;
    ltrim = start;
    rtrim = len - end - 1;
  }
  listDelRange(e.value, 0, ltrim);
  listDelRange(e.value, len - ltrim - rtrim, rtrim);
  if (e.value.nodes.length === 0) deleteKey(x.db, key);
  if (ltrim + rtrim > 0) propagateVerbatim(x);
  return OK;
}

/** LINSERT key BEFORE|AFTER pivot value: the new length, -1 without the pivot, 0 without the key. */
export function cmdLinsert(x: Exec): Reply {
  const where = arg(x, 2).toLowerCase();
  if (where !== 'before' && where !== 'after') return SYNTAX;
  const e = lookupType(x, arg(x, 1), 'list');
  if (!e) return int(0);
  const l = e.value;
  const pivot = arg(x, 3);
  for (let ni = 0; ni < l.nodes.length; ni++) {
    const off = l.nodes[ni]!.indexOf(pivot);
    if (off < 0) continue;
    quicklistInsert(l, ni, off, arg(x, 4), where === 'after');
    propagateVerbatim(x);
    return int(listItems(l).length);
  }
  return int(-1);
}

/** The node and offset of a list index (negative from the tail), or null when out of range. */
function listSeek(l: { nodes: string[][] }, index: bigint): [number, number] | null {
  const len = listItems(l).length;
  let i = index < 0n ? BigInt(len) + index : index;
  if (i < 0n || i >= BigInt(len)) return null;
  for (let ni = 0; ni < l.nodes.length; ni++) {
    const n = BigInt(l.nodes[ni]!.length);
    if (i < n) return [ni, Number(i)];
    i -= n;
  }
  return null;
}

/** quicklistDelRange: `count` entries from list index `start`; emptied nodes go. */
function listDelRange(l: { nodes: string[][] }, start: number, count: number): void {
  if (count <= 0) return;
  let skip = start;
  let left = count;
  for (const node of l.nodes) {
    if (left === 0) break;
    if (skip >= node.length) {
      skip -= node.length;
      continue;
    }
    const n = Math.min(left, node.length - skip);
    node.splice(skip, n);
    left -= n;
    skip = 0;
  }
  l.nodes = l.nodes.filter((n) => n.length > 0);
}

const lpSize = (node: readonly string[]): number => listpackBytes(node).length;

/** _quicklistNodeAllowInsert with list-max-listpack-size -2 (8 KB). */
function allowInsert(node: readonly string[] | undefined, sz: number): boolean {
  return node !== undefined && lpSize(node) + sz + SIZE_ESTIMATE_OVERHEAD <= LIST_MAX_LISTPACK_SIZE;
}

/** _quicklistNodeAllowMerge: the merged listpack (less one header and end byte) fits 8 KB. */
function allowMerge(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return a !== undefined && b !== undefined && lpSize(a) + lpSize(b) - 11 <= LIST_MAX_LISTPACK_SIZE;
}

/** _quicklistInsert: into the node if it has room, else a neighbour, a new node, or a split. */
function quicklistInsert(
  l: { nodes: string[][] },
  ni: number,
  off: number,
  v: string,
  after: boolean,
): void {
  const node = l.nodes[ni]!;
  const sz = utf8Length(v);
  const full = !allowInsert(node, sz);
  const atTail = after && off === node.length - 1;
  const atHead = !after && off === 0;
  const availNext = atTail && allowInsert(l.nodes[ni + 1], sz);
  const availPrev = atHead && allowInsert(l.nodes[ni - 1], sz);
  if (!full) node.splice(after ? off + 1 : off, 0, v);
  else if (atTail && availNext) l.nodes[ni + 1]!.unshift(v);
  else if (atHead && availPrev) l.nodes[ni - 1]!.push(v);
  else if (atTail || atHead) l.nodes.splice(after ? ni + 1 : ni, 0, [v]);
  else {
    // split: after keeps [0..off] and a new node [v, off+1..] follows; before keeps
    // [off..] and a new node [..off-1, v] goes before it. Then merges around the node.
    let c = ni;
    if (after) {
      const rest = node.splice(off + 1);
      l.nodes.splice(ni + 1, 0, [v, ...rest]);
    } else {
      const head = node.splice(0, off);
      l.nodes.splice(ni, 0, [...head, v]);
      c = ni + 1;
    }
    mergeNodes(l, c);
  }
}

/** _quicklistMergeNodes around the node at index c. */
function mergeNodes(l: { nodes: string[][] }, c: number): void {
  const merge = (i: number): void => {
    l.nodes.splice(i, 2, [...l.nodes[i]!, ...l.nodes[i + 1]!]);
  };
  if (c >= 2 && allowMerge(l.nodes[c - 1], l.nodes[c - 2])) {
    merge(c - 2);
    c--;
  }
  if (allowMerge(l.nodes[c + 1], l.nodes[c + 2])) merge(c + 1);
  let t = c;
  if (c >= 1 && allowMerge(l.nodes[c], l.nodes[c - 1])) {
    merge(c - 1);
    t = c - 1;
  }
  if (allowMerge(l.nodes[t], l.nodes[t + 1])) merge(t);
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
