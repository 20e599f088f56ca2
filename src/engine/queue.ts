/** The event queue: a binary heap on (time, insertion order), kept in the plain-data state. */
import type { QueuedEvent, Scheduled, SimState } from './types';

function less(a: Scheduled, b: Scheduled): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

export function schedule(state: SimState, at: number, ev: QueuedEvent): void {
  const q = state.queue;
  const item: Scheduled = { at, seq: state.seq++, ev };
  q.push(item);
  let i = q.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const parent = q[p]!;
    if (less(parent, item)) break;
    q[i] = parent;
    i = p;
  }
  q[i] = item;
}

export function popEvent(state: SimState): Scheduled | undefined {
  const q = state.queue;
  const top = q[0];
  if (!top) return undefined;
  const last = q.pop()!;
  if (q.length === 0) return top;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = last;
    let mi = -1;
    if (l < q.length && less(q[l]!, m)) {
      m = q[l]!;
      mi = l;
    }
    if (r < q.length && less(q[r]!, m)) {
      m = q[r]!;
      mi = r;
    }
    if (mi < 0) break;
    q[i] = m;
    i = mi;
  }
  q[i] = last;
  return top;
}

/** Time of the next pending event, or null. */
export function nextEventAt(state: SimState): number | null {
  return state.queue[0]?.at ?? null;
}
