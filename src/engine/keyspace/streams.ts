/**
 * Stream commands (t_stream.c): XADD (with NOMKSTREAM, MAXLEN/MINID [=|~] and LIMIT), XLEN,
 * XRANGE/XREVRANGE, XDEL and XTRIM. No consumer groups.
 *
 * The stream keeps Redis's layout: listpack nodes of at most stream-node-max-entries (100)
 * entries, deleted ones included, started anew when the tail's listpack bytes plus the new
 * entry's field and value bytes reach stream-node-max-bytes (4096). Each node has a master
 * entry (the first entry's field names); XDEL and XTRIM inside a node only flag entries deleted,
 * a node whose entries are all deleted goes. rdbSize.ts turns nodes into listpack bytes
 * (streamNodeElements). "*" IDs come from the server's clock (`nowMs`) and are propagated as
 * the explicit ID; "~" trims are propagated as "=" with the resulting length (or first ID).
 */
import { utf8Length } from '../resp';
import type { Reply } from '../reply';
import { NIL, int, bulk, bulks, array, err, SYNTAX, NOT_INTEGER, wrongArity } from '../reply';
import type { StreamIdText, StreamNode, StreamValue } from './db';
import { setEntry } from './db';
import type { Exec } from './exec';
import { arg, fail, lookupType } from './exec';
import { listpackBytes } from './listpack';
import { parseInt64 } from './numbers';
import { idOf, live, streamNodeElements, type Id } from './streamNodes';

const STREAM_NODE_MAX_BYTES = 4096;
const STREAM_NODE_MAX_ENTRIES = 100;
const UINT64_MAX = (1n << 64n) - 1n;

const INVALID_ID = err('ERR Invalid stream ID specified as stream command argument');

export const idText = (id: Id): StreamIdText => `${id[0]}-${id[1]}`;

function cmpId(a: Id, b: Id): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}

/** string2ull: a strict int64 that is not negative, or what strtoull takes whole. */
function parseU64(s: string): bigint | null {
  const v = parseInt64(s);
  if (v !== null) return v < 0n ? null : v;
  if (!/^\s*\+?[0-9]+$/.test(s)) return null;
  const u = BigInt(s.trim().replace(/^\+/, ''));
  return u > UINT64_MAX ? null : u;
}

/**
 * streamGenericParseIDOrReply: "ms", "ms-seq", with "-" / "+" unless strict, "ms-*" when the
 * caller takes it (seqGiven false). missingSeq fills a missing sequence.
 */
function parseId(
  s: string,
  strict: boolean,
  missingSeq: bigint,
  allowAutoSeq: boolean,
): { id: Id; seqGiven: boolean } {
  if (s.length > 127) fail(INVALID_ID);
  if (!strict && s === '-') return { id: [0n, 0n], seqGiven: true };
  if (!strict && s === '+') return { id: [UINT64_MAX, UINT64_MAX], seqGiven: true };
  const dot = s.indexOf('-');
  if (dot < 0) {
    const ms = parseU64(s);
    if (ms === null) fail(INVALID_ID);
    return { id: [ms, missingSeq], seqGiven: true };
  }
  const ms = parseU64(s.slice(0, dot));
  const seqText = s.slice(dot + 1);
  if (ms === null) fail(INVALID_ID);
  if (allowAutoSeq && seqText === '*') return { id: [ms, 0n], seqGiven: false };
  const seq = parseU64(seqText);
  if (seq === null) fail(INVALID_ID);
  return { id: [ms, seq], seqGiven: true };
}

// ---------------------------------------------------------------------------------------------
// The stream's nodes

function appendEntry(s: StreamValue, id: Id, fields: Array<[string, string]>): void {
  const tail = s.nodes[s.nodes.length - 1];
  let node: StreamNode | undefined = tail;
  if (tail) {
    const lpBytes = listpackBytes(streamNodeElements(tail)).length;
    const tot = fields.reduce((n, [f, v]) => n + utf8Length(f) + utf8Length(v), 0);
    if (lpBytes + tot >= STREAM_NODE_MAX_BYTES) node = undefined;
    else if (tail.entries.length >= STREAM_NODE_MAX_ENTRIES) node = undefined;
  }
  if (!node) {
    node = { master: idText(id), masterFields: fields.map(([f]) => f), entries: [] };
    s.nodes.push(node);
  }
  node.entries.push({ id: idText(id), fields, deleted: false });
  s.length++;
  s.entriesAdded++;
  s.lastId = idText(id);
  if (s.length === 1) s.firstId = idText(id);
}

