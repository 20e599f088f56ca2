import { mkdirSync } from 'node:fs';
import { expect, test, type Frame, type Page } from '@playwright/test';

/**
 * "Fits any box" (issue 9): the lab fits the box it is mounted in, and the projector theme is
 * readable from the back row. Screens of every size go to /tmp/resync-lab-layout (never into
 * the repository).
 */

const SHOTS = process.env.LAYOUT_SHOTS_DIR ?? '/tmp/resync-lab-layout';
const SLOW = { timeout: 45_000 };
const THEMES = ['light', 'dark', 'projector'] as const;

test.beforeAll(() => mkdirSync(SHOTS, { recursive: true }));

type Target = Page | Frame;

/** Two animation frames: styles, layout and the store's frame listeners have caught up. */
async function frames(t: Target): Promise<void> {
  await t.evaluate(
    () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
      ),
  );
}

/** Load at 10× and wait until replica1 has finished its first sync; paused there. */
async function syncedAndPaused(t: Target, replicas = 1): Promise<void> {
  const online = (name: string) =>
    t.waitForFunction(
      (n) => document.querySelector(`[data-testid="link-${n}"]`)?.textContent === 'online',
      name,
      SLOW,
    );
  await online('replica1');
  for (let i = 2; i <= replicas; i++) {
    await t.locator('button[aria-label="Add replica"]').click();
    await online(`replica${i}`);
  }
  await t.locator('button[aria-label="Pause"]').click();
  await expect(t.locator('button[aria-label="Play"]')).toBeVisible();
}

type Box = { name: string; left: number; top: number; right: number; bottom: number };

