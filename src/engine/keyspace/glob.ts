/** Glob matching (Redis stringmatchlen, on UTF-8 bytes), for KEYS and CONFIG GET. */
import { utf8Bytes } from './utf8';

export function globMatchBytes(p: number[], s: number[]): boolean {
  const skip = { v: false };
  return matchImpl(p, 0, s, 0, skip);
}

function matchImpl(
  p: number[],
  pi0: number,
  s: number[],
  si0: number,
  skip: { v: boolean },
): boolean {
  let pi = pi0;
  let si = si0;
  const pat = (i: number): number => p[i] ?? 0;
  const str = (i: number): number => s[i] ?? 0;
  const signed = (b: number): number => (b >= 128 ? b - 256 : b);
  while (pi < p.length && si < s.length) {
    const c = pat(pi);
    if (c === 42 /* * */) {
      while (pi < p.length && pat(pi + 1) === 42) pi++;
      if (p.length - pi === 1) return true;
      while (si < s.length) {
        if (matchImpl(p, pi + 1, s, si, skip)) return true;
        if (skip.v) return false;
        si++;
      }
      skip.v = true;
      return false;
    } else if (c === 63 /* ? */) {
      si++;
    } else if (c === 91 /* [ */) {
      pi++;
      const not = pat(pi) === 94; /* ^ */
      if (not) pi++;
      let match = false;
      for (;;) {
        const pl = p.length - pi;
        if (pat(pi) === 92 /* \ */ && pl >= 2) {
          pi++;
          if (pat(pi) === str(si)) match = true;
        } else if (pat(pi) === 93 /* ] */) {
          break;
        } else if (pl <= 0) {
          pi--;
          break;
        } else if (pl >= 3 && pat(pi + 1) === 45 /* - */) {
          let start = signed(pat(pi));
          let end = signed(pat(pi + 2));
          const ch = signed(str(si));
          if (start > end) [start, end] = [end, start];
          pi += 2;
          if (ch >= start && ch <= end) match = true;
        } else if (pat(pi) === str(si)) match = true;
        pi++;
      }
      if (not) match = !match;
      if (!match) return false;
      si++;
    } else {
      if (c === 92 /* \ */ && p.length - pi >= 2) pi++;
      if (pat(pi) !== str(si)) return false;
      si++;
    }
    pi++;
    if (si >= s.length) {
      while (pat(pi) === 42 && pi < p.length) pi++;
      break;
    }
  }
  return pi >= p.length && si >= s.length;
}

/** Redis glob-style match (KEYS), byte-wise on UTF-8. */
export function globMatch(pattern: string, s: string): boolean {
  return globMatchBytes(utf8Bytes(pattern), utf8Bytes(s));
}
