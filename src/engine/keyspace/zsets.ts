/**
 * Sorted set commands (t_zset.c): ZADD (NX/XX/GT/LT/CH/INCR), ZINCRBY, ZSCORE, ZREM, ZCARD,
 * ZRANK/ZREVRANK and ZRANGE (by rank, BYSCORE, BYLEX, REV, LIMIT, WITHSCORES).
 *
 * Members are kept sorted by score, then by member bytes, as both of Redis's encodings keep
 * them. A score is stored as d2string's text (what the listpack holds): an integer when the
 * double is integral and within ±2^62, else "%.17g", or "inf", "-inf", "-0". Replies print
 * scores with "%.17g" (7.0's addReplyDouble), so ZSCORE of 1.1 is 1.1000000000000001.
 */
import { utf8Length } from '../resp';
import type { Reply } from '../reply';
import { NIL, int, bulk, array, err, SYNTAX, NOT_INTEGER } from '../reply';
import type { Value } from './db';
import { deleteKey, setEntry } from './db';
import type { Exec } from './exec';
import { arg, fail, lookupType, propagateVerbatim } from './exec';
import { parseInt64 } from './numbers';
import { utf8Bytes } from './utf8';

const ZSET_MAX_LISTPACK_ENTRIES = 128;
const ZSET_MAX_LISTPACK_VALUE = 64;

type Zset = Extract<Value, { type: 'zset' }>;

const NOT_FLOAT = err('ERR value is not a valid float');

/**
 * strtod on a whole string (no leading space, nothing left over, not NaN): the value, whether
 * it over- or underflowed (ERANGE), or null.
 */
function strtodWhole(s: string): { v: number; erange: boolean } | null {
  const m = /^([+-]?)(.*)$/s.exec(s);
  if (!m) return null;
  const sign = m[1] === '-' ? -1 : 1;
  const body = m[2] ?? '';
  if (/^(inf|infinity)$/i.test(body)) return { v: sign * Infinity, erange: false };
  let v: number;
  let nonzero: boolean;
  const hex = /^0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?[0-9]+))?$/i.exec(body);
  if (hex) {
    const ip = hex[1] ?? '';
    const fp = hex[2] ?? '';
    if (ip.length + fp.length === 0) return null;
    const mant = BigInt('0x' + (ip + fp || '0'));
    nonzero = mant !== 0n;
    v = Number(mant) * 2 ** (Number(hex[3] ?? '0') - 4 * fp.length);
  } else {
    if (!/^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(body)) return null;
    nonzero = /[1-9]/.test(body.replace(/[eE].*$/, ''));
    v = Number(body);
  }
  return { v: sign * v, erange: !Number.isFinite(v) || (v === 0 && nonzero) };
}

/**
 * strtod as getDoubleFromObject uses it: no leading space, all of it consumed, not NaN, no
 * overflow or underflow to zero. Returns null when Redis would refuse it.
 */
export function parseDouble(s: string): number | null {
  if (s.length === 0 || /^\s/.test(s)) return null;
  const r = strtodWhole(s);
  return r === null || r.erange ? null : r.v;
}

