/** CONFIG GET / CONFIG SET for the replication settings (config.c), with Redis's own errors. */
import { globMatch } from './keyspace';
import { array, bulk, err, OK, type Reply } from './reply';
import { dialectOf } from './dialect';
import type { ClientBufferLimits, ObufClass, ReplConfig, Version } from './types';

/** The output-buffer classes in CONFIG GET's order (`CLIENT_TYPE_OBUF_COUNT`). */
export const OBUF_CLASSES: readonly ObufClass[] = ['normal', 'slave', 'pubsub'];

/** config.c `clientBufferLimitsDefaults`. */
export function defaultClientBufferLimits(): Record<ObufClass, ClientBufferLimits> {
  return {
    normal: { hard_limit_bytes: 0, soft_limit_bytes: 0, soft_limit_seconds: 0 },
    slave: {
      hard_limit_bytes: 1024 * 1024 * 256,
      soft_limit_bytes: 1024 * 1024 * 64,
      soft_limit_seconds: 60,
    },
    pubsub: {
      hard_limit_bytes: 1024 * 1024 * 32,
      soft_limit_bytes: 1024 * 1024 * 8,
      soft_limit_seconds: 60,
    },
  };
}

export function defaultConfig(version: Version): ReplConfig {
  return {
    'repl-backlog-size': dialectOf(version).defaults['repl-backlog-size'],
    'repl-backlog-ttl': 3600,
    'repl-diskless-sync': dialectOf(version).defaults['repl-diskless-sync'],
    'repl-diskless-sync-delay': 5,
    'repl-ping-replica-period': 10,
    'repl-timeout': 60,
    'rdb-key-save-delay': 0,
    'dual-channel-replication-enabled': false,
    'replica-read-only': true,
    'client-output-buffer-limit': defaultClientBufferLimits(),
    'shutdown-timeout': 10,
  };
}

type Kind = 'memory' | 'int' | 'bool' | 'obuf';
interface Param {
  name: keyof ReplConfig;
  alias?: string;
  kind: Kind;
  min: number;
  max: string;
  /** The first Redis line that has it (Dialect.redisLine; "Unsupported" before). */
  since?: number;
  /** Only Valkey 8 has it (Dialect.dualChannel); Redis answers as for any unknown name. */
  valkey?: boolean;
}

/** Whether a version has the parameter at all. */
function has(p: Param, version: Version): boolean {
  const d = dialectOf(version);
  return (p.since ?? 0) <= d.redisLine && (!p.valkey || d.dualChannel);
}

const PARAMS: Param[] = [
  { name: 'repl-backlog-ttl', kind: 'int', min: 0, max: '9223372036854775807' },
  {
    name: 'repl-ping-replica-period',
    alias: 'repl-ping-slave-period',
    kind: 'int',
    min: 1,
    max: '2147483647',
  },
  { name: 'repl-backlog-size', kind: 'memory', min: 1, max: '9223372036854775807' },
  { name: 'repl-timeout', kind: 'int', min: 1, max: '2147483647' },
  { name: 'repl-diskless-sync-delay', kind: 'int', min: 0, max: '2147483647' },
  { name: 'repl-diskless-sync', kind: 'bool', min: 0, max: '1' },
  // A config since 6.0 (a DEBUG-only knob before).
  { name: 'rdb-key-save-delay', kind: 'int', min: -2147483648, max: '2147483647', since: 6.0 },
  { name: 'replica-read-only', alias: 'slave-read-only', kind: 'bool', min: 0, max: '1' },
  // New in 7.0 (#9872): how long SHUTDOWN waits for lagging replicas.
  { name: 'shutdown-timeout', kind: 'int', min: 0, max: '2147483647', since: 7.0 },
  // Valkey 8.0: full syncs on a second connection, the rdb channel (replication.c).
  { name: 'dual-channel-replication-enabled', kind: 'bool', min: 0, max: '1', valkey: true },
  // A "special" config of Redis (MULTI_ARG_CONFIG): its own parser, errors and format.
  { name: 'client-output-buffer-limit', kind: 'obuf', min: 0, max: '0' },
];

/**
 * lookupConfig: the parameter and the name it was found under (an alias is a config of its own
 * in Redis's table, so errors name the alias), lower case.
 */
