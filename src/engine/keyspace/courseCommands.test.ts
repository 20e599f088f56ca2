import { describe, it, expect } from 'vitest';
import type { Reply } from '../reply';
import { execKeyspaceCommand } from './commandTable';
import { createKeyspace } from './db';
import type { CommandContext } from './exec';
import { loadKeyspace } from './load';
import { rdbPayloadSize } from './rdbSize';
import { SCRIPT_SUBSET_ERROR, sha1Hex } from './script';
import { formatG17, parseDouble, scoreText } from './zsets';

// The commands a Redis course uses, section by section: every reply, what the master propagated
// (MONITOR on an attached replica, SELECT and PING left out) and the size of the RDB that SAVE
// wrote afterwards were taken from redis-server 7.0.15 running the same commands (its aux
// fields repl-offset and used-mem below are the file's; ctime and repl-id have the same
// encoded sizes as the constants). The setup commands' replies are not listed, only checked not
// to be errors. No step depends on the clock.
const NOW = 1795964185045;
const master: CommandContext = { nowMs: NOW, db: 0, mode: 'master', line: 7.0 };

const i = (v: number): Reply => ({ t: 'int', v });
const b = (v: string): Reply => ({ t: 'bulk', v });
const e = (v: string): Reply => ({ t: 'error', v });
const st = (v: string): Reply => ({ t: 'status', v });
const a = (...v: Reply[]): Reply => ({ t: 'array', v });
const OK = st('OK');
const NIL: Reply = { t: 'bulk', v: null };
const NIL_ARRAY: Reply = { t: 'array', v: null };

interface Section {
  name: string;
  setup: () => string[][];
  steps: Array<[string[], Reply]>;
  /** The whole propagated stream, or (long ones) its length and last commands. */
  prop?: string[][];
  propCount?: number;
  propTail?: string[][];
  rdb: { replOffset: number; usedMem: number; size: number };
}

