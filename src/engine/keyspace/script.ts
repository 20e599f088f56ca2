/**
 * EVAL (script_lua.c, eval.c) for the scripts a course writes, without a Lua interpreter.
 *
 * The subset: a script is a sequence of statements separated by `;`, newlines or spaces, each
 * `redis.call(...)` or `redis.pcall(...)`, the last one optionally preceded by `return`; or a
 * final `return` of a string literal, an integer, `KEYS[n]` or `ARGV[n]`. Arguments are
 * `KEYS[n]`, `ARGV[n]`, string literals ('...' or "..." with \n \t \\ \' \" \ddd escapes) and
 * integers. Anything else (variables, expressions, `local`, `if`, loops, Lua functions) is
 * refused with an error that says so: the lab does not pretend to run Lua.
 *
 * What Redis 7.0 does and this reproduces: the commands run one after another on the keyspace;
 * a failed redis.call ends the script with the command's error followed by
 * " script: <sha1 of the body>, on @user_script:<line>." (what ran before stays done); a failed
 * redis.pcall returns the error to the script; replies go through the Lua conversion (a nil bulk
 * or nil array becomes false, then a nil bulk); the script's writes are propagated as the commands
 * it ran (effects replication), wrapped in MULTI/EXEC by the caller when there are several.
 * The 5.0 dialect replicates the script itself instead (EVAL as it was called, when it changed
 * the dataset), and the replica runs it.
 * A read-only replica refuses a write from a script with READONLY.
 */
import type { Reply } from '../reply';
import { NIL, array, bulk, err, int, NOT_INTEGER } from '../reply';
import type { Exec } from './exec';
import { addScript } from './db';
import { arg } from './exec';
import { parseInt64 } from './numbers';
import { utf8Bytes } from './utf8';

export interface ScriptHost {
  /** The spec of a command a script may call, or null if Redis does not know it. */
  spec(name: string): { arity: number; write: boolean; scriptable: boolean } | null;
  /** Runs one command for the script; its effects go to the script's propagation list. */
  call(argv: string[]): Reply;
}

type Arg = { k: 'keys' | 'argv'; i: number } | { k: 'str'; v: string } | { k: 'int'; v: string };

interface Stmt {
  ret: boolean;
  line: number;
  call: { pcall: boolean; args: Arg[] } | null;
  value: Arg | null;
}

class Unsupported extends Error {}

/** Parses the subset; throws Unsupported for anything else. */
function parseScript(src: string): Stmt[] {
  let i = 0;
  let line = 1;
  const out: Stmt[] = [];
  const ws = (): void => {
    for (;;) {
      const c = src[i];
      if (c === '\n') line++;
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === ';') i++;
      else if (src.startsWith('--', i) && !src.startsWith('--[', i)) {
        while (i < src.length && src[i] !== '\n') i++;
      } else return;
    }
  };
  const expect = (t: string): void => {
    if (!src.startsWith(t, i)) throw new Unsupported();
    i += t.length;
  };
  const inlineWs = (): void => {
    while (src[i] === ' ' || src[i] === '\t') i++;
  };
  const parseArg = (): Arg => {
    inlineWs();
    const m = /^(KEYS|ARGV)\s*\[\s*([0-9]+)\s*\]/.exec(src.slice(i));
    if (m) {
      i += m[0].length;
      return { k: m[1] === 'KEYS' ? 'keys' : 'argv', i: Number(m[2]) };
    }
    const n = /^-?[0-9]+(?![0-9.eExX])/.exec(src.slice(i));
    if (n) {
      i += n[0].length;
      return { k: 'int', v: String(BigInt(n[0])) };
    }
    const q = src[i];
    if (q === "'" || q === '"') {
      i++;
      let s = '';
      for (;;) {
        const c = src[i];
        if (c === undefined || c === '\n') throw new Unsupported();
        i++;
        if (c === q) break;
        if (c !== '\\') {
          s += c;
          continue;
        }
        const e = src[i++];
        const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'" };
        esc['"'] = '"';
        if (e !== undefined && esc[e] !== undefined) s += esc[e];
        else if (e !== undefined && /[0-9]/.test(e)) {
          const d = /^[0-9]{1,3}/.exec(src.slice(i - 1))![0];
          i += d.length - 1;
          if (Number(d) > 255) throw new Unsupported();
          s += String.fromCharCode(Number(d));
        } else throw new Unsupported();
      }
      return { k: 'str', v: s };
    }
    throw new Unsupported();
  };
  ws();
  while (i < src.length) {
    const startLine = line;
    let ret = false;
    if (/^return\b/.test(src.slice(i))) {
      ret = true;
      i += 6;
      inlineWs();
    }
    const cm = /^redis\s*\.\s*(call|pcall)\s*\(/.exec(src.slice(i));
    if (cm) {
      i += cm[0].length;
      const args: Arg[] = [];
      inlineWs();
      if (src[i] !== ')') {
        for (;;) {
          args.push(parseArg());
          inlineWs();
          if (src[i] === ',') {
            i++;
            continue;
          }
          break;
        }
      }
      inlineWs();
      expect(')');
      out.push({ ret, line: startLine, call: { pcall: cm[1] === 'pcall', args }, value: null });
    } else if (ret) {
      const end = /^\s*(;|$)/.test(src.slice(i));
      out.push({ ret, line: startLine, call: null, value: end ? null : parseArg() });
    } else throw new Unsupported();
    const before = i;
    ws();
    if (i === before && i < src.length) throw new Unsupported();
    if (ret && i < src.length) throw new Unsupported(); // return must be the last statement
  }
  return out;
}

