/**
 * The timeline's command marks, drawn on one canvas (Timeline.tsx). A stream of writes leaves up
 * to 600 of them (timeline.ts thins the rest), and every one moves whenever the timeline's end
 * grows: as elements, each move was a layout of hundreds of boxes, frame after frame. Drawn, a
 * move is one redraw of a strip a few pixels high. The other marks (cuts, restores, PSYNC
 * answers…) are few and stay elements.
 */
import type { TimelineMark } from '../store/types';

/** A command mark's width, in CSS px. */
export const COMMAND_MARK_PX = 2;
/** How far from a mark (CSS px) the pointer still points at it. */
export const COMMAND_REACH_PX = 4;

/** Where a mark at `at` is centred on a strip `width` px wide that ends at `max` ms. */
export function markX(at: number, max: number, width: number): number {
  return (at / Math.max(1, max)) * width;
}

/**
 * The mark nearest to `x` (CSS px from the strip's left) if within `reach` px, else null; the
 * earliest wins a tie (as the earliest element was drawn on top).
 */
export function commandAt(
  marks: readonly TimelineMark[],
  x: number,
  max: number,
  width: number,
  reach = COMMAND_REACH_PX,
): TimelineMark | null {
  let best: TimelineMark | null = null;
  let bestD = reach;
  for (const m of marks) {
    const d = Math.abs(markX(m.at, max, width) - x);
    if (best ? d < bestD : d <= bestD) {
      best = m;
      bestD = d;
    }
  }
  return best;
}

/** True when `a` and `b` are the same mark (a rebuilt list makes new objects of the same marks). */
function sameMark(a: TimelineMark, b: TimelineMark): boolean {
  return (
    a === b || (a.at === b.at && a.kind === b.kind && a.text === b.text && a.server === b.server)
  );
}

/** Paints the command marks on a canvas, again only when they, the end or the size changed. */
export class CommandStrip {
  private canvas: HTMLCanvasElement | null = null;
  private marks: readonly TimelineMark[] = [];
  private max = 1;
  private hovered: TimelineMark | null = null;
  /** The strip's size in CSS px (from a ResizeObserver: nothing here reads layout). */
  private width = 0;
  private height = 0;
  private colors = { mark: '#888', hover: '#36c' };
  private dirty = true;
  private ro: ResizeObserver | null = null;
  /**
   * The canvas's fallback content (never rendered, read by tools and tests): one element per
   * mark, with its time and its words. `listed` are the marks it holds, named by `label`.
   */
  private listed: readonly TimelineMark[] = [];
  private label: ((m: TimelineMark) => string) | null = null;

  /** The canvas to paint (a React ref callback; null when it goes). */
  readonly attach = (canvas: HTMLCanvasElement | null): void => {
    this.ro?.disconnect();
    this.ro = null;
    this.canvas = canvas;
    this.listed = [];
    this.list();
    if (!canvas || typeof ResizeObserver === 'undefined') return;
    this.ro = new ResizeObserver(([e]) => {
      const b = e?.contentBoxSize?.[0];
      this.width = b ? b.inlineSize : canvas.clientWidth;
      this.height = b ? b.blockSize : canvas.clientHeight;
      this.readColors();
    });
    this.ro.observe(canvas);
  };

  /** The theme's colours, read again (a theme change: `color` and `--accent` on the canvas). */
  readColors(): void {
    if (!this.canvas) return;
    const cs = getComputedStyle(this.canvas);
    this.colors = {
      mark: cs.color || this.colors.mark,
      hover: cs.getPropertyValue('--accent').trim() || this.colors.hover,
    };
    this.dirty = true;
    this.paint();
  }

  /** The command marks, each named by `label` in the fallback content. */
  setMarks(marks: readonly TimelineMark[], label: (m: TimelineMark) => string): void {
    if (marks === this.marks && label === this.label) return;
    if (label !== this.label) this.listed = [];
    this.marks = marks;
    this.label = label;
    this.list();
    this.dirty = true;
    this.paint();
  }

  /**
   * Brings the fallback content in step with the marks: under a stream they only grow at the
   * end, so the elements of the marks already listed stay and the new ones are appended (a
   * thinning of the older marks lists them again from where they differ).
   */
  private list(): void {
    const c = this.canvas;
    const label = this.label;
    if (!c || !label) return;
    const { marks, listed } = this;
    let keep = 0;
    while (
      keep < listed.length &&
      keep < marks.length &&
      c.childElementCount > keep &&
      sameMark(listed[keep]!, marks[keep]!)
    )
      keep++;
    while (c.childElementCount > keep) c.lastElementChild!.remove();
    if (keep < marks.length) {
      const add = c.ownerDocument.createDocumentFragment();
      for (const m of marks.slice(keep)) {
        const el = c.ownerDocument.createElement('span');
        el.title = label(m);
        el.dataset.at = String(Math.round(m.at));
        el.dataset.kind = m.kind;
        add.append(el);
      }
      c.append(add);
    }
    this.listed = marks;
  }

  /** The end of the timeline (its --tl-max), each frame: paints only if it moved. */
  setMax(max: number): void {
    if (max === this.max) return;
    this.max = max;
    this.dirty = true;
    this.paint();
  }

  /** The mark under the pointer (`x` in CSS px from the strip's left), outlined; null: none. */
  hover(x: number | null): TimelineMark | null {
    const m = x === null ? null : commandAt(this.marks, x, this.max, this.width);
    if (m !== this.hovered) {
      this.hovered = m;
      this.dirty = true;
      this.paint();
    }
    return m;
  }

  private paint(): void {
    const c = this.canvas;
    if (!this.dirty || !c || this.width === 0 || this.height === 0) return;
    this.dirty = false;
    const dpr = globalThis.devicePixelRatio || 1;
    const w = Math.round(this.width * dpr);
    const h = Math.round(this.height * dpr);
    if (c.width !== w) c.width = w;
    if (c.height !== h) c.height = h;
    const g = c.getContext('2d');
    if (!g) return;
    g.clearRect(0, 0, w, h);
    const mw = Math.max(1, Math.round(COMMAND_MARK_PX * dpr));
    const draw = (m: TimelineMark, color: string, k: number) => {
      g.fillStyle = color;
      g.fillRect(Math.round(markX(m.at, this.max, this.width) * dpr - (k * mw) / 2), 0, k * mw, h);
    };
    for (const m of this.marks) draw(m, this.colors.mark, 1);
    if (this.hovered) draw(this.hovered, this.colors.hover, 3);
  }
}
