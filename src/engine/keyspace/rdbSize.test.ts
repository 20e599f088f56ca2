import { describe, it, expect } from 'vitest';
import { execKeyspaceCommand } from './commandTable';
import type { Keyspace } from './db';
import { createKeyspace } from './db';
import type { CommandContext } from './exec';
import { rdbPayloadSize } from './rdbSize';

const NOW = 1582812383000;
const master: CommandContext = { nowMs: NOW, db: 0, mode: 'master', line: 7.0 };

function run(ks: Keyspace, argv: string[], ctx: Partial<CommandContext> = {}) {
  return execKeyspaceCommand(ks, argv, { ...master, ...ctx });
}

describe('RDB size', () => {
  // Sizes of dump.rdb written by SAVE on redis-server 7.0.15 (a master with a replica attached,
  // so the repl-* aux fields are present), with the aux values read back by redis-check-rdb.
  const replId = '445a6c1308b69a45bd54acf8ddf4f6fa55d2048e';
  const ctimeSec = 1795596567;
  const cases: Array<{
    name: string;
    cmds: Array<[number, string[]]>;
    replOffset: number;
    usedMem: number;
    streamDb?: number;
    size: number;
  }> = [
    { name: 'empty', cmds: [], replOffset: 103629, usedMem: 1916536, size: 175 },
    {
      name: 'strings',
      cmds: [
        ['set', 'foo', 'bar'],
        ['set', 'n', '42'],
        ['set', 'n2', '-30000'],
        ['set', 'n3', '100000'],
        ['set', 'big', '1234567890123'],
        ['set', 'long', 'a'.repeat(42)],
        ['set', 'text', 'the quick brown fox jumps over the lazy dog, the quick brown fox again'],
        ['set', 'ttl', 'v', 'EX', '1000'],
        ['set', '123', 'keyint'],
        ['set', 'utf', 'Curso de introducción a docker'],
      ].map((c) => [0, c]),
      replOffset: 104139,
      usedMem: 1917560,
      size: 376,
    },
    {
      name: 'curso',
      cmds: [
        [0, ['hset', 'curso:4', 'nombre', 'Curso de introducción a docker', 'duration', '30']],
      ],
      replOffset: 104256,
      usedMem: 1916696,
      size: 250,
    },
    {
      name: 'hashes',
      cmds: [
        ['hset', 'h1', 'a', '1', 'b', '2', 'c', '-5000', 'd', '70000', 'e', 'x'.repeat(60)],
        ...Array.from({ length: 40 }, (_, k) => ['hset', 'h2', `field${k}`, `value number ${k}`]),
        ['hset', 'hbig', 'f', 'y'.repeat(100), 'g', '1'],
        ['hset', 'hmany', ...Array.from({ length: 600 }, (_, k) => [`f${k}`, String(k)]).flat()],
      ].map((c): [number, string[]] => [0, c]),
      replOffset: 118056,
      usedMem: 1955536,
      size: 5230,
    },
    {
      name: 'lists',
      cmds: [
        ['rpush', 'l1', 'a', 'b', 'c', '1', '2', '300', '-5', '70000'],
        ['lpush', 'l2', ...Array.from({ length: 100 }, (_, k) => `item-${k % 7}`)],
        ['rpush', 'l3', ...Array.from({ length: 400 }, (_, k) => 'x'.repeat(50) + String(k))],
        ['rpush', 'l4', 'y'.repeat(100)],
        ['lpush', 'l5', ...Array.from({ length: 3000 }, (_, k) => `e${k}`)],
        ['lpop', 'l5', '7'],
        ['rpop', 'l5', '1500'],
      ].map((c): [number, string[]] => [0, c]),
      replOffset: 175409,
      usedMem: 2001264,
      size: 8322,
    },
    {
      name: 'sets',
      cmds: [
        ['sadd', 's1', '1', '2', '3'],
        ['sadd', 's2', 'a', 'b', 'c'],
        ['sadd', 's3', ...Array.from({ length: 100 }, (_, k) => String(k))],
        ['sadd', 's4', '1', '100000'],
        ['sadd', 's5', '1', '5000000000'],
        ['sadd', 's6', ...Array.from({ length: 600 }, (_, k) => String(k))],
        ['sadd', 's7', '1', '2', 'x'],
        ['srem', 's5', '5000000000'],
      ].map((c): [number, string[]] => [0, c]),
      replOffset: 181810,
      usedMem: 2003536,
      size: 2155,
    },
    {
      name: 'mixed dbs',
      cmds: [
        [3, ['set', 'a', '1']],
        [0, ['set', 'b', '2', 'PX', '99999999']],
        [0, ['sadd', 's', '1']],
        [0, ['rpush', 'l', 'q']],
        [15, ['hset', 'h', 'f', 'v']],
        [15, ['incrbyfloat', 'f', '1.5']],
        [15, ['append', 'f', 'xyz']],
      ],
      replOffset: 182148,
      usedMem: 1970744,
      streamDb: 15,
      size: 266,
    },
    {
      name: 'prose (LZF)',
      cmds: Array.from({ length: 30 }, (_, k): [number, string[]] => [
        0,
        [
          'set',
          `p${k}`,
          'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor '
            .repeat(k + 1)
            .slice(0, 20 + 37 * k),
        ],
      ]),
      replOffset: 199774,
      usedMem: 2011208,
      size: 3123,
    },
  ];
  for (const c of cases) {
    it(`matches redis 7.0.15 for ${c.name}`, () => {
      const ks = createKeyspace();
      for (const [db, argv] of c.cmds) {
        const res = run(ks, argv, { db });
        expect(res.reply.t).not.toBe('error');
      }
      expect(
        rdbPayloadSize(ks, {
          replId,
          replOffset: c.replOffset,
          replStreamDb: c.streamDb ?? 0,
          ctimeSec,
          usedMem: c.usedMem,
          versionAux: ['redis-ver', '7.0.15'],
          aofAux: 'aof-base',
        }),
      ).toBe(c.size);
    });
  }

  it('matches an earlier measurement with a small repl offset', () => {
    const ks = createKeyspace();
    run(ks, ['hset', 'curso:4', 'nombre', 'Curso de introducción a docker', 'duration', '30']);
    expect(
      rdbPayloadSize(ks, {
        replId,
        replOffset: 1814,
        replStreamDb: 0,
        ctimeSec: 1795596438,
        usedMem: 1550584,
        versionAux: ['redis-ver', '7.0.15'],
        aofAux: 'aof-base',
      }),
    ).toBe(248);
  });
});

