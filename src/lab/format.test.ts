/**
 * Every expected string here was observed from redis-cli 7.0.15 against redis-server 7.0.15:
 * raw = `redis-cli -p 7778 CMD | od -c` (stdout not a tty), tty = `script -qc "redis-cli -p 7778 CMD"
 * /dev/null | od -c` (the tty turns "\n" into "\r\n"; undone here). The final newline redis-cli
 * writes after each reply is left out, as formatReply* leave it out.
 */
import { describe, expect, it } from 'vitest';
import { array, bulk, bulks, err, int, NIL, OK, QUEUED, status, WRONGTYPE } from '../engine/reply';
import type { Reply } from '../engine/reply';
import { formatReplyRaw, formatReplyTty } from './format';

/** MULTI; SET a 1; LRANGE l 0 -1; GET nokey; INCR a; LRANGE nol 0 -1; HSET l x y; EXEC */
const EXEC: Reply = array([OK, bulks(['a', 'b c', 'q"x']), NIL, int(2), array([]), WRONGTYPE]);
/** ROLE on a master with one replica at 127.0.0.1:7779 */
const ROLE_MASTER: Reply = array([
  bulk('master'),
  int(347),
  array([bulks(['127.0.0.1', '7779', '347'])]),
]);
/** ROLE on that replica */
const ROLE_REPLICA: Reply = array([
  bulk('slave'),
  bulk('127.0.0.1'),
  int(7778),
  bulk('connected'),
  int(347),
]);
/** RPUSH l2 1 2 ... 11; LRANGE l2 0 -1 */
const ELEVEN: Reply = bulks(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
const WRONG_ARITY = err("ERR wrong number of arguments for 'set' command");
/** SET ctl "a\tb\nc\r\x01\x7f\"\\" ; GET ctl */
const CONTROL = bulk('a\tb\nc\r\x01\x7f"\\');

describe('formatReplyRaw (redis-cli, stdout not a tty)', () => {
  it('prints scalars bare', () => {
    expect(formatReplyRaw(OK)).toBe('OK');
    expect(formatReplyRaw(status('PONG'))).toBe('PONG');
    expect(formatReplyRaw(int(1))).toBe('1');
    expect(formatReplyRaw(bulk('introducción'))).toBe('introducción');
    expect(formatReplyRaw(CONTROL)).toBe('a\tb\nc\r\x01\x7f"\\');
    expect(formatReplyRaw(bulk(''))).toBe(''); // ECHO '' → "\n"
  });

  it('prints nil and empty arrays as an empty line', () => {
    expect(formatReplyRaw(NIL)).toBe(''); // GET nokey → "\n"
    expect(formatReplyRaw(array([]))).toBe(''); // LRANGE nol 0 -1 → "\n"
    expect(formatReplyRaw(array(null))).toBe('');
  });

  it('prints errors without "(error)" and with an extra newline', () => {
    // SET → "ERR wrong number of arguments for 'set' command\n\n", on stdout, exit status 0
    expect(formatReplyRaw(WRONG_ARITY) + '\n').toBe(
      "ERR wrong number of arguments for 'set' command\n\n",
    );
  });

  it('prints array elements one per line, nested arrays flattened', () => {
    expect(formatReplyRaw(bulks(['a', 'b c', 'q"x'])) + '\n').toBe('a\nb c\nq"x\n');
    expect(formatReplyRaw(EXEC) + '\n').toBe(
      'OK\na\nb c\nq"x\n\n2\n\nWRONGTYPE Operation against a key holding the wrong kind of value\n\n',
    );
    expect(formatReplyRaw(ROLE_MASTER) + '\n').toBe('master\n347\n127.0.0.1\n7779\n347\n');
    expect(formatReplyRaw(ROLE_REPLICA) + '\n').toBe('slave\n127.0.0.1\n7778\nconnected\n347\n');
    expect(formatReplyRaw(QUEUED)).toBe('QUEUED');
    expect(formatReplyRaw(array([status('PONG'), ROLE_MASTER])) + '\n').toBe(
      'PONG\nmaster\n347\n127.0.0.1\n7779\n347\n',
    );
  });
});

describe('formatReplyTty (redis-cli on a terminal)', () => {
  it('prints scalars', () => {
    expect(formatReplyTty(OK)).toBe('OK');
    expect(formatReplyTty(status('PONG'))).toBe('PONG');
    expect(formatReplyTty(int(2))).toBe('(integer) 2');
    expect(formatReplyTty(NIL)).toBe('(nil)');
    expect(formatReplyTty(bulk(''))).toBe('""');
    expect(formatReplyTty(array([]))).toBe('(empty array)');
    expect(formatReplyTty(WRONG_ARITY)).toBe(
      "(error) ERR wrong number of arguments for 'set' command",
    );
  });

  it('quotes strings, escaping bytes like sdscatrepr', () => {
    expect(formatReplyTty(bulk('introducción'))).toBe('"introducci\\xc3\\xb3n"');
    expect(formatReplyTty(CONTROL)).toBe('"a\\tb\\nc\\r\\x01\\x7f\\"\\\\"');
  });

  it('numbers array elements and indents nested arrays', () => {
    expect(formatReplyTty(bulks(['a', 'b c', 'q"x']))).toBe('1) "a"\n2) "b c"\n3) "q\\"x"');
    expect(formatReplyTty(EXEC)).toBe(
      [
        '1) OK',
        '2) 1) "a"',
        '   2) "b c"',
        '   3) "q\\"x"',
        '3) (nil)',
        '4) (integer) 2',
        '5) (empty array)',
        '6) (error) WRONGTYPE Operation against a key holding the wrong kind of value',
      ].join('\n'),
    );
    expect(formatReplyTty(ROLE_MASTER)).toBe(
      [
        '1) "master"',
        '2) (integer) 347',
        '3) 1) 1) "127.0.0.1"',
        '      2) "7779"',
        '      3) "347"',
      ].join('\n'),
    );
    expect(formatReplyTty(ROLE_REPLICA)).toBe(
      [
        '1) "slave"',
        '2) "127.0.0.1"',
        '3) (integer) 7778',
        '4) "connected"',
        '5) (integer) 347',
      ].join('\n'),
    );
    // MULTI; PING; ROLE; EXEC
    expect(formatReplyTty(array([status('PONG'), ROLE_MASTER]))).toBe(
      [
        '1) PONG',
        '2) 1) "master"',
        '   2) (integer) 347',
        '   3) 1) 1) "127.0.0.1"',
        '         2) "7779"',
        '         3) "347"',
      ].join('\n'),
    );
  });

  it('right-aligns indexes to the widest one', () => {
    expect(formatReplyTty(ELEVEN)).toBe(
      [
        ' 1) "1"',
        ' 2) "2"',
        ' 3) "3"',
        ' 4) "4"',
        ' 5) "5"',
        ' 6) "6"',
        ' 7) "7"',
        ' 8) "8"',
        ' 9) "9"',
      ]
        .concat(['10) "10"', '11) "11"'])
        .join('\n'),
    );
  });

  it('prints INFO and CLIENT INFO raw, as redis-cli does', () => {
    const info = bulk('# Replication\r\nrole:master\r\nconnected_slaves:0\r\n');
    // On a tty: "# Replication\r\nrole:master\r\n..." exactly, with no newline added after it.
    expect(formatReplyTty(info, ['INFO', 'replication']) + '\n').toBe(info.v);
    expect(formatReplyTty(info, ['info'])).toBe(
      '# Replication\r\nrole:master\r\nconnected_slaves:0\r',
    );
    expect(formatReplyTty(bulk('id=3 addr=x resp=2\n'), ['CLIENT', 'INFO'])).toBe(
      'id=3 addr=x resp=2',
    );
    expect(formatReplyTty(bulk('x\n'), ['GET', 'k'])).toBe('"x\\n"');
    const unknown = err("ERR unknown subcommand 'INFOx'. Try CLIENT HELP.");
    expect(formatReplyTty(unknown, ['CLIENT', 'INFOx'])).toBe(
      "(error) ERR unknown subcommand 'INFOx'. Try CLIENT HELP.",
    );
  });
});
