import { memo, useCallback, useEffect, useMemo, useRef } from 'react';
import type { RefObject } from 'react';
import { useReducedMotion } from './motion';
import {
  bytesProgress,
  channelMessages,
  DROP_FADE_MS,
  messageProgress,
  reconnectInfo,
  selectServer,
  useFrame,
  useLab,
  useLabStore,
} from '../store';
import type { StreamView, WireMessage } from '../store';
import { fill, useT } from './i18n';
import { packetText, type PacketText, type WireWords } from './wireLabels';
import { layoutLane, type LaneItem } from './wireLayout';
import './wire.css';

function packetClass(m: WireMessage): string {
  switch (m.kind) {
    case 'RDB':
      return m.label.startsWith('$') ? 'rl-pk rl-pk-small' : 'rl-pk rl-pk-rdb';
    case 'STREAM':
      return m.backlogSlice ? 'rl-pk rl-pk-stream rl-pk-slice' : 'rl-pk rl-pk-stream';
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
/** Px between two packets, and between a packet and the wire's ends. */
const GAP = 4;

interface Drawn {
  readonly m: WireMessage;
  readonly text: PacketText;
}

/** One message on the wire; its place, visibility and progress are written each frame. */
function Packet({
  d,
  refs,
  bars,
}: {
  d: Drawn;
  refs: RefObject<Map<number, HTMLDivElement>>;
  bars: RefObject<Map<number, HTMLElement>>;
}) {
  const { m, text } = d;
  return (
    <div
      ref={(el) => {
        if (el) refs.current.set(m.id, el);
        else refs.current.delete(m.id);
      }}
      className={packetClass(m)}
      style={{ opacity: 0, visibility: 'hidden' }}
      title={text.title}
      data-msg-id={m.id}
      onClick={(e) => e.stopPropagation()}
    >
      {text.lines.map((line, i) => (
        <span key={i} className={i === 0 ? 'rl-pk-label' : 'rl-pk-sub'}>
          {line.map((c, j) => (
            <span key={j}>
              {j > 0 ? ' ' : null}
              <span className={`rl-pk-chunk rl-pk-${c.kind}`}>{c.text}</span>
            </span>
          ))}
        </span>
      ))}
      {text.progress ? (
        <span className="rl-pk-meter">
          <span className="rl-pk-progress">
            <span className="rl-pk-bar" />
          </span>
          <span
            className="rl-pk-pct"
            ref={(el) => {
              if (el) bars.current.set(m.id, el);
              else bars.current.delete(m.id);
            }}
          >
            0%
          </span>
        </span>
      ) : null}
    </div>
  );
}

/** What the frame callback knows of the wire's geometry, measured only when something resized. */
interface Geometry {
  width: number;
  height: number;
  yDown: number;
  yUp: number;
  readonly sizes: Map<number, { w: number; h: number }>;
  readonly chips: [{ w: number; h: number }, { w: number; h: number }];
}

/** Sets a style or attribute only when it changes (a frame writes nothing it wrote before). */
function setStyle(el: HTMLElement, prop: 'transform' | 'visibility' | 'opacity', v: string) {
  if (el.style[prop] !== v) el.style[prop] = v;
}
function setData(el: HTMLElement, key: string, v: string | undefined) {
  if (el.dataset[key] === v) return;
  if (v === undefined) delete el.dataset[key];
  else el.dataset[key] = v;
}

/** Packet texts by message, so an unchanged message keeps its object (and its Packet render). */
const texts = new WeakMap<WireMessage, { key: string; drawn: Drawn | null }>();
function drawnOf(m: WireMessage, view: StreamView, words: WireWords): Drawn | null {
  const key = `${view}|${words.backlog}|${words.fromOffset}|${words.more}`;
  const hit = texts.get(m);
  if (hit && hit.key === key) return hit.drawn;
  const text = packetText(m, view, words);
  const drawn = text ? { m, text } : null;
  texts.set(m, { key, drawn });
  return drawn;
}

const MemoPacket = memo(Packet);

/**
 * The link between one replica and its master, with its messages in flight. Its master is
 * usually the server drawn on the left; in a chain (or while a failover moves the replicas) it
 * is another row's server, which the wire names.
 *
 * `channel="rdb"`: Valkey's rdb channel, the second connection of a dual-channel sync, drawn as a
 * thinner lane under the main wire while it is open or has messages in flight (the RDB); the
 * main wire then carries the writes made meanwhile.
 */
export function Wire({ replica, channel = 'main' }: { replica: string; channel?: 'main' | 'rdb' }) {
  const rdb = channel === 'rdb';
  const main = useLab((s) => s.mainMaster);
  const upstream = useLab((s) => selectServer(replica)(s)?.masterName ?? null);
  const master = upstream ?? main;
  const all = useLab((s) => s.messages);
  const view = useLab((s) => s.streamView);
  const log = useLab((s) => s.logs[replica]);
  const r = useLab(selectServer(replica));
  const toggleNetwork = useLab((s) => s.toggleNetwork);
  const { t } = useT();
  const words: WireWords = useMemo(
    () => ({ backlog: t('wireBacklog'), fromOffset: t('wireFromOffset'), more: t('wireMore') }),
    [t],
  );
  const drawn = useMemo(() => {
    const out: Drawn[] = [];
    for (const m of channelMessages(all, master, replica, rdb)) {
      const d = drawnOf(m, view, words);
      if (d) out.push(d);
    }
    return out;
  }, [all, master, replica, view, words, rdb]);
  const refs = useRef(new Map<number, HTMLDivElement>());
  const bars = useRef(new Map<number, HTMLElement>());
  const wireRef = useRef<HTMLDivElement>(null);
  const lineDown = useRef<HTMLDivElement>(null);
  const lineUp = useRef<HTMLDivElement>(null);
  const moreDown = useRef<HTMLDivElement>(null);
  const moreUp = useRef<HTMLDivElement>(null);
  const geo = useRef<Geometry>({
    width: 0,
    height: 0,
    yDown: 0,
    yUp: 0,
    sizes: new Map(),
    chips: [
      { w: 0, h: 0 },
      { w: 0, h: 0 },
    ],
  });
  const reduce = useReducedMotion();
  const moreWord = t('wireMore');

  /**
   * Places every packet at simulated time `now`. Runs every frame: it reads no layout (sizes come
   * from the ResizeObserver below) and writes only what changed.
   */
  const place = useCallback(
    (now: number) => {
      const g = geo.current;
      if (g.height === 0) return;
      const width = g.width - 2 * GAP;
      const chips = [moreDown.current, moreUp.current];
      const lanes = [
        { down: true, y: g.yDown, outward: g.yDown - GAP, chip: 0 },
        { down: false, y: g.yUp, outward: g.height - g.yUp - GAP, chip: 1 },
      ] as const;
      for (const lane of lanes) {
        const inLane = drawn
          .filter((d) => (d.m.from === master) === lane.down && now >= d.m.sendAt)
          .sort((a, b) => a.m.startAt - b.m.startAt || a.m.id - b.m.id);
        const items: LaneItem[] = [];
        for (const d of inLane) {
          const s = g.sizes.get(d.m.id);
          const el = refs.current.get(d.m.id);
          if (!s || !el) continue;
          let p = messageProgress(d.m, now);
          // Where it is, for tools and tests: 0 at the sender, 1 at the receiver.
          setData(el, 'progress', p.toFixed(3));
          if (reduce) {
            const stop = Math.round(p * STOPS);
            p = stop / STOPS;
            setData(el, 'stop', String(stop));
          } else setData(el, 'stop', undefined);
          const ghost = d.m.droppedAt !== null && now > d.m.droppedAt;
          items.push({ id: d.m.id, x: p * Math.max(0, width - s.w), w: s.w, h: s.h, ghost });
        }
        const room = { width, outward: lane.outward, gap: GAP };
        let layout = layoutLane(items, room);
        const chipEl = chips[lane.chip];
        if (layout.hidden.length > 0 && chipEl) {
          // What does not fit waits at the sender's end, counted: the chip takes the line there.
          const chip = g.chips[lane.chip];
          layout = layoutLane([{ id: -1, x: 0, w: chip.w, h: chip.h }, ...items], room);
          const text = `+${layout.hidden.length} ${moreWord}`;
          if (chipEl.textContent !== text) {
            chipEl.textContent = text;
            chipEl.title = inLane
              .filter((d) => layout.hidden.includes(d.m.id))
              .map((d) => d.text.title)
              .join('\n');
          }
        }
        const shown = new Set<number>();
        for (const b of layout.boxes) {
          const x = GAP + (lane.down ? b.x : width - b.w - b.x);
          const y = lane.down ? lane.y - b.y - b.h / 2 : lane.y + b.y - b.h / 2;
          const el = b.id === -1 ? chipEl : refs.current.get(b.id);
          if (!el) continue;
          shown.add(b.id);
          setStyle(el, 'transform', `translate(${Math.round(x)}px, ${Math.round(y)}px)`);
          setStyle(el, 'visibility', 'visible');
        }
        if (chipEl && !shown.has(-1)) setStyle(chipEl, 'visibility', 'hidden');
        for (const d of inLane) {
          const el = refs.current.get(d.m.id);
          if (!el) continue;
          if (!shown.has(d.m.id)) {
            setStyle(el, 'visibility', 'hidden');
            setStyle(el, 'opacity', '0');
            continue;
          }
          const lost = d.m.droppedAt !== null && now > d.m.droppedAt;
          const opacity = lost ? Math.max(0, 1 - (now - (d.m.droppedAt ?? now)) / DROP_FADE_MS) : 1;
          setStyle(el, 'opacity', String(Math.round(opacity * 100) / 100));
          if (el.classList.contains('rl-pk-dropped') !== lost)
            el.classList.toggle('rl-pk-dropped', lost);
          const pct = bars.current.get(d.m.id);
          if (pct) {
            const f = bytesProgress(d.m, now);
            const text = `${Math.floor(f * 100)}%`;
            if (pct.textContent !== text) pct.textContent = text;
            const bar = pct.previousElementSibling?.firstElementChild;
            if (bar instanceof HTMLElement) bar.style.width = `${Math.round(f * 100)}%`;
          }
        }
      }
      // Not sent yet (a replay may hold messages ahead of now): nothing to show.
      for (const d of drawn)
        if (now < d.m.sendAt) {
          const el = refs.current.get(d.m.id);
          if (el) {
            setStyle(el, 'visibility', 'hidden');
            setStyle(el, 'opacity', '0');
          }
        }
    },
    [drawn, master, reduce, moreWord],
  );
  useFrame(place);

  // Sizes are measured when something resizes (a new packet, a theme, the window), never per
  // frame; and paused, when no frame comes, a resize still re-places the packets.
  const store = useLabStore();
  useEffect(() => {
    const wire = wireRef.current;
    if (!wire || typeof ResizeObserver === 'undefined') return;
    const measure = () => {
      const g = geo.current;
      g.width = wire.clientWidth;
      g.height = wire.clientHeight;
      const center = (el: HTMLDivElement | null, fallback: number) =>
        el ? el.offsetTop + el.offsetHeight / 2 : fallback;
      g.yDown = center(lineDown.current, g.height * 0.55);
      g.yUp = center(lineUp.current, g.height * 0.85);
      g.sizes.clear();
      for (const [id, el] of refs.current)
        g.sizes.set(id, { w: el.offsetWidth, h: el.offsetHeight });
      const chips = [moreDown.current, moreUp.current];
      chips.forEach((c, i) => {
        g.chips[i as 0 | 1] = { w: c?.offsetWidth ?? 0, h: c?.offsetHeight ?? 0 };
      });
      place(store.getState().getNow());
    };
    const ro = new ResizeObserver(measure);
    for (const el of [wire, lineDown.current, lineUp.current, moreDown.current, moreUp.current])
      if (el) ro.observe(el);
    for (const el of refs.current.values()) ro.observe(el);
    return () => ro.disconnect();
  }, [place, store]);
  const cut = r ? r.net !== 'up' : false;
  const linked = upstream !== null;
  const via = upstream !== null && upstream !== main;
  const down = cut || !linked;
  const retry = useMemo(() => reconnectInfo(log ?? []), [log]);
  const retrying =
    !rdb && linked && r?.link !== 'online' && r?.link !== null && retry.error !== null;
  if (rdb && !r?.rdbChannel && drawn.length === 0) return null;
  // The wire is a picture with a button over its whole length: the button (no text of its own)
  // is what the keyboard and assistive tools reach, the packets stay readable text beside it.
  // A click anywhere on the wire (the button, a label on it) stops or restores the network.
  return (
    <div
      ref={wireRef}
      className={`rl-wire${rdb ? ' rl-wire-rdb' : ''}${down ? ' rl-wire-down' : ''}${cut ? ' rl-wire-cut' : ''}${retrying ? ' rl-wire-retrying' : ''}`}
      title={rdb ? `${t('wireRdbChannelTitle')}. ${t('wireTitle')}` : t('wireTitle')}
      data-testid={rdb ? `rdbwire-${replica}` : `wire-${replica}`}
      onClick={() => toggleNetwork(replica)}
    >
      <button
        type="button"
        className="rl-wire-hit"
        aria-label={
          rdb ? `${t('wireRdbChannel')} ${master} to ${replica}` : `Link ${master} to ${replica}`
        }
        aria-description={t('wireTitle')}
      />
      <div ref={lineDown} className="rl-wire-line rl-wire-line-a" />
      <div ref={lineUp} className="rl-wire-line rl-wire-line-b" />
      {rdb ? <div className="rl-wire-name">{t('wireRdbChannel')}</div> : null}
      {via && !rdb ? (
        <div className="rl-wire-via" data-testid={`via-${replica}`}>
          {fill(t('wireVia'), { m: upstream })}
        </div>
      ) : null}
      {cut ? (
        <div className="rl-wire-cutmark" aria-hidden="true">
          ✂
        </div>
      ) : null}
      {retrying ? (
        <div className="rl-wire-retry" data-testid={`retry-${replica}`} title={t('wireRetryTitle')}>
          <span className="rl-wire-retry-icon" aria-hidden="true">
            ⟳
          </span>{' '}
          <span>
            {replica} {t('wireRetrying')}
            {retry.attempts > 0 ? ` · ${t('wireAttempt')} ${retry.attempts}` : ''}
          </span>{' '}
          <span className="rl-wire-retry-why">{retry.error}</span>
        </div>
      ) : null}
      {drawn.map((d) => (
        <MemoPacket key={d.m.id} d={d} refs={refs} bars={bars} />
      ))}
      <div ref={moreDown} className="rl-pk rl-pk-more" style={{ visibility: 'hidden' }}>
        +0 {moreWord}
      </div>
      <div ref={moreUp} className="rl-pk rl-pk-more" style={{ visibility: 'hidden' }}>
        +0 {moreWord}
      </div>
    </div>
  );
}
