import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LabScriptError } from './ast';
import type { Statement } from './ast';
import { formatStatement, parseDuration, parseScript, quoteArg, splitArgs } from './script';

const EXAMPLE = `
# comment
server master 192.168.157.144:6379      # declare a server (it starts as a master); address optional
server replica1 192.168.157.146:6379
replica1 REPLICAOF master 6379          # <server> <any Redis command>, quoted as redis-cli quotes
wait 6s                                 # advance simulated time (ms, s, m)
master HSET curso:4 nombre "Curso de introducción a docker" duration 30
net replica1 down                       # cut replica1's network
net replica1 down silent
net replica1 up
net replica1 stop
net replica1 start
restart replica1
show log master
show info replica1
latency 300ms bandwidth 10mb            # link timing
`;

const withoutPos = (s: Statement): Omit<Statement, 'pos'> => {
  const { pos: _pos, ...rest } = s;
  return rest;
};

function errorOf(text: string): { line: number; col: number; reason: string } {
  try {
    parseScript(text);
  } catch (e) {
    if (e instanceof LabScriptError) return { line: e.line, col: e.col, reason: e.reason };
    throw e;
  }
  throw new Error('expected a LabScriptError');
}

describe('parseScript', () => {
  it('parses the example', () => {
    const { statements } = parseScript(EXAMPLE);
    expect(statements.map(withoutPos)).toEqual([
      { kind: 'server', name: 'master', host: '192.168.157.144', port: 6379 },
      { kind: 'server', name: 'replica1', host: '192.168.157.146', port: 6379 },
      { kind: 'command', server: 'replica1', argv: ['REPLICAOF', 'master', '6379'] },
      { kind: 'wait', ms: 6000 },
      {
        kind: 'command',
        server: 'master',
        argv: ['HSET', 'curso:4', 'nombre', 'Curso de introducción a docker', 'duration', '30'],
      },
      { kind: 'net', server: 'replica1', op: 'down' },
      { kind: 'net', server: 'replica1', op: 'silent' },
      { kind: 'net', server: 'replica1', op: 'up' },
      { kind: 'net', server: 'replica1', op: 'stop' },
      { kind: 'net', server: 'replica1', op: 'start' },
      { kind: 'restart', server: 'replica1' },
      { kind: 'show', what: 'log', server: 'master' },
      { kind: 'show', what: 'info', server: 'replica1' },
      { kind: 'link', latencyMs: 300, bytesPerSec: 10 * 1024 * 1024 },
    ]);
    expect(statements[0]?.pos).toEqual({ line: 3, col: 1 });
    expect(statements[4]?.pos).toEqual({ line: 7, col: 1 });
  });

  it('parses clock and version, defaults addresses, ignores case of keywords', () => {
    const { statements } = parseScript(
      'CLOCK 2020-02-27 14:06:23.000\n  Version 5\r\nserver a\nserver b\n\tWAIT 1.5s\nlatency 20\n',
    );
    expect(statements.map(withoutPos)).toEqual([
      { kind: 'clock', wallMs: Date.UTC(2020, 1, 27, 14, 6, 23) },
      { kind: 'version', version: '5.0' },
      { kind: 'server', name: 'a', host: '127.0.0.1', port: 6379 },
      { kind: 'server', name: 'b', host: '127.0.0.1', port: 6380 },
      { kind: 'wait', ms: 1500 },
      { kind: 'link', latencyMs: 20, bytesPerSec: null },
    ]);
    expect(statements[4]?.pos).toEqual({ line: 5, col: 2 });
  });

  it('keeps # inside quotes and inside a word, drops comments after blanks', () => {
    const { statements } = parseScript(
      'server m\nm SET k "a # b" # comment\nm SET k a#b\n#m SET x y\nm SET k \'#x\'',
    );
    expect(statements.slice(1).map(withoutPos)).toEqual([
      { kind: 'command', server: 'm', argv: ['SET', 'k', 'a # b'] },
      { kind: 'command', server: 'm', argv: ['SET', 'k', 'a#b'] },
      { kind: 'command', server: 'm', argv: ['SET', 'k', '#x'] },
    ]);
  });

  it('reports line and column of the offending token', () => {
    expect(errorOf('server master\nreplica1 PING')).toEqual({
      line: 2,
      col: 1,
      reason: "unknown directive or server 'replica1'",
    });
    expect(errorOf('server m\nnet   ghost down')).toEqual({
      line: 2,
      col: 7,
      reason: "unknown server 'ghost'",
    });
    expect(errorOf('server m\nwait 6x')).toEqual({
      line: 2,
      col: 6,
      reason: 'wait needs a duration like 250ms, 6s or 2m',
    });
    expect(errorOf('server m\nwait')).toMatchObject({ line: 2, col: 5 });
    // A day at most (1440m = 86,400,000 ms): a longer one would hold the page while it runs.
    expect(errorOf('server m\nwait 1441m')).toEqual({
      line: 2,
      col: 6,
      reason: 'wait is at most 1440m (a day): split a longer wait in several',
    });
    expect(errorOf('server m\nwait 86400001')).toMatchObject({ line: 2, col: 6 });
    expect(errorOf('server m\nwait 99999999999999999999m')).toMatchObject({ line: 2, col: 6 });
    expect(parseScript('server m\nwait 1440m').statements[1]).toMatchObject({ ms: 86_400_000 });
    expect(errorOf('server m\nm SET k "abc')).toEqual({
      line: 2,
      col: 9,
      reason: 'unbalanced quotes',
    });
    expect(errorOf("server m\nm SET k 'abc")).toEqual({
      line: 2,
      col: 9,
      reason: 'unbalanced quotes',
    });
    expect(errorOf('server m\nm SET k "abc"x')).toEqual({
      line: 2,
      col: 14,
      reason: 'a closing quote must be followed by a space or the end of the line',
    });
    expect(errorOf('server m\nclock 2020-02-27 14:06:23')).toEqual({
      line: 2,
      col: 1,
      reason: "'clock' and 'version' must come before the first server",
    });
    expect(errorOf('server m\nversion 7.0')).toMatchObject({ line: 2, col: 1 });
    expect(errorOf('server m\nserver m')).toEqual({
      line: 2,
      col: 8,
      reason: "server 'm' is already declared",
    });
    expect(errorOf('server a 10.0.0.1:6379\nserver b 10.0.0.1:6379')).toEqual({
      line: 2,
      col: 10,
      reason: "address 10.0.0.1:6379 is already used by 'a'",
    });
    expect(errorOf('server a\nserver b 127.0.0.1:6379')).toMatchObject({ line: 2, col: 10 });
    expect(errorOf('server wait')).toMatchObject({ line: 1, col: 8 });
    expect(errorOf('server 9lives')).toMatchObject({ line: 1, col: 8 });
    expect(errorOf('server a 10.0.0.300:6379')).toMatchObject({ line: 1, col: 10 });
    expect(errorOf('server a host:70000')).toMatchObject({ line: 1, col: 10 });
    expect(errorOf('server m\nnet m sideways')).toEqual({
      line: 2,
      col: 7,
      reason: 'net needs: net NAME down [silent] | up | stop | start',
    });
    expect(errorOf('server m\nnet m up silent')).toMatchObject({ line: 2, col: 10 });
    expect(errorOf('server m\nshow stats m')).toMatchObject({ line: 2, col: 6 });
    expect(errorOf('clock 2020-02-30 00:00:00')).toMatchObject({ line: 1, col: 7 });
    expect(errorOf('version 6.4')).toEqual({
      line: 1,
      col: 9,
      reason: 'version needs one of 5.0, 6.2, 7.0, 7.2, 7.4, valkey-8.0',
    });
    // The short names a teacher types: 5, 6, 7, valkey.
    expect(parseScript('version valkey').statements[0]).toMatchObject({ version: 'valkey-8.0' });
    expect(parseScript('version 6').statements[0]).toMatchObject({ version: '6.2' });
    expect(errorOf('latency 1s bandwidth 10tb')).toMatchObject({ line: 1, col: 22 });
    expect(errorOf('server m\nm')).toMatchObject({ line: 2, col: 2 });
  });

  it('formats errors as "line L, column C: reason"', () => {
    expect(() => parseScript('\n  foo bar')).toThrow(
      "line 2, column 3: unknown directive or server 'foo'",
    );
  });
});

