/**
 * The lab script parser and printer. Grammar: docs/lab-script.md. Command lines are split exactly
 * as redis-cli splits them (sdssplitargs), with one addition: `#` at the start of a token (start
 * of line, or after whitespace, outside quotes) begins a comment.
 */
import { VERSIONS } from '../engine/dialect';
import type { Version } from '../engine/types';
import { civilFromDays } from '../engine/log';
import { LabScriptError } from './ast';
import type { Pos, Script, Statement } from './ast';

/** Words that start a directive line; a server may not be called by one of them (any case). */
/** The words that start a scenario's own lines (scenario.ts); no server may be named so. */
export const SCENARIO_WORDS: ReadonlySet<string> = new Set([
  'scenario',
  'title',
  'step',
  'say',
  'note',
  'highlight',
  'quote',
  'ask',
  'twin',
]);

const KEYWORDS: ReadonlySet<string> = new Set([
  'server',
  'wait',
  'net',
  'restart',
  'remove',
  'show',
  'clock',
  'version',
  'latency',
  // A scenario's own lines (scenario.ts).
  ...SCENARIO_WORDS,
]);

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** Names every plain object already has (`constructor`, `__proto__`…): servers are keys of records. */
const RESERVED_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));
const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_PORT = 6379;

// ---------------------------------------------------------------------------------------------
// Splitting (sdssplitargs)

export interface Token {
  readonly text: string;
  /** 1-based column (UTF-16 index + 1) of the token's first character. */
  readonly col: number;
}

export type SplitResult =
  | { readonly ok: true; readonly tokens: Token[] }
  | { readonly ok: false; readonly col: number; readonly reason: string };

/** C isspace() in the C locale. */
const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** Builds one argument: text, plus raw bytes from \xHH escapes decoded as UTF-8 where valid. */
class ArgBuilder {
  private text = '';
  private bytes: number[] = [];
  addChar(c: string): void {
    this.flush();
    this.text += c;
  }
  addByte(b: number): void {
    this.bytes.push(b);
  }
  done(): string {
    this.flush();
    return this.text;
  }
  private flush(): void {
    if (this.bytes.length > 0) this.text += decodeUtf8Lenient(this.bytes);
    this.bytes = [];
  }
}