/** Horizontal overflow of the document and of the lab's own scroller, and the lesson's boxes. */
async function measure(t: Target) {
  return t.evaluate(() => {
    const de = document.documentElement;
    const shell = document.querySelector('.rl-shell');
    const box = (name: string, el: Element | null): Box | null => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { name, left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    };
    const all = (sel: string) =>
      [...document.querySelectorAll(sel)].map((e) =>
        box(e.getAttribute('data-testid') ?? e.getAttribute('aria-label') ?? sel, e),
      );
    // What sticks out on the right, to name it when something does.
    const wide = [...document.querySelectorAll('.rl-root *')]
      .filter((e) => e.getBoundingClientRect().right > de.clientWidth + 0.5)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`);
    return {
      wide,
      vw: de.clientWidth,
      vh: de.clientHeight,
      docOver: de.scrollWidth - de.clientWidth,
      shellOver: shell ? shell.scrollWidth - shell.clientWidth : NaN,
      boxes: [
        box('master', document.querySelector('[data-testid="server-master"]')),
        ...all('[data-testid^="server-replica"]'),
        ...all('[data-testid^="wire-"]'),
        box('backlog', document.querySelector('section[aria-label="Backlog window"]')),
        box('why-panel', document.querySelector('section[aria-label="Why partial or full"]')),
      ],
    };
  });
}

/** Nothing scrolls sideways, and every box of the lesson is inside the viewport. */
async function expectFits(t: Target, label: string, replicas: number): Promise<void> {
  const m = await measure(t);
  expect(m.docOver, `${label}: the page scrolls sideways`).toBeLessThanOrEqual(0);
  expect(
    m.shellOver,
    `${label}: the lab scrolls sideways (${m.wide.join(', ')})`,
  ).toBeLessThanOrEqual(0);
  const boxes = m.boxes.filter((b): b is Box => b !== null);
  // master, each replica, each wire, the backlog and the why-panel are all on screen.
  expect(boxes.map((b) => b.name).sort(), label).toEqual(
    [
      'master',
      ...Array.from({ length: replicas }, (_, i) => `server-replica${i + 1}`),
      ...Array.from({ length: replicas }, (_, i) => `wire-replica${i + 1}`),
      'backlog',
      'why-panel',
    ].sort(),
  );
  for (const b of boxes) {
    const where = `${label}: ${b.name} [${b.left.toFixed(0)}, ${b.top.toFixed(0)}, ${b.right.toFixed(0)}, ${b.bottom.toFixed(0)}] in ${m.vw}×${m.vh}`;
    expect(b.left, where).toBeGreaterThanOrEqual(0);
    expect(b.top, where).toBeGreaterThanOrEqual(0);
    expect(b.right, where).toBeLessThanOrEqual(m.vw);
    expect(b.bottom, where).toBeLessThanOrEqual(m.vh);
    expect(b.right - b.left, `${where}: has a width`).toBeGreaterThan(20);
    expect(b.bottom - b.top, `${where}: has a height`).toBeGreaterThan(20);
  }
}

const SLIDES = [
  { width: 1280, height: 720 },
  { width: 960, height: 540 },
  { width: 800, height: 450 },
] as const;

for (const theme of THEMES) {
  test(`16:9 boxes show the whole stage without scrolling (${theme})`, async ({ page }) => {
    await page.setViewportSize(SLIDES[0]);
    await page.goto(`/?speed=10&theme=${theme}`);
    for (const replicas of [1, 3]) {
      await syncedAndPaused(page, replicas);
      for (const size of [...SLIDES, { width: 1920, height: 1080 }]) {
        await page.setViewportSize(size);
        await frames(page);
        await expectFits(
          page,
          `${theme}, ${replicas} replica(s), ${size.width}×${size.height}`,
          replicas,
        );
        await page.screenshot({
          path: `${SHOTS}/${theme}-${replicas}r-${size.width}x${size.height}.png`,
        });
      }
      if (replicas === 1) {
        await page.setViewportSize(SLIDES[0]);
        await page.locator('button[aria-label="Play"]').click();
      }
    }
  });
}

test('inside a 920×600 iframe the lab fits the iframe, not the window', async ({
  page,
  baseURL,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.setContent(
    `<body style="margin:20px;background:#777"><iframe title="lab" src="${baseURL}/?speed=10" style="width:920px;height:600px;border:0"></iframe></body>`,
  );
  const handle = await page.waitForSelector('iframe');
  const frame = await handle.contentFrame();
  expect(frame).not.toBeNull();
  if (!frame) return;
  await frame.waitForSelector('.rl-root');
  await syncedAndPaused(frame);
  await frames(frame);
  const size = await frame.evaluate(() => [innerWidth, innerHeight]);
  expect(size).toEqual([920, 600]);
  await expectFits(frame, 'iframe 920×600', 1);
  // The window is larger than the iframe: the lab sized its type to the iframe (a 920 px wide
  // box is narrower than 1100 px, so its toolbar is one row with a "⋯" menu).
  await expect(frame.getByRole('button', { name: 'More controls' })).toBeVisible();
  await expect(frame.getByRole('combobox', { name: 'Theme' })).toBeHidden();
  await page.screenshot({ path: `${SHOTS}/iframe-920x600.png` });
});

test('a phone and a 480×270 thumbnail never scroll sideways', async ({ page }) => {
  // Set up at 1280×720 (on a phone "Add replica" is behind "⋯", tested below), then shrink.
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?speed=10');
  await syncedAndPaused(page, 2);
  await page.setViewportSize({ width: 390, height: 844 });
  await frames(page);
  // The phone's toolbar: Play, Step and Write key, and everything else behind "⋯".
  await expect(page.getByRole('button', { name: 'Add replica' })).toBeHidden();
  await page.getByRole('button', { name: 'More controls' }).click();
  await expect(page.getByRole('button', { name: 'Add replica' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Skip to next event' })).toBeFocused();
  await page.keyboard.press('Escape');
  for (const theme of THEMES) {
    await page.locator('button[aria-label="More controls"]').click();
    await page.getByRole('combobox', { name: 'Theme' }).selectOption(theme);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('combobox', { name: 'Theme' })).toBeHidden();
    for (const size of [
      { width: 390, height: 844 },
      { width: 480, height: 270 },
    ]) {
      await page.setViewportSize(size);
      await frames(page);
      const m = await measure(page);
      const label = `${theme} ${size.width}×${size.height}`;
      expect(m.docOver, `${label}: the page scrolls sideways`).toBeLessThanOrEqual(0);
      expect(
        m.shellOver,
        `${label}: the lab scrolls sideways (${m.wide.join(', ')})`,
      ).toBeLessThanOrEqual(0);
      for (const b of m.boxes) {
        if (!b) continue;
        expect(b.left, `${label}: ${b.name}`).toBeGreaterThanOrEqual(0);
        expect(b.right, `${label}: ${b.name}`).toBeLessThanOrEqual(m.vw);
      }
      await page.screenshot({ path: `${SHOTS}/${theme}-${size.width}x${size.height}.png` });
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await frames(page);
  }
  // On the phone the page scrolls down to everything, one column: the why-panel, the backlog and
  // every console are below the stage, at the full width.
  const shell = page.locator('.rl-shell');
  const scroll = await shell.evaluate((e) => e.scrollHeight - e.clientHeight);
  expect(scroll).toBeGreaterThan(400);
  // One under another, none squeezed or overlapping.
  const panels = await page.locator('section[aria-label$="console and log"]').evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom };
    }),
  );
  expect(panels).toHaveLength(3);
  for (let i = 0; i < panels.length; i++) {
    const p = panels[i];
    const next = panels[i + 1];
    expect(p && p.bottom - p.top, 'a console panel has room').toBeGreaterThan(200);
    if (p && next)
      expect(next.top, 'console panels do not overlap').toBeGreaterThanOrEqual(p.bottom);
  }
  const input = page.getByRole('textbox', { name: 'replica2 console' });
  await input.scrollIntoViewIfNeeded();
  await expect(input).toBeVisible();
  const r = await input.boundingBox();
  expect(r && r.x >= 0 && r.x + r.width <= 390).toBe(true);
  await page.screenshot({ path: `${SHOTS}/phone-consoles.png` });
});

test('the toolbar is one row in a 16:9 box or below 1100 px, the rest behind "⋯"', async ({
  page,
}) => {
  // Wide and tall enough (16:10): every control in the bar, on two rows, no "⋯".
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/?speed=10');
  await syncedAndPaused(page);
  await expect(page.getByRole('combobox', { name: 'Theme' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'More controls' })).toBeHidden();
  const more = page.getByRole('button', { name: 'More controls' });
  // A 16:9 box, where height runs out first: one row, and the same at 960 px.
  for (const size of [
    { width: 1280, height: 720 },
    { width: 960, height: 540 },
  ]) {
    await page.setViewportSize(size);
    await frames(page);
    await expect(more).toBeVisible();
    await expect(page.getByRole('combobox', { name: 'Theme' })).toBeHidden();
    // One row: every visible control of the bar shares the first row's vertical band.
    const rows = await page.evaluate(() => {
      const top = document.querySelector('.rl-top');
      const tops = [...(top?.querySelectorAll('button, select, input') ?? [])]
        .filter((e) => (e as HTMLElement).checkVisibility())
        .map((e) => Math.round(e.getBoundingClientRect().top / 8));
      return new Set(tops).size;
    });
    expect(rows, `toolbar rows at ${size.width} px`).toBeLessThanOrEqual(2); // 1 px rounding
    const barHeight = await page
      .locator('.rl-top')
      .evaluate((e) => e.getBoundingClientRect().height);
    const buttonHeight = await page
      .getByRole('button', { name: 'Play' })
      .evaluate((e) => e.getBoundingClientRect().height);
    expect(barHeight).toBeLessThan(buttonHeight * 1.5);
  }
  // The popover holds the less-used controls, and they work.
  await more.click();
  await expect(more).toHaveAttribute('aria-expanded', 'true');
  const theme = page.getByRole('combobox', { name: 'Theme' });
  await expect(theme).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Default write' })).toBeFocused();
  await page.screenshot({ path: `${SHOTS}/toolbar-more-960x540.png` });
  const box = await theme.boundingBox();
  expect(box && box.x >= 0 && box.x + box.width <= 960 && box.y + box.height <= 540).toBe(true);
  // Chosen with the pointer: the theme changes, the popover is done with, Space pauses again.
  await theme.selectOption('dark');
  await expect(page.locator('.rl-root')).toHaveAttribute('data-theme', 'dark');
  await expect(theme).toBeHidden();
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  // Escape closes it and gives the focus back to "⋯"; a click elsewhere closes it too.
  await more.click();
  await expect(theme).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(theme).toBeHidden();
  await expect(more).toBeFocused();
  await more.click();
  await expect(theme).toBeVisible();
  await page.getByTestId('server-master').click({ position: { x: 5, y: 5 } });
  await expect(theme).toBeHidden();
});

test('consoles: docked under the stage, a drawer when the stage leaves no room', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?speed=10');
  await syncedAndPaused(page);
  // One replica at 1280×720: both consoles are docked on screen, below the backlog.
  const masterConsole = page.getByRole('textbox', { name: 'master console' });
  await expect(masterConsole).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'replica1 console' })).toBeVisible();
  const inView = async (name: string) => {
    const b = await page.getByRole('textbox', { name }).boundingBox();
    return !!b && b.y >= 0 && b.y + b.height <= 720 && b.x >= 0 && b.x + b.width <= 1280;
  };
  expect(await inView('master console')).toBe(true);
  expect(await inView('replica1 console')).toBe(true);
  // Three replicas: the stage takes the height, the consoles become a bar that opens a drawer.
  await page.locator('button[aria-label="Play"]').click();
  await page.getByRole('button', { name: 'Add replica' }).click();
  await page.getByRole('button', { name: 'Add replica' }).click();
  await expect(page.getByTestId('link-replica3')).toHaveText('online', SLOW);
  await page.locator('button[aria-label="Pause"]').click();
  const open = page.getByRole('button', { name: 'Open consoles and logs' });
  await expect(open).toBeVisible();
  const ob = await open.boundingBox();
  expect(ob && ob.y >= 0 && ob.y + ob.height <= 720, 'the drawer opener is on screen').toBe(true);
  // The consoles continue below the fold (the lab scrolls down to them), the stage stays whole.
  expect(await inView('master console')).toBe(false);
  await expectFits(page, '3 replicas with the dock closed', 3);
  await open.click();
  // The drawer: every server's console and log, on screen, and usable.
  for (const n of ['master', 'replica1', 'replica2', 'replica3']) {
    await expect(page.getByRole('textbox', { name: `${n} console` })).toBeVisible();
    expect(await inView(`${n} console`), `${n} console in the drawer`).toBe(true);
  }
  await masterConsole.fill('DBSIZE');
  await masterConsole.press('Enter');
  await expect(page.getByTestId('console-out-master')).toContainText('(integer)');
  await page.screenshot({ path: `${SHOTS}/drawer-3r-1280x720.png` });
  await page.keyboard.press('Escape');
  await expect(open).toBeVisible();
  expect(await inView('master console')).toBe(false);
});

/** Visible text smaller than `min` px (text nodes, and the text of inputs and selects). */
function smallText(min: number): string[] {
  const out: string[] = [];
  const root = document.querySelector('.rl-root');
  if (!root) return ['no .rl-root'];
  const vw = document.documentElement.clientWidth;
  const vh = document.documentElement.clientHeight;
  const shown = (el: Element, rects: DOMRectList | DOMRect[]): boolean => {
    const onScreen = [...rects].some(
      (r) =>
        r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < vw && r.top < vh,
    );
    if (!onScreen) return false;
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    // A live region for screen readers only (1 px, clipped away): nothing on screen.
    if (el.closest('.rl-sr-only')) return false;
    // A packet fading out (opacity below 1 on it or an ancestor) is not something to read.
    for (let e: Element | null = el; e; e = e.parentElement)
      if (Number(getComputedStyle(e).opacity) < 0.99) return false;
    // Clipped away by a scroller or an overflow: hidden ancestor.
    const r = el.getBoundingClientRect();
    for (let e = el.parentElement; e; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.overflow === 'visible' && cs.overflowX === 'visible' && cs.overflowY === 'visible')
        continue;
      const c = e.getBoundingClientRect();
      if (r.bottom <= c.top || r.top >= c.bottom || r.right <= c.left || r.left >= c.right)
        return false;
    }
    return true;
  };
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = (n.textContent ?? '').trim();
    const el = n.parentElement;
    if (!text || !el || el.closest('option')) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    if (!shown(el, range.getClientRects())) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < min)
      out.push(
        `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${text.slice(0, 30)}" ${size}px`,
      );
  }
  for (const el of root.querySelectorAll('input, select')) {
    if (!shown(el, [el.getBoundingClientRect()])) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < min)
      out.push(`${el.tagName.toLowerCase()}[${el.getAttribute('aria-label')}] ${size}px`);
  }
  return out;
}

