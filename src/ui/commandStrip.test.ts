import { describe, expect, it } from 'vitest';
import type { TimelineMark } from '../store/types';
import { CommandStrip, commandAt, markX } from './commandStrip';

const cmd = (at: number): TimelineMark => ({ at, kind: 'command', server: 'master', text: 'SET' });

describe('the command strip', () => {
  it('places a mark as the elements were placed: at / max of the width', () => {
    // 2.5 s of a 10 s timeline on a 200 px strip: a quarter of the way.
    expect(markX(2500, 10_000, 200)).toBe(50);
    expect(markX(10_000, 10_000, 200)).toBe(200);
    // A timeline of no length yet does not divide by zero.
    expect(markX(0, 0, 200)).toBe(0);
  });

  it('finds the mark under the pointer, within reach, the nearest of two', () => {
    // On 100 px for 1000 ms, marks at 10, 30 and 31 px.
    const marks = [cmd(100), cmd(300), cmd(310)];
    expect(commandAt(marks, 10, 1000, 100)?.at).toBe(100);
    expect(commandAt(marks, 13.9, 1000, 100)?.at).toBe(100);
    // 4.1 px away from the nearest: nothing.
    expect(commandAt(marks, 14.1, 1000, 100)).toBeNull();
    expect(commandAt(marks, 5.9, 1000, 100)).toBeNull();
    // Between 30 and 31: 30.6 is nearer 31; 30.4 nearer 30; 30.5 is a tie, the earlier wins.
    expect(commandAt(marks, 30.6, 1000, 100)?.at).toBe(310);
    expect(commandAt(marks, 30.4, 1000, 100)?.at).toBe(300);
    expect(commandAt(marks, 30.5, 1000, 100)?.at).toBe(300);
    // Past the last mark and before the first, still within reach.
    expect(commandAt(marks, 34, 1000, 100)?.at).toBe(310);
    expect(commandAt(marks, 7, 1000, 100)?.at).toBe(100);
    expect(commandAt([], 10, 1000, 100)).toBeNull();
  });

  it('agrees with a look at every mark, on random strips', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let k = 0; k < 200; k++) {
      const ats = Array.from({ length: 1 + Math.floor(rand() * 30) }, () =>
        Math.round(rand() * 5000),
      ).sort((a, b) => a - b);
      const marks = ats.map(cmd);
      const x = rand() * 120 - 10;
      const got = commandAt(marks, x, 5000, 100);
      const d = (m: TimelineMark) => Math.abs((m.at / 5000) * 100 - x);
      const nearest = Math.min(...marks.map(d));
      if (nearest > 4) expect(got).toBeNull();
      else {
        expect(got).not.toBeNull();
        expect(d(got!)).toBe(nearest);
      }
    }
  });
});

/** Just enough of a canvas for the strip's fallback content: child elements, appended and removed. */
function fakeCanvas() {
  type El = { title: string; dataset: Record<string, string>; remove: () => void };
  const children: El[] = [];
  let created = 0;
  const doc = {
    createElement: (): El => {
      created++;
      const el: El = {
        title: '',
        dataset: {},
        remove: () => void children.splice(children.indexOf(el), 1),
      };
      return el;
    },
    createDocumentFragment: () => {
      const items: El[] = [];
      return { items, append: (el: El) => void items.push(el) };
    },
  };
  const canvas = {
    ownerDocument: doc,
    get childElementCount() {
      return children.length;
    },
    get lastElementChild() {
      return children.at(-1) ?? null;
    },
    append: (f: { items: El[] }) => void children.push(...f.items),
  };
  return { canvas: canvas as unknown as HTMLCanvasElement, children, created: () => created };
}

describe("the command strip's fallback content", () => {
  const cmd = (at: number, text: string): TimelineMark => ({ at, kind: 'command', text });
  const words = (m: TimelineMark) => `${m.at} ${m.text}`;

  it('lists every mark with its time and words, appending only the new ones as marks grow', () => {
    const strip = new CommandStrip();
    const f = fakeCanvas();
    strip.attach(f.canvas);
    strip.setMarks([cmd(1000, 'SET a 1'), cmd(2000.4, 'SET b 2')], words);
    expect(f.children.map((e) => [e.dataset['at'], e.title])).toEqual([
      ['1000', '1000 SET a 1'],
      ['2000', '2000.4 SET b 2'],
    ]);
    // The timeline rebuilds its marks as new objects: the same marks keep their elements.
    const before = f.created();
    const grown = [cmd(1000, 'SET a 1'), cmd(2000.4, 'SET b 2'), cmd(3000, 'SET c 3')];
    strip.setMarks(grown, words);
    expect(f.created() - before).toBe(1);
    expect(f.children.map((e) => e.title)).toEqual([
      '1000 SET a 1',
      '2000.4 SET b 2',
      '3000 SET c 3',
    ]);
    // Thinned (the oldest dropped): listed again from where the lists differ.
    strip.setMarks([grown[1]!, grown[2]!], words);
    expect(f.children.map((e) => e.title)).toEqual(['2000.4 SET b 2', '3000 SET c 3']);
    // Another language names them all again.
    strip.setMarks([grown[1]!, grown[2]!], (m) => `en ${m.text}`);
    expect(f.children.map((e) => e.title)).toEqual(['en SET b 2', 'en SET c 3']);
    expect(f.children.every((e) => e.dataset['kind'] === 'command')).toBe(true);
  });
});
