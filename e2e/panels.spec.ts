/**
 * Panels that never lie, the two kinds of cut, and the keyboard (issue 9): what a student reads
 * in the why-panel, on the cards, in the console and the backlog window, checked against what
 * the engine did.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { chooseTheme, pause, play, setSpeed, simNow, switchLanguage } from './controls';

const THEMES = ['light', 'dark', 'projector'] as const;
const SLOW = { timeout: 45_000 };
/** Tests that type many console lines or take many screenshots, on a loaded 2-core machine. */
const LONG_TEST_MS = 120_000;

async function frames(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
      ),
  );
}

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

async function waitInSync(page: Page, replica = 'replica1'): Promise<void> {
  await expect(page.getByTestId(`link-${replica}`)).toHaveText('online', SLOW);
  await expect
    .poll(async () => {
      const [m, r] = await offsets(page, 'master', replica);
      return m === r && m >= 0;
    }, SLOW)
    .toBe(true);
}

async function consoleRun(page: Page, server: string, line: string): Promise<void> {
  const box = page.getByRole('textbox', { name: `${server} console` });
  await box.fill(line);
  await box.press('Enter');
  await expect(box).toHaveValue('');
}

/** The computed colour of `loc` and the theme's --bad colour, computed the same way. */
async function colourAndBad(loc: Locator): Promise<{ color: string; bad: string; bg: string }> {
  return loc.evaluate((el) => {
    const probe = document.createElement('span');
    probe.style.color = 'var(--bad)';
    el.appendChild(probe);
    const bad = getComputedStyle(probe).color;
    probe.style.color = 'var(--bad-bg)';
    const badBg = getComputedStyle(probe).color;
    probe.remove();
    const cs = getComputedStyle(el);
    return {
      color: cs.color,
      bad,
      bg: cs.backgroundColor === badBg ? 'bad-bg' : cs.backgroundColor,
    };
  });
}

/** Screenshots at the sizes (the page's top, what a projector shows), under /tmp. */
async function shoot(
  page: Page,
  name: string,
  sizes: ReadonlyArray<{ width: number; height: number }> = SIZES,
): Promise<void> {
  const before = page.viewportSize();
  for (const size of sizes) {
    await page.setViewportSize(size);
    await page.evaluate(() => window.scrollTo(0, 0));
    await frames(page);
    await page.screenshot({
      path: `${test.info().project.outputDir}/screens/panels-${name}-${size.width}x${size.height}.png`,
    });
  }
  if (before) await page.setViewportSize(before);
}

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
  { width: 960, height: 540 },
  { width: 390, height: 844 },
] as const;

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
});

test('why-panel: a first sync is expected, not a failure; a removed replica leaves no decision', async ({
  page,
}) => {
  test.setTimeout(LONG_TEST_MS);
  await page.goto('/');
  await setSpeed(page, '10');
  await waitInSync(page);
  const decision = page.getByTestId('psync-decision');
  await expect(decision).toHaveAttribute('data-replica', 'replica1');
  await expect(decision).toHaveAttribute('data-first-sync', 'true');
  await expect(page.getByTestId('first-sync')).toContainText(
    'replica1 asked with its own replication ID: it has never synced with this master',
  );
  await expect(page.getByTestId('psync-reply')).toContainText('+FULLRESYNC');
  await pause(page);
  for (const theme of THEMES) {
    await chooseTheme(page, theme);
    // The failed ID check and the +FULLRESYNC reply are neutral: neither red nor on red.
    const check = page.getByTestId('check-replid');
    await expect(check).toHaveClass(/rl-check-first/);
    await expect(check).not.toHaveClass(/rl-check-fail/);
    await expect(check).toContainText('no, as expected');
    const reply = page.getByTestId('psync-reply');
    await expect(reply).toHaveClass(/rl-reply-first/);
    await expect(reply).not.toHaveClass(/rl-reply-full/);
    for (const loc of [check, reply]) {
      const c = await colourAndBad(loc);
      expect(c.color, `${theme}: colour`).not.toBe(c.bad);
      expect(c.bg, `${theme}: background`).not.toBe('bad-bg');
    }
    // On the backlog axis too.
    await expect(page.locator('.rl-psync-mark')).toHaveClass(/rl-psync-first/);
    await shoot(page, `first-sync-${theme}`, [SIZES[0]]);
  }
  await chooseTheme(page, 'light');
  await play(page);

  // replica2 joins: its own first sync; then it is removed, and so is its decision.
  await page.getByRole('button', { name: 'Add replica' }).click();
  await waitInSync(page, 'replica2');
  await expect(decision).toHaveAttribute('data-replica', 'replica2');
  await expect(decision).toHaveAttribute('data-first-sync', 'true');
  await page.getByRole('button', { name: 'Remove replica2' }).click();
  await expect(page.getByTestId('server-replica2')).toHaveCount(0);
  await expect(page.locator('[data-testid="psync-decision"][data-replica="replica2"]')).toHaveCount(
    0,
  );
  await expect(page.getByRole('group', { name: 'PSYNC of replica' })).toHaveCount(0);
  await expect(page.locator('.rl-why')).not.toContainText('replica2');
  await expect(decision).toHaveAttribute('data-replica', 'replica1');

  // A decision belongs to one connection: when the link goes down it is marked as an old one.
  await page.getByRole('button', { name: 'Reset connection replica1' }).click();
  await expect(page.getByTestId('psync-ended')).toBeVisible();
  await expect(decision).toHaveAttribute('data-ended', 'true');
  await page.getByRole('button', { name: 'Restore network replica1' }).click();
  await expect(page.getByTestId('psync-reply')).toContainText('+CONTINUE', SLOW);
  await expect(decision).toHaveAttribute('data-ended', 'false');
  await expect(decision).toHaveAttribute('data-first-sync', 'false');
  await expect(page.getByTestId('psync-ended')).toHaveCount(0);
});

