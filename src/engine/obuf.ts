/**
 * A replica's output buffer and its limits (networking.c): how much of Redis 7's shared
 * replication buffer a replica client still holds (getClientOutputBufferMemoryUsage), the
 * `client-output-buffer-limit replica …` check (checkClientOutputBufferLimits), closing a client
 * that is over it (closeClientOnOutputBufferLimitReached, at once from clientsCron or
 * asynchronously when data is added), and the CLIENT LIST line Redis logs for it
 * (catClientInfoString).
 *
 * The check runs when feedReplicationBuffer adds a block (async: the client is freed in
 * beforeSleep) and, for every client, in clientsCron at 10 Hz (closed there and then). The engine
 * runs clientsCron only at ticks where it could act: while some replica is over a limit or has
 * its soft-limit clock running; at other ticks it would find nothing to do.
 */
import { teardown } from './net';
import { schedule } from './queue';
import type { ServerState, SlaveClient } from './types';
import { dialect, log, unixtime, type World } from './world';

/** sizeof(replBufBlock) on LP64: the header of each block of the shared replication buffer. */
export const REPL_BUF_BLOCK_HEADER = 40;
/** sizeof(listNode) on LP64: each block of the shared buffer is a node of a list. */
const LIST_NODE_SIZE = 24;
/** What Redis counts per referenced block on top of its bytes: `sizeof(listNode) + sizeof(replBufBlock)`. */
const REPL_NODE_SIZE = LIST_NODE_SIZE + REPL_BUF_BLOCK_HEADER;

/**
 * getClientOutputBufferMemoryUsage for a replica: from the first byte of the block it references
 * to the end of the newest block's allocation (its whole `size`, used or not), plus the node
 * overhead of each of those blocks. `blocks` is what CLIENT LIST shows as `oll`.
 */
export function getClientOutputBufferMemoryUsage(
  s: ServerState,
  r: SlaveClient,
): { bytes: number; blocks: number } {
  const blocks = s.buffer.blocks;
  if (r.refBlock === null || blocks.length === 0) return { bytes: 0, blocks: 0 };
  const cur = blocks.find((b) => b.id === r.refBlock);
  if (!cur) return { bytes: 0, blocks: 0 };
  const last = blocks[blocks.length - 1]!;
  const n = last.id - cur.id + 1;
  return { bytes: last.replOffset + last.size - cur.replOffset + REPL_NODE_SIZE * n, blocks: n };
}

/**
 * The hard limit in force for a replica: a nonzero one below repl-backlog-size is raised to it
 * (a partial resync would succeed and the replica be dropped at once). The soft limit is not.
 */
export function replicaHardLimit(s: ServerState): number {
  const hard = s.config['client-output-buffer-limit'].slave.hard_limit_bytes;
  const backlog = s.config['repl-backlog-size'];
  return hard && hard < backlog ? backlog : hard;
}

/**
 * checkClientOutputBufferLimits: over the hard limit, or over the soft limit continuously for
 * more than soft-seconds (whole seconds of `server.unixtime`, counted from the first check that
 * saw it over). Updates the soft-limit clock as a side effect.
 */
export function checkClientOutputBufferLimits(w: World, s: ServerState, r: SlaveClient): boolean {
  const lim = s.config['client-output-buffer-limit'].slave;
  const used = getClientOutputBufferMemoryUsage(s, r).bytes;
  const hard = lim.hard_limit_bytes !== 0 && used >= replicaHardLimit(s);
  let soft = lim.soft_limit_bytes !== 0 && used >= lim.soft_limit_bytes;
  if (soft) {
    if (r.obuf_soft_limit_reached_time === 0) {
      r.obuf_soft_limit_reached_time = unixtime(w);
      soft = false; // first time seen over it
    } else if (unixtime(w) - r.obuf_soft_limit_reached_time <= lim.soft_limit_seconds) {
      soft = false; // not over it for long enough yet
    }
  } else {
    r.obuf_soft_limit_reached_time = 0;
  }
  return soft || hard;
}

/**
 * closeClientOnOutputBufferLimitReached: if the replica is over its limits, log it and close it:
 * `async` (data was just added) marks it CLOSE_ASAP for beforeSleep; otherwise (clientsCron) it
 * is freed now, which logs "Connection with replica … lost." before the line about the limits.
 */
export function closeClientOnOutputBufferLimitReached(
  w: World,
  s: ServerState,
  r: SlaveClient,
  async: boolean,
): boolean {
  if (dialect(w).replicaObufLimits === 'none' || r.closeAsap) return false;
  if (!checkClientOutputBufferLimits(w, s, r)) return false;
  const client = catClientInfoString(w, s, r);
  if (async) {
    r.closeAsap = true;
    log(
      w,
      s,
      'warning',
      `Client ${client} scheduled to be closed ASAP for overcoming of output buffer limits.`,
    );
  } else {
    freeSlaveClient(w, s, r);
    log(w, s, 'warning', `Client ${client} closed for overcoming of output buffer limits.`);
  }
  return true;
}

