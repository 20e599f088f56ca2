/**
 * The timeline's marks from the keyboard: `,` and `.` on the slider jump to the previous and the
 * next mark (Timeline.tsx), and the slider's text names the marks it stands on.
 */
import type { TimelineMark } from '../store/types';

/** A mark this close (ms) to a time is at it: a seek lands there to within rounding. */
const NEAR = 0.5;

/** The first mark after `now` (`dir` 1) or the last one before it (-1); marks sorted by time. */
export function markFrom(
  marks: readonly TimelineMark[],
  now: number,
  dir: -1 | 1,
): TimelineMark | undefined {
  return dir > 0 ? marks.find((m) => m.at > now + NEAR) : marks.findLast((m) => m.at < now - NEAR);
}

/** The marks at `now`. */
export function marksAt(marks: readonly TimelineMark[], now: number): TimelineMark[] {
  return marks.filter((m) => Math.abs(m.at - now) <= NEAR);
}
