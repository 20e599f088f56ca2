/**
 * The soak run, short: ten simulated minutes of classroom use on a headless store, every
 * invariant of scripts/soak/drive.ts checked (no exception, writes accepted, scrubs exact,
 * convergence at every quiet point). `npm run soak` runs the hour, with the heap bound.
 */
import { describe, expect, it } from 'vitest';
import { createLabStore } from '../../src/store';
import { runSoak } from './drive';

describe('soak', () => {
  it('ten simulated minutes of class: no exception, scrubs exact, every quiet point converges', () => {
    const r = runSoak(createLabStore, { minutes: 10, seed: 20_251_124 });
    expect(r.simulatedMinutes).toBeGreaterThanOrEqual(10);
    // Two quiet points on the way (every 5 minutes) and the last one.
    expect(r.quietPoints).toBeGreaterThanOrEqual(3);
    // The run did what a class does.
    expect(r.actions['write']).toBeGreaterThan(600);
    for (const a of ['restore', 'scrub:back']) expect(r.actions[a], a).toBeGreaterThan(0);
    expect(Object.keys(r.actions).filter((a) => a.startsWith('cut:')).length).toBeGreaterThan(0);
  }, 60_000);
});
