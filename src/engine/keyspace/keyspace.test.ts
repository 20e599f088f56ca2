import { describe, it, expect } from 'vitest';
import { utf8Length } from '../resp';
import { execKeyspaceCommand, isKeyspaceCommand, lookupCommand } from './commandTable';
import type { Keyspace } from './db';
import {
  activeExpire,
  cloneKeyspace,
  createKeyspace,
  dbSize,
  dumpKeyspace,
  flushAll,
  keyCount,
  keyspaceInfoLines,
  nextExpireAt,
} from './db';
import type { CommandContext } from './exec';
import { globMatch } from './glob';
import { incrByFloatText } from './numbers';

const NOW = 1582812383000;
const master: CommandContext = { nowMs: NOW, db: 0, mode: 'master', line: 7.0 };

function run(ks: Keyspace, argv: string[], ctx: Partial<CommandContext> = {}) {
  return execKeyspaceCommand(ks, argv, { ...master, ...ctx });
}
/** Run and return just the reply. */
function r(ks: Keyspace, ...argv: string[]) {
  return run(ks, argv).reply;
}

const e = (v: string) => ({ t: 'error', v });
const i = (v: number) => ({ t: 'int', v });
const b = (v: string | null) => ({ t: 'bulk', v });
const ok = { t: 'status', v: 'OK' };
const arr = (...vs: string[]) => ({ t: 'array', v: vs.map(b) });

