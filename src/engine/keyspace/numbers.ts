/**
 * Numbers as Redis parses and prints them: int64 strings (string2ll) and the x87 80-bit long
 * double INCRBYFLOAT computes in (string2ld, +, ld2string).
 */
import type { Reply } from '../reply';
import { NOT_FLOAT, err } from '../reply';

export const INT64_MIN = -(1n << 63n);
export const INT64_MAX = (1n << 63n) - 1n;

/** Redis string2ll: optional '-', no '+', no spaces, no leading zeros, fits int64. */
export function parseInt64(s: string): bigint | null {
  if (s.length === 0 || s.length >= 21) return null;
  if (s === '0') return 0n;
  if (!/^-?[1-9][0-9]*$/.test(s)) return null;
  const v = BigInt(s);
  if (v < INT64_MIN || v > INT64_MAX) return null;
  return v;
}

// ---------------------------------------------------------------------------------------------
// x87 80-bit long double emulation (64-bit mantissa), for INCRBYFLOAT (strtold, +, "%.17Lf").

interface LD {
  neg: boolean;
  /** value = m * 2^e, m < 2^64 (0 for zero) */
  m: bigint;
  e: number;
}

const LD_MANT_BITS = 64;
const LD_MAX_EXP = 16384; // values >= 2^16384 are infinite

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** Round the positive integer n * 2^e to a 64-bit mantissa (round half to even). */
function ldRoundInt(neg: boolean, n: bigint, e: number): LD {
  if (n === 0n) return { neg, m: 0n, e: 0 };
  const bl = bitLength(n);
  if (bl <= LD_MANT_BITS) return { neg, m: n, e };
  const shift = bl - LD_MANT_BITS;
  let q = n >> BigInt(shift);
  const r = n - (q << BigInt(shift));
  const half = 1n << BigInt(shift - 1);
  if (r > half || (r === half && (q & 1n) === 1n)) q++;
  let ee = e + shift;
  if (q === 1n << BigInt(LD_MANT_BITS)) {
    q >>= 1n;
    ee++;
  }
  return { neg, m: q, e: ee };
}

/** Round num/den (positive) to a 64-bit mantissa. */
function ldRoundRational(neg: boolean, num: bigint, den: bigint): LD {
  if (num === 0n) return { neg, m: 0n, e: 0 };
  let k = LD_MANT_BITS - (bitLength(num) - bitLength(den));
  for (;;) {
    const n2 = k >= 0 ? num << BigInt(k) : num;
    const d2 = k >= 0 ? den : den << BigInt(-k);
    const q = n2 / d2;
    if (q >= 1n << BigInt(LD_MANT_BITS)) {
      k--;
      continue;
    }
    if (q < 1n << BigInt(LD_MANT_BITS - 1)) {
      k++;
      continue;
    }
    const r = n2 - q * d2;
    let qq = q;
    if (2n * r > d2 || (2n * r === d2 && (q & 1n) === 1n)) qq++;
    return ldRoundInt(neg, qq, -k);
  }
}

function ldIsInf(x: LD): boolean {
  return x.m !== 0n && bitLength(x.m) + x.e > LD_MAX_EXP;
}

/** strtold as Redis string2ld uses it. Returns 'inf' for infinities, null when invalid. */
function parseLongDouble(s: string): LD | 'inf' | null {
  if (s.length === 0 || s.length >= 5 * 1024) return null;
  if (/^\s/.test(s)) return null;
  const m = /^([+-]?)(.*)$/s.exec(s);
  if (!m) return null;
  const neg = m[1] === '-';
  const body = m[2] ?? '';
  if (/^(inf|infinity)$/i.test(body)) return 'inf';
  const hex = /^0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?[0-9]+))?$/i.exec(body);
  if (hex) {
    const ip = hex[1] ?? '';
    const fp = hex[2] ?? '';
    if (ip.length + fp.length === 0) return null;
    const mant = BigInt('0x' + (ip + fp || '0'));
    const exp = Number(hex[3] ?? '0') - 4 * fp.length;
    const r =
      exp >= 0
        ? ldRoundInt(neg, mant << BigInt(exp), 0)
        : ldRoundRational(neg, mant, 1n << BigInt(-exp));
    return ldIsInf(r) ? 'inf' : r;
  }
  const dec = /^([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(body);
  if (!dec) return null;
  const ip = dec[1] ?? '';
  const fp = dec[2] ?? '';
  if (ip.length + fp.length === 0) return null;
  const digits = BigInt(ip + fp || '0');
  const exp10 = Number(dec[3] ?? '0') - fp.length;
  if (digits === 0n) return { neg, m: 0n, e: 0 };
  const mag = (ip + fp).replace(/^0+/, '').length + exp10;
  if (mag > 4940) return 'inf';
  if (mag < -4940) return null; // underflow (ERANGE with a zero result)
  const r =
    exp10 >= 0
      ? ldRoundInt(neg, digits * 10n ** BigInt(exp10), 0)
      : ldRoundRational(neg, digits, 10n ** BigInt(-exp10));
  return ldIsInf(r) ? 'inf' : r;
}

function ldAdd(a: LD, b: LD): LD {
  if (a.m === 0n) return b;
  if (b.m === 0n) return a;
  const e = Math.min(a.e, b.e);
  const av = (a.m << BigInt(a.e - e)) * (a.neg ? -1n : 1n);
  const bv = (b.m << BigInt(b.e - e)) * (b.neg ? -1n : 1n);
  const s = av + bv;
  if (s === 0n) return { neg: false, m: 0n, e: 0 };
  return ldRoundInt(s < 0n, s < 0n ? -s : s, e);
}

/** Redis ld2string(LD_STR_HUMAN): "%.17Lf" then trailing zeros (and the dot) removed, "-0" → "0". */
function formatLongDoubleHuman(x: LD): string {
  let q: bigint;
  if (x.e >= 0) q = (x.m << BigInt(x.e)) * 10n ** 17n;
  else {
    const scaled = x.m * 10n ** 17n;
    const sh = BigInt(-x.e);
    q = scaled >> sh;
    const r = scaled - (q << sh);
    const half = 1n << (sh - 1n);
    if (r > half || (r === half && (q & 1n) === 1n)) q++;
  }
  const ipart = (q / 10n ** 17n).toString();
  const frac = (q % 10n ** 17n).toString().padStart(17, '0').replace(/0+$/, '');
  let s = (x.neg ? '-' : '') + ipart + (frac ? '.' + frac : '');
  if (s === '-0') s = '0';
  return s;
}

/** INCRBYFLOAT arithmetic on decimal strings: returns the new value text, or an error reply. */
export function incrByFloatText(current: string | null, incr: string): string | Reply {
  const a = current === null ? ({ neg: false, m: 0n, e: 0 } as LD) : parseLongDouble(current);
  const b = parseLongDouble(incr);
  if (a === null || b === null) return NOT_FLOAT;
  if (a === 'inf' || b === 'inf') return err('ERR increment would produce NaN or Infinity');
  const r = ldAdd(a, b);
  if (ldIsInf(r)) return err('ERR increment would produce NaN or Infinity');
  return formatLongDoubleHuman(r);
}