/** Redis reply → Lua value → Redis reply: nil bulks and nil arrays come back as nil bulks. */
function throughLua(r: Reply): Reply {
  if (r.t === 'bulk' && r.v === null) return NIL;
  if (r.t === 'array') return r.v === null ? NIL : array(r.v.map(throughLua));
  return r;
}

export const SCRIPT_SUBSET_ERROR =
  'ERR this lab runs scripts made of redis.call/redis.pcall statements with KEYS[n], ARGV[n], ' +
  'string and integer arguments (and a final return); it has no Lua interpreter';

/** EVAL script numkeys [key ...] [arg ...] */
export function cmdEval(x: Exec, host: ScriptHost): Reply {
  const body = arg(x, 1);
  const nk = parseInt64(arg(x, 2));
  if (nk === null) return NOT_INTEGER;
  if (nk < 0n) return err("ERR Number of keys can't be negative");
  if (nk > BigInt(x.argv.length - 3))
    return err("ERR Number of keys can't be greater than number of args");
  const keys = x.argv.slice(3, 3 + Number(nk));
  const argv = x.argv.slice(3 + Number(nk));
  let stmts: Stmt[];
  try {
    stmts = parseScript(body);
  } catch (e) {
    if (e instanceof Unsupported) return err(SCRIPT_SUBSET_ERROR);
    throw e;
  }
  // evalGenericCommand → luaCreateFunction: a script that compiles stays in the cache, whatever
  // running it then does.
  addScript(x.ks, body);
  if (x.ctx.line < 7) {
    // ≤ 6.2 replicate a script's effects too (lua-replicate-commands, the default since 5.0),
    // in a MULTI/EXEC of their own from the first write on, unless the caller is in MULTI.
    const start = x.prop.length;
    const r = runScript(x, host, stmts, body, keys, argv);
    if (r.changed && !x.ctx.inMulti) {
      x.prop.splice(start, 0, ['MULTI']);
      x.prop.push(['EXEC']);
    }
    return r.reply;
  }
  return runScript(x, host, stmts, body, keys, argv).reply;
}

function runScript(
  x: Exec,
  host: ScriptHost,
  stmts: Stmt[],
  body: string,
  keys: readonly string[],
  argv: readonly string[],
): { reply: Reply; changed: boolean } {
  const start = x.prop.length;
  x.scriptWrote = false;
  const reply = runStatements(x, host, stmts, body, keys, argv);
  return { reply, changed: x.prop.length > start || (x.ctx.line < 7 && x.scriptWrote) };
}

