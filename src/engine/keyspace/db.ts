/**
 * The data model: 16 databases of keys with values and expiry times, lookups, active expiry and
 * the keyspace as INFO and the UI see it.
 *
 * All state is plain JSON data. Keys are stored in plain objects under a "k:" prefix so that
 * names like "__proto__" are safe and insertion order is kept (no integer-like property names).
 * Strings are JS strings; byte lengths are those of their UTF-8 encoding.
 */

export type Value =
  /** enc: set where a command left another encoding than tryObjectEncoding would choose. */
  | { type: 'string'; v: string; enc?: 'raw' | 'embstr' }
  /** Hash fields in listpack (insertion) order; 'hashtable' once it outgrew the listpack limits. */
  | { type: 'hash'; enc: 'listpack' | 'hashtable'; v: Array<[string, string]> }
  /** Quicklist: the listpack nodes, head first. */
  | { type: 'list'; nodes: string[][] }
  /** Members under an "m:" prefix. `width` is the intset element size while enc is 'intset'. */
  | { type: 'set'; enc: 'intset' | 'hashtable'; width: 2 | 4 | 8; m: Record<string, true> }
  /**
   * Members with their scores, in score then member (byte) order. Scores are kept as text
   * (zsets.ts scoreText/scoreOf) so that inf and -0 survive the JSON copies of the state.
   */
  | { type: 'zset'; enc: 'listpack' | 'skiplist'; v: Array<[string, string]> }
  | StreamValue;

/** A stream ID, `ms-seq`, both unsigned 64-bit decimal. */
export type StreamIdText = string;

/** One listpack node of a stream's radix tree: its master entry and its entries, deleted ones included. */
export interface StreamNode {
  master: StreamIdText;
  masterFields: string[];
  entries: Array<{ id: StreamIdText; fields: Array<[string, string]>; deleted: boolean }>;
}

export interface StreamValue {
  type: 'stream';
  nodes: StreamNode[];
  length: number;
  lastId: StreamIdText;
  firstId: StreamIdText;
  maxDeletedId: StreamIdText;
  entriesAdded: number;
}

export interface Entry {
  key: string;
  value: Value;
  expireAt: number | null;
}

export interface Db {
  /** key "k:<name>" → entry */
  dict: Record<string, Entry>;
}

export interface Keyspace {
  dbs: Db[];
  /**
   * The script cache (server.lua_scripts): the body of each script EVAL has compiled, oldest
   * first. Redis ≤ 6.2 save it in an RDB that carries replication info, one `lua` aux field per
   * script after the databases (rdbSaveRio), and a loading server adds them to its own
   * (rdbLoadRio → luaCreateFunction); 7.0 no longer saves it. FLUSHALL keeps it.
   */
  scripts?: string[];
}

const NUM_DBS = 16;

const kk = (key: string): string => 'k:' + key;
export const mk = (member: string): string => 'm:' + member;

export function createKeyspace(): Keyspace {
  const dbs: Db[] = [];
  for (let i = 0; i < NUM_DBS; i++) dbs.push({ dict: {} });
  return { dbs };
}

export function getDb(ks: Keyspace, db: number): Db {
  const d = ks.dbs[db];
  if (!d) throw new Error(`no such db ${db}`);
  return d;
}

export function dictEntries(db: Db): Entry[] {
  return Object.values(db.dict);
}

export function setEntry(db: Db, key: string, value: Value, expireAt: number | null): void {
  db.dict[kk(key)] = { key, value, expireAt };
}

export function deleteKey(db: Db, key: string): boolean {
  const k = kk(key);
  if (!Object.hasOwn(db.dict, k)) return false;
  delete db.dict[k];
  return true;
}

export function rawGet(db: Db, key: string): Entry | undefined {
  const k = kk(key);
  return Object.hasOwn(db.dict, k) ? db.dict[k] : undefined;
}

export function isExpired(e: Entry, nowMs: number): boolean {
  return e.expireAt !== null && e.expireAt <= nowMs;
}

