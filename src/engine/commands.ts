/**
 * The script's client session (server.c processCommand / call / propagatePendingCommands,
 * multi.c, config.c): runs a command, queues it inside MULTI, and propagates its effects to
 * the replication stream as one unit.
 */
import { replicationFeedSlaves, resizeReplicationBacklog } from './backlog';
import { configGet, configSet } from './config';
import { renderInfo, renderRole } from './info';
import { execKeyspaceCommand, isKeyspaceCommand, lookupCommand, unknownCommand } from './keyspace';
import { bgsaveCommand, makeRdb } from './rdb';
import { replicaofCommand } from './replica';
import {
  array,
  bulk,
  CONNECTION_CLOSED,
  err,
  OK,
  QUEUED,
  status,
  SYNTAX,
  wrongArity,
  type Reply,
} from './reply';
import { scheduleExpire } from './expire';
import { prepareForShutdown } from './server';
import type { ServerState } from './types';
import { waitCommand } from './wait';
import { dialect, emit, log, mstime, parseStrictInt, type World } from './world';

type Effects = Array<{ db: number; argv: string[] }>;

const READONLY = "READONLY You can't write against a read only replica.";

/** processCommand + call() for the script's client. Null means the client blocked (WAIT). */
export function processCommand(
  w: World,
  s: ServerState,
  argv: string[],
  ticket: number,
): Reply | null {
  // What redis-cli says when nothing listens any more (after SHUTDOWN).
  if (!s.alive) return err(`Could not connect to Redis at ${s.host}:${s.port}: Connection refused`);
  // A SHUTDOWN waiting for replicas holds the client (and pauses writes) until the process exits.
  if (s.shutdown) {
    s.shutdown.tickets.push(ticket);
    return null;
  }
  const name = (argv[0] ?? '').toLowerCase();
  const spec = lookupCommand(name, dialect(w).redisLine);
  const c = s.client;
  if (!spec) {
    if (c.multi) c.multiError = true;
    return unknownCommand(argv, dialect(w).redisLine);
  }
  if ((spec.arity > 0 && argv.length !== spec.arity) || argv.length < -spec.arity) {
    if (c.multi) c.multiError = true;
    return wrongArity(spec.name);
  }
  // processCommand: a read-only replica refuses a write from its clients (its master's stream
  // is applied elsewhere) before the command can be queued. 7.0's rejectCommand flags the
  // transaction; an EXEC with a queued write is refused whole (execCommandAbort).
  if (isReadOnlyReplica(s)) {
    const flags = dialect(w).readonlyInMulti === 'flag-abort';
    if (spec.write) {
      if (c.multi && flags) c.multiError = true;
      return err(READONLY);
    }
    if (name === 'exec' && c.multi && flags && queuesWrite(c.multi)) {
      c.multi = null;
      c.multiError = false;
      return err(`EXECABORT Transaction discarded because of: ${READONLY}`);
    }
  }
  if (c.multi && !['exec', 'discard', 'multi', 'watch', 'quit', 'reset'].includes(name)) {
    // Commands flagged no-multi in Redis refuse to be queued.
    if (['replicaof', 'slaveof', 'psync', 'sync', 'shutdown'].includes(name)) {
      c.multiError = true;
      return err('ERR Command not allowed inside a transaction');
    }
    c.multi.push(argv);
    return QUEUED;
  }
  switch (name) {
    case 'multi':
      if (c.multi) return err('ERR MULTI calls can not be nested');
      c.multi = [];
      c.multiError = false;
      return OK;
    case 'discard':
      if (!c.multi) return err('ERR DISCARD without MULTI');
      c.multi = null;
      return OK;
    case 'exec':
      return execCommand(w, s);
    case 'wait':
      return waitCommand(w, s, argv, ticket);
    case 'shutdown':
      return shutdownCommand(w, s, argv, ticket);
    default:
      return call(w, s, argv);
  }
}

/** execCommand: the queued commands run, their effects propagated wrapped in MULTI/EXEC. */
function execCommand(w: World, s: ServerState): Reply {
  const c = s.client;
  if (!c.multi) return err('ERR EXEC without MULTI');
  const queued = c.multi;
  c.multi = null;
  if (c.multiError) {
    c.multiError = false;
    return err('EXECABORT Transaction discarded because of previous errors.');
  }
  if (isReadOnlyReplica(s) && queuesWrite(queued))
    // 5.0 execCommand (7.0 refused it in processCommand).
    return err(
      'ERR Transaction contains write commands but instance is now a read-only slave. EXEC aborted.',
    );
  const replies: Reply[] = [];
  const effects: Effects = [];
  // 5.0: the db the client had when the first write command ran (MULTI goes there), if any.
  let multiDb: number | null = null;
  for (const argv of queued) {
    // No read-only check per command: one queued before CONFIG SET replica-read-only yes in
    // the same transaction still runs.
    const spec = lookupCommand(argv[0]!.toLowerCase(), dialect(w).redisLine);
    if (spec?.write && multiDb === null) multiDb = s.client.db;
    replies.push(callCollect(w, s, argv, effects, true));
  }
  if (dialect(w).execPropagation === 'any-write' && multiDb !== null) {
    // execCommandPropagateMulti, then each command that changed something, then EXEC.
    replicationFeedSlaves(w, s, multiDb, ['MULTI']);
    for (const e of effects) replicationFeedSlaves(w, s, e.db, e.argv);
    replicationFeedSlaves(w, s, s.client.db, ['EXEC']);
    s.client.woff = s.master_repl_offset;
  } else propagatePendingCommands(w, s, effects);
  return array(replies);
}

