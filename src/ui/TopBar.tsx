import { useShallow } from 'zustand/react/shallow';
import { MAX_REPLICAS, SPEEDS, selectReplicaCount, useLab } from '../store';
import type { Theme } from '../store';
import { useT } from './i18n';
import { SimClock } from './SimClock';

export function TopBar() {
  const s = useLab(
    useShallow((st) => ({
      playing: st.playing,
      speed: st.speed,
      togglePlay: st.togglePlay,
      step: st.step,
      skip: st.skipToNext,
      reset: st.reset,
      setSpeed: st.setSpeed,
      writeKey: st.writeKey,
      writeTemplate: st.writeTemplate,
      setWriteTemplate: st.setWriteTemplate,
      addReplica: st.addReplica,
      streamView: st.streamView,
      setStreamView: st.setStreamView,
      theme: st.theme,
      setTheme: st.setTheme,
      setLang: st.setLang,
      setHelpOpen: st.setHelpOpen,
      notice: st.notice,
    })),
  );
  const replicas = useLab(selectReplicaCount);
  const { t, lang } = useT();
  return (
    <header className="rl-top">
      <div className="rl-brand">
        <h1 className="rl-title">{t('title')}</h1>
        <span className="rl-subtitle">{t('subtitle')}</span>
      </div>
      <div className="rl-controls" role="toolbar" aria-label="Player">
        <button
          type="button"
          className="rl-btn rl-btn-primary"
          onClick={s.togglePlay}
          aria-label={s.playing ? t('pause') : t('play')}
        >
          {s.playing ? `❚❚ ${t('pause')}` : `▶ ${t('play')}`}
        </button>
        <button type="button" className="rl-btn" onClick={s.step} aria-label={t('step')}>
          {t('step')}
        </button>
        <button type="button" className="rl-btn" onClick={s.skip} aria-label={t('skip')}>
          {t('skip')} ⇥
        </button>
        <button type="button" className="rl-btn" onClick={s.reset} aria-label={t('reset')}>
          ⟲ {t('reset')}
        </button>
        <label className="rl-inline">
          <span>{t('speed')}</span>
          <select
            className="rl-select"
            aria-label="Speed"
            value={String(s.speed)}
            onChange={(e) => s.setSpeed(Number(e.target.value))}
          >
            {SPEEDS.map((v) => (
              <option key={v} value={String(v)}>
                {v}×
              </option>
            ))}
          </select>
        </label>
        <SimClock />
      </div>
      <div className="rl-controls" role="toolbar" aria-label="Actions">
        <button
          type="button"
          className="rl-btn rl-btn-write"
          onClick={() => s.writeKey()}
          aria-label={t('writeKey')}
        >
          ✎ {t('writeKey')}
        </button>
        <input
          className="rl-input rl-write-input"
          aria-label={t('writeTemplate')}
          title={t('writeTemplate')}
          value={s.writeTemplate}
          onChange={(e) => s.setWriteTemplate(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') s.writeKey();
          }}
        />
        <button
          type="button"
          className="rl-btn"
          onClick={() => s.addReplica()}
          disabled={replicas >= MAX_REPLICAS}
          aria-label={t('addReplica')}
        >
          + {t('addReplica')}
        </button>
      </div>
      <div className="rl-controls" role="toolbar" aria-label="View">
        <div className="rl-seg" role="group" aria-label={t('stream')}>
          <button
            type="button"
            className="rl-seg-btn"
            aria-pressed={s.streamView === 'commands'}
            onClick={() => s.setStreamView('commands')}
          >
            {t('commands')}
          </button>
          <button
            type="button"
            className="rl-seg-btn"
            aria-pressed={s.streamView === 'resp'}
            onClick={() => s.setStreamView('resp')}
          >
            {t('resp')}
          </button>
        </div>
        <select
          className="rl-select"
          aria-label="Theme"
          value={s.theme}
          onChange={(e) => s.setTheme(e.target.value as Theme)}
        >
          <option value="light">{t('light')}</option>
          <option value="dark">{t('dark')}</option>
          <option value="projector">{t('projector')}</option>
        </select>
        <button
          type="button"
          className="rl-btn"
          aria-label="Language"
          title="Language / Idioma"
          onClick={() => s.setLang(lang === 'en' ? 'es' : 'en')}
        >
          {lang === 'en' ? 'ES' : 'EN'}
        </button>
        <button
          type="button"
          className="rl-btn"
          aria-label={t('help')}
          onClick={() => s.setHelpOpen(true)}
        >
          ?
        </button>
      </div>
      {s.notice?.error ? (
        <p className="rl-notice" role="alert" key={s.notice.id}>
          {s.notice.text}
        </p>
      ) : null}
    </header>
  );
}
