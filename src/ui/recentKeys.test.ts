import { describe, expect, it } from 'vitest';
import { flashOf, recentFirst } from './recentKeys';

const k = (db: number, key: string) => ({ db, key });

describe('recentFirst', () => {
  it('puts the keys changed last first, newest first, then the rest in the order given', () => {
    const keys = [k(0, 'a'), k(0, 'b'), k(0, 'c'), k(0, 'd'), k(1, 'b')];
    const flashes = new Map([
      ['b', 3],
      ['c', 7],
    ]);
    const got = recentFirst(keys, flashes, 10);
    expect(got.map((x) => `${x.db}:${x.key}`)).toEqual(['0:c', '0:b', '1:b', '0:a', '0:d']);
    expect(recentFirst(keys, flashes, 2).map((x) => x.key)).toEqual(['c', 'b']);
    expect(recentFirst(keys, undefined, 3).map((x) => x.key)).toEqual(['a', 'b', 'c']);
  });

  it('agrees with sorting every key by its counter, on 300 random keyspaces', () => {
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let run = 0; run < 300; run++) {
      const keys = Array.from({ length: rnd(60) }, () => k(rnd(3), `k${rnd(40)}`));
      const flashes: Record<string, number> = {};
      for (let i = rnd(20); i > 0; i--) flashes[`k${rnd(40)}`] = 1 + rnd(1000);
      const map = new Map(Object.entries(flashes));
      const limit = 1 + rnd(10);
      const brute = [...keys]
        .sort((a, b) => (flashes[b.key] ?? 0) - (flashes[a.key] ?? 0))
        .slice(0, limit);
      expect(recentFirst(keys, map, limit)).toEqual(brute);
    }
  });

  it('reads no counter from a key named like an object property', () => {
    expect(flashOf(new Map([['a', 1]]), 'constructor')).toBeUndefined();
    expect(flashOf(new Map([['a', 1]]), 'toString')).toBeUndefined();
    expect(flashOf(new Map([['__proto__', 3]]), '__proto__')).toBe(3);
    const keys = [k(0, 'constructor'), k(0, 'z')];
    expect(recentFirst(keys, new Map([['z', 2]]), 2).map((x) => x.key)).toEqual([
      'z',
      'constructor',
    ]);
  });
});
