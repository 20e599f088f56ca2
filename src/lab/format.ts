/**
 * Replies printed the way redis-cli 7.0 prints them (see redis-cli.c: cliFormatReplyRaw and
 * cliFormatReplyTTY). Both functions return the text WITHOUT the final newline that redis-cli
 * writes after every reply: print `formatReplyRaw(r) + '\n'` to reproduce its output byte for byte.
 */
import type { Reply } from '../engine/reply';

/**
 * What `redis-cli` prints when stdout is not a terminal (`--no-raw` off, the default for pipes):
 * strings and statuses as-is, integers as digits, nil and empty arrays as nothing, array elements
 * one per line (nested arrays flattened), errors as their text followed by an extra newline
 * (redis-cli really prints "ERR ...\n\n" for an error).
 */
export function formatReplyRaw(r: Reply): string {
  switch (r.t) {
    case 'status':
      return r.v;
    case 'error':
      return `${r.v}\n`;
    case 'int':
      return String(r.v);
    case 'bulk':
      return r.v ?? '';
    case 'array':
      return r.v === null ? '' : r.v.map(formatReplyRaw).join('\n');
  }
}

/**
 * What redis-cli prints on a terminal: `OK`, `(integer) 1`, `"bar"` (bytes escaped as sdscatrepr
 * does: `"introducci\xc3\xb3n"`), `(nil)`, `(empty array)`, `(error) ERR ...`, and numbered,
 * indented arrays. Pass the command's argv to get redis-cli's special case: INFO, CLIENT LIST and
 * a few other commands whose text replies it prints raw even on a terminal (errors still get
 * "(error) "). Such a text is printed as it is, with no newline added: its own final "\n" is
 * the one left out here (an empty INFO reply prints nothing at all, not even a newline).
 */
export function formatReplyTty(r: Reply, argv?: readonly string[]): string {
  const raw = r.t !== 'error' && argv !== undefined && printsRawOnTty(argv);
  const out = raw ? formatReplyRaw(r) : tty(r, '');
  return out.endsWith('\n') ? out.slice(0, -1) : out;
}

function tty(r: Reply, prefix: string): string {
  switch (r.t) {
    case 'status':
      return `${r.v}\n`;
    case 'error':
      return `(error) ${r.v}\n`;
    case 'int':
      return `(integer) ${r.v}\n`;
    case 'bulk':
      return r.v === null ? '(nil)\n' : `${repr(r.v)}\n`;
    case 'array': {
      if (r.v === null) return '(nil)\n';
      if (r.v.length === 0) return '(empty array)\n';
      const width = String(r.v.length).length;
      const childPrefix = prefix + ' '.repeat(width + 2);
      let out = '';
      r.v.forEach((el, i) => {
        out += `${i === 0 ? '' : prefix}${String(i + 1).padStart(width)}) ${tty(el, childPrefix)}`;
      });
      return out;
    }
  }
}

/** redis-cli (cliSendCommand) prints these commands' replies raw even on a terminal. */
function printsRawOnTty(argv: readonly string[]): boolean {
  const cmd = (argv[0] ?? '').toLowerCase();
  const sub = (argv[1] ?? '').toLowerCase();
  const n = argv.length;
  if (cmd === 'info' || cmd === 'lolwut') return true;
  if (n >= 2 && cmd === 'debug') return ['htstats', 'htstats-key', 'client-eviction'].includes(sub);
  if (n >= 2 && cmd === 'memory') return sub === 'malloc-stats' || sub === 'doctor';
  if (n === 2 && cmd === 'cluster') return sub === 'nodes' || sub === 'info';
  if (n >= 2 && cmd === 'client') return sub === 'list' || sub === 'info';
  if (cmd === 'latency') return (n === 3 && sub === 'graph') || (n === 2 && sub === 'doctor');
  return false;
}

/** sdscatrepr: a double-quoted string, escaping every non-printable byte of the UTF-8 text. */
function repr(s: string): string {
  let out = '"';
  for (const b of utf8Bytes(s)) {
    if (b === 0x5c) out += '\\\\';
    else if (b === 0x22) out += '\\"';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x07) out += '\\a';
    else if (b === 0x08) out += '\\b';
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += '\\x' + b.toString(16).padStart(2, '0');
  }
  return out + '"';
}

/** The UTF-8 encoding of a JS string (lone surrogates encoded as themselves, WTF-8 style). */
function utf8Bytes(s: string): number[] {
  const bytes: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80) bytes.push(c);
    else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else
      bytes.push(
        0xf0 | (c >> 18),
        0x80 | ((c >> 12) & 0x3f),
        0x80 | ((c >> 6) & 0x3f),
        0x80 | (c & 0x3f),
      );
  }
  return bytes;
}
