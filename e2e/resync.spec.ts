import { expect, test, type Page } from '@playwright/test';
import { chooseTheme, pause, play, setSpeed, simNow, switchLanguage } from './controls';

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;
const THEMES = ['light', 'dark', 'projector'] as const;

/** Generous: a loaded 2-core CI machine runs the page at a fraction of its usual frame rate. */
const SLOW = { timeout: 45_000 };

/** Two animation frames: styles, layout and the store's frame listeners have caught up. */
async function frames(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
      ),
  );
}

/** Screenshots of the top of the page (what a projector shows) at both sizes. */
async function shoot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => {
    const a = document.activeElement;
    if (a instanceof HTMLElement) a.blur();
  });
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.evaluate(() => window.scrollTo(0, 0));
    await frames(page);
    await page.screenshot({
      // Under the run's output folder (a temp folder, see playwright.config.ts).
      path: `${test.info().project.outputDir}/screens/${name}-${size.width}x${size.height}.png`,
    });
  }
  await page.setViewportSize(SIZES[0]);
}

/** The engine's master_repl_offset of `server` (the number on screen may still be counting). */
async function offset(page: Page, server: string): Promise<number> {
  const v = await page.getByLabel(`${server} master_repl_offset`).getAttribute('data-offset');
  return Number(v);
}

/** The number the offset counter shows right now. */
async function shownOffset(page: Page, server: string): Promise<number> {
  return Number(await page.getByLabel(`${server} master_repl_offset`).textContent());
}

/** Both engine offsets read in the same tick, so they come from one store state. */
async function offsets(page: Page, a: string, b: string): Promise<[number, number]> {
  return page.evaluate(
    ([x, y]) => {
      const read = (n: string) =>
        Number(
          document
            .querySelector(`[aria-label="${n} master_repl_offset"]`)
            ?.getAttribute('data-offset') ?? NaN,
        );
      return [read(x), read(y)] as [number, number];
    },
    [a, b] as const,
  );
}

/** Simulated milliseconds since the start (the engine clock). */
async function waitInSync(page: Page, replica = 'replica1'): Promise<number> {
  await expect(page.getByTestId(`link-${replica}`)).toHaveText('online', SLOW);
  await expect
    .poll(async () => {
      const [m, r] = await offsets(page, 'master', replica);
      return m === r && m >= 0;
    }, SLOW)
    .toBe(true);
  return offset(page, replica);
}

async function consoleRun(page: Page, server: string, line: string): Promise<void> {
  const box = page.getByRole('textbox', { name: `${server} console` });
  await box.fill(line);
  await box.press('Enter');
  await expect(box).toHaveValue('');
}

/** Master's INFO replication master_repl_offset, from its INFO tab. */
async function infoOffset(page: Page, server: string): Promise<number> {
  await page
    .getByRole('tablist', { name: `${server} log and info` })
    .getByRole('tab', { name: 'INFO replication' })
    .click();
  const text = (await page.getByTestId(`info-${server}`).textContent()) ?? '';
  await page
    .getByRole('tablist', { name: `${server} log and info` })
    .getByRole('tab', { name: 'Log' })
    .click();
  const m = /master_repl_offset:(\d+)/.exec(text);
  expect(m, 'INFO replication has master_repl_offset').not.toBeNull();
  return Number(m?.[1]);
}

test.beforeEach(async ({ page }) => {
  await page.setViewportSize(SIZES[0]);
});

test('first full resync completes', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect(page.getByLabel('master master_repl_offset')).toBeVisible();
  // The RDB is on the wire for well under a second at 1×: wait for it frame by frame and pause
  // in the same frame, so a slow machine cannot miss it and the screenshot shows it mid-flight.
  await page.waitForFunction(
    () => {
      const bar = document.querySelector<HTMLElement>('.rl-pk-rdb .rl-pk-bar');
      if (!bar || parseFloat(bar.style.width || '0') < 40) return false;
      document.querySelector<HTMLButtonElement>('button[aria-label="Pause"]')?.click();
      return true;
    },
    undefined,
    { polling: 'raf', timeout: 45_000 },
  );
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await expect(page.locator('.rl-pk-rdb')).toBeVisible();
  await expect(page.locator('.rl-pk-rdb .rl-pk-label')).toHaveText(/^RDB \d+ B$/);
  await shoot(page, '1-rdb-in-flight');
  await setSpeed(page, '10');
  await play(page);
  const off = await waitInSync(page);
  expect(off).toBeGreaterThanOrEqual(0);
  await expect(page.getByTestId('psync-reply')).toContainText('+FULLRESYNC', SLOW);
  await expect(page.getByTestId('resync-cost')).toBeVisible(SLOW);
  await pause(page);
  await shoot(page, '2-first-sync-done');
});

