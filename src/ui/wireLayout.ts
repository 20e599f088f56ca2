/**
 * Where the packets of one lane go, so that no two overlap. Pure geometry, no DOM.
 *
 * A packet's place along the lane is the engine's: `ideal` comes from its progress (first byte
 * leaves at startAt, last byte arrives at arriveAt). When two packets would overlap — a +CONTINUE
 * and the backlog slice right behind it, +FULLRESYNC and the RDB, writes queued on a slow link —
 * the later one is stacked outward from the line (away from the other lane), never moved along
 * it. What does not fit in the lane's height is counted, not drawn on top of something else.
 */

export interface LaneItem {
  readonly id: number;
  /** Left edge along the lane, in px from the sender's end, before any stacking. */
  readonly x: number;
  readonly w: number;
  readonly h: number;
  /** Fading out (lost in a cut): drawn underneath, holds no room. */
  readonly ghost?: boolean;
}

export interface LaneBox {
  readonly id: number;
  readonly x: number;
  /** Centre of the packet, measured outward from the lane's line (0 = on the line; below 0, moved
   * inward because it is taller than the room between the line and the wire's edge). */
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface LaneLayout {
  readonly boxes: readonly LaneBox[];
  /** Ids that did not fit (their count is shown at the sender's end). */
  readonly hidden: readonly number[];
}

export interface LaneRoom {
  readonly width: number;
  /** Px from the line's centre outward to the edge of the wire. */
  readonly outward: number;
  /** Minimum space between two packets. */
  readonly gap: number;
}

const ascending = (a: number, b: number): number => a - b;

/**
 * Packets laid out in order (leading first: the one furthest along gets the line). Every frame,
 * for every lane: the working lists are made once per call, not once per packet.
 */
export function layoutLane(items: readonly LaneItem[], room: LaneRoom): LaneLayout {
  const boxes: LaneBox[] = [];
  const hidden: number[] = [];
  const solid: LaneBox[] = [];
  const across: LaneBox[] = [];
  const candidates: number[] = [];
  const { gap } = room;
  for (const it of items) {
    const w = Math.min(it.w, room.width);
    const x = Math.min(Math.max(0, it.x), Math.max(0, room.width - w));
    if (it.ghost) {
      boxes.push({ id: it.id, x, y: 0, w, h: it.h });
      continue;
    }
    across.length = 0;
    for (const b of solid) if (b.x < x + w + gap && x < b.x + b.w + gap) across.push(b);
    // On the line — or moved in from the edge when it is too tall to be centred there — or just
    // outward of a packet it would overlap.
    const onLine = Math.min(0, room.outward - it.h / 2);
    candidates.length = 0;
    candidates.push(onLine);
    for (const b of across) {
      const y = b.y + b.h / 2 + gap + it.h / 2;
      if (y >= onLine) candidates.push(y);
    }
    candidates.sort(ascending);
    let placed: LaneBox | null = null;
    for (const y of candidates) {
      if (y > onLine && y + it.h / 2 > room.outward) break;
      const clash = across.some((b) => Math.abs(b.y - y) < (b.h + it.h) / 2 + gap - 0.5);
      if (!clash) {
        placed = { id: it.id, x, y, w, h: it.h };
        break;
      }
    }
    if (placed) {
      boxes.push(placed);
      solid.push(placed);
    } else hidden.push(it.id);
  }
  return { boxes, hidden };
}

/** Two boxes of a layout overlap (for tests): they share more than a pixel each way. */
export function overlaps(a: LaneBox, b: LaneBox): boolean {
  const dx = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const dy = Math.min(a.y + a.h / 2, b.y + b.h / 2) - Math.max(a.y - a.h / 2, b.y - b.h / 2);
  return dx > 1 && dy > 1;
}

/**
 * The element each drawn packet is given, by message id: a packet keeps its element while it is
 * drawn, and one that arrives frees its element for the next one. Under a stream of writes a
 * wire then writes a new label into an element it already has (same layer, same observer)
 * instead of making one per arrival. Elements are numbered from 0; the lowest free one is given.
 * `prev` is the assignment of the previous draw (not changed).
 */
export function assignSlots(
  ids: readonly number[],
  prev: ReadonlyMap<number, number>,
): Map<number, number> {
  const next = new Map<number, number>();
  const taken = new Set<number>();
  for (const id of ids) {
    const slot = prev.get(id);
    if (slot !== undefined && !next.has(id)) {
      next.set(id, slot);
      taken.add(slot);
    }
  }
  let free = 0;
  for (const id of ids) {
    if (next.has(id)) continue;
    while (taken.has(free)) free++;
    next.set(id, free);
    taken.add(free);
  }
  return next;
}
