/**
 * RDB size (Redis 7.0, RDB version 10): how many bytes rdbSaveRio writes for a dataset, down to
 * the string encodings, LZF compression, listpacks and intsets.
 */
import type { Keyspace, Value } from './db';
import { dictEntries, expiresCount, setMembers } from './db';
import { parseInt64 } from './numbers';
import { utf8Bytes } from './utf8';
import { listpackBytes, pushLE } from './listpack';
import { idOf, streamNodeElements } from './streamNodes';

/**
 * Size of liblzf 3.6's lzf_compress output (Redis's build: HLOG 16, VERY_FAST), or 0 if it does
 * not fit outLen. The real hash table is not initialised (stale slots are ignored here: they can
 * only matter if they happen to point into the current buffer).
 */
export function lzfCompressedSize(inp: readonly number[], outLen: number): number {
  const inLen = inp.length;
  if (inLen === 0 || outLen === 0) return 0;
  const HSIZE = 1 << 16;
  const htab = new Int32Array(HSIZE).fill(-1);
  const MAX_LIT = 1 << 5;
  const MAX_OFF = 1 << 13;
  const MAX_REF = (1 << 8) + (1 << 3);
  const at = (i: number): number => inp[i] ?? 0;
  const frst = (p: number): number => ((at(p) << 8) | at(p + 1)) >>> 0;
  const next = (v: number, p: number): number => ((v << 8) | at(p + 2)) >>> 0;
  const idx = (h: number): number => ((h >>> 8) - Math.imul(h, 5)) & (HSIZE - 1);
  let ip = 0;
  let op = 0;
  let lit = 0;
  op++; // start run
  let hval = frst(ip);
  while (ip < inLen - 2) {
    hval = next(hval, ip);
    const slot = idx(hval);
    const ref = htab[slot] ?? -1;
    htab[slot] = ip;
    const off = ip - ref - 1;
    if (
      ref >= 0 &&
      ref < ip &&
      off < MAX_OFF &&
      ref > 0 &&
      at(ref) === at(ip) &&
      at(ref + 1) === at(ip + 1) &&
      at(ref + 2) === at(ip + 2)
    ) {
      let len = 2;
      let maxlen = inLen - ip - len;
      maxlen = maxlen > MAX_REF ? MAX_REF : maxlen;
      op -= lit === 0 ? 1 : 0; // stop run / undo run if length is zero
      if (op + 3 + 1 >= outLen) return 0;
      search: for (;;) {
        if (maxlen > 16) {
          for (let u = 0; u < 16; u++) {
            len++;
            if (at(ref + len) !== at(ip + len)) break search;
          }
        }
        do len++;
        while (len < maxlen && at(ref + len) === at(ip + len));
        break;
      }
      len -= 2;
      ip++;
      op += len < 7 ? 1 : 2;
      op++;
      lit = 0;
      op++; // start run
      ip += len + 1;
      if (ip >= inLen - 2) break;
      ip -= 2;
      hval = frst(ip);
      hval = next(hval, ip);
      htab[idx(hval)] = ip;
      ip++;
      hval = next(hval, ip);
      htab[idx(hval)] = ip;
      ip++;
    } else {
      if (op >= outLen) return 0;
      lit++;
      op++;
      ip++;
      if (lit === MAX_LIT) {
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > outLen) return 0;
  while (ip < inLen) {
    lit++;
    op++;
    ip++;
    if (lit === MAX_LIT) {
      lit = 0;
      op++;
    }
  }
  op -= lit === 0 ? 1 : 0;
  return op;
}

function rdbLenSize(n: number): number {
  if (n < 1 << 6) return 1;
  if (n < 1 << 14) return 2;
  if (n <= 0xffffffff) return 5;
  return 9;
}

function rdbLenSizeBig(n: bigint): number {
  return n <= 0xffffffffn ? rdbLenSize(Number(n)) : 9;
}

function rdbIntEncodingSize(v: bigint): number {
  if (v >= -128n && v <= 127n) return 2;
  if (v >= -32768n && v <= 32767n) return 3;
  if (v >= -2147483648n && v <= 2147483647n) return 5;
  return 0;
}

const digitRe = /^[-0-9]/;

/** rdbSaveRawString on raw bytes (with rdbcompression yes). */
function rdbRawStringSize(bytes: readonly number[], asText?: string): number {
  const len = bytes.length;
  if (len <= 11 && asText !== undefined && digitRe.test(asText)) {
    const v = parseInt64(asText);
    if (v !== null) {
      const n = rdbIntEncodingSize(v);
      if (n > 0) return n;
    }
  }
  if (len > 20) {
    const c = lzfCompressedSize(bytes, len - 4);
    if (c > 0) return 1 + rdbLenSize(c) + rdbLenSize(len) + c;
  }
  return rdbLenSize(len) + len;
}

function rdbStringSize(s: string): number {
  return rdbRawStringSize(utf8Bytes(s), s);
}

/**
 * The bytes of a ziplist holding these elements (Redis ≤ 6.2's small hashes, sorted sets and
 * quicklist nodes; ziplist.c): a 10-byte header, then each entry as the previous entry's length
 * (1 byte, or 5 from 254 on), its encoding and its data, then 0xFF. An element is stored as an
 * integer when it reads as one strictly and is under 32 characters (zipTryEncoding).
 */
export function ziplistBytes(elems: readonly string[]): number[] {
  const out: number[] = [];
  pushLE(out, 0n, 4); // zlbytes, patched below
  pushLE(out, 0n, 4); // zltail, patched below
  pushLE(out, BigInt(Math.min(elems.length, 65535)), 2);
  let prevLen = 0;
  let tail = 10;
  for (const s of elems) {
    const start = out.length;
    tail = start;
    if (prevLen < 254) out.push(prevLen);
    else {
      out.push(254);
      pushLE(out, BigInt(prevLen), 4);
    }
    const v = s.length > 0 && s.length < 32 ? parseInt64(s) : null;
    if (v !== null) {
      if (v >= 0n && v <= 12n) out.push(0xf1 + Number(v));
      else if (v >= -128n && v <= 127n) {
        out.push(0xfe);
        pushLE(out, v, 1);
      } else if (v >= -32768n && v <= 32767n) {
        out.push(0xc0);
        pushLE(out, v, 2);
      } else if (v >= -8388608n && v <= 8388607n) {
        out.push(0xf0);
        pushLE(out, v, 3);
      } else if (v >= -2147483648n && v <= 2147483647n) {
        out.push(0xd0);
        pushLE(out, v, 4);
      } else {
        out.push(0xe0);
        pushLE(out, v, 8);
      }
    } else {
      const b = utf8Bytes(s);
      const len = b.length;
      if (len <= 63) out.push(len);
      else if (len <= 16383) out.push(0x40 | (len >> 8), len & 0xff);
      else {
        out.push(0x80);
        for (let i = 3; i >= 0; i--) out.push((len >>> (8 * i)) & 0xff);
      }
      for (const c of b) out.push(c);
    }
    prevLen = out.length - start;
  }
  out.push(0xff);
  const total: number[] = [];
  pushLE(total, BigInt(out.length), 4);
  const tl: number[] = [];
  pushLE(tl, BigInt(elems.length === 0 ? 10 : tail), 4);
  out.splice(0, 8, ...total, ...tl);
  return out;
}

function intsetBytes(members: readonly string[], width: 2 | 4 | 8): number[] {
  const vals = members.map((m) => BigInt(m)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: number[] = [];
  pushLE(out, BigInt(width), 4);
  pushLE(out, BigInt(vals.length), 4);
  for (const v of vals) pushLE(out, v, width);
  return out;
}

/**
 * How small hashes and list nodes are stored: 7.0's listpacks (7.2 also small sets of strings,
 * `listpack-sets`), or the ziplists of Redis ≤ 6.2 (RDB_TYPE_HASH_ZIPLIST,
 * RDB_TYPE_LIST_QUICKLIST: no container byte per node).
 */
export type SmallEncoding = 'listpack' | 'listpack-sets' | 'ziplist';

function rdbValueSize(v: Value, small: SmallEncoding): number {
  const packed = small === 'ziplist' ? ziplistBytes : listpackBytes;
  switch (v.type) {
    case 'string':
      return 1 + rdbStringSize(v.v);
    case 'hash':
      if (v.enc === 'listpack') return 1 + rdbRawStringSize(packed(v.v.flat()));
      return (
        1 +
        rdbLenSize(v.v.length) +
        v.v.reduce((n, [f, x]) => n + rdbStringSize(f) + rdbStringSize(x), 0)
      );
    case 'list':
      return (
        1 +
        rdbLenSize(v.nodes.length) +
        v.nodes.reduce(
          (n, node) => n + (small === 'ziplist' ? 0 : 1) + rdbRawStringSize(packed(node)),
          0,
        )
      );
    case 'set': {
      const ms = setMembers(v);
      if (v.enc === 'intset') return 1 + rdbRawStringSize(intsetBytes(ms, v.width));
      // 7.2 keeps a small set of strings as a listpack (RDB_TYPE_SET_LISTPACK): at most
      // set-max-listpack-entries (128) members of at most set-max-listpack-value (64) bytes. The
      // engine decides at save time, so a set that grew past that and shrank back counts as one.
      if (
        small === 'listpack-sets' &&
        ms.length <= 128 &&
        ms.every((m) => utf8Bytes(m).length <= 64)
      )
        return 1 + rdbRawStringSize(listpackBytes(ms));
      return 1 + rdbLenSize(ms.length) + ms.reduce((n, m) => n + rdbStringSize(m), 0);
    }
    case 'zset':
      // listpack: member, score text pairs; skiplist (ZSET_2): member and an 8-byte binary double
      // (≤ 6.2: a ziplist, RDB_TYPE_ZSET_ZIPLIST)
      if (v.enc === 'listpack') return 1 + rdbRawStringSize(packed(v.v.flat()));
      return 1 + rdbLenSize(v.v.length) + v.v.reduce((n, [m]) => n + rdbStringSize(m) + 8, 0);
    case 'stream': {
      // STREAM_LISTPACKS_2: nodes (16-byte rax key, listpack), length, last, first and max
      // deleted IDs, entries added, 0 consumer groups
      let n = 1 + rdbLenSize(v.nodes.length);
      for (const node of v.nodes)
        n += 1 + 16 + rdbRawStringSize(listpackBytes(streamNodeElements(node)));
      n += rdbLenSize(v.length);
      // ≤ 6.2 (RDB_TYPE_STREAM_LISTPACKS): the last ID only, no entries-added count.
      const ids = small === 'ziplist' ? [v.lastId] : [v.lastId, v.firstId, v.maxDeletedId];
      for (const t of ids) {
        const [ms, seq] = idOf(t);
        n += rdbLenSizeBig(ms) + rdbLenSizeBig(seq);
      }
      return n + (small === 'ziplist' ? 0 : rdbLenSize(v.entriesAdded)) + rdbLenSize(0);
    }
  }
}

function auxSize(key: string, val: string): number {
  return 1 + rdbStringSize(key) + rdbStringSize(val);
}

/**
 * Size in bytes of the RDB file Redis 7.0.15 writes for this dataset (SAVE/BGSAVE on a master
 * that has a replication backlog, so repl-stream-db/repl-id/repl-offset aux fields are present).
 */
export function rdbPayloadSize(
  ks: Keyspace,
  info: {
    replId: string;
    replOffset: number;
    replStreamDb: number;
    ctimeSec: number;
    usedMem: number;
    /** The version aux field: `redis-ver` 7.0.15, `valkey-ver` 8.0.1. */
    versionAux: readonly [string, string];
    /** The last aux field: 7.0's `aof-base`, 5.0's `aof-preamble`. */
    aofAux: string;
    /** Small hashes and list nodes: listpacks (7.0, the default) or ziplists (≤ 6.2). */
    small?: SmallEncoding;
    /** The script bodies saved as `lua` aux fields after the databases (≤ 6.2; 7.0 saves none). */
    scripts?: readonly string[];
  },
): number {
  let n = 9; // "REDIS0010" (7.0) or "REDIS0009" (5.0)
  n += auxSize(info.versionAux[0], info.versionAux[1]);
  n += auxSize('redis-bits', '64');
  n += auxSize('ctime', String(info.ctimeSec));
  n += auxSize('used-mem', String(info.usedMem));
  n += auxSize('repl-stream-db', String(info.replStreamDb));
  n += auxSize('repl-id', info.replId);
  n += auxSize('repl-offset', String(info.replOffset));
  n += auxSize(info.aofAux, '0');
  ks.dbs.forEach((d, i) => {
    const entries = dictEntries(d);
    if (entries.length === 0) return;
    n += 1 + rdbLenSize(i);
    n += 1 + rdbLenSize(entries.length) + rdbLenSize(expiresCount(d));
    for (const e of entries) {
      if (e.expireAt !== null) n += 9;
      n += rdbStringSize(e.key) + rdbValueSize(e.value, info.small ?? 'listpack');
    }
  });
  // ≤ 6.2: the script cache, one `lua` aux field per script (rdbSaveRio, when it saves rsi).
  for (const body of info.scripts ?? []) n += auxSize('lua', body);
  n += 1 + 8; // EOF + CRC64
  return n;
}
