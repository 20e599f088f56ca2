import { useCallback, useMemo, useRef, useState } from 'react';
import { selectServer, selectTimeouts, useFrame, useLab, useLabText } from '../store';
import type { KeyView, ServerView, TimeoutCountdown } from '../store';
import { fill, useT } from './i18n';
import { OffsetNumber } from './OffsetNumber';
import { flashOf, recentFirst } from './recentKeys';
import { ReplId } from './ReplId';
import { writeText } from './writeText';

/**
 * A key, its type and its value: one line each (beside the key when there is room), a click shows
 * the whole value, wrapped.
 */
function KeyRow({ k, flash }: { k: KeyView; flash: number | undefined }) {
  const [open, setOpen] = useState(false);
  const { t } = useT();
  return (
    <li className={flash ? 'rl-key rl-flash' : 'rl-key'} data-key={k.key}>
      <span className="rl-key-name" title={k.key}>
        {k.key}
      </span>
      <span className={`rl-key-type rl-type-${k.type}`}>{k.type}</span>
      <button
        type="button"
        className={open ? 'rl-key-val rl-key-open' : 'rl-key-val'}
        title={k.text}
        aria-expanded={open}
        aria-description={open ? undefined : t('showValue')}
        onClick={() => setOpen(!open)}
      >
        {k.text}
      </button>
    </li>
  );
}

/**
 * The first `limit` keys, most recently written first (the engine's keyspace events say which),
 * then the rest in key order.
 */
function useRecentKeys(s: ServerView | undefined, name: string, limit: number) {
  const flashes = useLabText((st) => st.flashes[name]);
  const keys = s?.keys;
  const ordered = useMemo(() => recentFirst(keys ?? [], flashes, limit), [keys, flashes, limit]);
  return { ordered, flashes };
}

/** Keys a compact card's tooltip names (then how many more). */
const TITLE_KEYS = 20;

/** The cut on a server's network, in words (null while it is up). */
function CutBadge({ s }: { s: ServerView }) {
  const { t } = useT();
  const cut =
    s.net === 'stopped'
      ? t('netStopped')
      : s.net === 'silent'
        ? t('netSilent')
        : s.net === 'down'
          ? t('netReset')
          : null;
  return cut ? (
    <span className="rl-cut-badge" data-testid={`cut-${s.name}`} data-net={s.net}>
      ✂ {cut}
    </span>
  ) : null;
}

function LinkBadge({ s }: { s: ServerView }) {
  const { link } = useT();
  return s.link ? (
    <span className={`rl-link rl-link-${s.link}`} data-testid={`link-${s.name}`}>
      {link(s.link)}
    </span>
  ) : null;
}

/** Seconds left, counting down (whole seconds, as Redis compares them). */
function secondsLeft(at: number, now: number): string {
  return `${Math.max(0, Math.ceil((at - now) / 1000))} s`;
}

/**
 * While a stopped or silent cut lasts, the repl-timeout countdowns this server runs: a replica's
 * "MASTER timeout", a master's dropping of the replica. Written once a frame, no re-render.
 */
function useCountdowns(name: string): readonly TimeoutCountdown[] {
  const all = useLab(selectTimeouts);
  return useMemo(
    () => all.filter((c) => (c.side === 'master' ? c.master === name : c.replica === name)),
    [all, name],
  );
}

function Countdowns({ mine }: { mine: readonly TimeoutCountdown[] }) {
  const refs = useRef(new Map<string, HTMLElement>());
  const { t } = useT();
  const masterTimeout = t('masterTimeoutIn');
  const drops = t('dropsIn');
  const text = useCallback(
    (c: TimeoutCountdown, now: number) =>
      c.side === 'replica'
        ? fill(masterTimeout, { t: secondsLeft(c.at, now) })
        : fill(drops, { r: c.replica, t: secondsLeft(c.at, now) }),
    [masterTimeout, drops],
  );
  const update = useCallback(
    (now: number) => {
      for (const c of mine) {
        const el = refs.current.get(`${c.side}:${c.replica}`);
        const s = text(c, now);
        if (el) writeText(el, s);
      }
    },
    [mine, text],
  );
  useFrame(update);
  if (mine.length === 0) return null;
  return (
    <>
      {mine.map((c) => (
        <p
          key={`${c.side}:${c.replica}`}
          className="rl-timeout"
          data-testid={`timeout-${c.side}-${c.replica}`}
          data-at={c.at}
          title={fill(t('timeoutTitle'), { n: c.timeout })}
          ref={(el) => {
            if (el) refs.current.set(`${c.side}:${c.replica}`, el);
            else refs.current.delete(`${c.side}:${c.replica}`);
          }}
        >
          ⏱
        </p>
      ))}
    </>
  );
}

