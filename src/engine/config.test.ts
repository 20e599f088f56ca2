import { describe, expect, it } from 'vitest';
import { memtoull } from './config';
import { Simulation } from './sim';

// Expected replies are real redis-server 7.0.15's (redis-cli on this machine), and the numbers
// follow config.c updateClientOutputBufferLimit / getConfigClientOutputBufferLimitOption:
// "%s %llu %llu %ld" for normal, slave, pubsub; 1kb = 1024, 1k = 1000, 1mb = 1048576.

const err = (v: string) => ({ t: 'error', v });
const ok = { t: 'status', v: 'OK' };
const failed = (why: string, arg = 'client-output-buffer-limit') =>
  err(`ERR CONFIG SET failed (possibly related to argument '${arg}') - ${why}`);

function server(): Simulation {
  const sim = new Simulation({ seed: 1 });
  sim.addServer('master', '10.0.0.1', 6379);
  return sim;
}
const get = (sim: Simulation, name = 'client-output-buffer-limit'): Array<string | null> => {
  const r = sim.exec('master', ['CONFIG', 'GET', name]);
  if (r.t !== 'array') throw new Error(`CONFIG GET replied ${JSON.stringify(r)}`);
  return r.v!.map((x) => (x.t === 'bulk' ? x.v : null));
};
const set = (sim: Simulation, ...args: string[]) => sim.exec('master', ['CONFIG', 'SET', ...args]);

describe('CONFIG client-output-buffer-limit', () => {
  it('defaults to normal 0 0 0, replica 256mb 64mb 60, pubsub 32mb 8mb 60', () => {
    // 256·2^20 = 268435456, 64·2^20 = 67108864, 32·2^20 = 33554432, 8·2^20 = 8388608.
    expect(get(server())).toEqual([
      'client-output-buffer-limit',
      'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
    ]);
  });

  it('sets classes by name (replica is slave), in any case, with memory units; the last wins', () => {
    const sim = server();
    expect(set(sim, 'client-output-buffer-limit', 'replica 1mb 512kb 10')).toEqual(ok);
    expect(get(sim)[1]).toBe('normal 0 0 0 slave 1048576 524288 10 pubsub 33554432 8388608 60');
    expect(
      set(sim, 'client-output-buffer-limit', 'REPLICA 1MB 1Kb 1 normal 1 2 3 Slave 2k 3b 4'),
    ).toEqual(ok);
    // 2k = 2000, 3b = 3.
    expect(get(sim)[1]).toBe('normal 1 2 3 slave 2000 3 4 pubsub 33554432 8388608 60');
    expect(set(sim, 'client-output-buffer-limit', 'pubsub 0 0 0')).toEqual(ok);
    expect(get(sim)[1]).toBe('normal 1 2 3 slave 2000 3 4 pubsub 0 0 0');
  });

  it("splits on single spaces: an empty value changes nothing, a trailing blank is '' = 0", () => {
    const sim = server();
    expect(set(sim, 'client-output-buffer-limit', '')).toEqual(ok);
    expect(get(sim)[1]).toBe('normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60');
    expect(set(sim, 'client-output-buffer-limit', 'replica 10 1 ')).toEqual(ok);
    expect(get(sim)[1]).toBe('normal 0 0 0 slave 10 1 0 pubsub 33554432 8388608 60');
    // Two blanks make five words.
    expect(set(sim, 'client-output-buffer-limit', 'replica 1mb  512kb 10')).toEqual(
      failed('Wrong number of arguments in buffer limit configuration.'),
    );
  });

  it("refuses what Redis refuses, with Redis's words, and keeps the old value", () => {
    const sim = server();
    const wrongCount = failed('Wrong number of arguments in buffer limit configuration.');
    const badClass = failed('Invalid client class specified in buffer limit configuration.');
    const badValue = failed(
      'Error in hard, soft or soft_seconds setting in buffer limit configuration.',
    );
    for (const [value, reply] of [
      ['replica 1mb 512kb', wrongCount],
      [' replica 10 1 2', wrongCount],
      ['replica 1mb 512kb 10 pubsub', wrongCount],
      ['master 1mb 512kb 10', badClass],
      ['foo 1mb 512kb 10', badClass],
      // The whole value is refused even if the bad class comes last.
      ['replica 1 1 1 pubsub 1 1 1 master 1 1 1', badClass],
      ['replica x 512kb 10', badValue],
      ['replica 1.5mb 1 1', badValue],
      ['replica 0x10 1 1', badValue],
      ['replica -1 512kb 1', badValue],
      ['replica 1mb x 10', badValue],
      ['replica 1mb 512kb x', badValue],
      ['replica 10 1 1x', badValue],
      ['replica 1mb 512kb -1', badValue],
      ['replica 1 2 -', badValue],
      // soft_seconds is a C int: 2^31 reads as -2^31, 2^32 - 1 as -1, 2^63 clamps to -1.
      ['replica 1 2 2147483648', badValue],
      ['replica 1 2 4294967295', badValue],
      ['replica 1 2 9223372036854775808', badValue],
    ] as const) {
      expect(set(sim, 'client-output-buffer-limit', value), value).toEqual(reply);
    }
    expect(get(sim)[1]).toBe('normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60');
  });

  it('reads soft_seconds as strtoll into an int: +3, 07, -0 and 2^32 + 1 (= 1) pass', () => {
    const sim = server();
    expect(set(sim, 'client-output-buffer-limit', 'replica 10 1 +3')).toEqual(ok);
    expect(get(sim)[1]).toBe('normal 0 0 0 slave 10 1 3 pubsub 33554432 8388608 60');
    expect(set(sim, 'client-output-buffer-limit', 'replica 1 2 07')).toEqual(ok);
    expect(get(sim)[1]).toBe('normal 0 0 0 slave 1 2 7 pubsub 33554432 8388608 60');
    expect(set(sim, 'client-output-buffer-limit', 'replica 1 2 -0')).toEqual(ok);
    expect(get(sim)[1]).toBe('normal 0 0 0 slave 1 2 0 pubsub 33554432 8388608 60');
    expect(set(sim, 'client-output-buffer-limit', 'replica 1 2 4294967297')).toEqual(ok);
    expect(get(sim)[1]).toBe('normal 0 0 0 slave 1 2 1 pubsub 33554432 8388608 60');
  });

  it('answers CONFIG GET under the name as typed, and to patterns', () => {
    const sim = server();
    expect(get(sim, 'Client-Output-Buffer-Limit')[0]).toBe('Client-Output-Buffer-Limit');
    expect(get(sim, '*output*')[0]).toBe('client-output-buffer-limit');
    expect(get(sim, 'client-output-buffer-limit-x')).toEqual([]);
  });

  it('fails a CONFIG SET of several parameters as a whole, naming the one at fault', () => {
    const sim = server();
    expect(set(sim, 'client-output-buffer-limit', 'replica 1 1 1', 'repl-timeout', 'abc')).toEqual(
      failed("argument couldn't be parsed into an integer", 'repl-timeout'),
    );
    expect(get(sim)[1]).toBe('normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60');
    expect(set(sim, 'repl-timeout', '5', 'client-output-buffer-limit', 'replica 1 1')).toEqual(
      failed('Wrong number of arguments in buffer limit configuration.'),
    );
    expect(get(sim, 'repl-timeout')[1]).toBe('60');
    expect(
      set(sim, 'client-output-buffer-limit', 'replica 1 1 1', 'client-output-buffer-limit', ''),
    ).toEqual(failed('duplicate parameter'));
  });
});

