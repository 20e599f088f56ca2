/** Selectors and small pure helpers over the store's view models. */
import { RATE_WINDOW_MS } from './constants';
import type { LabState } from './state';
import type { ServerView, WireMessage } from './types';

export const selectServer =
  (name: string) =>
  (s: LabState): ServerView | undefined =>
    s.servers.find((x) => x.name === name);

export const selectMaster = (s: LabState): ServerView | undefined =>
  s.servers.find((x) => x.name === s.mainMaster);

export const selectReplicaNames = (s: LabState): string =>
  s.servers
    .filter((x) => x.name !== s.mainMaster)
    .map((x) => x.name)
    .join(',');

/** Messages on the wire between `a` and `b` (either direction). */
export function messagesBetween(msgs: readonly WireMessage[], a: string, b: string): WireMessage[] {
  return msgs.filter((m) => (m.from === a && m.to === b) || (m.from === b && m.to === a));
}

/** Where a message is on its wire, 0 (sender) … 1 (receiver), at simulated time `now`. */
export function messageProgress(m: WireMessage, now: number): number {
  const t = m.droppedAt !== null ? Math.min(now, m.droppedAt) : now;
  const span = m.arriveAt - m.sendAt;
  if (span <= 0) return 1;
  return Math.min(1, Math.max(0, (t - m.sendAt) / span));
}

/** Fraction of a message's bytes that have left the sender (for the RDB progress bar). */
export function bytesProgress(m: WireMessage, now: number): number {
  const span = m.sentAt - m.sendAt;
  if (span <= 0) return now >= m.sendAt ? 1 : 0;
  return Math.min(1, Math.max(0, (now - m.sendAt) / span));
}

/** Bytes per second the main master's stream grew by over the last RATE_WINDOW_MS, at `now`. */
export function writeRateAt(s: Pick<LabState, 'growth' | 'mainMaster'>, now: number): number {
  const span = Math.min(RATE_WINDOW_MS, Math.max(1000, now));
  let bytes = 0;
  for (const g of s.growth[s.mainMaster] ?? [])
    if (g.at > now - RATE_WINDOW_MS && g.at <= now) bytes += g.bytes;
  return (bytes * 1000) / span;
}