const SECTIONS: Section[] = [
  {
    name: 'strings and keys',
    setup: (): string[][] => [],
    steps: [
      [['setex', 'k', '0', 'v'], e("ERR invalid expire time in 'setex' command")],
      [['setex', 'k', 'abc', 'v'], e('ERR value is not an integer or out of range')],
      [['setex', 'k', '-5', 'v'], e("ERR invalid expire time in 'setex' command")],
      [['psetex', 'k2', '0', 'v'], e("ERR invalid expire time in 'psetex' command")],
      [['set', 'k', 'v'], OK],
      [['setnx', 'k', 'v'], i(0)],
      [['setnx', 'k3', 'v'], i(1)],
      [['getdel', 'k3'], b('v')],
      [['getdel', 'k3'], NIL],
      [['getdel', 'nokey'], NIL],
      [['hset', 'h', 'f', 'v'], i(1)],
      [['getdel', 'h'], e('WRONGTYPE Operation against a key holding the wrong kind of value')],
      [['getex', 'k'], b('v')],
      [['getex', 'k', 'exat', '9999999999'], b('v')],
      [['getex', 'k', 'pxat', '9999999999000'], b('v')],
      [['getex', 'k', 'persist'], b('v')],
      [['getex', 'k', 'persist'], b('v')],
      [['getex', 'k', 'ex', '10', 'px', '10'], e('ERR syntax error')],
      [['getex', 'k', 'ex'], e('ERR syntax error')],
      [['getex', 'k', 'foo'], e('ERR syntax error')],
      [['getex', 'k', 'persist', 'ex', '10'], e('ERR syntax error')],
      [['getex', 'k', 'ex', '0'], e("ERR invalid expire time in 'getex' command")],
      [['getex', 'nokey', 'ex', '10'], NIL],
      [['getex', 'h'], e('WRONGTYPE Operation against a key holding the wrong kind of value')],
      [['set', 't', 'v'], OK],
      [['getex', 't', 'exat', '1'], b('v')],
      [['exists', 't'], i(0)],
      [['msetnx', 'a', '1', 'b', '2'], i(1)],
      [['msetnx', 'a', '1', 'c', '2'], i(0)],
      [['msetnx', 'a'], e("ERR wrong number of arguments for 'msetnx' command")],
      [['msetnx', 'a', '1', 'b'], e("ERR wrong number of arguments for 'msetnx' command")],
      [['mget', 'a', 'b', 'c'], a(b('1'), b('2'), NIL)],
      [['rename', 'nokey', 'b'], e('ERR no such key')],
      [['rename', 'a', 'a'], OK],
      [['rename', 'nokey', 'nokey'], e('ERR no such key')],
      [['renamenx', 'a', 'a'], i(0)],
      [['rename', 'a', 'z'], OK],
      [['renamenx', 'z', 'b'], i(0)],
      [['renamenx', 'z', 'y'], i(1)],
      [['set', 'ttl', 'v', 'exat', '9999999999'], OK],
      [['rename', 'ttl', 'ttl2'], OK],
      [['exists', 'ttl', 'ttl2'], i(1)],
      [['object', 'encoding', 'y'], b('int')],
      [['object', 'encoding', 'nokey'], NIL],
      [['object', 'encoding'], e("ERR wrong number of arguments for 'object|encoding' command")],
      [['object', 'foo', 'y'], e("ERR unknown subcommand 'foo'. Try OBJECT HELP.")],
      [['object'], e("ERR wrong number of arguments for 'object' command")],
      [
        ['object', 'help'],
        a(
          st('OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:'),
          st('ENCODING <key>'),
          st('    Return the kind of internal representation used in order to store the value'),
          st('    associated with a <key>.'),
          st('FREQ <key>'),
          st('    Return the access frequency index of the <key>. The returned integer is'),
          st('    proportional to the logarithm of the recent access frequency of the key.'),
          st('IDLETIME <key>'),
          st('    Return the idle time of the <key>, that is the approximated number of'),
          st('    seconds elapsed since the last access to the key.'),
          st('REFCOUNT <key>'),
          st('    Return the number of references of the value associated with the specified'),
          st('    <key>.'),
          st('HELP'),
          st('    Prints this help.'),
        ),
      ],
      [['object', 'help', 'x'], e("ERR wrong number of arguments for 'object|help' command")],
      [['set', 's', 'hello'], OK],
      [['object', 'encoding', 's'], b('embstr')],
      [['append', 's', 'x'], i(6)],
      [['object', 'encoding', 's'], b('raw')],
      [['incrbyfloat', 'f', '3'], b('3')],
      [['object', 'encoding', 'f'], b('embstr')],
      [['incr', 'f'], i(4)],
      [['object', 'encoding', 'f'], b('int')],
      [['set', 'big', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'], OK],
      [['object', 'encoding', 'big'], b('raw')],
      [['set', 'e', '12345678901234567890'], OK],
      [['object', 'encoding', 'e'], b('embstr')],
      [['set', 'e', '-1'], OK],
      [['object', 'encoding', 'e'], b('int')],
      [['set', 'e', '01'], OK],
      [['object', 'encoding', 'e'], b('embstr')],
      [['mset', 'm1', '1', 'm2', 'xyz'], OK],
      [['object', 'encoding', 'm1'], b('int')],
      [['object', 'encoding', 'm2'], b('embstr')],
      [['append', 'new', '12'], i(2)],
      [['object', 'encoding', 'new'], b('int')],
      [['getset', 'gs', '5'], NIL],
      [['object', 'encoding', 'gs'], b('int')],
      [
        ['getset', 'h', '1'],
        e('WRONGTYPE Operation against a key holding the wrong kind of value'),
      ],
      [['object', 'encoding', 'h'], b('listpack')],
      [['type', 'h'], st('hash')],
      [['strlen', 'h'], e('WRONGTYPE Operation against a key holding the wrong kind of value')],
      [['expireat', 's', '99999999999'], i(1)],
      [['persist', 's'], i(1)],
      [['persist', 's'], i(0)],
      [['expireat', 's', '1'], i(1)],
      [['exists', 's'], i(0)],
    ],
    prop: [
      ['set', 'k', 'v'],
      ['setnx', 'k3', 'v'],
      ['DEL', 'k3'],
      ['hset', 'h', 'f', 'v'],
      ['PEXPIREAT', 'k', '9999999999000'],
      ['PEXPIREAT', 'k', '9999999999000'],
      ['PERSIST', 'k'],
      ['set', 't', 'v'],
      ['DEL', 't'],
      ['msetnx', 'a', '1', 'b', '2'],
      ['rename', 'a', 'z'],
      ['renamenx', 'z', 'y'],
      ['SET', 'ttl', 'v', 'PXAT', '9999999999000'],
      ['rename', 'ttl', 'ttl2'],
      ['set', 's', 'hello'],
      ['append', 's', 'x'],
      ['SET', 'f', '3', 'KEEPTTL'],
      ['incr', 'f'],
      ['set', 'big', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
      ['set', 'e', '12345678901234567890'],
      ['set', 'e', '-1'],
      ['set', 'e', '01'],
      ['mset', 'm1', '1', 'm2', 'xyz'],
      ['append', 'new', '12'],
      ['SET', 'gs', '5'],
      ['PEXPIREAT', 's', '99999999999000'],
      ['persist', 's'],
      ['DEL', 's'],
    ],
    rdb: { replOffset: 542426, usedMem: 3334984, size: 284 },
  },
  {
    name: 'hashes',
    setup: (): string[][] => [],
    steps: [
      [['hincrby', 'h', 'f', '5'], i(5)],
      [['hincrby', 'h', 'f', 'x'], e('ERR value is not an integer or out of range')],
      [['hincrby', 'h', 'g', '-3'], i(-3)],
      [['hset', 'h', 's', 'abc'], i(1)],
      [['hincrby', 'h', 's', '1'], e('ERR hash value is not an integer')],
      [['hset', 'h', 'big', '9223372036854775807'], i(1)],
      [['hincrby', 'h', 'big', '1'], e('ERR increment or decrement would overflow')],
      [['hmget', 'h', 'f', 'g', 'nof'], a(b('5'), b('-3'), NIL)],
      [['hmget', 'nokey', 'a'], a(NIL)],
      [['set', 'str', 'v'], OK],
      [
        ['hmget', 'str', 'a'],
        e('WRONGTYPE Operation against a key holding the wrong kind of value'),
      ],
      [['hkeys', 'h'], a(b('f'), b('g'), b('s'), b('big'))],
      [['hvals', 'h'], a(b('5'), b('-3'), b('abc'), b('9223372036854775807'))],
      [['hkeys', 'nokey'], a()],
      [['hvals', 'str'], e('WRONGTYPE Operation against a key holding the wrong kind of value')],
      [['hexists', 'h', 'nof'], i(0)],
      [['hexists', 'h', 'f'], i(1)],
      [['hlen', 'h'], i(4)],
      [['hmset', 'h', 'a', '1', 'b'], e("ERR wrong number of arguments for 'hmset' command")],
      [['hmset', 'h2', 'x', '1', 'y', '2'], OK],
      [
        [
          'hincrby',
          'h3',
          'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
          '1',
        ],
        i(1),
      ],
      [['object', 'encoding', 'h3'], b('hashtable')],
      [['object', 'encoding', 'h2'], b('listpack')],
      [['hincrbyfloat', 'hf', 'a', '1.5'], b('1.5')],
      [['hincrbyfloat', 'hf', 'a', 'x'], e('ERR value is not a valid float')],
      [['hincrbyfloat', 'hf', 'a', 'inf'], e('ERR value is NaN or Infinity')],
      [['hset', 'hf', 's', 'abc'], i(1)],
      [['hincrbyfloat', 'hf', 's', '1'], e('ERR hash value is not a float')],
      [['hincrbyfloat', 'hf', 'a', '0.1'], b('1.6')],
      [
        ['hincrbyfloat', 'str', 'a', '0.1'],
        e('WRONGTYPE Operation against a key holding the wrong kind of value'),
      ],
      [['hgetall', 'hf'], a(b('a'), b('1.6'), b('s'), b('abc'))],
    ],
    prop: [
      ['hincrby', 'h', 'f', '5'],
      ['hincrby', 'h', 'g', '-3'],
      ['hset', 'h', 's', 'abc'],
      ['hset', 'h', 'big', '9223372036854775807'],
      ['set', 'str', 'v'],
      ['hmset', 'h2', 'x', '1', 'y', '2'],
      [
        'hincrby',
        'h3',
        'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
        '1',
      ],
      ['HSET', 'hf', 'a', '1.5'],
      ['hset', 'hf', 's', 'abc'],
      ['HSET', 'hf', 'a', '1.6'],
    ],
    rdb: { replOffset: 542917, usedMem: 3334760, size: 302 },
  },
  {
    name: 'lists',
    setup: (): string[][] => [
      ['rpush', 'bl', ...Array.from({ length: 600 }, (_, i) => `item-${i}-${'x'.repeat(i % 50)}`)],
      ...Array.from({ length: 17 }, (_, k) => {
        const i = 37 * k;
        return [
          'linsert',
          'bl',
          'before',
          `item-${i}-${'x'.repeat(i % 50)}`,
          `ins-${i}${'y'.repeat(60)}`,
        ];
      }),
      ...Array.from({ length: 12 }, (_, k) => {
        const i = 5 + 53 * k;
        return [
          'linsert',
          'bl',
          'after',
          `item-${i}-${'x'.repeat(i % 50)}`,
          `aft-${i}${'z'.repeat(90)}`,
        ];
      }),
      ['lrem', 'bl', '0', `item-7-${'x'.repeat(7)}`],
      ['lrem', 'bl', '3', `ins-0${'y'.repeat(60)}`],
      ['lset', 'bl', '100', 'replaced'],
      ['ltrim', 'bl', '10', '-20'],
      ['rpush', 'bl2', ...Array.from({ length: 2000 }, (_, i) => `e${i}`)],
      ['ltrim', 'bl2', '700', '1500'],
      ['linsert', 'bl2', 'before', 'e1000', 'new'.repeat(100)],
      ['rpush', 'l3', ...Array.from({ length: 300 }, (_, i) => `v${i % 5}`)],
      ['lrem', 'l3', '-40', 'v3'],
      ['lrem', 'l3', '50', 'v1'],
    ],
    steps: [
      [['llen', 'bl'], i(598)],
      [['lindex', 'bl', '300'], b('item-297-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')],
      [['lindex', 'bl2', '-1'], b('e1500')],
      [['llen', 'l3'], i(210)],
      [['rpush', 'l', 'a', 'b', 'c', 'a', 'd', 'a'], i(6)],
      [['lindex', 'l', '0'], b('a')],
      [['lindex', 'l', '-1'], b('a')],
      [['lindex', 'l', '10'], NIL],
      [['lindex', 'l', 'x'], e('ERR value is not an integer or out of range')],
      [['lindex', 'nol', 'x'], NIL],
      [['lset', 'l', '1', 'B'], OK],
      [['lset', 'l', '10', 'x'], e('ERR index out of range')],
      [['lset', 'nol', '0', 'x'], e('ERR no such key')],
      [['lset', 'l', 'x', 'y'], e('ERR value is not an integer or out of range')],
      [['set', 'str', 'v'], OK],
      [
        ['lset', 'str', '0', 'a'],
        e('WRONGTYPE Operation against a key holding the wrong kind of value'),
      ],
      [['lset', 'l', '-1', 'Z'], OK],
      [['lrem', 'l', '0', 'zz'], i(0)],
      [['lrem', 'l', '-1', 'a'], i(1)],
      [['lrange', 'l', '0', '-1'], a(b('a'), b('B'), b('c'), b('d'), b('Z'))],
      [['lrem', 'l', '0', 'a'], i(1)],
      [['lrem', 'l', 'x', 'a'], e('ERR value is not an integer or out of range')],
      [['lrange', 'l', '0', '-1'], a(b('B'), b('c'), b('d'), b('Z'))],
      [['linsert', 'l', 'before', 'c', 'X'], i(5)],
      [['linsert', 'l', 'AFTER', 'Z', 'Y'], i(6)],
      [['linsert', 'l', 'middle', 'd', 'Y'], e('ERR syntax error')],
      [['linsert', 'l', 'before', 'nope', 'Y'], i(-1)],
      [['linsert', 'nol', 'before', 'a', 'b'], i(0)],
      [['lrange', 'l', '0', '-1'], a(b('B'), b('X'), b('c'), b('d'), b('Z'), b('Y'))],
      [['ltrim', 'l', '1', '-2'], OK],
      [['lrange', 'l', '0', '-1'], a(b('X'), b('c'), b('d'), b('Z'))],
      [['ltrim', 'l', '0', '-1'], OK],
      [['ltrim', 'l', '5', '2'], OK],
      [['exists', 'l'], i(0)],
      [['ltrim', 'nol', '0', '1'], OK],
      [
        ['ltrim', 'str', '0', '1'],
        e('WRONGTYPE Operation against a key holding the wrong kind of value'),
      ],
      [['ltrim', 'bl', 'a', '1'], e('ERR value is not an integer or out of range')],
      [
        ['lindex', 'str', '0'],
        e('WRONGTYPE Operation against a key holding the wrong kind of value'),
      ],
      [
        ['linsert', 'str', 'before', 'a', 'b'],
        e('WRONGTYPE Operation against a key holding the wrong kind of value'),
      ],
      [
        ['lrem', 'str', '1', 'a'],
        e('WRONGTYPE Operation against a key holding the wrong kind of value'),
      ],
    ],
    propCount: 50,
    propTail: [
      ['lrem', 'l3', '-40', 'v3'],
      ['lrem', 'l3', '50', 'v1'],
      ['rpush', 'l', 'a', 'b', 'c', 'a', 'd', 'a'],
      ['lset', 'l', '1', 'B'],
      ['set', 'str', 'v'],
      ['lset', 'l', '-1', 'Z'],
      ['lrem', 'l', '-1', 'a'],
      ['lrem', 'l', '0', 'a'],
      ['linsert', 'l', 'before', 'c', 'X'],
      ['linsert', 'l', 'AFTER', 'Z', 'Y'],
      ['ltrim', 'l', '1', '-2'],
      ['ltrim', 'l', '5', '2'],
    ],
    rdb: { replOffset: 596317, usedMem: 3427240, size: 8567 },
  },
  {
    name: 'sets',
    setup: (): string[][] => [],
    steps: [
      [['sadd', 's1', '1', '2', '3', 'a'], i(4)],
      [['sadd', 's2', '2', '3', '4'], i(3)],
      [['sadd', 's3', '3', 'b'], i(2)],
      [['set', 'str', 'v'], OK],
      [['sinter', 's2', 's1'], a(b('2'), b('3'))],
      [['sinter', 's1', 'nokey'], a()],
      [
        ['sinter', 'nokey', 'str'],
        e('WRONGTYPE Operation against a key holding the wrong kind of value'),
      ],
      [['sinter', 's1', 's2', 's3'], a(b('3'))],
      [['sunion', 's2', 'nokey'], a(b('2'), b('3'), b('4'))],
      [
        ['sunion', 's2', 'str'],
        e('WRONGTYPE Operation against a key holding the wrong kind of value'),
      ],
      [['sdiff', 's1', 's2', 's3'], a(b('1'), b('a'))],
      [['sdiff', 'nokey', 's1'], a()],
      [['sinter', 's2'], a(b('2'), b('3'), b('4'))],
      [['smove', 's1', 's2', '1'], i(1)],
      [['smove', 's1', 's2', '1'], i(0)],
      [['smove', 'nokey', 's2', '1'], i(0)],
      [
        ['smove', 's1', 'str', '2'],
        e('WRONGTYPE Operation against a key holding the wrong kind of value'),
      ],
      [
        ['smove', 'str', 's1', '2'],
        e('WRONGTYPE Operation against a key holding the wrong kind of value'),
      ],
      [['smove', 's1', 's1', 'a'], i(1)],
      [['smove', 's1', 's1', 'zz'], i(0)],
      [['smove', 's3', 's4', 'b'], i(1)],
      [['smove', 's3', 's5', '3'], i(1)],
      [['exists', 's3'], i(0)],
      [['object', 'encoding', 's4'], b('hashtable')],
      [['object', 'encoding', 's5'], b('intset')],
      [['smembers', 's2'], a(b('1'), b('2'), b('3'), b('4'))],
      [['sadd', 's6', '1', '5000000000'], i(2)],
      [['smove', 's6', 's7', '5000000000'], i(1)],
      [['scard', 's7'], i(1)],
      [['sismember', 's7', '5000000000'], i(1)],
    ],
    prop: [
      ['sadd', 's1', '1', '2', '3', 'a'],
      ['sadd', 's2', '2', '3', '4'],
      ['sadd', 's3', '3', 'b'],
      ['set', 'str', 'v'],
      ['smove', 's1', 's2', '1'],
      ['smove', 's3', 's4', 'b'],
      ['smove', 's3', 's5', '3'],
      ['sadd', 's6', '1', '5000000000'],
      ['smove', 's6', 's7', '5000000000'],
    ],
    rdb: { replOffset: 596701, usedMem: 3445904, size: 283 },
  },
  {
    name: 'sorted sets',
    setup: (): string[][] => [
      ['zadd', 'zl', ...Array.from({ length: 128 }, (_, i) => [String(i * 1.5), `mem${i}`]).flat()],
      ['zadd', 'zm', ...Array.from({ length: 50 }, (_, i) => [String(i), `m${i}`]).flat()],
    ],
    steps: [
      [['object', 'encoding', 'zl'], b('listpack')],
      [['zadd', 'zl', '999', 'one-more'], i(1)],
      [['object', 'encoding', 'zl'], b('skiplist')],
      [['zrem', 'zl', 'one-more'], i(1)],
      [['object', 'encoding', 'zl'], b('skiplist')],
      [
        [
          'zadd',
          'zm',
          '0.1',
          'x',
          '123456789012',
          'big',
          '-5',
          'neg',
          '3.14159',
          'pi',
          '1e20',
          'huge',
        ],
        i(5),
      ],
      [['zadd', 'z', '1', 'a'], i(1)],
      [['zadd', 'z', '2', 'b', '3', 'c'], i(2)],
      [['zadd', 'z', '1.1', 'd'], i(1)],
      [['zscore', 'z', 'd'], b('1.1000000000000001')],
      [['zadd', 'z', 'x', 'a'], e('ERR value is not a valid float')],
      [['zadd', 'z', '1'], e("ERR wrong number of arguments for 'zadd' command")],
      [['zadd', 'z', '1', 'a', '2'], e('ERR syntax error')],
      [
        ['zadd', 'z', 'nx', 'xx', '1', 'a'],
        e('ERR XX and NX options at the same time are not compatible'),
      ],
      [
        ['zadd', 'z', 'gt', 'lt', '1', 'a'],
        e('ERR GT, LT, and/or NX options at the same time are not compatible'),
      ],
      [
        ['zadd', 'z', 'nx', 'gt', '1', 'a'],
        e('ERR GT, LT, and/or NX options at the same time are not compatible'),
      ],
      [
        ['zadd', 'z', 'incr', '1', 'a', '2', 'b'],
        e('ERR INCR option supports a single increment-element pair'),
      ],
      [['zadd', 'z', 'incr', '5', 'a'], b('6')],
      [['zadd', 'z', 'nx', 'incr', '5', 'a'], NIL],
      [['zadd', 'z', 'xx', 'incr', '5', 'nomember'], NIL],
      [['zadd', 'z', 'ch', '5', 'a', '10', 'new'], i(2)],
      [['zadd', 'z', 'gt', 'ch', '1', 'a', '100', 'b'], i(1)],
      [['zadd', 'z', 'lt', 'ch', '1', 'a', '100', 'c'], i(1)],
      [['zadd', 'z', 'xx', 'ch', '0', 'a', '0', 'zz'], i(1)],
      [['zadd', 'nokey2', 'xx', '1', 'a'], i(0)],
      [['exists', 'nokey2'], i(0)],
      [['zadd', 'z', 'inf', 'i1', '-inf', 'i2', '+inf', 'i3'], i(3)],
      [['zadd', 'z', '1e3', 'e', '0x10', 'h', '-0', 'nz', '.5', 'half', '1.', 'one'], i(5)],
      [['zadd', 'z', ' 1', 'q'], e('ERR value is not a valid float')],
      [['zadd', 'z', '1 ', 'q'], e('ERR value is not a valid float')],
      [['zadd', 'z', 'nan', 'q'], e('ERR value is not a valid float')],
      [['zadd', 'z', '1e400', 'q'], e('ERR value is not a valid float')],
      [['zadd', 'z', 'incr', '-inf', 'i1'], e('ERR resulting score is not a number (NaN)')],
      [['zincrby', 'z', '0.1', 'd'], b('1.2000000000000002')],
      [['zincrby', 'z', 'x', 'd'], e('ERR value is not a valid float')],
      [['zincrby', 'z', '1', 'newm'], b('1')],
      [['zincrby', 'nz1', '2.5', 'm'], b('2.5')],
      [['zscore', 'z', 'a'], b('0')],
      [['zscore', 'z', 'i1'], b('inf')],
      [['zscore', 'z', 'nope'], NIL],
      [['zscore', 'nokey', 'a'], NIL],
      [['zscore', 'z', 'e'], b('1000')],
      [['zscore', 'zm', 'huge'], b('1e+20')],
      [
        ['zrange', 'z', '0', '-1'],
        a(
          b('i2'),
          b('a'),
          b('nz'),
          b('half'),
          b('newm'),
          b('one'),
          b('d'),
          b('c'),
          b('new'),
          b('h'),
          b('b'),
          b('e'),
          b('i1'),
          b('i3'),
        ),
      ],
      [
        ['zrange', 'z', '0', '-1', 'withscores'],
        a(
          b('i2'),
          b('-inf'),
          b('a'),
          b('0'),
          b('nz'),
          b('0'),
          b('half'),
          b('0.5'),
          b('newm'),
          b('1'),
          b('one'),
          b('1'),
          b('d'),
          b('1.2000000000000002'),
          b('c'),
          b('3'),
          b('new'),
          b('10'),
          b('h'),
          b('16'),
          b('b'),
          b('100'),
          b('e'),
          b('1000'),
          b('i1'),
          b('inf'),
          b('i3'),
          b('inf'),
        ),
      ],
      [
        ['zrange', 'z', '2', '4', 'rev', 'withscores'],
        a(b('e'), b('1000'), b('b'), b('100'), b('h'), b('16')),
      ],
      [['zrange', 'z', '-3', '-1'], a(b('e'), b('i1'), b('i3'))],
      [['zrange', 'z', '5', '2'], a()],
      [
        ['zrange', 'z', '0', '10', 'byscore'],
        a(b('a'), b('nz'), b('half'), b('newm'), b('one'), b('d'), b('c'), b('new')),
      ],
      [
        ['zrange', 'z', '(1', '+inf', 'byscore', 'withscores'],
        a(
          b('d'),
          b('1.2000000000000002'),
          b('c'),
          b('3'),
          b('new'),
          b('10'),
          b('h'),
          b('16'),
          b('b'),
          b('100'),
          b('e'),
          b('1000'),
          b('i1'),
          b('inf'),
          b('i3'),
          b('inf'),
        ),
      ],
      [
        ['zrange', 'z', '+inf', '-inf', 'byscore', 'rev'],
        a(
          b('i3'),
          b('i1'),
          b('e'),
          b('b'),
          b('h'),
          b('new'),
          b('c'),
          b('d'),
          b('one'),
          b('newm'),
          b('half'),
          b('nz'),
          b('a'),
          b('i2'),
        ),
      ],
      [
        ['zrange', 'z', '-inf', '+inf', 'byscore', 'limit', '1', '3'],
        a(b('a'), b('nz'), b('half')),
      ],
      [['zrange', 'z', '-inf', '+inf', 'byscore', 'limit', '-1', '3'], a()],
      [
        ['zrange', 'z', '0', '-1', 'limit', '1', '2'],
        e('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX'),
      ],
      [['zrange', 'z', 'x', '1', 'byscore'], e('ERR min or max is not a float')],
      [
        ['zrange', 'z', '-', '+', 'bylex'],
        a(
          b('i2'),
          b('a'),
          b('nz'),
          b('half'),
          b('newm'),
          b('one'),
          b('d'),
          b('c'),
          b('new'),
          b('h'),
          b('b'),
          b('e'),
          b('i1'),
          b('i3'),
        ),
      ],
      [['zrange', 'z', '[a', '(d', 'bylex'], a()],
      [['zrange', 'z', 'a', 'd', 'bylex'], e('ERR min or max not valid string range item')],
      [['zadd', 'lex', '0', 'a', '0', 'b', '0', 'c', '0', 'd', '0', 'e'], i(5)],
      [['zrange', 'lex', '[b', '(e', 'bylex'], a(b('b'), b('c'), b('d'))],
      [['zrange', 'lex', '(e', '[b', 'bylex', 'rev', 'limit', '1', '5'], a(b('c'), b('b'))],
      [['zrange', 'lex', '-', '+', 'bylex', 'limit', '2', '2'], a(b('c'), b('d'))],
      [
        ['zrange', 'z', '-', '+', 'bylex', 'withscores'],
        e('ERR syntax error, WITHSCORES not supported in combination with BYLEX'),
      ],
      [['zrange', 'z', '0', '-1', 'foo'], e('ERR syntax error')],
      [['zrange', 'z', '0', '-1', 'rev', 'rev'], e('ERR syntax error')],
      [['zrange', 'nokey', '0', '-1'], a()],
      [['set', 'str', 'v'], OK],
      [
        ['zrange', 'str', '0', '-1'],
        e('WRONGTYPE Operation against a key holding the wrong kind of value'),
      ],
      [['zrange', 'z', 'a', '1'], e('ERR value is not an integer or out of range')],
      [['zrank', 'z', 'a'], i(1)],
      [['zrank', 'z', 'nope'], NIL],
      [['zrevrank', 'z', 'a'], i(12)],
      [['zrank', 'nokey', 'a'], NIL],
      [['zcard', 'z'], i(14)],
      [['zcard', 'nokey'], i(0)],
      [['zrem', 'z', 'a', 'nope', 'b'], i(2)],
      [['zrem', 'nokey', 'a'], i(0)],
      [['zrem', 'z', 'nope'], i(0)],
      [
        ['zadd', 'str', '1', 'a'],
        e('WRONGTYPE Operation against a key holding the wrong kind of value'),
      ],
      [['zcard', 'str'], e('WRONGTYPE Operation against a key holding the wrong kind of value')],
      [
        [
          'zadd',
          'zs',
          '1',
          'mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm',
        ],
        i(1),
      ],
      [['object', 'encoding', 'zs'], b('skiplist')],
      [['zadd', 'zsame', '1', 'b', '1', 'a', '1', 'c', '1', 'ab'], i(4)],
      [['zrange', 'zsame', '0', '-1'], a(b('a'), b('ab'), b('b'), b('c'))],
      [['zrem', 'zsame', 'a', 'b', 'c', 'ab'], i(4)],
      [['exists', 'zsame'], i(0)],
      [['type', 'z'], st('zset')],
      [['object', 'encoding', 'z'], b('listpack')],
    ],
    propCount: 24,
    propTail: [
      ['zadd', 'zl', '999', 'one-more'],
      ['zrem', 'zl', 'one-more'],
      [
        'zadd',
        'zm',
        '0.1',
        'x',
        '123456789012',
        'big',
        '-5',
        'neg',
        '3.14159',
        'pi',
        '1e20',
        'huge',
      ],
      ['zadd', 'z', '1', 'a'],
      ['zadd', 'z', '2', 'b', '3', 'c'],
      ['zadd', 'z', '1.1', 'd'],
      ['zadd', 'z', 'incr', '5', 'a'],
      ['zadd', 'z', 'ch', '5', 'a', '10', 'new'],
      ['zadd', 'z', 'gt', 'ch', '1', 'a', '100', 'b'],
      ['zadd', 'z', 'lt', 'ch', '1', 'a', '100', 'c'],
      ['zadd', 'z', 'xx', 'ch', '0', 'a', '0', 'zz'],
      ['zadd', 'z', 'inf', 'i1', '-inf', 'i2', '+inf', 'i3'],
      ['zadd', 'z', '1e3', 'e', '0x10', 'h', '-0', 'nz', '.5', 'half', '1.', 'one'],
      ['zincrby', 'z', '0.1', 'd'],
      ['zincrby', 'z', '1', 'newm'],
      ['zincrby', 'nz1', '2.5', 'm'],
      ['zadd', 'lex', '0', 'a', '0', 'b', '0', 'c', '0', 'd', '0', 'e'],
      ['set', 'str', 'v'],
      ['zrem', 'z', 'a', 'nope', 'b'],
      ['zadd', 'zs', '1', 'mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm'],
      ['zadd', 'zsame', '1', 'b', '1', 'a', '1', 'c', '1', 'ab'],
      ['zrem', 'zsame', 'a', 'b', 'c', 'ab'],
    ],
    rdb: { replOffset: 601575, usedMem: 3462672, size: 2590 },
  },
  {
    name: 'streams',
    setup: (): string[][] => [
      ...Array.from({ length: 250 }, (_, k) => [
        'xadd',
        's',
        `${k + 10}-0`,
        'name',
        `user${k + 10}`,
        'n',
        String(k + 10),
      ]),
      ['xadd', 's', '300-0', 'other', 'field'],
      ['xadd', 's', '301-0', 'name', 'a'],
      ...Array.from({ length: 300 }, (_, k) => [
        'xadd',
        't',
        'maxlen',
        '~',
        '120',
        `${k + 400}-5`,
        'k',
        'v'.repeat((k + 400) % 90),
      ]),
      ...Array.from({ length: 60 }, (_, k) => [
        'xadd',
        'big',
        `${k + 5001}-0`,
        'payload',
        'p'.repeat(300),
      ]),
    ],
    steps: [
      [['xadd', 'x', '1-1', 'f', 'v'], b('1-1')],
      [
        ['xadd', 'x', '1-1', 'f', 'v'],
        e('ERR The ID specified in XADD is equal or smaller than the target stream top item'),
      ],
      [['xadd', 'x', '0-0', 'f', 'v'], e('ERR The ID specified in XADD must be greater than 0-0')],
      [['xadd', 'y', '0-0', 'f', 'v'], e('ERR The ID specified in XADD must be greater than 0-0')],
      [['xadd', 'x', '1-*', 'f', 'v', 'g', 'w'], b('1-2')],
      [['xadd', 'x', '5', 'a', '1'], b('5-0')],
      [
        ['xadd', 'x', 'abc', 'f', 'v'],
        e('ERR Invalid stream ID specified as stream command argument'),
      ],
      [['xadd', 'x', '5-1', 'f'], e("ERR wrong number of arguments for 'xadd' command")],
      [['xadd', 'x', 'nomkstream', '6-1', 'f', 'v'], b('6-1')],
      [['xadd', 'nos', 'nomkstream', '*', 'f', 'v'], NIL],
      [['exists', 'nos'], i(0)],
      [['xadd', 'x', 'maxlen', '-1', '*', 'f', 'v'], e('ERR The MAXLEN argument must be >= 0.')],
      [
        ['xadd', 'x', 'maxlen', 'x', '*', 'f', 'v'],
        e('ERR value is not an integer or out of range'),
      ],
      [
        ['xadd', 'x', 'limit', '5', '*', 'f', 'v'],
        e('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy'),
      ],
      [
        ['xadd', 'x', 'maxlen', '5', 'limit', '5', '*', 'f', 'v'],
        e('ERR syntax error, LIMIT cannot be used without the special ~ option'),
      ],
      [
        ['xadd', 'x', 'maxlen', '5', 'minid', '1', '*', 'f', 'v'],
        e('ERR syntax error, MAXLEN and MINID options at the same time are not compatible'),
      ],
      [['xlen', 'x'], i(4)],
      [['xlen', 'nokey'], i(0)],
      [['set', 'str', 'v'], OK],
      [['xlen', 'str'], e('WRONGTYPE Operation against a key holding the wrong kind of value')],
      [
        ['xadd', 'str', '*', 'f', 'v'],
        e('WRONGTYPE Operation against a key holding the wrong kind of value'),
      ],
      [
        ['xrange', 'x', '-', '+'],
        a(
          a(b('1-1'), a(b('f'), b('v'))),
          a(b('1-2'), a(b('f'), b('v'), b('g'), b('w'))),
          a(b('5-0'), a(b('a'), b('1'))),
          a(b('6-1'), a(b('f'), b('v'))),
        ),
      ],
      [
        ['xrange', 'x', '-', '+', 'count', '2'],
        a(a(b('1-1'), a(b('f'), b('v'))), a(b('1-2'), a(b('f'), b('v'), b('g'), b('w')))),
      ],
      [['xrange', 'x', '-', '+', 'count', '0'], NIL_ARRAY],
      [['xrange', 'x', '-', '+', 'count', '-1'], NIL_ARRAY],
      [
        ['xrange', 'x', '(1-1', '+'],
        a(
          a(b('1-2'), a(b('f'), b('v'), b('g'), b('w'))),
          a(b('5-0'), a(b('a'), b('1'))),
          a(b('6-1'), a(b('f'), b('v'))),
        ),
      ],
      [
        ['xrange', 'x', '1', '1'],
        a(a(b('1-1'), a(b('f'), b('v'))), a(b('1-2'), a(b('f'), b('v'), b('g'), b('w')))),
      ],
      [
        ['xrange', 'x', '-', '(5-0'],
        a(a(b('1-1'), a(b('f'), b('v'))), a(b('1-2'), a(b('f'), b('v'), b('g'), b('w')))),
      ],
      [
        ['xrevrange', 'x', '+', '-', 'count', '2'],
        a(a(b('6-1'), a(b('f'), b('v'))), a(b('5-0'), a(b('a'), b('1')))),
      ],
      [['xrange', 'x', '-', '+', 'foo'], e('ERR syntax error')],
      [['xrange', 'nokey', '-', '+'], a()],
      [['xrange', 'x', '(-', '+'], e('ERR Invalid stream ID specified as stream command argument')],
      [['xrange', 'x', 'x', '+'], e('ERR Invalid stream ID specified as stream command argument')],
      [['xrange', 'nokey', '-', '+', 'count', '0'], a()],
      [['xdel', 'x', '1-1', '9-9'], i(1)],
      [['xdel', 'x', 'bad'], e('ERR Invalid stream ID specified as stream command argument')],
      [['xdel', 'nokey', '1-1'], i(0)],
      [['xlen', 'x'], i(3)],
      [
        ['xrange', 'x', '-', '+'],
        a(
          a(b('1-2'), a(b('f'), b('v'), b('g'), b('w'))),
          a(b('5-0'), a(b('a'), b('1'))),
          a(b('6-1'), a(b('f'), b('v'))),
        ),
      ],
      [['xdel', 's', '10-0', '11-0', '50-0', '200-0'], i(4)],
      [['xlen', 's'], i(248)],
      [['xtrim', 's', 'maxlen', '240'], i(8)],
      [['xtrim', 's', 'maxlen', '~', '150'], i(89)],
      [['xtrim', 's', 'maxlen', '=', '100'], i(51)],
      [['xtrim', 's', 'minid', '150'], i(0)],
      [['xtrim', 's', 'minid', '~', '220'], i(48)],
      [['xtrim', 'nokey', 'maxlen', '1'], i(0)],
      [['xtrim', 's', 'foo'], e("ERR wrong number of arguments for 'xtrim' command")],
      [['xtrim', 's'], e("ERR wrong number of arguments for 'xtrim' command")],
      [['xtrim', 's', 'maxlen', '~', '10', 'limit', '50'], i(0)],
      [['xlen', 's'], i(52)],
      [
        ['xrange', 's', '-', '+', 'count', '3'],
        a(
          a(b('210-0'), a(b('name'), b('user210'), b('n'), b('210'))),
          a(b('211-0'), a(b('name'), b('user211'), b('n'), b('211'))),
          a(b('212-0'), a(b('name'), b('user212'), b('n'), b('212'))),
        ),
      ],
      [['xlen', 't'], i(166)],
      [['xadd', 't', 'maxlen', '50', '1000-0', 'k', 'v'], b('1000-0')],
      [['xlen', 't'], i(50)],
      [['xdel', 'big'], e("ERR wrong number of arguments for 'xdel' command")],
      [['xlen', 'big'], i(60)],
      [['xadd', 'e', '1-1', 'a', 'b'], b('1-1')],
      [['xdel', 'e', '1-1'], i(1)],
      [['xlen', 'e'], i(0)],
      [['exists', 'e'], i(1)],
      [
        ['xadd', 'e', '1-1', 'a', 'b'],
        e('ERR The ID specified in XADD is equal or smaller than the target stream top item'),
      ],
      [['xadd', 'e', '2-0', 'a', 'b'], b('2-0')],
      [['type', 'e'], st('stream')],
      [['object', 'encoding', 'e'], b('stream')],
    ],
    propCount: 627,
    propTail: [
      [
        'xadd',
        't',
        'maxlen',
        '=',
        '162',
        '695-5',
        'k',
        'vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv',
      ],
      [
        'xadd',
        't',
        'maxlen',
        '=',
        '163',
        '696-5',
        'k',
        'vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv',
      ],
      [
        'xadd',
        't',
        'maxlen',
        '=',
        '164',
        '697-5',
        'k',
        'vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv',
      ],
      [
        'xadd',
        't',
        'maxlen',
        '=',
        '165',
        '698-5',
        'k',
        'vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv',
      ],
      [
        'xadd',
        't',
        'maxlen',
        '=',
        '166',
        '699-5',
        'k',
        'vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv',
      ],
      [
        'xadd',
        'big',
        '5001-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5002-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5003-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5004-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5005-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5006-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5007-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5008-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5009-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5010-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5011-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5012-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5013-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5014-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5015-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5016-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5017-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5018-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5019-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5020-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5021-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5022-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5023-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5024-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5025-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5026-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5027-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5028-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5029-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5030-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5031-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5032-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5033-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5034-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5035-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5036-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5037-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5038-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5039-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5040-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5041-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5042-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5043-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5044-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5045-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5046-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5047-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5048-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5049-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5050-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5051-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5052-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5053-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5054-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5055-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5056-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5057-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5058-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5059-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      [
        'xadd',
        'big',
        '5060-0',
        'payload',
        'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp',
      ],
      ['xadd', 'x', '1-1', 'f', 'v'],
      ['xadd', 'x', '1-2', 'f', 'v', 'g', 'w'],
      ['xadd', 'x', '5', 'a', '1'],
      ['xadd', 'x', 'nomkstream', '6-1', 'f', 'v'],
      ['set', 'str', 'v'],
      ['xdel', 'x', '1-1', '9-9'],
      ['xdel', 's', '10-0', '11-0', '50-0', '200-0'],
      ['xtrim', 's', 'maxlen', '240'],
      ['xtrim', 's', 'maxlen', '=', '151'],
      ['xtrim', 's', 'maxlen', '=', '100'],
      ['xtrim', 's', 'minid', '=', '210-0'],
      ['xadd', 't', 'maxlen', '50', '1000-0', 'k', 'v'],
      ['xadd', 'e', '1-1', 'a', 'b'],
      ['xdel', 'e', '1-1'],
      ['xadd', 'e', '2-0', 'a', 'b'],
    ],
    rdb: { replOffset: 676976, usedMem: 3569640, size: 3373 },
  },
  {
    name: 'scripts and publish',
    setup: (): string[][] => [],
    steps: [
      [['eval', "return redis.call('SET', KEYS[1], ARGV[1])", '1', 'k', 'v'], OK],
      [
        [
          'eval',
          "redis.call('SET', KEYS[1], ARGV[1]); redis.call('INCR', 'c'); return redis.call('GET', KEYS[1])",
          '1',
          'k2',
          'v2',
        ],
        b('v2'),
      ],
      [
        [
          'eval',
          "redis.call('SET', KEYS[1], ARGV[1])\nredis.call('INCR', \"c\")\nreturn redis.call('GET', KEYS[1])",
          '1',
          'k3',
          'v3',
        ],
        b('v3'),
      ],
      [['eval', "return redis.call('GET', 'nokey')", '0'], NIL],
      [
        ['eval', "return redis.call('INCR', 'k')", '0'],
        e(
          'ERR value is not an integer or out of range script: a02144db3132155527dc2889bcbaec380058c146, on @user_script:1.',
        ),
      ],
      [
        ['eval', "return redis.pcall('INCR', 'k')", '0'],
        e('ERR value is not an integer or out of range'),
      ],
      [
        ['eval', "redis.call('INCR', 'c')\nreturn redis.call('INCR', 'k')", '0'],
        e(
          'ERR value is not an integer or out of range script: fbed539217cc0cc4ab3ed897837601bc530836ce, on @user_script:2.',
        ),
      ],
      [['eval', "return redis.call('HGETALL', 'nokey')", '0'], a()],
      [['eval', 'return 1', '0'], i(1)],
      [['eval', "return 'hello'", '0'], b('hello')],
      [['eval', 'return KEYS[1]', '1', 'kk'], b('kk')],
      [
        ['eval', "return redis.call('FOO')", '0'],
        e(
          'ERR Unknown Redis command called from script script: 985cd91d1c17d88d9c9e50c9f8738e9e61f3e911, on @user_script:1.',
        ),
      ],
      [
        ['eval', "return redis.call('SET', 'a')", '0'],
        e(
          'ERR Wrong number of args calling Redis command from script script: c7143463087691ddb64a25e37f1471961ab9cc18, on @user_script:1.',
        ),
      ],
      [
        ['eval', "return redis.call('SET', KEYS[1], ARGV[1])", '2', 'k'],
        e("ERR Number of keys can't be greater than number of args"),
      ],
      [
        ['eval', "return redis.call('SET', KEYS[1], ARGV[1])", '-1', 'k'],
        e("ERR Number of keys can't be negative"),
      ],
      [
        ['eval', "return redis.call('SET', KEYS[1], ARGV[1])", 'x', 'k'],
        e('ERR value is not an integer or out of range'),
      ],
      [['eval', "redis.call('DEL', 'zz')", '0'], NIL],
      [
        ['eval', "return redis.call('SET', KEYS[1], ARGV[1])", '1', 'k'],
        e(
          'ERR Lua redis lib command arguments must be strings or integers script: d8f2fad9f8e86a53d2a6ebd960b33c4972cacc37, on @user_script:1.',
        ),
      ],
      [['eval', "return redis.call('LPUSH', 'l', 'a', 'b')", '0'], i(2)],
      [['eval', "return redis.call('EXISTS', 'l', 'k')", '0'], i(2)],
      [['eval', "return redis.call('HSET', 'h', 'f', '1')", '0'], i(1)],
      [['eval', "return redis.call('LRANGE', 'l', 0, -1)", '0'], a(b('b'), b('a'))],
      [['eval', "return redis.call('ZSCORE', 'nozset', 'a')", '0'], NIL],
      [['eval', "return redis.call('LPOP', 'nolist', 2)", '0'], NIL],
      [['eval', "return redis.call('MGET', 'k', 'nokey', 'k2')", '0'], a(b('v'), NIL, b('v2'))],
      [['eval', "redis.pcall('INCR', 'k'); redis.call('SET', 'after', 'x')", '0'], NIL],
      [
        ['eval', "return redis.call('MULTI')", '0'],
        e(
          'ERR This Redis command is not allowed from script script: ba922d924f6e7808414359ed93c37767dd0532ce, on @user_script:1.',
        ),
      ],
      [['eval', "return redis.call('SET', 'q', 'é')", '0'], OK],
      [
        ['eval', 'return redis.call()', '0'],
        e(
          'ERR Please specify at least one argument for this redis lib call script: 0a907e1429221a4d85516cab7fd219a82a9439d8, on @user_script:1.',
        ),
      ],
      [['publish', 'ch', 'hello'], i(0)],
      [['publish', 'ch'], e("ERR wrong number of arguments for 'publish' command")],
      [['eval', "return redis.call('PUBLISH', 'ch', 'x')", '0'], i(0)],
      [['eval', "return redis.call('XADD', 'st', '1-1', 'f', 'v')", '0'], b('1-1')],
      [
        ['eval', "return redis.call('XRANGE', 'st', '-', '+')", '0'],
        a(a(b('1-1'), a(b('f'), b('v')))),
      ],
      [['eval', "return redis.call('ZADD', 'zz', 1, 'a')", '0'], i(1)],
      [['eval', "return redis.call('ZSCORE', 'zz', 'a')", '0'], b('1')],
      [['eval', "  return redis.call('get', 'k')  ", '0'], b('v')],
      [
        [
          'eval',
          "-- a comment\nredis.call('SET', 'x1', '1')\nredis.call('SET', 'x2', '2')\nreturn redis.call('MGET', 'x1', 'x2')",
          '0',
        ],
        a(b('1'), b('2')),
      ],
    ],
    prop: [
      ['SET', 'k', 'v'],
      ['MULTI'],
      ['SET', 'k2', 'v2'],
      ['INCR', 'c'],
      ['EXEC'],
      ['MULTI'],
      ['SET', 'k3', 'v3'],
      ['INCR', 'c'],
      ['EXEC'],
      ['INCR', 'c'],
      ['LPUSH', 'l', 'a', 'b'],
      ['HSET', 'h', 'f', '1'],
      ['SET', 'after', 'x'],
      ['SET', 'q', 'é'],
      ['publish', 'ch', 'hello'],
      ['PUBLISH', 'ch', 'x'],
      ['XADD', 'st', '1-1', 'f', 'v'],
      ['ZADD', 'zz', '1', 'a'],
      ['MULTI'],
      ['SET', 'x1', '1'],
      ['SET', 'x2', '2'],
      ['EXEC'],
    ],
    rdb: { replOffset: 677564, usedMem: 3532632, size: 344 },
  },
];

describe('course commands against redis 7.0.15', () => {
  for (const s of SECTIONS) {
    it(s.name, () => {
      const ks = createKeyspace();
      const prop: string[][] = [];
      const exec = (argv: string[]): Reply => {
        const res = execKeyspaceCommand(ks, argv, master);
        if (res.propagate.length > 1) prop.push(['MULTI'], ...res.propagate, ['EXEC']);
        else prop.push(...res.propagate);
        return res.reply;
      };
      for (const argv of s.setup()) expect(exec(argv).t, argv.join(' ')).not.toBe('error');
      for (const [argv, reply] of s.steps) expect(exec(argv), argv.join(' ')).toEqual(reply);
      const norm = (p: string[][]): string[][] => p.map(([c, ...r]) => [c!.toLowerCase(), ...r]);
      if (s.prop) expect(norm(prop)).toEqual(norm(s.prop));
      if (s.propTail) {
        expect(prop.length).toBe(s.propCount);
        expect(norm(prop.slice(-s.propTail.length))).toEqual(norm(s.propTail));
      }
      expect(
        rdbPayloadSize(ks, {
          replId: '765f7b83234da7562ca7a3d90253ea9fbf465260',
          replOffset: s.rdb.replOffset,
          replStreamDb: 0,
          ctimeSec: 1795964874,
          usedMem: s.rdb.usedMem,
          versionAux: ['redis-ver', '7.0.15'],
          aofAux: 'aof-base',
        }),
      ).toBe(s.rdb.size);
    });
  }
});

describe('clock-dependent rewrites (hand-computed from NOW)', () => {
  it('SETEX, PSETEX and GETEX propagate absolute times', () => {
    const ks = createKeyspace();
    const run = (...argv: string[]) => execKeyspaceCommand(ks, argv, master);
    expect(run('setex', 'k', '100', 'v').propagate).toEqual([
      ['SET', 'k', 'v', 'PXAT', String(NOW + 100000)],
    ]);
    expect(run('psetex', 'k2', '5000', 'v').propagate).toEqual([
      ['SET', 'k2', 'v', 'PXAT', String(NOW + 5000)],
    ]);
    expect(run('getex', 'k', 'ex', '10').propagate).toEqual([
      ['PEXPIREAT', 'k', String(NOW + 10000)],
    ]);
    expect(run('getex', 'k', 'px', '1500').propagate).toEqual([
      ['PEXPIREAT', 'k', String(NOW + 1500)],
    ]);
    expect(run('getex', 'k', 'persist').propagate).toEqual([['PERSIST', 'k']]);
    // on a replica an absolute time in the past only sets the TTL (no DEL of its own)
    const r = execKeyspaceCommand(ks, ['getex', 'k2', 'pxat', '1'], { ...master, mode: 'replica' });
    expect(r.propagate).toEqual([['PEXPIREAT', 'k2', '1']]);
  });

  it('XADD * takes the ID from the clock and propagates it', () => {
    const ks = createKeyspace();
    const run = (...argv: string[]) => execKeyspaceCommand(ks, argv, master);
    expect(run('xadd', 's', '*', 'f', 'v').reply).toEqual(b(`${NOW}-0`));
    expect(run('xadd', 's', '*', 'f', 'v').propagate).toEqual([
      ['xadd', 's', `${NOW}-1`, 'f', 'v'],
    ]);
    const later = execKeyspaceCommand(ks, ['xadd', 's', 'maxlen', '~', '1', '*', 'g', 'w'], {
      ...master,
      nowMs: NOW + 5,
    });
    // "~" trims whole nodes only (none here): propagated as "=" with the resulting length
    expect(later.propagate).toEqual([['xadd', 's', 'maxlen', '=', '3', `${NOW + 5}-0`, 'g', 'w']]);
  });
});

describe('scripts', () => {
  it('refuses what is not redis.call statements', () => {
    const ks = createKeyspace();
    for (const body of ['local x = 1', 'return redis.call("GET", x)', 'if true then return 1 end'])
      expect(execKeyspaceCommand(ks, ['eval', body, '0'], master).reply).toEqual(
        e(SCRIPT_SUBSET_ERROR),
      );
  });

  it('a read-only replica refuses a script write', () => {
    const ks = createKeyspace();
    const r = execKeyspaceCommand(ks, ['eval', "return redis.call('SET', 'x', '1')", '0'], {
      ...master,
      mode: 'replica',
      readOnlyReplica: true,
    });
    // as redis-server 7.0.15 replied on a replica
    expect(r.reply).toEqual(
      e(
        "READONLY You can't write against a read only replica. script: 8d2da2533bbf4d10590876b5c755f716f5ffa077, on @user_script:1.",
      ),
    );
  });

  it('reaches PING and ECHO (replies from redis-server 7.0.15)', () => {
    const ks = createKeyspace();
    const ev = (body: string) => execKeyspaceCommand(ks, ['eval', body, '0'], master).reply;
    expect(ev("return redis.call('PING')")).toEqual(st('PONG'));
    expect(ev("return redis.call('PING', 'x')")).toEqual(b('x'));
    expect(ev("return redis.call('ECHO', 'hi')")).toEqual(b('hi'));
    expect(ev("return redis.call('PING', 'a', 'b')")).toEqual(
      e(
        "ERR wrong number of arguments for 'ping' command script: c6437fed763a483a8f3b19d68aef0bec9a0390d3, on @user_script:1.",
      ),
    );
  });

  it('names scripts by their SHA-1', () => {
    // FIPS 180 test vectors
    expect(sha1Hex('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(sha1Hex('')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
  });
});

describe('scores', () => {
  it('print as %.17g and are stored as d2string text', () => {
    expect(formatG17(1.1)).toBe('1.1000000000000001');
    expect(formatG17(1e20)).toBe('1e+20');
    expect(formatG17(0.0001)).toBe('0.0001');
    expect(formatG17(0.00001)).toBe('1.0000000000000001e-05');
    expect(formatG17(123456789012)).toBe('123456789012');
    expect(scoreText(2 ** 62)).toBe('4611686018427387904');
    expect(scoreText(2 ** 63)).toBe('9.2233720368547758e+18');
    expect(parseDouble('0x10')).toBe(16);
    expect(parseDouble(' 1')).toBeNull();
    expect(parseDouble('1e400')).toBeNull();
  });
});

describe('ZRANGE BYSCORE bounds are parsed by strtod alone', () => {
  it('takes overflows as infinities and underflows as 0 (replies from redis-server 7.0.15)', () => {
    const ks = createKeyspace();
    const run = (...argv: string[]) => execKeyspaceCommand(ks, argv, master).reply;
    run('zadd', 'z', '1', 'a', '2', 'b', '1e300', 'c');
    expect(run('zrange', 'z', '1e400', '+inf', 'byscore')).toEqual(a());
    expect(run('zrange', 'z', '-1e400', '(1e400', 'byscore', 'withscores')).toEqual(
      a(b('a'), b('1'), b('b'), b('2'), b('c'), b('1.0000000000000001e+300')),
    );
    expect(run('zrange', 'z', '1e-400', '2', 'byscore')).toEqual(a(b('a'), b('b')));
    expect(run('zrange', 'z', ' 1', '2', 'byscore')).toEqual(a(b('a'), b('b')));
    expect(run('zadd', 'z', '1e-400', 'u')).toEqual(e('ERR value is not a valid float'));
  });
});

describe('ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZCOUNT', () => {
  it('answer as redis-server 7.0.15 did', () => {
    const ks = createKeyspace();
    const steps: Array<[string[], Reply]> = [
      [['zadd', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'], i(5)],
      [['zrevrange', 'z', '0', '-1'], a(b('e'), b('d'), b('c'), b('b'), b('a'))],
      [['zrevrange', 'z', '0', '1', 'withscores'], a(b('e'), b('5'), b('d'), b('4'))],
      [['zrevrange', 'z', '0', '1', 'rev'], e('ERR syntax error')],
      [['zrevrange', 'z', '0', '1', 'byscore'], e('ERR syntax error')],
      [
        ['zrevrange', 'z', '0', '1', 'limit', '0', '1'],
        e('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX'),
      ],
      [['zrangebyscore', 'z', '2', '4'], a(b('b'), b('c'), b('d'))],
      [['zrangebyscore', 'z', '(2', '+inf', 'withscores', 'limit', '1', '1'], a(b('d'), b('4'))],
      [['zrangebyscore', 'z', '2', '4', 'rev'], e('ERR syntax error')],
      [['zrangebyscore', 'z', '2', '4', 'byscore'], e('ERR syntax error')],
      [['zrangebyscore', 'z', '2', '4', 'bylex'], e('ERR syntax error')],
      [['zrangebyscore', 'z', 'x', '4'], e('ERR min or max is not a float')],
      [['zrevrangebyscore', 'z', '4', '2'], a(b('d'), b('c'), b('b'))],
      [
        ['zrevrangebyscore', 'z', '+inf', '-inf', 'withscores', 'limit', '0', '2'],
        a(b('e'), b('5'), b('d'), b('4')),
      ],
      [['zrevrangebyscore', 'z', '2', '4'], a()],
      [['zcount', 'z', '2', '4'], i(3)],
      [['zcount', 'z', '(2', '+inf'], i(3)],
      [['zcount', 'z', 'x', '1'], e('ERR min or max is not a float')],
      [['zcount', 'nokey', '0', '1'], i(0)],
      [['set', 's', 'v'], OK],
      [
        ['zcount', 's', '0', '1'],
        e('WRONGTYPE Operation against a key holding the wrong kind of value'),
      ],
      [
        ['zrevrange', 's', '0', '1'],
        e('WRONGTYPE Operation against a key holding the wrong kind of value'),
      ],
      [['zrangebyscore', 'nokey', '0', '1'], a()],
      [['zrevrange', 'z', 'a', '1'], e('ERR value is not an integer or out of range')],
    ];
    for (const [argv, reply] of steps)
      expect(execKeyspaceCommand(ks, argv, master).reply, argv.join(' ')).toEqual(reply);
  });
});

describe('RDB load re-encodes', () => {
  it('as rdbLoadObject does', () => {
    const ks = createKeyspace();
    const run = (...argv: string[]) => execKeyspaceCommand(ks, argv, master);
    run('set', 's', '12');
    run('append', 's', '3'); // raw on the master
    run('sadd', 'set', 'a', '1', '70000');
    run('srem', 'set', 'a'); // a hash table of integers
    run('zadd', 'z', '1', 'm'.repeat(70), '2', 'b');
    run('zrem', 'z', 'm'.repeat(70)); // a skiplist of one short member
    const loaded = loadKeyspace(ks);
    const enc = (k: string) => execKeyspaceCommand(loaded, ['object', 'encoding', k], master).reply;
    expect(enc('s')).toEqual(b('int'));
    expect(enc('set')).toEqual(b('intset'));
    expect(enc('z')).toEqual(b('listpack'));
  });
});

describe('the 5.0 dialect', () => {
  const v5: CommandContext = { ...master, line: 5.0 };
  it('does not know the commands added in 6.2', () => {
    const ks = createKeyspace();
    expect(execKeyspaceCommand(ks, ['getdel', 'k'], v5).reply.t).toBe('error');
    expect(execKeyspaceCommand(ks, ['getex', 'k'], v5).reply.t).toBe('error');
  });
  it("replicates a script's effects in a MULTI/EXEC of their own, even a single write", () => {
    // redis-server 5.0.14 (`redis-cli --slave`): "MULTI" "SET","k","1" "INCR","k" "EXEC", and
    // for a one-write script "MULTI" "SET","j","x" "EXEC" (lua-replicate-commands is the default).
    const ks = createKeyspace();
    const body = "redis.call('SET', KEYS[1], '1'); redis.call('INCR', KEYS[1])";
    const r = execKeyspaceCommand(ks, ['eval', body, '1', 'k'], v5);
    expect(r.propagate).toEqual([['MULTI'], ['SET', 'k', '1'], ['INCR', 'k'], ['EXEC']]);
    const one = execKeyspaceCommand(
      ks,
      ['eval', "return redis.call('SET', KEYS[1], 'x')", '1', 'j'],
      v5,
    );
    expect(one.propagate).toEqual([['MULTI'], ['SET', 'j', 'x'], ['EXEC']]);
    expect(execKeyspaceCommand(ks, ['eval', "return redis.call('GET', 'k')", '0'], v5)).toEqual({
      reply: b('2'),
      propagate: [],
      expired: 0,
    });
  });
});
