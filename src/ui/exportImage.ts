/**
 * The current view as a PNG or an SVG file, for slides and handouts: the lab drawn on a light
 * background (a dark theme is switched to light for the moment of the capture). This module and
 * html-to-image are loaded only when an export is asked for (TopBar).
 */
import { toBlob, toSvg } from 'html-to-image';
import { download } from './download';

export type ImageKind = 'png' | 'svg';

/** A file name from the lesson and step: `resync-lab-partial-resync-step-3.png`. */
export function imageFileName(lesson: string | null, step: number, kind: ImageKind): string {
  const id = (lesson ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return id ? `resync-lab-${id}-step-${step}.${kind}` : `resync-lab.${kind}`;
}

const frame = () => new Promise<void>((done) => requestAnimationFrame(() => done()));

/**
 * The copy html-to-image draws keeps no scroll position and shows every scrollbar. A style sheet
 * for it hides the scrollbars and moves each scrolled box's content by its scroll (a log scrolled
 * to its end shows its end), found by a mark put on the box for the moment of the capture.
 */
function scrollStyle(node: HTMLElement): { css: string; undo: () => void } {
  const marked: HTMLElement[] = [];
  const rules = ['* { scrollbar-width: none !important; }'];
  for (const el of node.querySelectorAll<HTMLElement>('*')) {
    if (el.scrollTop === 0 && el.scrollLeft === 0) continue;
    const id = String(marked.length);
    el.setAttribute('data-rl-shot', id);
    marked.push(el);
    rules.push(
      `[data-rl-shot="${id}"] > * { translate: ${-el.scrollLeft}px ${-el.scrollTop}px !important; }`,
    );
  }
  return {
    css: rules.join('\n'),
    undo: () => {
      for (const el of marked) el.removeAttribute('data-rl-shot');
    },
  };
}

/** Draws `root`'s `.rl-app` into an image and downloads it as `name`. */
export async function exportView(root: HTMLElement, kind: ImageKind, name: string): Promise<void> {
  const node = root.querySelector<HTMLElement>('.rl-app') ?? root;
  const theme = root.getAttribute('data-theme');
  if (theme === 'dark') root.setAttribute('data-theme', 'light');
  let undo = () => {};
  try {
    await frame();
    await frame();
    const scroll = scrollStyle(node);
    undo = scroll.undo;
    const options = {
      backgroundColor: getComputedStyle(root).backgroundColor || '#ffffff',
      // Notices and the open "⋯" popover are not part of the view.
      filter: (n: Node) => !(n instanceof Element && n.matches('.rl-notice, .rl-more-btn, dialog')),
      // Put in the copy where a web font's CSS would go: the lab uses system fonts only, so
      // nothing is fetched (nor could be, under file://).
      fontEmbedCSS: scroll.css,
    };
    if (kind === 'png') {
      const blob = await toBlob(node, { ...options, pixelRatio: 2 });
      if (!blob) throw new Error('no image');
      download(blob, name);
    } else {
      const url = await toSvg(node, options);
      const svg = decodeURIComponent(url.slice(url.indexOf(',') + 1));
      download(new Blob([svg], { type: 'image/svg+xml' }), name);
    }
  } finally {
    undo();
    if (theme) root.setAttribute('data-theme', theme);
  }
}
