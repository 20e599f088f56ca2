import type { Version } from '../engine/types';
/**
 * The lab script, parsed. One plain-text language is spoken by the built-in lessons, URL state,
 * the embed API, the in-app console, the headless CLI (`npm run sim`) and the conformance tests.
 * See docs/lab-script.md for the grammar.
 */

/** Where a statement came from, 1-based, for error messages ("line 3, column 9"). */
export interface Pos {
  readonly line: number;
  readonly col: number;
}

/** What a `net` statement does to a server's network. */
export type NetOp = 'down' | 'silent' | 'up' | 'stop' | 'start';

export type Statement =
  /** `server NAME [HOST:PORT]` declares a server; it starts as a master. */
  | {
      readonly kind: 'server';
      readonly pos: Pos;
      readonly name: string;
      readonly host: string;
      readonly port: number;
    }
  /** `NAME COMMAND ARGS...` runs a Redis command in NAME's one client session (redis-cli quoting). */
  | {
      readonly kind: 'command';
      readonly pos: Pos;
      readonly server: string;
      readonly argv: readonly string[];
    }
  /** `wait 6s` advances simulated time (ms, s, m; decimals allowed: 1.5s). */
  | { readonly kind: 'wait'; readonly pos: Pos; readonly ms: number }
  /**
   * `net NAME OP`: cut or restore NAME's network.
   * - `down`: its connections are reset (both ends told at once); new connections are refused.
   * - `down silent`: packets between it and the others vanish in the network; nobody is told;
   *   TCP retransmits what was lost once the network is back (`up`).
   * - `stop`: its own interface goes down, as `rc-service networking stop` does (the slides'
   *   cut): like a silent cut for its peers, but its own connects fail at once with "Network is
   *   unreachable"; `start` brings the interface back.
   * - `up` / `start`: restore.
   */
  | {
      readonly kind: 'net';
      readonly pos: Pos;
      readonly server: string;
      readonly op: NetOp;
    }
  /** `restart NAME`: SHUTDOWN (saving an RDB with its replication info) and start again. */
  | { readonly kind: 'restart'; readonly pos: Pos; readonly server: string }
  /** `remove NAME`: SHUTDOWN NOSAVE for good; the server leaves the lab and its name is free again. */
  | { readonly kind: 'remove'; readonly pos: Pos; readonly server: string }
  /** `show log NAME` prints the server's log lines so far; `show info NAME` its INFO replication. */
  | {
      readonly kind: 'show';
      readonly pos: Pos;
      readonly what: 'log' | 'info';
      readonly server: string;
    }
  /** `clock 2020-02-27 14:06:23[.mmm]`: the simulated wall clock at time 0 (UTC). Before any server. */
  | { readonly kind: 'clock'; readonly pos: Pos; readonly wallMs: number }
  /** `version 5.0` … `version valkey-8.0`: which server the run imitates (log texts, defaults). Before any server. */
  | { readonly kind: 'version'; readonly pos: Pos; readonly version: Version }
  /** `latency 300ms` (and optional `bandwidth 10mb`): one-way delay / throughput of every link. */
  | {
      readonly kind: 'link';
      readonly pos: Pos;
      readonly latencyMs: number;
      readonly bytesPerSec: number | null;
    };

export interface Script {
  readonly statements: readonly Statement[];
}

/** A script error: where and what. `toString()` gives "line 3, column 9: unknown server 'replica2'". */
export class LabScriptError extends Error {
  readonly line: number;
  readonly col: number;
  readonly reason: string;
  constructor(pos: Pos, reason: string) {
    super(`line ${pos.line}, column ${pos.col}: ${reason}`);
    this.name = 'LabScriptError';
    this.line = pos.line;
    this.col = pos.col;
    this.reason = reason;
  }
}
