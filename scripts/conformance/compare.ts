/**
 * Compares what the engine (a) and real Redis (b) showed for the same lab script and returns the
 * FIRST disagreement, after normalising what is inherently run-dependent. Every rule here is also
 * listed in scripts/conformance/README.md.
 *
 * - Replication IDs (40 hex chars) are compared by role: a bijection engine-id ↔ real-id is built
 *   on first sight, in order of appearance across the run (step replies, INFO, ROLE, then logs);
 *   a clash is a difference. The all-zeros id maps only to itself.
 * - Addresses: real.ts already maps real loopback ports and pair-proxy ports back to the script's
 *   declared addresses, so both sides speak in declared `host:port`.
 * - INFO replication fields, all compared; loose ones:
 *   - master_last_io_seconds_ago: both -1, or both >= 0 and (both <= P+1, or |a-b| <= 2), where P
 *     is repl-ping-replica-period (10, or the largest value the script CONFIG SETs).
 *   - master_link_down_since_seconds: both -1, or both >= 0 and |a-b| <= 2, or both at least
 *     1e9 (Redis ≤ 6.2 shows the unix time while the link was never up).
 *   - master_sync_last_io_seconds_ago (only during a transfer): both >= 0 and |a-b| <= 2.
 *   - master_sync_read_bytes / master_sync_left_bytes (only during a transfer over a link with a
 *     `bandwidth`): within what the link carries in 250 ms (a real transfer starts a fork, a
 *     cron tick and a proxy slice later or earlier); master_sync_perc within the same share of
 *     master_sync_total_bytes. Without a bandwidth, exact.
 *   - slave_read_repl_offset (a replica reads a command's bytes as they arrive, and applies it to
 *     slave_repl_offset when whole): over a link with a `bandwidth`, within the same 250 ms of
 *     bytes; without, exact.
 *   - slaveN: ip, port, state exact; offset equal, or both in 0..master_repl_offset of their own
 *     side (the ACK arrives once a second, so the real one may lag); lag within 1 s.
 *     slaveN lines are sorted by address first (their order is the PSYNCs' arrival order).
 *   - everything else exact, including repl_backlog_histlen and repl_backlog_first_byte_offset.
 * - ROLE: exact, except a master's per-replica ack offset (equal, or both in 0..its offset).
 * - Command replies: exact, except KEYS, SMEMBERS, SINTER, SUNION, SDIFF (multisets: hash-table
 *   order is arbitrary, also inside EXEC) and HGETALL (a set of field-value pairs, for the same
 *   reason once a hash is no longer a listpack), and INFO replies: `# Replication` fields with the INFO
 *   rules above; other sections only the fields in INFO_OTHER_FIELDS, exactly.
 * - Logs: only replication lines (REPLICATION_LOG_PREFIXES / _PATTERNS, matched on the message after
 *   the `pid:R dd Mon yyyy HH:MM:SS.mmm L ` prefix); role char R and level char L compared, pid and
 *   time not. In messages: pids ("by pid N", "Killing process N") and client ids ("client id #N",
 *   Valkey's "and client-id N") ignored, the client info after
 *   "user request from" ignored; in the client info of the output-buffer-limit lines, id, the
 *   peer's port, fd, qbuf-free, rbs, rbp, tot-mem and Valkey's tot-net-in (it counts the real
 *   replica's REPLCONF listening-port, the real port) ignored (normaliseClientInfo); every other
 *   number exact (RDB sizes, omem and oll included).
 */
import type { Reply } from '../../src/engine/reply';
import type { Script } from '../../src/lab/ast';
import type { RunObservation, StepObservation } from '../../src/lab/observation';

/** 2001-09-09: a master_link_down_since_seconds this large is a unix time, not a duration. */
const UNIX_TIME_2001 = 1_000_000_000;

export interface Difference {
  /** Statement index (null for logs). */
  readonly index: number | null;
  /** Statement text (or "log NAME"). */
  readonly text: string;
  readonly field: string;
  readonly engine: string;
  readonly real: string;
  /** All of the above, readable, several lines. */
  readonly message: string;
}

export interface CompareContext {
  readonly servers: ReadonlyArray<{ name: string; host: string; port: number }>;
  /** The script, to know each command's argv (MULTI/EXEC bodies, multiset commands). */
  readonly script?: Script;
  /** repl-ping-replica-period; by default 10 or the largest value the script CONFIG SETs. */
  readonly pingPeriod?: number;
}