describe('CONFIG SET, the checks before any value is read', () => {
  it('an odd count of arguments is a syntax error; unknown names come before bad values', () => {
    const sim = server();
    expect(set(sim, 'repl-timeout', '5', 'repl-backlog-size')).toEqual(err('ERR syntax error'));
    expect(set(sim, 'repl-timeout')).toEqual(
      err("ERR wrong number of arguments for 'config|set' command"),
    );
    expect(set(sim, 'repl-timeout', 'abc', 'nosuch', '1')).toEqual(
      err("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'"),
    );
    expect(set(sim, 'repl-timeout', '5', 'repl-timeout', '6')).toEqual(
      failed('duplicate parameter', 'repl-timeout'),
    );
  });

  it('a bad value is blamed on the name looked up, in lower case (an alias by its own name)', () => {
    const sim = server();
    expect(set(sim, 'Repl-Ping-Slave-Period', 'abc')).toEqual(
      failed("argument couldn't be parsed into an integer", 'repl-ping-slave-period'),
    );
    expect(set(sim, 'REPL-TIMEOUT', 'abc')).toEqual(
      failed("argument couldn't be parsed into an integer", 'repl-timeout'),
    );
  });

  it('a memory value with no digits is 0 (memtoull), so out of range for the backlog', () => {
    const sim = server();
    expect(set(sim, 'repl-backlog-size', '')).toEqual(
      failed('argument must be between 1 and 9223372036854775807 inclusive', 'repl-backlog-size'),
    );
    expect(set(sim, 'repl-backlog-size', '-5')).toEqual(
      failed('argument must be a memory value', 'repl-backlog-size'),
    );
    expect(set(sim, 'repl-backlog-size', '5x')).toEqual(
      failed('argument must be a memory value', 'repl-backlog-size'),
    );
  });
});

describe('memtoull', () => {
  it('reads units case-insensitively: k = 1000, kb = 1024, m = 10^6, mb = 2^20, g, gb', () => {
    expect(memtoull('100')).toBe(100);
    expect(memtoull('7b')).toBe(7);
    expect(memtoull('2k')).toBe(2000);
    expect(memtoull('2KB')).toBe(2048);
    expect(memtoull('3m')).toBe(3_000_000);
    expect(memtoull('3Mb')).toBe(3 * 1048576);
    expect(memtoull('1g')).toBe(1_000_000_000);
    expect(memtoull('1gb')).toBe(1073741824);
    expect(memtoull('')).toBe(0);
    expect(memtoull('kb')).toBe(0);
    for (const bad of ['-1', '1.5', '1 kb', '1tb', '0x10', '+1', '5constructor'])
      expect(memtoull(bad), bad).toBeNull();
  });
});
