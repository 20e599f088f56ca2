import { describe, expect, it } from 'vitest';
import { LineThrottle, logMessage, summarize, type HeardLine } from './announce';

/** A clock and one-shot timers moved by hand. */
function manualTimers() {
  let now = 0;
  let next = 1;
  const due = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    set: (fn: () => void, ms: number) => {
      due.set(next, { at: now + ms, fn });
      return next++;
    },
    clear: (id: unknown) => due.delete(id as number),
    advance(ms: number) {
      now += ms;
      for (const [id, d] of [...due].sort((a, b) => a[1].at - b[1].at))
        if (d.at <= now) {
          due.delete(id);
          d.fn();
        }
    },
    pending: () => due.size,
  };
}

const line = (server: string, text: string): HeardLine => ({ server, text });
const more = (n: number) => `(+${n} more log lines)`;

describe('what a screen reader hears of the logs', () => {
  it("drops Redis's pid, role, date and level, and keeps any other line whole", () => {
    expect(logMessage('4437:M 27 Feb 2020 14:06:23.000 * Ready to accept connections')).toBe(
      'Ready to accept connections',
    );
    expect(logMessage('4561:S 7 Mar 2020 09:00:01.250 # Connection with master lost.')).toBe(
      'Connection with master lost.',
    );
    expect(logMessage('not a Redis line * at all')).toBe('not a Redis line * at all');
  });

  it('says the latest two lines with their servers, and counts the others', () => {
    const a = line('master', '1:M 27 Feb 2020 14:06:23.000 * one');
    const b = line('replica1', '2:S 27 Feb 2020 14:06:23.000 * two');
    expect(summarize([a], 1, more)).toBe('master: one');
    expect(summarize([a, b], 2, more)).toBe('master: one replica1: two');
    expect(summarize([a, b], 7, more)).toBe('master: one replica1: two (+5 more log lines)');
  });

  it('a burst of lines is one announcement, and the next comes no sooner than the gap', () => {
    const timers = manualTimers();
    const said: [readonly HeardLine[], number][] = [];
    const th = new LineThrottle((l, n) => said.push([l, n]), timers, 400, 2500);
    for (let i = 1; i <= 50; i++) th.push([line('master', `w${i}`)]);
    expect(th.waiting).toBe(50);
    timers.advance(399);
    expect(said).toHaveLength(0);
    timers.advance(1);
    expect(said).toEqual([[[line('master', 'w49'), line('master', 'w50')], 50]]);
    expect(th.waiting).toBe(0);

    // More lines right after: held back until 2500 ms after the first announcement.
    timers.advance(100);
    th.push([line('replica1', 'x'), line('replica1', 'y'), line('replica1', 'z')]);
    timers.advance(2000);
    expect(said).toHaveLength(1);
    timers.advance(400);
    expect(said).toHaveLength(2);
    expect(said[1]).toEqual([[line('replica1', 'y'), line('replica1', 'z')], 3]);

    // After a quiet spell, a single line waits only the batch time.
    timers.advance(10_000);
    th.push([line('master', 'late')]);
    timers.advance(400);
    expect(said[2]).toEqual([[line('master', 'late')], 1]);
  });

  it('a warning in a burst is said, with the latest line, whatever came after it', () => {
    const timers = manualTimers();
    const said: [readonly HeardLine[], number][] = [];
    const th = new LineThrottle((l, n) => said.push([l, n]), timers);
    const lost = line('replica1', '9:S 27 Feb 2020 14:06:23.000 # Connection with master lost.');
    const after = [1, 2, 3].map((i) =>
      line('replica1', `9:S 27 Feb 2020 14:06:23.000 * later ${i}`),
    );
    th.push([line('master', '8:M 27 Feb 2020 14:06:23.000 * before'), lost]);
    th.push(after);
    timers.advance(400);
    expect(said).toEqual([[[lost, after[2]], 5]]);
    expect(summarize(said[0]![0], said[0]![1], more)).toBe(
      'replica1: Connection with master lost. replica1: later 3 (+3 more log lines)',
    );
    // The warning was said: the next batch is the latest lines again.
    th.push(after);
    timers.advance(2500);
    expect(said[1]).toEqual([[after[1], after[2]], 3]);
  });

  it('nothing pushed, nothing said; disposed, nothing said later', () => {
    const timers = manualTimers();
    const said: unknown[] = [];
    const th = new LineThrottle((l) => said.push(l), timers);
    th.push([]);
    expect(timers.pending()).toBe(0);
    th.push([line('master', 'a')]);
    th.dispose();
    timers.advance(10_000);
    expect(said).toEqual([]);
  });
});
