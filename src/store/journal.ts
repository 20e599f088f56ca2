/**
 * The events the views were folded from, kept so the event half of the views can be rebuilt for
 * any moment since `since` — together with an engine snapshot of that moment, that is every view
 * (time travel). Bounded: past `limit` events, the older half is folded into a base view.
 */
import type { SimEvent } from '../engine/events';
import { EMPTY_EVENT_VIEW, emittedAt, foldEvents, isProjected, type EventView } from './projection';

export class EventJournal {
  private base: EventView = EMPTY_EVENT_VIEW;
  private baseAt = 0;
  private events: SimEvent[] = [];

  constructor(private readonly limit = 50_000) {}

  /** Keeps `e` if the views read it. */
  record(e: SimEvent): void {
    if (!isProjected(e)) return;
    this.events.push(e);
    if (this.events.length > this.limit) this.compact(Math.floor(this.events.length / 2));
  }

  /** The earliest simulated time `viewAt` can rebuild. */
  get since(): number {
    return this.baseAt;
  }

  get size(): number {
    return this.events.length;
  }

  /** The events kept (after the base), oldest first. */
  get kept(): readonly SimEvent[] {
    return this.events;
  }

  /** The event view at simulated time `now` (≥ `since`): the events emitted up to then, folded. */
  viewAt(now: number): EventView {
    const upTo: SimEvent[] = [];
    for (const e of this.events) {
      const t = emittedAt(e);
      if (t !== null && t > now) break;
      upTo.push(e);
    }
    return foldEvents(this.base, upTo, now);
  }

  private compact(n: number): void {
    let cut = n;
    // Never separate a drop from the events before it (it has no time of its own).
    while (cut < this.events.length && emittedAt(this.events[cut]!) === null) cut++;
    const old = this.events.slice(0, cut);
    let at = this.baseAt;
    for (const e of old) at = emittedAt(e) ?? at;
    this.base = foldEvents(this.base, old, at);
    this.baseAt = at;
    this.events = this.events.slice(cut);
  }
}
