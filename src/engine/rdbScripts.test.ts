/**
 * The script cache in the RDB (rdb.c rdbSaveRio, Redis ≤ 6.2): after the databases, a `lua` aux
 * field per script the server has compiled; a replica loading it adds the scripts to its own
 * (rdbLoadRio → luaCreateFunction). 7.0 no longer saves them. Sizes worked out by hand: the aux
 * field is the opcode 0xFA (1), "lua" as an RDB string (1 + 3) and the body (1 + its length
 * while it is at most 20 bytes, which RDB never tries to compress).
 */
import { describe, expect, it } from 'vitest';
import type { Version } from './types';
import { Simulation } from './sim';

/** The size of the RDB a replica receives from a master that ran `prelude` first (disk sync). */
function receivedBytes(version: Version, prelude: string[][]): { bytes: number; sim: Simulation } {
  const sim = new Simulation({ seed: 5, version });
  sim.addServer('master', '10.0.0.1', 6379);
  sim.addServer('replica1', '10.0.0.2', 6379);
  sim.exec('master', ['CONFIG', 'SET', 'repl-diskless-sync', 'no']);
  for (const argv of prelude) sim.exec('master', argv);
  sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
  sim.runUntil(4000);
  const line = sim.server('replica1').log.find((l) => l.includes('receiving'));
  const m = /receiving (\d+) bytes/.exec(line ?? '');
  expect(m, 'no full sync').not.toBeNull();
  return { bytes: Number(m![1]), sim };
}

const BODY = 'return KEYS[1]'; // 14 bytes
const SCRIPT_AUX = 1 + (1 + 3) + (1 + 14); // 20

describe('the script cache in a full sync', () => {
  for (const version of ['5.0', '6.2'] as const)
    it(`${version} saves each script once, as a lua aux field, and the replica loads it`, () => {
      const plain = receivedBytes(version, [['SET', 'a', '1']]);
      const withScript = receivedBytes(version, [
        ['SET', 'a', '1'],
        ['EVAL', BODY, '1', 'a'],
        ['EVAL', BODY, '1', 'b'],
      ]);
      expect(withScript.bytes - plain.bytes).toBe(SCRIPT_AUX);
      expect(withScript.sim.server('replica1').keyspace.scripts).toEqual([BODY]);
    });

  it('7.0 does not save it', () => {
    const plain = receivedBytes('7.0', [['SET', 'a', '1']]);
    const withScript = receivedBytes('7.0', [
      ['SET', 'a', '1'],
      ['EVAL', BODY, '1', 'a'],
    ]);
    expect(withScript.bytes).toBe(plain.bytes);
    expect(withScript.sim.server('replica1').keyspace.scripts).toBeUndefined();
  });
});
