/**
 * A seeded random source whose whole state is four 32-bit numbers kept inside the simulation
 * state (xoshiro128**), so a snapshot carries it and a restored run draws the same numbers.
 */
export type RngState = [number, number, number, number];

export function seedRng(seed: number): RngState {
  // splitmix32 to spread the seed over the four words
  let x = seed >>> 0;
  const next = (): number => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  return [next(), next(), next(), next() || 1];
}

/** Next 32-bit unsigned integer; advances `s` in place. */
export function nextU32(s: RngState): number {
  const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
  const t = (s[1] << 9) >>> 0;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  for (let i = 0; i < 4; i++) s[i] = s[i]! >>> 0;
  return result;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Integer in [lo, hi]. */
export function nextInt(s: RngState, lo: number, hi: number): number {
  return lo + (nextU32(s) % (hi - lo + 1));
}

/** 40 hex characters, like Redis's getRandomHexChars for a replication ID. */
export function nextHex40(s: RngState): string {
  let out = '';
  while (out.length < 40) out += nextU32(s).toString(16).padStart(8, '0');
  return out.slice(0, 40);
}