// All expectations below were checked against redis-server 7.0.15 (replies, and propagation
// as seen by MONITOR on an attached replica).
describe('replies and errors', () => {
  it('checks arity first', () => {
    const ks = createKeyspace();
    expect(r(ks, 'set', 'k')).toEqual(e("ERR wrong number of arguments for 'set' command"));
    expect(r(ks, 'GET')).toEqual(e("ERR wrong number of arguments for 'get' command"));
    expect(r(ks, 'hset', 'h', 'f', '1', 'g')).toEqual(
      e("ERR wrong number of arguments for 'hset' command"),
    );
    expect(r(ks, 'lpop', 'l', '1', '2')).toEqual(
      e("ERR wrong number of arguments for 'lpop' command"),
    );
    expect(r(ks, 'foo', 'a')).toEqual(
      e("ERR unknown command 'foo', with args beginning with: 'a' "),
    );
  });

  it('SET options', () => {
    const ks = createKeyspace();
    expect(r(ks, 'set', 'k', 'v', 'NX', 'XX')).toEqual(e('ERR syntax error'));
    expect(r(ks, 'set', 'k', 'v', 'EX')).toEqual(e('ERR syntax error'));
    expect(r(ks, 'set', 'k', 'v', 'EX', '10', 'PX', '100')).toEqual(e('ERR syntax error'));
    expect(r(ks, 'set', 'k', 'v', 'KEEPTTL', 'EX', '10')).toEqual(e('ERR syntax error'));
    expect(r(ks, 'set', 'k', 'v', 'EX', 'abc')).toEqual(
      e('ERR value is not an integer or out of range'),
    );
    expect(r(ks, 'set', 'k', 'v', 'EX', '0')).toEqual(
      e("ERR invalid expire time in 'set' command"),
    );
    expect(r(ks, 'set', 'k', 'v', 'PX', '9223372036854775807')).toEqual(
      e("ERR invalid expire time in 'set' command"),
    );
    expect(r(ks, 'set', 'k', 'v')).toEqual(ok);
    expect(r(ks, 'set', 'k', 'w', 'GET')).toEqual(b('v'));
    expect(r(ks, 'set', 'nk', 'x', 'XX', 'GET')).toEqual(b(null));
    expect(r(ks, 'set', 'k', 'y', 'NX')).toEqual(b(null));
    expect(r(ks, 'get', 'k')).toEqual(b('w'));
    expect(r(ks, 'getset', 'k', 'z')).toEqual(b('w'));
    expect(r(ks, 'hset', 'h', 'f', '1')).toEqual(i(1));
    expect(r(ks, 'set', 'h', 'x', 'GET')).toEqual(
      e('WRONGTYPE Operation against a key holding the wrong kind of value'),
    );
  });

  it('generic commands', () => {
    const ks = createKeyspace();
    r(ks, 'set', 'k', 'v');
    expect(r(ks, 'exists', 'k', 'nokey', 'k')).toEqual(i(2));
    expect(r(ks, 'type', 'k')).toEqual({ t: 'status', v: 'string' });
    expect(r(ks, 'type', 'nokey')).toEqual({ t: 'status', v: 'none' });
    expect(r(ks, 'del', 'k', 'nokey', 'k')).toEqual(i(1));
    expect(r(ks, 'dbsize')).toEqual(i(0));
    expect(r(ks, 'flushdb', 'foo')).toEqual(e('ERR syntax error'));
    expect(r(ks, 'flushall', 'async')).toEqual(ok);
  });

  it('integers', () => {
    const ks = createKeyspace();
    r(ks, 'set', 'i', '10');
    expect(r(ks, 'incr', 'i')).toEqual(i(11));
    expect(r(ks, 'incrby', 'i', '-5')).toEqual(i(6));
    expect(r(ks, 'decrby', 'i', '100')).toEqual(i(-94));
    for (const bad of ['abc', '+1', '01', '-0', ' 1'])
      expect(r(ks, 'incrby', 'i', bad)).toEqual(e('ERR value is not an integer or out of range'));
    r(ks, 'set', 'i', '9223372036854775807');
    expect(r(ks, 'incr', 'i')).toEqual(e('ERR increment or decrement would overflow'));
    expect(r(ks, 'decrby', 'i', '-9223372036854775808')).toEqual(e('ERR decrement would overflow'));
    r(ks, 'set', 'i', ' 1');
    expect(r(ks, 'incr', 'i')).toEqual(e('ERR value is not an integer or out of range'));
    expect(r(ks, 'incr', 'new')).toEqual(i(1));
  });

  it('INCRBYFLOAT uses long double arithmetic and %.17Lf formatting', () => {
    const ks = createKeyspace();
    expect(r(ks, 'incrbyfloat', 'f', '1.1')).toEqual(b('1.1'));
    expect(r(ks, 'incrbyfloat', 'f', '3.0e3')).toEqual(b('3001.10000000000000009'));
    expect(r(ks, 'incrbyfloat', 'f', '-0.1')).toEqual(b('3001'));
    expect(r(ks, 'incrbyfloat', 'f', '+1')).toEqual(b('3002'));
    expect(r(ks, 'incrbyfloat', 'g', '0x10')).toEqual(b('16'));
    expect(r(ks, 'incrbyfloat', 'f', 'inf')).toEqual(
      e('ERR increment would produce NaN or Infinity'),
    );
    expect(r(ks, 'incrbyfloat', 'f', ' 1')).toEqual(e('ERR value is not a valid float'));
    expect(incrByFloatText(null, '1e30')).toBe('1000000000000000000024696061952');
    expect(incrByFloatText('1000000000000000000024696061952', '-1e30')).toBe('0');
    expect(incrByFloatText('1.1', '2.2')).toBe('3.3');
    expect(incrByFloatText(null, '-0.0')).toBe('0');
    expect(incrByFloatText('0', '1e-20')).toBe('0');
    expect(incrByFloatText(null, '3.14159265358979323846')).toBe('3.14159265358979324');
    expect(incrByFloatText(null, '1.7976931348623157e308')).toBe(
      '179769313486231569995921046774104434048386446944329178485314420765176628523124396354701868608387085564428793419425520689308708363451136055357897278026477617073498977686288394835618163294045594434929537447290627480669417384648879122776218333598953852832103282504751611691208117720159985926376802466863339536384',
    );
  });

  it('strings count UTF-8 bytes', () => {
    const ks = createKeyspace();
    expect(r(ks, 'append', 'a', 'héllo')).toEqual(i(6));
    expect(r(ks, 'append', 'a', '😀')).toEqual(i(10));
    expect(r(ks, 'strlen', 'a')).toEqual(i(10));
    expect(r(ks, 'strlen', 'nokey')).toEqual(i(0));
    expect(utf8Length('Curso de introducción a docker')).toBe(31);
  });

  it('hashes', () => {
    const ks = createKeyspace();
    expect(r(ks, 'hset', 'h', 'f', '1', 'g', '2')).toEqual(i(2));
    expect(r(ks, 'hset', 'h', 'f', '3', 'z', 'x')).toEqual(i(1));
    expect(r(ks, 'hmset', 'h', 'q', '1')).toEqual(ok);
    expect(r(ks, 'hget', 'h', 'f')).toEqual(b('3'));
    expect(r(ks, 'hget', 'h', 'nof')).toEqual(b(null));
    expect(r(ks, 'hgetall', 'h')).toEqual(arr('f', '3', 'g', '2', 'z', 'x', 'q', '1'));
    expect(r(ks, 'hdel', 'h', 'f', 'nof', 'g')).toEqual(i(2));
    expect(r(ks, 'hlen', 'h')).toEqual(i(2));
    expect(r(ks, 'hexists', 'h', 'z')).toEqual(i(1));
    expect(r(ks, 'get', 'h')).toEqual(
      e('WRONGTYPE Operation against a key holding the wrong kind of value'),
    );
    r(ks, 'hdel', 'h', 'z', 'q');
    expect(r(ks, 'exists', 'h')).toEqual(i(0));
  });

  it('lists', () => {
    const ks = createKeyspace();
    expect(r(ks, 'lpush', 'l', 'a', 'b', 'c')).toEqual(i(3));
    expect(r(ks, 'rpush', 'l', 'd', 'e')).toEqual(i(5));
    expect(r(ks, 'lrange', 'l', '0', '-1')).toEqual(arr('c', 'b', 'a', 'd', 'e'));
    expect(r(ks, 'lrange', 'l', '-100', '1')).toEqual(arr('c', 'b'));
    expect(r(ks, 'lrange', 'l', '3', '1')).toEqual(arr());
    expect(r(ks, 'lrange', 'l', 'a', '1')).toEqual(
      e('ERR value is not an integer or out of range'),
    );
    expect(r(ks, 'lpop', 'l')).toEqual(b('c'));
    expect(r(ks, 'rpop', 'l')).toEqual(b('e'));
    expect(r(ks, 'lpop', 'l', '0')).toEqual(arr());
    expect(r(ks, 'lpop', 'l', '-1')).toEqual(e('ERR value is out of range, must be positive'));
    expect(r(ks, 'lpop', 'nol')).toEqual(b(null));
    expect(r(ks, 'lpop', 'nol', '2')).toEqual({ t: 'array', v: null });
    expect(r(ks, 'rpop', 'l', '10')).toEqual(arr('d', 'a', 'b'));
    expect(r(ks, 'exists', 'l')).toEqual(i(0));
    expect(r(ks, 'llen', 'l')).toEqual(i(0));
  });

  it('sets', () => {
    const ks = createKeyspace();
    expect(r(ks, 'sadd', 's', '1', '2', 'a', '2')).toEqual(i(3));
    expect(r(ks, 'srem', 's', '1', 'zz')).toEqual(i(1));
    expect(r(ks, 'scard', 's')).toEqual(i(2));
    expect(r(ks, 'sismember', 's', 'a')).toEqual(i(1));
    expect(r(ks, 'sismember', 'nokey', 'a')).toEqual(i(0));
    r(ks, 'sadd', 'is', '5', '3', '10', '1');
    expect(r(ks, 'smembers', 'is')).toEqual(arr('1', '3', '5', '10'));
  });

  it('EXPIRE family and TTL', () => {
    const ks = createKeyspace();
    r(ks, 'set', 'a', 'v');
    expect(r(ks, 'expire', 'nokey', '10')).toEqual(i(0));
    expect(r(ks, 'expire', 'a', '10', 'XX')).toEqual(i(0));
    expect(r(ks, 'expire', 'a', '10', 'NX')).toEqual(i(1));
    expect(r(ks, 'expire', 'a', '5', 'GT')).toEqual(i(0));
    expect(r(ks, 'expire', 'a', '5', 'LT')).toEqual(i(1));
    expect(r(ks, 'expire', 'a', '5', 'NX', 'XX')).toEqual(
      e('ERR NX and XX, GT or LT options at the same time are not compatible'),
    );
    expect(r(ks, 'expire', 'a', '5', 'GT', 'LT')).toEqual(
      e('ERR GT and LT options at the same time are not compatible'),
    );
    expect(r(ks, 'expire', 'a', '5', 'foo')).toEqual(e('ERR Unsupported option foo'));
    expect(r(ks, 'expire', 'a', '9223372036854775807')).toEqual(
      e("ERR invalid expire time in 'expire' command"),
    );
    expect(r(ks, 'ttl', 'a')).toEqual(i(5));
    expect(r(ks, 'pttl', 'a')).toEqual(i(5000));
    expect(run(ks, ['ttl', 'a'], { nowMs: NOW + 4400 }).reply).toEqual(i(1));
    expect(r(ks, 'ttl', 'nokey')).toEqual(i(-2));
    expect(r(ks, 'persist', 'a')).toEqual(i(1));
    expect(r(ks, 'persist', 'a')).toEqual(i(0));
    expect(r(ks, 'ttl', 'a')).toEqual(i(-1));
    r(ks, 'set', 'kt', '1', 'EX', '100');
    r(ks, 'set', 'kt', '2', 'KEEPTTL');
    r(ks, 'incr', 'kt');
    r(ks, 'incrbyfloat', 'kt', '1.5');
    r(ks, 'append', 'kt', 'x');
    expect(r(ks, 'ttl', 'kt')).toEqual(i(100));
    r(ks, 'set', 'kt', '1');
    expect(r(ks, 'ttl', 'kt')).toEqual(i(-1));
  });
});

