/** Small pure display helpers for numbers and IDs. */

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

/** How the version selector names a dialect: `Redis 7.0`, `Valkey 8.0`. */
export function versionLabel(v: string): string {
  return v.startsWith('valkey-') ? `Valkey ${v.slice('valkey-'.length)}` : `Redis ${v}`;
}