export function flushAll(ks: Keyspace): void {
  for (const d of ks.dbs) d.dict = {};
}

/** luaCreateFunction: a script body joins the cache unless it is there already. */
export function addScript(ks: Keyspace, body: string): void {
  const scripts = (ks.scripts ??= []);
  if (!scripts.includes(body)) scripts.push(body);
}

export function cloneKeyspace(ks: Keyspace): Keyspace {
  return JSON.parse(JSON.stringify(ks)) as Keyspace;
}

export function dbSize(ks: Keyspace, db: number): number {
  return Object.keys(getDb(ks, db).dict).length;
}

export function keyCount(ks: Keyspace): number {
  let n = 0;
  for (let i = 0; i < ks.dbs.length; i++) n += dbSize(ks, i);
  return n;
}

export function expiresCount(db: Db): number {
  let n = 0;
  for (const e of dictEntries(db)) if (e.expireAt !== null) n++;
  return n;
}

/** INFO keyspace lines. avg_ttl is always printed as 0 (Redis prints a sampled running estimate). */
export function keyspaceInfoLines(ks: Keyspace, _nowMs: number): string[] {
  const out: string[] = [];
  ks.dbs.forEach((d, i) => {
    const keys = Object.keys(d.dict).length;
    if (keys > 0) out.push(`db${i}:keys=${keys},expires=${expiresCount(d)},avg_ttl=0`);
  });
  return out;
}

export function activeExpire(ks: Keyspace, nowMs: number): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  ks.dbs.forEach((d, i) => {
    for (const e of dictEntries(d)) {
      if (e.expireAt !== null && e.expireAt <= nowMs) {
        deleteKey(d, e.key);
        out.push([i, e.key]);
      }
    }
  });
  return out;
}

export function nextExpireAt(ks: Keyspace): number | null {
  let best: number | null = null;
  for (const d of ks.dbs)
    for (const e of dictEntries(d))
      if (e.expireAt !== null && (best === null || e.expireAt < best)) best = e.expireAt;
  return best;
}

export function listItems(v: { nodes: string[][] }): string[] {
  return v.nodes.flat();
}

export function setMembers(v: { m: Record<string, true> }): string[] {
  return Object.keys(v.m).map((s) => s.slice(2));
}

const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** One key as dumpKeyspace shows it: its value as plain strings (sets and hashes sorted). */
export interface DumpedKey {
  db: number;
  key: string;
  type: Value['type'];
  value: string | string[] | Array<[string, string]>;
  expireAt: number | null;
}

/** The key of `e`, in database `db`, as dumpKeyspace shows it. */
export function dumpEntry(db: number, e: Entry): DumpedKey {
  const v = e.value;
  let value: DumpedKey['value'];
  if (v.type === 'string') value = v.v;
  else if (v.type === 'zset') value = v.v.map(([m, sc]): [string, string] => [m, sc]);
  else if (v.type === 'stream')
    value = v.nodes.flatMap((n) =>
      n.entries
        .filter((en) => !en.deleted)
        .map((en): [string, string] => [en.id, en.fields.map((f) => f.join('=')).join(' ')]),
    );
  else if (v.type === 'list') value = listItems(v);
  else if (v.type === 'set') value = setMembers(v).sort(cmpStr);
  else value = v.v.map(([f, x]): [string, string] => [f, x]).sort((a, b) => cmpStr(a[0], b[0]));
  return { db, key: e.key, type: v.type, value, expireAt: e.expireAt };
}

/** Every key, by database and then by key (byte order), with its value as plain strings. */
export function dumpKeyspace(ks: Keyspace): DumpedKey[] {
  const out: DumpedKey[] = [];
  ks.dbs.forEach((d, i) => {
    const entries = dictEntries(d).sort((a, b) => cmpStr(a.key, b.key));
    for (const e of entries) out.push(dumpEntry(i, e));
  });
  return out;
}