describe('RDB size: the script cache of Redis ≤ 6.2', () => {
  // dump.rdb written by SAVE on redis-server 5.0.14 (a master with a replica attached), its aux
  // fields read back by redis-check-rdb: after the script runs, one `lua` aux field per script
  // body follows the database (0xFA, "lua" as 1+3 bytes, then the body as an RDB string).
  const five = {
    replId: '5ffb905b61c26e68c72ef6faa50ab3dbe03d4d22',
    replStreamDb: 0,
    versionAux: ['redis-ver', '5.0.14'] as const,
    aofAux: 'aof-preamble',
    small: 'ziplist' as const,
  };
  const line5: Partial<CommandContext> = { line: 5.0 };

  it('matches redis 5.0.14 with a 34-byte script (stored raw: 1 + 4 + 1 + 34 = 40 bytes)', () => {
    const ks = createKeyspace();
    run(ks, ['set', 'k', 'v'], line5);
    run(ks, ['eval', "return redis.call('INCR', KEYS[1])", '1', 'visitas'], line5);
    const info = { ...five, replOffset: 106, ctimeSec: 1795997024, usedMem: 2014768 };
    expect(ks.scripts).toEqual(["return redis.call('INCR', KEYS[1])"]);
    expect(rdbPayloadSize(ks, { ...info, scripts: ks.scripts })).toBe(237);
    // without the script (7.0 saves none): the same file less its aux field
    expect(rdbPayloadSize(ks, info)).toBe(237 - 40);
  });

  it('matches redis 5.0.14 with a 101-byte script too (stored LZF-compressed)', () => {
    const ks = createKeyspace();
    run(ks, ['set', 'k', 'v'], line5);
    run(ks, ['eval', "return redis.call('INCR', KEYS[1])", '1', 'visitas'], line5);
    const body =
      "redis.call('SET', KEYS[1], ARGV[1]); redis.call('INCR', 'visitas'); return redis.call('GET', KEYS[1])";
    run(ks, ['eval', body, '1', 'ultimo', 'ana'], line5);
    // the same script again adds nothing (luaCreateFunction finds it by its SHA1)
    run(ks, ['eval', body, '1', 'ultimo', 'ana'], line5);
    expect(ks.scripts).toHaveLength(2);
    const info = { ...five, replOffset: 266, ctimeSec: 1795997075, usedMem: 1982312 };
    expect(rdbPayloadSize(ks, { ...info, scripts: ks.scripts })).toBe(337);
  });
});