test('cut, write, restore: partial resync', async ({ page }) => {
  await page.goto('/');
  await setSpeed(page, '10');
  await waitInSync(page);
  await pause(page);
  // The master PINGs every 10 s (1 s at 10×): one may be on the wire at the pause. Step the
  // engine until it has arrived.
  for (let i = 0; i < 20; i++) {
    const [m, r] = await offsets(page, 'master', 'replica1');
    if (m === r) break;
    await page.getByRole('button', { name: 'Step', exact: true }).click();
  }
  const [masterBefore, replicaBefore] = await offsets(page, 'master', 'replica1');
  expect(masterBefore).toBe(replicaBefore);

  await page.getByRole('button', { name: 'Reset connection replica1' }).click();
  await expect(page.getByRole('button', { name: 'Restore network replica1' })).toBeVisible();
  await expect(page.getByTestId('link-replica1')).toHaveText('down');
  await consoleRun(
    page,
    'master',
    'HSET curso:4 nombre "Curso de introducción a docker" duration 30',
  );
  await expect(page.getByTestId('console-out-master')).toContainText('(integer) 2');
  // Let simulated time run with the link cut (the master keeps pinging nobody).
  const t0 = await simNow(page);
  await play(page);
  await expect.poll(() => simNow(page), SLOW).toBeGreaterThan(t0 + 15_000);
  await expect(page.getByTestId('link-replica1')).toHaveText('down');
  await pause(page);
  await shoot(page, '3-cut-with-missed-write');
  const masterAfter = await offset(page, 'master');
  expect(masterAfter).toBeGreaterThan(replicaBefore);

  await page.getByRole('button', { name: 'Restore network replica1' }).click();
  await play(page);
  await expect(page.getByTestId('psync-reply')).toContainText('+CONTINUE', SLOW);
  await waitInSync(page);
  const n = masterAfter - replicaBefore;
  const m = replicaBefore + 1;
  await expect(page.getByTestId('log-master')).toContainText(
    `Partial resynchronization request from 192.168.157.146:6379 accepted. Sending ${n} bytes of backlog starting from offset ${m}.`,
    SLOW,
  );
  await expect(page.getByTestId('check-range')).toHaveClass(/rl-check-ok/);
  await expect(page.getByTestId('resync-cost')).toContainText('partial', SLOW);
  await pause(page);
  await shoot(page, '4-partial-resync');
});

test('overflowing a small backlog forces a full resync', async ({ page }) => {
  // Forty 1 KB writes through the console and three sizes of screenshots, twice: heavy.
  test.slow();
  await page.goto('/');
  await setSpeed(page, '10');
  await waitInSync(page);
  await consoleRun(page, 'master', 'CONFIG SET repl-backlog-size 16384');
  await expect(page.getByTestId('console-out-master')).toContainText('OK');
  await page.getByRole('button', { name: 'Reset connection replica1' }).click();
  const big = 'x'.repeat(1000);
  for (let i = 0; i < 40; i++) await consoleRun(page, 'master', `SET k${i} ${big}`);
  await expect(page.locator('.rl-axis-lost')).toBeVisible(SLOW);
  await shoot(page, '5-backlog-overflowed');
  await page.getByRole('button', { name: 'Restore network replica1' }).click();
  await expect(page.getByTestId('psync-reply')).toContainText('+FULLRESYNC', SLOW);
  await expect(page.getByTestId('check-range')).toHaveClass(/rl-check-fail/);
  await expect(page.getByTestId('check-range')).toContainText('failed');
  await shoot(page, '6-full-resync-why');
  await waitInSync(page);
  await expect(page.getByTestId('resync-cost')).toContainText('full', SLOW);
  await pause(page);
  await shoot(page, '7-full-resync-done');
});

