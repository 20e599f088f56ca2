import { describe, expect, it } from 'vitest';
import { masterTryPartialResynchronization, type PsyncMaster } from './psync';

// Hand-made masters: the decision is a pure function of these five fields, in Redis's order
// (replication.c masterTryPartialResynchronization): replid / replid2 + second_replid_offset,
// then the backlog's existence, then offset ∈ [repl_backlog->offset, offset + histlen].
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const Z = '0'.repeat(40);

// A backlog holding bytes 101..300: offset 101, histlen 200, master_repl_offset 300.
const master: PsyncMaster = {
  replid: A,
  replid2: B,
  second_replid_offset: 151,
  master_repl_offset: 300,
  backlog: { offset: 101, histlen: 200 },
};

const decide = (replid: string, offset: number, m: PsyncMaster = master) =>
  masterTryPartialResynchronization(m, replid, offset);
const ids = (v: ReturnType<typeof decide>) => v.checks.map((c) => `${c.id}:${c.ok}`);

describe('masterTryPartialResynchronization', () => {
  it('PSYNC ? -1 asks for a full resync: one failed check, no-replid', () => {
    const v = decide('?', -1);
    expect(v.ok).toBe(false);
    expect(ids(v)).toEqual(['replid:false']);
    expect(v.checks[0]!.reason).toEqual({ k: 'no-replid' });
    expect(v.psyncLen).toBe(0);
  });

  it('an unknown replid is a mismatch naming both of the master’s IDs', () => {
    const other = 'c'.repeat(40);
    const v = decide(other, 200);
    expect(v.ok).toBe(false);
    expect(v.checks[0]!.reason).toEqual({ k: 'replid-mismatch', replid: other, id1: A, id2: B });
    expect(v.checks[0]!.detail).toContain(other);
  });

  it('replid matches (case-insensitively) and the offset is inside: accepted, psync_len by hand', () => {
    // From offset 200 to master_repl_offset 300 inclusive: 300 - 200 + 1 = 101 bytes.
    const v = decide(A.toUpperCase(), 200);
    expect(v.ok).toBe(true);
    expect(ids(v)).toEqual(['replid:true', 'backlog:true', 'range:true']);
    expect(v.checks[2]!.reason).toEqual({ k: 'in-range', offset: 200, first: 101, last: 301 });
    expect(v.psyncLen).toBe(101);
  });

  it('the range is inclusive at both ends: first byte 101, and 301 (= nothing missed)', () => {
    expect(decide(A, 101).ok).toBe(true);
    expect(decide(A, 101).psyncLen).toBe(200);
    expect(decide(A, 301).ok).toBe(true);
    expect(decide(A, 301).psyncLen).toBe(0);
    const before = decide(A, 100);
    expect(before.ok).toBe(false);
    expect(before.checks[2]!.reason).toEqual({ k: 'before-backlog', offset: 100, first: 101 });
    const after = decide(A, 302);
    expect(after.ok).toBe(false);
    expect(after.checks[2]!.reason).toEqual({ k: 'after-backlog', offset: 302, last: 301 });
  });

  it('replid2 is honoured up to second_replid_offset inclusive, not one byte past', () => {
    const at = decide(B, 151);
    expect(at.ok).toBe(true);
    expect(at.checks[0]!.reason).toEqual({ k: 'replid2-match', offset: 151, second: 151 });
    expect(at.psyncLen).toBe(300 - 151 + 1);
    const past = decide(B, 152);
    expect(past.ok).toBe(false);
    expect(ids(past)).toEqual(['replid:false']);
    expect(past.checks[0]!.reason).toEqual({ k: 'replid2-too-far', offset: 152, second: 151 });
  });

  it('without a backlog a matching replid still ends in a full resync', () => {
    const v = decide(A, 200, { ...master, backlog: null });
    expect(v.ok).toBe(false);
    expect(ids(v)).toEqual(['replid:true', 'backlog:false']);
    expect(v.checks[1]!.reason).toEqual({ k: 'backlog', exists: false });
  });

  it('an empty backlog accepts its one offset and sends nothing (psync_len 0)', () => {
    const empty: PsyncMaster = {
      ...master,
      master_repl_offset: 300,
      backlog: { offset: 301, histlen: 0 },
    };
    const v = decide(A, 301, empty);
    expect(v.ok).toBe(true);
    expect(v.psyncLen).toBe(0);
    expect(decide(A, 300, empty).ok).toBe(false);
  });

  it('the zero replid2 of a fresh master matches nothing a replica could ask with', () => {
    const fresh: PsyncMaster = { ...master, replid2: Z, second_replid_offset: -1 };
    const v = decide(Z, 1, fresh);
    expect(v.ok).toBe(false);
    expect(v.checks[0]!.reason.k).toBe('replid2-too-far');
  });

  it('each check’s detail says the numbers that decided it', () => {
    expect(decide(A, 200).checks.map((c) => c.detail)).toEqual([
      'Replication ID matches master_replid.',
      'The master has a backlog.',
      'Offset 200 lies in the backlog [101, 301].',
    ]);
    expect(decide(A, 100).checks[2]!.detail).toBe(
      'Offset 100 fell out of the backlog, which starts at 101.',
    );
  });
});
