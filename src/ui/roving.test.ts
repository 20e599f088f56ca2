import { describe, expect, it } from 'vitest';
import { rovingTarget } from './roving';

describe('rovingTarget', () => {
  it('moves right and left between the items, wrapping round', () => {
    expect(rovingTarget('ArrowRight', 0, 3)).toBe(1);
    expect(rovingTarget('ArrowRight', 2, 3)).toBe(0);
    expect(rovingTarget('ArrowLeft', 1, 3)).toBe(0);
    expect(rovingTarget('ArrowLeft', 0, 3)).toBe(2);
  });
  it('goes to the first and the last with Home and End', () => {
    expect(rovingTarget('Home', 2, 3)).toBe(0);
    expect(rovingTarget('End', 0, 3)).toBe(2);
  });
  it('leaves other keys alone', () => {
    for (const key of ['ArrowUp', 'ArrowDown', 'Tab', ' ', 'Enter', 'PageDown', 'a'])
      expect(rovingTarget(key, 1, 3)).toBe(-1);
  });
  it('does nothing outside the toolbar’s items', () => {
    expect(rovingTarget('ArrowRight', -1, 3)).toBe(-1);
    expect(rovingTarget('Home', 0, 0)).toBe(-1);
  });
});