function runStatements(
  x: Exec,
  host: ScriptHost,
  stmts: Stmt[],
  body: string,
  keys: readonly string[],
  argv: readonly string[],
): Reply {
  const sha = sha1Hex(body);
  // ≤ 6.2 (redis-server 5.0.14): "ERR Error running script (call to f_<sha>): @user_script:1: <error> ".
  const scriptErr = (msg: string, line: number): Reply =>
    x.ctx.line < 7
      ? err(`ERR Error running script (call to f_${sha}): @user_script:${line}: ${msg} `)
      : err(`${msg} script: ${sha}, on @user_script:${line}.`);
  const value = (a: Arg): string | null => {
    if (a.k === 'str' || a.k === 'int') return a.v;
    const arr = a.k === 'keys' ? keys : argv;
    return arr[a.i - 1] ?? null;
  };
  for (const st of stmts) {
    if (!st.call) {
      if (!st.value) return NIL;
      if (st.value.k === 'int') return int(Number(st.value.v));
      return bulk(value(st.value));
    }
    const args: string[] = [];
    for (const a of st.call.args) {
      const v = value(a);
      if (v === null)
        return scriptErr(
          'ERR Lua redis lib command arguments must be strings or integers',
          st.line,
        );
      args.push(v);
    }
    if (args.length === 0)
      return scriptErr('ERR Please specify at least one argument for this redis lib call', st.line);
    let r: Reply;
    const spec = host.spec(args[0]!);
    if (!spec) r = err('ERR Unknown Redis command called from script');
    else if ((spec.arity > 0 && args.length !== spec.arity) || args.length < -spec.arity)
      r = err('ERR Wrong number of args calling Redis command from script');
    else if (!spec.scriptable) r = err('ERR This Redis command is not allowed from script');
    else if (spec.write && x.ctx.readOnlyReplica === true)
      r = err(
        x.ctx.line < 7
          ? // 5.0.14's luaRedisGenericCommand wording, spaces included.
            `@user_script: ${st.line}: -READONLY You can't write against a read only replica.  `
          : "READONLY You can't write against a read only replica.",
      );
    else {
      // ≤ 6.2 emit MULTI as a write command is about to run, whether or not it then changes
      // anything (5.0.14 propagates MULTI/EXEC around a failed INCR).
      if (spec.write) x.scriptWrote = true;
      r = throughLua(host.call(args));
    }
    if (r.t === 'error') {
      if (!st.call.pcall) return scriptErr(r.v, st.line);
      if (st.ret) return r;
      continue;
    }
    if (st.ret) return r;
  }
  return NIL;
}

/** SHA-1 of the script body's UTF-8 bytes, in lower-case hex (the name Redis gives a script). */
export function sha1Hex(text: string): string {
  const bytes = utf8Bytes(text);
  const ml = bytes.length * 8;
  const msg = [...bytes, 0x80];
  while (msg.length % 64 !== 56) msg.push(0);
  for (let s = 56; s >= 0; s -= 8) msg.push(Math.floor(ml / 2 ** s) & 0xff);
  let h0 = 0x67452301;
  let h1 = 0xefcdab89;
  let h2 = 0x98badcfe;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0;
  const w = new Array<number>(80);
  const rotl = (v: number, n: number): number => ((v << n) | (v >>> (32 - n))) >>> 0;
  for (let off = 0; off < msg.length; off += 64) {
    for (let t = 0; t < 16; t++)
      w[t] =
        ((msg[off + 4 * t]! << 24) |
          (msg[off + 4 * t + 1]! << 16) |
          (msg[off + 4 * t + 2]! << 8) |
          msg[off + 4 * t + 3]!) >>>
        0;
    for (let t = 16; t < 80; t++) w[t] = rotl(w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!, 1);
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    for (let t = 0; t < 80; t++) {
      let f: number;
      let k: number;
      if (t < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (t < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6;
      }
      const tmp = (rotl(a, 5) + (f >>> 0) + e + k + w[t]!) >>> 0;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = tmp;
    }
    h0 = (h0 + a) >>> 0;
    h1 = (h1 + b) >>> 0;
    h2 = (h2 + c) >>> 0;
    h3 = (h3 + d) >>> 0;
    h4 = (h4 + e) >>> 0;
  }
  return [h0, h1, h2, h3, h4].map((v) => v.toString(16).padStart(8, '0')).join('');
}
