/**
 * Fuzzing the consoles (store.consoleSubmit on a server) with random and hostile lines: every
 * line is echoed, then answered by a reply or an error worded as redis-cli or Redis words it (or,
 * for a lab statement, as the lab script reports a mistake); nothing throws; and afterwards the
 * lab still works: a good command runs and the replicas converge on their master.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyArg, hostileText } from '../lab/hostile.testing';
import { createLabStore, type LabStore } from './store';

/** Commands that do not change who replicates whom (REPLICAOF, SHUTDOWN, CONFIG are left out). */
const COMMANDS = [
  'SET',
  'GET',
  'HSET',
  'HGETALL',
  'RPUSH',
  'LRANGE',
  'SADD',
  'ZADD',
  'XADD',
  'INCR',
  'APPEND',
  'DEL',
  'EXPIRE',
  'KEYS',
  'ECHO',
  'PING',
  'INFO',
  'ROLE',
  'SELECT',
  'MULTI',
  'EXEC',
  'DISCARD',
  'EVAL',
  'WAIT',
  'OBJECT',
  'FLUSHALL',
  'nosuch',
  'wait',
  'show',
  'net',
  'latency',
];

/** What a line typed in a console may be. */
const consoleLine = fc.oneof(
  { weight: 3, arbitrary: hostileText(20) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(...COMMANDS), fc.array(hostileText(5), { maxLength: 5 }))
      .map(([c, args]) => [c, ...args].join(' ')),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...COMMANDS), fc.array(anyArg, { maxLength: 5 }))
      .map(([c, args]) => [c, ...args.map((a) => JSON.stringify(a))].join(' ')),
  },
);

/** What a console may answer, besides a reply: redis-cli's and Redis's errors, the lab's. */
const ERROR_FORMS = [
  /^Invalid argument\(s\)$/,
  /^\(error\) [A-Z][A-Z_]*[A-Z] \S/,
  /^\(lab error\) column \d+: \S/,
  /^\(lab error\) \S/,
];

function fresh(seed: number): LabStore {
  const store = createLabStore({ autoplay: false, seed });
  store.getState().applyStatement('wait 12s');
  return store;
}

/** Every cut restored, then time for repl-timeout, reconnection and a full sync at 1 kB/s. */
function settle(store: LabStore): void {
  const s = store.getState();
  for (const v of s.servers) if (v.net !== 'up') s.restoreNetwork(v.name);
  for (let i = 0; i < 8; i++) store.getState().advance(30_000);
}

/** The replicas of the main master are online at its offset, with its keys. */
function expectConverged(store: LabStore): void {
  const s = store.getState();
  const m = s.servers.find((v) => v.name === s.mainMaster)!;
  const replicas = s.servers.filter((v) => v.masterName === m.name);
  expect(replicas.map((r) => r.name)).toContain('replica1');
  for (const r of replicas) {
    expect(r.link, `${r.name}'s link`).toBe('online');
    expect(r.offset, `${r.name}'s offset`).toBe(m.offset);
    expect(r.keys, `${r.name}'s keys`).toEqual(m.keys);
  }
}

describe('the consoles under hostile lines', () => {
  it('echo every line and answer it Redis-style; the lab still works and converges', () => {
    const seen = { replies: 0, errors: 0 };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.array(fc.tuple(fc.constantFrom('master', 'replica1'), consoleLine), {
          minLength: 1,
          maxLength: 12,
        }),
        (seed, lines) => {
          const store = fresh(seed);
          for (const [server, line] of lines) {
            const before = store.getState().consoles[server]?.at(-1)?.id ?? 0;
            const r = store.getState().consoleSubmit(server, line);
            expect(typeof r.ok).toBe('boolean');
            const added = (store.getState().consoles[server] ?? []).filter((e) => e.id > before);
            const pasted = line.split('\n');
            // One prompt per line submitted (a pasted text runs line by line, as in a terminal).
            expect(added.filter((e) => e.kind === 'input')).toHaveLength(pasted.length);
            const first = pasted.length > 1 ? pasted[0]!.replace(/\r$/, '') : line;
            expect(added[0]?.text.endsWith(first)).toBe(true);
            for (const e of added.filter((x) => x.kind === 'error')) {
              expect(
                ERROR_FORMS.some((f) => f.test(e.text)),
                `${JSON.stringify(line)} → ${JSON.stringify(e.text)}`,
              ).toBe(true);
              seen.errors++;
            }
            seen.replies += added.filter((x) => x.kind === 'output').length;
            if (!r.ok) expect(added.some((x) => x.kind === 'error')).toBe(true);
          }
          // A good command still works, and the replicas catch up with everything. (A MULTI
          // left open is discarded, and the sessions go back to database 0.)
          for (const server of ['master', 'replica1']) {
            store.getState().consoleSubmit(server, 'DISCARD');
            store.getState().consoleSubmit(server, 'SELECT 0');
          }
          expect(store.getState().consoleSubmit('master', 'SET probe "ok ñ"').ok).toBe(true);
          expect(store.getState().consoles['master']?.at(-1)).toMatchObject({ text: 'OK' });
          settle(store);
          expectConverged(store);
          store.getState().consoleSubmit('replica1', 'GET probe');
          // redis-cli prints a bulk reply's non-ASCII bytes escaped: ñ is \xc3\xb1.
          expect(store.getState().consoles['replica1']?.at(-1)).toMatchObject({
            kind: 'output',
            text: '"ok \\xc3\\xb1"',
          });
        },
      ),
      { numRuns: Number(process.env['FUZZ_RUNS'] ?? 40) },
    );
    expect(seen.replies).toBeGreaterThan(0);
    expect(seen.errors).toBeGreaterThan(0);
  });
});

