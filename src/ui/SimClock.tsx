import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { clockText, useFrame, useLab, useLabStore } from '../store';
import { useT } from './i18n';
import { skipJump, skipWhat, type SkipWords } from './skipNotice';
import { writeText } from './writeText';
import './simClock.css';

/** How long (real ms) the skip notice stays up. */
const NOTICE_MS = 6000;

/**
 * The simulated clock, in the date and time the logs print (the engine's wall clock: the lab's
 * `clock` plus simulated time), and the notice after "Skip to next event". Self-contained: it
 * writes its digits once per frame without re-rendering.
 */
export function SimClock() {
  const store = useLabStore();
  const { t } = useT();
  const dateRef = useRef<HTMLSpanElement>(null);
  const timeRef = useRef<HTMLSpanElement>(null);
  const write = useCallback(
    (now: number) => {
      const start = store.getState().getWallStartMs();
      const { date, time } =
        start === null ? { date: '', time: '--:--:--.---' } : clockText(start + now);
      if (dateRef.current) writeText(dateRef.current, date);
      if (timeRef.current) writeText(timeRef.current, time);
    },
    [store],
  );
  useFrame(write);

  const skipped = useLab((s) => s.skipped);
  // The notice goes NOTICE_MS after it came (or when the next skip replaces it).
  const [expired, setExpired] = useState<number | null>(null);
  useEffect(() => {
    if (!skipped) return;
    const timer = setTimeout(() => setExpired(skipped.id), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [skipped]);
  const words: SkipWords = useMemo(
    () => ({
      none: t('skipNone'),
      bgsaveStart: t('skipBgsaveStart'),
      bgsaveEnd: t('skipBgsaveEnd'),
      forReplication: t('skipForReplication'),
      resynced: t('skipResynced'),
      linkUp: t('skipLinkUp'),
      linkDown: t('skipLinkDown'),
      partial: t('partial'),
      full: t('full'),
    }),
    [t],
  );
  const notice = skipped && skipped.id !== expired ? skipped : null;
  return (
    <div className="rl-clock" role="group" aria-label={t('clockLabel')}>
      <span className="rl-clock-face" title={t('clockTitle')} data-testid="sim-clock">
        <span className="rl-clock-icon" aria-hidden="true">
          ◷
        </span>{' '}
        <span className="rl-clock-date" ref={dateRef} />{' '}
        <span className="rl-clock-time" ref={timeRef} />
      </span>
      <p className="rl-clock-notice" role="status" data-testid="skip-notice">
        {notice ? (
          <>
            <span className="rl-clock-jump">{skipJump(notice)}</span>{' '}
            <span>{skipWhat(notice, words)}</span>
          </>
        ) : null}
      </p>
    </div>
  );
}
