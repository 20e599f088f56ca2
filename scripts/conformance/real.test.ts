import { describe, expect, it } from 'vitest';
import { blockedMs } from './real';

// The real side's script clock must count what the engine counts: the lab runs the simulation
// until a blocked WAIT replies, so a WAIT that timed out took its timeout.
describe('blockedMs', () => {
  it('is the timeout of a WAIT that timed out', () => {
    expect(blockedMs(['WAIT', '3', '500'], { t: 'int', v: 2 })).toBe(500);
    expect(blockedMs(['wait', '2', '100'], { t: 'int', v: 1 })).toBe(100);
  });

  it('is 0 for a WAIT that got its replicas, has no timeout, or failed', () => {
    expect(blockedMs(['WAIT', '2', '0'], { t: 'int', v: 2 })).toBe(0);
    expect(blockedMs(['WAIT', '1', '1000'], { t: 'int', v: 2 })).toBe(0);
    expect(blockedMs(['WAIT', '0', '100'], { t: 'int', v: 0 })).toBe(0);
    expect(blockedMs(['WAIT', '2', 'x'], { t: 'error', v: 'ERR timeout is not an integer' })).toBe(
      0,
    );
  });

  it('is 0 for any other command', () => {
    expect(blockedMs(['SET', 'a', '1'], { t: 'status', v: 'OK' })).toBe(0);
    expect(blockedMs(['INCR', 'a'], { t: 'int', v: 1 })).toBe(0);
  });
});