test('projector at 1920×1080: no visible text under 22 px', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('/?speed=10&theme=projector');
  await syncedAndPaused(page);
  await page.locator('button[aria-label="Play"]').click();
  // A partial resync, and then a write in flight: paused with packets on the wire.
  // (A reset: a short stop of the network would resync nothing, TCP retransmits.)
  await page.getByRole('button', { name: 'Reset connection replica1' }).click();
  await page.getByRole('button', { name: 'Write key' }).click();
  await page.getByRole('button', { name: 'Restore network replica1' }).click();
  await expect(page.getByTestId('psync-reply')).toContainText('+CONTINUE', SLOW);
  await expect(page.getByTestId('link-replica1')).toHaveText('online', SLOW);
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('1');
  await page.getByRole('button', { name: 'Write key' }).click();
  await page.waitForFunction(
    () => {
      const pk = [...document.querySelectorAll<HTMLElement>('.rl-wire .rl-pk')].find(
        (e) => e.style.opacity === '1',
      );
      if (!pk) return false;
      document.querySelector<HTMLButtonElement>('button[aria-label="Pause"]')?.click();
      return true;
    },
    undefined,
    { polling: 'raf', timeout: 45_000 },
  );
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await frames(page);
  // What the back row reads: packets, offsets, ticks, the why-panel's details, the docked logs.
  await expect(page.locator('.rl-wire .rl-pk').first()).toBeVisible();
  await expect(page.getByTestId('log-master')).toBeVisible();
  await expect(page.locator('.rl-check-detail').first()).toBeVisible();
  await expect(page.locator('.rl-tick').first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/projector-1920x1080-paused.png` });
  expect(await page.evaluate(smallText, 22)).toEqual([]);
  // The master's offset is large: at least twice the body text.
  const offsetPx = await page
    .getByTestId('offset-master')
    .evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  expect(offsetPx).toBeGreaterThanOrEqual(48);
  // The space is used: the lab's content reaches the bottom of the screen.
  const bottom = await page.evaluate(() =>
    Math.max(
      ...[...document.querySelectorAll('.rl-main > *')].map(
        (e) => e.getBoundingClientRect().bottom,
      ),
    ),
  );
  expect(bottom).toBeGreaterThan(1080 * 0.95);
  // And in the drawer, the consoles' and logs' text too.
  await page.getByRole('button', { name: 'Enlarge consoles and logs' }).click();
  await expect(page.getByRole('textbox', { name: 'replica1 console' })).toBeVisible();
  expect(await page.evaluate(smallText, 22)).toEqual([]);
  await page.screenshot({ path: `${SHOTS}/projector-1920x1080-drawer.png` });
});
