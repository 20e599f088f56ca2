/** Structural sharing: equal parts keep their old references, changed parts are new. */
import { describe, expect, it } from 'vitest';
import { shallowEqual, share, shareBy } from './share';

describe('share', () => {
  it('gives back the previous value when equal, however deep', () => {
    const prev = { a: 1, b: [1, { c: 'x' }], d: null };
    expect(share(prev, { a: 1, b: [1, { c: 'x' }], d: null })).toBe(prev);
  });

  it('keeps the unchanged parts of a changed value', () => {
    const prev = { a: { x: 1 }, b: { y: [1, 2] }, c: 3 };
    const next = share(prev, { a: { x: 1 }, b: { y: [1, 3] }, c: 3 });
    expect(next).toEqual({ a: { x: 1 }, b: { y: [1, 3] }, c: 3 });
    expect(next).not.toBe(prev);
    expect(next.a).toBe(prev.a);
    expect(next.b).not.toBe(prev.b);
  });

  it('sees added, removed and retyped parts', () => {
    const prev: Record<string, unknown> = { a: [1, 2], b: 1 };
    expect(share(prev, { a: [1, 2, 3], b: 1 })).toEqual({ a: [1, 2, 3], b: 1 });
    expect(share(prev, { a: [1], b: 1 })).toEqual({ a: [1], b: 1 });
    const fewer = share(prev, { a: [1, 2] });
    expect(fewer).toEqual({ a: [1, 2] });
    expect(fewer['a']).toBe(prev['a']);
    expect(share(prev, { a: { 0: 1, 1: 2 }, b: 1 })['a']).toEqual({ 0: 1, 1: 2 });
    expect(share<unknown>([1], { 0: 1 })).toEqual({ 0: 1 });
  });
});

describe('shareBy', () => {
  it('matches items by identity, so an insertion keeps every old item', () => {
    const prev = [
      { name: 'a', v: 1 },
      { name: 'c', v: 3 },
    ];
    const next = shareBy(
      prev,
      [
        { name: 'a', v: 1 },
        { name: 'b', v: 2 },
        { name: 'c', v: 3 },
      ],
      (x) => x.name,
    );
    expect(next.map((x) => x.name)).toEqual(['a', 'b', 'c']);
    expect(next[0]).toBe(prev[0]);
    expect(next[2]).toBe(prev[1]);
    expect(shareBy(prev, [{ ...prev[0]! }, { ...prev[1]! }], (x) => x.name)).toBe(prev);
    // Same items, new order: a new list of the old items.
    const swapped = shareBy(prev, [{ ...prev[1]! }, { ...prev[0]! }], (x) => x.name);
    expect(swapped).not.toBe(prev);
    expect(swapped[0]).toBe(prev[1]);
  });
});

describe('shallowEqual', () => {
  it('compares one level deep, each field or item by Object.is', () => {
    const list = [1, 2];
    expect(shallowEqual({ a: 1, b: list }, { a: 1, b: list })).toBe(true);
    expect(shallowEqual({ a: 1, b: list }, { a: 1, b: [1, 2] })).toBe(false);
    expect(shallowEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(shallowEqual({ a: 1, c: undefined }, { a: 1, b: undefined })).toBe(false);
    expect(shallowEqual([list, 3], [list, 3])).toBe(true);
    expect(shallowEqual([1], { 0: 1 })).toBe(false);
    expect(shallowEqual(NaN, NaN)).toBe(true);
    expect(shallowEqual({ n: NaN }, { n: NaN })).toBe(true);
    expect(shallowEqual({ z: 0 }, { z: -0 })).toBe(false);
    expect(shallowEqual(null, {})).toBe(false);
    expect(shallowEqual('a', 'a')).toBe(true);
  });
});