describe('KEYS glob', () => {
  it('matches like stringmatchlen', () => {
    expect(globMatch('*', 'anything')).toBe(true);
    expect(globMatch('h?llo', 'hello')).toBe(true);
    expect(globMatch('h?llo', 'héllo')).toBe(false); // '?' is one byte
    expect(globMatch('h??llo', 'héllo')).toBe(true);
    expect(globMatch('[a-h]', 'f')).toBe(true);
    expect(globMatch('[h-a]', 'f')).toBe(true);
    expect(globMatch('[^a]', 'a')).toBe(false);
    expect(globMatch('[^a]', 'b')).toBe(true);
    expect(globMatch('f[0-9]', 'f2')).toBe(true);
    expect(globMatch('a\\*b', 'a*b')).toBe(true);
    expect(globMatch('a\\*b', 'axb')).toBe(false);
    expect(globMatch('f[', 'f')).toBe(false);
    expect(globMatch('*[2-3', 'f2')).toBe(true);
    expect(globMatch('[abc]x', 'bx')).toBe(true);
  });

  it('KEYS skips expired keys without deleting them', () => {
    const ks = createKeyspace();
    r(ks, 'set', 'f2', '1');
    r(ks, 'set', 'f3', '1', 'PX', '5');
    r(ks, 'set', 'g', '1');
    const res = run(ks, ['keys', 'f*'], { nowMs: NOW + 10 });
    expect(res.reply).toEqual(arr('f2'));
    expect(res.propagate).toEqual([]);
    expect(run(ks, ['dbsize'], { nowMs: NOW + 10 }).reply).toEqual(i(3));
  });
});

