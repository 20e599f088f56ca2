/** CONFIG GET / CONFIG SET for the replication settings (config.c), with Redis's own errors. */
import { globMatch } from './keyspace';
import { array, bulk, err, OK, type Reply } from './reply';
import { dialectOf } from './dialect';
import type { ReplConfig, Version } from './types';

export function defaultConfig(version: Version): ReplConfig {
  return {
    'repl-backlog-size': 1024 * 1024,
    'repl-backlog-ttl': 3600,
    'repl-diskless-sync': dialectOf(version).defaults['repl-diskless-sync'],
    'repl-diskless-sync-delay': 5,
    'repl-ping-replica-period': 10,
    'repl-timeout': 60,
    'rdb-key-save-delay': 0,
  };
}

type Kind = 'memory' | 'int' | 'bool';
interface Param {
  name: keyof ReplConfig;
  alias?: string;
  kind: Kind;
  min: number;
  max: string;
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
  { name: 'rdb-key-save-delay', kind: 'int', min: -2147483648, max: '2147483647' },
];

function find(name: string): Param | undefined {
  const n = name.toLowerCase();
  return PARAMS.find((p) => p.name === n || p.alias === n);
}

function show(c: ReplConfig, p: Param): string {
  const v = c[p.name];
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

export function configGet(c: ReplConfig, patterns: readonly string[]): Reply {
  const out: Reply[] = [];
  const seen = new Set<string>();
  for (const pat of patterns) {
    for (const p of PARAMS) {
      for (const n of [p.name, p.alias]) {
        if (n === undefined || seen.has(n) || !globMatch(pat, n)) continue;
        seen.add(n);
        out.push(bulk(n), bulk(show(c, p)));
      }
    }
  }
  return array(out);
}

/** Parses "1mb", "16kb", "100" like Redis's memtoull (1k = 1000, 1kb = 1024). */
export function parseMemory(s: string): number | null {
  const m = /^(\d+)(k|kb|m|mb|g|gb|b)?$/i.exec(s);
  if (!m) return null;
  const mul: Record<string, number> = {
    '': 1,
    b: 1,
    k: 1000,
    kb: 1024,
    m: 1e6,
    mb: 1024 * 1024,
    g: 1e9,
    gb: 1024 ** 3,
  };
  return Number(m[1]) * mul[(m[2] ?? '').toLowerCase()]!;
}

export function configSet(c: ReplConfig, args: readonly string[]): Reply {
  const updates: Array<[Param, number | boolean]> = [];
  for (let i = 0; i < args.length; i += 2) {
    const p = find(args[i]!);
    if (!p) return err(`ERR Unknown option or number of arguments for CONFIG SET - '${args[i]}'`);
    const raw = args[i + 1]!;
    const fail = (why: string): Reply =>
      err(`ERR CONFIG SET failed (possibly related to argument '${args[i]}') - ${why}`);
    if (p.kind === 'bool') {
      const v = raw.toLowerCase();
      if (v !== 'yes' && v !== 'no') return fail("argument must be 'yes' or 'no'");
      updates.push([p, v === 'yes']);
      continue;
    }
    const n = p.kind === 'memory' ? parseMemory(raw) : /^-?\d+$/.test(raw) ? Number(raw) : null;
    if (n === null)
      return fail(
        p.kind === 'memory'
          ? 'argument must be a memory value'
          : "argument couldn't be parsed into an integer",
      );
    if (n < p.min || n > Number(p.max))
      return fail(`argument must be between ${p.min} and ${p.max} inclusive`);
    updates.push([p, n]);
  }
  for (const [p, v] of updates) (c as unknown as Record<string, number | boolean>)[p.name] = v;
  return OK;
}