describe('splitArgs (sdssplitargs)', () => {
  it('follows redis-cli quoting', () => {
    expect(splitArgs('  SET  k   v ')).toEqual(['SET', 'k', 'v']);
    expect(splitArgs('')).toEqual([]);
    expect(splitArgs('""')).toEqual(['']);
    expect(splitArgs('"a\\"b\\\\c\\n\\r\\t\\b\\a\\x41\\q"')).toEqual(['a"b\\c\n\r\t\b\x07Aq']);
    expect(splitArgs("'it\\'s' '\\n'")).toEqual(["it's", '\\n']);
    expect(splitArgs('a"b c"d')).toBeNull(); // closing quote followed by 'd'
    expect(splitArgs('a"b c" d')).toEqual(['ab c', 'd']);
    expect(splitArgs('a\\b')).toEqual(['a\\b']);
    expect(splitArgs('"x\\xZZ"')).toEqual(['xxZZ']);
    expect(splitArgs('"introducci\\xc3\\xb3n"')).toEqual(['introducción']);
    expect(splitArgs('"\\xff"')).toEqual(['\u00ff']);
    expect(splitArgs('introducción')).toEqual(['introducción']);
    expect(splitArgs('"abc')).toBeNull();
    expect(splitArgs('"abc\\"')).toBeNull();
    expect(splitArgs("'abc")).toBeNull();
    expect(splitArgs('a # b')).toEqual(['a', '#', 'b']); // comments are a lab-script thing only
  });

  it('quoteArg is plain when safe, sdscatrepr-style otherwise', () => {
    expect(quoteArg('curso:4')).toBe('curso:4');
    expect(quoteArg('introducción')).toBe('introducción');
    expect(quoteArg('')).toBe('""');
    expect(quoteArg('a b')).toBe('"a b"');
    expect(quoteArg('#x')).toBe('"#x"');
    expect(quoteArg('say "hi"\n')).toBe('"say \\"hi\\"\\n"');
    expect(quoteArg("it's\\")).toBe('"it\'s\\\\"');
    expect(quoteArg('\x00\x01\x7f\t\r\x07\b')).toBe('"\\x00\\x01\\x7f\\t\\r\\a\\b"');
  });

  it('splitArgs(quoteArg(x)) = x for any string', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })),
        ),
        (args) => {
          expect(splitArgs(args.map(quoteArg).join(' '))).toEqual(args);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('quoteArg(splitArgs(x)) splits back the same', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', ' ', '"', "'", '\\', 'x', '4', 'n', '#', '\t') }),
        (line) => {
          const args = splitArgs(line);
          if (args !== null) expect(splitArgs(args.map(quoteArg).join(' '))).toEqual(args);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('parseDuration', () => {
  it('reads ms, s, m, decimals and bare numbers', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('6s')).toBe(6000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('2M')).toBe(120_000);
    expect(parseDuration('40')).toBe(40);
    expect(parseDuration('0')).toBe(0);
    for (const bad of ['', 's', '-1s', '1h', '1.s', '1 s', 'abc'])
      expect(parseDuration(bad)).toBeNull();
  });
});

describe('formatStatement', () => {
  it('round-trips every statement of a script', () => {
    const script = `clock 2020-02-27 14:06:23.042
version 5.0
server master 192.168.157.144:6379
server replica1
server r-2 redis.example.com:7000
replica1 REPLICAOF master 6379
master HSET curso:4 nombre "Curso de introducción a docker" duration 30
master SET "" "a\\tb\\x01" '#x'
wait 6s
wait 90000
wait 1250
wait 0
net replica1 down
net replica1 down silent
net replica1 up
net replica1 stop
net replica1 start
restart replica1
show log master
show info replica1
latency 300ms bandwidth 10mb
latency 1m bandwidth 1500
latency 0ms bandwidth 3kb
`;
    const { statements } = parseScript(script);
    const text = statements.map(formatStatement).join('\n');
    expect(parseScript(text).statements.map(withoutPos)).toEqual(statements.map(withoutPos));
    expect(statements.map(formatStatement)).toContain('clock 2020-02-27 14:06:23.042');
    expect(statements.map(formatStatement)).toContain('wait 90s');
    expect(statements.map(formatStatement)).toContain('server replica1 127.0.0.1:6380');
    expect(statements.map(formatStatement)).toContain('master SET "" "a\\tb\\x01" "#x"');
  });

  it('round-trips commands with arbitrary arguments and any clock', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary' }), { minLength: 1 }),
        fc.integer({ min: 0, max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }),
        (argv, wallMs) => {
          const stmts: Statement[] = [
            { kind: 'clock', pos: { line: 1, col: 1 }, wallMs },
            { kind: 'server', pos: { line: 2, col: 1 }, name: 'm', host: '127.0.0.1', port: 6379 },
            { kind: 'command', pos: { line: 3, col: 1 }, server: 'm', argv },
          ];
          const back = parseScript(stmts.map(formatStatement).join('\n')).statements;
          expect(back.map(withoutPos)).toEqual(stmts.map(withoutPos));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('remove', () => {
  it('frees the name: later lines cannot use it until it is declared again', () => {
    const ok = parseScript('server a\nserver b\nremove b\nserver b 10.0.0.9:6379\nb PING\n');
    expect(ok.statements.map((s) => s.kind)).toEqual([
      'server',
      'server',
      'remove',
      'server',
      'command',
    ]);
    expect(formatStatement(ok.statements[2]!)).toBe('remove b');
    expect(() => parseScript('server a\nserver b\nremove b\nb PING\n')).toThrow(
      "line 4, column 1: unknown directive or server 'b'",
    );
  });
});

describe('parseScript with the servers a running lab declared', () => {
  const declared = [
    { name: 'master', host: '10.0.0.1', port: 6379 },
    { name: 'replica1', host: '10.0.0.2', port: 6379 },
  ];
  const prefix = declared.map((d) => `server ${d.name} ${d.host}:${d.port}`);
  /** What the line gives after the servers' own `server` lines, or its error. */
  const asPrefixed = (line: string) => {
    try {
      return parseScript([...prefix, line].join('\n'))
        .statements.slice(prefix.length)
        .map((st) => ({ ...st, pos: { ...st.pos, line: st.pos.line - prefix.length } }));
    } catch (e) {
      const err = e as LabScriptError;
      return { line: err.line - prefix.length, col: err.col, reason: err.reason };
    }
  };
  const withContext = (line: string) => {
    try {
      return parseScript(line, { servers: declared }).statements;
    } catch (e) {
      const err = e as LabScriptError;
      return { line: err.line, col: err.col, reason: err.reason };
    }
  };

  it('reads each line as if those servers were declared before it', () => {
    for (const line of [
      'master SET a 1',
      'replica1 REPLICAOF 10.0.0.1 6379',
      'server r2',
      'server r3 10.0.0.1:6380',
      'server r2 10.0.0.1:6379',
      'server master',
      'nobody SET a 1',
      'net replica1 stop',
      'wait 2s',
    ])
      expect(withContext(line), line).toEqual(asPrefixed(line));
    // The third server declared takes the third default port, as after two declarations.
    expect(withContext('server r2')).toMatchObject([{ kind: 'server', name: 'r2', port: 6381 }]);
  });
});
