/**
 * The simulation's state: plain data only (objects, arrays, strings, numbers, booleans, null),
 * so that a snapshot is a deep copy and a restored snapshot runs on exactly as the original.
 * Field names follow Redis's own (server.h) where Redis has one.
 */
import type { Keyspace } from './keyspace';
import type { Reply } from './reply';
import type { RngState } from './rng';

export type Version = '5.0' | '6.2' | '7.0' | '7.2' | '7.4' | 'valkey-8.0';

/** `repl_state` of a replica (server.h `typedef enum repl_state`). */
export type ReplState =
  | 'none'
  | 'connect'
  | 'connecting'
  | 'receive_ping_reply'
  | 'receive_port_reply'
  | 'receive_capa_reply'
  /** Valkey: waiting for the +OK to `REPLCONF version`. */
  | 'receive_version_reply'
  | 'send_psync'
  | 'receive_psync_reply'
  | 'transfer'
  | 'connected';

/** A replica's state as its master sees it (`client->replstate`). */
export type SlaveState =
  | 'wait_bgsave_start'
  | 'wait_bgsave_end'
  | 'send_bulk'
  | 'online'
  /**
   * Valkey's dual-channel sync: the main channel streams while the replica still loads the RDB
   * from its rdb channel (REPLICA_STATE_BG_RDB_LOAD, INFO `bg_transfer`).
   */
  | 'bg_rdb_load'
  /** An rdb-only client (the rdb channel) whose RDB has been sent (REPLICA_STATE_RDB_TRANSMITTED). */
  | 'rdb_transmitted';

/** A client class whose output buffer has limits (`client-output-buffer-limit`). */
export type ObufClass = 'normal' | 'slave' | 'pubsub';

/** `clientBufferLimitsConfig`: 0 turns a limit off. */
export interface ClientBufferLimits {
  hard_limit_bytes: number;
  soft_limit_bytes: number;
  soft_limit_seconds: number;
}

export interface ReplConfig {
  'repl-backlog-size': number;
  'repl-backlog-ttl': number;
  'repl-diskless-sync': boolean;
  'repl-diskless-sync-delay': number;
  'repl-ping-replica-period': number;
  'repl-timeout': number;
  /** Microseconds the BGSAVE child sleeps per key (a testing knob; makes a BGSAVE last). */
  'rdb-key-save-delay': number;
  /** Valkey 8's dual-channel-replication-enabled (the other versions have no such parameter). */
  'dual-channel-replication-enabled': boolean;
  /** `server.repl_slave_ro`: a replica refuses writes from its clients (not from its master). */
  'replica-read-only': boolean;
  /** `server.client_obuf_limits`, per class. */
  'client-output-buffer-limit': Record<ObufClass, ClientBufferLimits>;
  /** Seconds SHUTDOWN waits for lagging replicas to acknowledge (7.0; 0 = no wait). */
  'shutdown-timeout': number;
}

/** One entry of the replication stream: a command and the offset of its first byte. */
export interface StreamEntry {
  /** Offset of the entry's first byte (the stream's first byte has offset 1). */
  off: number;
  /** RESP length in bytes. */
  len: number;
  argv: string[];
}

/** A block of Redis 7's shared replication buffer (`replBufBlock`), as accounting only. */
export interface ReplBufBlock {
  id: number;
  /** Offset of the block's first byte. */
  replOffset: number;
  size: number;
  used: number;
}

/** The replication buffer shared by the backlog and the replicas (7.0), or the ring (5.0). */
export interface ReplBuffer {
  blocks: ReplBufBlock[];
  nextBlockId: number;
  /** Entries still referenced by some block, oldest first. */
  entries: StreamEntry[];
}

/** `server.repl_backlog`. */
export interface Backlog {
  /** `repl_backlog->offset`: the offset of the first byte it holds. */
  offset: number;
  histlen: number;
}

