import type { CSSProperties } from 'react';
import { replidHue, useLab, ZERO_ID, type PsyncDecision, type ServerView } from '../store';
import { fill, useT } from './i18n';
import './i18n.later';
import { ReplId } from './ReplId';

/** What one server's row draws: its two IDs along the offset axis. */
interface Row {
  readonly name: string;
  /** master_replid2 up to second_repl_offset, when the server has one. */
  readonly old: { readonly id: string; readonly upTo: number } | null;
  readonly id: string;
  readonly offset: number;
}

const rowOf = (s: ServerView): Row => ({
  name: s.name,
  old: s.replid2 !== ZERO_ID ? { id: s.replid2, upTo: s.secondOffset } : null,
  id: s.replid,
  offset: s.offset,
});

/** The rows' contents as a string: the chart re-renders only when an ID or offset moves. */
const selectRows = (s: { servers: readonly ServerView[] }): string =>
  // Most runs never switch IDs: then there is no chart, and nothing to compare each frame.
  s.servers.some((x) => x.alive && x.replid2 !== ZERO_ID)
    ? JSON.stringify(s.servers.filter((x) => x.alive).map(rowOf))
    : '[]';

const hue = (id: string) => ({ '--id-hue': String(replidHue(id)) }) as CSSProperties;

/**
 * Replication-ID lineage: each server's two IDs along the offset axis — the old history
 * (master_replid2) up to second_repl_offset, then its own (master_replid) up to its
 * master_repl_offset — and the PSYNC being explained, drawn on the server that answered it. It
 * shows why a promoted replica accepts a PSYNC for its old ID below the switch and refuses one
 * past it. Shown once some server has a second ID (after a promotion or a restart).
 */
export function Lineage({ d }: { d: PsyncDecision | null }) {
  const { t } = useT();
  const rows = JSON.parse(useLab(selectRows)) as Row[];
  if (!rows.some((r) => r.old)) return null;
  const end = Math.max(1, ...rows.map((r) => r.offset), d?.offset ?? 0);
  const pct = (x: number) => `${(Math.min(end, Math.max(0, x)) / end) * 100}%`;
  return (
    <figure className="rl-lineage" data-testid="lineage">
      <figcaption className="rl-lineage-title">{t('lineage')}</figcaption>
      {rows.map((r) => {
        const from = r.old ? r.old.upTo : 0;
        const asked = d && d.master === r.name ? d : null;
        return (
          <div
            key={r.name}
            className={`rl-lineage-row${asked ? ' rl-lineage-asked' : ''}${r.old ? ' rl-lineage-switched' : ''}`}
            data-server={r.name}
          >
            <span className="rl-lineage-name">{r.name}</span>
            <span className="rl-lineage-track">
              {r.old ? (
                <span
                  className="rl-lineage-seg"
                  style={{ ...hue(r.old.id), left: 0, width: pct(r.old.upTo) }}
                  title={fill(t('lineageOld'), { id: r.old.id, n: r.old.upTo })}
                >
                  <ReplId id={r.old.id} />
                </span>
              ) : null}
              <span
                className="rl-lineage-seg"
                style={{
                  ...hue(r.id),
                  left: pct(from),
                  width: `calc(${pct(r.offset)} - ${pct(from)})`,
                }}
                title={fill(t('lineageNow'), { id: r.id, n: r.offset })}
              >
                <ReplId id={r.id} />
              </span>
              {r.old ? (
                <span className="rl-lineage-cut" style={{ left: pct(r.old.upTo) }}>
                  ≤ {r.old.upTo}
                </span>
              ) : null}
              {asked ? (
                <span
                  className={`rl-lineage-ask ${asked.result === 'continue' ? 'rl-ok' : 'rl-bad'}`}
                  style={{ left: pct(asked.offset) }}
                  data-testid="lineage-ask"
                >
                  {asked.result === 'continue' ? '✔' : '✘'} {asked.replica} {asked.offset}
                </span>
              ) : null}
            </span>
          </div>
        );
      })}
    </figure>
  );
}