test('the key just written shows on the replica card when it arrives, its value whole', async ({
  page,
}) => {
  test.setTimeout(LONG_TEST_MS);
  await page.goto('/');
  await setSpeed(page, '10');
  await waitInSync(page);
  // More keys than a card lists: only recency can put the new one in view.
  for (let i = 0; i < 6; i++) await consoleRun(page, 'master', `SET aa:${i} ${i}`);
  const value = `${'una frase larga que no cabe en una línea '.repeat(3)}fin`;
  await consoleRun(page, 'master', `SET zz:ultima "${value}"`);
  await waitInSync(page);
  const replica = page.getByTestId('server-replica1');
  const row = replica.locator('.rl-key[data-key="zz:ultima"]');
  await expect(row).toBeVisible();
  await expect(replica.locator('.rl-key').first()).toHaveAttribute('data-key', 'zz:ultima');
  // The value is there whole (wrapped, two lines), and expands on a click.
  const val = row.locator('.rl-key-val');
  await expect(val).toHaveText(value);
  await val.click();
  await expect(val).toHaveAttribute('aria-expanded', 'true');
  const fits = await val.evaluate(
    (el) => el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1,
  );
  expect(fits, 'the expanded value is not cut').toBe(true);

  // With three replicas the cards are compact: each still shows the latest key it got.
  await page.getByRole('button', { name: 'Add replica' }).click();
  await page.getByRole('button', { name: 'Add replica' }).click();
  await waitInSync(page, 'replica2');
  await waitInSync(page, 'replica3');
  await consoleRun(page, 'master', 'SET recien:escrita "llega a todas"');
  for (const r of ['replica1', 'replica2', 'replica3']) {
    await expect(
      page.getByRole('list', { name: `${r} latest key` }).locator('.rl-key'),
      r,
    ).toHaveAttribute('data-key', 'recien:escrita', SLOW);
  }
  await pause(page);
  await shoot(page, 'latest-key-three-replicas');
});

