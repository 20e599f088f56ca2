/**
 * The wire tells the story (issue 9): +CONTINUE and +FULLRESYNC are readable on the wire at the
 * moment they travel — never under another packet, never outside the screen — PSYNC shows the
 * whole requested offset, the backlog slice says its bytes and where it starts as the master's log
 * does, a skip says what it skipped to, and a reconnecting replica says so.
 *
 * The app is driven with its own controls only: Pause, Step, Play, Speed, the cut buttons and the
 * console.
 */
import { expect, test, type Page } from '@playwright/test';
import { chooseTheme, pause, play, setSpeed, simNow, streamView } from './controls';

const SLOW = { timeout: 45_000 };
const THEMES = ['light', 'dark', 'projector'] as const;

async function frames(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
      ),
  );
}

async function offset(page: Page, server: string): Promise<number> {
  const v = await page.getByLabel(`${server} master_repl_offset`).getAttribute('data-offset');
  return Number(v);
}

async function waitInSync(page: Page, replica = 'replica1'): Promise<void> {
  await expect(page.getByTestId(`link-${replica}`)).toHaveText('online', SLOW);
  await expect
    .poll(async () => (await offset(page, 'master')) === (await offset(page, replica)), SLOW)
    .toBe(true);
}

async function consoleRun(page: Page, server: string, line: string): Promise<void> {
  const box = page.getByRole('textbox', { name: `${server} console` });
  await box.fill(line);
  await box.press('Enter');
  await expect(box).toHaveValue('');
}

/**
 * Presses Step (the app's own button) until a packet matching `selector` is on the wire and
 * visible, waiting two frames after each press so the wire has drawn it. Paused throughout.
 */
async function stepUntil(page: Page, selector: string, maxSteps = 3000): Promise<number> {
  const steps = await page.evaluate(
    async ([sel, max]) => {
      const step = document.querySelector<HTMLButtonElement>('button[aria-label="Step"]');
      const visible = () =>
        [...document.querySelectorAll<HTMLElement>(sel)].some(
          (el) => el.style.visibility === 'visible' && el.style.opacity === '1',
        );
      const frame = () =>
        new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
      for (let i = 0; i < max; i++) {
        if (visible()) return i;
        step?.click();
        await frame();
      }
      return visible() ? max : -1;
    },
    [selector, maxSteps] as const,
  );
  expect(steps, `a step puts ${selector} on the wire`).toBeGreaterThanOrEqual(0);
  return steps;
}

interface Legibility {
  text: string;
  /** The element carrying the text is what is on top at its own centre. */
  topmost: boolean;
  /** What is on top there instead, when it is not. */
  onTop: string;
  inViewport: boolean;
  /** The whole packet lies inside its wire (the wire clips what sticks out). */
  inWire: boolean;
  rect: { x: number; y: number; r: number; b: number };
}

/** Is the packet chunk whose text is exactly `text` legible right now? */
async function legibility(page: Page, text: string): Promise<Legibility | null> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await frames(page);
  return page.evaluate((want) => {
    const el = [...document.querySelectorAll<HTMLElement>('.rl-wire .rl-pk-chunk')].find(
      (c) =>
        c.textContent === want && c.closest<HTMLElement>('.rl-pk')?.style.visibility === 'visible',
    );
    if (!el) return null;
    const r = el.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    const pk = el.closest('.rl-pk')!.getBoundingClientRect();
    const wire = el.closest('.rl-wire')!.getBoundingClientRect();
    return {
      text: el.closest('.rl-pk')?.textContent ?? '',
      topmost: top === el,
      onTop: top ? `${top.tagName}.${top.className} "${(top.textContent ?? '').slice(0, 40)}"` : '',
      inViewport:
        r.left >= 0 && r.top >= 0 && r.right <= window.innerWidth && r.bottom <= window.innerHeight,
      inWire:
        pk.left >= wire.left - 0.5 &&
        pk.right <= wire.right + 0.5 &&
        pk.top >= wire.top - 0.5 &&
        pk.bottom <= wire.bottom + 0.5,
      rect: { x: r.left, y: r.top, r: r.right, b: r.bottom },
    };
  }, text);
}

async function expectLegible(page: Page, text: string, when: string): Promise<Legibility> {
  const l = await legibility(page, text);
  expect(l, `${text} is on the wire (${when})`).not.toBeNull();
  if (!l) throw new Error('unreachable');
  expect(l.topmost, `${text} is on top at its centre (${when}); on top: ${l.onTop}`).toBe(true);
  expect(l.inViewport, `${text} is inside the viewport (${when})`).toBe(true);
  expect(l.inWire, `${text}'s packet is inside its wire (${when})`).toBe(true);
  return l;
}

