import { VERSIONS, type Version } from '../store/constants';
import { versionLabel } from '../store/format';
import { lazy, Suspense, useEffect, useId, useRef, useState } from 'react';
import {
  MAX_REPLICAS,
  SPEEDS,
  selectReplicaCount,
  useLab,
  useLabStore,
  useShallow,
} from '../store';
import type { Theme } from '../store';
import type { ImageKind } from './exportImage';
import { download } from './download';
import { useT } from './i18n';
import { Notice } from './Notice';
import { useRovingToolbar } from './roving';

// Loaded when first used, with their libraries (qrcode, html-to-image): the first load stays small.
const ShareDialog = lazy(() => import('./ShareDialog'));
const loadExport = () => import('./exportImage');
import { SimClock } from './SimClock';

/**
 * The toolbar. Every control is rendered once; CSS container queries on the lab (layout.css)
 * decide where it shows: wide boxes show them all inline; below ~1100 px the less-used ones
 * (default write, stream view, theme, language, help) move into the "⋯" popover so the bar
 * stays one row; on a phone the secondary player controls move there too.
 */
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
      version: st.version,
      setVersion: st.setVersion,
    })),
  );
  const replicas = useLab(selectReplicaCount);
  const reproduceOnRedis = useLab((st) => st.reproduceOnRedis);
  const { t, lang } = useT();
  const [open, setOpen] = useState(false);
  const moreId = useId();
  const moreRef = useRef<HTMLDivElement>(null);
  const btnRef = useRef<HTMLButtonElement>(null);
  const playerRef = useRef<HTMLDivElement>(null);
  useRovingToolbar(playerRef);
  const store = useLabStore();
  // The Share dialog, and the control that opened it (focus goes back there, or to "⋯").
  const [sharing, setSharing] = useState(false);
  const opener = useRef<HTMLElement | null>(null);
  const [exportFailed, setExportFailed] = useState(false);

  const closeShare = () => {
    setSharing(false);
    const back = opener.current?.checkVisibility() ? opener.current : btnRef.current;
    back?.focus();
  };

  const exportImage = (kind: ImageKind) => {
    const root = btnRef.current?.closest<HTMLElement>('.rl-root');
    if (!root) return;
    setOpen(false);
    setExportFailed(false);
    const st = store.getState();
    loadExport()
      .then(({ exportView, imageFileName }) =>
        exportView(root, kind, imageFileName(st.lesson?.id ?? null, st.lessonStep, kind)),
      )
      .catch(() => setExportFailed(true));
  };

  // The popover closes on a click elsewhere and on Escape (focus back on its button).
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      const target = e.target as Node | null;
      if (moreRef.current?.contains(target) || btnRef.current?.contains(target)) return;
      setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    // Escape closes it wherever the focus is: a dropdown used in it hands focus back to the lab.
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      setOpen(false);
      btnRef.current?.focus();
    };
    document.addEventListener('keydown', onKey, true);
    // A control used with the pointer hands the focus back to the lab (keyboard.ts): then the
    // popover is done with and closes. One reached with the keyboard keeps it open.
    const onUsed = (e: Event) => {
      const target = e.target as Element | null;
      if (!target?.closest('button, select') || !moreRef.current?.contains(target)) return;
      if (!moreRef.current.contains(document.activeElement)) setOpen(false);
    };
    document.addEventListener('click', onUsed);
    document.addEventListener('change', onUsed);
    // Focus the popover's first control. Which box is the popover depends on the width: the
    // "⋯" group itself on a phone, only its less-used part when the rest sits in the toolbar.
    const more = moreRef.current;
    const box =
      more && getComputedStyle(more).display === 'contents'
        ? more.querySelector('.rl-tb-extra')
        : more;
    const first = [...(box?.querySelectorAll<HTMLElement>('button, input, select') ?? [])].find(
      (el) => el.checkVisibility(),
    );
    first?.focus();
    return () => {
      document.removeEventListener('pointerdown', onDown);
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('click', onUsed);
      document.removeEventListener('change', onUsed);
    };
  }, [open]);

  return (
    <header className="rl-top">
      <div className="rl-brand">
        <h1 className="rl-title">{t('title')}</h1>
        <span className="rl-subtitle">{t('subtitle')}</span>
      </div>
      <div ref={playerRef} className="rl-controls rl-tb-main" role="toolbar" aria-label="Player">
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
        <SimClock />
        <button
          type="button"
          className="rl-btn rl-btn-write"
          onClick={() => s.writeKey()}
          aria-label={t('writeKey')}
        >
          ✎ {t('writeKey')}
        </button>
      </div>
      <button
        ref={btnRef}
        type="button"
        className="rl-btn rl-more-btn"
        aria-label={t('moreControls')}
        title={t('moreControls')}
        aria-expanded={open}
        aria-controls={moreId}
        onClick={() => setOpen((o) => !o)}
      >
        ⋯ <span className="rl-more-label">{t('more')}</span>
      </button>
      <div ref={moreRef} id={moreId} className="rl-more" data-open={open}>
        <div className="rl-controls rl-tb-secondary" role="group" aria-label="Player options">
          <button
            type="button"
            className="rl-btn"
            onClick={s.skip}
            aria-label={t('skip')}
            title={t('skip')}
          >
            {t('skipShort')} ⇥
          </button>
          <button type="button" className="rl-btn" onClick={s.reset} aria-label={t('reset')}>
            ⟲ {t('reset')}
          </button>
          <label className="rl-inline">
            <span className="rl-speed-label">{t('speed')}</span>
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
        <div className="rl-controls rl-tb-extra">
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
          <div className="rl-controls rl-tb-view" role="group" aria-label="View">
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
              aria-label={t('serverVersion')}
              title={t('serverVersion')}
              value={s.version}
              onChange={(e) => s.setVersion(e.target.value as Version)}
            >
              {VERSIONS.map((v) => (
                <option key={v} value={v}>
                  {versionLabel(v)}
                </option>
              ))}
            </select>
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
              aria-label={`Language: ${lang === 'en' ? 'ES' : 'EN'}`}
              title="Language / Idioma"
              onClick={() => s.setLang(lang === 'en' ? 'es' : 'en')}
            >
              {lang === 'en' ? 'ES' : 'EN'}
            </button>
            <button
              type="button"
              className="rl-btn"
              aria-label={t('help')}
              onClick={() => {
                setOpen(false);
                s.setHelpOpen(true);
              }}
            >
              ?
            </button>
          </div>
          <div className="rl-controls rl-tb-share">
            <button
              type="button"
              className="rl-btn"
              aria-haspopup="dialog"
              onClick={(e) => {
                opener.current = e.currentTarget;
                setOpen(false);
                setSharing(true);
              }}
            >
              ⤴ {t('share')}
            </button>
            <button
              type="button"
              className="rl-btn"
              aria-label={t('reproduce')}
              title={t('reproduceTitle')}
              onClick={() => {
                // A run longer than the timeline keeps cannot be exported: the store shows a notice.
                reproduceOnRedis().then(
                  ({ file, text }) =>
                    download(new Blob([text], { type: 'text/x-shellscript' }), file),
                  (e: unknown) => console.warn(e),
                );
              }}
            >
              ⬇ {t('reproduceShort')}
            </button>
            <span className="rl-export-label" aria-hidden="true">
              {t('exportImage')}
            </span>
            <div className="rl-seg" role="group" aria-label={t('exportImage')}>
              <button
                type="button"
                className="rl-seg-btn"
                aria-label={t('exportPng')}
                title={t('exportPng')}
                onClick={() => exportImage('png')}
              >
                PNG
              </button>
              <button
                type="button"
                className="rl-seg-btn"
                aria-label={t('exportSvg')}
                title={t('exportSvg')}
                onClick={() => exportImage('svg')}
              >
                SVG
              </button>
            </div>
          </div>
        </div>
      </div>
      <Notice />
      {exportFailed ? (
        <p className="rl-notice" role="alert">
          {t('exportFailed')}
        </p>
      ) : null}
      {sharing ? (
        <Suspense fallback={null}>
          <ShareDialog onClose={closeShare} />
        </Suspense>
      ) : null}
    </header>
  );
}
