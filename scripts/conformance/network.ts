/**
 * How the real side wires its redis-server processes together. real.ts runs the lab script and
 * asks its network where each server listens, how to start it, what address a REPLICAOF must name
 * and what a `net` statement does. Two networks:
 * - the proxy network (real.ts `ProxyNetwork`, proxy.ts): every server on loopback, replicas reach
 *   their masters through our TCP proxy, which cuts links by resetting or swallowing bytes;
 * - the kernel network (kernel.ts): one network namespace per server joined by a bridge, cut by
 *   taking interfaces down, so the kernel's own TCP (retransmissions, SYN retries, "Network is
 *   unreachable") is what the servers meet.
 */
import type { ChildProcess } from 'node:child_process';
import type { Reply } from '../../src/engine/reply';
import type { NetOp } from '../../src/lab/ast';

/** How the harness reaches a server: a loopback TCP port, or a unix socket path. */
export type Endpoint = { readonly port: number; readonly host: string } | { readonly path: string };

/** A declared server as the network sees it. */
export interface NetServer {
  readonly name: string;
  /** The address its `server` statement declares. */
  readonly host: string;
  readonly port: number;
  /** Declaration index: 0 for the first `server` statement. */
  readonly index: number;
  /** The server's own temp dir (config, log, RDB, unix socket). */
  readonly dir: string;
}

export interface RealNetwork {
  /** Called once per `server` statement, before the server starts. */
  declare(s: NetServer): Promise<void>;
  /** redis.conf lines saying where the server listens (port, bind, unixsocket). */
  listenConfig(s: NetServer): string[];
  /** How the harness's client session and observation connection reach the server. */
  endpoint(s: NetServer): Endpoint;
  /**
   * Starts redis-server with this config file at wall-clock time `atMs` (ms since the epoch), or
   * now: its cron phase starts at that moment. Called ahead of `atMs`; the server starts on time
   * by itself (real.ts `Launcher`).
   */
  spawnServer(s: NetServer, conf: string, atMs?: number): ChildProcess;
  /** The address `from` must be given (REPLICAOF, or `replicaof` in its config) to reach `to`. */
  replicaTarget(from: NetServer, to: NetServer): Promise<{ host: string; port: number }>;
  /** A `net NAME OP` statement. */
  setNet(s: NetServer, op: NetOp): Promise<void>;
  /** The server is about to stop (restart, remove) or has started again. */
  setRunning(s: NetServer, running: boolean): Promise<void>;
  /** A `latency … bandwidth SIZE` statement (null: unlimited). */
  setBandwidth(bytesPerSec: number | null): void;
  /** Maps real addresses in replies, INFO, ROLE and logs back to the declared ones. */
  readonly addresses: AddressMapper;
  /** Tears everything down (also on errors). */
  close(): Promise<void>;
}

/** Address mapping of observations, real → declared (identity when they are the same). */
export interface AddressMapper {
  text(s: string): string;
  info(fields: ReadonlyArray<readonly [string, string]>): Array<[string, string]>;
  role(r: Reply): Reply;
  reply(r: Reply, cmd: string): Reply;
}