/** How many bytes apart two RDB transfers' progress may be: 250 ms at the script's bandwidth. */
function syncBytesSlack(ctx: CompareContext): number {
  let bps: number | null = null;
  for (const st of ctx.script?.statements ?? []) if (st.kind === 'link') bps = st.bytesPerSec;
  return bps === null ? 0 : Math.ceil(bps / 4);
}

/** Replication log messages compared (prefix of the message after the line prefix). */
export const REPLICATION_LOG_PREFIXES: readonly string[] = [
  // every NOTICE/WARNING serverLog format string of 7.0.15 replication.c (text before the first %)
  '(Non critical) Master does not understand REPLCONF capa: ',
  '(Non critical) Master does not understand REPLCONF ip-address: ',
  '(Non critical) Master does not understand REPLCONF listening-port: ',
  'BGSAVE for replication failed',
  "BGSAVE for replication: replication information not available, can't generate the RDB file right now. Try later.",
  "Bad protocol from MASTER, the first byte is not '$' (we received '",
  'Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.',
  'Caching the disconnected master state.',
  "Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC",
  "Can't create readable event for SYNC: ",
  'Connecting to MASTER ',
  'Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC',
  'Delay next BGSAVE for diskless SYNC',
  'Discarding previously cached master state.',
  'Disconnecting timedout replica (full sync): ',
  'Disconnecting timedout replica (streaming sync): ',
  'Disconnecting timedout replica: ', // ≤ 6.2
  'Diskless rdb transfer, done reading from pipe, ',
  'Diskless rdb transfer, last replica dropped, killing fork child.',
  'Diskless rdb transfer, read error sending DB to replicas: ',
  'Diskless rdb transfer, write error sending DB to replica: ',
  'Error condition on socket for SYNC: ',
  "Error reply to PING from master: '",
  'Error resurrecting the cached master, impossible to add the readable handler: ',
  'Error resurrecting the cached master, impossible to add the writable handler: ',
  'Error truncating the RDB file received from the master for SYNC: ',
  'FAILOVER requested to ',
  'FAILOVER requested to any replica.',
  'FAILOVER to ',
  'FAILOVER to any replica aborted: ',
  "FATAL: this replica instance finished the synchronization with its master, but the AOF can't be turned on. Exiting now.",
  'Failed enabling the AOF after successful master synchronization! Trying it again in one second.',
  'Failed to read response from the server: ',
  'Failed trying to load the MASTER synchronization DB from disk: ',
  'Failed trying to load the MASTER synchronization DB from socket: ',
  'Failed trying to rename the temp DB into ',
  'Failed trying to sync DB directory ',
  'Failed trying to sync the temp DB to disk in MASTER <-> REPLICA synchronization: ',
  'Failover request received for replid ',
  'Failover target ',
  'Full resync from master: ',
  'Full resync requested by replica ',
  'I/O error reading bulk count from MASTER: ',
  'I/O error trying to sync with MASTER: ',
  'I/O error writing to MASTER: ',
  "Latest backlog is: '",
  'MASTER <-> REPLICA sync started',
  'MASTER <-> REPLICA sync: Discarding old DB in background',
  'MASTER <-> REPLICA sync: Discarding temporary DB in background',
  'MASTER <-> REPLICA sync: Finished with success',
  'MASTER <-> REPLICA sync: Flushing old data',
  'MASTER <-> REPLICA sync: Loading DB in memory',
  'MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.',
  'MASTER <-> REPLICA sync: Swapping active DB with loaded DB',
  'MASTER <-> REPLICA sync: receiving ',
  'MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF ',
  "MASTER MODE enabled (failover request from '",
  "MASTER MODE enabled (user request from '",
  'MASTER aborted replication with an error: ',
  'MASTER timeout: no data nor PING received...',
  'Master did not reply to PSYNC, will try later',
  'Master did not respond to command during SYNC handshake',
  'Master does not support PSYNC or is in error state (reply: ',
  'Master is currently unable to PSYNC but should be in the future: ',
  'Master replication ID changed to ',
  'Master replied to PING, replication can continue...',
  'Master replied with wrong +FULLRESYNC syntax.',
  'No BGSAVE in progress, but another BG operation is active. BGSAVE for replication delayed',
  'Non blocking connect for SYNC fired the event.',
  'Opening the temp file needed for MASTER <-> REPLICA synchronization: ',
  "Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '",
  'Partial resynchronization not accepted: Requested offset for second ID was ',
  'Partial resynchronization not possible (no cached master)',
  'Partial resynchronization request from ',
  'RDB transfer completed, rdb only replica (',
  'REPLICAOF ',
  'REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.',
  'Read error sending DB to replica: ',
  'Reconnecting to MASTER ',
  'Removing the RDB file obtained from the master. This replica has persistence disabled',
  'Removing the RDB file used to feed replicas in a persistence-less instance',
  'Replica ',
  'Replica is about to load the RDB file received from the master, but there is a pending RDB child running. Killing process ',
  "Replication backlog created, my new replication IDs are '",
  'Replication backlog freed after ',
  'Replication stream EOF marker is broken',
  'Retrying with SYNC...',
  'SYNC failed. BGSAVE child returned an error',
  "SYNC failed. Can't open/stat DB after BGSAVE: ",
  'Sending command to master in replication handshake: ',
  'Setting secondary replication ID to ',
  'Skipping diskless-load because there are modules that are not aware of async replication.',
  "Skipping diskless-load because there are modules that don't handle read errors.",
  'Starting BGSAVE for SYNC with target: ',
  'Streamed RDB transfer with replica ',
  'Successful partial resynchronization with master.',
  'Synchronization with replica ',
  'Timeout connecting to the MASTER...',
  "Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.",
  'Trying a partial resynchronization (request ',
  'Unable to AUTH to MASTER: ',
  'Unable to connect to MASTER: ',
  'Unable to partial resync with replica ',
  'Unable to send PSYNC to master: ',
  'Unexpected reply to PSYNC from master: ',
  'Waiting for end of BGSAVE for SYNC',
  'Warning: replica ',
  'Write error or short write writing to the DB dump file needed for MASTER <-> REPLICA synchronization: ',
  'Write error sending DB to replica: ',
  'Write error sending RDB preamble to replica: ',
  'syncWithMaster(): state machine error, state should be RECEIVE_PSYNC but is ',
  // from networking.c / rdb.c / server.c
  'Connection with master lost.',
  'Connection with replica ',
  'Background saving started by pid ',
  'Background saving terminated with success',
  'Background saving terminated by signal ',
  'Background transfer terminated by signal ',
  'Background RDB transfer started by pid ',
  'Background RDB transfer terminated with success',
  'Done loading RDB, keys loaded: ',
  'Waiting for replicas before shutting down.',
  'Lagging replica ',
  'There is a child saving an .rdb. Killing it!',
  // Valkey 8.0.1's words for a 7.0 line above (replication.c readSyncBulkPayload)
  'I/O error reading bulk count from PRIMARY: ',
  // Valkey 8.0.1's dual-channel sync (replication.c), in its own words
  'Aborting dual channel sync',
  'Error condition on socket for dual channel replication: ',
  'PSYNC is not possible, initialize RDB channel.',
  'Primary <-> REPLICA sync: Primary accepted a Partial Resynchronization',
  'Primary does not understand REPLCONF identify: ',
  'Received unexpected $ENDOFF response: ',
  'Sending to replica ',
  'Server does not support sync with offset, dual channel sync approach cannot be used: ',
  'Successfully streamed replication data into memory',
  'Trying a partial resynchronization using main channel (request ',
];
export const REPLICATION_LOG_PATTERNS: readonly RegExp[] = [
  /^\d+ of \d+ replicas are in sync when shutting down\.$/,
  /^Client .* scheduled to be closed ASAP for overcoming of output buffer limits\.$/,
  /^Client .* closed for overcoming of output buffer limits\.$/,
];

