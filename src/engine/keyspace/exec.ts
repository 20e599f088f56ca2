/**
 * The execution of one keyspace command: its context (clock, db, master or replica), the reply
 * errors that end it early, lazy expiry on lookup, and what it propagates.
 */
import type { Reply } from '../reply';
import { WRONGTYPE, SYNTAX, NOT_INTEGER } from '../reply';
import type { Db, Entry, Keyspace, Value } from './db';
import { deleteKey, isExpired, rawGet } from './db';
import { parseInt64 } from './numbers';

export type ExpireMode = 'master' | 'replica';

export interface CommandContext {
  nowMs: number;
  db: number;
  mode: ExpireMode;
  /**
   * The Redis line whose rules apply (Dialect.redisLine: 5.0, 6.2, 7.0, …): what a command
   * propagates changed from line to line.
   */
  line: number;
  /**
   * lazyfree-lazy-expire (Valkey 8's default yes): an expired key is freed in the background and
   * its deletion propagated as UNLINK, not DEL.
   */
  lazyExpire?: boolean;
  /** Run by EXEC (a transaction's MULTI/EXEC already wraps what it propagates). */
  inMulti?: boolean;
  /**
   * lookupKey's EXPIRE_FORCE_DELETE_EXPIRED (7.0): a write from a client of a writable replica
   * deletes the expired keys it looks up, as a master does; the master's own stream never does.
   */
  forceDeleteExpired?: boolean;
  /** A read-only replica's client: a script's writes are refused (EVAL is not a write command). */
  readOnlyReplica?: boolean;
}

export interface CommandResult {
  reply: Reply;
  /** What to feed to replicas (argv arrays), rewritten as Redis propagates it. Empty when the dataset did not change. */
  propagate: string[][];
  /** Keys it found expired and deleted (lazy expiry, `stat_expiredkeys`). */
  expired: number;
}

export class ReplyError {
  constructor(readonly reply: Reply) {}
}

export interface Exec {
  ks: Keyspace;
  db: Db;
  ctx: CommandContext;
  argv: readonly string[];
  prop: string[][];
  write: boolean;
  expired: number;
  /** EVAL: a write command was called (≤ 6.2 wrap the script's effects from then on). */
  scriptWrote?: boolean;
}

/** Look a key up, applying lazy expiry as Redis does for this mode and command kind. */
export function lookup(x: Exec, key: string): Entry | undefined {
  const e = rawGet(x.db, key);
  if (!e) return undefined;
  if (!isExpired(e, x.ctx.nowMs)) return e;
  if (x.ctx.mode === 'master' || (x.write && x.ctx.forceDeleteExpired === true)) {
    deleteKey(x.db, key);
    x.prop.push([expiredDel(x.ctx), key]);
    x.expired++;
    return undefined;
  }
  // replica: the master client writes see the key; reads see it as missing
  return x.write ? e : undefined;
}

/** How the deletion of an expired key is propagated (propagateDeletion). */
export function expiredDel(ctx: CommandContext): 'DEL' | 'UNLINK' {
  return ctx.lazyExpire ? 'UNLINK' : 'DEL';
}

export function fail(r: Reply): never {
  throw new ReplyError(r);
}

export function lookupType<T extends Value['type']>(
  x: Exec,
  key: string,
  type: T,
): (Entry & { value: Extract<Value, { type: T }> }) | undefined {
  const e = lookup(x, key);
  if (!e) return undefined;
  if (e.value.type !== type) fail(WRONGTYPE);
  return e as Entry & { value: Extract<Value, { type: T }> };
}

export function arg(x: Exec, i: number): string {
  const a = x.argv[i];
  if (a === undefined) fail(SYNTAX);
  return a;
}

export function intArg(x: Exec, i: number): bigint {
  const v = parseInt64(arg(x, i));
  if (v === null) fail(NOT_INTEGER);
  return v;
}

export function propagateVerbatim(x: Exec): void {
  x.prop.push([...x.argv]);
}