describe('propagation (7.0)', () => {
  const p = (ks: Keyspace, ...argv: string[]) => run(ks, argv).propagate;

  it('rewrites TTLs to absolute milliseconds', () => {
    const ks = createKeyspace();
    expect(p(ks, 'SET', 'k', 'v', 'EX', '100')).toEqual([
      ['SET', 'k', 'v', 'PXAT', '1582812483000'],
    ]);
    expect(p(ks, 'set', 'k', 'v', 'px', '100', 'get')).toEqual([
      ['SET', 'k', 'v', 'PXAT', '1582812383100'],
    ]);
    expect(p(ks, 'set', 'k', 'v', 'GET')).toEqual([['set', 'k', 'v']]);
    expect(p(ks, 'set', 'k', 'v', 'KEEPTTL')).toEqual([['set', 'k', 'v', 'KEEPTTL']]);
    expect(p(ks, 'expire', 'k', '100')).toEqual([['PEXPIREAT', 'k', '1582812483000']]);
    expect(p(ks, 'expireat', 'k', '1582812400')).toEqual([['PEXPIREAT', 'k', '1582812400000']]);
    expect(p(ks, 'pexpireat', 'k', '1582812500000')).toEqual([['pexpireat', 'k', '1582812500000']]);
    expect(p(ks, 'persist', 'k')).toEqual([['persist', 'k']]);
    expect(p(ks, 'expire', 'k', '100', 'NX')).toEqual([['PEXPIREAT', 'k', '1582812483000', 'NX']]);
    expect(p(ks, 'expire', 'k', '100', 'NX')).toEqual([]);
    expect(p(ks, 'expire', 'k', '-5')).toEqual([['DEL', 'k']]);
    expect(dbSize(ks, 0)).toBe(0);
  });

  it('other rewrites', () => {
    const ks = createKeyspace();
    expect(p(ks, 'incrbyfloat', 'f', '1.5')).toEqual([['SET', 'f', '1.5', 'KEEPTTL']]);
    expect(p(ks, 'getset', 'f', '3')).toEqual([['SET', 'f', '3']]);
    expect(p(ks, 'del', 'f', 'nokey')).toEqual([['del', 'f', 'nokey']]);
  });

  it('only changes propagate', () => {
    const ks = createKeyspace();
    expect(p(ks, 'del', 'nokey')).toEqual([]);
    r(ks, 'set', 'a', '1');
    expect(p(ks, 'set', 'a', '1', 'NX')).toEqual([]);
    expect(p(ks, 'hset', 'h', 'f', '1')).toEqual([['hset', 'h', 'f', '1']]);
    expect(p(ks, 'hset', 'h', 'f', '1')).toEqual([['hset', 'h', 'f', '1']]); // HSET always dirties
    expect(p(ks, 'hdel', 'h', 'nof')).toEqual([]);
    expect(p(ks, 'sadd', 's', '1')).toEqual([['sadd', 's', '1']]);
    expect(p(ks, 'sadd', 's', '1')).toEqual([]);
    expect(p(ks, 'srem', 's', '9')).toEqual([]);
    expect(p(ks, 'persist', 'a')).toEqual([]);
    expect(p(ks, 'expire', 'a', '100', 'GT')).toEqual([]);
    expect(p(ks, 'lpop', 'nol')).toEqual([]);
    expect(p(ks, 'get', 'a')).toEqual([]);
    expect(p(ks, 'flushdb')).toEqual([['flushdb']]);
    expect(p(ks, 'flushdb')).toEqual([['flushdb']]); // even when already empty
  });

  it('5.0 dialect', () => {
    const ks = createKeyspace();
    const p5 = (...argv: string[]) => run(ks, argv, { line: 5.0 }).propagate;
    expect(p5('set', 'k', 'v', 'EX', '100')).toEqual([['set', 'k', 'v', 'EX', '100']]);
    expect(p5('expire', 'k', '100')).toEqual([['expire', 'k', '100']]);
    expect(p5('incrbyfloat', 'f', '1.5')).toEqual([['SET', 'f', '1.5']]);
  });
});