/**
 * What a cut means on this card, across its whole width: the kind of cut, and the repl-timeout
 * countdowns it runs while nobody is told.
 */
function CardAlerts({ s }: { s: ServerView }) {
  const mine = useCountdowns(s.name);
  if (s.net === 'up' && mine.length === 0) return null;
  return (
    <div className="rl-card-alerts">
      <CutBadge s={s} />
      <Countdowns mine={mine} />
    </div>
  );
}

function Actions({ s, compact }: { s: ServerView; compact: boolean }) {
  const cutNetwork = useLab((st) => st.cutNetwork);
  const resetConnection = useLab((st) => st.resetConnection);
  const restoreNetwork = useLab((st) => st.restoreNetwork);
  const promote = useLab((st) => st.promote);
  const { t } = useT();
  const name = s.name;
  const cut = s.net !== 'up';
  // Each accessible name is the button's visible words and the server's name (WCAG 2.5.3: a
  // speech user says what they see), in the language on screen.
  return (
    <div className="rl-card-actions">
      {cut ? (
        <button
          type="button"
          className="rl-btn rl-btn-restore"
          aria-label={`${t('restore')} ${name}`}
          onClick={() => restoreNetwork(name)}
        >
          ⚡ {t('restore')}
        </button>
      ) : (
        <>
          <button
            type="button"
            className="rl-btn rl-btn-cut"
            aria-label={`${t('stopNetShort')} ${name}`}
            title={`${fill(t('stopNet'), { r: name })}: ${t('stopNetTitle')}`}
            onClick={() => cutNetwork(name)}
          >
            ✂ {t('stopNetShort')}
          </button>
          <button
            type="button"
            className="rl-btn rl-btn-cut rl-btn-reset-conn"
            aria-label={`${t('resetConnShort')} ${name}`}
            title={`${t('resetConn')}: ${t('resetConnTitle')}`}
            onClick={() => resetConnection(name)}
          >
            ⟲ {t('resetConnShort')}
          </button>
        </>
      )}
      {s.role === 'replica' && !compact ? (
        <button
          type="button"
          className="rl-btn"
          aria-label={`${t('promote')} ${name}`}
          onClick={() => promote(name)}
        >
          {t('promote')}
        </button>
      ) : null}
    </div>
  );
}

/** Restart and remove, as two small icon buttons (and Promote, on a compact card). */
function Tools({ s, promote }: { s: ServerView; promote: boolean }) {
  const restartServer = useLab((st) => st.restartServer);
  const removeReplica = useLab((st) => st.removeReplica);
  const promoteServer = useLab((st) => st.promote);
  const { t } = useT();
  const name = s.name;
  return (
    <>
      {promote && s.role === 'replica' ? (
        <button
          type="button"
          className="rl-btn"
          aria-label={`${t('promote')} ${name}`}
          onClick={() => promoteServer(name)}
        >
          {t('promote')}
        </button>
      ) : null}
      <button
        type="button"
        className="rl-btn"
        aria-label={`Restart ${name}`}
        title={`${t('restart')} ${name}`}
        onClick={() => restartServer(name)}
      >
        ↻
      </button>
      <button
        type="button"
        className="rl-btn rl-btn-ghost"
        aria-label={`Remove ${name}`}
        title={`${t('removeReplica')} ${name}`}
        onClick={() => removeReplica(name)}
      >
        ✕
      </button>
    </>
  );
}

function Ids({ s, compact }: { s: ServerView; compact: boolean }) {
  return (
    <dl className="rl-ids">
      <dt>master_replid</dt>
      <dd>
        <ReplId id={s.replid} label="master_replid" />
      </dd>
      {compact && s.secondOffset < 0 ? null : (
        <>
          <dt>master_replid2</dt>
          <dd>
            <ReplId id={s.replid2} label="master_replid2" />
            {s.secondOffset >= 0 ? <span className="rl-muted"> ≤ {s.secondOffset}</span> : null}
          </dd>
        </>
      )}
    </dl>
  );
}

