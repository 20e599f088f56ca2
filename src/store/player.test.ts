import { describe, expect, it } from 'vitest';
import { createLabStore } from './store';

describe('the starting speed', () => {
  it.each([
    [1e9, 10],
    [0.001, 0.25],
    [Number.NaN, 1],
    [Number.POSITIVE_INFINITY, 1],
    [5, 5],
  ])('%s plays at %s× (a link asking for 1e9× ran hours of engine per frame)', (asked, speed) => {
    const store = createLabStore({ autoplay: false, speed: asked });
    expect(store.getState().speed).toBe(speed);
    // One 16 ms frame runs at most 160 simulated ms.
    const t0 = store.getState().getNow();
    store.getState().play();
    store.getState().tick(16);
    expect(store.getState().getNow() - t0).toBeLessThanOrEqual(16 * speed + 1);
  });
});
