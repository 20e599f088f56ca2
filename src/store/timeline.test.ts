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
    statements: s.history.texts(),
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

describe('timeline marks', () => {
  const kinds = (store: LabStore) =>
    store.getState().marks.map((m) => `${m.kind}${m.server ? ` ${m.server}` : ''}`);

  it('marks the statements and the PSYNC answers, and keeps the future ones while scrubbing', () => {
    const store = run(90_000);
    const all = kinds(store);
    // The scene's full sync (its statements are the stage, not marked); then LINES: the cut of
    // 9 s to 75 s outlasts repl-timeout (60 s), so replica1 has dropped its link and asks again
    // after the restore: the slides' partial resync.
    const scene = all.slice(0, all.indexOf('synced replica1') + 1);
    expect(scene).toEqual(['fullresync replica1', 'synced replica1']);
    expect(all.slice(scene.length)).toEqual([
      'command master', // SET a 1 at 8 s
      'cut replica1',
      'command master',
      'restore replica1',
      'continue replica1',
      'synced replica1',
      'command master',
    ]);
    const full = store.getState().marks;
    const cut = full.find((m) => m.kind === 'cut')!;
    expect(cut.at).toBe(9_000);
    expect(cut.text).toBe('stop');
    const answer = full.find((m) => m.kind === 'continue')!;
    expect(answer.at).toBeGreaterThan(75_000);
    expect(answer.at).toBeLessThan(80_000);
    // Back to 20 s: every mark of the run is still there, the restore at 75 s too.
    store.getState().seekTo(20_000);
    expect(store.getState().marks).toEqual(full);
    // Acting from there drops the old future's marks.
    store.getState().applyStatement('net replica1 start');
    expect(kinds(store).slice(scene.length)).toEqual([
      'command master',
      'cut replica1',
      'command master',
      'restore replica1',
    ]);
    expect(store.getState().marks.at(-1)!.at).toBe(20_000);
    expect(store.getState().horizon).toBe(0);
  });

  it('marks a partial resync with the bytes it sent', () => {
    const store = createLabStore({ autoplay: false, seed: 3 });
    const s = () => store.getState();
    s().advance(8_000);
    s().applyStatement('net replica1 down'); // both ends told: replica1 reconnects at once
    s().advance(500);
    s().applyStatement('master SET a 1');
    s().applyStatement('net replica1 up');
    s().advance(5_000);
    const synced = s().marks.filter((m) => m.kind === 'synced');
    const psync = s().marks.filter((m) => m.kind === 'continue');
    expect(psync.map((m) => m.text?.split(' ')[0])).toEqual(['+CONTINUE']);
    expect(synced.map((m) => m.text)).toEqual(['full', 'partial']);
    // The backlog slice: SELECT 0 (*2 $6 SELECT $1 0: 4+4+8+4+3 = 23 bytes) and SET a 1
    // (*3 $3 SET $1 a $1 1: 4+4+5+4+3+4+3 = 27 bytes), nothing else written.
    expect(synced[1]!.bytes).toBe(23 + 27);
  });

  /** partial-resync played to its last step, and the step marks its timeline shows. */
  function partialResyncAtItsEnd() {
    const store = createLabStore({ autoplay: false });
    const s = () => store.getState();
    s().openLesson('partial-resync');
    s().goToStep(5);
    const steps = () =>
      s()
        .marks.filter((m) => m.kind === 'step')
        .map((m) => m.at);
    return { s, steps };
  }

  it("keeps a lesson's later steps on the timeline while scrubbing back", () => {
    const { s, steps } = partialResyncAtItsEnd();
    const all = steps();
    expect(all).toEqual(s().stepStarts);
    expect(all).toHaveLength(5);
    // Back into step 4: the lesson is at step 4, the timeline still shows where 5 begins.
    s().seekTo((all[3]! + all[4]!) / 2);
    expect(s().lessonStep).toBe(4);
    expect(steps()).toEqual(all);
  });

  it('scrubbing back, then forward again, brings the steps passed back (and their marks)', () => {
    const { s, steps } = partialResyncAtItsEnd();
    const all = steps();
    expect(all).toHaveLength(5);
    // Back into step 2, then forward into step 4: steps 3 and 4 have begun again.
    s().seekTo((all[1]! + all[2]!) / 2);
    expect(s().lessonStep).toBe(2);
    s().seekTo((all[3]! + all[4]!) / 2);
    expect(s().lessonStep).toBe(4);
    expect(s().stepStarts).toEqual(all.slice(0, 4));
    expect(steps()).toEqual(all);
    // Onto a step's own start: that step has begun, and its mark stays.
    s().seekTo(all[1]!);
    expect(s().lessonStep).toBe(2);
    expect(steps()).toEqual(all);
    // Back to the start and to the end again.
    s().seekTo(0);
    expect(steps()).toEqual(all);
    s().seekTo(all[4]! + 1);
    expect(s().lessonStep).toBe(5);
    expect(steps()).toEqual(all);
  });
});

