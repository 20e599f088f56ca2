import { useCallback, useRef, type CSSProperties } from 'react';
import {
  backlogGauge,
  formatBytes,
  formatDurationMs,
  psyncOutsideBacklog,
  psyncWindow,
  selectBacklogForecast,
  useFrame,
  useLab,
  useLabStore,
  writeRateAt,
} from '../store';
import type { BacklogForecast } from '../store';
import { fill, useT } from './i18n';
import { writeText } from './writeText';

/** The master's backlog as a window on the offset axis, with every replica's position in it. */
export function BacklogWindow() {
  const f = useLab(selectBacklogForecast);
  const psync = useLab((s) => s.psync);
  const last = useLab((s) => s.lastPsync?.replica ?? null);
  const { t } = useT();
  if (!f) return null;
  const { master: m, first, last: hi, replicas } = f;
  const points = [first, hi, ...replicas.map((r) => r.next)];
  for (const r of replicas) {
    const p = psync[r.name];
    if (p && p.offset > 0) points.push(p.offset);
  }
  // Replicas at the same offset share one marker row (in sync, they usually are).
  const rows: Array<{ offset: number; names: string[] }> = [];
  for (const r of replicas) {
    const row = rows.find((g) => g.offset === r.offset);
    if (row) row.names.push(r.name);
    else rows.push({ offset: r.offset, names: [r.name] });
  }
  const lo0 = Math.min(...points);
  const hi0 = Math.max(...points);
  const pad = Math.max(8, (hi0 - lo0) * 0.06);
  const lo = Math.max(0, lo0 - pad);
  const top = hi0 + pad;
  const frac = (off: number) => (off - lo) / (top - lo);
  const x = (off: number) => `${(frac(off) * 100).toFixed(3)}%`;
  const flip = (off: number) => (frac(off) > 0.6 ? 'translateX(calc(-100% + 0.5em))' : undefined);
  // A PSYNC mark hangs from its offset towards the roomier side, and wraps (upwards) rather than
  // leave the panel when the panel is narrow (a phone).
  const anchor = (off: number): CSSProperties =>
    frac(off) > 0.6
      ? { right: `${((1 - frac(off)) * 100).toFixed(3)}%`, transform: 'translateX(0.5em)' }
      : { left: x(off) };
  const w = (a: number, b: number) => `${Math.max(0.4, ((b - a) / (top - lo)) * 100).toFixed(3)}%`;
  return (
    <section className="rl-panel rl-backlog" aria-label="Backlog window">
      {/* The title and the gauge share a row when the panel is wide enough (a slide's height is
          short), and wrap under each other when it is not. */}
      <div className="rl-backlog-head">
        <h2 className="rl-panel-title">
          {t('backlog')}{' '}
          <span className="rl-muted rl-normal" title={t('backlogBlocks')}>
            [{m.backlog ? first : '—'} … {hi}] · {t('backlogHolds')}{' '}
            {formatBytes(m.backlog?.histlen ?? 0)} {t('backlogOf')} {formatBytes(m.backlogSize)}
          </span>
        </h2>
        <Gauge forecast={f} />
      </div>
      {m.backlog && m.backlog.histlen > m.backlogSize ? (
        <p className="rl-backlog-over" data-testid="backlog-over" title={t('backlogBlocks')}>
          {fill(t('overSize'), {
            h: formatBytes(m.backlog.histlen),
            s: formatBytes(m.backlogSize),
          })}
        </p>
      ) : null}
      <div className="rl-axis">
        {m.backlog ? (
          <div
            className="rl-axis-backlog"
            style={{ left: x(first), width: w(first, hi) }}
            title={`repl_backlog_first_byte_offset ${first} … master_repl_offset ${hi}`}
          />
        ) : null}
        {replicas.map((r) => {
          if (r.online || !r.missed) return null;
          const { from, to } = r.missed;
          return (
            <div
              key={`miss-${r.name}`}
              className={r.outside ? 'rl-axis-missed rl-axis-lost' : 'rl-axis-missed'}
              style={{ left: x(from), width: w(from, to) }}
              title={`${r.name} ${t('missed')} ${from}…${to}`}
            />
          );
        })}
        {m.backlog ? (
          <span className="rl-tick rl-tick-lo" style={{ left: x(first) }}>
            {first}
          </span>
        ) : null}
        <span className="rl-tick rl-tick-hi" style={{ left: x(hi) }}>
          {hi}
        </span>
        {rows.map(({ offset, names }, i) => (
          <span
            key={`mk-${offset}`}
            className="rl-marker"
            style={{ left: x(offset), top: `${3.2 + i * 1.9}em`, transform: flip(offset) }}
          >
            {frac(offset) > 0.6
              ? `${names.join(', ')} ${offset} ▲`
              : `▲ ${names.join(', ')} ${offset}`}
          </span>
        ))}
        {replicas.map((r) => {
          const p = psync[r.name];
          // A decision of a connection that has ended no longer says where the replica stands.
          if (!p || p.result === 'nomasterlink' || r.name !== last || p.endedAt !== null)
            return null;
          const ok = p.result === 'continue';
          const first = p.firstSync;
          const at = Math.max(lo, p.offset);
          const win = psyncWindow(p);
          return (
            <span
              key={`ps-${r.name}`}
              className={`rl-psync-mark ${ok ? 'rl-psync-ok' : first ? 'rl-psync-first' : 'rl-psync-bad'}`}
              style={anchor(at)}
              title={
                win
                  ? `PSYNC ${p.offset}: backlog [${win.first} … ${win.last}], master_repl_offset ${win.masterOffset}`
                  : `PSYNC ${p.offset}: no backlog, master_repl_offset ${p.master_repl_offset}`
              }
            >
              {ok ? '✔' : first ? '•' : '✘'} {r.name} PSYNC {p.offset}{' '}
              {ok
                ? t('partial')
                : first
                  ? `${t('full')} (${t('firstSync')})`
                  : `${t('full')}${psyncOutsideBacklog(p) ? ` (${t('outside')})` : ''}`}
            </span>
          );
        })}
      </div>
      <div style={{ height: `${1 + rows.length * 1.9}em` }} />
    </section>
  );
}