test('offset counters settle on the engine value when paused', async ({ page }) => {
  await page.goto('/');
  await setSpeed(page, '10');
  await waitInSync(page);
  for (let i = 0; i < 5; i++) await page.getByRole('button', { name: 'Write key' }).click();
  await pause(page);
  for (const server of ['master', 'replica1']) {
    const engine = await offset(page, server);
    await expect.poll(() => shownOffset(page, server), SLOW).toBe(engine);
  }
  const info = await infoOffset(page, 'master');
  expect(await shownOffset(page, 'master')).toBe(info);
  expect(await offset(page, 'master')).toBe(info);
  // Paused means paused: a write while paused changes the number at once, exactly.
  await page.getByRole('button', { name: 'Write key' }).click();
  const after = await infoOffset(page, 'master');
  expect(after).toBeGreaterThan(info);
  await expect.poll(() => shownOffset(page, 'master'), SLOW).toBe(after);
});

test('console: bad input never breaks the app', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto('/');
  const out = page.getByTestId('console-out-master');

  await consoleRun(page, 'master', 'SET "unbalanced');
  await expect(out.locator('.rl-cl-error').last()).toHaveText('Invalid argument(s)');
  await consoleRun(page, 'master', 'FOO bar');
  await expect(out.locator('.rl-cl-error').last()).toContainText(
    "(error) ERR unknown command 'FOO'",
  );
  await consoleRun(page, 'master', 'net nobody down');
  await expect(out.locator('.rl-cl-error').last()).toContainText("unknown server 'nobody'");
  await consoleRun(page, 'master', 'wait banana');
  await expect(out.locator('.rl-cl-error').last()).toContainText('wait needs a duration');
  await consoleRun(page, 'master', 'y'.repeat(10_000));
  await expect(out.locator('.rl-cl-error').last()).toContainText('ERR unknown command');
  // A huge line is clipped on screen, so the console stays usable.
  const longest = await out
    .locator('.rl-cl')
    .evaluateAll((els) => Math.max(...els.map((e) => (e.textContent ?? '').length)));
  expect(longest).toBeLessThan(2000);

  const xss = '<img src=x onerror=alert(1)>';
  await consoleRun(page, 'master', `SET xss "${xss}"`);
  await expect(out.locator('.rl-cl-output').last()).toHaveText('OK');
  await consoleRun(page, 'master', 'GET xss');
  await expect(out.locator('.rl-cl-output').last()).toHaveText(`"${xss}"`);
  // Shown as text, in the console and in the keyspace (with the whole value in its title).
  await expect(page.locator('.rl-root img')).toHaveCount(0);
  await expect(
    page.getByTestId('server-master').locator('.rl-key-val', { hasText: xss }),
  ).toHaveAttribute('title', xss);

  // The app still works: Write key moves the master's offset on.
  await setSpeed(page, '10');
  await waitInSync(page);
  const before = await offset(page, 'master');
  await page.getByRole('button', { name: 'Write key' }).click();
  await expect.poll(() => offset(page, 'master'), SLOW).toBeGreaterThan(before);
  await waitInSync(page);
  await consoleRun(page, 'replica1', 'GET xss');
  await expect(page.getByTestId('console-out-replica1').locator('.rl-cl-output').last()).toHaveText(
    `"${xss}"`,
  );
  await expect(page.locator('.rl-root img')).toHaveCount(0);
  expect(dialogs).toEqual([]);
  expect(pageErrors).toEqual([]);
});

