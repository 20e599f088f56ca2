/**
 * The store without a DOM: no requestAnimationFrame anywhere, time moved by explicit `tick` and
 * `advance` calls, or by a frame driver over a hand-cranked scheduler.
 */
import { describe, expect, it } from 'vitest';
import { createFrameBatch, startFrameDriver, throttledFrames, type FrameScheduler } from './driver';
import { LabRuntime } from './runtime';
import { createLabStore } from './store';

/** A scheduler a test cranks by hand: `fire(t)` runs the pending frame at time t. */
function handCranked() {
  let pending: ((t: number) => void) | null = null;
  let requests = 0;
  const frames: FrameScheduler = {
    request: (cb) => {
      pending = cb;
      return ++requests;
    },
    cancel: () => {
      pending = null;
    },
  };
  return {
    frames,
    get pending() {
      return pending !== null;
    },
    fire(t: number) {
      const cb = pending;
      pending = null;
      cb?.(t);
    },
  };
}

describe('the store runs without a DOM', () => {
  it('there is no requestAnimationFrame here, and a store still plays, by tick and advance', () => {
    expect(typeof globalThis.requestAnimationFrame).toBe('undefined');
    expect(typeof globalThis.document).toBe('undefined');
    const store = createLabStore({ seed: 7 }); // autoplay: playing from the start
    const s = () => store.getState();
    expect(s().playing).toBe(true);
    const seen: number[] = [];
    s().onFrame((now) => seen.push(now));
    const t0 = s().getNow();

    s().tick(100); // 100 ms of wall time at 1×
    expect(s().getNow()).toBe(t0 + 100);
    s().setSpeed(10);
    s().tick(50); // at 10×: half a simulated second
    expect(s().getNow()).toBe(t0 + 600);
    s().pause();
    s().tick(1000); // paused: time stands still, nothing is flushed
    expect(s().getNow()).toBe(t0 + 600);
    // advance runs simulated time whether playing or not.
    s().advance(12_000);
    expect(s().getNow()).toBe(t0 + 12_600);
    expect(seen).toEqual([t0 + 100, t0 + 600, t0 + 12_600]);
    // Twelve seconds were enough for the first sync (the store test tells the same story).
    expect(s().servers.find((v) => v.name === 'replica1')?.link).toBe('online');
  });

  it('a frame driver ticks with the real time between frames, only while playing', () => {
    const store = createLabStore({ seed: 7 });
    const s = () => store.getState();
    const clock = handCranked();
    const stop = startFrameDriver(store, clock.frames);
    const t0 = s().getNow();
    expect(clock.pending).toBe(true);
    clock.fire(1000); // the first frame counts as 16 ms
    expect(s().getNow()).toBe(t0 + 16);
    clock.fire(1050);
    expect(s().getNow()).toBe(t0 + 66);
    clock.fire(9000); // a background tab: at most 100 ms per frame
    expect(s().getNow()).toBe(t0 + 166);

    s().pause();
    expect(clock.pending).toBe(false);
    s().play();
    expect(clock.pending).toBe(true);
    clock.fire(20_000); // after a pause, again a first frame
    expect(s().getNow()).toBe(t0 + 182);

    stop();
    expect(clock.pending).toBe(false);
    s().pause();
    s().play();
    expect(clock.pending).toBe(false);
  });
});

describe('the views hear once per frame', () => {
  it('twenty writes within one frame are one notification, with the state before and after', () => {
    const store = createLabStore({ seed: 7, autoplay: false });
    const s = () => store.getState();
    s().advance(12_000);
    const clock = handCranked();
    const batch = createFrameBatch(store, clock.frames);
    const heard: [number, number][] = [];
    const off = batch.subscribe((now, prev) => heard.push([prev.writeCount, now.writeCount]));
    expect(clock.pending).toBe(false); // nothing changed yet: no frame asked for
    for (let i = 0; i < 20; i++) s().writeKey();
    // The store is current at once; its listener here has not heard yet.
    expect(s().writeCount).toBe(20);
    expect(heard).toEqual([]);
    expect(clock.pending).toBe(true);
    clock.fire(16);
    expect(heard).toEqual([[0, 20]]);
    clock.fire(32); // nothing new: nothing heard
    expect(heard).toHaveLength(1);

    // The frame driver's tick ends by telling them: no second frame of delay.
    const stop = startFrameDriver(store, clock.frames, batch.flush);
    s().play();
    s().writeKey();
    clock.fire(48); // one pending callback at a time in this scheduler: the driver's or the batch's
    expect(heard.at(-1)).toEqual([20, 21]);
    stop();
    off();
    // Urgent (the UI: a key typed in a field): heard at once, no frame asked for.
    let typing = false;
    const urgentBatch = createFrameBatch(store, clock.frames, () => typing);
    const now: number[] = [];
    const offUrgent = urgentBatch.subscribe((st) => now.push(st.writeCount));
    typing = true;
    s().writeKey();
    // (Every set of the action is heard, as without a batch.)
    expect(now.length).toBeGreaterThan(0);
    expect(now.at(-1)).toBe(s().writeCount);
    expect(clock.pending).toBe(false);
    typing = false;
    offUrgent();
    // Nobody listening: the store's changes ask for no frame.
    s().writeKey();
    expect(clock.pending).toBe(false);
  });
});