export function ServerCard({ name }: { name: string }) {
  // A card is text (its offset counts up on its own, every frame): ten times a second is enough.
  const s = useLabText(selectServer(name));
  const isMain = useLab((st) => st.mainMaster === name);
  // With two or more replicas each replica card is compact (only its latest key), so every card
  // fits above the fold at 1280×720; the main master spans all rows and lists more keys.
  const many = useLab((st) => st.servers.length > 2);
  const compact = many && !isMain;
  const maxKeys = many ? 7 : 4;
  const { ordered, flashes } = useRecentKeys(s, name, compact ? TITLE_KEYS : maxKeys);
  const { t } = useT();
  if (!s) return null;
  const cut = s.net !== 'up';
  const cls = `rl-card rl-card-${s.role}${cut ? ' rl-card-cut' : ''}${compact ? ' rl-card-compact' : ''}`;
  const role = (
    <span className={`rl-role rl-role-${s.role}`}>
      {s.role === 'master' ? t('master') : t('replica')}
    </span>
  );
  const offset = (
    <div className="rl-offset">
      <span className="rl-field-label">{t('offset')}</span>
      <OffsetNumber name={name} />
    </div>
  );
  const latest = ordered[0];

  if (compact)
    return (
      <section className={cls} aria-label={`${name} panel`} data-testid={`server-${name}`}>
        <header className="rl-card-head">
          <h2 className="rl-card-name" title={s.addr}>
            {name}
          </h2>
          {/* A compact card is a replica's: its role shows only when it is not one. */}
          {s.role === 'replica' ? null : role}
          <LinkBadge s={s} />
          <span className="rl-card-tools">
            <Tools s={s} promote />
          </span>
        </header>
        <div className="rl-compact-body">
          {offset}
          <Ids s={s} compact />
        </div>
        <CardAlerts s={s} />
        {latest ? (
          <div className="rl-latest">
            <span
              className="rl-field-label rl-latest-label"
              title={
                ordered.map((k) => k.key).join(' ') +
                (s.keys.length > ordered.length ? ` … +${s.keys.length - ordered.length}` : '')
              }
            >
              {t('keyspace')} ({s.keys.length})
              {flashOf(flashes, latest.key) ? ` · ${t('latest')}` : ''}
            </span>
            <ul className="rl-keys" aria-label={`${name} latest key`}>
              <KeyRow
                key={`${latest.db}:${latest.key}:${flashOf(flashes, latest.key) ?? 0}`}
                k={latest}
                flash={flashOf(flashes, latest.key)}
              />
            </ul>
          </div>
        ) : null}
        <Actions s={s} compact />
      </section>
    );

  return (
    <section className={cls} aria-label={`${name} panel`} data-testid={`server-${name}`}>
      <header className="rl-card-head">
        <h2 className="rl-card-name">{name}</h2>
        {role}
        <span className="rl-addr">{s.addr}</span>
        {!isMain ? (
          <span className="rl-card-tools">
            <Tools s={s} promote={false} />
          </span>
        ) : null}
      </header>
      <CardAlerts s={s} />
      <div className="rl-card-body">
        <div className="rl-card-state">
          {offset}
          <Ids s={s} compact={false} />
          {s.link ? (
            <p className="rl-link-row">
              <span className="rl-field-label">{t('link')}</span>
              <LinkBadge s={s} />
            </p>
          ) : null}
          {s.masterAddr ? (
            <p className="rl-muted rl-small">
              {t('replicaOf')} {s.masterName ?? s.masterAddr}
            </p>
          ) : null}
        </div>
        <div className="rl-keyspace">
          <h3 className="rl-sub">
            {t('keyspace')} <span className="rl-muted">({s.keys.length})</span>
          </h3>
          {s.keys.length === 0 ? (
            <p className="rl-muted">{t('noKeys')}</p>
          ) : (
            <ul className="rl-keys" aria-label={`${name} keys, most recent first`}>
              {ordered.slice(0, maxKeys).map((k) => (
                <KeyRow
                  key={`${k.db}:${k.key}:${flashOf(flashes, k.key) ?? 0}`}
                  k={k}
                  flash={flashOf(flashes, k.key)}
                />
              ))}
              {s.keys.length > maxKeys ? (
                <li className="rl-muted">… +{s.keys.length - maxKeys}</li>
              ) : null}
            </ul>
          )}
        </div>
        {!isMain ? <Actions s={s} compact={false} /> : null}
      </div>
    </section>
  );
}