test('themes and language', async ({ page }) => {
  await page.goto('/');
  await setSpeed(page, '10');
  await waitInSync(page);
  await consoleRun(page, 'replica1', 'GET curso:1');
  await expect(page.getByTestId('console-out-replica1')).toContainText('Introducci');
  await chooseTheme(page, 'projector');
  const bg = await page.locator('.rl-root').evaluate((e) => getComputedStyle(e).backgroundColor);
  expect(bg).not.toBe('rgb(0, 0, 0)');
  const base = await page
    .locator('.rl-root')
    .evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  expect(base).toBeGreaterThanOrEqual(18);
  const wire = await page
    .locator('.rl-wire-line')
    .first()
    .evaluate((e) => parseFloat(getComputedStyle(e).borderTopWidth));
  expect(wire).toBeGreaterThanOrEqual(4);
  await pause(page);
  await shoot(page, '8-projector');
  await chooseTheme(page, 'dark');
  await switchLanguage(page);
  await expect(page.getByText('¿Por qué parcial o completa?')).toBeVisible();
  await shoot(page, '9-dark-es');
});

/** Text smaller than 14 px, and text whose contrast with what is behind it is too low. */
function auditText(): { small: string[]; lowContrast: string[] } {
  type RGBA = [number, number, number, number];
  const parse = (c: string): RGBA | null => {
    let m = /^rgba?\(([^)]+)\)$/.exec(c);
    if (m) {
      const p = (m[1] ?? '')
        .split(/[\s,/]+/)
        .filter(Boolean)
        .map(Number);
      return [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0, p[3] ?? 1];
    }
    m = /^color\(srgb ([^)]+)\)$/.exec(c);
    if (m) {
      const p = (m[1] ?? '')
        .split(/[\s/]+/)
        .filter(Boolean)
        .map(Number);
      return [(p[0] ?? 0) * 255, (p[1] ?? 0) * 255, (p[2] ?? 0) * 255, p[3] ?? 1];
    }
    return null;
  };
  const over = (top: RGBA, under: RGBA): RGBA => {
    const a = top[3];
    return [
      top[0] * a + under[0] * (1 - a),
      top[1] * a + under[1] * (1 - a),
      top[2] * a + under[2] * (1 - a),
      1,
    ];
  };
  const lum = (c: RGBA) => {
    const f = (v: number) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const background = (el: Element): RGBA => {
    const layers: RGBA[] = [];
    for (let e: Element | null = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) break;
      }
    }
    let acc: RGBA = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) acc = over(layers[i] as RGBA, acc);
    return acc;
  };
  const small: string[] = [];
  const lowContrast: string[] = [];
  const root = document.querySelector('.rl-root');
  if (!root) return { small: ['no .rl-root'], lowContrast };
  const describe = (el: Element, text: string) =>
    `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${text.slice(0, 40)}"`;
  for (const el of root.querySelectorAll('*')) {
    const own = [...el.childNodes]
      .filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.textContent ?? '')
      .join('')
      .trim();
    // A slider, checkbox or file input shows no text of its own.
    const textual =
      el instanceof HTMLInputElement &&
      !['range', 'checkbox', 'radio', 'file', 'color', 'hidden'].includes(el.type);
    const field =
      el instanceof HTMLInputElement
        ? textual
          ? el.value || el.placeholder
          : ''
        : el instanceof HTMLSelectElement
          ? (el.selectedOptions[0]?.text ?? '')
          : '';
    const text = own || field;
    if (!text) continue;
    if (el.closest('option')) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.display === 'none') continue;
    let opacity = 1;
    for (let e: Element | null = el; e; e = e.parentElement)
      opacity *= Number(getComputedStyle(e).opacity);
    if (opacity < 0.99) continue; // fading in or out (packets, disabled buttons)
    const size = parseFloat(cs.fontSize);
    if (size < 14) small.push(`${describe(el, text)} ${size}px`);
    const fg = parse(cs.color);
    if (!fg) continue;
    const bg = background(el);
    const a = lum(over(fg, bg));
    const b = lum(bg);
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const large = size >= 24 || (size >= 18.66 && Number(cs.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) lowContrast.push(`${describe(el, text)} ${ratio.toFixed(2)}:1`);
  }
  return { small, lowContrast };
}

