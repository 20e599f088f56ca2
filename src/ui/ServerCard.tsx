import { selectServer, useLab } from '../store';
import type { KeyView, ServerView } from '../store';
import { useT } from './i18n';
import { OffsetNumber } from './OffsetNumber';
import { ReplId } from './ReplId';

function KeyRow({ k, flash }: { k: KeyView; flash: number | undefined }) {
  return (
    <li key={`${k.key}:${flash ?? 0}`} className={flash ? 'rl-key rl-flash' : 'rl-key'}>
      <span className="rl-key-name" title={k.key}>
        {k.key}
      </span>
      <span className={`rl-key-type rl-type-${k.type}`}>{k.type}</span>
      <span className="rl-key-val" title={k.text}>
        {k.text}
      </span>
    </li>
  );
}

function LinkBadge({ s }: { s: ServerView }) {
  const { t, link } = useT();
  const cut = s.net !== 'up';
  return (
    <>
      {s.link ? (
        <span className={`rl-link rl-link-${s.link}`} data-testid={`link-${s.name}`}>
          {link(s.link)}
        </span>
      ) : null}
      {cut ? <span className="rl-cut-badge">✂ {t('netDown')}</span> : null}
    </>
  );
}

function Actions({ s }: { s: ServerView }) {
  const toggleNetwork = useLab((st) => st.toggleNetwork);
  const promote = useLab((st) => st.promote);
  const restartServer = useLab((st) => st.restartServer);
  const removeReplica = useLab((st) => st.removeReplica);
  const { t } = useT();
  const name = s.name;
  const cut = s.net !== 'up';
  return (
    <div className="rl-card-actions">
      <button
        type="button"
        className={cut ? 'rl-btn rl-btn-restore' : 'rl-btn rl-btn-cut'}
        aria-label={`${cut ? t('restore') : t('cut')} ${name}`}
        onClick={() => toggleNetwork(name)}
      >
        {cut ? `⚡ ${t('restore')}` : `✂ ${t('cut')}`}
      </button>
      {s.role === 'replica' ? (
        <button
          type="button"
          className="rl-btn"
          aria-label={`${t('promote')} ${name}`}
          onClick={() => promote(name)}
        >
          {t('promote')}
        </button>
      ) : null}
      <button
        type="button"
        className="rl-btn"
        aria-label={`${t('restart')} ${name}`}
        title={`${t('restart')} ${name}`}
        onClick={() => restartServer(name)}
      >
        ↻
      </button>
      <button
        type="button"
        className="rl-btn rl-btn-ghost"
        aria-label={`${t('removeReplica')} ${name}`}
        title={`${t('removeReplica')} ${name}`}
        onClick={() => removeReplica(name)}
      >
        ✕
      </button>
    </div>
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
  const s = useLab(selectServer(name));
  const flashes = useLab((st) => st.flashes[name]);
  const isMain = useLab((st) => st.mainMaster === name);
  // With two or more replicas each replica card is compact (no keyspace list), so every card
  // fits above the fold at 1280×720; the main master spans all rows and lists more keys.
  const many = useLab((st) => st.servers.length > 2);
  const compact = many && !isMain;
  const maxKeys = many ? 7 : 4;
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

  if (compact)
    return (
      <section className={cls} aria-label={`${name} panel`} data-testid={`server-${name}`}>
        <header className="rl-card-head">
          <h2 className="rl-card-name" title={s.addr}>
            {name}
          </h2>
          {role}
          <LinkBadge s={s} />
          <span className="rl-muted rl-key-count" title={s.keys.map((k) => k.key).join(' ')}>
            {t('keyspace')} ({s.keys.length})
          </span>
        </header>
        <div className="rl-compact-body">
          {offset}
          <Ids s={s} compact />
        </div>
        <Actions s={s} />
      </section>
    );

  return (
    <section className={cls} aria-label={`${name} panel`} data-testid={`server-${name}`}>
      <header className="rl-card-head">
        <h2 className="rl-card-name">{name}</h2>
        {role}
        <span className="rl-addr">{s.addr}</span>
      </header>
      <div className="rl-card-body">
        <div className="rl-card-state">
          {offset}
          <Ids s={s} compact={false} />
          {s.link || cut ? (
            <p className="rl-link-row">
              {s.link ? <span className="rl-field-label">{t('link')}</span> : null}
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
            <ul className="rl-keys">
              {s.keys.slice(0, maxKeys).map((k) => (
                <KeyRow
                  key={`${k.db}:${k.key}:${flashes?.[k.key] ?? 0}`}
                  k={k}
                  flash={flashes?.[k.key]}
                />
              ))}
              {s.keys.length > maxKeys ? (
                <li className="rl-muted">… +{s.keys.length - maxKeys}</li>
              ) : null}
            </ul>
          )}
        </div>
        {!isMain ? <Actions s={s} /> : null}
      </div>
    </section>
  );
}
