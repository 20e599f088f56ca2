import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Journal } from './journal';

type Op =
  | { kind: 'push'; at: number; text: string }
  | { kind: 'truncate'; n: number }
  | { kind: 'forget'; n: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('push' as const),
      at: fc.nat(50),
      text: fc.string({ maxLength: 6 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), n: fc.nat(1200) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('forget' as const), n: fc.nat(1200) }) },
);

describe('the journal', () => {
  it('behaves as an array of the whole run, with its oldest entries forgotten', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 1500, size: 'max' }), (ops) => {
        let j = Journal.EMPTY;
        let model: { at: number; text: string }[] = [];
        let start = 0;
        const versions: { j: Journal; model: typeof model }[] = [];
        for (const o of ops) {
          if (o.kind === 'push') {
            j = j.push(o.at, o.text);
            model = [...model, { at: o.at, text: o.text }];
          } else if (o.kind === 'truncate') {
            const end = Math.max(start, Math.min(model.length, o.n));
            j = j.truncate(o.n);
            model = model.slice(0, end);
          } else {
            start = Math.max(start, Math.min(model.length, o.n));
            j = j.forgetBefore(o.n);
          }
          versions.push({ j, model });
        }
        expect(j.length).toBe(model.length);
        expect(j.start).toBe(start);
        expect(j.texts()).toEqual(model.slice(start).map((e) => e.text));
        expect([...j.entries()].map((e) => e.at)).toEqual(model.slice(start).map((e) => e.at));
        expect(j.get(start - 1)).toBeUndefined();
        expect(j.get(model.length)).toBeUndefined();
        // Earlier versions are untouched by what came after them (shared chunks never change).
        for (const v of versions.slice(-20)) {
          expect(v.j.length).toBe(v.model.length);
          expect(v.j.texts()).toEqual(v.model.slice(v.j.start).map((e) => e.text));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a prefix is told by one key: equal runs agree, any different statement or time does not', () => {
    const texts = Array.from({ length: 700 }, (_, i) => `master SET key:${i % 13} v${i}`);
    const run = Journal.of(texts.map((text, i) => ({ at: i * 10, text })));
    const half = Journal.of(texts.slice(0, 350).map((text, i) => ({ at: i * 10, text })));
    expect(half.isPrefixOf(run)).toBe(true);
    expect(run.isPrefixOf(half)).toBe(false);
    expect(Journal.EMPTY.isPrefixOf(run)).toBe(true);
    expect(run.truncate(350).isPrefixOf(half)).toBe(true);
    // One statement different, at the same time; the same statement a millisecond later.
    const other = half.truncate(200).push(2000, 'master SET key:0 changed');
    expect(other.isPrefixOf(run)).toBe(false);
    expect(half.truncate(200).push(2001, texts[200]!).isPrefixOf(run)).toBe(false);
    expect(half.truncate(200).push(2000, texts[200]!).isPrefixOf(run)).toBe(true);
    // Forgetting keeps the answer: the key of what was forgotten stays.
    expect(half.forgetBefore(300).isPrefixOf(run)).toBe(true);
    expect(half.forgetBefore(300).isPrefixOf(run.forgetBefore(100))).toBe(true);
    expect(other.forgetBefore(201).isPrefixOf(run)).toBe(false);
    // A run whose end is forgotten by the other cannot be told: not a prefix.
    expect(half.truncate(50).isPrefixOf(run.forgetBefore(100))).toBe(false);
  });

  it('appending to a long run copies a chunk, not the run', () => {
    let j = Journal.EMPTY;
    for (let i = 0; i < 200_000; i++) j = j.push(i, 'master SET k v');
    // Time is not asserted (benchmarks do that): the length and an entry deep inside are.
    expect(j.length).toBe(200_000);
    expect(j.get(123_456)?.at).toBe(123_456);
    expect(j.forgetBefore(150_000).kept).toBe(50_000);
  });
});