/** A replica connected to this server, from this server's side (a `client` with CLIENT_SLAVE). */
export interface SlaveClient {
  connId: number;
  /** `client->id`, which Redis prints when the peer's address is gone (after a reset). */
  clientId: number;
  /** Name as replicationGetSlaveName prints it: `ip:listening-port`. */
  name: string;
  ip: string;
  listeningPort: number;
  replstate: SlaveState;
  capaEof: boolean;
  capaPsync2: boolean;
  /** `repl_ack_off` / `repl_ack_time` (ms of simulated time). */
  replAckOff: number;
  replAckTime: number;
  psyncInitialOffset: number;
  /** Last stream offset written to this replica's socket. */
  sentOffset: number;
  /** Block this replica's output buffer references (pins it against backlog trimming), or null. */
  refBlock: number | null;
  /** False while a diskless replica waits for its first REPLCONF ACK (`repl_start_cmd_stream_on_ack`). */
  streaming: boolean;
  lastInteraction: number;
  /** `client->ctime`: unix seconds when the connection was accepted. */
  ctime: number;
  /** Simulated ms when the connection was accepted. */
  acceptedAt: number;
  /** The socket's file descriptor on the master (CLIENT LIST `fd=`). */
  fd: number;
  /** `client->lastcmd`: the last command it sent (`psync`, then `replconf` once it ACKs). */
  lastcmd: string;
  /** Unix seconds since its output buffer has been over the soft limit, or 0 (`obuf_soft_limit_reached_time`). */
  obuf_soft_limit_reached_time: number;
  /** CLIENT_CLOSE_ASAP: to be freed in beforeSleep (freeClientsInAsyncFreeQueue). */
  closeAsap: boolean;
  /** Valkey: the replica's rdb channel (`REPLCONF rdb-channel 1`, which also says rdb-only). */
  rdbChannel?: boolean;
  /** Valkey: an rdb channel waiting for its main channel's PSYNC (replicas_waiting_psync, protected). */
  waitingPsync?: boolean;
  /** The client's traffic counters, carried over from its {@link PendingClient}. */
  net_input_bytes?: number;
  net_output_bytes?: number;
  commands_processed?: number;
}

/** A connection from a would-be replica to this server, before it became a replica. */
export interface PendingClient {
  connId: number;
  clientId: number;
  ctime: number;
  acceptedAt: number;
  fd: number;
  ip: string;
  listeningPort: number | null;
  capaEof: boolean;
  capaPsync2: boolean;
  /** Valkey: `REPLCONF capa dual-channel`, accepted by a primary with dual channel and diskless sync on. */
  capaDualChannel?: boolean;
  /** Valkey: `REPLCONF rdb-channel 1` (with rdb-only 1): this connection only wants the RDB. */
  rdbChannel?: boolean;
  /** Valkey: `REPLCONF set-rdb-client-id`: the rdb channel this main channel belongs to. */
  associatedRdbClientId?: number;
  /**
   * What Valkey 8's CLIENT LIST shows as `tot-net-in`, `tot-net-out` and `tot-cmds`
   * (networking.c: `client->net_input_bytes`, every byte read from the connection;
   * `net_output_bytes`, every byte written from the client's reply buffers, which for a replica
   * includes the replication stream but not +FULLRESYNC, +CONTINUE or the RDB, written straight to
   * the socket; `commands_processed`, counted by call()). Absent means 0.
   */
  net_input_bytes?: number;
  net_output_bytes?: number;
  commands_processed?: number;
}

/**
 * Valkey 8's dual-channel full sync, on the replica: the rdb channel's connection and state
 * (`repl_rdb_transfer_s`, `repl_rdb_channel_state`) and the provisional primary that $ENDOFF
 * announced (`repl_provisional_primary`).
 */
export interface DualChannelSync {
  rdbConn: number | null;
  state: 'send_handshake' | 'receive_replconf_reply' | 'receive_endoff' | 'rdb_load' | 'rdb_loaded';
  rdbClientId: number;
  replid: string;
  reploff: number;
  dbid: number;
}

/** The replica's local buffer of its primary's stream during a dual-channel sync (`pending_repl_data`). */
export interface PendingReplData {
  /** Bytes of the blocks allocated (INFO replicas_repl_buffer_size). */
  len: number;
  peak: number;
  /** Block sizes and how much of each is used. */
  blocks: Array<{ size: number; used: number }>;
  /** The commands buffered, in order. */
  entries: StreamEntry[];
}

/** `server.master` / `server.cached_master`: the replica's client for its master. */
export interface MasterClient {
  connId: number | null;
  replid: string;
  reploff: number;
  /** Database selected by the replication stream. */
  db: number;
  /** Commands between MULTI and EXEC, or null. */
  multi: string[][] | null;
  lastInteraction: number;
}

export interface ScriptClient {
  db: number;
  multi: string[][] | null;
  multiError: boolean;
  /** Offset after this client's last write (`c->woff`), for WAIT. */
  woff: number;
}

export interface BlockedWait {
  ticket: number;
  numreplicas: number;
  woff: number;
  /** Simulated ms when it times out, or null for WAIT … 0. */
  timeoutAt: number | null;
}

export interface ChildInfo {
  pid: number;
  target: 'disk' | 'socket';
  /** Why it was forked: a replica's full sync, or a BGSAVE command. */
  purpose: 'replication' | 'bgsave';
  /** Dataset and replication info frozen at fork time. */
  rdb: RdbImage;
  /** Simulated ms when the child finishes. */
  doneAt: number;
  /** Killed with SIGUSR1 (killRDBChild) before it finished: its RDB is never used. */
  killed?: boolean;
  /**
   * Valkey's dual channel: the child writes to the replicas' sockets itself (no pipe through the
   * parent), and the parent learns of its end in serverCron, as for a disk save.
   */
  direct?: boolean;
}