/**
 * CLIENT LIST fields of the client info in the output-buffer-limit lines that depend on the rest
 * of the process, not on replication: the client id (our own observer connections take ids), the
 * peer's ephemeral port, the file descriptor, and the sizes of the client's own query and reply
 * buffers (resized by clientsCron on its own schedule) with the total they go into. Everything
 * else is compared, `omem` and `oll` (the shared replication buffer it holds) included.
 */
function normaliseClientInfo(info: string): string {
  return (
    info
      .replace(/\bid=\d+/, 'id=<id>')
      .replace(/\baddr=([^ ]*):\d+/, 'addr=$1:<port>')
      .replace(/\bfd=-?\d+/, 'fd=<fd>')
      .replace(/\bqbuf-free=\d+/, 'qbuf-free=<n>')
      .replace(/\brbs=\d+ rbp=\d+/, 'rbs=<n> rbp=<n>')
      .replace(/\btot-mem=\d+/, 'tot-mem=<n>')
      // Valkey: the bytes read from the replica, its REPLCONF listening-port with the real server's
      // port among them (5 digits on the proxy runner, where the engine sends the declared port).
      .replace(/\btot-net-in=\d+/, 'tot-net-in=<n>')
  );
}
/** Non-replication INFO fields compared (exactly) when a script runs INFO with other sections. */
export const INFO_OTHER_FIELDS: ReadonlySet<string> = new Set([
  'sync_full',
  'sync_partial_ok',
  'sync_partial_err',
  'expired_keys',
  ...Array.from({ length: 16 }, (_, i) => `db${i}`),
]);
const MULTISET_COMMANDS: ReadonlySet<string> = new Set([
  'KEYS',
  'SMEMBERS',
  'SINTER',
  'SUNION',
  'SDIFF',
  'HKEYS',
  'HVALS',
]);
/**
 * A stream ID made from the clock (`XADD key *`): the engine's ms comes from its simulated clock,
 * the server's from the wall clock, so two such IDs are equal as IDs (13-digit ms, any seq).
 * Explicit IDs with fewer digits are compared exactly.
 */