describe('the consoles on input redis-cli refuses or splits', () => {
  const s = fresh(11);
  const last = (server = 'master') => s.getState().consoles[server]?.at(-1);

  it.each([
    ['SET k "unbalanced'],
    ["SET k 'unbalanced"],
    ['SET k "a"b'],
    ['SET k "ends with a backslash\\"'],
    ['SET k "\\'],
  ])('answers %j as redis-cli does: Invalid argument(s)', (line) => {
    expect(s.getState().consoleSubmit('master', line).ok).toBe(false);
    expect(last()).toMatchObject({ kind: 'error', text: 'Invalid argument(s)' });
  });

  it('reads a line up to a NUL, as redis-cli reads a C string', () => {
    expect(s.getState().consoleSubmit('master', 'SET nul v\0 garbage " unbalanced').ok).toBe(true);
    s.getState().consoleSubmit('master', 'GET nul');
    expect(last()).toMatchObject({ kind: 'output', text: '"v"' });
  });

  it('keeps lone surrogates, control characters and emoji in keys and values', () => {
    const key = 'k\ud800\x01🚀';
    s.getState().consoleSubmit('master', `SET "k\ud800\\x01🚀" "\\x00\\t"`);
    expect(last()).toMatchObject({ text: 'OK' });
    const view = s.getState().servers.find((v) => v.name === 'master')!;
    expect(view.keys.map((k) => k.key)).toContain(key);
    s.getState().consoleSubmit('master', 'STRLEN "k\ud800\\x01🚀"');
    // \x00 and \t: two bytes.
    expect(last()).toMatchObject({ text: '(integer) 2' });
  });

  it('runs a pasted text line by line, as a terminal does', () => {
    const r = s.getState().consoleSubmit('master', 'SET p1 a\r\nSET p2 "b\nECHO c\nGET p1');
    expect(r.ok).toBe(false);
    const entries = (s.getState().consoles['master'] ?? []).slice(-8);
    // The quote left open at the line break is refused; the lines after it run.
    expect(entries.filter((e) => e.kind !== 'input').map((e) => e.text)).toEqual([
      'OK',
      'Invalid argument(s)',
      '"c"',
      '"a"',
    ]);
    expect(entries.filter((e) => e.kind === 'input').map((e) => e.text)).toEqual([
      '192.168.157.144:6379> SET p1 a',
      '192.168.157.144:6379> SET p2 "b',
      '192.168.157.144:6379> ECHO c',
      '192.168.157.144:6379> GET p1',
    ]);
  });

  it('takes a 1 MB argument and 3,000 arguments, and replicates them', () => {
    // A fast link (the opening scene's 1 kB/s would take 17 minutes to carry a megabyte).
    s.getState().consoleSubmit('master', 'latency 1ms');
    const big = 'x'.repeat(1 << 20);
    expect(s.getState().consoleSubmit('master', `SET big ${big}`).ok).toBe(true);
    s.getState().consoleSubmit('master', 'STRLEN big');
    expect(last()).toMatchObject({ text: `(integer) ${1 << 20}` });
    const members = Array.from({ length: 3000 }, (_, i) => `m${i}`).join(' ');
    s.getState().consoleSubmit('master', `SADD many ${members}`);
    expect(last()).toMatchObject({ text: '(integer) 3000' });
    settle(s);
    expectConverged(s);
    s.getState().consoleSubmit('replica1', 'STRLEN big');
    expect(last('replica1')).toMatchObject({ text: `(integer) ${1 << 20}` });
  });
});
