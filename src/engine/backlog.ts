/**
 * The replication stream a master writes and keeps (replication.c, "the backlog"): Redis 7's
 * shared replication buffer of blocks that the backlog and each replica's output buffer
 * reference, trimmed in whole blocks; or the fixed ring of Redis ≤ 6.2. Only the accounting is
 * modelled, plus the stream's commands with their offsets, which a partial resync sends again.
 */
import { closeClientOnOutputBufferLimitReached, REPL_BUF_BLOCK_HEADER } from './obuf';
import { respLength } from './resp';
import type { ServerState, StreamEntry } from './types';
import { dialect, setOffset, type World } from './world';

const PROTO_REPLY_CHUNK_BYTES = 16 * 1024;
export const CONFIG_REPL_BACKLOG_MIN_SIZE = 16 * 1024;

/** jemalloc's usable size for an allocation of n bytes (size classes: 4 per power of two). */
export function jemallocUsable(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  const lg = Math.floor(Math.log2(n - 1));
  const spacing = 2 ** (lg - 2);
  return Math.ceil(n / spacing) * spacing;
}

/** replicationFeedSlaves: what a master appends to its stream for a write in `dictid`. */
export function replicationFeedSlaves(
  w: World,
  s: ServerState,
  dictid: number,
  argv: string[],
): void {
  if (s.masterhost) return;
  if (!s.backlog && s.slaves.length === 0) return;
  if (dictid >= 0 && s.slaveseldb !== dictid) {
    feedReplicationBuffer(w, s, [{ argv: ['SELECT', String(dictid)] }]);
    s.slaveseldb = dictid;
  }
  feedReplicationBuffer(w, s, [{ argv }]);
}

/**
 * feedReplicationBuffer: appends commands to the replication buffer (or ring), advancing
 * master_repl_offset. A replica proxies its master's stream through here too.
 */
export function feedReplicationBuffer(
  w: World,
  s: ServerState,
  entries: ReadonlyArray<{ argv: string[] }>,
): void {
  if (!s.backlog) return;
  for (const e of entries) {
    const len = respLength(e.argv);
    const entry: StreamEntry = { off: s.master_repl_offset + 1, len, argv: e.argv };
    feedBytes(w, s, len);
    s.buffer.entries.push(entry);
    setOffset(w, s, s.master_repl_offset + len);
  }
}

/**
 * The replicas' side of each step of feedReplicationBuffer: a replica past WAIT_BGSAVE_START
 * (canFeedReplicaReplBuffer) that references nothing yet starts referencing the block the bytes
 * start in; when the step added a block, each one's output buffer limit is checked.
 */
function feedSlaves(w: World, s: ServerState, startBlock: number, addedBlock: boolean): void {
  for (const r of s.slaves) {
    if (r.replstate === 'wait_bgsave_start') continue;
    // Valkey: an rdb channel holds the stream only while it waits for its main channel's PSYNC.
    if (r.rdbChannel && !r.waitingPsync) continue;
    if (r.refBlock === null) r.refBlock = startBlock;
    if (addedBlock) closeClientOnOutputBufferLimitReached(w, s, r, true);
  }
}

/**
 * The block accounting of feedReplicationBuffer, a step at a time as Redis loops: fill the tail
 * block, then add at most one new block; after each step the replicas reference and are checked.
 */
function feedBytes(w: World, s: ServerState, len0: number): void {
  const b = s.backlog!;
  const buf = s.buffer;
  if (dialect(w).backlog === 'ring') {
    // A ring of exactly repl-backlog-size bytes.
    b.histlen = Math.min(b.histlen + len0, s.config['repl-backlog-size']);
    b.offset = s.master_repl_offset + len0 - b.histlen + 1;
    trimEntries(s, ringKeepFrom(s));
    feedSlaves(w, s, 0, false);
    return;
  }
  let len = len0;
  while (len > 0) {
    let startBlock = -1;
    const tail = buf.blocks[buf.blocks.length - 1];
    if (tail && tail.size > tail.used) {
      startBlock = tail.id;
      const copy = Math.min(tail.size - tail.used, len);
      tail.used += copy;
      len -= copy;
    }
    let added = false;
    if (len > 0) {
      const limit = Math.max(
        Math.floor(s.config['repl-backlog-size'] / 16),
        PROTO_REPLY_CHUNK_BYTES,
      );
      const want = Math.min(Math.max(len, PROTO_REPLY_CHUNK_BYTES), limit);
      const size = jemallocUsable(want + REPL_BUF_BLOCK_HEADER) - REPL_BUF_BLOCK_HEADER;
      const copy = Math.min(size, len);
      const replOffset = s.master_repl_offset + (len0 - len) + 1;
      const block = { id: buf.nextBlockId++, replOffset, size, used: copy };
      buf.blocks.push(block);
      if (startBlock < 0) startBlock = block.id;
      len -= copy;
      added = true;
    }
    feedSlaves(w, s, startBlock, added);
  }
  b.histlen += len0;
  // Redis 7.0.15 trims after every write to the buffer (observed: a backlog of two blocks is
  // trimmed as soon as the second alone holds more than repl-backlog-size), not only when a
  // block is added.
  incrementalTrimReplicationBacklog(s, s.master_repl_offset + len0);
}

