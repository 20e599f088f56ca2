import { useMemo, useState } from 'react';
import { selectMaster, streamRows, useLab } from '../store';
import type { StreamRow } from '../store';
import { useT } from './i18n';
import './i18n.later';

/** Rows shown at most (the latest ones). */
const MAX_ROWS = 6;
/** RESP text longer than this is cut in the table (the byte count stays whole). */
const MAX_RESP = 90;

const visible = (resp: string) => resp.replaceAll('\r\n', '\\r\\n');

/**
 * In the RESP view: the replication stream's bytes next to the commands they encode, each with
 * its offset and size, so a student sees offsets count bytes (97 + 23 = 120). Shows what is on the
 * wires now, or the last commands that were.
 */
export function RespPanel() {
  const view = useLab((s) => s.streamView);
  const messages = useLab((s) => s.messages);
  const masterName = useLab((s) => s.mainMaster);
  const masterOffset = useLab((s) => selectMaster(s)?.offset ?? 0);
  const { t } = useT();
  const rows = useMemo(() => streamRows(messages, masterName), [messages, masterName]);
  // Once they arrive, the last commands stay on show (until the stream is reset).
  const [kept, setKept] = useState<readonly StreamRow[]>(rows);
  if (rows.length > 0 && rows !== kept) setKept(rows);
  if (view !== 'resp') return null;
  const last = kept[kept.length - 1];
  const stale = !last || last.off + last.bytes - 1 > masterOffset;
  const shown = stale ? [] : kept.slice(-MAX_ROWS);
  const onWire = rows.length > 0;
  return (
    <section className="rl-panel rl-resp" aria-label={t('respTitle')} data-testid="resp-panel">
      <h2 className="rl-panel-title">
        {t('respTitle')}{' '}
        <span className="rl-muted rl-normal rl-small">
          {onWire ? t('respOnWire') : shown.length ? t('respLast') : ''}
        </span>
      </h2>
      {shown.length === 0 ? (
        <p className="rl-muted">{t('respEmpty')}</p>
      ) : (
        <table className="rl-resp-table">
          <thead>
            <tr>
              <th scope="col">offset</th>
              <th scope="col">RESP</th>
              <th scope="col">{t('respCommand')}</th>
              <th scope="col">B</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => {
              const resp = visible(r.resp);
              return (
                <tr key={r.off}>
                  <td className="rl-resp-off">{r.off}</td>
                  <td className="rl-resp-bytes" title={resp}>
                    {resp.length > MAX_RESP ? `${resp.slice(0, MAX_RESP - 1)}…` : resp}
                  </td>
                  <td className="rl-resp-cmd">{r.argv.join(' ')}</td>
                  <td className="rl-resp-len">{r.bytes}</td>
                </tr>
              );
            })}
            {last && !stale ? (
              <tr className="rl-resp-next">
                <td className="rl-resp-off">{last.off + last.bytes}</td>
                <td colSpan={3}>
                  {t('respNext')} = {last.off} + {last.bytes}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      )}
    </section>
  );
}