function find(name: string, version: Version): { p: Param; name: string } | undefined {
  const n = name.toLowerCase();
  const p = PARAMS.find((x) => (x.name === n || x.alias === n) && has(x, version));
  return p ? { p, name: n } : undefined;
}

/** An unsigned 64-bit value as `%llu` prints it (limits past 2^53 bytes are the nearest double). */
function llu(n: number): string {
  return Number.isSafeInteger(n) ? String(n) : BigInt(n).toString();
}

function show(c: ReplConfig, p: Param): string {
  if (p.kind === 'obuf') {
    // getConfigClientOutputBufferLimitOption: "%s %llu %llu %ld" per class, space separated.
    const l = c['client-output-buffer-limit'];
    return OBUF_CLASSES.map(
      (k) =>
        `${k} ${llu(l[k].hard_limit_bytes)} ${llu(l[k].soft_limit_bytes)} ${l[k].soft_limit_seconds}`,
    ).join(' ');
  }
  const v = c[p.name];
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

/**
 * configGetCommand: a name without glob characters is looked up and answered under the name as
 * typed; a pattern is matched (case-insensitively) against every name and alias.
 */
export function configGet(
  c: ReplConfig,
  patterns: readonly string[],
  version: Version = '7.0',
): Reply {
  const out: Reply[] = [];
  const seen = new Set<string>();
  for (const pat of patterns) {
    if (!/[[*?]/.test(pat)) {
      const f = find(pat, version);
      if (!f || seen.has(pat)) continue;
      seen.add(pat);
      out.push(bulk(pat), bulk(show(c, f.p)));
      continue;
    }
    for (const p of PARAMS) {
      if (!has(p, version)) continue;
      for (const n of [p.name, p.alias]) {
        if (n === undefined || seen.has(n) || !globMatch(pat.toLowerCase(), n)) continue;
        seen.add(n);
        out.push(bulk(n), bulk(show(c, p)));
      }
    }
  }
  return array(out);
}

const MEMORY_UNITS: ReadonlyMap<string, bigint> = new Map([
  ['', 1n],
  ['b', 1n],
  ['k', 1000n],
  ['kb', 1024n],
  ['m', 1000n * 1000n],
  ['mb', 1024n * 1024n],
  ['g', 1000n * 1000n * 1000n],
  ['gb', 1024n * 1024n * 1024n],
]);

/**
 * util.c memtoull: digits and an optional unit (b, k = 1000, kb = 1024, m, mb, g, gb, any
 * case). No digits read as 0; a leading '-' or any other unit is an error. Like strtoull, more
 * digits than fit give ULLONG_MAX, and the product wraps at 2^64.
 */
export function memtoull(s: string): number | null {
  const m = /^(\d*)(.*)$/s.exec(s)!;
  const digits = m[1]!;
  const unit = m[2]!.toLowerCase();
  const mul = MEMORY_UNITS.get(unit);
  if (s.startsWith('-') || mul === undefined || digits.length >= 128) return null;
  const max = (1n << 64n) - 1n;
  let v = digits === '' ? 0n : BigInt(digits);
  if (v > max) v = max;
  return Number((v * mul) & max);
}

/** Parses "1mb", "16kb", "100" as a memory config does (memtoull). */
export function parseMemory(s: string): number | null {
  return memtoull(s);
}

/**
 * `int soft_seconds = strtoll(arg, &eptr, 10)`: optional blanks and sign, digits to the end
 * (none at all reads 0), clamped to 64 bits, then cut to a C int. Null when characters are left.
 */
function softSeconds(s: string): number | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d*)$/.exec(s);
  if (!m || (m[1] !== '' && m[2] === '')) return null;
  if (m[2] === '') return 0;
  let v = BigInt(m[2]!);
  if (m[1] === '-') v = -v;
  const LLONG_MAX = (1n << 63n) - 1n;
  if (v > LLONG_MAX) v = LLONG_MAX;
  if (v < -LLONG_MAX - 1n) v = -LLONG_MAX - 1n;
  return Number(BigInt.asIntN(32, v));
}

/** getClientTypeByName, for the classes a limit can be set for (not `master`). */
function obufClass(name: string): ObufClass | null {
  const n = name.toLowerCase();
  if (n === 'normal') return 'normal';
  if (n === 'slave' || n === 'replica') return 'slave';
  if (n === 'pubsub') return 'pubsub';
  return null;
}

