/** INFO and ROLE (server.c genRedisInfoString, replication.c roleCommand). */
import { replicaType } from './dualChannelPrimary';
import { keyspaceInfoLines } from './keyspace';
import { array, bulk, int, type Reply } from './reply';
import { dialectOf } from './dialect';
import type { ServerState, SimState } from './types';

const DEFAULT_SECTIONS = ['server', 'replication', 'stats', 'keyspace'];

/** The text of `INFO [section …]`, lines ending in \r\n as Redis writes them. */
export function renderInfo(state: SimState, s: ServerState, args: readonly string[]): string {
  const wanted = args.length === 0 ? DEFAULT_SECTIONS : args.map((a) => a.toLowerCase());
  const all = wanted.includes('all') || wanted.includes('everything');
  const parts: string[] = [];
  for (const sec of all
    ? DEFAULT_SECTIONS
    : wanted.includes('default')
      ? DEFAULT_SECTIONS
      : wanted) {
    const lines = section(state, s, sec);
    if (lines) parts.push(lines.join('\r\n') + '\r\n');
  }
  return parts.join('\r\n');
}

function section(state: SimState, s: ServerState, name: string): string[] | null {
  switch (name) {
    case 'server':
      return serverSection(state, s);
    case 'replication':
      return ['# Replication', ...replicationFields(state, s).map(([k, v]) => `${k}:${v}`)];
    case 'stats':
      return [
        '# Stats',
        `sync_full:${s.stat_sync_full}`,
        `sync_partial_ok:${s.stat_sync_partial_ok}`,
        `sync_partial_err:${s.stat_sync_partial_err}`,
        `expired_keys:${s.stat_expiredkeys}`,
      ];
    case 'keyspace':
      return [
        '# Keyspace',
        // 7.4 counts keys with hash fields that expire (none here: no HEXPIRE in the lab).
        ...keyspaceInfoLines(s.keyspace, state.wallStartMs + state.now).map((l) =>
          dialectOf(state.version).redisLine >= 7.4 ? `${l},subexpiry=0` : l,
        ),
      ];
    default:
      return null;
  }
}

function serverSection(state: SimState, s: ServerState): string[] {
  const uptime = Math.floor((state.now - s.startedAt) / 1000);
  return [
    '# Server',
    `redis_version:${dialectOf(state.version).redisVersion}`,
    'redis_mode:standalone',
    `process_id:${s.pid}`,
    `tcp_port:${s.port}`,
    `uptime_in_seconds:${uptime}`,
    `uptime_in_days:${Math.floor(uptime / 86400)}`,
    'hz:10',
  ];
}

/**
 * The RDB bytes a replica has read so far (readSyncBulkPayload's repl_transfer_read): the
 * payload's bytes arrive evenly between its first and its last byte's arrival.
 */
export function transferReadBytes(state: SimState, s: ServerState): number {
  const conn = transferConn(s);
  if (s.repl_state !== 'transfer' || s.repl_transfer_size === -1 || conn === null) return 0;
  const b = state.conns[conn]?.bulk;
  if (!b || state.now <= b.from) return 0;
  if (state.now >= b.to) return b.bytes;
  return Math.floor((b.bytes * (state.now - b.from)) / (b.to - b.from));
}

/**
 * The master client's read_reploff: readQueryFromClient adds every byte it reads from the master
 * (`c->read_reploff += nread`) before processInputBuffer applies whole commands to reploff. Over
 * a link with a bandwidth, a command arrives over time: the bytes of the stream messages still
 * arriving are read as they come (evenly from the message's first byte to its last).
 */
function readReplOffset(state: SimState, s: ServerState): number {
  const m = s.master!;
  let read = m.reploff;
  const bps = state.bytesPerSec;
  if (!bps) return read;
  for (const q of state.queue) {
    const ev = q.ev;
    if (ev.t !== 'toReplica' || ev.conn !== m.connId || ev.msg.k !== 'STREAM') continue;
    const from = q.at - (ev.bytes * 1000) / bps;
    if (state.now <= from) continue;
    read +=
      state.now >= q.at ? ev.bytes : Math.floor((ev.bytes * (state.now - from)) / (q.at - from));
  }
  return read;
}

/** `repl_transfer_lastio` in unix seconds: now while RDB bytes are still arriving. */
export function transferLastIo(state: SimState, s: ServerState): number {
  const conn = transferConn(s);
  const b = conn !== null ? state.conns[conn]?.bulk : undefined;
  if (s.repl_state === 'transfer' && b && state.now > b.from && state.now < b.to)
    return Math.floor((state.wallStartMs + state.now) / 1000);
  return s.repl_transfer_lastio;
}

/** The connection the RDB comes on: Valkey's rdb channel during a dual-channel sync. */
function transferConn(s: ServerState): number | null {
  return s.dual ? s.dual.rdbConn : s.repl_transfer_s;
}