test('show log master prints the whole log, scrollable', async ({ page }) => {
  await page.goto('/');
  await setSpeed(page, '10');
  await waitInSync(page);
  await pause(page);
  await consoleRun(page, 'master', 'show log master');
  const out = page.getByTestId('console-out-master');
  const entry = out.locator('.rl-cl-whole').last();
  await expect(entry).toContainText('oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
  const lastLogLine =
    (await page.getByTestId('log-master').locator('.rl-log-line').last().textContent()) ?? '';
  expect(lastLogLine.length).toBeGreaterThan(10);
  const text = (await entry.textContent()) ?? '';
  expect(text.trimEnd().endsWith(lastLogLine.trim())).toBe(true);
  expect(text.length).toBeGreaterThan(600);
  expect(text).not.toContain('characters)');
  // The console scrolls: the log is taller than it, and its end is in view.
  const scroll = await out.evaluate((el) => ({
    h: el.scrollHeight,
    c: el.clientHeight,
    top: el.scrollTop,
  }));
  expect(scroll.h).toBeGreaterThan(scroll.c * 3);
  expect(scroll.top).toBeGreaterThan(0);
});

test('logs and consoles show their end: opened at a lesson step, and after the reader scrolls up and back', async ({
  page,
}) => {
  // Step 5 fills the logs while the layout is still settling (the dock squeezes them).
  await page.goto('/?scenario=partial-resync&step=5&lang=en');
  await expect(page.getByTestId('log-master')).toContainText('Sending 183 bytes');
  const atEnd = (testId: string) =>
    page
      .getByTestId(testId)
      .evaluate(
        (el) =>
          el.scrollHeight > el.clientHeight &&
          el.scrollTop + el.clientHeight >= el.scrollHeight - 4,
      );
  for (const id of ['log-master', 'log-replica1', 'console-out-master'])
    await expect.poll(() => atEnd(id), id).toBe(true);
  // Scrolled up to read, it stays there while lines come; back at the end, it follows again.
  const log = page.getByTestId('log-master');
  const lines = () => log.locator('.rl-log-line').count();
  await log.evaluate((el) => el.scrollTo({ top: 0 }));
  const before = await lines();
  await page.getByRole('button', { name: 'Reset connection replica1' }).click();
  await page.getByRole('button', { name: 'Restore network replica1' }).click();
  await play(page);
  await expect.poll(lines).toBeGreaterThan(before);
  expect(await log.evaluate((el) => el.scrollTop)).toBe(0);
  await log.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  const back = await lines();
  await expect.poll(lines, { timeout: 30_000 }).toBeGreaterThan(back);
  await expect.poll(() => atEnd('log-master')).toBe(true);
});

test('a stop cut counts down repl-timeout on both sides; restored in seconds, TCP retransmits: no resync', async ({
  page,
}) => {
  test.setTimeout(LONG_TEST_MS);
  await page.goto('/');
  await setSpeed(page, '10');
  await waitInSync(page);
  await setSpeed(page, '2');
  const masterLog = page.getByTestId('log-master');
  const asks = async () =>
    (await masterLog.textContent())?.split('asks for synchronization').length ?? 0;
  const asksBefore = await asks();

  await page.getByRole('button', { name: 'Stop network replica1' }).click();
  await expect(page.getByTestId('cut-replica1')).toHaveAttribute('data-net', 'stopped');
  await expect(page.getByRole('button', { name: 'Restore network replica1' })).toBeVisible();
  const onReplica = page.getByTestId('timeout-replica-replica1');
  const onMaster = page.getByTestId('timeout-master-replica1');
  await expect(onReplica).toHaveText(/^MASTER timeout in \d+ s$/);
  await expect(onMaster).toHaveText(/^drops replica1 in \d+ s$/);
  const secs = async (loc: Locator) =>
    Number(/(\d+) s$/.exec((await loc.textContent()) ?? '')?.[1]);
  const first = await secs(onReplica);
  // repl-timeout is 60 s; Redis compares whole seconds and checks once a second (replicationCron),
  // so it gives up between 60 and 62 s after the last data.
  expect(first).toBeGreaterThan(45);
  expect(first).toBeLessThanOrEqual(62);
  expect(await secs(onMaster)).toBeLessThanOrEqual(62);

  await consoleRun(page, 'master', 'SET durante:corte "escrito con la red parada"');
  const t0 = await simNow(page);
  await expect.poll(() => simNow(page), SLOW).toBeGreaterThan(t0 + 4000);
  const replicaKey = page
    .getByTestId('server-replica1')
    .locator('.rl-key[data-key="durante:corte"]');
  await expect(replicaKey).toHaveCount(0);
  expect(await secs(onReplica)).toBeLessThan(first);
  await pause(page);
  for (const theme of THEMES) {
    await chooseTheme(page, theme);
    await shoot(page, `stop-cut-countdown-${theme}`);
  }
  await chooseTheme(page, 'light');
  await play(page);

  await page.getByRole('button', { name: 'Restore network replica1' }).click();
  await expect(onReplica).toHaveCount(0);
  await expect(onMaster).toHaveCount(0);
  // TCP sends the lost segment again (its timer backed off from 200 ms while the network was
  // stopped): the write arrives within seconds, on the same connection.
  const t1 = await simNow(page);
  await expect(replicaKey).toBeVisible(SLOW);
  expect((await simNow(page)) - t1).toBeLessThan(20_000);
  await waitInSync(page);
  expect(await asks()).toBe(asksBefore);
  await expect(page.getByTestId('psync-decision')).toHaveAttribute('data-first-sync', 'true');
  await expect(page.getByTestId('psync-decision')).toHaveAttribute('data-ended', 'false');
  await expect(masterLog).not.toContainText('Partial resynchronization request');
  await expect(page.getByTestId('log-replica1')).not.toContainText('Connection with master lost');
});

test('the backlog says so when it holds more than repl-backlog-size', async ({ page }) => {
  await page.goto('/');
  await setSpeed(page, '10');
  await waitInSync(page);
  test.setTimeout(LONG_TEST_MS);
  await consoleRun(page, 'master', 'CONFIG SET repl-backlog-size 16384');
  await expect(page.getByTestId('backlog-over')).toHaveCount(0);
  // 18 writes of about 1 KB: more than the 16 KB, less than that and a 20 KB block.
  const big = 'x'.repeat(1000);
  for (let i = 0; i < 18; i++) await consoleRun(page, 'master', `SET k${i} ${big}`);
  await expect(page.getByTestId('backlog-over')).toBeVisible();
  await expect(page.getByTestId('backlog-over')).toHaveText(
    /^Holds [\d.]+ KB, more than repl-backlog-size 16 KB: Redis 7 frees whole blocks\.$/,
  );
  // A cut replica still inside it: a number of bytes, never "0 ms".
  await page.getByRole('button', { name: 'Reset connection replica1' }).click();
  await consoleRun(page, 'master', `SET one-more ${big}`);
  const gauge = page.locator('.rl-gauge');
  await expect(gauge).toContainText(/replica1 leaves the backlog after [\d.]+ (B|KB) more written/);
  await expect(gauge).not.toContainText(/\b0 ms\b/);
  await pause(page);
  await shoot(page, 'backlog-over-size', [SIZES[0], SIZES[2]]);
});

test('keyboard: Space pauses after a dropdown or a clicked button; the wire cuts with Enter/Space', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await chooseTheme(page, 'dark');
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await setSpeed(page, '10');
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();

  // A clicked button does not take Space: Space pauses, the button is not pressed again.
  const writes = () =>
    page.getByTestId('server-master').locator('.rl-key[data-key^="key:"]').count();
  await page.getByRole('button', { name: 'Write key' }).click();
  await expect.poll(writes).toBe(1);
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await frames(page);
  expect(await writes()).toBe(1);
  // Letters work too: w writes.
  await page.keyboard.press('w');
  await expect.poll(writes).toBe(2);

  // The wire, focused from the keyboard: Space stops the replica's network, Enter restores it.
  await page.getByRole('button', { name: 'Link master to replica1' }).focus();
  await page.keyboard.press(' ');
  await expect(page.getByTestId('cut-replica1')).toHaveAttribute('data-net', 'stopped');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('cut-replica1')).toHaveCount(0);
});