const CLOCK_STREAM_ID_RE = /^[1-9][0-9]{12}-[0-9]+$/;
const ZERO_ID = '0'.repeat(40);
const ID_RE = /\b[0-9a-f]{40}\b/g;
const LOG_RE = /^(\d+):([A-Z]) (\d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2}\.\d{3}) ([.\-*#]) (.*)$/;

class Mismatch extends Error {
  constructor(
    readonly field: string,
    readonly engine: string,
    readonly real: string,
    readonly note = '',
  ) {
    super(field);
  }
}

/** The engine-id ↔ real-id bijection. */
class IdMap {
  private readonly e2r = new Map<string, string>();
  private readonly r2e = new Map<string, string>();
  pair(field: string, e: string, r: string): void {
    if (e === ZERO_ID || r === ZERO_ID) {
      if (e !== r) throw new Mismatch(field, e, r, 'the all-zeros id maps only to itself');
      return;
    }
    const knownR = this.e2r.get(e);
    const knownE = this.r2e.get(r);
    if (knownR === undefined && knownE === undefined) {
      this.e2r.set(e, r);
      this.r2e.set(r, e);
      return;
    }
    if (knownR !== r || knownE !== e) {
      throw new Mismatch(
        field,
        e,
        r,
        `replication id mismatch: engine ${e} was paired with real ${knownR ?? '(none)'}, real ${r} with engine ${knownE ?? '(none)'}`,
      );
    }
  }
  /** Compare two texts: ids paired in order, the rest exact. */
  text(field: string, e: string, r: string): void {
    const ei = e.match(ID_RE) ?? [];
    const ri = r.match(ID_RE) ?? [];
    const ee = e.replace(ID_RE, '<id>');
    const rr = r.replace(ID_RE, '<id>');
    if (ei.length !== ri.length || ee !== rr) throw new Mismatch(field, e, r);
    ei.forEach((x, i) => this.pair(field, x, ri[i]!));
  }
}

const show = (r: Reply | undefined): string => (r === undefined ? '(nothing)' : JSON.stringify(r));
const num = (s: string | undefined): number => (s === undefined || s === '' ? NaN : Number(s));

function pingPeriodOf(ctx: CompareContext): number {
  if (ctx.pingPeriod !== undefined) return ctx.pingPeriod;
  let p = 10;
  for (const st of ctx.script?.statements ?? []) {
    if (st.kind !== 'command') continue;
    const a = st.argv.map((x) => x.toLowerCase());
    for (let i = 2; a[0] === 'config' && a[1] === 'set' && i + 1 < a.length; i += 2) {
      if (a[i] === 'repl-ping-replica-period' || a[i] === 'repl-ping-slave-period')
        p = Math.max(p, num(a[i + 1]));
    }
  }
  return p;
}

function parseKv(v: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of v.split(',')) {
    const i = part.indexOf('=');
    m.set(i < 0 ? part : part.slice(0, i), i < 0 ? '' : part.slice(i + 1));
  }
  return m;
}

class Comparer {
  readonly ids = new IdMap();
  constructor(
    private readonly ping: number,
    private readonly syncSlack = 0,
  ) {}

  /** master_sync_total_bytes of the INFO being compared (the base of master_sync_perc). */
  private syncTotal = '';

  info(
    where: string,
    e0: ReadonlyArray<readonly [string, string]>,
    r0: ReadonlyArray<readonly [string, string]>,
    other = false,
  ): void {
    // slaveN lines come in the order the replicas' PSYNCs arrived, a race when several replicas
    // reconnect at the same moment: compare them sorted by address.
    const e = sortSlaveLines(e0);
    const r = sortSlaveLines(r0);
    const ek = e.map(([k]) => k);
    const rk = r.map(([k]) => k);
    if (!other && ek.join('\n') !== rk.join('\n')) {
      let i = 0;
      while (ek[i] === rk[i]) i++;
      throw new Mismatch(
        `${where} field #${i}`,
        ek[i] ?? '(no more fields)',
        rk[i] ?? '(no more fields)',
        `engine fields: ${ek.join(' ')}\nreal fields:   ${rk.join(' ')}`,
      );
    }
    const emap = new Map(e.map(([k, v]) => [k, v]));
    const rmap = new Map(r.map(([k, v]) => [k, v]));
    const keys = other ? [...new Set([...ek, ...rk])].filter((k) => INFO_OTHER_FIELDS.has(k)) : ek;
    this.syncTotal = emap.get('master_sync_total_bytes') ?? '';
    for (const k of keys) {
      const ev = emap.get(k);
      const rv = rmap.get(k);
      const field = `${where} ${k}`;
      if (ev === undefined || rv === undefined)
        throw new Mismatch(field, ev ?? '(missing)', rv ?? '(missing)');
      this.infoField(
        field,
        k,
        ev,
        rv,
        num(emap.get('master_repl_offset')),
        num(rmap.get('master_repl_offset')),
      );
    }
  }

  private infoField(
    field: string,
    k: string,
    ev: string,
    rv: string,
    eOff: number,
    rOff: number,
  ): void {
    const a = num(ev);
    const b = num(rv);
    const fail = (rule: string): never => {
      throw new Mismatch(field, ev, rv, rule);
    };
    switch (k) {
      case 'master_last_io_seconds_ago':
        if (a === -1 && b === -1) return;
        if (
          a >= 0 &&
          b >= 0 &&
          ((a <= this.ping + 1 && b <= this.ping + 1) || Math.abs(a - b) <= 2)
        )
          return;
        return fail(
          `rule: both -1, or both in 0..${this.ping + 1} (repl-ping-replica-period+1) or within 2 s`,
        );
      case 'master_link_down_since_seconds':
        if ((a === -1 && b === -1) || (a >= 0 && b >= 0 && Math.abs(a - b) <= 2)) return;
        // Redis ≤ 6.2 before the link was ever up: now minus a repl_down_since of 0, i.e. the
        // wall clock (the engine's is its own), so any two unix times agree.
        if (a >= UNIX_TIME_2001 && b >= UNIX_TIME_2001) return;
        return fail('rule: both -1, or both >= 0 and within 2 s, or both a unix time (≤ 6.2)');
      case 'master_sync_last_io_seconds_ago':
        if (a >= 0 && b >= 0 && Math.abs(a - b) <= 2) return;
        return fail('rule: both >= 0 and within 2 s');
      case 'master_sync_read_bytes':
      case 'master_sync_left_bytes':
        if (a === b || (this.syncSlack > 0 && Math.abs(a - b) <= this.syncSlack)) return;
        return fail(
          `rule: equal, or within ${this.syncSlack} bytes (250 ms at the script's bandwidth)`,
        );
      case 'slave_read_repl_offset':
        if (a === b || (this.syncSlack > 0 && Math.abs(a - b) <= this.syncSlack)) return;
        return fail(
          `rule: equal, or within ${this.syncSlack} bytes (250 ms at the script's bandwidth)`,
        );
      case 'master_sync_perc': {
        if (a === b) return;
        const total = num(this.syncTotal);
        const slack = total > 0 ? (this.syncSlack / total) * 100 : 0;
        if (this.syncSlack > 0 && Math.abs(a - b) <= slack + 0.01) return;
        return fail('rule: equal, or within the bandwidth slack as a share of the total');
      }
    }
    if (/^slave\d+$/.test(k)) {
      const e = parseKv(ev);
      const r = parseKv(rv);
      if ([...e.keys()].join(',') !== [...r.keys()].join(',')) fail('different slaveN fields');
      for (const [sk, sv] of e) {
        const rsv = r.get(sk) ?? '';
        if (sk === 'offset') {
          const x = num(sv);
          const y = num(rsv);
          if (x === y || (x >= 0 && y >= 0 && x <= eOff && y <= rOff)) continue;
          fail('rule (offset=): equal, or both in 0..master_repl_offset (ACK lag)');
        } else if (sk === 'lag') {
          const x = num(sv);
          const y = num(rsv);
          // lag counts whole seconds since the last ACK: the same up to the second it falls in.
          if (x >= 0 && y >= 0 && Math.abs(x - y) <= 1) continue;
          fail('rule (lag=): within 1 s of each other');
        } else if (sv !== rsv) fail(`${sk}= differs`);
      }
      return;
    }
    this.ids.text(field, ev, rv);
  }

  role(where: string, e: Reply | undefined, r: Reply | undefined): void {
    if (
      e?.t === 'array' &&
      r?.t === 'array' &&
      e.v &&
      r.v &&
      e.v[0]?.t === 'bulk' &&
      e.v[0].v === 'master' &&
      r.v[0]?.t === 'bulk' &&
      r.v[0].v === 'master'
    ) {
      const eo = e.v[1];
      const ro = r.v[1];
      this.reply(`${where} offset`, eo, ro, '');
      const el = e.v[2];
      const rl = r.v[2];
      if (el?.t !== 'array' || rl?.t !== 'array' || !el.v || !rl.v || el.v.length !== rl.v.length) {
        throw new Mismatch(`${where} replicas`, show(el), show(rl));
      }
      el.v.forEach((x, i) => {
        const y = rl.v![i]!;
        if (
          x.t !== 'array' ||
          y.t !== 'array' ||
          !x.v ||
          !y.v ||
          x.v.length !== 3 ||
          y.v.length !== 3
        ) {
          return this.reply(`${where} replica #${i}`, x, y, '');
        }
        this.reply(
          `${where} replica #${i} address`,
          { t: 'array', v: x.v.slice(0, 2) },
          { t: 'array', v: y.v.slice(0, 2) },
          '',
        );
        const xa = x.v[2]?.t === 'bulk' ? num(x.v[2].v ?? '') : NaN;
        const ya = y.v[2]?.t === 'bulk' ? num(y.v[2].v ?? '') : NaN;
        const xo = eo?.t === 'int' ? eo.v : NaN;
        const yo = ro?.t === 'int' ? ro.v : NaN;
        if (xa === ya || (xa >= 0 && ya >= 0 && xa <= xo && ya <= yo)) return;
        throw new Mismatch(
          `${where} replica #${i} ack offset`,
          show(x),
          show(y),
          'rule: equal, or both in 0..master offset',
        );
      });
      if (e.v.length !== 3 || r.v.length !== 3) throw new Mismatch(`${where}`, show(e), show(r));
      return;
    }
    this.reply(where, e, r, '');
  }

  /** Command replies; `cmd` = upper-case command name, `queued` = EXEC's queued commands. */
  reply(
    where: string,
    e: Reply | undefined,
    r: Reply | undefined,
    cmd: string,
    queued?: readonly string[],
  ): void {
    if (e === undefined || r === undefined || e.t !== r.t)
      throw new Mismatch(where, show(e), show(r));
    if (cmd === 'ROLE') return this.role(where, e, r);
    if (cmd === 'INFO' && e.t === 'bulk' && r.t === 'bulk' && e.v !== null && r.v !== null) {
      return this.infoText(where, e.v, r.v);
    }
    switch (e.t) {
      case 'int':
        if (e.v !== (r as typeof e).v) throw new Mismatch(where, show(e), show(r));
        return;
      case 'status':
      case 'error':
      case 'bulk': {
        const rv = (r as typeof e).v;
        if (e.v === null || rv === null) {
          if (e.v !== rv) throw new Mismatch(where, show(e), show(r));
          return;
        }
        if (CLOCK_STREAM_ID_RE.test(e.v) && CLOCK_STREAM_ID_RE.test(rv)) return;
        try {
          this.ids.text(where, e.v, rv);
        } catch (x) {
          if (x instanceof Mismatch) throw new Mismatch(where, show(e), show(r), x.note);
          throw x;
        }
        return;
      }
      case 'array': {
        const rv = (r as typeof e).v;
        if (e.v === null || rv === null || e.v.length !== rv.length) {
          if (e.v !== rv) throw new Mismatch(where, show(e), show(r));
          return;
        }
        if (cmd === 'HGETALL' && e.v.length % 2 === 0 && rv.length % 2 === 0) {
          // A hash big enough to leave the listpack encoding is a hash table: arbitrary order.
          const pairs = (v: readonly Reply[]): string =>
            Array.from({ length: v.length / 2 }, (_, i) => JSON.stringify([v[2 * i], v[2 * i + 1]]))
              .sort()
              .join('\n');
          if (pairs(e.v) !== pairs(rv))
            throw new Mismatch(where, show(e), show(r), 'compared as sets of field-value pairs');
          return;
        }
        if (MULTISET_COMMANDS.has(cmd)) {
          const key = (x: Reply): string => JSON.stringify(x);
          const a = e.v.map(key).sort();
          const b = rv.map(key).sort();
          if (a.join('\n') !== b.join('\n'))
            throw new Mismatch(where, show(e), show(r), 'compared as multisets');
          return;
        }
        e.v.forEach((x, i) =>
          this.reply(`${where}[${i}]`, x, rv[i], cmd === 'EXEC' ? (queued?.[i] ?? '') : ''),
        );
        return;
      }
    }
  }

  private infoText(where: string, e: string, r: string): void {
    const sections = (t: string): Map<string, Array<[string, string]>> => {
      const m = new Map<string, Array<[string, string]>>();
      let cur: Array<[string, string]> = [];
      m.set('', cur);
      for (const line of t.split(/\r?\n/)) {
        if (!line) continue;
        if (line.startsWith('# ')) {
          cur = [];
          m.set(line.slice(2).toLowerCase(), cur);
          continue;
        }
        const i = line.indexOf(':');
        if (i >= 0) cur.push([line.slice(0, i), line.slice(i + 1)]);
      }
      return m;
    };
    const es = sections(e);
    const rs = sections(r);
    for (const name of new Set([...es.keys(), ...rs.keys()])) {
      const ef = es.get(name) ?? [];
      const rf = rs.get(name) ?? [];
      this.info(`${where} INFO ${name || '(no section)'}`, ef, rf, name !== 'replication');
    }
  }

  logs(name: string, e: readonly string[], r: readonly string[]): void {
    const ef = filterLogs(e);
    const rf = filterLogs(r);
    const n = Math.max(ef.length, rf.length);
    for (let i = 0; i < n; i++) {
      const x = ef[i];
      const y = rf[i];
      const field = `log ${name}, replication line #${i + 1}`;
      const fmt = (l: LogLine | undefined): string =>
        l ? `${l.role} ${l.level} ${l.msg}` : '(no more lines)';
      // Real lines keep their timestamps: a timing race shows in them.
      const ctx = [
        `engine before: ${ef
          .slice(Math.max(0, i - 3), i)
          .map(fmt)
          .join(' | ')}`,
        `real before: ${rf
          .slice(Math.max(0, i - 3), i)
          .map((l) => l.line)
          .join(' | ')}`,
      ].join('\n');
      if (!x || !y || x.role !== y.role || x.level !== y.level)
        throw new Mismatch(
          field,
          x ? x.line : '(no more lines)',
          y ? y.line : '(no more lines)',
          ctx,
        );
      try {
        this.ids.text(field, x.msg, y.msg);
      } catch (err) {
        if (err instanceof Mismatch)
          throw new Mismatch(field, x.line, y.line, [err.note, ctx].filter(Boolean).join('\n'));
        throw err;
      }
    }
  }
}

interface LogLine {
  readonly role: string;
  readonly level: string;
  /** The normalised message. */
  readonly msg: string;
  readonly line: string;
}

/** Whether a log message (text after the prefix) is a compared replication line. */
export function isReplicationMessage(msg: string): boolean {
  return (
    REPLICATION_LOG_PREFIXES.some((p) => msg.startsWith(p)) ||
    REPLICATION_LOG_PATTERNS.some((re) => re.test(msg))
  );
}

/** Normalise a message: pids and client-info text dropped. */
function sortSlaveLines(
  f: ReadonlyArray<readonly [string, string]>,
): ReadonlyArray<readonly [string, string]> {
  const addr = (v: string): string => /ip=([^,]*),port=([^,]*)/.exec(v)?.slice(1).join(':') ?? v;
  const slaves = f
    .filter(([k]) => /^slave\d+$/.test(k))
    .sort((a, b) => (addr(a[1]) < addr(b[1]) ? -1 : 1));
  let i = 0;
  return f.map(([k, v]) =>
    /^slave\d+$/.test(k) ? ([`slave${i}`, slaves[i++]![1]] as const) : ([k, v] as const),
  );
}

export function normaliseMessage(msg: string): string {
  return (
    msg
      .replace(/ by pid \d+/g, ' by pid <pid>')
      .replace(/Killing process \d+/g, 'Killing process <pid>')
      .replace(/user request from '.*$/, "user request from '…')")
      // After a reset Redis names a replica by its client id; the id counts every connection the
      // server accepted (our own observer connections included), so only the form is compared.
      .replace(/client id #\d+/g, 'client id #<id>')
      // Valkey's $ENDOFF line names the rdb channel's client id: the same count.
      .replace(/ and client-id \d+$/, ' and client-id <id>')
      .replace(
        /^Client (.*) ((?:scheduled to be )?closed (?:ASAP )?for overcoming of output buffer limits\.)$/,
        (_m, info: string, rest: string) => `Client ${normaliseClientInfo(info)} ${rest}`,
      )
  );
}

function filterLogs(lines: readonly string[]): LogLine[] {
  const out: LogLine[] = [];
  for (const line of lines) {
    const m = LOG_RE.exec(line);
    if (!m) continue;
    const msg = m[5] ?? '';
    if (!isReplicationMessage(msg)) continue;
    out.push({ role: m[2] ?? '', level: m[4] ?? '', msg: normaliseMessage(msg), line });
  }
  return out;
}

/** Compare engine (a) and real (b) observations; the first disagreement, or null. */
export function compareRuns(
  a: RunObservation,
  b: RunObservation,
  ctx: CompareContext,
): Difference | null {
  const c = new Comparer(pingPeriodOf(ctx), syncBytesSlack(ctx));
  const ea = new Map(a.steps.map((s) => [s.index, s]));
  const rb = new Map(b.steps.map((s) => [s.index, s]));
  const indices = [...new Set([...ea.keys(), ...rb.keys()])].sort((x, y) => x - y);
  const stmts = ctx.script?.statements;
  const multi = new Map<string, string[] | null>(); // server → queued command names while in MULTI
  let cur: { index: number; text: string } = { index: -1, text: '' };
  try {
    for (const index of indices) {
      const x: StepObservation | undefined = ea.get(index);
      const y: StepObservation | undefined = rb.get(index);
      cur = { index, text: x?.text ?? y?.text ?? '' };
      const st = stmts?.[index];
      let cmd = '';
      let queued: string[] | undefined;
      if (st?.kind === 'command') {
        cmd = (st.argv[0] ?? '').toUpperCase();
        const q = multi.get(st.server) ?? null;
        if (cmd === 'MULTI') multi.set(st.server, []);
        else if (cmd === 'EXEC' || cmd === 'DISCARD') {
          queued = q ?? undefined;
          multi.set(st.server, null);
        } else if (q) q.push(cmd);
      }
      if (x?.reply !== undefined || y?.reply !== undefined)
        c.reply('reply', x?.reply, y?.reply, cmd, queued);
      const servers = [...new Set([...Object.keys(x?.info ?? {}), ...Object.keys(y?.info ?? {})])];
      for (const s of servers) {
        const ei = x?.info?.[s];
        const ri = y?.info?.[s];
        if (!ei || !ri)
          throw new Mismatch(
            `INFO ${s}`,
            ei ? 'present' : '(missing)',
            ri ? 'present' : '(missing)',
          );
        c.info(`INFO ${s}`, ei, ri);
      }
      const roles = [...new Set([...Object.keys(x?.role ?? {}), ...Object.keys(y?.role ?? {})])];
      for (const s of roles) c.role(`ROLE ${s}`, x?.role?.[s], y?.role?.[s]);
    }
    cur = { index: -1, text: '' };
    const names = [
      ...new Set([
        ...ctx.servers.map((s) => s.name),
        ...Object.keys(a.logs),
        ...Object.keys(b.logs),
      ]),
    ];
    for (const n of names) {
      cur = { index: -1, text: `log ${n}` };
      c.logs(n, a.logs[n] ?? [], b.logs[n] ?? []);
    }
  } catch (e) {
    if (!(e instanceof Mismatch)) throw e;
    const index = cur.index >= 0 ? cur.index : null;
    const message = [
      index !== null ? `statement ${index}: ${cur.text}` : cur.text,
      `  field:  ${e.field}`,
      `  engine: ${e.engine}`,
      `  real:   ${e.real}`,
      ...(e.note ? e.note.split('\n').map((l) => `  ${l}`) : []),
    ].join('\n');
    return { index, text: cur.text, field: e.field, engine: e.engine, real: e.real, message };
  }
  return null;
}
