/** RESP byte arithmetic. Offsets in Redis count bytes of the RESP stream, and strings are UTF-8. */

/** Bytes of a JS string once encoded as UTF-8 (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

const digits = (n: number): number => String(n).length;

/** Length of `*argc\r\n` + `$len\r\narg\r\n`… — what one command adds to master_repl_offset. */
export function respLength(argv: readonly string[]): number {
  let n = 1 + digits(argv.length) + 2;
  for (const a of argv) {
    const len = utf8Length(a);
    n += 1 + digits(len) + 2 + len + 2;
  }
  return n;
}

/** The RESP text of a command (as a JS string; its UTF-8 encoding is the wire bytes). */
export function respEncode(argv: readonly string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${utf8Length(a)}\r\n${a}\r\n`;
  return s;
}
