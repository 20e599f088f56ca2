import { useCallback, useId, useMemo, useRef } from 'react';
import { formatDurationMs, useFrame, useLab } from '../store';
import { useT } from './i18n';

/**
 * The run's timeline: drag to any moment since the start and the whole lab shows it again
 * exactly (the store replays the run up to there); act from there and a new future begins.
 * Marks: when something was done (a cut, a write, a lesson step). Its value follows the
 * simulated clock without re-rendering (written each frame).
 */
export function Timeline() {
  const { t } = useT();
  const ref = useRef<HTMLInputElement>(null);
  const listId = useId();
  const seekTo = useLab((s) => s.seekTo);
  const horizon = useLab((s) => s.horizon);
  const marksKey = useLab((s) => `${s.history.length}:${s.stepStarts.length}:${s.horizon}`);
  const timelineMarks = useLab((s) => s.timelineMarks);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- recomputed when the run changes
  const marks = useMemo(() => timelineMarks(), [timelineMarks, marksKey]);
  const update = useCallback(
    (now: number) => {
      const el = ref.current;
      if (!el) return;
      const max = String(Math.round(Math.max(horizon, now)));
      if (el.max !== max) el.max = max;
      const v = String(Math.round(now));
      if (el.value !== v) el.value = v;
      el.setAttribute('aria-valuetext', formatDurationMs(now));
    },
    [horizon],
  );
  useFrame(update);
  return (
    <div className="rl-timeline">
      <input
        ref={ref}
        type="range"
        className="rl-timeline-range"
        aria-label={t('timeline')}
        title={t('timeline')}
        min={0}
        step={100}
        list={listId}
        data-testid="timeline"
        onInput={(e) => seekTo(Number((e.target as HTMLInputElement).value))}
      />
      <datalist id={listId}>
        {marks.map((m) => (
          <option key={m} value={Math.round(m)} />
        ))}
      </datalist>
    </div>
  );
}