test('r asks before throwing work away; Escape keeps it, r again resets', async ({ page }) => {
  await page.goto('/');
  await setSpeed(page, '10');
  await waitInSync(page);
  const dialog = page.getByRole('alertdialog', { name: 'Reset the lab?' });
  // Nothing done yet: nothing to lose, no question.
  await page.keyboard.press('r');
  await expect(dialog).toHaveCount(0);

  await page.getByRole('button', { name: 'Write key' }).click();
  const written = page.getByTestId('server-master').locator('.rl-key[data-key="key:1"]');
  await expect(written).toBeVisible();
  await page.keyboard.press('r');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('is thrown away');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(written).toBeVisible();
  await page.keyboard.press('r');
  await expect(dialog).toBeVisible();
  await shoot(page, 'reset-confirm', [SIZES[0]]);
  await page.getByRole('button', { name: 'Cancel reset' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(written).toBeVisible();
  await page.keyboard.press('r');
  await page.keyboard.press('r');
  await expect(dialog).toHaveCount(0);
  await expect(written).toHaveCount(0);
});

test('error notices are translated and go: by themselves, with a language change, on reset', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Add replica' }).click();
  await page.getByRole('button', { name: 'Add replica' }).click();
  const notice = page.getByTestId('notice');
  // A fourth replica (the button is disabled; the a key still asks).
  await page.keyboard.press('a');
  await expect(notice).toHaveText('At most 3 replicas.');
  await switchLanguage(page);
  await expect(notice).toHaveCount(0);
  await page.keyboard.press('a');
  await expect(notice).toHaveText('Como máximo 3 réplicas.');
  await expect(notice).toHaveCount(0, { timeout: 10_000 });
  await page.keyboard.press('a');
  await expect(notice).toBeVisible();
  await page.getByRole('button', { name: 'Reiniciar', exact: true }).click();
  await expect(notice).toHaveCount(0);
});