/** `server.masterhost && server.repl_slave_ro`. */
function isReadOnlyReplica(s: ServerState): boolean {
  return s.masterhost !== null && s.config['replica-read-only'];
}

/** `c->mstate.cmd_flags & CMD_WRITE`: does a queued command write? */
function queuesWrite(queued: readonly string[][]): boolean {
  return queued.some((argv) => lookupCommand(argv[0]!.toLowerCase())?.write === true);
}

/** call(): runs one command and propagates its effects as one unit. */
function call(w: World, s: ServerState, argv: string[]): Reply {
  const effects: Effects = [];
  const r = callCollect(w, s, argv, effects);
  propagatePendingCommands(w, s, effects);
  return r;
}

function callCollect(
  w: World,
  s: ServerState,
  argv: string[],
  effects: Effects,
  inMulti = false,
): Reply {
  const name = argv[0]!.toLowerCase();
  const c = s.client;
  if (!isKeyspaceCommand(name)) return serverCommand(w, s, argv);
  const res = execKeyspaceCommand(s.keyspace, argv, {
    nowMs: mstime(w),
    db: c.db,
    mode: s.masterhost ? 'replica' : 'master',
    line: dialect(w).redisLine,
    // Only a writable replica gets here with a write (is_ro_replica is false).
    forceDeleteExpired: s.masterhost !== null && dialect(w).redisLine >= 7,
    readOnlyReplica: isReadOnlyReplica(s),
    inMulti,
    lazyExpire: dialect(w).lazyfreeLazyExpire,
  });
  s.stat_expiredkeys += res.expired;
  for (const p of res.propagate) effects.push({ db: c.db, argv: p });
  if (res.propagate.length > 0) {
    emit(w, {
      type: 'keyspace',
      server: s.name,
      // a script's keys are those its effects name; PUBLISH names a channel, not a key
      keys:
        name === 'eval'
          ? [...new Set(res.propagate.filter((p) => p.length > 1).map((p) => p[1]!))]
          : name === 'publish' || argv.length < 2
            ? []
            : [argv[1]!],
      at: w.state.now,
    });
    if (res.propagate.some(setsExpire)) scheduleExpire(w, s);
  }
  return res.reply;
}

/** propagatePendingCommands: several effects of one unit are wrapped in MULTI/EXEC. */
function propagatePendingCommands(w: World, s: ServerState, effects: Effects): void {
  if (effects.length === 0) return;
  // 7.0 propagates a command's effects together (wrapped when several); before, each went out
  // as it happened (a script wraps its own in MULTI/EXEC).
  if (effects.length > 1 && dialect(w).redisLine >= 7) {
    replicationFeedSlaves(w, s, effects[0]!.db, ['MULTI']);
    for (const e of effects) replicationFeedSlaves(w, s, e.db, e.argv);
    replicationFeedSlaves(w, s, effects[effects.length - 1]!.db, ['EXEC']);
  } else {
    for (const e of effects) replicationFeedSlaves(w, s, e.db, e.argv);
  }
  s.client.woff = s.master_repl_offset;
}

/** Does a propagated command set a TTL (so active expiry must be scheduled)? */
function setsExpire(argv: readonly string[]): boolean {
  const n = argv[0]!.toUpperCase();
  if (n === 'PEXPIREAT' || n === 'EXPIRE' || n === 'PEXPIRE' || n === 'EXPIREAT') return true;
  return n === 'SET' && argv.some((a) => /^(PXAT|EX|PX|EXAT|KEEPTTL)$/i.test(a));
}

