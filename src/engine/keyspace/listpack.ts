/** Listpack bytes (listpack.c): how Redis 7.0 encodes a listpack's elements, integers included. */
import { parseInt64 } from './numbers';
import { utf8Bytes } from './utf8';

export function pushLE(out: number[], v: bigint, n: number): void {
  let x = BigInt.asUintN(n * 8, v);
  for (let i = 0; i < n; i++) {
    out.push(Number(x & 0xffn));
    x >>= 8n;
  }
}

function lpEncodeEntry(s: string): number[] {
  const out: number[] = [];
  const v = parseInt64(s);
  if (v !== null) {
    if (v >= 0n && v <= 127n) out.push(Number(v));
    else if (v >= -4096n && v <= 4095n) {
      const u = Number(v < 0n ? (1n << 13n) + v : v);
      out.push((u >> 8) | 0xc0, u & 0xff);
    } else if (v >= -32768n && v <= 32767n) {
      out.push(0xf1);
      pushLE(out, v, 2);
    } else if (v >= -8388608n && v <= 8388607n) {
      out.push(0xf2);
      pushLE(out, v, 3);
    } else if (v >= -2147483648n && v <= 2147483647n) {
      out.push(0xf3);
      pushLE(out, v, 4);
    } else {
      out.push(0xf4);
      pushLE(out, v, 8);
    }
  } else {
    const b = utf8Bytes(s);
    const len = b.length;
    if (len < 64) out.push(0x80 | len);
    else if (len < 4096) out.push((len >> 8) | 0xe0, len & 0xff);
    else {
      out.push(0xf0);
      pushLE(out, BigInt(len), 4);
    }
    for (const c of b) out.push(c);
  }
  const l = out.length;
  if (l <= 127) out.push(l);
  else if (l < 16383) out.push(l >> 7, (l & 127) | 128);
  else if (l < 2097151) out.push(l >> 14, ((l >> 7) & 127) | 128, (l & 127) | 128);
  else if (l < 268435455)
    out.push(l >> 21, ((l >> 14) & 127) | 128, ((l >> 7) & 127) | 128, (l & 127) | 128);
  else
    out.push(
      l >> 28,
      ((l >> 21) & 127) | 128,
      ((l >> 14) & 127) | 128,
      ((l >> 7) & 127) | 128,
      (l & 127) | 128,
    );
  return out;
}

/** The bytes of a listpack holding these elements. */
export function listpackBytes(elems: readonly string[]): number[] {
  const body: number[] = [];
  for (const s of elems) for (const b of lpEncodeEntry(s)) body.push(b);
  const out: number[] = [];
  pushLE(out, BigInt(6 + body.length + 1), 4);
  pushLE(out, BigInt(Math.min(elems.length, 65535)), 2);
  for (const b of body) out.push(b);
  out.push(0xff);
  return out;
}
