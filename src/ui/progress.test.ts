import { describe, expect, it } from 'vitest';
import { readProgress } from './progress';

describe('saved progress', () => {
  it('reads what it wrote', () => {
    const p = {
      answers: { 'partial-resync': { '5:resync:replica1': 'partial' } },
      finished: ['x'],
    };
    expect(readProgress(JSON.stringify(p))).toEqual(p);
  });
  it('ignores anything else: missing, not JSON, wrong shapes', () => {
    expect(readProgress(null)).toBeNull();
    expect(readProgress('{')).toBeNull();
    expect(readProgress('[]')).toBeNull();
    expect(readProgress('{"answers":{"a":{"k":1}},"finished":[]}')).toBeNull();
    expect(readProgress('{"answers":{},"finished":[3]}')).toBeNull();
    expect(readProgress('{"answers":{"a":["x"]},"finished":[]}')).toBeNull();
  });
});