/** streamGetEdgeID(first, skip tombstones?): the first or last ID, or the empty stream's bound. */
function edgeId(s: StreamValue, first: boolean, skipDeleted: boolean): Id {
  const all = s.nodes.flatMap((n) => n.entries).filter((e) => !skipDeleted || !e.deleted);
  const e = first ? all[0] : all[all.length - 1];
  if (e) return idOf(e.id);
  return first ? [UINT64_MAX, UINT64_MAX] : [0n, 0n];
}

interface TrimArgs {
  strategy: 'none' | 'maxlen' | 'minid';
  maxlen: bigint;
  minid: Id;
  approx: boolean;
  limit: bigint;
  /** index of the threshold argument */
  argIdx: number;
}

/** streamTrim: whole nodes from the head, then (exact only) entries flagged deleted in one node. */
function streamTrim(s: StreamValue, t: TrimArgs): number {
  if (t.strategy === 'none') return 0;
  let deleted = 0;
  while (s.nodes.length > 0) {
    if (t.strategy === 'maxlen' && BigInt(s.length) <= t.maxlen) break;
    const n = s.nodes[0]!;
    const entries = live(n);
    if (t.limit !== 0n && BigInt(deleted + entries) > t.limit) break;
    const last = n.entries[n.entries.length - 1]!;
    const removeNode =
      t.strategy === 'maxlen'
        ? BigInt(s.length - entries) >= t.maxlen
        : cmpId(idOf(last.id), t.minid) < 0;
    if (removeNode) {
      s.nodes.shift();
      s.length -= entries;
      deleted += entries;
      continue;
    }
    if (t.approx) break;
    for (const e of n.entries) {
      const stop =
        t.strategy === 'maxlen' ? BigInt(s.length) <= t.maxlen : cmpId(idOf(e.id), t.minid) >= 0;
      if (stop) break;
      if (!e.deleted) {
        e.deleted = true;
        deleted++;
        s.length--;
      }
    }
    break;
  }
  if (s.length === 0) s.firstId = '0-0';
  else if (deleted > 0) s.firstId = idText(edgeId(s, true, true));
  return deleted;
}

/** streamParseAddOrTrimArgsOrReply: returns the trim arguments and the ID's index (XADD). */
function parseAddOrTrim(x: Exec, xadd: boolean): { t: TrimArgs; idPos: number; nomk: boolean } {
  const t: TrimArgs = {
    strategy: 'none',
    maxlen: 0n,
    minid: [0n, 0n],
    approx: false,
    limit: 0n,
    argIdx: 0,
  };
  let nomk = false;
  let limitGiven = false;
  let i = 2;
  for (; i < x.argv.length; i++) {
    const more = x.argv.length - 1 - i;
    const raw = arg(x, i);
    const o = raw.toLowerCase();
    if (xadd && raw === '*') break;
    if ((o === 'maxlen' || o === 'minid') && more > 0) {
      if (t.strategy !== 'none')
        fail(err('ERR syntax error, MAXLEN and MINID options at the same time are not compatible'));
      t.approx = false;
      const next = arg(x, i + 1);
      if (more >= 2 && next === '~') {
        t.approx = true;
        i++;
      } else if (more >= 2 && next === '=') i++;
      if (o === 'maxlen') {
        const v = parseInt64(arg(x, i + 1));
        if (v === null) fail(NOT_INTEGER);
        if (v < 0n) fail(err('ERR The MAXLEN argument must be >= 0.'));
        t.maxlen = v;
        t.strategy = 'maxlen';
      } else {
        t.minid = parseId(arg(x, i + 1), true, 0n, false).id;
        t.strategy = 'minid';
      }
      i++;
      t.argIdx = i;
    } else if (o === 'limit' && more > 0) {
      const v = parseInt64(arg(x, i + 1));
      if (v === null) fail(NOT_INTEGER);
      if (v < 0n) fail(err('ERR The LIMIT argument must be >= 0.'));
      t.limit = v;
      limitGiven = true;
      i++;
    } else if (xadd && o === 'nomkstream') nomk = true;
    else if (xadd) break;
    else fail(SYNTAX);
  }
  if (t.limit !== 0n && t.strategy === 'none')
    fail(err('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy'));
  if (!xadd && t.strategy === 'none')
    fail(err('ERR syntax error, XTRIM must be called with a trimming strategy'));
  // mustObeyClient: the master's stream (a replica applying it) does not limit the work
  const fromMaster = x.ctx.mode === 'replica' && x.ctx.forceDeleteExpired !== true;
  if (fromMaster) t.limit = 0n;
  else if (limitGiven) {
    if (!t.approx) fail(err('ERR syntax error, LIMIT cannot be used without the special ~ option'));
  } else t.limit = t.approx ? BigInt(100 * STREAM_NODE_MAX_ENTRIES) : 0n;
  return { t, idPos: i, nomk };
}

