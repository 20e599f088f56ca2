import { useReducedMotion } from 'framer-motion';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { ReactNode, RefObject } from 'react';
import {
  bytesProgress,
  DROP_FADE_MS,
  formatBytes,
  messageProgress,
  messagesBetween,
  selectServer,
  useFrame,
  useLab,
} from '../store';
import type { StreamView, WireMessage } from '../store';
import { useT } from './i18n';

function visibleResp(resp: string): string {
  return resp.replaceAll('\r\n', '\\r\\n');
}

function packetClass(m: WireMessage): string {
  if (m.kind === 'RDB') return m.label.startsWith('RDB ') ? 'rl-pk rl-pk-rdb' : 'rl-pk rl-pk-small';
  switch (m.kind) {
    case 'STREAM':
      return 'rl-pk rl-pk-stream';
    case 'PSYNC':
      return 'rl-pk rl-pk-psync';
    case 'FULLRESYNC':
      return 'rl-pk rl-pk-full';
    case 'CONTINUE':
      return 'rl-pk rl-pk-continue';
    case 'ERR':
      return 'rl-pk rl-pk-err';
    default:
      return 'rl-pk rl-pk-small';
  }
}

/** Reduced motion: packets jump between this many + 1 fixed stops instead of sliding. */
const STOPS = 4;

/** A short, readable label: the box is small and a label must never need an ellipsis. */
function packetText(m: WireMessage, view: StreamView): string {
  if (m.kind === 'STREAM') {
    if (view === 'resp' && m.resp) return visibleResp(m.resp);
    const cmds = m.label.split('; ');
    const head = (cmds[0] ?? '').split(' ').slice(0, 2).join(' ');
    const short = head.length > 18 ? `${head.slice(0, 17)}…` : head;
    return cmds.length > 1 ? `${short} +${cmds.length - 1}` : short;
  }
  if (m.kind === 'RDB' && m.label.startsWith('RDB ')) return `RDB ${formatBytes(m.bytes)}`;
  if (m.kind === 'ACK') return m.label.replace('REPLCONF ', '');
  if (m.kind === 'FULLRESYNC' || m.kind === 'CONTINUE' || m.kind === 'PSYNC') {
    const parts = m.label.split(' ');
    return parts.map((p) => (p.length > 20 ? `${p.slice(0, 6)}…` : p)).join(' ');
  }
  if (m.kind === 'REPLCONF') return m.label.includes('capa') ? 'REPLCONF capa' : 'REPLCONF port';
  return m.label;
}

/** Full text for the packet's accessible name. */
function packetTitle(m: WireMessage): string {
  return `${m.label} (${formatBytes(m.bytes)})`;
}

/** One message on the wire; its position and opacity are written each frame through `refs`. */
function Packet({
  m,
  view,
  refs,
  children,
}: {
  m: WireMessage;
  view: StreamView;
  refs: RefObject<Map<number, HTMLDivElement>>;
  children?: ReactNode;
}) {
  return (
    <div
      ref={(el) => {
        if (el) refs.current.set(m.id, el);
        else refs.current.delete(m.id);
      }}
      className={`${packetClass(m)}${m.droppedAt !== null ? ' rl-pk-dropped' : ''}`}
      style={{ opacity: 0 }}
      title={packetTitle(m)}
    >
      <span className="rl-pk-label">{packetText(m, view)}</span>
      {children}
    </div>
  );
}

/** The link between the main master and one replica, with its messages in flight. */
export function Wire({ replica }: { replica: string }) {
  const master = useLab((s) => s.mainMaster);
  const all = useLab((s) => s.messages);
  const view = useLab((s) => s.streamView);
  const r = useLab(selectServer(replica));
  const toggleNetwork = useLab((s) => s.toggleNetwork);
  const { t } = useT();
  const msgs = useMemo(() => messagesBetween(all, master, replica), [all, master, replica]);
  const refs = useRef(new Map<number, HTMLDivElement>());
  const bars = useRef(new Map<number, HTMLElement>());
  const widths = useRef(new Map<number, number>());
  const wireRef = useRef<HTMLDivElement>(null);
  const reduce = useReducedMotion() ?? false;

  useEffect(() => {
    const live = new Set(msgs.map((m) => m.id));
    for (const id of widths.current.keys()) if (!live.has(id)) widths.current.delete(id);
  }, [msgs]);
  const place = useCallback(
    (now: number) => {
      const laneWidth = wireRef.current?.clientWidth ?? 0;
      for (const m of msgs) {
        const el = refs.current.get(m.id);
        if (!el) continue;
        let w = widths.current.get(m.id);
        if (w === undefined) {
          w = el.offsetWidth;
          widths.current.set(m.id, w);
        }
        let p = messageProgress(m, now);
        if (reduce) {
          const stop = Math.round(p * STOPS);
          p = stop / STOPS;
          el.dataset.stop = String(stop);
        } else delete el.dataset.stop;
        const x = m.from === master ? p : 1 - p;
        el.style.transform = `translate(${Math.round(x * Math.max(0, laneWidth - w))}px, -50%)`;
        const visible = now >= m.sendAt;
        let opacity = visible ? 1 : 0;
        if (m.droppedAt !== null && now > m.droppedAt)
          opacity = Math.max(0, 1 - (now - m.droppedAt) / DROP_FADE_MS);
        el.style.opacity = String(opacity);
        const bar = bars.current.get(m.id);
        if (bar) bar.style.width = `${Math.round(bytesProgress(m, now) * 100)}%`;
      }
    },
    [msgs, master, reduce],
  );
  useFrame(place);

  const cut = r ? r.net !== 'up' : false;
  const linked = r?.masterName === master;
  const down = cut || !linked;
  const rdb = msgs.find((m) => m.kind === 'RDB' && m.label.startsWith('RDB '));
  return (
    <div
      ref={wireRef}
      className={`rl-wire${down ? ' rl-wire-down' : ''}${cut ? ' rl-wire-cut' : ''}`}
      role="button"
      tabIndex={0}
      aria-label={`Link ${master} to ${replica}`}
      title={t('wireTitle')}
      data-testid={`wire-${replica}`}
      onClick={() => toggleNetwork(replica)}
      onKeyDown={(e) => {
        // Enter or Space on the focused wire: stop / restore the replica's network.
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          e.stopPropagation();
          toggleNetwork(replica);
        }
      }}
    >
      <div className="rl-wire-line rl-wire-line-a" />
      <div className="rl-wire-line rl-wire-line-b" />
      {cut ? (
        <div className="rl-wire-cutmark" aria-hidden="true">
          ✂
        </div>
      ) : null}
      <div className="rl-lane rl-lane-down">
        {msgs
          .filter((m) => m.from === master)
          .map((m) => (
            <Packet key={m.id} m={m} view={view} refs={refs}>
              {m.kind === 'STREAM' || (m.kind === 'RDB' && m !== rdb) ? (
                <span className="rl-pk-bytes">{formatBytes(m.bytes)}</span>
              ) : null}
              {m === rdb ? (
                <span className="rl-pk-progress">
                  <span
                    className="rl-pk-bar"
                    ref={(el) => {
                      if (el) bars.current.set(m.id, el);
                      else bars.current.delete(m.id);
                    }}
                  />
                </span>
              ) : null}
            </Packet>
          ))}
      </div>
      <div className="rl-lane rl-lane-up">
        {msgs
          .filter((m) => m.from !== master)
          .map((m) => (
            <Packet key={m.id} m={m} view={view} refs={refs} />
          ))}
      </div>
    </div>
  );
}
