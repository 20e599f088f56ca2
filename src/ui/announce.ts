/**
 * What a screen reader is told politely, and how often: new log lines reach it as the latest one
 * or two (a warning among them, such as "Connection with master lost.", is never the one left
 * out), at most once every couple of seconds, so a burst is one announcement, not a flood. Pure
 * (the clock and the timer are passed in), so it is tested without a browser.
 */

/** `4437:M 27 Feb 2020 14:06:23.000 * Ready to accept connections` → the words after the level. */
const REDIS_PREFIX = /^\d+:[A-Z] \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d\.\d{3} ([.\-*#]) /;

/** A log line as it is worth hearing: without the pid, role letter, date and level mark. */
export function logMessage(text: string): string {
  return text.replace(REDIS_PREFIX, '');
}

/** Logged at Redis's warning level (`#`). */
export function isWarning(text: string): boolean {
  return REDIS_PREFIX.exec(text)?.[1] === '#';
}

export interface HeardLine {
  readonly server: string;
  readonly text: string;
}

/** How many of a batch's lines are said. */
export const KEEP = 2;

/**
 * The announcement for `total` new lines, of which `latest` are the ones to say: those, each with
 * its server, then how many others came (`more` is the translated "(+{n} more log lines)").
 */
export function summarize(
  latest: readonly HeardLine[],
  total: number,
  more: (n: number) => string,
): string {
  const shown = latest.slice(-KEEP).map((l) => `${l.server}: ${logMessage(l.text)}`);
  const left = total - shown.length;
  return left > 0 ? `${shown.join(' ')} ${more(left)}` : shown.join(' ');
}

/** A timer as the throttle needs one (window's, or a test's). */
export interface Timers {
  now(): number;
  set(fn: () => void, ms: number): unknown;
  clear(id: unknown): void;
}

/**
 * Collects lines and hands them out in batches: the first `batchMs` after a quiet spell (so one
 * event's several lines go together), then never sooner than `gapMs` after the previous batch.
 */
export class LineThrottle {
  /** The latest lines waiting (no more than are said), the latest warning, how many in all. */
  private pending: HeardLine[] = [];
  private warning: HeardLine | null = null;
  private count = 0;
  private timer: unknown = null;
  private last = -Infinity;

  constructor(
    private readonly emit: (latest: readonly HeardLine[], total: number) => void,
    private readonly timers: Timers,
    private readonly batchMs = 400,
    private readonly gapMs = 2500,
  ) {}

  push(lines: readonly HeardLine[]): void {
    if (lines.length === 0) return;
    // Only the latest few are ever said: keep those and the count, not thousands of lines.
    this.pending = [...this.pending, ...lines.slice(-KEEP)].slice(-KEEP);
    this.warning = lines.findLast((l) => isWarning(l.text)) ?? this.warning;
    this.count += lines.length;
    if (this.timer !== null) return;
    const wait = Math.max(this.batchMs, this.last + this.gapMs - this.timers.now());
    this.timer = this.timers.set(() => this.flush(), wait);
  }

  /** How many lines are waiting (tests). */
  get waiting(): number {
    return this.count;
  }

  private flush(): void {
    this.timer = null;
    const w = this.warning;
    const latest = w && !this.pending.includes(w) ? [w, ...this.pending.slice(-1)] : this.pending;
    const total = this.count;
    this.pending = [];
    this.warning = null;
    this.count = 0;
    if (total === 0) return;
    this.last = this.timers.now();
    this.emit(latest, total);
  }

  dispose(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
    this.pending = [];
    this.warning = null;
    this.count = 0;
  }
}