/** streamRewriteApproxSpecifier + streamRewriteTrimArgument on the propagated argv. */
function rewriteApprox(argv: string[], s: StreamValue, t: TrimArgs): void {
  argv[t.argIdx - 1] = '=';
  argv[t.argIdx] = t.strategy === 'maxlen' ? String(s.length) : idText(edgeId(s, true, false));
}

/** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [...] */
export function cmdXadd(x: Exec): Reply {
  const { t, idPos, nomk } = parseAddOrTrim(x, true);
  const fieldPos = idPos + 1;
  if (x.argv.length - fieldPos < 2 || (x.argv.length - fieldPos) % 2 === 1)
    return wrongArity('xadd');
  const idArg = arg(x, idPos);
  let given: { id: Id; seqGiven: boolean } | null = null;
  if (idArg !== '*') given = parseId(idArg, true, 0n, true);
  if (given && given.seqGiven && given.id[0] === 0n && given.id[1] === 0n)
    return err('ERR The ID specified in XADD must be greater than 0-0');
  const key = arg(x, 1);
  let e = lookupType(x, key, 'stream');
  if (!e) {
    if (nomk) return NIL;
    setEntry(x.db, key, emptyStream(), null);
    e = lookupType(x, key, 'stream');
    if (!e) throw new Error('unreachable');
  }
  const s = e.value;
  const last = idOf(s.lastId);
  if (last[0] === UINT64_MAX && last[1] === UINT64_MAX)
    return err('ERR The stream has exhausted the last possible ID, unable to add more items');
  let id: Id;
  if (given) {
    if (given.seqGiven) id = given.id;
    else if (last[0] === given.id[0]) {
      if (last[1] === UINT64_MAX) return err(TOO_SMALL);
      id = [last[0], last[1] + 1n];
    } else id = given.id;
  } else {
    const ms = BigInt(x.ctx.nowMs);
    if (ms > last[0]) id = [ms, 0n];
    else if (last[1] === UINT64_MAX) id = [last[0] + 1n, 0n];
    else id = [last[0], last[1] + 1n];
  }
  if (cmpId(id, last) <= 0) return err(TOO_SMALL);
  const fields: Array<[string, string]> = [];
  for (let k = fieldPos; k < x.argv.length; k += 2) fields.push([arg(x, k), arg(x, k + 1)]);
  appendEntry(s, id, fields);
  const prop = [...x.argv];
  if (!given || !given.seqGiven) prop[idPos] = idText(id);
  if (t.strategy !== 'none') {
    streamTrim(s, t);
    if (t.approx) rewriteApprox(prop, s, t);
  }
  x.prop.push(prop);
  return bulk(idText(id));
}

const TOO_SMALL =
  'ERR The ID specified in XADD is equal or smaller than the target stream top item';

function emptyStream(): StreamValue {
  return {
    type: 'stream',
    nodes: [],
    length: 0,
    lastId: '0-0',
    firstId: '0-0',
    maxDeletedId: '0-0',
    entriesAdded: 0,
  };
}

