import { Fragment, memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RefObject } from 'react';
import { useReducedMotion } from './motion';
import {
  bytesProgress,
  channelMessages,
  channelOf,
  DROP_FADE_MS,
  messageProgress,
  reconnectInfo,
  selectServer,
  sentBy,
  useFrame,
  useLab,
  useLabStore,
  waitingSentBy,
  useShallow,
} from '../store';
import type { StreamView, WireMessage } from '../store';
import { fill, useT } from './i18n';
import { packetText, type PacketText, type WireWords } from './wireLabels';
import { assignSlots, layoutLane, type LaneItem } from './wireLayout';
import { writeText } from './writeText';
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
  bars,
  sizer,
}: {
  /** Null: a spare element, hidden, kept for the next packet (see SlotKeeper). */
  d: Drawn | null;
  bars: RefObject<Map<number, HTMLElement>>;
  sizer: PacketSizer;
}) {
  const id = d?.m.id ?? null;
  // Stable for the packet's life: a new ref callback would be detached and attached again on
  // every render, and each new observation measures again.
  const attach = useCallback(
    (el: HTMLDivElement) => (id === null ? undefined : sizer.attach(id, el)),
    [id, sizer],
  );
  if (d === null)
    return (
      <div ref={attach} className="rl-pk-spare" style={{ opacity: 0, visibility: 'hidden' }} />
    );
  const { m, text } = d;
  return (
    <div
      ref={attach}
      className={packetClass(m)}
      style={{ opacity: 0, visibility: 'hidden' }}
      title={text.title}
      data-msg-id={m.id}
      onClick={(e) => e.stopPropagation()}
    >
      {text.lines.map((line, i) => (
        <span key={i} className={i === 0 ? 'rl-pk-label' : 'rl-pk-sub'}>
          {line.map((c, j) => (
            // No element of its own around a chunk and its space: a write stream mounts packets
            // by the hundred a second, and each element is work.
            <Fragment key={j}>
              {j > 0 ? ' ' : null}
              <span className={`rl-pk-chunk rl-pk-${c.kind}`}>{c.text}</span>
            </Fragment>
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

/**
 * The sizes of a wire's packets, from one ResizeObserver for the wire's life: a packet is
 * observed once, when it mounts, and its size comes from the observer's own entry (measured in
 * the layout the browser had just done), so nothing reads layout. The wire, its lines and its
 * "+N more" chips are observed too; when one of them resizes, `onResize(true)` asks the wire to
 * measure its box again (a window or theme change, rare).
 */
class PacketSizer {
  readonly geo: Geometry = {
    width: 0,
    height: 0,
    yDown: 0,
    yUp: 0,
    sizes: new Map(),
    chips: [
      { w: 0, h: 0 },
      { w: 0, h: 0 },
    ],
  };
  /** Each mounted packet's element, by message id. */
  readonly packets = new Map<number, HTMLDivElement>();
  private onResize: (box: boolean) => void = () => {};
  private ro: ResizeObserver | null = null;
  /** What is observed (observed again by a new observer after `stop`, as StrictMode does). */
  private readonly watched = new Set<Element>();

  private observer(): ResizeObserver | null {
    if (this.ro === null && typeof ResizeObserver !== 'undefined') {
      this.ro = new ResizeObserver((entries) => {
        let box = false;
        for (const e of entries) {
          const id = (e.target as HTMLElement).dataset['msgId'];
          const b = e.borderBoxSize?.[0];
          if (id === undefined) box = true;
          else if (e.target.isConnected)
            this.geo.sizes.set(
              Number(id),
              b
                ? { w: b.inlineSize, h: b.blockSize }
                : {
                    w: (e.target as HTMLElement).offsetWidth,
                    h: (e.target as HTMLElement).offsetHeight,
                  },
            );
        }
        this.onResize(box);
      });
      for (const el of this.watched) this.ro.observe(el);
    }
    return this.ro;
  }

  /** What to do once sizes changed (`box`: the wire's own box resized). */
  listen(f: (box: boolean) => void): void {
    this.onResize = f;
  }

  /**
   * A packet given its element (new, or one another packet left: see assignSlots): hidden until
   * measured and placed, as a new element is, and observed until the returned cleanup runs (a
   * React 19 ref callback).
   */
  attach(id: number, el: HTMLDivElement): () => void {
    setStyle(el, 'visibility', 'hidden');
    setStyle(el, 'opacity', '0');
    setData(el, 'progress', undefined);
    setData(el, 'stop', undefined);
    el.classList.remove('rl-pk-dropped');
    this.packets.set(id, el);
    this.watch(el);
    return () => {
      // (The element may stay, spare, for the next packet.)
      setStyle(el, 'visibility', 'hidden');
      setStyle(el, 'opacity', '0');
      this.packets.delete(id);
      this.forget(id, el);
    };
  }

  watch(el: Element): void {
    this.watched.add(el);
    this.observer()?.observe(el);
  }

  unwatch(el: Element): void {
    this.watched.delete(el);
    this.ro?.unobserve(el);
  }

  forget(id: number, el: Element): void {
    this.unwatch(el);
    this.geo.sizes.delete(id);
  }

  stop(): void {
    this.ro?.disconnect();
    this.ro = null;
  }
}

/**
 * What a frame last wrote to each element (style, data, text), so the next frame writes only what
 * changed without reading the element back (a CSSOM read per packet per frame adds up).
 */
const written = new WeakMap<HTMLElement, Map<string, string | undefined>>();
function changed(el: HTMLElement, key: string, v: string | undefined): boolean {
  let w = written.get(el);
  if (!w) written.set(el, (w = new Map()));
  if (w.has(key) && w.get(key) === v) return false;
  w.set(key, v);
  return true;
}
function setStyle(
  el: HTMLElement,
  prop: 'transform' | 'visibility' | 'opacity' | 'width',
  v: string,
) {
  if (changed(el, prop, v)) el.style[prop] = v;
}
function setData(el: HTMLElement, key: string, v: string | undefined) {
  if (!changed(el, `data-${key}`, v)) return;
  if (v === undefined) delete el.dataset[key];
  else el.dataset[key] = v;
}
function setText(el: HTMLElement, v: string): boolean {
  return changed(el, '#text', v) && writeText(el, v);
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

/** A wire's packets' elements across draws (assignSlots). */
class SlotKeeper {
  private slots: ReadonlyMap<number, number> = new Map();
  /** Elements made so far: one a packet left stays, hidden, until another packet needs it. */
  private made = 0;
  /** The drawn packets by element, `null` for a spare one. */
  assign(drawn: readonly Drawn[]): readonly (Drawn | null)[] {
    this.slots = assignSlots(
      drawn.map((d) => d.m.id),
      this.slots,
    );
    const out: (Drawn | null)[] = [];
    for (const d of drawn) out[this.slots.get(d.m.id)!] = d;
    this.made = Math.max(this.made, out.length);
    for (let i = 0; i < this.made; i++) out[i] ??= null;
    return out;
  }
}

/**
 * The most packets a lane gives an element to. A link slower than its writes queues them by the
 * thousand (1 KB/s and 200 writes a second); a lane shows a dozen at most, and the "+N more"
 * chip counts the others, so the rest never reach the page.
 */
const MAX_DRAWN_PER_LANE = 24;

/** One direction of a wire: the packets it gives an element to, and the others. */
interface Lane {
  /** Its first MAX_DRAWN_PER_LANE packets by when they go (startAt, then id). */
  readonly shown: readonly Drawn[];
  /** The others, by when they are sent (sendAt): counted on the chip once sent. */
  readonly rest: readonly Drawn[];
}

/** The master-to-replica lane and the replica-to-master lane, in that order. */
function splitByLane(drawn: readonly Drawn[], master: string): readonly [Lane, Lane] {
  const order = (a: Drawn, b: Drawn) => a.m.startAt - b.m.startAt || a.m.id - b.m.id;
  const lane = (down: boolean): Lane => {
    const all = drawn.filter((d) => (d.m.from === master) === down).sort(order);
    return {
      shown: all.slice(0, MAX_DRAWN_PER_LANE),
      rest: all
        .slice(MAX_DRAWN_PER_LANE)
        .sort((a, b) => a.m.sendAt - b.m.sendAt || a.m.id - b.m.id),
    };
  };
  return [lane(true), lane(false)];
}

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
  // This wire's own messages: a message on another wire does not draw this one again.
  const own = useLab(useShallow((s) => channelMessages(s.messages, master, replica, rdb)));
  const view = useLab((s) => s.streamView);
  const log = useLab((s) => s.logs[replica]);
  const net = useLab((s) => selectServer(replica)(s)?.net ?? 'up');
  const link = useLab((s) => selectServer(replica)(s)?.link ?? null);
  const rdbOpen = useLab((s) => !!selectServer(replica)(s)?.rdbChannel);
  const toggleNetwork = useLab((s) => s.toggleNetwork);
  const { t } = useT();
  const words: WireWords = useMemo(
    () => ({ backlog: t('wireBacklog'), fromOffset: t('wireFromOffset'), more: t('wireMore') }),
    [t],
  );
  const drawn = useMemo(() => {
    const out: Drawn[] = [];
    for (const m of own) {
      const d = drawnOf(m, view, words);
      if (d) out.push(d);
    }
    return out;
  }, [own, view, words]);
  const lanes = useMemo(() => splitByLane(drawn, master), [drawn, master]);
  const packets = useMemo(() => [...lanes[0].shown, ...lanes[1].shown], [lanes]);
  // Each packet's element (see assignSlots): kept across draws, so an arrival relabels an
  // element instead of mounting one. (Assigned again for the same draw, it gives the same.)
  const [keeper] = useState(() => new SlotKeeper());
  const bySlot = useMemo(() => keeper.assign(packets), [packets, keeper]);
  const bars = useRef(new Map<number, HTMLElement>());
  const wireRef = useRef<HTMLDivElement>(null);
  const lineDown = useRef<HTMLDivElement>(null);
  const lineUp = useRef<HTMLDivElement>(null);
  const moreDown = useRef<HTMLDivElement>(null);
  const moreUp = useRef<HTMLDivElement>(null);
  const [sizer] = useState(() => new PacketSizer());
  const store = useLabStore();
  const reduce = useReducedMotion();
  const moreWord = t('wireMore');

  /**
   * Places every packet at simulated time `now`. Runs every frame: it reads no layout (sizes come
   * from the ResizeObserver below) and writes only what changed.
   */
  const place = useCallback(
    (now: number) => {
      const g = sizer.geo;
      if (g.height === 0) return;
      const width = g.width - 2 * GAP;
      const chips = [moreDown.current, moreUp.current];
      const geometry = [
        { down: true, y: g.yDown, outward: g.yDown - GAP, chip: 0 },
        { down: false, y: g.yUp, outward: g.height - g.yUp - GAP, chip: 1 },
      ] as const;
      for (const lane of geometry) {
        const { shown: drawnHere, rest } = lanes[lane.chip];
        const inLane = drawnHere.filter((d) => now >= d.m.sendAt);
        // Sent, but without an element (past the lane's cap, or waiting their turn): counted on
        // the chip.
        // (Read here, not rendered from: one more write waiting redraws nothing but the chip.)
        const waiting =
          store.getState().waiting[
            channelOf(
              lane.down
                ? { from: master, to: replica, rdbChannel: rdb }
                : { from: replica, to: master, rdbChannel: rdb },
            )
          ];
        const uncounted = sentBy(rest, (d) => d.m.sendAt, now) + waitingSentBy(waiting, now);
        const items: LaneItem[] = [];
        for (const d of inLane) {
          const s = g.sizes.get(d.m.id);
          const el = sizer.packets.get(d.m.id);
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
        if ((layout.hidden.length > 0 || uncounted > 0) && chipEl) {
          // What does not fit waits at the sender's end, counted: the chip takes the line there,
          // after the leading packet once that one has left (on a slow link the packet moving is
          // the one to watch, and the next to arrive).
          const chip = { id: -1, x: 0, w: g.chips[lane.chip].w, h: g.chips[lane.chip].h };
          const lead = items[0] && !items[0].ghost && items[0].x > 0 ? 1 : 0;
          layout = layoutLane([...items.slice(0, lead), chip, ...items.slice(lead)], room);
          const text = `+${layout.hidden.length + uncounted} ${moreWord}`;
          if (setText(chipEl, text)) {
            chipEl.title = [
              ...inLane.filter((d) => layout.hidden.includes(d.m.id)),
              ...rest.slice(0, Math.min(uncounted, MAX_DRAWN_PER_LANE)),
            ]
              .map((d) => d.text.title)
              .join('\n');
          }
        }
        const shown = new Set<number>();
        for (const b of layout.boxes) {
          const x = GAP + (lane.down ? b.x : width - b.w - b.x);
          const y = lane.down ? lane.y - b.y - b.h / 2 : lane.y + b.y - b.h / 2;
          const el = b.id === -1 ? chipEl : sizer.packets.get(b.id);
          if (!el) continue;
          shown.add(b.id);
          setStyle(el, 'transform', `translate(${Math.round(x)}px, ${Math.round(y)}px)`);
          setStyle(el, 'visibility', 'visible');
        }
        if (chipEl && !shown.has(-1)) setStyle(chipEl, 'visibility', 'hidden');
        for (const d of inLane) {
          const el = sizer.packets.get(d.m.id);
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
            setText(pct, `${Math.floor(f * 100)}%`);
            const bar = pct.previousElementSibling?.firstElementChild;
            if (bar instanceof HTMLElement) setStyle(bar, 'width', `${Math.round(f * 100)}%`);
          }
        }
      }
      // Not sent yet (a replay may hold messages ahead of now): nothing to show.
      for (const d of packets)
        if (now < d.m.sendAt) {
          const el = sizer.packets.get(d.m.id);
          if (el) {
            setStyle(el, 'visibility', 'hidden');
            setStyle(el, 'opacity', '0');
          }
        }
    },
    [lanes, packets, store, master, replica, rdb, reduce, moreWord, sizer],
  );
  useFrame(place);

  // Sizes are measured when something resizes (a new packet, a theme, the window), never per
  // frame.
  useEffect(() => {
    sizer.listen((box) => {
      const wire = wireRef.current;
      const g = sizer.geo;
      if (box && wire) {
        g.width = wire.clientWidth;
        g.height = wire.clientHeight;
        const center = (el: HTMLDivElement | null, fallback: number) =>
          el ? el.offsetTop + el.offsetHeight / 2 : fallback;
        g.yDown = center(lineDown.current, g.height * 0.55);
        g.yUp = center(lineUp.current, g.height * 0.85);
        const chips = [moreDown.current, moreUp.current];
        chips.forEach((c, i) => {
          g.chips[i as 0 | 1] = { w: c?.offsetWidth ?? 0, h: c?.offsetHeight ?? 0 };
        });
      }
      // Playing, the next frame places them (a packet mounts hidden, so nothing shows a frame
      // late); paused, no frame comes.
      const s = store.getState();
      if (!s.playing) place(s.getNow());
    });
  }, [place, store, sizer]);
  // The wire's own box, watched while it is drawn (an rdb channel's wire comes and goes).
  const shown = !(rdb && !rdbOpen && drawn.length === 0);
  useEffect(() => {
    const box = [
      wireRef.current,
      lineDown.current,
      lineUp.current,
      moreDown.current,
      moreUp.current,
    ].filter((el) => el !== null);
    for (const el of box) sizer.watch(el);
    return () => {
      for (const el of box) sizer.unwatch(el);
    };
  }, [sizer, shown]);
  useEffect(() => () => sizer.stop(), [sizer]);
  const cut = net !== 'up';
  const linked = upstream !== null;
  const via = upstream !== null && upstream !== main;
  const down = cut || !linked;
  const retry = useMemo(() => reconnectInfo(log ?? []), [log]);
  const retrying = !rdb && linked && link !== 'online' && link !== null && retry.error !== null;
  if (!shown) return null;
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
      {/* In element order, so that an arrival moves no element (the lost ones' z-index puts them
          underneath; the others never overlap). */}
      {bySlot.map((d, slot) => (
        <MemoPacket key={slot} d={d} bars={bars} sizer={sizer} />
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
