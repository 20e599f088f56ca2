/** Redis log lines: `pid:R dd Mon yyyy HH:MM:SS.mmm L message` (server.c serverLogRaw). */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning';
const LEVEL_CHAR: Record<LogLevel, string> = {
  debug: '.',
  verbose: '-',
  notice: '*',
  warning: '#',
};

/** `dd Mon yyyy HH:MM:SS.mmm` in UTC for a unix time in ms. */
export function logTimestamp(unixMs: number): string {
  const ms = Math.floor(unixMs);
  const days = Math.floor(ms / 86_400_000);
  let rem = ms - days * 86_400_000;
  const hh = Math.floor(rem / 3_600_000);
  rem -= hh * 3_600_000;
  const mm = Math.floor(rem / 60_000);
  rem -= mm * 60_000;
  const ss = Math.floor(rem / 1000);
  const mss = rem - ss * 1000;
  const { y, m, d } = civilFromDays(days);
  return `${pad(d)} ${MONTHS[m - 1]} ${y} ${pad(hh)}:${pad(mm)}:${pad(ss)}.${pad(mss, 3)}`;
}

/** Days since 1970-01-01 → proleptic Gregorian date (Howard Hinnant's algorithm). */
export function civilFromDays(z0: number): { y: number; m: number; d: number } {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: era * 400 + yoe + (m <= 2 ? 1 : 0), m, d };
}

export function formatLogLine(
  pid: number,
  role: string,
  unixMs: number,
  level: LogLevel,
  msg: string,
): string {
  return `${pid}:${role} ${logTimestamp(unixMs)} ${LEVEL_CHAR[level]} ${msg}`;
}

/** Splits a log line into its parts, or null when it is not in Redis's format. */
export function parseLogLine(
  line: string,
): { pid: number; role: string; time: string; level: string; msg: string } | null {
  const m = /^(\d+):([MSCX]) (\d\d \w{3} \d{4} \d\d:\d\d:\d\d\.\d{3}) ([.\-*#]) (.*)$/.exec(line);
  if (!m) return null;
  return { pid: Number(m[1]), role: m[2]!, time: m[3]!, level: m[4]!, msg: m[5]! };
}
