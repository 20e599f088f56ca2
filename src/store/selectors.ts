/** Selectors and small pure helpers over the store's view models. */
import type { LabState } from './store';
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

/** A stable hue (0–359) for a replication ID, so the same ID has the same colour everywhere. */
export function replidHue(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  // 24 well-separated hues (golden-angle steps), so two IDs rarely look alike.
  return Math.round(((h >>> 0) % 24) * 137.508) % 360;
}

export const ZERO_ID = '0000000000000000000000000000000000000000';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function formatDurationMs(ms: number): string {
  if (!Number.isFinite(ms)) return '∞';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = s / 60;
  if (m < 60) return `${m.toFixed(m < 10 ? 1 : 0)} min`;
  const h = m / 60;
  if (h < 48) return `${h.toFixed(h < 10 ? 1 : 0)} h`;
  return `${(h / 24).toFixed(0)} d`;
}