/** C's printf("%.17g"). */
export function formatG17(d: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (!Number.isFinite(d)) return d > 0 ? 'inf' : '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const [mant, expText] = d.toExponential(16).split('e') as [string, string];
  const exp = Number(expText);
  const strip = (t: string): string => (t.includes('.') ? t.replace(/\.?0+$/, '') : t);
  if (exp < -4 || exp >= 17) {
    const e = Math.abs(exp);
    return `${strip(mant)}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  return strip(d.toFixed(16 - exp));
}

/** d2string: the text a score has in a listpack. */
export function scoreText(d: number): string {
  if (Number.isFinite(d) && d !== 0 && Math.abs(d) <= 2 ** 62 && Number.isInteger(d))
    return BigInt(d).toString();
  return formatG17(d);
}

export function scoreOf(text: string): number {
  const v = parseDouble(text);
  if (v === null) throw new Error(`bad stored score ${text}`);
  return v;
}

/** memcmp order of the members' UTF-8 bytes. */
function cmpMember(a: string, b: string): number {
  if (a === b) return 0;
  const x = utf8Bytes(a);
  const y = utf8Bytes(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

function insertSorted(z: Zset, member: string, score0: number): void {
  // zzlInsertAt stores an integral score as a listpack integer: -0 comes back as 0
  const score = z.enc === 'listpack' && score0 === 0 ? 0 : score0;
  const at = z.v.findIndex(([m, s]) => {
    const sc = scoreOf(s);
    return sc > score || (sc === score && cmpMember(m, member) > 0);
  });
  const pair: [string, string] = [member, scoreText(score)];
  if (at < 0) z.v.push(pair);
  else z.v.splice(at, 0, pair);
}

function removeMember(z: Zset, member: string): boolean {
  const i = z.v.findIndex(([m]) => m === member);
  if (i < 0) return false;
  z.v.splice(i, 1);
  return true;
}

/** ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...], and ZINCRBY. */
export function cmdZadd(x: Exec, zincrby: boolean): Reply {
  const key = arg(x, 1);
  let nx = false;
  let xx = false;
  let gt = false;
  let lt = false;
  let ch = false;
  let incr = zincrby;
  let j = 2;
  if (!zincrby) {
    for (; j < x.argv.length; j++) {
      const o = arg(x, j).toLowerCase();
      if (o === 'nx') nx = true;
      else if (o === 'xx') xx = true;
      else if (o === 'ch') ch = true;
      else if (o === 'incr') incr = true;
      // GT and LT since 6.2: before, they are not options (and the arguments go wrong).
      else if (o === 'gt' && x.ctx.line >= 6.2) gt = true;
      else if (o === 'lt' && x.ctx.line >= 6.2) lt = true;
      else break;
    }
  }
  const elements = x.argv.length - j;
  if (elements % 2 !== 0 || elements === 0) return SYNTAX;
  if (nx && xx) return err('ERR XX and NX options at the same time are not compatible');
  if ((gt && nx) || (lt && nx) || (gt && lt))
    return err('ERR GT, LT, and/or NX options at the same time are not compatible');
  if (incr && elements > 2) return err('ERR INCR option supports a single increment-element pair');
  const scores: number[] = [];
  for (let k = j; k < x.argv.length; k += 2) {
    const v = parseDouble(arg(x, k));
    if (v === null) return NOT_FLOAT;
    scores.push(v);
  }
  let e = lookupType(x, key, 'zset');
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  const finish = (r: Reply): Reply => {
    if (added + updated > 0) propagateVerbatim(x);
    return r;
  };
  if (!e) {
    if (xx) return incr ? NIL : int(0);
    const first = arg(x, j + 1);
    const enc = utf8Length(first) > ZSET_MAX_LISTPACK_VALUE ? 'skiplist' : 'listpack';
    setEntry(x.db, key, { type: 'zset', enc, v: [] }, null);
    e = lookupType(x, key, 'zset');
    if (!e) throw new Error('unreachable');
  }
  const z = e.value;
  for (let k = 0; k < scores.length; k++) {
    score = scores[k]!;
    const member = arg(x, j + 1 + 2 * k);
    const cur = z.v.find(([m]) => m === member);
    if (cur) {
      if (nx) continue;
      const curScore = scoreOf(cur[1]);
      if (incr) {
        score += curScore;
        if (Number.isNaN(score)) return finish(err('ERR resulting score is not a number (NaN)'));
      }
      if ((lt && score >= curScore) || (gt && score <= curScore)) continue;
      processed++;
      if (score !== curScore) {
        removeMember(z, member);
        insertSorted(z, member, score);
        updated++;
      }
    } else if (!xx) {
      if (
        z.enc === 'listpack' &&
        (z.v.length + 1 > ZSET_MAX_LISTPACK_ENTRIES || utf8Length(member) > ZSET_MAX_LISTPACK_VALUE)
      )
        z.enc = 'skiplist';
      insertSorted(z, member, score);
      added++;
      processed++;
    }
  }
  if (incr) return finish(processed > 0 ? bulk(formatG17(score)) : NIL);
  return finish(int(ch ? added + updated : added));
}

/** ZCOUNT key min max: the members with a score in the range. */
export function cmdZcount(x: Exec): Reply {
  const min = parseScoreBound(arg(x, 2));
  const max = parseScoreBound(arg(x, 3));
  if (!min || !max) return err('ERR min or max is not a float');
  const e = lookupType(x, arg(x, 1), 'zset');
  if (!e) return int(0);
  const n = e.value.v.filter(([, s]) => {
    const v = scoreOf(s);
    return (min.ex ? v > min.v : v >= min.v) && (max.ex ? v < max.v : v <= max.v);
  }).length;
  return int(n);
}

export function cmdZscore(x: Exec): Reply {
  const e = lookupType(x, arg(x, 1), 'zset');
  const member = arg(x, 2);
  const p = e?.value.v.find(([m]) => m === member);
  return p ? bulk(formatG17(scoreOf(p[1]))) : NIL;
}

export function cmdZrem(x: Exec): Reply {
  const key = arg(x, 1);
  const e = lookupType(x, key, 'zset');
  if (!e) return int(0);
  let n = 0;
  for (let i = 2; i < x.argv.length; i++) if (removeMember(e.value, arg(x, i))) n++;
  if (e.value.v.length === 0) deleteKey(x.db, key);
  if (n > 0) propagateVerbatim(x);
  return int(n);
}

export function cmdZcard(x: Exec): Reply {
  const e = lookupType(x, arg(x, 1), 'zset');
  return int(e ? e.value.v.length : 0);
}

export function cmdZrank(x: Exec, rev: boolean): Reply {
  const e = lookupType(x, arg(x, 1), 'zset');
  if (!e) return NIL;
  const member = arg(x, 2);
  const i = e.value.v.findIndex(([m]) => m === member);
  if (i < 0) return NIL;
  return int(rev ? e.value.v.length - 1 - i : i);
}

/** A long argument as getLongFromObjectOrReply parses it. */
function longArg(x: Exec, i: number): number {
  const v = parseInt64(arg(x, i));
  if (v === null) fail(NOT_INTEGER);
  return Number(v);
}

interface ScoreBound {
  v: number;
  ex: boolean;
}

/**
 * zslParseRange's bound: "(" for exclusive, then what strtod takes whole: leading spaces
 * skipped, "" is 0, an overflow is ±inf and an underflow 0 (only NaN is refused).
 */
function parseScoreBound(s: string): ScoreBound | null {
  const ex = s.startsWith('(');
  const t = (ex ? s.slice(1) : s).replace(/^\s+/, '');
  if (t === '') return /^\(?$/.test(s) ? { v: 0, ex } : null;
  const r = strtodWhole(t);
  return r === null ? null : { v: r.v, ex };
}

type LexBound = { kind: 'min' | 'max' } | { kind: 'str'; v: string; ex: boolean };

function parseLexBound(s: string): LexBound | null {
  if (s === '+') return { kind: 'max' };
  if (s === '-') return { kind: 'min' };
  if (s.startsWith('(')) return { kind: 'str', v: s.slice(1), ex: true };
  if (s.startsWith('[')) return { kind: 'str', v: s.slice(1), ex: false };
  return null;
}

/** ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]. */
export function cmdZrange(x: Exec, fixed?: { by: 'rank' | 'score'; rev: boolean }): Reply {
  let withscores = false;
  let offset = 0;
  let limit = -1;
  // ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE fix the type and direction: no REV/BY* options
  let rev = fixed?.rev ?? false;
  let by: 'rank' | 'score' | 'lex' | null = fixed?.by ?? null;
  if (!fixed && x.ctx.line < 6.2) {
    // Before 6.2 ZRANGE is by rank only: start and stop are read first, then WITHSCORES alone.
    longArg(x, 2);
    longArg(x, 3);
    if (x.argv.length >= 5 && !(x.argv.length === 5 && arg(x, 4).toLowerCase() === 'withscores'))
      return SYNTAX;
  }
  for (let j = 4; j < x.argv.length; j++) {
    const o = arg(x, j).toLowerCase();
    const left = x.argv.length - j - 1;
    if (o === 'withscores') withscores = true;
    else if (o === 'limit' && left >= 2) {
      offset = longArg(x, j + 1);
      limit = longArg(x, j + 2);
      j += 2;
    } else if (o === 'rev' && !fixed && !rev) rev = true;
    else if (o === 'bylex' && by === null) by = 'lex';
    else if (o === 'byscore' && by === null) by = 'score';
    else return SYNTAX;
  }
  const type = by ?? 'rank';
  if (limit !== -1 && type === 'rank')
    return err(
      'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX',
    );
  if (withscores && type === 'lex')
    return err('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
  let minIdx = 2;
  let maxIdx = 3;
  if (rev && type !== 'rank') [minIdx, maxIdx] = [3, 2];
  let pick: (z: Zset) => Array<[string, string]>;
  if (type === 'rank') {
    const start0 = longArg(x, minIdx);
    const end0 = longArg(x, maxIdx);
    pick = (z) => {
      const len = z.v.length;
      let start = start0 < 0 ? len + start0 : start0;
      let end = end0 < 0 ? len + end0 : end0;
      if (start < 0) start = 0;
      if (start > end || start >= len) return [];
      if (end >= len) end = len - 1;
      const items = rev ? [...z.v].reverse() : z.v;
      return items.slice(start, end + 1);
    };
  } else {
    let startOk: (p: [string, string]) => boolean;
    let endOk: (p: [string, string]) => boolean;
    let rangeOk: (z: Zset) => boolean = () => true;
    if (type === 'score') {
      const min = parseScoreBound(arg(x, minIdx));
      const max = parseScoreBound(arg(x, maxIdx));
      if (!min || !max) return err('ERR min or max is not a float');
      const geMin = ([, s]: [string, string]): boolean =>
        min.ex ? scoreOf(s) > min.v : scoreOf(s) >= min.v;
      const leMax = ([, s]: [string, string]): boolean =>
        max.ex ? scoreOf(s) < max.v : scoreOf(s) <= max.v;
      startOk = rev ? leMax : geMin;
      endOk = rev ? geMin : leMax;
    } else {
      const min = parseLexBound(arg(x, minIdx));
      const max = parseLexBound(arg(x, maxIdx));
      if (!min || !max) return err('ERR min or max not valid string range item');
      const geMin = (m: string): boolean =>
        min.kind === 'min' ||
        (min.kind === 'str' && (min.ex ? cmpMember(m, min.v) > 0 : cmpMember(m, min.v) >= 0));
      const leMax = (m: string): boolean =>
        max.kind === 'max' ||
        (max.kind === 'str' && (max.ex ? cmpMember(m, max.v) < 0 : cmpMember(m, max.v) <= 0));
      // zzlFirstInLexRange / zslLastInLexRange: a walk in member order from the first member
      // past the start bound, stopping at the first one past the end bound (members with other
      // scores break the order: Redis gives what the walk finds)
      startOk = rev ? ([m]) => leMax(m) : ([m]) => geMin(m);
      endOk = rev ? ([m]) => geMin(m) : ([m]) => leMax(m);
      rangeOk = (z) => z.v.length > 0 && geMin(z.v[z.v.length - 1]![0]) && leMax(z.v[0]![0]);
    }
    pick = (z) => {
      if (offset < 0 || !rangeOk(z)) return [];
      const items = rev ? [...z.v].reverse() : z.v;
      const first = items.findIndex(startOk);
      if (first < 0) return [];
      const out: Array<[string, string]> = [];
      for (let i = first; i < items.length && endOk(items[i]!); i++) out.push(items[i]!);
      const rest = out.slice(offset);
      return limit < 0 ? rest : rest.slice(0, limit);
    };
  }
  const e = lookupType(x, arg(x, 1), 'zset');
  if (!e) return array([]);
  const out: Reply[] = [];
  for (const [m, s] of pick(e.value)) {
    out.push(bulk(m));
    if (withscores) out.push(bulk(formatG17(scoreOf(s))));
  }
  return array(out);
}
