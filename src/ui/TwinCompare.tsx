import { useMemo } from 'react';
import { formatBytes, formatDurationMs, useLab } from '../store';
import type { ResyncOutcome } from '../lab/headless';
import { fill, useT } from './i18n';
import './i18n.later';
// The headless runs the store compares come with this panel, not with the first load.
import '../store/twin';

/**
 * The lesson beside its twin run (the same steps with one setting changed, run headless by the
 * store): how each one's last resync ended — the master's answer, the bytes it sent, when the
 * replica was online again and when it had caught up. Hidden while a prediction is asked (it
 * would give the answer away) and while a step plays.
 */
export function TwinCompare() {
  const { t, lang } = useT();
  const step = useLab((s) => s.lessonStep);
  const hidden = useLab((s) => s.asking || s.stepRunning);
  const lessonTwin = useLab((s) => s.lessonTwin);
  const text = useLab((s) => s.lesson?.text);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- recomputed for another scenario
  const cmp = useMemo(() => lessonTwin(step), [lessonTwin, step, text]);
  if (!cmp || hidden) return null;
  const [a, b] = cmp.labels[lang];
  const cells = (f: (r: ResyncOutcome) => string) =>
    cmp.last.map((r, i) => <td key={i}>{r ? f(r) : '—'}</td>);
  const answer = (r: ResyncOutcome) => r.reply.split(' ')[0] ?? '';
  const seconds = (ms: number | null) => (ms === null ? t('twinNotYet') : formatDurationMs(ms));
  return (
    <details className="rl-twin" data-testid="twin">
      <summary>{fill(t('twinCompare'), { a, b })}</summary>
      {cmp.last.every((r) => r === null) ? (
        <p className="rl-muted">{t('twinNone')}</p>
      ) : (
        <table className="rl-twin-table">
          <thead>
            <tr>
              <td />
              <th scope="col">{a}</th>
              <th scope="col">{b}</th>
            </tr>
          </thead>
          <tbody>
            <tr data-row="answer">
              <th scope="row">
                {fill(t('twinAnswer'), { r: cmp.last.find((r) => r !== null)?.replica ?? '' })}
              </th>
              {cells(answer)}
            </tr>
            <tr data-row="bytes">
              <th scope="row">{t('twinBytes')}</th>
              {cells((r) =>
                fill(t(r.kind === 'full' ? 'twinRdb' : 'twinBacklog'), { b: formatBytes(r.bytes) }),
              )}
            </tr>
            <tr data-row="online">
              <th scope="row">{t('twinOnline')}</th>
              {cells((r) => seconds(r.ms))}
            </tr>
            <tr data-row="caught-up">
              <th scope="row">{t('twinCaughtUp')}</th>
              {cells((r) => seconds(r.caughtUpMs))}
            </tr>
          </tbody>
        </table>
      )}
    </details>
  );
}
