/**
 * Time travel: seeking to a moment shows exactly what running forward to it shows (same logs,
 * offsets, clock), forward again gives back the whole run, and acting from the past starts a
 * new future.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLabStore, type LabStore } from './store';

const LINES: readonly (readonly [number, string])[] = [
  [8_000, 'master SET a 1'],
  [9_000, 'net replica1 stop'],
  [10_000, 'master HSET curso:4 nombre x duration 30'],
  [75_000, 'net replica1 start'],
  [80_000, 'master SET b 2'],
];

/** The opening scene, then LINES at their times, then up to `until`. */
function run(until: number): LabStore {
  const store = createLabStore({ autoplay: false, seed: 3 });
  for (const [at, line] of LINES) {
    if (at > until) break;
    store.getState().advance(at - store.getState().getNow());
    store.getState().applyStatement(line, { echo: true });
  }
  store.getState().advance(until - store.getState().getNow());
  return store;
}

function picture(store: LabStore) {
  const s = store.getState();
  return {
    now: s.getNow(),
    servers: s.servers.map((v) => [v.name, v.offset, v.link, v.role]),
    logs: Object.fromEntries(Object.entries(s.logs).map(([k, l]) => [k, l.map((x) => x.text)])),
    lastPsync: s.lastPsync?.result ?? null,
  };
}

describe('time travel', () => {
  it('any moment, seeked to, is the moment reached by running forward', () => {
    const whole = run(90_000);
    const end = picture(whole);
    for (const t of [0, 8_000, 9_500, 40_000, 75_000, 76_500, 90_000]) {
      whole.getState().seekTo(t);
      expect(picture(whole), `at ${t} ms`).toEqual(picture(run(t)));
    }
    // Forward again: the whole run is still there.
    expect(whole.getState().horizon).toBe(90_000);
    whole.getState().seekTo(90_000);
    expect(picture(whole)).toEqual(end);
  });

  it('acting from the past starts a new future', () => {
    const store = run(90_000);
    store.getState().seekTo(20_000);
    store.getState().applyStatement('net replica1 start');
    store.getState().advance(5_000);
    store.getState().seekTo(90_000); // beyond the new run's end: as far as it goes
    expect(store.getState().getNow()).toBe(25_000);
    expect(store.getState().horizon).toBe(25_000);
    // The old future's write (SET b 2 at 80 s) never happened in this one.
    expect(store.getState().applyStatement('master EXISTS b').lines).toEqual(['(integer) 0']);
  });
});

describe('time travel, property', () => {
  // Random runs of writes, cuts of both kinds and restores; random moments to go back to.
  const line = fc.oneof(
    fc.nat(40).map((n) => `master SET k${n} v${n}`),
    fc.constant('master HSET curso:4 nombre x duration 30'),
    fc.constant('net replica1 stop'),
    fc.constant('net replica1 start'),
    fc.constant('net replica1 down'),
    fc.constant('net replica1 up'),
  );
  const runs = fc.array(fc.tuple(fc.integer({ min: 0, max: 20_000 }), line), {
    minLength: 1,
    maxLength: 12,
  });

  /** Applies `steps` (each after its gap of simulated ms), then runs up to `until` if given. */
  function play(steps: readonly (readonly [number, string])[], until?: number): LabStore {
    const store = createLabStore({ autoplay: false, seed: 11 });
    for (const [gap, l] of steps) {
      if (until !== undefined && store.getState().getNow() + gap > until) break;
      store.getState().advance(gap);
      store.getState().applyStatement(l, { echo: true });
    }
    if (until !== undefined) store.getState().advance(until - store.getState().getNow());
    return store;
  }

  it('seeking to any moment shows what running forward to it shows', () => {
    fc.assert(
      fc.property(
        runs,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 3 }),
        (steps, fracs) => {
          const whole = play(steps);
          whole.getState().advance(5_000);
          const end = whole.getState().getNow();
          for (const f of fracs) {
            const t = Math.floor(f * end);
            whole.getState().seekTo(t);
            expect(picture(whole)).toEqual(picture(play(steps, t)));
          }
        },
      ),
      { numRuns: 15, seed: 20261129 },
    );
  });
});
