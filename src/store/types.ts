/** Plain view models the UI reads. They are rebuilt from engine state, never mutated in place. */
import type { MessageKind, SimEvent } from '../engine/events';
import type { NetState } from '../engine/types';

export type LinkState =
  'connecting' | 'handshake' | 'wait_bgsave' | 'receiving' | 'loading' | 'online' | 'down';

export interface KeyView {
  readonly db: number;
  readonly key: string;
  readonly type: 'string' | 'hash' | 'list' | 'set' | 'zset' | 'stream';
  /**
   * The value as display text (hash as field=value pairs, list/set as items, zset as
   * member:score pairs, stream as its entries' IDs and fields).
   */
  readonly text: string;
  readonly ttl: boolean;
}

export interface ReplicaLinkView {
  /** Server name of the replica, when it is one of ours. */
  readonly server: string | null;
  readonly addr: string;
  /** `bg_rdb_load`: Valkey's dual-channel main channel, streaming while the replica loads its RDB. */
  readonly state: 'wait_bgsave_start' | 'wait_bgsave_end' | 'send_bulk' | 'online' | 'bg_rdb_load';
  readonly ackOffset: number;
  /**
   * Simulated ms of the master's first replicationCron that will drop this replica ("Disconnecting
   * timedout replica") if no ACK arrives before: repl-timeout seconds after its last ACK. Null
   * unless it is online.
   */
  readonly timeoutAt: number | null;
}

/** A block of Redis 7's replication buffer: the offset of its first byte and its capacity. */
export interface BacklogBlockView {
  readonly start: number;
  readonly size: number;
}

export interface BacklogView {
  readonly first: number;
  readonly histlen: number;
  readonly size: number;
  /**
   * Redis 7's shared replication buffer, oldest block first (the backlog frees whole blocks), or
   * null for the fixed ring of Redis ≤ 6.2.
   */
  readonly blocks: readonly BacklogBlockView[] | null;
}

export interface ServerView {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly addr: string;
  readonly alive: boolean;
  readonly role: 'master' | 'replica';
  /** The server name of its master (when it is a replica of one of ours). */
  readonly masterName: string | null;
  readonly masterAddr: string | null;
  readonly replid: string;
  readonly replid2: string;
  readonly secondOffset: number;
  readonly offset: number;
  readonly link: LinkState | null;
  /** Valkey's dual-channel sync: this replica's rdb channel is open (its second link). */
  readonly rdbChannel?: boolean;
  readonly net: NetState;
  readonly backlog: BacklogView | null;
  readonly backlogSize: number;
  readonly replicas: readonly ReplicaLinkView[];
  /** repl-timeout, in seconds. */
  readonly replTimeout: number;
  /**
   * A replica: simulated ms of its first replicationCron that will log "MASTER timeout: no data nor
   * PING received..." if nothing arrives from its master before: repl-timeout seconds after the
   * last data or PING. Null unless its link is up (repl_state connected).
   */
  readonly masterTimeoutAt: number | null;
  readonly keys: readonly KeyView[];
  readonly info: ReadonlyArray<readonly [string, string]>;
}

export interface WireMessage {
  readonly id: number;
  readonly from: string;
  readonly to: string;
  readonly kind: MessageKind;
  readonly label: string;
  readonly bytes: number;
  readonly sendAt: number;
  /** When its last byte left the sender (arriveAt minus the link latency). */
  readonly sentAt: number;
  readonly arriveAt: number;
  readonly droppedAt: number | null;
  /** Raw RESP of the commands it carries (STREAM only). */
  readonly resp: string | null;
  /** The engine's connection it travels on. */
  readonly conn: number;
  /** It travels on Valkey's rdb channel (a dual-channel sync's second connection). */
  readonly rdbChannel?: boolean;
  /**
   * When its first byte leaves: its sendAt, or later when it waits in the socket behind messages
   * sent before it on the same connection and direction (the engine's own finishAt of those).
   */
  readonly startAt: number;
  /** The commands a STREAM message carries, with the stream offset of each one's first byte. */
  readonly commands: readonly WireCommand[] | null;
  /**
   * A STREAM message that is the backlog slice sent right after a +CONTINUE: the offset it starts
   * from and its bytes, as the master's PSYNC decision says ("Sending N bytes of backlog starting
   * from offset M").
   */
  readonly backlogSlice: { readonly offset: number; readonly bytes: number } | null;
}

export interface WireCommand {
  readonly off: number;
  readonly argv: readonly string[];
}

/**
 * A PSYNC decision, as the engine's psync event told it (with the master's backlog at that
 * moment), and what the events around it tell about it.
 */
export type PsyncDecision = Omit<Extract<SimEvent, { type: 'psync' }>, 'type'> & {
  /**
   * A first synchronisation: the replica never completed a sync with this master, and it asked
   * with no replication ID or with one no master ever announced (its own, from when it was a
   * master). Its replication ID check fails, as it must: a full resync is the expected outcome.
   */
  readonly firstSync: boolean;
  /**
   * When the connection this decision was made on ended (the replica's link went down, or the
   * master dropped it); null while it is the current one.
   */
  readonly endedAt: number | null;
};

export interface ResyncCost {
  readonly replica: string;
  readonly kind: 'full' | 'partial';
  readonly bytes: number;
  readonly ms: number;
  readonly at: number;
}

export interface LogLine {
  /** Index in the server's whole log (stable key). */
  readonly n: number;
  readonly text: string;
}

export interface ConsoleEntry {
  readonly id: number;
  readonly kind: 'input' | 'output' | 'error';
  readonly text: string;
  /** Shown whole however long (what `show log` / `show info` printed); others may be clipped. */
  readonly whole?: boolean;
}

/**
 * A notice for the user. `code` says what it is, so the UI words it in its language; `text` is
 * the detail in English (a lab error's reason, as the lab script reports it).
 */
export interface Notice {
  readonly id: number;
  readonly code: 'maxReplicas' | 'lab' | 'exportTooLong';
  readonly text: string;
  readonly error: boolean;
}

export interface CutInfo {
  /** The replica's offset when its link went down. */
  readonly offset: number;
  readonly at: number;
}

export type Theme = 'light' | 'dark' | 'projector';
export type Lang = 'en' | 'es';
export type StreamView = 'commands' | 'resp';

/** What a mark on the timeline stands for. */
export type TimelineMarkKind =
  | 'step'
  | 'cut'
  | 'restore'
  | 'restart'
  | 'replicaof'
  | 'command'
  | 'continue'
  | 'fullresync'
  | 'synced';

/**
 * A moment worth a mark on the timeline: a lesson step, a statement (a cut, a restore, a write),
 * a PSYNC decision or a resync finished. `text` is data, shown as it is (a command, a reply).
 */
export interface TimelineMark {
  readonly at: number;
  readonly kind: TimelineMarkKind;
  readonly server?: string;
  readonly text?: string;
  /** For a step: its number (1-based). */
  readonly step?: number;
  /** For a resync finished: what it cost. */
  readonly bytes?: number;
}