describe('one intention, one change', () => {
  it('a write or a console line while playing sets the store once, with all it changed', () => {
    const store = createLabStore({ seed: 7, autoplay: false });
    const s = () => store.getState();
    s().advance(12_000);
    s().play();
    const seen: Array<[number, number, number]> = [];
    const off = store.subscribe((now) =>
      seen.push([now.writeCount, now.history.length, (now.consoles['master'] ?? []).length]),
    );
    const before = [s().writeCount, s().history.length, (s().consoles['master'] ?? []).length];
    s().writeKey();
    // The echo of the write is two console lines (the prompt and OK), one statement in the history.
    expect(seen).toEqual([[before[0]! + 1, before[1]! + 1, before[2]! + 2]]);
    s().consoleSubmit('master', 'SET x 1');
    expect(seen).toHaveLength(2);
    expect(seen[1]).toEqual([before[0]! + 1, before[1]! + 2, before[2]! + 4]);
    // A line the console cannot split is still one change: its input and its error.
    s().consoleSubmit('master', 'SET "x');
    expect(seen).toHaveLength(3);
    expect(
      s()
        .consoles['master']!.slice(-2)
        .map((e) => e.text),
    ).toEqual([expect.stringContaining('SET "x'), 'Invalid argument(s)']);
    off();
  });
});

describe('flushing', () => {
  it('a slice of time in which the engine said nothing changes nothing in the store', () => {
    const rt = new LabRuntime(7);
    const store = createLabStore({ autoplay: false }, rt);
    const s = () => store.getState();
    s().applyStatement('wait 12s');
    // The engine's own account, from a second subscriber.
    let said = 0;
    rt.sim?.subscribe(() => said++);
    let sets = 0;
    store.subscribe(() => sets++);
    let quiet = 0;
    let busy = 0;
    for (let i = 0; i < 400; i++) {
      const before = s();
      const from = s().getNow();
      const [said0, sets0] = [said, sets];
      s().advance(5);
      const arrival = before.messages.some((m) => m.arriveAt > from && m.arriveAt <= from + 5);
      if (said === said0 && !arrival) {
        quiet++;
        expect(sets).toBe(sets0);
        expect(s()).toBe(before);
      } else {
        busy++;
      }
    }
    // Two seconds of a synced pair: crons, PINGs and ACKs now and then, quiet in between.
    expect(quiet).toBeGreaterThan(100);
    expect(busy).toBeGreaterThan(0);
  });
});

describe('throttledFrames: the text panels hear the store at most ten times a second', () => {
  it('a frame asked for within everyMs of the last one waits for a later frame', () => {
    const hand = handCranked();
    const text = throttledFrames(100, hand.frames);
    const ran: number[] = [];
    text.request((t) => ran.push(t));
    hand.fire(1000);
    expect(ran).toEqual([1000]);
    text.request((t) => ran.push(t));
    // 16 ms later, and 83 ms later: too soon, it waits on.
    hand.fire(1016);
    hand.fire(1083);
    expect(ran).toEqual([1000]);
    expect(hand.pending).toBe(true);
    hand.fire(1100);
    expect(ran).toEqual([1000, 1100]);
    expect(hand.pending).toBe(false);
  });

  it('a cancelled request never runs, even while it waits', () => {
    const hand = handCranked();
    const text = throttledFrames(100, hand.frames);
    const ran: number[] = [];
    text.request((t) => ran.push(t));
    hand.fire(0);
    const id = text.request((t) => ran.push(t));
    hand.fire(16);
    text.cancel(id);
    expect(hand.pending).toBe(false);
    hand.fire(200);
    expect(ran).toEqual([0]);
  });

  it('under a batch, sixty changes in a second are heard ten times, the last one included', () => {
    const hand = handCranked();
    const store = createLabStore({ autoplay: false, seed: 7 });
    const batch = createFrameBatch(store, throttledFrames(100, hand.frames));
    const heard: number[] = [];
    batch.subscribe((s) => heard.push(s.writeCount));
    for (let f = 0; f < 60; f++) {
      store.getState().writeKey();
      hand.fire(f * (1000 / 60));
    }
    hand.fire(1100);
    expect(heard.length).toBeLessThanOrEqual(11);
    expect(heard.length).toBeGreaterThanOrEqual(9);
    expect(heard.at(-1)).toBe(60);
  });
});
