import { useEffect, useRef, useState } from 'react';
import { useLab, useShallow } from '../store';
import { versionLabel } from '../store/format';
import { fill, useT } from './i18n';
import { lazyPanel } from './lazyPanel';
import { LiveRegion } from './LiveRegion';
import { PanelBoundary } from './PanelBoundary';
import { Timeline } from './Timeline';

const PredictionForm = lazyPanel(() => import('./Predictions').then((m) => m.PredictionForm));
const PredictionResults = lazyPanel(() => import('./Predictions').then((m) => m.PredictionResults));
const TwinCompare = lazyPanel(() => import('./TwinCompare').then((m) => m.TwinCompare));

/**
 * The lesson: a scenario chooser, the position ("Step N of M"), the narration of the step just
 * played with the log lines that prove it, and Previous / Next step. Without a scenario only the
 * chooser shows. Narration and quotes are text (a teacher's scenario file is user data).
 */
export function LessonPanel() {
  const { t, lang } = useT();
  const s = useLab(
    useShallow((st) => ({
      lesson: st.lesson,
      step: st.lessonStep,
      running: st.stepRunning,
      error: st.lessonError,
      catalog: st.lessonCatalog,
      finished: st.finishedLessons,
      resetProgress: st.resetProgress,
      openLesson: st.openLesson,
      openScenarioText: st.openScenarioText,
      closeLesson: st.closeLesson,
      nextStep: st.nextStep,
      prevStep: st.prevStep,
      version: st.version,
      asking: st.asking,
    })),
  );
  // The lesson just chosen shows in the dropdown while its text loads (the open one would
  // otherwise come back, and the next arrow key would move on from there), until a lesson is
  // opened or closed (this one, a later one, a link's).
  const open = s.lesson?.id ?? '';
  const [chosen, setChosen] = useState<string | null>(null);
  const [seen, setSeen] = useState(s.lesson);
  if (seen !== s.lesson) {
    setSeen(s.lesson);
    setChosen(null);
  }
  const shown = chosen !== null && !s.error ? chosen : open;
  const file = useRef<HTMLInputElement>(null);
  const body = useRef<HTMLDivElement>(null);
  // A new step: its narration from the top.
  useEffect(() => {
    body.current?.scrollTo({ top: 0 });
  }, [s.step, s.lesson]);
  const total = s.lesson?.steps.length ?? 0;
  const current = s.lesson && s.step > 0 ? s.lesson.steps[s.step - 1] : undefined;
  const custom = s.lesson && !s.catalog.some((c) => c.id === s.lesson?.id);
  // Said to a screen reader on each step (and when the lesson asks first): where, and the words.
  const spoken = !s.lesson
    ? ''
    : s.asking
      ? t('predictTitle')
      : `${fill(t('stepNofM'), { n: s.step, m: total })}. ${current ? current.say[lang] : t('stageSet')}`;

  const openFile = async (f: File | undefined) => {
    if (!f) return;
    s.openScenarioText(await f.text());
  };

  return (
    <section
      className="rl-panel rl-lesson"
      aria-label={t('narration')}
      data-testid="lesson"
      data-running={s.running}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        void openFile(e.dataTransfer.files[0]);
      }}
    >
      <div className="rl-lesson-pick">
        <select
          className="rl-select"
          aria-label={t('scenario')}
          value={shown}
          onChange={(e) => {
            const id = e.target.value;
            setChosen(id);
            if (id === '') s.closeLesson();
            else s.openLesson(id);
          }}
        >
          <option value="">{t('noScenario')}</option>
          {s.catalog.map((c) => (
            <option key={c.id} value={c.id}>
              {s.finished.includes(c.id) ? `✓ ${c.title[lang]}` : c.title[lang]}
            </option>
          ))}
          {custom && s.lesson ? <option value={s.lesson.id}>{s.lesson.title[lang]}</option> : null}
        </select>
        <button
          type="button"
          className="rl-btn rl-btn-ghost"
          aria-label={t('openScenario')}
          title={t('openScenario')}
          onClick={() => file.current?.click()}
        >
          {t('openShort')}
        </button>
        <input
          ref={file}
          type="file"
          accept=".lab,.txt,text/plain"
          hidden
          onChange={(e) => {
            void openFile(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
      </div>
      <LiveRegion text={spoken} testId="narration-live" />
      <PanelBoundary name="timeline">
        <Timeline />
      </PanelBoundary>
      {s.error ? (
        <p className="rl-lesson-error" role="alert" data-testid="lesson-error">
          {t('scenarioError')}: {s.error}
        </p>
      ) : null}
      {s.lesson ? (
        <>
          {s.lesson.version === null && s.version !== '7.0' ? (
            <p className="rl-muted" data-testid="lesson-version-note">
              {fill(t('writtenFor70'), { v: versionLabel(s.version) })}
            </p>
          ) : null}
          <div className="rl-lesson-head">
            <p className="rl-lesson-pos" data-testid="lesson-pos">
              {fill(t('stepNofM'), { n: s.step, m: total })}
            </p>
            <div className="rl-lesson-nav">
              <button
                type="button"
                className="rl-btn"
                aria-label={t('prevStep')}
                title={t('prevStep')}
                disabled={s.step === 0}
                onClick={s.prevStep}
              >
                ◀
              </button>
              <button
                type="button"
                className="rl-btn rl-btn-primary"
                aria-label={t('nextStep')}
                disabled={s.step >= total && !s.running}
                onClick={s.nextStep}
              >
                {t('nextStep')} ▶
              </button>
            </div>
          </div>
          <div className="rl-lesson-body" ref={body}>
            <p className="rl-lesson-say" data-testid="lesson-say">
              {current ? current.say[lang] : t('stageSet')}
            </p>
            {current && !s.running
              ? current.quotes.map((q) => (
                  <figure key={`${q.server}:${q.text}`} className="rl-quote">
                    <blockquote>
                      <code>{q.text}</code>
                    </blockquote>
                    <figcaption>{fill(t('quoteFrom'), { s: q.server })}</figcaption>
                  </figure>
                ))
              : null}
            <PredictionResults />
            <PredictionForm />
            <TwinCompare />
            {s.step === total && !s.running ? <p className="rl-muted">{t('lessonDone')}</p> : null}
            <button
              type="button"
              className="rl-btn rl-btn-ghost rl-presenter-open"
              aria-label={t('presenterView')}
              onClick={() => {
                const p = new URLSearchParams({ presenter: '1', lang });
                window.open(
                  `${location.pathname}?${p.toString()}`,
                  'resync-lab-presenter',
                  'popup',
                );
              }}
            >
              {t('presenterView')} ↗
            </button>
            {s.finished.length > 0 ? (
              <button
                type="button"
                className="rl-btn rl-btn-ghost rl-progress-reset"
                onClick={s.resetProgress}
              >
                {t('progressReset')}
              </button>
            ) : null}
          </div>
        </>
      ) : null}
    </section>
  );
}