describe('a seek into a wait', () => {
  it('stops inside it, showing what running forward to that moment shows', () => {
    const store = createLabStore({ autoplay: false, seed: 3 });
    const s = () => store.getState();
    s().applyStatement('wait 12s');
    const t0 = s().getNow();
    s().consoleSubmit('master', 'wait 10m');
    expect(s().getNow()).toBe(t0 + 600_000);
    s().seekTo(t0 + 300_000);
    expect(s().getNow()).toBe(t0 + 300_000);
    const other = createLabStore({ autoplay: false, seed: 3 });
    other.getState().applyStatement('wait 12s');
    other.getState().applyStatement('wait 300s');
    expect(JSON.stringify(s().servers)).toBe(JSON.stringify(other.getState().servers));
    // Forward again: the whole wait.
    s().seekTo(t0 + 600_000);
    expect(s().getNow()).toBe(t0 + 600_000);
  });

  it('a statement made from inside a wait replays at its own time', () => {
    // (No checkpoint after the scene's: every seek replays the run.)
    const store = createLabStore({ autoplay: false, seed: 3, checkpointEveryMs: 36_000_000 });
    const s = () => store.getState();
    s().applyStatement('wait 12s');
    const t0 = s().getNow();
    s().consoleSubmit('master', 'wait 10m');
    s().seekTo(t0 + 300_000);
    s().consoleSubmit('master', 'SET inside 1');
    const at = s().getNow();
    s().applyStatement('wait 5s');
    const seen = JSON.stringify(s().servers);
    // Back before it and forward again: the same run, the write made 5 minutes into the wait.
    s().seekTo(t0);
    s().seekTo(at + 5_000);
    expect(s().getNow()).toBe(at + 5_000);
    expect(JSON.stringify(s().servers)).toBe(seen);
  });
});

describe('the journal’s cap', () => {
  /** Scene, then a write every 100 ms for `seconds`, with a cut from 20 s to 95 s. */
  function writes(seconds: number, opts: { maxHistory?: number } = {}): LabStore {
    const store = createLabStore({ autoplay: false, seed: 5, checkpointEveryMs: 5_000, ...opts });
    const s = () => store.getState();
    const t0 = s().getNow();
    for (let i = 1; i <= seconds * 10; i++) {
      s().advance(t0 + i * 100 - s().getNow());
      s().applyStatement(`master SET key:${i % 7} v${i}`, { echo: true });
      if (i === 200) s().applyStatement('net replica1 stop', { echo: true });
      if (i === 950) s().applyStatement('net replica1 start', { echo: true });
    }
    return store;
  }
  /** What the panels show, but the journal (a capped run has forgotten its oldest statements). */
  const shown = (store: LabStore) => {
    const { statements, ...p } = picture(store);
    void statements;
    return p;
  };

  it('forgets the oldest statements past the cap; the timeline starts later, and what it keeps is exact', () => {
    const capped = writes(150, { maxHistory: 400 });
    const s = () => capped.getState();
    const h = s().history;
    // 1,500 writes and two cuts; at most the cap kept (half of it forgotten at a time).
    expect(h.length).toBeGreaterThan(1_500);
    expect(h.kept).toBeLessThanOrEqual(400);
    expect(h.kept).toBeGreaterThanOrEqual(200);
    expect(h.start).toBeGreaterThan(0);
    const end = picture(capped);
    // The first kept statement ran at the timeline's start: seeking before it shows it.
    const first = h.get(h.start)!.at;
    s().seekTo(0);
    const floor = s().getNow();
    // (A command takes the master 1 ms: the statement run at the start is then done.)
    expect(floor).toBeLessThanOrEqual(first + 1);
    expect(floor).toBeGreaterThan(0);
    // Any moment from it on is the moment an uncapped run reaches by running forward.
    const whole = writes(150);
    whole.getState().seekTo(floor);
    expect(shown(capped)).toEqual(shown(whole));
    for (const t of [floor + 1_234, floor + 7_777, 149_000]) {
      capped.getState().seekTo(t);
      whole.getState().seekTo(t);
      expect(shown(capped), `at ${t} ms`).toEqual(shown(whole));
    }
    // And forward again: the end as it was.
    capped.getState().seekTo(Infinity);
    expect(picture(capped)).toEqual(end);
    // The marks: none before the timeline's start.
    expect(s().marks.filter((m) => m.at < floor - 1)).toEqual([]);
  });
});