describe('lazy expiry', () => {
  function setup() {
    const ks = createKeyspace();
    r(ks, 'set', 'a', '1', 'PX', '5');
    r(ks, 'set', 'live', '1');
    return ks;
  }
  const later = NOW + 50;

  it('master: access deletes and propagates DEL first', () => {
    let ks = setup();
    // Lazy expiry counts in stat_expiredkeys (expireIfNeeded → deleteExpiredKeyAndPropagate).
    expect(run(ks, ['get', 'a'], { nowMs: later })).toEqual({
      reply: b(null),
      propagate: [['DEL', 'a']],
      expired: 1,
    });
    expect(dbSize(ks, 0)).toBe(1);
    ks = setup();
    expect(run(ks, ['set', 'a', '2'], { nowMs: later }).propagate).toEqual([
      ['DEL', 'a'],
      ['set', 'a', '2'],
    ]);
    ks = setup();
    expect(run(ks, ['del', 'a', 'live'], { nowMs: later })).toEqual({
      reply: i(1),
      propagate: [
        ['DEL', 'a'],
        ['del', 'a', 'live'],
      ],
      expired: 1,
    });
    ks = setup();
    expect(run(ks, ['del', 'a'], { nowMs: later })).toEqual({
      reply: i(0),
      propagate: [['DEL', 'a']],
      expired: 1,
    });
    ks = setup();
    expect(run(ks, ['exists', 'a', 'live'], { nowMs: later })).toEqual({
      reply: i(1),
      propagate: [['DEL', 'a']],
      expired: 1,
    });
  });

  it('replica: reads see the key missing, writes from the master see it', () => {
    const ks = setup();
    const rep = { nowMs: later, mode: 'replica' as const };
    // A replica never deletes an expired key itself, so it counts nothing.
    expect(run(ks, ['get', 'a'], rep)).toEqual({ reply: b(null), propagate: [], expired: 0 });
    expect(run(ks, ['ttl', 'a'], rep).reply).toEqual(i(-2));
    expect(dbSize(ks, 0)).toBe(2);
    expect(run(ks, ['incr', 'a'], rep).reply).toEqual(i(2));
    expect(run(ks, ['expire', 'live', '-1'], rep).reply).toEqual(i(1));
    expect(dbSize(ks, 0)).toBe(2); // a replica never deletes on EXPIRE in the past
    expect(run(ks, ['del', 'a'], rep).reply).toEqual(i(1));
  });
});

