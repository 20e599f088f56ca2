import { useEffect, useRef } from 'react';
import { formatBytes, formatDurationMs, selectMaster, useLab, useLabStore } from '../store';
import type { ServerView } from '../store';
import { useT } from './i18n';

/** The master's backlog as a window on the offset axis, with every replica's position in it. */
export function BacklogWindow() {
  const m = useLab(selectMaster);
  const servers = useLab((s) => s.servers);
  const psync = useLab((s) => s.psync);
  const lastPsyncName = useLab((s) => s.lastPsync?.replica ?? null);
  const { t } = useT();
  if (!m) return null;
  const replicas = servers.filter(
    (s) => s.masterName === m.name || (s.name !== m.name && s.role === 'replica'),
  );
  const hi = m.offset;
  const first = m.backlog ? m.backlog.first : hi + 1;
  const points = [first, hi, ...replicas.map((r) => r.offset + 1)];
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
  const last = psync && lastPsyncName ? lastPsyncName : null;
  const w = (a: number, b: number) => `${Math.max(0.4, ((b - a) / (top - lo)) * 100).toFixed(3)}%`;
  return (
    <section className="rl-panel rl-backlog" aria-label="Backlog window">
      <h2 className="rl-panel-title">
        {t('backlog')}{' '}
        <span className="rl-muted rl-normal" title={t('backlogBlocks')}>
          [{m.backlog ? first : '—'} … {hi}] · {t('backlogHolds')}{' '}
          {formatBytes(m.backlog?.histlen ?? 0)} {t('backlogOf')} {formatBytes(m.backlogSize)}
        </span>
      </h2>
      <div className="rl-axis">
        {m.backlog ? (
          <div
            className="rl-axis-backlog"
            style={{ left: x(first), width: w(first, hi) }}
            title={`repl_backlog_first_byte_offset ${first} … master_repl_offset ${hi}`}
          />
        ) : null}
        {replicas.map((r) => {
          if (r.link === 'online' || hi <= r.offset) return null;
          const lost = r.offset + 1 < first;
          return (
            <div
              key={`miss-${r.name}`}
              className={lost ? 'rl-axis-missed rl-axis-lost' : 'rl-axis-missed'}
              style={{ left: x(r.offset + 1), width: w(r.offset + 1, hi) }}
              title={`${r.name} ${t('missed')} ${r.offset + 1}…${hi}`}
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
          if (!p || p.result === 'nomasterlink' || r.name !== last) return null;
          const ok = p.result === 'continue';
          return (
            <span
              key={`ps-${r.name}`}
              className={ok ? 'rl-psync-mark rl-psync-ok' : 'rl-psync-mark rl-psync-bad'}
              style={{
                left: x(Math.max(lo, p.offset)),
                top: '-1.9em',
                transform: flip(Math.max(lo, p.offset)),
              }}
            >
              {ok ? '✔' : '✘'} {r.name} PSYNC {p.offset}{' '}
              {ok
                ? t('partial')
                : `${t('full')}${p.checks.some((c) => c.id === 'range' && !c.ok) ? ` (${t('outside')})` : ''}`}
            </span>
          );
        })}
      </div>
      <div style={{ height: `${1 + rows.length * 1.9}em` }} />
      <Gauge master={m} replicas={replicas} />
    </section>
  );
}

function Gauge({ master, replicas }: { master: ServerView; replicas: readonly ServerView[] }) {
  const store = useLabStore();
  const ref = useRef<HTMLParagraphElement>(null);
  const { t } = useT();
  const absorbs = t('absorbs');
  const noWrites = t('noWrites');
  const countdown = t('countdown');
  const overflowed = t('overflowed');
  useEffect(() => {
    const update = () => {
      const el = ref.current;
      if (!el) return;
      const rate = store.getState().writeRate();
      const size = master.backlogSize;
      const lines: string[] = [];
      lines.push(
        rate < 0.5
          ? `${absorbs}: ∞ (${noWrites})`
          : `${absorbs} ≈ ${formatDurationMs((size / rate) * 1000)} (${formatBytes(Math.round(rate))}/s)`,
      );
      const first = master.backlog ? master.backlog.first : master.offset + 1;
      for (const r of replicas) {
        if (r.link === 'online') continue;
        if (r.offset + 1 < first && master.offset > r.offset) {
          lines.push(`⚠ ${r.name} ${overflowed}`);
          continue;
        }
        if (r.net === 'up' && r.link !== 'down') continue;
        const left = size - (master.offset - r.offset);
        lines.push(
          rate < 0.5
            ? `${r.name}: ${countdown} ∞`
            : `${r.name} ${countdown} ${formatDurationMs((Math.max(0, left) / rate) * 1000)}`,
        );
      }
      const text = lines.join('\n');
      if (el.textContent !== text) el.textContent = text;
    };
    update();
    return store.getState().onFrame(update);
  }, [store, master, replicas, absorbs, noWrites, countdown, overflowed]);
  return <p className="rl-gauge" ref={ref} aria-live="off" />;
}