/** incrementalTrimReplicationBacklog: drop whole blocks only the backlog still references. */
function incrementalTrimReplicationBacklog(s: ServerState, masterOffset: number): void {
  const b = s.backlog!;
  const buf = s.buffer;
  let trimmed = 0;
  while (b.histlen > s.config['repl-backlog-size'] && trimmed < 64) {
    if (buf.blocks.length <= 1) break;
    const first = buf.blocks[0]!;
    if (s.slaves.some((r) => r.refBlock === first.id)) break;
    if (b.histlen - first.size <= s.config['repl-backlog-size']) break;
    buf.blocks.shift();
    b.histlen -= first.size;
    trimmed++;
  }
  b.offset = masterOffset - b.histlen + 1;
  trimEntries(s, b.offset);
}

/**
 * A replica's output buffer let go of a block, or a replica left: with Redis 7's shared buffer
 * the backlog may now trim (the ring never holds more than its size).
 */
export function releaseBlocks(w: World, s: ServerState): void {
  if (s.backlog && dialect(w).backlog === 'blocks')
    incrementalTrimReplicationBacklog(s, s.master_repl_offset);
}

/**
 * With the 5.0 ring, each replica has its own output buffer, filled as the stream is written:
 * what a replica has not been sent yet stays, even once the ring has moved past it.
 */
function ringKeepFrom(s: ServerState): number {
  let keep = s.backlog!.offset;
  for (const r of s.slaves)
    if (r.replstate !== 'wait_bgsave_start') keep = Math.min(keep, r.sentOffset + 1);
  return keep;
}

/** Forget entries that ended before `offset` (nobody can ask for them any more). */
function trimEntries(s: ServerState, offset: number): void {
  const es = s.buffer.entries;
  let k = 0;
  while (k < es.length && es[k]!.off + es[k]!.len - 1 < offset) k++;
  if (k > 0) es.splice(0, k);
}

export function createReplicationBacklog(s: ServerState): void {
  s.backlog = { offset: s.master_repl_offset + 1, histlen: 0 };
  s.buffer = { blocks: [], nextBlockId: s.buffer.nextBlockId, entries: [] };
}

export function freeReplicationBacklog(s: ServerState): void {
  s.backlog = null;
  s.buffer = { blocks: [], nextBlockId: s.buffer.nextBlockId, entries: [] };
  for (const r of s.slaves) r.refBlock = null;
}

/** resizeReplicationBacklog (CONFIG SET repl-backlog-size). */
export function resizeReplicationBacklog(w: World, s: ServerState, before: number): void {
  if (s.config['repl-backlog-size'] < CONFIG_REPL_BACKLOG_MIN_SIZE)
    s.config['repl-backlog-size'] = CONFIG_REPL_BACKLOG_MIN_SIZE;
  // `if (server.repl_backlog_size == newsize) return;` comes before anything is freed.
  if (!s.backlog || s.config['repl-backlog-size'] === before) return;
  if (dialect(w).backlog === 'ring') {
    // The ring is reallocated empty (the replicas' own output buffers keep what they still need).
    s.backlog = { offset: s.master_repl_offset + 1, histlen: 0 };
    trimEntries(s, ringKeepFrom(s));
    return;
  }
  incrementalTrimReplicationBacklog(s, s.master_repl_offset);
}

/** The stream from `off` on, as commands (what addReplyReplicationBacklog sends). */
export function entriesFrom(s: ServerState, off: number): StreamEntry[] {
  const es = s.buffer.entries;
  let lo = 0;
  let hi = es.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (es[mid]!.off < off) lo = mid + 1;
    else hi = mid;
  }
  return es.slice(lo).map((e) => ({ off: e.off, len: e.len, argv: e.argv }));
}

/** The newest block of the replication buffer (what a replica's output buffer now ends in). */
export function lastBlockId(s: ServerState): number | null {
  const b = s.buffer.blocks;
  return b.length ? b[b.length - 1]!.id : null;
}