describe('keyspace helpers', () => {
  it('active expiry, next expire, info, dump, clone', () => {
    const ks = createKeyspace();
    r(ks, 'set', 'b', '1', 'PX', '300');
    r(ks, 'set', 'a', '1', 'PX', '200');
    run(ks, ['sadd', 's', 'x', 'y'], { db: 3 });
    run(ks, ['rpush', '__proto__', 'x'], { db: 3 });
    run(ks, ['hset', 'constructor', 'f', 'v'], { db: 3 });
    expect(nextExpireAt(ks)).toBe(NOW + 200);
    expect(keyCount(ks)).toBe(5);
    expect(keyspaceInfoLines(ks, NOW)).toEqual([
      'db0:keys=2,expires=2,avg_ttl=0',
      'db3:keys=3,expires=0,avg_ttl=0',
    ]);
    const copy = cloneKeyspace(ks);
    expect(dumpKeyspace(copy)).toEqual(dumpKeyspace(ks));
    expect(dumpKeyspace(ks).filter((x) => x.db === 3)).toEqual([
      { db: 3, key: '__proto__', type: 'list', value: ['x'], expireAt: null },
      { db: 3, key: 'constructor', type: 'hash', value: [['f', 'v']], expireAt: null },
      { db: 3, key: 's', type: 'set', value: ['x', 'y'], expireAt: null },
    ]);
    expect(activeExpire(ks, NOW + 250)).toEqual([[0, 'a']]);
    expect(nextExpireAt(ks)).toBe(NOW + 300);
    expect(activeExpire(ks, NOW + 1000)).toEqual([[0, 'b']]);
    expect(nextExpireAt(ks)).toBe(null);
    expect(dbSize(copy, 0)).toBe(2); // the copy is independent
    flushAll(ks);
    expect(keyCount(ks)).toBe(0);
  });

  it('command table', () => {
    expect(lookupCommand('SET')).toEqual({ name: 'set', arity: -3, write: true });
    expect(lookupCommand('psync')).toEqual({ name: 'psync', arity: -3, write: false });
    expect(lookupCommand('nope')).toBeUndefined();
    expect(isKeyspaceCommand('HGETALL')).toBe(true);
    expect(isKeyspaceCommand('ping')).toBe(false);
  });
});
