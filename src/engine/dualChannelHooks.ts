/**
 * The replica's side of Valkey's dual-channel sync (dualChannel.ts) is on-demand code: only a
 * Valkey 8 replica with dual-channel-replication-enabled runs it, and a Valkey version waits for
 * the on-demand chunk anyway (its log wording, `versionReady`). The engine reaches it through
 * `dualChannel()` here; `installOnDemandCode` (dialect.ts) installs it.
 */
import type { Conn, ServerState, StreamEntry, ToReplica } from './types';
import type { World } from './world';

/** What the engine calls of the replica's side of a dual-channel sync (dualChannel.ts). */
export interface DualChannelCode {
  /** `+DUALCHANNELSYNC`: open the rdb channel. */
  dualChannelStart(w: World, s: ServerState, target: ServerState | undefined, addr: string): void;
  /** The rdb channel's handshake, one step per reply (null: connected). */
  rdbChannelReceive(w: World, s: ServerState, c: Conn, msg: ToReplica | null): void;
  /** The main channel during a dual-channel sync; false when the message is not its business. */
  mainChannelReceive(w: World, s: ServerState, c: Conn, msg: ToReplica): boolean;
  /** The writes made during the transfer, buffered until the RDB is loaded. */
  bufferReplData(s: ServerState, entries: readonly StreamEntry[]): void;
}

let code: DualChannelCode | null = null;

export function installDualChannel(c: DualChannelCode): void {
  code = c;
}

/** The replica's side of a dual-channel sync (throws if the on-demand code is not installed). */
export function dualChannel(): DualChannelCode {
  if (!code) throw new Error('dual-channel replication is not installed (installOnDemandCode)');
  return code;
}