test('text is at least 14px with enough contrast, in every theme', async ({ page }) => {
  await page.goto('/');
  await setSpeed(page, '10');
  await waitInSync(page);
  await page.getByRole('button', { name: 'Write key' }).click();
  await consoleRun(page, 'master', 'FOO');
  await page.getByRole('button', { name: 'Add replica' }).click();
  await setSpeed(page, '1');
  await expect(page.locator('.rl-pk').first()).toBeVisible(SLOW);
  await pause(page);
  for (const lang of ['en', 'es'] as const) {
    if (lang === 'es') await switchLanguage(page);
    for (const theme of THEMES) {
      await chooseTheme(page, theme);
      for (const size of SIZES) {
        await page.setViewportSize(size);
        await frames(page);
        const r = await page.evaluate(auditText);
        expect(r.small, `text under 14px (${theme}, ${lang}, ${size.width})`).toEqual([]);
        expect(r.lowContrast, `low-contrast text (${theme}, ${lang}, ${size.width})`).toEqual([]);
      }
    }
  }
});

/** The top of the page: the boxes a projector must show, which must not overlap. */
async function topBoxes(page: Page) {
  return page.evaluate(() => {
    const pick = (sel: string) =>
      [...document.querySelectorAll(sel)].map((e) => {
        const r = e.getBoundingClientRect();
        const name = e.getAttribute('data-testid') ?? e.getAttribute('aria-label') ?? sel;
        return { name, x: r.left, y: r.top, r: r.right, b: r.bottom };
      });
    return {
      boxes: [
        ...pick('.rl-top'),
        ...pick('.rl-card'),
        ...pick('.rl-wire'),
        ...pick('.rl-backlog'),
        ...pick('.rl-why'),
      ],
      scrollX: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    };
  });
}

/**
 * Every top box inside the viewport and no two overlapping. `below` names boxes allowed to
 * continue below the fold (still without overlapping anything).
 */
async function expectTopFits(page: Page, label: string, below: string[] = []): Promise<void> {
  const vp = page.viewportSize() ?? SIZES[0];
  await page.evaluate(() => window.scrollTo(0, 0));
  await frames(page);
  const { boxes, scrollX } = await topBoxes(page);
  expect(scrollX, `${label}: no horizontal scrolling`).toBeLessThanOrEqual(0);
  for (const b of boxes) {
    if (!below.includes(b.name))
      expect(b.b, `${label}: ${b.name} bottom within ${vp.height}`).toBeLessThanOrEqual(vp.height);
    expect(b.r, `${label}: ${b.name} right within ${vp.width}`).toBeLessThanOrEqual(vp.width);
  }
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const c = boxes[j];
      if (!a || !c) continue;
      const overlap =
        Math.min(a.r, c.r) - Math.max(a.x, c.x) > 1 && Math.min(a.b, c.b) - Math.max(a.y, c.y) > 1;
      expect(overlap, `${label}: ${a.name} overlaps ${c.name}`).toBe(false);
    }
}

test('the top of the page fits above the fold', async ({ page }) => {
  await page.goto('/');
  await setSpeed(page, '10');
  await waitInSync(page);
  await expect(page.getByTestId('psync-reply')).toContainText('+FULLRESYNC');
  await pause(page);
  for (const replicas of [1, 3]) {
    if (replicas === 3) {
      await play(page);
      await page.getByRole('button', { name: 'Add replica' }).click();
      await page.getByRole('button', { name: 'Add replica' }).click();
      await waitInSync(page, 'replica2');
      await waitInSync(page, 'replica3');
      await pause(page);
    }
    for (const theme of THEMES) {
      await chooseTheme(page, theme);
      for (const size of SIZES) {
        await page.setViewportSize(size);
        // Every theme, three replicas included: cards, wires, backlog and why-panel fit.
        await expectTopFits(page, `${replicas} replica(s), ${theme}, ${size.width}×${size.height}`);
      }
      await page.setViewportSize(SIZES[0]);
      if (replicas === 3 && theme === 'projector') await shoot(page, '12-three-replicas-projector');
    }
  }
});

