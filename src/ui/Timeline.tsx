import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { CSSProperties, MouseEvent } from 'react';
import {
  formatBytes,
  formatDurationMs,
  useFrame,
  useLab,
  useLabStore,
  useLabText,
  type TimelineMark,
} from '../store';
import { CommandStrip } from './commandStrip';
import { fill, useT, type TKey } from './i18n';
import { markFrom, marksAt } from './markJump';

/** What a mark says in its tooltip (data — commands, replies — shown as it is). */
export function markLabel(m: TimelineMark, t: (k: TKey) => string): string {
  return `${formatDurationMs(m.at)} · ${markText(m, t)}`;
}

/** A mark's words, without its time. */
function markText(m: TimelineMark, t: (k: TKey) => string): string {
  const p = { n: m.step ?? 0, s: m.server ?? '', x: m.text ?? '', b: formatBytes(m.bytes ?? 0) };
  const say = (k: TKey, extra: Partial<typeof p> = {}) => fill(t(k), { ...p, ...extra });
  switch (m.kind) {
    case 'step':
      return say('markStep');
    case 'cut':
      return say('markCut');
    case 'restore':
      return say('markRestore');
    case 'restart':
      return say('markRestart');
    case 'replicaof':
      return say('markReplicaof');
    case 'command':
      return say('markCommand');
    case 'continue':
    case 'fullresync':
      return say('markPsync');
    case 'synced':
      return say('markSynced', { x: t(m.text === 'full' ? 'markFull' : 'markPartial') });
  }
}

/**
 * The marks over the timeline, heard at the text rate (useLabText): under a stream of writes a
 * new mark can wait a tenth of a second, and the slider's own frame (Timeline) stays cheap. The
 * command marks are painted on a canvas (commandStrip.ts); the canvas holds them as its fallback
 * content too (never laid out), each with its time and words, as the other marks have theirs.
 */
const Marks = memo(function Marks({
  strip,
  jump,
}: {
  strip: CommandStrip;
  /** Goes to a mark's moment, remembered as at that mark (Slider's `jump`). */
  jump: (at: number) => void;
}) {
  const { t } = useT();
  const marks = useLabText((s) => s.marks);
  const current = useLabText((s) => s.lessonStep);
  const steps = marks.filter((m) => m.kind === 'step');
  const others = marks.filter((m) => m.kind !== 'step' && m.kind !== 'command');
  const commands = useMemo(() => marks.filter((m) => m.kind === 'command'), [marks]);
  const label = useCallback((m: TimelineMark) => markLabel(m, t), [t]);
  useLayoutEffect(() => strip.setMarks(commands, label), [strip, commands, label]);
  const attach = useCallback((c: HTMLCanvasElement | null) => strip.attach(c), [strip]);
  const eventsRef = useRef<HTMLDivElement>(null);
  /** The command mark under the pointer (drawn, so found by its place), named in the tooltip. */
  const point = (e: MouseEvent<HTMLDivElement>) => {
    const box = eventsRef.current;
    if (!box) return null;
    const onElement = (e.target as Element).closest('.rl-mark') !== null;
    const m = onElement
      ? strip.hover(null)
      : strip.hover(e.clientX - box.getBoundingClientRect().left);
    if (m) box.setAttribute('title', markLabel(m, t));
    else box.removeAttribute('title');
    box.style.cursor = m ? 'pointer' : '';
    return m;
  };
  return (
    <div className="rl-timeline-marks" title={t('timelineKey')} aria-hidden="true">
      {steps.length > 0 && (
        <div className="rl-timeline-steps">
          {steps.map((m, i) => (
            <span
              key={m.at}
              className={`rl-chapter${m.step === current ? ' rl-chapter-now' : ''}`}
              style={
                {
                  '--at': Math.round(m.at),
                  '--z': steps.length - i,
                  '--to': i + 1 < steps.length ? Math.round(steps[i + 1]!.at) : 'var(--tl-max)',
                } as CSSProperties
              }
              title={markLabel(m, t)}
              data-at={Math.round(m.at)}
              onClick={() => jump(m.at)}
            >
              {m.step}
            </span>
          ))}
        </div>
      )}
      <div
        className="rl-timeline-events"
        ref={eventsRef}
        onMouseMove={point}
        onMouseLeave={() => {
          strip.hover(null);
          eventsRef.current?.removeAttribute('title');
        }}
        onClick={(e) => {
          const m = point(e);
          if (m) jump(m.at);
        }}
      >
        {/* Its fallback content, the marks named, is the strip's own (commandStrip.ts). */}
        <canvas className="rl-timeline-commands" ref={attach} />
        {others.map((m, i) => (
          <span
            key={`${m.at}:${m.kind}:${m.server ?? ''}:${i}`}
            className={`rl-mark rl-mark-${m.kind}`}
            style={{ '--at': Math.round(m.at) } as CSSProperties}
            title={markLabel(m, t)}
            data-at={Math.round(m.at)}
            data-kind={m.kind}
            onClick={(e) => {
              e.stopPropagation();
              jump(m.at);
            }}
          />
        ))}
      </div>
    </div>
  );
});

