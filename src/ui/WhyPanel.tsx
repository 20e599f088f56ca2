import { useState } from 'react';
import { formatBytes, formatDurationMs, useLab } from '../store';
import type { PsyncDecision } from '../store';
import { checkDetail, fill, useT, type TKey } from './i18n';
import { lazyPanel } from './lazyPanel';

const Lineage = lazyPanel(() => import('./Lineage').then((m) => m.Lineage));

const ORDER: ReadonlyArray<{ id: 'replid' | 'backlog' | 'range'; key: TKey }> = [
  { id: 'replid', key: 'checkReplid' },
  { id: 'backlog', key: 'checkBacklog' },
  { id: 'range', key: 'checkRange' },
];

/** 40-hex replication IDs shortened to 8 characters (the full text goes in a title). */
function shortIds(text: string): string {
  return text.replace(/\b[0-9a-f]{40}\b/g, (id) => `${id.slice(0, 8)}…`);
}

/** Why a first sync's ID check failed, in words (the engine's check reason says which case). */
function firstSyncReason(d: PsyncDecision, t: (k: TKey) => string): string {
  const c = d.checks.find((x) => x.id === 'replid');
  return fill(t(c?.reason.k === 'no-replid' ? 'firstSyncNoId' : 'firstSyncOwnId'), {
    r: d.replica,
  });
}

function Decision({ d }: { d: PsyncDecision }) {
  const { t, lang } = useT();
  const cost = useLab((s) => s.costs[d.replica]);
  const firstFail = d.checks.find((c) => !c.ok)?.id;
  const ok = d.result === 'continue';
  const first = d.firstSync;
  const ended = d.endedAt !== null;
  return (
    <div
      className={`rl-why-body${ended ? ' rl-why-ended' : ''}`}
      data-testid="psync-decision"
      data-replica={d.replica}
      data-first-sync={first}
      data-ended={ended}
    >
      {ended ? (
        <p className="rl-why-note rl-why-ended-note" data-testid="psync-ended">
          {fill(t('decisionEnded'), { r: d.replica })}
        </p>
      ) : null}
      <p className="rl-why-ask">
        <strong>{d.replica}</strong> → PSYNC{' '}
        <span className="rl-mono" title={d.replid}>
          {d.replid === '?' ? '?' : `${d.replid.slice(0, 8)}…`}
        </span>{' '}
        <span className="rl-mono">{d.offset}</span>
      </p>
      <ol className="rl-checks">
        {ORDER.map(({ id, key }) => {
          const c = d.checks.find((x) => x.id === id);
          // A first sync's ID check fails as it must: neutral, not a failure.
          const expected = first && id === 'replid' && !!c && !c.ok;
          const cls = !c
            ? 'rl-check rl-check-skip'
            : c.ok
              ? 'rl-check rl-check-ok'
              : expected
                ? 'rl-check rl-check-first'
                : id === firstFail
                  ? 'rl-check rl-check-fail'
                  : 'rl-check rl-check-bad';
          return (
            <li key={id} className={cls} data-testid={`check-${id}`}>
              <span className="rl-check-icon" aria-hidden="true">
                {!c ? '–' : c.ok ? '✔' : expected ? '•' : '✘'}
              </span>
              <span className="rl-check-text">
                <span className="rl-check-name">
                  {t(key)} —{' '}
                  {!c
                    ? t('notChecked')
                    : c.ok
                      ? t('passed')
                      : expected
                        ? t('expectedNo')
                        : t('failed')}
                </span>
                {expected ? (
                  // The reason in words; the IDs compared are in the title.
                  <span
                    className="rl-check-detail rl-why-first"
                    data-testid="first-sync"
                    title={checkDetail(c.reason, lang)}
                  >
                    {firstSyncReason(d, t)}
                  </span>
                ) : c ? (
                  <span className="rl-check-detail" title={c.detail}>
                    {checkDetail(c.reason, lang)}
                  </span>
                ) : null}
              </span>
            </li>
          );
        })}
      </ol>
      <p
        className={
          ok ? 'rl-reply rl-reply-ok' : first ? 'rl-reply rl-reply-first' : 'rl-reply rl-reply-full'
        }
        data-testid="psync-reply"
      >
        <span className="rl-field-label">{t('reply')}</span>{' '}
        <span className="rl-mono" title={d.reply}>
          {shortIds(d.reply)}
        </span>{' '}
        <span className="rl-reply-kind">
          {ok
            ? t('partial')
            : d.result === 'fullresync' || d.result === 'dualchannelsync'
              ? first
                ? t('fullExpected')
                : t('full')
              : ''}
        </span>
      </p>
      {cost && cost.at >= d.at ? (
        <p className="rl-cost" data-testid="resync-cost">
          {t('cost')}: {cost.kind === 'full' ? t('full') : t('partial')} · {formatBytes(cost.bytes)}{' '}
          {t('sent')} · {t('online')} {formatDurationMs(cost.ms)}
        </p>
      ) : null}
    </div>
  );
}

export function WhyPanel() {
  const last = useLab((s) => s.lastPsync);
  const all = useLab((s) => s.psync);
  const [pick, setPick] = useState<string | null>(null);
  const { t } = useT();
  const names = Object.keys(all).sort();
  const d = (pick ? all[pick] : undefined) ?? last;
  return (
    // A Tab stop: when the checks outgrow the column it scrolls, with the arrows too.
    <section className="rl-panel rl-why" aria-label="Why partial or full" tabIndex={0}>
      <h2 className="rl-panel-title">{t('why')}</h2>
      {names.length > 1 ? (
        <div className="rl-seg" role="group" aria-label="PSYNC of replica">
          {names.map((n) => (
            <button
              key={n}
              type="button"
              className="rl-seg-btn"
              aria-pressed={d?.replica === n}
              onClick={() => setPick(n)}
            >
              {n}
            </button>
          ))}
        </div>
      ) : null}
      <Lineage d={d ?? null} />
      {d ? <Decision d={d} /> : <p className="rl-muted">{t('noPsync')}</p>}
    </section>
  );
}