/**
 * updateClientOutputBufferLimit: `<class> <hard> <soft> <soft-seconds>`, repeated; the value is
 * split on single spaces as Redis splits a MULTI_ARG_CONFIG. All or nothing; a class given twice
 * takes its last limits. Returns the new limits or Redis's error text.
 */
export function parseClientOutputBufferLimit(
  value: string,
  current: Record<ObufClass, ClientBufferLimits>,
): Record<ObufClass, ClientBufferLimits> | string {
  const args = value === '' ? [] : value.split(' ');
  if (args.length % 4) return 'Wrong number of arguments in buffer limit configuration.';
  const next = { ...current };
  for (let j = 0; j < args.length; j += 4) {
    const cls = obufClass(args[j]!);
    if (!cls) return 'Invalid client class specified in buffer limit configuration.';
    const hard = memtoull(args[j + 1]!);
    const soft = memtoull(args[j + 2]!);
    const seconds = softSeconds(args[j + 3]!);
    if (hard === null || soft === null || seconds === null || seconds < 0)
      return 'Error in hard, soft or soft_seconds setting in buffer limit configuration.';
    next[cls] = { hard_limit_bytes: hard, soft_limit_bytes: soft, soft_limit_seconds: seconds };
  }
  return next;
}

/**
 * configSetCommand: every name is looked up first (an unknown one, or one given twice, fails the
 * command before any value is read), then each value is parsed in order; the first bad one fails
 * the whole command and nothing changes.
 */
export function configSet(c: ReplConfig, args: readonly string[], version: Version = '7.0'): Reply {
  // ≤ 6.2 (one pair): "Unsupported CONFIG parameter" and "Invalid argument" (its badfmt), the
  // name as typed; memory values from 0 (the backlog is then raised to its 16 KB minimum).
  const syntax = dialectOf(version).configSyntax;
  const single = syntax !== 'multi';
  const found: Array<{ p: Param; name: string }> = [];
  for (let i = 0; i < args.length; i += 2) {
    const f = find(args[i]!, version);
    if (!f && single) return err(`ERR Unsupported CONFIG parameter: ${args[i]}`);
    if (!f) return err(`ERR Unknown option or number of arguments for CONFIG SET - '${args[i]}'`);
    if (found.some((x) => x.name === f.name))
      return err(
        `ERR CONFIG SET failed (possibly related to argument '${args[i]}') - duplicate parameter`,
      );
    found.push(f);
  }
  const updates: Array<[Param, ReplConfig[keyof ReplConfig]]> = [];
  for (let i = 0; i < args.length; i += 2) {
    const { p, name } = found[i / 2]!;
    const raw = args[i + 1]!;
    const fail = (why: string): Reply =>
      single
        ? err(
            `ERR Invalid argument '${raw}' for CONFIG SET '${args[i]}'${syntax === 'single-reason' ? ` - ${why}` : ''}`,
          )
        : err(`ERR CONFIG SET failed (possibly related to argument '${name}') - ${why}`);
    if (p.kind === 'obuf') {
      const v = parseClientOutputBufferLimit(raw, c['client-output-buffer-limit']);
      if (typeof v === 'string') return fail(v);
      updates.push([p, v]);
      continue;
    }
    if (p.kind === 'bool') {
      const v = raw.toLowerCase();
      if (v !== 'yes' && v !== 'no') return fail("argument must be 'yes' or 'no'");
      updates.push([p, v === 'yes']);
      continue;
    }
    const n = p.kind === 'memory' ? memtoull(raw) : /^-?\d+$/.test(raw) ? Number(raw) : null;
    if (n === null)
      return fail(
        p.kind === 'memory'
          ? 'argument must be a memory value'
          : "argument couldn't be parsed into an integer",
      );
    if (n < (single && p.kind === 'memory' ? 0 : p.min) || n > Number(p.max))
      return fail(`argument must be between ${p.min} and ${p.max} inclusive`);
    updates.push([p, n]);
  }
  for (const [p, v] of updates) (c as unknown as Record<string, unknown>)[p.name] = v;
  return OK;
}