/** The commands that are not about keys. */
function serverCommand(w: World, s: ServerState, argv: string[]): Reply {
  const name = argv[0]!.toLowerCase();
  switch (name) {
    case 'ping':
      if (argv.length > 2) return wrongArity('ping');
      return argv.length === 2 ? bulk(argv[1]!) : status('PONG');
    case 'echo':
      return bulk(argv[1]!);
    case 'select': {
      const db = parseStrictInt(argv[1]!);
      if (db === null) return err('ERR value is not an integer or out of range');
      if (db < 0 || db >= 16) return err('ERR DB index is out of range');
      s.client.db = db;
      return OK;
    }
    case 'info':
      return bulk(renderInfo(w.state, s, argv.slice(1)));
    case 'role':
      return renderRole(s);
    case 'config':
      return configCommand(w, s, argv);
    case 'replicaof':
    case 'slaveof':
      return replicaofCommand(w, s, argv);
    case 'replconf':
      return OK;
    case 'psync':
    case 'sync':
      return err('ERR PSYNC from the lab client is not supported: use REPLICAOF');
    case 'save':
      if (s.child) return err('ERR Background save already in progress');
      s.rdbOnDisk = makeRdb(w, s);
      log(w, s, 'notice', 'DB saved on disk');
      return OK;
    case 'bgsave':
      return bgsaveCommand(w, s, argv);
    default:
      return unknownCommand(argv, dialect(w).redisLine);
  }
}

/**
 * shutdownCommand. 7.0: SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]; ABORT alone, and not with
 * both SAVE and NOSAVE. The client blocks until the process exits (a master may first wait for
 * its replicas). 5.0: SHUTDOWN [NOSAVE|SAVE] only.
 */
function shutdownCommand(w: World, s: ServerState, argv: string[], ticket: number): Reply | null {
  const args = argv.slice(1).map((x) => x.toLowerCase());
  const all = dialect(w).shutdownWaitsForReplicas;
  if (!all && args.length > 1) return SYNTAX;
  let save: boolean | null = null;
  let nosave = false;
  let now = false;
  let abort = false;
  let flagged = false;
  for (const a of args) {
    if (a === 'nosave') nosave = true;
    else if (a === 'save') save = true;
    else if (all && a === 'now') now = true;
    else if (all && a === 'abort') abort = true;
    else if (!all || a !== 'force') return SYNTAX;
    if (a !== 'abort') flagged = true;
  }
  if ((abort && flagged) || (nosave && save)) return SYNTAX;
  // A SHUTDOWN under way holds this client until the process exits, so an ABORT here never finds one.
  if (abort) return err('ERR No shutdown in progress.');
  if (nosave) save = false;
  return prepareForShutdown(w, s, { save, now }, false, ticket) ? CONNECTION_CLOSED : null;
}

function configCommand(w: World, s: ServerState, argv: string[]): Reply {
  const sub = (argv[1] ?? '').toLowerCase();
  if (dialect(w).configSyntax !== 'multi') return configCommandOneByOne(w, s, argv);
  if (sub === 'get') {
    if (argv.length < 3) return wrongArity('config|get');
    return configGet(s.config, argv.slice(2), w.state.version);
  }
  if (sub === 'set') {
    if (argv.length < 4) return wrongArity('config|set');
    // Name-value pairs: an odd count of arguments is refused before anything is looked up.
    if (argv.length % 2 !== 0) return SYNTAX;
    const before = s.config['repl-backlog-size'];
    const r = configSet(s.config, argv.slice(2), w.state.version);
    if (r.t !== 'error' && s.config['repl-backlog-size'] !== before)
      resizeReplicationBacklog(w, s, before);
    return r;
  }
  if (sub === 'resetstat') {
    if (argv.length !== 2) return wrongArity('config|resetstat');
    return resetServerStats(s);
  }
  return err(`ERR unknown subcommand '${(argv[1] ?? '').slice(0, 128)}'. Try CONFIG HELP.`);
}

/** resetServerStats: the counters INFO stats shows. */
function resetServerStats(s: ServerState): Reply {
  s.stat_sync_full = 0;
  s.stat_sync_partial_ok = 0;
  s.stat_sync_partial_err = 0;
  s.stat_expiredkeys = 0;
  return OK;
}

/**
 * Redis ≤ 6.2's configCommand: one parameter per GET or SET, and every other shape (a wrong
 * count included) answered by addReplySubcommandSyntaxError, naming the subcommand as typed.
 */
function configCommandOneByOne(w: World, s: ServerState, argv: string[]): Reply {
  const sub = (argv[1] ?? '').toLowerCase();
  if (sub === 'get' && argv.length === 3)
    return configGet(s.config, argv.slice(2), w.state.version);
  if (sub === 'set' && argv.length === 4) {
    const before = s.config['repl-backlog-size'];
    const r = configSet(s.config, argv.slice(2), w.state.version);
    if (r.t !== 'error' && s.config['repl-backlog-size'] !== before)
      resizeReplicationBacklog(w, s, before);
    return r;
  }
  if (sub === 'resetstat' && argv.length === 2) return resetServerStats(s);
  return err(
    `ERR Unknown subcommand or wrong number of arguments for '${argv[1] ?? ''}'. Try CONFIG HELP.`,
  );
}