test('reduced motion: packets still show, without sliding', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto('/');
  expect(await page.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches)).toBe(
    true,
  );
  // A packet appears on the wire, fully opaque, at one of a few fixed stops.
  const seen = await page.waitForFunction(
    () => {
      for (const el of document.querySelectorAll<HTMLElement>('.rl-wire .rl-pk')) {
        if (el.style.opacity === '1' && el.dataset.stop !== undefined) return el.dataset.stop;
      }
      return false;
    },
    undefined,
    { polling: 'raf', timeout: 45_000 },
  );
  expect(['0', '1', '2', '3', '4']).toContain(await seen.jsonValue());
  await setSpeed(page, '10');
  await waitInSync(page);
  await expect(page.getByTestId('psync-reply')).toContainText('+FULLRESYNC');
  await page.getByRole('button', { name: 'Write key' }).click();
  await expect
    .poll(() => offsets(page, 'master', 'replica1').then(([m, r]) => m === r && m > 0), SLOW)
    .toBe(true);
  // Numbers jump straight to the engine value: no counting up.
  await expect
    .poll(async () => (await shownOffset(page, 'master')) === (await offset(page, 'master')), SLOW)
    .toBe(true);
  await pause(page);
  await shoot(page, '11-reduced-motion');
  expect(pageErrors).toEqual([]);
});

test('three replicas keep up with a stream of writes while the frame time is measured', async ({
  page,
}) => {
  await page.goto('/');
  await setSpeed(page, '10');
  await page.getByRole('button', { name: 'Add replica' }).click();
  await page.getByRole('button', { name: 'Add replica' }).click();
  await waitInSync(page, 'replica2');
  await waitInSync(page, 'replica3');
  await setSpeed(page, '1');
  const stats = await page.evaluate(async () => {
    const btn = document.querySelector<HTMLButtonElement>('button[aria-label="Write key"]');
    const timer = setInterval(() => btn?.click(), 120);
    const times: number[] = [];
    await new Promise<void>((resolve) => {
      let last = performance.now();
      const start = last;
      const tick = (t: number) => {
        times.push(t - last);
        last = t;
        if (t - start < 3000) requestAnimationFrame(tick);
        else resolve();
      };
      requestAnimationFrame(tick);
    });
    clearInterval(timer);
    const sorted = [...times.slice(1)].sort((a, b) => a - b);
    const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
    const p95 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0;
    const max = sorted[sorted.length - 1] ?? 0;
    return { frames: sorted.length, mean, p95, max };
  });
  const line = `rAF probe: ${stats.frames} frames, mean ${stats.mean.toFixed(1)} ms, p95 ${stats.p95.toFixed(1)} ms, max ${stats.max.toFixed(1)} ms`;
  console.log(line);
  test.info().annotations.push({ type: 'rAF probe', description: line });
  await pause(page);
  await shoot(page, '10-three-replicas');
  // The frame time is a figure, printed (speed targets live in benchmarks, not in timed tests:
  // a loaded CI machine slows every frame). What must hold: the page kept drawing, and every
  // write the probe made reached all three replicas.
  expect(stats.frames).toBeGreaterThan(0);
  await play(page);
  for (const r of ['replica1', 'replica2', 'replica3']) await waitInSync(page, r);
  expect(await offset(page, 'master')).toBeGreaterThan(0);
});

test('add and remove a replica: the master forgets it, the others stay in sync', async ({
  page,
}) => {
  await page.goto('/');
  await setSpeed(page, '10');
  await waitInSync(page);
  await page.getByRole('button', { name: 'Add replica' }).click();
  await expect(page.getByLabel('replica2 master_repl_offset')).toBeVisible();
  await waitInSync(page, 'replica2');
  await consoleRun(page, 'master', 'INFO replication');
  await expect(page.getByTestId('console-out-master')).toContainText('connected_slaves:2', SLOW);
  await page.getByRole('button', { name: 'Remove replica2' }).click();
  await expect(page.getByLabel('replica2 master_repl_offset')).toHaveCount(0);
  await consoleRun(page, 'master', 'INFO replication');
  await expect(page.getByTestId('console-out-master')).toContainText('connected_slaves:1', SLOW);
  await consoleRun(page, 'master', 'SET after remove');
  await waitInSync(page);
});