/** An RDB file: the dataset plus the replication info saved in its aux fields. */
export interface RdbImage {
  keyspace: Keyspace;
  replid: string;
  replOffset: number;
  replStreamDb: number;
  size: number;
  ctimeMs: number;
}

/**
 * A SHUTDOWN waiting for lagging replicas (7.0 prepareForShutdown): writes are paused and
 * serverCron finishes it once every replica has acknowledged the whole offset, or at the deadline.
 */
export interface PendingShutdown {
  /** Simulated ms of `shutdown_mstime`: the shutdown goes ahead at the first serverCron tick from then. */
  deadline: number;
  /** SHUTDOWN SAVE / NOSAVE, or null for neither (the lab's servers have save points: it saves). */
  save: boolean | null;
  /** The lab's `restart`: start the process again once it has exited. */
  restart: boolean;
  /** The next serverCron tick (10 Hz) at which the shutdown is checked. */
  checkAt: number;
  /** Client tickets blocked until the process exits (the SHUTDOWN itself, commands after it). */
  tickets: number[];
  /** A replica's master client blocked by the pause at its first write (nothing applied after). */
  masterBlocked?: boolean;
}

export interface ServerState {
  name: string;
  host: string;
  port: number;
  pid: number;
  alive: boolean;
  /** Simulated ms at which this process started (cron phase). */
  startedAt: number;
  config: ReplConfig;
  keyspace: Keyspace;
  client: ScriptClient;

  // --- replication, master side (server.h names) ---
  replid: string;
  replid2: string;
  master_repl_offset: number;
  second_replid_offset: number;
  backlog: Backlog | null;
  buffer: ReplBuffer;
  slaves: SlaveClient[];
  pending: PendingClient[];
  /** -1 forces a SELECT before the next propagated command. */
  slaveseldb: number;
  repl_no_slaves_since: number;
  replication_cron_loops: number;
  next_client_id: number;
  child: ChildInfo | null;
  /** The serverCron tick (10 Hz) at which clientsCron next checks the replicas' output buffers, or null. */
  clientsCronAt: number | null;
  waits: BlockedWait[];
  getAckFromSlaves: boolean;
  stat_sync_full: number;
  stat_sync_partial_ok: number;
  stat_sync_partial_err: number;
  /** Keys deleted because they expired, lazily or by active expiry. */
  stat_expiredkeys: number;

  // --- replication, replica side ---
  masterhost: string | null;
  masterport: number;
  repl_state: ReplState;
  /** Connection used for the handshake and, once connected, for the stream. */
  repl_transfer_s: number | null;
  repl_transfer_lastio: number;
  repl_transfer_size: number;
  /** Unix seconds, 0 when never down. */
  repl_down_since: number;
  master_initial_offset: number;
  /** The replication ID announced by +FULLRESYNC (`server.master_replid` while transferring). */
  transfer_replid: string;
  /** Simulated ms when this replica last sent PSYNC (for the resync's cost). */
  psync_started_at: number;
  master: MasterClient | null;
  cached_master: MasterClient | null;
  /** Valkey's dual-channel sync in progress on this replica, or null. */
  dual?: DualChannelSync | null;
  /** Valkey: the replica's local buffer of the stream (len, peak), kept after a dual-channel sync. */
  pending_repl_data?: PendingReplData;
  /** The last RDB saved to disk (BGSAVE or shutdown), used by a restart. */
  rdbOnDisk: RdbImage | null;
  /** A SHUTDOWN under way, waiting for replicas (7.0), or null. */
  shutdown: PendingShutdown | null;

  log: string[];
}

export type ToMaster =
  | { k: 'PING' }
  | {
      k: 'REPLCONF';
      listeningPort: number;
      capa: string[];
      /** Valkey's `REPLCONF version <x.y.z>`, pipelined after the capabilities. */
      version?: string;
    }
  | { k: 'PSYNC'; replid: string; offset: number }
  | { k: 'ACK'; offset: number }
  /** Valkey's rdb channel: `REPLCONF capa eof rdb-only 1 rdb-channel 1 listening-port <port>`. */
  | { k: 'REPLCONF_RDB'; listeningPort: number }
  /** The rdb channel asks for the snapshot with the old `SYNC`. */
  | { k: 'SYNC' }
  /** Valkey's main channel: `REPLCONF set-rdb-client-id <id>`. */
  | { k: 'REPLCONF_SETID'; id: number };