/** How long a disconnect the backlog absorbs, and each disconnected replica's countdown. */
function Gauge({ forecast }: { forecast: BacklogForecast }) {
  const store = useLabStore();
  const ref = useRef<HTMLParagraphElement>(null);
  const { t } = useT();
  const absorbs = t('absorbs');
  const noWrites = t('noWrites');
  const leaves = t('leavesAfter');
  const atRate = t('atThisRate');
  const overflowed = t('overflowed');
  const update = useCallback(
    (now: number) => {
      const el = ref.current;
      if (!el) return;
      const rate = writeRateAt(store.getState(), now);
      const g = backlogGauge(forecast, rate);
      const lines = [
        Number.isFinite(g.absorbsMs)
          ? `${absorbs} ≈ ${formatDurationMs(g.absorbsMs)} (${formatBytes(Math.round(rate))}/s)`
          : `${absorbs}: ∞ (${noWrites})`,
        ...g.lines.map((l) => {
          if (l.lost) return `⚠ ${l.name} ${overflowed}`;
          const b = `${l.atLeast ? '≥ ' : ''}${formatBytes(l.bytesLeft)}`;
          const head = fill(leaves, { r: l.name, b });
          return Number.isFinite(l.msLeft)
            ? `${head} (≈ ${formatDurationMs(l.msLeft)} ${atRate})`
            : head;
        }),
      ];
      const text = lines.join('\n');
      writeText(el, text);
    },
    [store, forecast, absorbs, noWrites, leaves, atRate, overflowed],
  );
  useFrame(update);
  return <p className="rl-gauge" ref={ref} aria-live="off" />;
}