/** UTF-8 decoding where a byte that starts no valid sequence stands for the code point of the same value. */
function decodeUtf8Lenient(bytes: readonly number[]): string {
  let out = '';
  let i = 0;
  const cont = (k: number): number => {
    const b = bytes[k];
    return b !== undefined && (b & 0xc0) === 0x80 ? b & 0x3f : -1;
  };
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    let cp = -1;
    let len = 1;
    if (b < 0x80) cp = b;
    else if (b >= 0xc2 && b <= 0xdf) {
      const c1 = cont(i + 1);
      if (c1 >= 0) [cp, len] = [((b & 0x1f) << 6) | c1, 2];
    } else if (b >= 0xe0 && b <= 0xef) {
      const c1 = cont(i + 1);
      const c2 = cont(i + 2);
      const v = ((b & 0x0f) << 12) | (c1 << 6) | c2;
      if (c1 >= 0 && c2 >= 0 && v >= 0x800) [cp, len] = [v, 3];
    } else if (b >= 0xf0 && b <= 0xf4) {
      const c1 = cont(i + 1);
      const c2 = cont(i + 2);
      const c3 = cont(i + 3);
      const v = ((b & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
      if (c1 >= 0 && c2 >= 0 && c3 >= 0 && v >= 0x10000 && v <= 0x10ffff) [cp, len] = [v, 4];
    }
    if (cp < 0) out += String.fromCharCode(b);
    else out += String.fromCodePoint(cp);
    i += len;
  }
  return out;
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07' };

/**
 * sdssplitargs, character for character. With `comments`, a `#` where a token would start ends
 * the line. A NUL character ends the line, as it does for the C string.
 */
/** One line's tokens with their columns, quoted as redis-cli quotes; `#` starts a comment. */
export function tokenizeLine(line: string): SplitResult {
  return split(line, true);
}

function split(input: string, comments: boolean): SplitResult {
  const nul = input.indexOf('\0');
  const line = nul >= 0 ? input.slice(0, nul) : input;
  const n = line.length;
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) return { ok: true, tokens };
    if (comments && line[i] === '#') return { ok: true, tokens };
    const col = i + 1;
    const arg = new ArgBuilder();
    let inq = false;
    let insq = false;
    let quoteCol = 0;
    let done = false;
    while (!done) {
      const c = line[i];
      if (inq) {
        if (c === '\\' && line[i + 1] === 'x' && isHex(line[i + 2]) && isHex(line[i + 3])) {
          arg.addByte(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === '\\' && i + 1 < n) {
          i++;
          const e = line[i] ?? '';
          arg.addChar(ESCAPES[e] ?? e);
        } else if (c === '"') {
          if (i + 1 < n && !isSpace(line[i + 1])) {
            return {
              ok: false,
              col: i + 2,
              reason: 'a closing quote must be followed by a space or the end of the line',
            };
          }
          done = true;
        } else if (c === undefined) {
          return { ok: false, col: quoteCol, reason: 'unbalanced quotes' };
        } else {
          arg.addChar(c);
        }
      } else if (insq) {
        if (c === '\\' && line[i + 1] === "'") {
          i++;
          arg.addChar("'");
        } else if (c === "'") {
          if (i + 1 < n && !isSpace(line[i + 1])) {
            return {
              ok: false,
              col: i + 2,
              reason: 'a closing quote must be followed by a space or the end of the line',
            };
          }
          done = true;
        } else if (c === undefined) {
          return { ok: false, col: quoteCol, reason: 'unbalanced quotes' };
        } else {
          arg.addChar(c);
        }
      } else if (c === undefined || c === ' ' || c === '\n' || c === '\r' || c === '\t') {
        done = true;
      } else if (c === '"') {
        inq = true;
        quoteCol = i + 1;
      } else if (c === "'") {
        insq = true;
        quoteCol = i + 1;
      } else {
        arg.addChar(c);
      }
      if (i < n) i++;
    }
    tokens.push({ text: arg.done(), col });
  }
}

/**
 * Split a line into arguments exactly as redis-cli does (sdssplitargs): blanks separate
 * arguments; "double quotes" take \" \\ \n \r \t \b \a \xHH escapes; 'single quotes' take only \';
 * a closing quote must be followed by a space or the end of the line. Null on a quoting error.
 * Bytes written as \xHH are decoded as UTF-8 (a byte that is not part of valid UTF-8 becomes the
 * character with that code, U+0080..U+00FF).
 */
export function splitArgs(line: string): string[] | null {
  const r = split(line, false);
  return r.ok ? r.tokens.map((t) => t.text) : null;
}

/**
 * Quote one argument so that splitArgs (and the lab script) gives it back: plain when it is
 * non-empty and has no blank, control character, quote, and does not start with `#`; otherwise
 * in double quotes with sdscatrepr's escapes (\" \\ \n \r \t \a \b, \xHH for other ASCII control
 * characters). Non-ASCII text is kept as it is.
 */
export function quoteArg(arg: string): string {
  const plain = [...arg].every((ch) => ch > ' ' && ch !== '\x7f' && ch !== '"' && ch !== "'");
  if (arg !== '' && !arg.startsWith('#') && plain) return arg;
  let out = '"';
  for (const ch of arg) {
    const c = ch.charCodeAt(0);
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

// ---------------------------------------------------------------------------------------------
// Durations, sizes, dates

/**
 * The longest one `wait` may be: a day of simulated time. A day takes one to two seconds with
 * five servers (their pings and crons are events); a longer one would hold the page for as long
 * as the user waits (`wait 99999999m`), and a day already covers Redis's default timeouts
 * (repl-backlog-ttl is an hour). Several waits go further.
 */
export const MAX_WAIT_MS = 24 * 60 * 60_000;

/** '250ms', '6s', '1.5s', '2m' → milliseconds (rounded to a whole ms); a bare number is ms. */
export function parseDuration(token: string): number | null {
  const m = /^(\d+(?:\.\d+)?|\.\d+)(ms|s|m)?$/i.exec(token);
  if (m === null) return null;
  const unit = (m[2] ?? 'ms').toLowerCase();
  const factor = unit === 'm' ? 60_000 : unit === 's' ? 1000 : 1;
  const ms = Math.round(Number(m[1]) * factor);
  return Number.isSafeInteger(ms) ? ms : null;
}

function formatDuration(ms: number): string {
  if (ms > 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms > 0 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1024,
  mb: 1024 ** 2,
  gb: 1024 ** 3,
};

/** '10mb' → bytes (1kb = 1024); a bare number is bytes. Null if malformed or not positive. */
function parseSize(token: string): number | null {
  const m = /^(\d+(?:\.\d+)?|\.\d+)(b|kb|mb|gb)?$/i.exec(token);
  if (m === null) return null;
  const bytes = Math.round(Number(m[1]) * (SIZE_UNITS[(m[2] ?? 'b').toLowerCase()] ?? 1));
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : null;
}

function formatSize(bytes: number): string {
  for (const unit of ['gb', 'mb', 'kb'] as const) {
    const f = SIZE_UNITS[unit] ?? 1;
    if (bytes % f === 0) return `${bytes / f}${unit}`;
  }
  return `${bytes}b`;
}

/** `YYYY-MM-DD` and `HH:MM:SS[.mmm]` (UTC) → ms since the epoch, or null. */
function parseWallClock(date: string, time: string): number | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(time);
  if (d === null || t === null) return null;
  const [y, mo, da] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const [h, mi, s] = [Number(t[1]), Number(t[2]), Number(t[3])];
  const ms = Number((t[4] ?? '0').padEnd(3, '0'));
  if (mo < 1 || mo > 12 || da < 1 || h > 23 || mi > 59 || s > 59) return null;
  const daysInMonth = Date.UTC(y, mo, 0) / 86_400_000 - Date.UTC(y, mo - 1, 0) / 86_400_000;
  if (da > daysInMonth) return null;
  return Date.UTC(y, mo - 1, da, h, mi, s, ms);
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** ms since the epoch → `YYYY-MM-DD HH:MM:SS[.mmm]` (UTC), without Date objects. */
function formatWallClock(wallMs: number): string {
  const days = Math.floor(wallMs / 86_400_000);
  let rest = wallMs - days * 86_400_000;
  const ms = rest % 1000;
  rest = (rest - ms) / 1000;
  const [h, mi, s] = [Math.floor(rest / 3600), Math.floor(rest / 60) % 60, rest % 60];
  const { y, m: mo, d: da } = civilFromDays(days);
  const base = `${pad(y, 4)}-${pad(mo)}-${pad(da)} ${pad(h)}:${pad(mi)}:${pad(s)}`;
  return ms === 0 ? base : `${base}.${pad(ms, 3)}`;
}

// ---------------------------------------------------------------------------------------------
// Parsing

function parseAddress(text: string): { host: string; port: number } | null {
  const m = /^(.+):(\d{1,5})$/.exec(text);
  if (m === null) return null;
  const host = m[1] ?? '';
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return null;
  const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (ipv4 !== null) return ipv4.slice(1).every((o) => Number(o) <= 255) ? { host, port } : null;
  if (/^\d+(\.\d+)*$/.test(host)) return null; // looks numeric but is not an IPv4 address
  const label = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
  return host.length <= 253 && host.split('.').every((l) => label.test(l)) ? { host, port } : null;
}

/** Servers a script may name without declaring them: those a running lab declared before it. */
export interface ParseContext {
  readonly servers: readonly {
    readonly name: string;
    readonly host: string;
    readonly port: number;
  }[];
}

/**
 * Parse a lab script. Throws LabScriptError (1-based line and column) on the first error. With
 * `context`, the script reads as if its servers' `server` lines came before it (the console and
 * the toolbar parse one line at a time in a running lab).
 */
export function parseScript(text: string, context?: ParseContext): Script {
  const statements: Statement[] = [];
  const servers = new Map<string, Pos>();
  let declaredCount = 0;
  const addresses = new Map<string, string>();
  for (const d of context?.servers ?? []) {
    servers.set(d.name, { line: 0, col: 1 });
    declaredCount++;
    addresses.set(`${d.host}:${d.port}`, d.name);
  }
  const lines = text.split('\n');

  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const split1 = split(line, true);
    if (!split1.ok) throw new LabScriptError({ line: lineNo, col: split1.col }, split1.reason);
    const tokens = split1.tokens;
    const first = tokens[0];
    if (first === undefined) return;
    const pos: Pos = { line: lineNo, col: first.col };
    const at = (t: Token | undefined, reason: string): LabScriptError =>
      new LabScriptError(
        t === undefined ? { line: lineNo, col: line.length + 1 } : { line: lineNo, col: t.col },
        reason,
      );
    /** Exactly `n` tokens after the keyword, or the usage error at the first wrong one. */
    const arity = (n: number, usage: string): void => {
      if (tokens.length !== n + 1) throw at(tokens[Math.min(tokens.length, n + 1)], usage);
    };
    const server = (t: Token | undefined, usage: string): string => {
      if (t === undefined) throw at(t, usage);
      if (!servers.has(t.text)) throw at(t, `unknown server '${t.text}'`);
      return t.text;
    };

    const keyword = first.text.toLowerCase();
    if (servers.has(first.text)) {
      const argv = tokens.slice(1).map((t) => t.text);
      if (argv.length === 0) throw at(undefined, `a command is missing after '${first.text}'`);
      statements.push({ kind: 'command', pos, server: first.text, argv });
      return;
    }
    switch (keyword) {
      case 'server': {
        const usage = 'server needs: server NAME [HOST:PORT]';
        const nameTok = tokens[1];
        if (nameTok === undefined || tokens.length > 3) throw at(tokens[3], usage);
        const name = nameTok.text;
        if (!NAME_RE.test(name)) {
          throw at(
            nameTok,
            `bad server name '${name}': use letters, digits, '_' and '-', starting with a letter`,
          );
        }
        if (KEYWORDS.has(name.toLowerCase()))
          throw at(nameTok, `'${name}' is a directive; pick another server name`);
        if (RESERVED_NAMES.has(name))
          throw at(nameTok, `'${name}' is a reserved name; pick another server name`);
        if (servers.has(name)) throw at(nameTok, `server '${name}' is already declared`);
        let host = DEFAULT_HOST;
        let port = DEFAULT_PORT + declaredCount;
        const addrTok = tokens[2];
        if (addrTok !== undefined) {
          const addr = parseAddress(addrTok.text);
          if (addr === null)
            throw at(
              addrTok,
              `bad address '${addrTok.text}': use HOST:PORT, e.g. 192.168.1.10:6379`,
            );
          ({ host, port } = addr);
        }
        const key = `${host}:${port}`;
        const other = addresses.get(key);
        if (other !== undefined)
          throw at(addrTok ?? nameTok, `address ${key} is already used by '${other}'`);
        servers.set(name, pos);
        declaredCount++;
        addresses.set(key, name);
        statements.push({ kind: 'server', pos, name, host, port });
        return;
      }
      case 'wait': {
        const usage = 'wait needs a duration like 250ms, 6s or 2m';
        const ms = tokens.length === 2 && tokens[1] ? parseDuration(tokens[1].text) : null;
        if (ms === null)
          throw at(tokens.length === 2 ? tokens[1] : tokens[Math.min(tokens.length, 2)], usage);
        if (ms > MAX_WAIT_MS)
          throw at(tokens[1], 'wait is at most 1440m (a day): split a longer wait in several');
        statements.push({ kind: 'wait', pos, ms });
        return;
      }
      case 'net': {
        const usage = 'net needs: net NAME down [silent] | up | stop | start';
        const name = server(tokens[1], usage);
        const dir = tokens[2]?.text.toLowerCase();
        if (dir !== 'up' && dir !== 'down' && dir !== 'stop' && dir !== 'start')
          throw at(tokens[2], usage);
        const silentTok = tokens[3];
        const silent = silentTok !== undefined;
        if (silent && (dir !== 'down' || silentTok.text.toLowerCase() !== 'silent'))
          throw at(silentTok, usage);
        if (tokens.length > 4) throw at(tokens[4], usage);
        const op = dir === 'down' && silent ? 'silent' : dir;
        statements.push({ kind: 'net', pos, server: name, op });
        return;
      }
      case 'restart': {
        const usage = 'restart needs: restart NAME';
        const name = server(tokens[1], usage);
        arity(1, usage);
        statements.push({ kind: 'restart', pos, server: name });
        return;
      }
      case 'remove': {
        const usage = 'remove needs: remove NAME';
        const name = server(tokens[1], usage);
        arity(1, usage);
        servers.delete(name);
        for (const [addr, owner] of addresses) if (owner === name) addresses.delete(addr);
        statements.push({ kind: 'remove', pos, server: name });
        return;
      }
      case 'show': {
        const usage = 'show needs: show log|info NAME';
        const what = tokens[1]?.text.toLowerCase();
        if (what !== 'log' && what !== 'info') throw at(tokens[1], usage);
        const name = server(tokens[2], usage);
        arity(2, usage);
        statements.push({ kind: 'show', pos, what, server: name });
        return;
      }
      case 'clock': {
        const usage = 'clock needs a UTC date and time like 2020-02-27 14:06:23.000';
        if (servers.size > 0)
          throw at(first, "'clock' and 'version' must come before the first server");
        const [, date, time] = tokens;
        const wallMs = date && time ? parseWallClock(date.text, time.text) : null;
        if (wallMs === null) throw at(tokens[1], usage);
        arity(2, usage);
        statements.push({ kind: 'clock', pos, wallMs });
        return;
      }
      case 'version': {
        const usage = `version needs one of ${VERSIONS.join(', ')}`;
        if (servers.size > 0)
          throw at(first, "'clock' and 'version' must come before the first server");
        const v = tokens[1]?.text.toLowerCase();
        const short: Record<string, Version> = {
          '5': '5.0',
          '6': '6.2',
          '7': '7.0',
          valkey: 'valkey-8.0',
        };
        const version =
          v === undefined
            ? null
            : (((VERSIONS as readonly string[]).includes(v) ? (v as Version) : short[v]) ?? null);
        if (version === null) throw at(tokens[1], usage);
        arity(1, usage);
        statements.push({ kind: 'version', pos, version });
        return;
      }
      case 'latency': {
        const usage =
          'latency needs: latency DURATION [bandwidth SIZE], e.g. latency 300ms bandwidth 10mb';
        const latencyMs = tokens[1] ? parseDuration(tokens[1].text) : null;
        if (latencyMs === null) throw at(tokens[1], usage);
        let bytesPerSec: number | null = null;
        if (tokens.length > 2) {
          if (tokens[2]?.text.toLowerCase() !== 'bandwidth') throw at(tokens[2], usage);
          bytesPerSec = tokens[3] ? parseSize(tokens[3].text) : null;
          if (bytesPerSec === null) {
            throw at(
              tokens[3],
              'bandwidth needs a size per second like 500kb or 10mb (b, kb, mb, gb; 1kb = 1024)',
            );
          }
          arity(3, usage);
        }
        statements.push({ kind: 'link', pos, latencyMs, bytesPerSec });
        return;
      }
      default:
        throw at(first, `unknown directive or server '${first.text}'`);
    }
  });
  return { statements };
}

// ---------------------------------------------------------------------------------------------
// Printing

/** One line of lab script that parses back to `s` (its `pos` aside). */
export function formatStatement(s: Statement): string {
  switch (s.kind) {
    case 'server':
      return `server ${s.name} ${s.host}:${s.port}`;
    case 'command':
      return [s.server, ...s.argv.map(quoteArg)].join(' ');
    case 'wait':
      return `wait ${formatDuration(s.ms)}`;
    case 'net':
      return `net ${s.server} ${s.op === 'silent' ? 'down silent' : s.op}`;
    case 'restart':
      return `restart ${s.server}`;
    case 'remove':
      return `remove ${s.server}`;
    case 'show':
      return `show ${s.what} ${s.server}`;
    case 'clock':
      return `clock ${formatWallClock(s.wallMs)}`;
    case 'version':
      return `version ${s.version}`;
    case 'link':
      return `latency ${formatDuration(s.latencyMs)}${s.bytesPerSec === null ? '' : ` bandwidth ${formatSize(s.bytesPerSec)}`}`;
  }
}
