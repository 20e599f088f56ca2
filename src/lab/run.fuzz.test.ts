/**
 * Fuzzing the lab's run of a script: whatever a script that parses says (hostile arguments,
 * servers removed and declared again, names JavaScript objects already have), running it on the
 * engine either works or stops at a LabScriptError. No other exception escapes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LabScriptError } from './ast';
import { hostileText } from './hostile.testing';
import { Lab } from './run';
import { parseScript } from './script';

const name = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('m', 'r1', 'r2') },
  { weight: 1, arbitrary: fc.constantFrom('constructor', 'toString', '__proto__', 'valueOf') },
);
const line = fc.oneof(
  name.map((n) => `server ${n}`),
  fc.tuple(name, name).map(([a, b]) => `${a} REPLICAOF ${b} 6379`),
  name.map((n) => `${n} REPLICAOF NO ONE`),
  fc
    .tuple(
      name,
      fc.constantFrom('SET', 'GET', 'HSET', 'RPUSH', 'INCR'),
      fc.array(hostileText(4), { maxLength: 3 }),
    )
    .map(([n, c, args]) => `${n} ${c} ${args.join(' ')}`),
  fc
    .tuple(name, fc.constantFrom('down', 'up', 'stop', 'start', 'down silent'))
    .map(([n, op]) => `net ${n} ${op}`),
  name.map((n) => `restart ${n}`),
  name.map((n) => `remove ${n}`),
  name.map((n) => `show info ${n}`),
  fc.constantFrom(
    'wait 250ms',
    'wait 6s',
    'wait 61s',
    'latency 300ms bandwidth 1kb',
    'version 5.0',
  ),
);

describe('running any script that parses', () => {
  it('works or stops at a LabScriptError', () => {
    const seen = { ran: 0, refused: 0 };
    fc.assert(
      fc.property(fc.array(line, { maxLength: 25 }), fc.nat(1000), (lines, seed) => {
        let statements;
        try {
          statements = parseScript(
            ['server m', 'server r1', 'server r2', ...lines].join('\n'),
          ).statements;
        } catch (e) {
          expect(e).toBeInstanceOf(LabScriptError);
          seen.refused++;
          return;
        }
        const lab = new Lab({ seed });
        for (const st of statements) {
          try {
            lab.apply(st);
          } catch (e) {
            expect(e, String(e)).toBeInstanceOf(LabScriptError);
            return;
          }
        }
        seen.ran++;
      }),
      { numRuns: 200 },
    );
    expect(seen.ran).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });
});
