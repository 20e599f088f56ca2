/** The opening scene and the store's fixed limits. */

export const SPEEDS = [0.25, 0.5, 1, 2, 5, 10] as const;
export const MAX_REPLICAS = 3;

/**
 * Messages drawn at once on one channel (one direction between two servers): the first ones to
 * arrive. Those sent after them wait their turn in the view (`waiting`), as they wait in the
 * sender's socket, so the packet moving on a slow wire is always the next to arrive.
 */
export const MAX_MESSAGES_PER_CHANNEL = 40;
/**
 * Messages waiting their turn per channel, at most: a link about 200 s behind its writes at 1 KB/s.
 * Those sent beyond are neither drawn nor counted (the view's memory stays bounded).
 */
export const MAX_WAITING_PER_CHANNEL = 5000;
export const MAX_CONSOLE = 200;
/**
 * Keys a view remembers as recently changed, per server (the newest ones): a card lists at most
 * seven, most recent first, then the rest in key order (a compact card's tooltip names twenty).
 * Remembering every key a stream ever wrote made each write copy a record as large as the
 * keyspace.
 */
export const MAX_FLASHED_KEYS = 32;
/**
 * A long wait (a `wait` statement, a lesson step's wait) runs in parts of this much simulated
 * time, the views folding each part's events: a day of pings and crons never waits in one array.
 */
export const WAIT_PART_MS = 60 * 60_000;
/** Log lines kept per server view (the engine keeps more). */
export const MAX_LOG = 200;
/** The write rate is measured over this much simulated time. */
export const RATE_WINDOW_MS = 30_000;
/** A dropped message fades out for this long before it leaves the wire. */
export const DROP_FADE_MS = 1500;
/** skipToNext gives up after this much simulated time without a milestone. */
export const SKIP_LIMIT_MS = 120_000;
/**
 * While playing, a server's key list is rebuilt at most every this many frames (about ten times a
 * second), and one server's a frame: under a stream of writes each rebuild reads a whole keyspace,
 * and the lists are text, read at that rate anyway (useLabText). A pause, or any reader that
 * settles, brings them all up to date at once.
 */
export const KEY_LIST_EVERY_FRAMES = 6;
/** Longest real-time gap one animation frame may turn into (a background tab, a debugger). */
export const MAX_FRAME_MS = 100;

export const MASTER_HOST = '192.168.157.144';
export const DEFAULT_WRITE = 'SET key:{n} "valor {n}"';

/** The opening scene: a master with a few keys, then replica1 asks to replicate it. */
export const INITIAL_SCRIPT = [
  'latency 400ms bandwidth 1kb',
  `server master ${MASTER_HOST}:6379`,
  'server replica1 192.168.157.146:6379',
  'master CONFIG SET repl-diskless-sync no',
  'master SET curso:1 "Introducción a Redis"',
  'master HSET curso:2 nombre "Replicación en Redis" duration 20',
  'master RPUSH alumnos ana luis marta',
  `replica1 REPLICAOF ${MASTER_HOST} 6379`,
];

/** Below this many bytes per second the master counts as not writing (no countdown). */
export const MIN_RATE = 0.5;

/** The servers a run can imitate, oldest first (the version selector's choices). */
export { VERSIONS } from '../engine/dialect';
export type { Version } from '../engine/types';
