/**
 * The reveal.js plugin (built as `dist/reveal-resync-lab.js`, id `resync-lab`): an
 * `<iframe data-resync-lab src=".../index.html?embed=1&scenario=partial-resync">` on a slide with
 * fragments steps the lab with them — as many fragments shown, as many steps played (none: the
 * stage). Going back goes back; re-entering the slide (or a lazily loaded frame reloading) shows
 * the step of the fragments shown. Keys pressed inside the lab go to the deck. Each step's speaker
 * notes are put on its fragment (`data-notes`), where reveal.js's notes plugin reads them.
 *
 *   import Reveal from 'reveal.js';
 *   import ResyncLab from './reveal-resync-lab.js';
 *   Reveal.initialize({ plugins: [ResyncLab] });
 *
 * It talks to the lab through the embed API (protocol.ts) and only to the frame's own origin.
 */
import { API_VERSION, parseEventMessage, type Command } from './protocol';

/** The part of reveal.js's API the plugin uses. */
interface Deck {
  on(type: string, fn: (e: Event) => void): void;
  getRevealElement(): HTMLElement | null;
  getCurrentSlide(): HTMLElement | undefined;
  triggerKey(keyCode: number): void;
}

/** reveal.js binds keys by keyCode: the ones a lab hands back. */
const KEY_CODES: Readonly<Record<string, number>> = {
  ArrowLeft: 37,
  ArrowUp: 38,
  ArrowRight: 39,
  ArrowDown: 40,
  PageUp: 33,
  PageDown: 34,
  Home: 36,
  End: 35,
  ' ': 32,
  Escape: 27,
  '.': 190,
};

const FRAME = 'iframe[data-resync-lab]';

function frameSrc(f: HTMLIFrameElement): string {
  return f.getAttribute('src') ?? f.getAttribute('data-src') ?? '';
}

/** The frame's origin, as `postMessage` wants it ('*' for a file:// lab, whose origin is opaque). */
function originOf(f: HTMLIFrameElement): string {
  try {
    const o = new URL(frameSrc(f), location.href).origin;
    return o === 'null' ? '*' : o;
  } catch {
    return '*';
  }
}

/** The slide's fragments in the order reveal.js shows them. */
function fragmentsOf(slide: Element): HTMLElement[] {
  const all = Array.from(slide.querySelectorAll<HTMLElement>('.fragment'));
  const index = (el: HTMLElement) => Number(el.getAttribute('data-fragment-index') ?? Infinity);
  return all
    .map((el, i) => ({ el, i }))
    .sort((a, b) => index(a.el) - index(b.el) || a.i - b.i)
    .map((x) => x.el);
}

export default function ResyncLab() {
  return {
    id: 'resync-lab',
    init(deck: Deck): void {
      const root = deck.getRevealElement() ?? document.body;
      const send = (f: HTMLIFrameElement, command: Command) =>
        f.contentWindow?.postMessage({ resyncLab: API_VERSION, command }, originOf(f));
      const slideOf = (f: Element) => f.closest('section');
      /** The step a slide's fragments stand for: how many are shown. */
      const stepOf = (slide: Element) => slide.querySelectorAll('.fragment.visible').length;

      const sync = () => {
        const slide = deck.getCurrentSlide();
        const f = slide?.querySelector<HTMLIFrameElement>(FRAME);
        if (slide && f) send(f, { type: 'goToStep', step: stepOf(slide) });
      };
      for (const type of ['ready', 'slidechanged', 'fragmentshown', 'fragmenthidden'])
        deck.on(type, sync);

      window.addEventListener('message', (e: MessageEvent) => {
        const f = Array.from(root.querySelectorAll<HTMLIFrameElement>(FRAME)).find(
          (x) => x.contentWindow === e.source,
        );
        if (!f) return;
        const origin = originOf(f);
        if (origin !== '*' && e.origin !== origin) return;
        const m = parseEventMessage(e.data);
        if (!m) return;
        const ev = m.event;
        const slide = slideOf(f);
        if (ev.type === 'ready') {
          // Each step's notes on its fragment (the author's own notes stay).
          if (slide)
            fragmentsOf(slide).forEach((frag, i) => {
              const notes = ev.stepNotes[i];
              if (notes === undefined) return;
              if (frag.hasAttribute('data-notes') && !frag.hasAttribute('data-resync-lab-notes'))
                return;
              frag.setAttribute('data-notes', notes);
              frag.setAttribute('data-resync-lab-notes', '');
            });
          // A frame (re)loaded on the current slide: show the step of its fragments.
          if (slide && slide === deck.getCurrentSlide())
            send(f, { type: 'goToStep', step: stepOf(slide) });
        } else if (ev.type === 'key') {
          const code =
            KEY_CODES[ev.key] ?? (ev.key.length === 1 ? ev.key.toUpperCase().charCodeAt(0) : 0);
          if (code) deck.triggerKey(code);
        }
      });
    },
  };
}