/** No two visible packets on any wire overlap. */
async function expectNoOverlap(page: Page, when: string): Promise<void> {
  const pairs = await page.evaluate(() => {
    const out: string[] = [];
    for (const wire of document.querySelectorAll('.rl-wire')) {
      const boxes = [...wire.querySelectorAll<HTMLElement>('.rl-pk')]
        .filter(
          (p) =>
            p.style.visibility === 'visible' &&
            Number(p.style.opacity || '1') > 0.99 &&
            !p.classList.contains('rl-pk-dropped'),
        )
        .map((p) => ({ t: p.textContent ?? '', r: p.getBoundingClientRect() }));
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i]!;
          const b = boxes[j]!;
          const dx = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
          const dy = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
          if (dx > 1 && dy > 1) out.push(`"${a.t}" × "${b.t}"`);
        }
    }
    return out;
  });
  expect(pairs, `packets overlapping (${when})`).toEqual([]);
}

async function shoot(page: Page, name: string): Promise<void> {
  for (const theme of THEMES) {
    await chooseTheme(page, theme);
    await page.evaluate(() => window.scrollTo(0, 0));
    await frames(page);
    await expectNoOverlap(page, `${name}, ${theme}`);
    await page.screenshot({
      path: `${test.info().project.outputDir}/screens/wire-${name}-${theme}.png`,
    });
  }
  await chooseTheme(page, 'light');
}

test.beforeEach(async ({ page }) => {
  // Stepping event by event and three themes of screenshots take longer than the default.
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1280, height: 720 });
});

test('full resync: PSYNC asks for a whole offset, +FULLRESYNC and the RDB are both readable', async ({
  page,
}) => {
  await page.goto('/');
  await pause(page);

  await stepUntil(page, '.rl-pk-psync');
  const psync = (await page.locator('.rl-pk-psync .rl-pk-label').textContent()) ?? '';
  const asked = /^PSYNC (\S+) (-?\d+)$/.exec(psync);
  expect(asked, `PSYNC label "${psync}"`).not.toBeNull();
  // A replica asks for the byte after the last one it has.
  expect(Number(asked?.[2])).toBe((await offset(page, 'replica1')) + 1);
  await expectLegible(page, 'PSYNC', 'PSYNC just sent');

  await stepUntil(page, '.rl-pk-full');
  await expectLegible(page, '+FULLRESYNC', '+FULLRESYNC just sent');
  const full = (await page.locator('.rl-pk-full .rl-pk-label').textContent()) ?? '';
  expect(full).toMatch(/^\+FULLRESYNC [0-9a-f]{8}… \d+$/);

  // The BGSAVE ends while +FULLRESYNC is still crossing: the $305 header and the RDB follow it.
  await stepUntil(page, '.rl-pk-rdb');
  await expect(page.locator('.rl-pk-full')).toBeVisible();
  await expectLegible(page, '+FULLRESYNC', 'the RDB sent behind it');
  const rdb = await expectLegible(page, 'RDB', 'the RDB sent');
  expect(rdb.text).toMatch(/^RDB \d+ B\s*\d+%$/);
  await expectNoOverlap(page, 'RDB behind +FULLRESYNC');
  // The bulk header is a RESP detail: no "$305" fragment in the commands view…
  await expect(page.locator('.rl-wire')).not.toContainText('$');
  // …and in the RESP view it is the legit `$305\r\n` header, readable too.
  await streamView(page, 'RESP bytes');
  await frames(page);
  const header = await page.locator('.rl-wire .rl-pk-crlf', { hasText: /^\$\d+\\r\\n$/ }).count();
  expect(header).toBe(1);
  await expectNoOverlap(page, 'RESP view');
  await streamView(page, 'Commands');

  // Mid-flight: play slowly and pause when +FULLRESYNC is halfway across.
  await setSpeed(page, '0.25');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(
    () => {
      const el = document.querySelector<HTMLElement>('.rl-pk-rdb .rl-pk-bar');
      if (!el || parseFloat(el.style.width || '0') < 30) return false;
      document.querySelector<HTMLButtonElement>('button[aria-label="Pause"]')?.click();
      return true;
    },
    undefined,
    { polling: 'raf', timeout: 45_000 },
  );
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  if (await page.locator('.rl-pk-full').isVisible())
    await expectLegible(page, '+FULLRESYNC', 'mid-flight');
  await expectLegible(page, 'RDB', 'mid-flight');
  await shoot(page, 'full-resync-mid-flight');
});

