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
function run(until: number, checkpointEveryMs?: number): LabStore {
  const store = createLabStore({ autoplay: false, seed: 3, checkpointEveryMs });
  for (const [at, line] of LINES) {
    if (at > until) break;
    store.getState().advance(at - store.getState().getNow());
    store.getState().applyStatement(line, { echo: true });
  }
  store.getState().advance(until - store.getState().getNow());
  return store;
}

/** Everything the panels show: servers, logs, the wire, PSYNC decisions and costs, consoles. */
function picture(store: LabStore) {
  const s = store.getState();
  return {
    now: s.getNow(),
    servers: s.servers,
    logs: Object.fromEntries(Object.entries(s.logs).map(([k, l]) => [k, l.map((x) => x.text)])),
    messages: s.messages,
    psync: s.psync,
    lastPsync: s.lastPsync,
    costs: s.costs,
    growth: s.growth,
    synced: s.synced,
    masterIds: s.masterIds,
    consoles: Object.fromEntries(
      Object.entries(s.consoles).map(([k, l]) => [k, l.map((x) => `${x.kind} ${x.text}`)]),
    ),
    statements: s.statements,
  };
}

describe('time travel', () => {
  it('any moment, seeked to, is the moment reached by running forward', () => {
    // Checkpoints every 7 s: most seeks start from one, some from the scene.
    const whole = run(90_000, 7_000);
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

  it('never restores a checkpoint of the future the user replaced', () => {
    // Checkpoints every 5 s of the first run, which wrote b at 80 s.
    const store = run(90_000, 5_000);
    store.getState().seekTo(20_000);
    store.getState().applyStatement('master DEL a');
    store.getState().advance(70_000); // the new run, past 80 s without SET b
    store.getState().seekTo(86_000); // the old run had a checkpoint at 85 s, with b and a
    expect(store.getState().getNow()).toBe(86_000);
    expect(store.getState().applyStatement('master EXISTS a b').lines).toEqual(['(integer) 0']);
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
  function play(
    steps: readonly (readonly [number, string])[],
    until?: number,
    checkpointEveryMs?: number,
  ): LabStore {
    const store = createLabStore({ autoplay: false, seed: 11, checkpointEveryMs });
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
        fc.integer({ min: 500, max: 20_000 }),
        (steps, fracs, every) => {
          // Checkpoints every `every` ms: restoring one and replaying from it is running forward.
          const whole = play(steps, undefined, every);
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
