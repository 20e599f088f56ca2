/**
 * Lessons in the store: a step plays its lab lines with animated waits and stops; any step is
 * rebuilt exactly by replaying from the stage; a bad scenario changes nothing. The numbers are
 * the seed's: 183 bytes = HSET curso:4 (99, RESP by hand in store.test.ts) + six PINGs of 14.
 */
import { describe, expect, it } from 'vitest';
import { selectPredictions } from './selectors';
import { createLabStore, type LabStore } from './store';

const fresh = (): LabStore => createLabStore({ autoplay: false, seed: 1 });
const SENT_183 = 'Sending 183 bytes of backlog starting from offset 153.';

function log(store: LabStore, name: string): string[] {
  return (store.getState().logs[name] ?? []).map((l) => l.text);
}
function offset(store: LabStore, name: string): number {
  const v = store.getState().servers.find((s) => s.name === name);
  if (!v) throw new Error(`no ${name}`);
  return v.offset;
}
/** Plays the running step frame by frame (16 ms of real time each) until it stops. */
function playStep(store: LabStore): number {
  let frames = 0;
  while (store.getState().stepRunning && frames < 100_000) {
    store.getState().tick(16);
    frames++;
  }
  return frames;
}

describe('lessons', () => {
  it('opens on the stage: the scenario, step 0 of 5, nothing replicated yet', () => {
    const store = fresh();
    expect(store.getState().lessonIds).toContain('partial-resync');
    expect(store.getState().openLesson('partial-resync')).toBe(true);
    const s = store.getState();
    expect(s.lesson?.id).toBe('partial-resync');
    expect(s.lesson?.steps).toHaveLength(5);
    expect(s.lessonStep).toBe(0);
    expect(s.servers.map((v) => v.name)).toEqual(['master', 'replica1']);
    expect(s.servers.find((v) => v.name === 'replica1')?.role).toBe('master');
  });

  it('plays a step with its waits as time, then pauses; the seed story ends in 183 bytes', () => {
    const store = fresh();
    store.getState().openLesson('partial-resync');
    for (let k = 1; k <= 5; k++) {
      store.getState().nextStep();
      // Step 5 asks for predictions first; Next again runs it unanswered.
      if (store.getState().asking) store.getState().nextStep();
      expect(store.getState().lessonStep).toBe(k);
      // Steps with a wait are played, not jumped: the player runs until the wait is over.
      if (k !== 3) expect(store.getState().stepRunning).toBe(true);
      playStep(store);
      expect(store.getState().stepRunning).toBe(false);
      expect(store.getState().playing).toBe(false);
      expect(store.getState().lessonError).toBeNull();
    }
    expect(log(store, 'master')).toContainEqual(expect.stringContaining(SENT_183));
    expect(offset(store, 'replica1')).toBe(offset(store, 'master'));
  });

  it('any step is rebuilt exactly: replayed from the stage, or played forward', () => {
    const played = fresh();
    played.getState().openLesson('partial-resync');
    for (let k = 1; k <= 4; k++) {
      played.getState().nextStep();
      playStep(played);
    }
    const jumped = fresh();
    jumped.getState().openLesson('partial-resync');
    jumped.getState().goToStep(4);
    // The same moment: the cut has lasted past repl-timeout, the HSET and six PINGs are missing.
    expect(jumped.getState().getNow()).toBe(played.getState().getNow());
    for (const name of ['master', 'replica1']) {
      expect(offset(jumped, name)).toBe(offset(played, name));
      expect(log(jumped, name)).toEqual(log(played, name));
    }
    expect(offset(jumped, 'master') - offset(jumped, 'replica1')).toBe(183);
    // Back from step 5 to 4: the resync has not happened.
    jumped.getState().nextStep(); // asks the predictions
    jumped.getState().nextStep(); // runs the step unanswered
    jumped.getState().nextStep(); // a press while it plays finishes it at once
    expect(log(jumped, 'master')).toContainEqual(expect.stringContaining(SENT_183));
    jumped.getState().prevStep();
    expect(jumped.getState().lessonStep).toBe(4);
    expect(log(jumped, 'master').some((l) => l.includes('Sending'))).toBe(false);
    expect(offset(jumped, 'master') - offset(jumped, 'replica1')).toBe(183);
  });

  it('a mistake in a scenario is reported with its line and column, and changes nothing', () => {
    const store = fresh();
    store.getState().openLesson('partial-resync');
    store.getState().goToStep(2);
    const before = store.getState().getNow();
    const r = store
      .getState()
      .openScenarioText(
        'scenario x\ntitle en "X"\ntitle es "X"\nstep\nsay en a\nsay es b\nnet ghost stop\n',
      );
    expect(r.ok).toBe(false);
    expect(store.getState().lessonError).toBe("line 7, column 5: unknown server 'ghost'");
    expect(store.getState().lesson?.id).toBe('partial-resync');
    expect(store.getState().lessonStep).toBe(2);
    expect(store.getState().getNow()).toBe(before);
  });

  it('reset goes back to the stage; closing the lesson back to the opening scene', () => {
    const store = fresh();
    store.getState().openLesson('partial-resync');
    store.getState().goToStep(3);
    store.getState().reset();
    expect(store.getState().lessonStep).toBe(0);
    expect(store.getState().servers.find((v) => v.name === 'replica1')?.role).toBe('master');
    store.getState().closeLesson();
    expect(store.getState().lesson).toBeNull();
    // The opening scene: replica1 replicates the master at once.
    expect(store.getState().servers.find((v) => v.name === 'replica1')?.role).toBe('replica');
  });

  it('asks for predictions before the reconnection, and the run reveals them', () => {
    const store = fresh();
    store.getState().openLesson('partial-resync');
    store.getState().goToStep(4);
    store.getState().nextStep();
    // Not run yet: the questions are on screen.
    expect(store.getState().asking).toBe(true);
    expect(store.getState().lessonStep).toBe(4);
    store.getState().answer(5, 'resync', 'replica1', 'full');
    store.getState().answer(5, 'offset', 'replica1', '153');
    store.getState().answer(5, 'bytes', 'replica1', '183');
    store.getState().nextStep();
    expect(store.getState().asking).toBe(false);
    playStep(store);
    const got = selectPredictions(store.getState()).map((p) => [p.kind, p.actual, p.correct]);
    expect(got).toEqual([
      ['resync', 'partial', false],
      ['offset', '153', true],
      ['bytes', '183', true],
    ]);
  });
});

describe('reproduce on real Redis', () => {
  it('exports the open scenario, or the run so far with its waits, as a shell script', async () => {
    const store = createLabStore({ autoplay: false });
    const s = () => store.getState();
    s().openLesson('partial-resync');
    const lesson = await s().reproduceOnRedis();
    expect(lesson.file).toBe('partial-resync.sh');
    // replica1's REPLICAOF 192.168.157.144 6379 points at the master's local port.
    expect(lesson.text).toContain('cli replica1 "$P2" REPLICAOF 127.0.0.1 "$P1"');
    expect(lesson.text).toMatch(/^freeze "\$P2" /m); // its `net replica1 stop`
    s().closeLesson();
    s().advance(10_000);
    s().applyStatement('master SET "it\'s $(here)" v');
    s().advance(2_000);
    const run = await s().reproduceOnRedis();
    expect(run.file).toBe('resync-lab-run.sh');
    // The write, quoted for the shell, after a wait of the 10 s before it.
    expect(run.text).toContain(`'it'\\''s $(here)'`);
    expect(run.text).toMatch(/sleep 10(\.\d+)?\b/);
  });
});
