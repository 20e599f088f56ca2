import { useEffect, useRef } from 'react';
import { selectPredictions, useLab, useShallow } from '../store';
import type { LabState } from '../store';
import { fill, useT } from './i18n';
import './i18n.later';

type Kind = 'resync' | 'offset' | 'bytes';
/** One empty list for every step without questions (a new [] each render would loop). */
const NO_ASKS: readonly { readonly kind: Kind; readonly replica: string }[] = [];
const QUESTION = { resync: 'askResync', offset: 'askOffset', bytes: 'askBytes' } as const;

/**
 * Before a decisive step: the lesson's questions (partial or full? which offset? how many
 * bytes?). The step runs once they are answered (or skipped with Next step).
 */
export function PredictionForm() {
  const { t } = useT();
  const s = useLab(
    useShallow((st) => ({
      asking: st.asking,
      step: st.lessonStep + 1,
      asks: st.lesson?.steps[st.lessonStep]?.asks ?? NO_ASKS,
      answers: st.answers,
      answer: st.answer,
      nextStep: st.nextStep,
    })),
  );
  const form = useRef<HTMLFormElement>(null);
  // The questions come up below the narration: bring them into view.
  useEffect(() => {
    if (s.asking) form.current?.scrollIntoView({ block: 'nearest' });
  }, [s.asking]);
  if (!s.asking) return null;
  const value = (kind: Kind, replica: string) => s.answers[`${s.step}:${kind}:${replica}`] ?? '';
  return (
    <form
      ref={form}
      className="rl-predict"
      data-testid="predict"
      onSubmit={(e) => {
        e.preventDefault();
        s.nextStep();
      }}
    >
      <p className="rl-predict-title">{t('predictTitle')}</p>
      {s.asks.map((a) => {
        const q = fill(t(QUESTION[a.kind]), { r: a.replica });
        return (
          <fieldset key={`${a.kind}:${a.replica}`} className="rl-predict-q">
            <legend>{q}</legend>
            {a.kind === 'resync' ? (
              <div className="rl-seg" role="group" aria-label={q}>
                {(['partial', 'full'] as const).map((v) => (
                  <button
                    key={v}
                    type="button"
                    className="rl-seg-btn"
                    aria-pressed={value(a.kind, a.replica) === v}
                    onClick={() => s.answer(s.step, a.kind, a.replica, v)}
                  >
                    {t(v === 'partial' ? 'partialWord' : 'fullWord')}
                  </button>
                ))}
              </div>
            ) : (
              <input
                className="rl-input"
                inputMode="numeric"
                aria-label={q}
                value={value(a.kind, a.replica)}
                onChange={(e) => s.answer(s.step, a.kind, a.replica, e.target.value)}
              />
            )}
          </fieldset>
        );
      })}
      <button type="submit" className="rl-btn rl-btn-primary">
        {t('checkAnswer')}
      </button>
    </form>
  );
}

/** After the step: each prediction beside what the run did. */
export function PredictionResults() {
  const { t } = useT();
  const parts = useLab(
    useShallow((st) => ({
      lesson: st.lesson,
      lessonStep: st.lessonStep,
      stepRunning: st.stepRunning,
      answers: st.answers,
      stepStarts: st.stepStarts,
      psync: st.psync,
    })),
  );
  if (parts.stepRunning) return null;
  const results = selectPredictions(parts as unknown as LabState);
  if (results.length === 0) return null;
  const word = (kind: Kind, v: string | null) =>
    v === null || v === ''
      ? t('noAnswer')
      : kind === 'resync'
        ? t(v === 'partial' ? 'partialWord' : 'fullWord')
        : v;
  return (
    <ul className="rl-predict-results" data-testid="predict-results">
      {results.map((r) => (
        <li
          key={`${r.kind}:${r.replica}`}
          className={r.correct === true ? 'rl-ok' : r.correct === false ? 'rl-bad' : undefined}
        >
          {fill(t(QUESTION[r.kind]), { r: r.replica })}{' '}
          <strong>
            {fill(t('yourAnswer'), { g: word(r.kind, r.given), a: word(r.kind, r.actual) })}
          </strong>
          {r.correct === null ? null : ` — ${r.correct ? `✔ ${t('right')}` : `✘ ${t('wrong')}`}`}
        </li>
      ))}
    </ul>
  );
}