test('partial resync: +CONTINUE is readable, and the backlog slice says what the log says', async ({
  page,
}) => {
  await page.goto('/');
  await setSpeed(page, '10');
  await waitInSync(page);
  await pause(page);
  const had = await offset(page, 'replica1');

  await page.getByRole('button', { name: 'Stop network replica1' }).click();
  await consoleRun(
    page,
    'master',
    'HSET curso:4 nombre "Curso de introducción a docker" duration 30',
  );
  // As on the slides: the stop outlasts repl-timeout (60 s), both sides give the link up, and the
  // master PINGs into its backlog meanwhile (repl-ping-replica-period 10 s). A shorter stop would
  // resync nothing: TCP retransmits what was lost.
  const t0 = await simNow(page);
  await play(page);
  await expect.poll(() => simNow(page), SLOW).toBeGreaterThan(t0 + 65_000);
  await pause(page);
  await page
    .getByRole('button', {
      name: /Restore network replica1|Reset connection replica1|Start network replica1/,
    })
    .first()
    .click();

  await stepUntil(page, '.rl-pk-psync');
  const psync = (await page.locator('.rl-pk-psync .rl-pk-label').textContent()) ?? '';
  const asked = /^PSYNC ([0-9a-f]{8})… (\d+)$/.exec(psync);
  expect(asked, `PSYNC label "${psync}"`).not.toBeNull();
  expect(Number(asked?.[2])).toBe(had + 1);
  await expectLegible(page, 'PSYNC', 'PSYNC just sent');

  // +CONTINUE and the backlog slice leave the master in the same instant.
  await stepUntil(page, '.rl-pk-continue');
  await expectLegible(page, '+CONTINUE', '+CONTINUE just sent');
  await expectNoOverlap(page, '+CONTINUE and the backlog slice');
  const log = page.getByTestId('log-master');
  await expect(log).toContainText('Sending', SLOW);
  const line = /Sending (\d+) bytes of backlog starting from offset (\d+)\./.exec(
    (await log.textContent()) ?? '',
  );
  expect(line, 'the master logs the backlog it sends').not.toBeNull();
  const [n, m] = [Number(line?.[1]), Number(line?.[2])];
  expect(m).toBe(had + 1);
  const slice = page.locator('.rl-pk-slice');
  await expect(slice.locator('.rl-pk-label')).toHaveText(`backlog ${n} B from offset ${m}`);
  // What it holds: the write, and the PINGs the master sent meanwhile (not `SELECT 0`).
  const holds = (await slice.locator('.rl-pk-sub').textContent()) ?? '';
  // (A silent cut keeps the replica on the master's list, so PINGs go into the backlog too.)
  expect(holds).toMatch(/^HSET curso:4 …( \+ \d+ PING)?$/);
  const slicePkt = await expectLegible(page, 'backlog', 'the backlog slice just sent');
  expect(slicePkt.text).toContain(`${m}`);

  // Mid-flight: play slowly, pause once +CONTINUE has crossed part of the wire.
  await setSpeed(page, '0.25');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(
    () => {
      const el = document.querySelector<HTMLElement>('.rl-pk-continue');
      if (!el || Number(el.dataset.progress ?? 0) < 0.3) return false;
      document.querySelector<HTMLButtonElement>('button[aria-label="Pause"]')?.click();
      return true;
    },
    undefined,
    { polling: 'raf', timeout: 45_000 },
  );
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await expectLegible(page, '+CONTINUE', 'mid-flight');
  await expectLegible(page, 'backlog', 'mid-flight');
  await shoot(page, 'partial-resync-mid-flight');
});

