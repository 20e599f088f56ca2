import { describe, expect, it } from 'vitest';
import type { TimelineMark } from '../store/types';
import { markFrom, marksAt } from './markJump';

const marks: TimelineMark[] = [
  { at: 1000, kind: 'step', step: 1 },
  { at: 2500, kind: 'cut', server: 'replica1', text: 'stop' },
  { at: 2500, kind: 'command', server: 'master', text: 'SET a 1' },
  { at: 4000.25, kind: 'restore', server: 'replica1', text: 'start' },
];

describe('markFrom', () => {
  it('finds the next mark strictly after now', () => {
    expect(markFrom(marks, 0, 1)).toBe(marks[0]);
    expect(markFrom(marks, 1000, 1)).toBe(marks[1]);
    expect(markFrom(marks, 1200, 1)).toBe(marks[1]);
    expect(markFrom(marks, 2500, 1)).toBe(marks[3]);
  });
  it('finds the previous mark strictly before now', () => {
    expect(markFrom(marks, 5000, -1)).toBe(marks[3]);
    expect(markFrom(marks, 4000.25, -1)).toBe(marks[2]);
    expect(markFrom(marks, 2500, -1)).toBe(marks[0]);
    expect(markFrom(marks, 1000, -1)).toBeUndefined();
  });
  it('takes a time a seek rounded as the mark itself', () => {
    expect(markFrom(marks, 999.9999, 1)).toBe(marks[1]);
    expect(markFrom(marks, 4000.2500001, -1)).toBe(marks[2]);
  });
  it('finds nothing past the last mark, or in no marks', () => {
    expect(markFrom(marks, 4001, 1)).toBeUndefined();
    expect(markFrom([], 0, 1)).toBeUndefined();
    expect(markFrom([], 0, -1)).toBeUndefined();
  });
});

describe('marksAt', () => {
  it('lists every mark at a moment', () => {
    expect(marksAt(marks, 2500)).toEqual([marks[1], marks[2]]);
    expect(marksAt(marks, 4000.2500001)).toEqual([marks[3]]);
    expect(marksAt(marks, 3000)).toEqual([]);
  });
});
