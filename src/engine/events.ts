/**
 * What the engine tells its viewers: every message on a link with its send and arrival times and
 * size, every log line, every replication state change. The UI animates these; it never invents
 * timing of its own.
 */
import type { Reply } from './reply';
import type { NetState, ReplState, SlaveState } from './types';

export type MessageKind =
  | 'PING' // replica → master, handshake PING
  | 'PONG'
  | 'REPLCONF'
  | 'OK'
  | 'PSYNC'
  | 'FULLRESYNC'
  | 'CONTINUE'
  | 'ERR'
  | 'RDB'
  | 'STREAM' // commands of the replication stream (writes, SELECT, MULTI/EXEC, ping, GETACK)
  | 'ACK'
  | 'NEWLINE' // master → replica keep-alive while the replica waits for its RDB
  | 'SYNC' // Valkey's rdb channel asks for the snapshot
  | 'DUALCHANNELSYNC' // Valkey: PSYNC refused, go on with an rdb channel
  | 'ENDOFF'; // Valkey: $ENDOFF on the rdb channel, the offset the RDB ends at

/** Why a check passed or failed, with the numbers that decided it (the UI words it per language). */
export type PsyncReason =
  | { readonly k: 'no-replid' } // PSYNC ? -1
  | {
      readonly k: 'replid-mismatch';
      readonly replid: string;
      readonly id1: string;
      readonly id2: string;
    }
  | { readonly k: 'replid2-too-far'; readonly offset: number; readonly second: number }
  | { readonly k: 'replid-match' }
  | { readonly k: 'replid2-match'; readonly offset: number; readonly second: number }
  | { readonly k: 'backlog'; readonly exists: boolean }
  | {
      readonly k: 'in-range';
      readonly offset: number;
      readonly first: number;
      readonly last: number;
    }
  | { readonly k: 'before-backlog'; readonly offset: number; readonly first: number }
  | { readonly k: 'after-backlog'; readonly offset: number; readonly last: number };

export interface PsyncCheck {
  /** What was checked, in Redis's order (masterTryPartialResynchronization). */
  readonly id: 'replid' | 'backlog' | 'range';
  readonly ok: boolean;
  readonly reason: PsyncReason;
  /** The reason in English words, for logs and tests. */
  readonly detail: string;
}

/** English words for a check's reason. */
export function describePsyncReason(r: PsyncReason): string {
  switch (r.k) {
    case 'no-replid':
      return 'The replica knows no replication ID (PSYNC ? -1): it asked for a full resync.';
    case 'replid-mismatch':
      return `Replication ID ${r.replid} is neither master_replid (${r.id1}) nor master_replid2 (${r.id2}).`;
    case 'replid2-too-far':
      return `Replication ID is master_replid2, but offset ${r.offset} is past second_repl_offset ${r.second}.`;
    case 'replid-match':
      return 'Replication ID matches master_replid.';
    case 'replid2-match':
      return `Replication ID matches master_replid2 and ${r.offset} ≤ second_repl_offset ${r.second}.`;
    case 'backlog':
      return r.exists ? 'The master has a backlog.' : 'The master has no backlog.';
    case 'in-range':
      return `Offset ${r.offset} lies in the backlog [${r.first}, ${r.last}].`;
    case 'before-backlog':
      return `Offset ${r.offset} fell out of the backlog, which starts at ${r.first}.`;
    case 'after-backlog':
      return `Offset ${r.offset} is past the backlog's end ${r.last}.`;
  }
}

export type SimEvent =
  | {
      readonly type: 'message';
      readonly id: number;
      readonly conn: number;
      readonly from: string;
      readonly to: string;
      readonly kind: MessageKind;
      /** Short text: `SET foo bar`, `+FULLRESYNC 8f3…:0`, `RDB 175 bytes`. */
      readonly label: string;
      readonly bytes: number;
      readonly sendAt: number;
      /** When its last byte leaves the sender (after queueing and transmission at the link's bandwidth). */
      readonly finishAt: number;
      readonly arriveAt: number;
      /** The commands carried by a STREAM message, with the stream offset of their first byte. */
      readonly commands?: ReadonlyArray<{ readonly off: number; readonly argv: readonly string[] }>;
      /** Valkey's dual-channel sync: the message travels on the replica's rdb channel. */
      readonly channel?: 'rdb';
    }
  | { readonly type: 'dropped'; readonly id: number; readonly at: number }
  | { readonly type: 'log'; readonly server: string; readonly line: string; readonly at: number }
  | {
      readonly type: 'replState';
      readonly server: string;
      readonly before: ReplState;
      readonly after: ReplState;
      readonly at: number;
    }
  | {
      readonly type: 'slaveState';
      readonly master: string;
      readonly replica: string;
      readonly state: SlaveState | 'gone';
      readonly at: number;
    }
  | {
      readonly type: 'offset';
      readonly server: string;
      readonly before: number;
      readonly after: number;
      readonly at: number;
    }
  | {
      readonly type: 'psync';
      readonly master: string;
      readonly replica: string;
      readonly replid: string;
      readonly offset: number;
      readonly checks: readonly PsyncCheck[];
      readonly result: 'continue' | 'fullresync' | 'nomasterlink' | 'dualchannelsync';
      /** The reply line: `+CONTINUE <id>` or `+FULLRESYNC <id> <offset>` (sent now or after the BGSAVE starts). */
      readonly reply: string;
      /** For +CONTINUE: the backlog bytes sent. */
      readonly bytes: number;
      /** The master's backlog (`repl_backlog->offset`, `histlen`) at the moment of the decision. */
      readonly backlog: { readonly offset: number; readonly histlen: number } | null;
      /** The master's `master_repl_offset` at the moment of the decision. */
      readonly master_repl_offset: number;
      readonly at: number;
    }
  | {
      readonly type: 'bgsave';
      readonly server: string;
      readonly phase: 'start' | 'end';
      readonly target: 'disk' | 'socket';
      /** A replica's full sync, or a BGSAVE command. */
      readonly purpose: 'replication' | 'bgsave';
      readonly at: number;
    }
  | { readonly type: 'net'; readonly server: string; readonly state: NetState; readonly at: number }
  | { readonly type: 'removed'; readonly server: string; readonly at: number }
  | {
      readonly type: 'resynced';
      readonly master: string;
      readonly replica: string;
      readonly kind: 'full' | 'partial';
      /** Bytes the master sent for it: the RDB size, or the backlog slice. */
      readonly bytes: number;
      /** When the PSYNC was sent and when the replica was online again. */
      readonly startedAt: number;
      readonly at: number;
    }
  | {
      readonly type: 'reply';
      readonly server: string;
      readonly ticket: number;
      readonly reply: Reply;
      readonly at: number;
    }
  | {
      readonly type: 'keyspace';
      readonly server: string;
      readonly keys: readonly string[];
      readonly at: number;
    };