/**
 * The run's timeline: drag to any moment since the start and the whole lab shows it again
 * exactly (the store restores a checkpoint and replays the run up to there); act from there and
 * a new future begins. Above it, the marks of what happened (lesson steps, cuts and restores,
 * commands, PSYNC answers, resyncs finished), each one a click away, or from the slider a key
 * away (`,` and `.`: the previous and the next one); they stay after now while the user scrubs
 * back. Its value and the marks' scale follow the simulated clock without re-rendering (written
 * each frame); paused on a mark, its text names the mark for a screen reader.
 */
export function Timeline() {
  const { t } = useT();
  const ref = useRef<HTMLInputElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const store = useLabStore();
  // (When play stops, `update` changes and runs again at once: the end becomes exact.)
  const playing = useLab((s) => s.playing);
  const seekTo = useLab((s) => s.seekTo);
  const horizon = useLab((s) => s.horizon);
  const marks = useLabText((s) => s.marks);
  const [strip] = useState(() => new CommandStrip());
  // A new theme: the canvas's colours are read again.
  const theme = useLab((s) => s.theme);
  useEffect(() => strip.readColors(), [strip, theme]);
  // The mark last gone to (`,` or `.`, or a click on it), and the time that left the lab at: a
  // statement takes the engine a millisecond on (a command's round trip), so the lab shows it
  // done just after it.
  const jumped = useRef({ at: -1, now: -1 });
  const here = (now: number) => (jumped.current.now === now ? jumped.current.at : now);
  const update = useCallback(
    (now: number) => {
      const el = ref.current;
      if (!el) return;
      const end = Math.max(horizon, now);
      // Playing, the end grows every frame, and a new --tl-max moves every mark: it is raised 1%
      // ahead at a time (the thumb stays within a few pixels of the end). Paused, it is exact.
      const cur = Number(el.max);
      const max =
        !playing || end < cur * 0.98
          ? String(Math.round(end))
          : end > cur
            ? String(Math.round(end * 1.01))
            : el.max;
      if (el.max !== max) {
        el.max = max;
        boxRef.current?.style.setProperty('--tl-max', String(Math.max(1, Number(max))));
      }
      strip.setMax(Math.max(1, Number(max)));
      const v = String(Math.round(now));
      if (el.value !== v) el.value = v;
      const on = playing ? [] : marksAt(marks, here(now));
      const text = [formatDurationMs(now), ...on.map((m) => markText(m, t))].join(' · ');
      if (el.getAttribute('aria-valuetext') !== text) el.setAttribute('aria-valuetext', text);
    },
    [horizon, playing, marks, t, strip],
  );
  useFrame(update);
  const updateRef = useRef(update);
  useLayoutEffect(() => {
    updateRef.current = update;
  }, [update]);
  /** To a mark's moment, by key or by pointer: the slider names the mark there. */
  const jump = useCallback(
    (at: number) => {
      seekTo(at);
      const now = store.getState().getNow();
      jumped.current = { at, now };
      updateRef.current(now);
    },
    [seekTo, store],
  );
  return (
    <div className="rl-timeline" ref={boxRef}>
      {/* Pointer shortcuts: the slider is the keyboard's way (`,` and `.` jump between them). */}
      <Marks strip={strip} jump={jump} />
      <input
        ref={ref}
        type="range"
        className="rl-timeline-range"
        aria-label={t('timeline')}
        title={t('timelineTitle')}
        min={0}
        step={100}
        data-testid="timeline"
        onInput={(e) => seekTo(Number((e.target as HTMLInputElement).value))}
        onKeyDown={(e) => {
          const dir = e.key === ',' ? -1 : e.key === '.' ? 1 : 0;
          if (!dir || e.ctrlKey || e.metaKey || e.altKey) return;
          e.preventDefault();
          const { marks, getNow } = store.getState();
          const m = markFrom(marks, here(getNow()), dir);
          if (m) jump(m.at);
        }}
      />
    </div>
  );
}