test('the clock shows the logs’ time, and a skip says what it skipped to and how far', async ({
  page,
}) => {
  await page.goto('/');
  await pause(page);
  const clock = page.getByTestId('sim-clock');
  await expect(clock).toHaveText(/^◷ \d\d \w{3} \d{4} \d\d:\d\d:\d\d\.\d{3}$/);

  const notice = page.getByTestId('skip-notice');
  const skip = page.getByRole('button', { name: 'Skip to next event' });
  // Skip until the PSYNC decision: each skip names where it stopped and the time it jumped.
  let text = '';
  for (let i = 0; i < 30 && !text.includes('PSYNC'); i++) {
    await skip.click();
    await expect(notice).toHaveText(/^\+\d+(\.\d+)? (ms|s|min) \S/);
    text = (await notice.textContent()) ?? '';
  }
  expect(text).toMatch(/→ replica1: PSYNC \S+ \d+ → \+FULLRESYNC$/);
  // The clock stopped where the master logged the request.
  const time = ((await clock.textContent()) ?? '').split(' ').at(-1) ?? '';
  await expect(page.getByTestId('log-master')).toContainText(
    `${time} * Replica 192.168.157.146:6379 asks for synchronization`,
  );

  // Nothing to wait for in a quiet lab: the skip says how long it jumped, never in silence.
  await setSpeed(page, '10');
  await play(page);
  await waitInSync(page);
  await pause(page);
  for (let i = 0; i < 5; i++) await skip.click();
  await expect(notice).toHaveText(/^\+\d+(\.\d+)? (ms|s|min) /);
});

test('a replica that keeps trying to reach its master says so on its wire', async ({ page }) => {
  await page.goto('/');
  await setSpeed(page, '10');
  await waitInSync(page);
  await expect(page.getByTestId('retry-replica1')).toHaveCount(0);
  await page.getByRole('button', { name: 'Stop network replica1' }).click();
  const cue = page.getByTestId('retry-replica1');
  await expect(cue).toBeVisible({ timeout: 90_000 });
  await expect(cue).toContainText(/replica1 reconnecting · attempt \d+/);
  await pause(page);
  await shoot(page, 'retrying');
  await play(page);
  await page
    .getByRole('button', { name: /Restore network replica1|Start network replica1/ })
    .first()
    .click();
  await waitInSync(page);
  await expect(cue).toHaveCount(0);
});

test('a stream of writes relabels the packets it already drew: an arrival makes no new element', async ({
  page,
}) => {
  await page.goto('/?lang=en');
  await waitInSync(page);
  // The scene's 1 KB/s link at 200 writes a second: each wire draws its first 24 writes of the
  // queue and counts the rest; about 25 arrive a second, each one making room for the next.
  const churn = await page.evaluate(async () => {
    let made = 0;
    const seen = new Set<Element>();
    const mo = new MutationObserver((ms) => {
      for (const m of ms)
        for (const n of m.addedNodes)
          if (n instanceof HTMLElement && n.classList.contains('rl-pk-stream')) made++;
    });
    const wire = document.querySelector('[data-testid="wire-replica1"]')!;
    mo.observe(wire, { childList: true });
    const btn = document.querySelector<HTMLButtonElement>('button[aria-label="Write key"]')!;
    const timer = setInterval(() => {
      btn.click();
      btn.click();
    }, 10);
    const labels = new Set<string>();
    const until = performance.now() + 4000;
    while (performance.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      for (const el of wire.querySelectorAll('.rl-pk-stream')) {
        seen.add(el);
        labels.add(el.textContent ?? '');
      }
    }
    clearInterval(timer);
    mo.disconnect();
    return { made, elements: seen.size, labels: labels.size };
  });
  // Many different writes were drawn (the wire moved on) ...
  expect(churn.labels).toBeGreaterThan(40);
  // ... in about the 24 elements a lane draws: a wire's elements serve both its lanes, so the
  // replica's ACKs lend one or two back and forth (before: a new element per arrival, over 100).
  expect(churn.elements).toBeLessThanOrEqual(28);
  expect(churn.made).toBeLessThanOrEqual(28);

  // An element relabelled shows its new packet, never the one it showed: paused (and measured),
  // every write shown is one of the 24 after the replica's latest key, and the further along the
  // earlier (the wire's order is the queue's).
  await pause(page);
  await frames(page);
  const latest = await page
    .getByRole('list', { name: 'replica1 keys, most recent first' })
    .locator('.rl-key-name')
    .first()
    .innerText();
  const n = Number(/^key:(\d+)$/.exec(latest)?.[1]);
  const shown = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-testid="wire-replica1"] .rl-pk-stream')]
      // (The writes: a master's PING may be on the wire too.)
      .filter((e) => e.style.visibility === 'visible' && /key:\d+/.test(e.textContent ?? ''))
      .sort((a, b) => Number(b.dataset['progress']) - Number(a.dataset['progress']))
      .map((e) => Number(/key:(\d+)/.exec(e.textContent ?? '')?.[1])),
  );
  expect(shown.length).toBeGreaterThan(0);
  expect(shown).toEqual([...shown].sort((a, b) => a - b));
  for (const k of shown) expect(k > n && k <= n + 24, `key:${k} after key:${n}`).toBe(true);
});