/** freeClient for a replica client: the master closes the connection (its FIN follows the data). */
function freeSlaveClient(w: World, s: ServerState, r: SlaveClient): void {
  const c = w.state.conns[r.connId];
  if (c) teardown(w, c, 'master');
  else w.closed.master(w, s, r.connId, false);
}

/** freeClientsInAsyncFreeQueue (beforeSleep): the replicas marked CLOSE_ASAP go. */
export function freeClientsInAsyncFreeQueue(w: World, s: ServerState): void {
  // Valkey's rdb channel waiting for its main channel's PSYNC is protected (protected_rdb_channel).
  for (const r of [...s.slaves]) if (r.closeAsap && !r.waitingPsync) freeSlaveClient(w, s, r);
}

/** clientsCron's last check, for every replica: closeClientOnOutputBufferLimitReached(c, 0). */
function clientsCron(w: World, s: ServerState): void {
  for (const r of [...s.slaves]) closeClientOnOutputBufferLimitReached(w, s, r, false);
}

/** The serverCron tick (10 Hz, phase of the process start: 1 ms after it) strictly after `t`. */
export function nextServerCronTick(s: ServerState, t: number): number {
  const k = Math.floor((t - s.startedAt - 1) / 100) + 1;
  return s.startedAt + 1 + Math.max(0, k) * 100;
}

/** Whether clientsCron could act on some replica: one over a limit, or a soft-limit clock running. */
function clientsCronHasWork(s: ServerState): boolean {
  const lim = s.config['client-output-buffer-limit'].slave;
  const hard = replicaHardLimit(s);
  for (const r of s.slaves) {
    if (r.closeAsap) continue;
    if (r.obuf_soft_limit_reached_time !== 0) return true;
    const used = getClientOutputBufferMemoryUsage(s, r).bytes;
    if (used === 0) continue;
    if ((hard && used >= hard) || (lim.soft_limit_bytes && used >= lim.soft_limit_bytes))
      return true;
  }
  return false;
}

/** Called from beforeSleep: make sure clientsCron runs at the next tick if it has work there. */
export function scheduleClientsCron(w: World, s: ServerState): void {
  if (dialect(w).replicaObufLimits === 'none' || !s.alive || s.clientsCronAt !== null) return;
  if (!clientsCronHasWork(s)) return;
  const at = nextServerCronTick(s, w.state.now);
  s.clientsCronAt = at;
  schedule(w.state, at, { t: 'clientsCron', server: s.name, pid: s.pid });
}

/**
 * serverCron runs clientsCron before its other work of the same tick (active expiry, children
 * done, replicationCron): each of those events calls this first.
 */
export function clientsCronIfDue(w: World, s: ServerState): void {
  if (s.clientsCronAt === null || s.clientsCronAt > w.state.now) return;
  s.clientsCronAt = null;
  clientsCron(w, s);
}

/**
 * catClientInfoString for a replica client, as CLIENT LIST prints it. `omem` and `oll` are the
 * shared buffer it references; `id`, the peer's port, `fd`, the query and reply buffers' sizes
 * and `tot-mem` depend on what else the process did (the conformance comparison ignores them):
 * they follow what 7.0.15 shows for a replica (a 20 KB query buffer, freed after 2 idle seconds;
 * a 16 KB reply buffer, shrunk to 1 KB at the first clientsCron).
 */
export function catClientInfoString(w: World, s: ServerState, r: SlaveClient): string {
  const now = unixtime(w);
  const { bytes, blocks } = getClientOutputBufferMemoryUsage(s, r);
  const idle = now - r.lastInteraction;
  const qbufFree = idle > 2 ? 0 : 20474;
  const ticked = nextServerCronTick(s, r.acceptedAt) <= w.state.now;
  const rbs = ticked ? 1024 : 16384;
  const totMem = bytes + (qbufFree ? qbufFree + 6 : 0) + 768 + rbs;
  const port = 32768 + ((r.connId * 7919) % 28232);
  const d = dialect(w);
  const hidden = (v: string): string => (d.hideUserDataFromLog ? '*redacted*' : v);
  const totals = d.clientInfoNetTotals
    ? [
        `tot-net-in=${r.net_input_bytes ?? 0}`,
        `tot-net-out=${r.net_output_bytes ?? 0}`,
        `tot-cmds=${r.commands_processed ?? 0}`,
      ]
    : [];
  return [
    `id=${r.clientId}`,
    `addr=${r.ip}:${port}`,
    `laddr=${s.host}:${s.port}`,
    `fd=${r.fd}`,
    `name=${hidden('')}`,
    `age=${now - r.ctime}`,
    `idle=${idle}`,
    `flags=S`,
    'db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0',
    `qbuf-free=${qbufFree}`,
    'argv-mem=0 multi-mem=0',
    `rbs=${rbs} rbp=0 obl=0`,
    `oll=${blocks}`,
    `omem=${bytes}`,
    `tot-mem=${totMem}`,
    `events=r cmd=${r.lastcmd} user=${hidden('default')} redir=-1 resp=2`,
    // 7.2's lib-name and lib-ver come after resp (the dialect's reword adds them).
    ...totals,
  ].join(' ');
}
