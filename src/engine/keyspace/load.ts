/**
 * Loading an RDB (rdb.c rdbLoadObject, 7.0): the dataset a server gets from a file or a full
 * sync is the saved one, re-encoded as loading does it, which can differ from the encodings the
 * saving server had built up command by command.
 */
import type { Keyspace, Value } from './db';
import { addScript, cloneKeyspace, dictEntries, setMembers } from './db';
import { utf8Length } from '../resp';
import { parseInt64 } from './numbers';

const SET_MAX_INTSET_ENTRIES = 512;
const HASH_MAX_LISTPACK_ENTRIES = 512;
const HASH_MAX_LISTPACK_VALUE = 64;
const ZSET_MAX_LISTPACK_ENTRIES = 128;
const ZSET_MAX_LISTPACK_VALUE = 64;

function reencode(v: Value): void {
  switch (v.type) {
    case 'string':
      // strings are loaded through tryObjectEncoding: an APPENDed "raw" becomes embstr or int
      delete v.enc;
      return;
    case 'set': {
      // a set of at most 512 integers loads as an intset, whatever it was
      const ms = setMembers(v);
      if (ms.length > SET_MAX_INTSET_ENTRIES) return;
      const ints = ms.map(parseInt64);
      if (ints.some((n) => n === null)) {
        v.enc = 'hashtable';
        return;
      }
      v.enc = 'intset';
      v.width = 2;
      for (const n of ints as bigint[]) {
        const w = n >= -32768n && n <= 32767n ? 2 : n >= -2147483648n && n <= 2147483647n ? 4 : 8;
        if (w > v.width) v.width = w;
      }
      return;
    }
    case 'hash':
      // a hash table of at most 512 short fields and values loads as a listpack
      if (
        v.v.length <= HASH_MAX_LISTPACK_ENTRIES &&
        v.v.every(
          ([f, x]) =>
            utf8Length(f) <= HASH_MAX_LISTPACK_VALUE && utf8Length(x) <= HASH_MAX_LISTPACK_VALUE,
        )
      )
        v.enc = 'listpack';
      else v.enc = 'hashtable';
      return;
    case 'zset':
      if (
        v.v.length <= ZSET_MAX_LISTPACK_ENTRIES &&
        v.v.every(([m]) => utf8Length(m) <= ZSET_MAX_LISTPACK_VALUE)
      ) {
        v.enc = 'listpack';
        // zzlInsertAt: an integral score is a listpack integer, -0 comes back as 0
        for (const p of v.v) if (p[1] === '-0') p[1] = '0';
      } else v.enc = 'skiplist';
      return;
    default:
      return;
  }
}

/**
 * The keyspace a server has after loading an RDB made of `saved`. Emptying the databases leaves
 * the loading server's own script cache (`own`): the RDB's scripts (≤ 6.2) join it.
 */
export function loadKeyspace(saved: Keyspace, own?: readonly string[]): Keyspace {
  const ks = cloneKeyspace(saved);
  for (const d of ks.dbs) for (const e of dictEntries(d)) reencode(e.value);
  const fromRdb = ks.scripts ?? [];
  delete ks.scripts;
  for (const body of [...(own ?? []), ...fromRdb]) addScript(ks, body);
  return ks;
}