export type ToReplica =
  | { k: 'PONG' }
  | { k: 'OK' }
  /** The keep-alive newline to a replica waiting for its RDB. */
  | { k: 'NEWLINE' }
  | { k: 'ERR'; text: string }
  | { k: 'FULLRESYNC'; replid: string; offset: number }
  | { k: 'CONTINUE'; replid: string | null }
  | { k: 'RDB_HEADER'; eof: boolean; size: number }
  | { k: 'RDB'; rdb: RdbImage; eof: boolean }
  | { k: 'STREAM'; entries: StreamEntry[] }
  /** Valkey: PSYNC answered `+DUALCHANNELSYNC`: open an rdb channel. */
  | { k: 'DUALCHANNELSYNC' }
  /** Valkey: `$ENDOFF:<offset> <replid> <dbid> <client-id>` on the rdb channel, before the RDB. */
  | { k: 'ENDOFF'; offset: number; replid: string; dbid: number; clientId: number };

export interface Conn {
  id: number;
  /** The replica (connecting side) and the server it connects to. */
  from: string;
  to: string;
  /**
   * `closing`: the master closed its end (FIN); what it sent before is still on its way to the
   * replica, which learns of the close when it has arrived (a `fin` event).
   */
  state: 'connecting' | 'open' | 'closing' | 'closed';
  /** A connect whose SYN vanished in a cut: nothing passes until a retransmitted SYN gets through. */
  blackholed: boolean;
  /**
   * Segments lost while the path was cut (an interface down), oldest first, waiting for TCP to
   * retransmit them once the path is back; data sent after them waits behind them (in order).
   */
  held: HeldSegment[];
  /**
   * The RDB payload on its way to the replica: its bytes arrive evenly from `from` to `to`
   * (simulated ms), which gives INFO its master_sync_read_bytes.
   */
  bulk?: { from: number; to: number; bytes: number };
  /** Valkey's rdb channel: the replica's second connection, for the RDB of a dual-channel sync. */
  rdbChannel?: boolean;
  /** Simulated ms until which each direction's sender is busy (bandwidth). */
  busyToMaster: number;
  busyToReplica: number;
  /**
   * When the last message sent each way arrives. TCP delivers in order: a message sent after
   * `latency` was lowered never overtakes the ones still on their way.
   */
  arriveToMaster: number;
  arriveToReplica: number;
}

/**
 * A server's network: `up`; `down` (connections reset, connects refused); `silent` (packets to and
 * from it vanish in the network); `stopped` (its own interface is down: packets vanish too, and
 * its own connects fail at once with "Network is unreachable").
 */
export interface HeldSegment {
  dir: 'toMaster' | 'toReplica';
  msg: ToMaster | ToReplica;
  bytes: number;
  /** When it was first sent: TCP's retransmission timer backs off from there. */
  sentAt: number;
}

/** A FIN (or the RST a closed socket answers with) lost in a cut, told to `tell` once it gets through. */
export interface HeldFin {
  conn: number;
  from: string;
  to: string;
  tell: 'master' | 'replica';
  sentAt: number;
}

export type NetState = 'up' | 'down' | 'silent' | 'stopped';

export type QueuedEvent =
  | { t: 'cron'; server: string; pid: number }
  | { t: 'connected'; conn: number }
  | { t: 'refused'; conn: number }
  | { t: 'synRetry'; conn: number; attempt: number }
  | { t: 'toMaster'; conn: number; msg: ToMaster; msgId: number; bytes: number; sentAt: number }
  | { t: 'toReplica'; conn: number; msg: ToReplica; msgId: number; bytes: number; sentAt: number }
  | { t: 'retransmit'; conn: number; dir: 'toMaster' | 'toReplica' }
  | { t: 'finRetransmit'; conn: number }
  | { t: 'fin'; conn: number }
  | { t: 'clientsCron'; server: string; pid: number }
  | { t: 'shutdownCron'; server: string; pid: number }
  | { t: 'childDone'; server: string; pid: number }
  | { t: 'bgsaveNoticed'; server: string; pid: number }
  | { t: 'sendDone'; server: string; conn: number }
  | { t: 'expire'; server: string; pid: number }
  | { t: 'waitTimeout'; server: string; ticket: number };

export interface Scheduled {
  at: number;
  seq: number;
  ev: QueuedEvent;
}

export interface SimState {
  version: Version;
  /** Simulated ms since the start of the run. */
  now: number;
  /** Unix ms of the simulated wall clock at `now = 0`. */
  wallStartMs: number;
  rng: RngState;
  seq: number;
  queue: Scheduled[];
  servers: Record<string, ServerState>;
  order: string[];
  conns: Record<number, Conn>;
  nextConnId: number;
  nextPid: number;
  nextClientId: number;
  nextMsgId: number;
  nextTicket: number;
  net: Record<string, NetState>;
  /** FINs lost in a cut (see HeldFin). */
  finsHeld: HeldFin[];
  latencyMs: number;
  /** Bytes per second of every link, or null for unlimited. */
  bytesPerSec: number | null;
  replies: Record<number, Reply>;
}