/** INFO replication as ordered [field, value] pairs. */
export function replicationFields(state: SimState, s: ServerState): Array<[string, string]> {
  const d = dialectOf(state.version);
  const v7 = d.infoFields7;
  const unixtime = Math.floor((state.wallStartMs + state.now) / 1000);
  const f: Array<[string, string]> = [];
  if (!s.masterhost) {
    f.push(['role', 'master']);
  } else {
    const connected = s.repl_state === 'connected';
    f.push(['role', 'slave'], ['master_host', s.masterhost], ['master_port', String(s.masterport)]);
    f.push(['master_link_status', connected ? 'up' : 'down']);
    f.push([
      'master_last_io_seconds_ago',
      s.master ? String(unixtime - s.master.lastInteraction) : '-1',
    ]);
    f.push(['master_sync_in_progress', s.repl_state === 'transfer' ? '1' : '0']);
    const off = s.master ? s.master.reploff : s.cached_master ? s.cached_master.reploff : 1;
    if (v7) f.push(['slave_read_repl_offset', String(s.master ? readReplOffset(state, s) : off)]);
    f.push(['slave_repl_offset', String(off)]);
    // The local buffer of a dual-channel sync (server.pending_repl_data).
    if (d.infoValkey) {
      const buf = s.pending_repl_data;
      f.push(
        ['replicas_repl_buffer_size', String(buf?.len ?? 0)],
        ['replicas_repl_buffer_peak', String(buf?.peak ?? 0)],
      );
    }
    if (s.repl_state === 'transfer') {
      const total = s.repl_transfer_size;
      const read = transferReadBytes(state, s);
      if (v7) {
        // Redis divides only by a non-zero size: -1 before the $ line (→ -0.00), 0 for $EOF (→ 0.00).
        const perc = total ? (read / total) * 100 : 0;
        f.push(
          ['master_sync_total_bytes', String(total)],
          ['master_sync_read_bytes', String(read)],
        );
        f.push(['master_sync_left_bytes', String(total - read)]);
        f.push(['master_sync_perc', Object.is(perc, -0) ? '-0.00' : perc.toFixed(2)]);
      } else {
        f.push(['master_sync_left_bytes', String(total - read)]);
      }
      f.push(['master_sync_last_io_seconds_ago', String(unixtime - transferLastIo(state, s))]);
    }
    if (!connected) {
      f.push([
        'master_link_down_since_seconds',
        s.repl_down_since
          ? String(unixtime - s.repl_down_since)
          : d.downSinceNever === 'minus-one'
            ? '-1'
            : String(unixtime),
      ]);
    }
    f.push(
      ['slave_priority', '100'],
      ['slave_read_only', s.config['replica-read-only'] ? '1' : '0'],
    );
    if (v7) f.push(['replica_announced', '1']);
  }
  f.push(['connected_slaves', String(s.slaves.length)]);
  // An rdb channel whose RDB was sent (RDB_TRANSMITTED) counts but is not listed.
  s.slaves
    .filter((r) => r.replstate !== 'rdb_transmitted')
    .forEach((r, i) => {
      const lag =
        r.replstate === 'online'
          ? unixtime - Math.floor((state.wallStartMs + r.replAckTime) / 1000)
          : 0;
      const st =
        r.replstate === 'online'
          ? 'online'
          : r.replstate === 'send_bulk'
            ? 'send_bulk'
            : r.replstate === 'bg_rdb_load'
              ? 'bg_transfer'
              : 'wait_bgsave';
      f.push([
        `slave${i}`,
        `ip=${r.ip},port=${r.listeningPort},state=${st},offset=${r.replAckOff},lag=${lag}${d.infoValkey ? `,type=${replicaType(r)}` : ''}`,
      ]);
    });
  if (d.infoValkey)
    f.push(['replicas_waiting_psync', String(s.slaves.filter((r) => r.waitingPsync).length)]);
  if (v7) f.push(['master_failover_state', 'no-failover']);
  f.push(['master_replid', s.replid], ['master_replid2', s.replid2]);
  f.push(
    ['master_repl_offset', String(s.master_repl_offset)],
    ['second_repl_offset', String(s.second_replid_offset)],
  );
  f.push(['repl_backlog_active', s.backlog ? '1' : '0']);
  f.push(['repl_backlog_size', String(s.config['repl-backlog-size'])]);
  f.push(['repl_backlog_first_byte_offset', String(s.backlog ? s.backlog.offset : 0)]);
  f.push(['repl_backlog_histlen', String(s.backlog ? s.backlog.histlen : 0)]);
  return f;
}

/** ROLE. */
export function renderRole(s: ServerState): Reply {
  if (!s.masterhost) {
    const online = s.slaves.filter((r) => r.replstate === 'online');
    return array([
      bulk('master'),
      int(s.master_repl_offset),
      array(
        online.map((r) =>
          array([bulk(r.ip), bulk(String(r.listeningPort)), bulk(String(r.replAckOff))]),
        ),
      ),
    ]);
  }
  const st = s.repl_state;
  const state =
    st === 'none' || st === 'connect' || st === 'connecting'
      ? st
      : st === 'transfer'
        ? 'sync'
        : st === 'connected'
          ? 'connected'
          : 'handshake';
  return array([
    bulk('slave'),
    bulk(s.masterhost),
    int(s.masterport),
    bulk(state),
    int(s.master ? s.master.reploff : -1),
  ]);
}