export function cmdXlen(x: Exec): Reply {
  const e = lookupType(x, arg(x, 1), 'stream');
  return int(e ? e.value.length : 0);
}

/** streamParseIntervalIDOrReply: "(" for exclusive, else "-", "+" or an ID. */
function parseInterval(s: string, missingSeq: bigint): { id: Id; ex: boolean } {
  if (s.length > 1 && s.startsWith('(')) {
    return { id: parseId(s.slice(1), true, missingSeq, false).id, ex: true };
  }
  return { id: parseId(s, false, missingSeq, false).id, ex: false };
}

/** XRANGE key start end [COUNT n], XREVRANGE key end start [COUNT n]. */
export function cmdXrange(x: Exec, rev: boolean): Reply {
  const start = parseInterval(arg(x, rev ? 3 : 2), 0n);
  let lo = start.id;
  if (start.ex) {
    if (lo[1] < UINT64_MAX) lo = [lo[0], lo[1] + 1n];
    else if (lo[0] < UINT64_MAX) lo = [lo[0] + 1n, 0n];
    else return err('ERR invalid start ID for the interval');
  }
  const end = parseInterval(arg(x, rev ? 2 : 3), UINT64_MAX);
  let hi = end.id;
  if (end.ex) {
    if (hi[1] > 0n) hi = [hi[0], hi[1] - 1n];
    else if (hi[0] > 0n) hi = [hi[0] - 1n, UINT64_MAX];
    else return err('ERR invalid end ID for the interval');
  }
  let count = -1n;
  for (let j = 4; j < x.argv.length; j++) {
    if (arg(x, j).toLowerCase() === 'count' && x.argv.length - j - 1 >= 1) {
      const v = parseInt64(arg(x, j + 1));
      if (v === null) return NOT_INTEGER;
      count = v < 0n ? 0n : v;
      j++;
    } else return SYNTAX;
  }
  const e = lookupType(x, arg(x, 1), 'stream');
  if (!e) return array([]);
  if (count === 0n) return array(null);
  let items = e.value.nodes
    .flatMap((n) => n.entries)
    .filter((en) => !en.deleted && cmpId(idOf(en.id), lo) >= 0 && cmpId(idOf(en.id), hi) <= 0);
  if (rev) items = items.reverse();
  if (count > 0n) items = items.slice(0, Number(count));
  return array(items.map((en) => array([bulk(en.id), bulks(en.fields.flat())])));
}

/** XDEL key id [id ...]: entries flagged deleted; a node left without live entries goes. */
export function cmdXdel(x: Exec): Reply {
  const ids: Id[] = [];
  for (let j = 2; j < x.argv.length; j++) ids.push(parseId(arg(x, j), true, 0n, false).id);
  const e = lookupType(x, arg(x, 1), 'stream');
  if (!e) return int(0);
  const s = e.value;
  let deleted = 0;
  let firstEntry = false;
  for (const id of ids) {
    const t = idText(id);
    const ni = s.nodes.findIndex((n) => n.entries.some((en) => en.id === t && !en.deleted));
    if (ni < 0) continue;
    const node = s.nodes[ni]!;
    if (live(node) === 1) s.nodes.splice(ni, 1);
    else node.entries.find((en) => en.id === t)!.deleted = true;
    s.length--;
    if (t === s.firstId) firstEntry = true;
    if (cmpId(id, idOf(s.maxDeletedId)) > 0) s.maxDeletedId = t;
    deleted++;
  }
  if (deleted > 0) {
    if (s.length === 0) s.firstId = '0-0';
    else if (firstEntry) s.firstId = idText(edgeId(s, true, true));
    x.prop.push([...x.argv]);
  }
  return int(deleted);
}

/** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]. */
export function cmdXtrim(x: Exec): Reply {
  const { t } = parseAddOrTrim(x, false);
  const e = lookupType(x, arg(x, 1), 'stream');
  if (!e) return int(0);
  const deleted = streamTrim(e.value, t);
  if (deleted > 0) {
    const prop = [...x.argv];
    if (t.approx) rewriteApprox(prop, e.value, t);
    x.prop.push(prop);
  }
  return int(deleted);
}
