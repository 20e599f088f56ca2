import { expect, test, type Page } from '@playwright/test';

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;

async function shoot(page: Page, name: string): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.waitForTimeout(150);
    await page.screenshot({
      path: `test-results/screens/${name}-${size.width}x${size.height}.png`,
    });
  }
  await page.setViewportSize(SIZES[0]);
}

async function offset(page: Page, server: string): Promise<number> {
  const text = await page.getByLabel(`${server} master_repl_offset`).textContent();
  return Number(text);
}

async function setSpeed(page: Page, speed: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Speed' }).selectOption(speed);
}

async function waitInSync(page: Page, replica = 'replica1'): Promise<number> {
  await expect(page.getByTestId(`link-${replica}`)).toHaveText('online', { timeout: 30_000 });
  await expect
    .poll(async () => (await offset(page, 'master')) === (await offset(page, replica)), {
      timeout: 30_000,
    })
    .toBe(true);
  return offset(page, replica);
}

/** Reads a number once it has stopped counting up. */
async function settled(page: Page, server: string): Promise<number> {
  let last = -1;
  for (;;) {
    const v = await offset(page, server);
    if (v === last) return v;
    last = v;
    await page.waitForTimeout(600);
  }
}

async function consoleRun(page: Page, server: string, line: string): Promise<void> {
  const box = page.getByRole('textbox', { name: `${server} console` });
  await box.fill(line);
  await box.press('Enter');
}

test.beforeEach(async ({ page }) => {
  await page.setViewportSize(SIZES[0]);
});

test('first full resync completes', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect(page.getByLabel('master master_repl_offset')).toBeVisible();
  // The RDB travels on the wire with its progress bar.
  await expect(page.locator('.rl-pk-rdb')).toBeVisible({ timeout: 20_000 });
  await shoot(page, '1-rdb-in-flight');
  await setSpeed(page, '10');
  const off = await waitInSync(page);
  expect(off).toBeGreaterThanOrEqual(0);
  await expect(page.getByTestId('psync-reply')).toContainText('+FULLRESYNC');
  await expect(page.getByTestId('resync-cost')).toBeVisible();
  await shoot(page, '2-first-sync-done');
});

test('cut, write, restore: partial resync', async ({ page }) => {
  await page.goto('/');
  await setSpeed(page, '10');
  await waitInSync(page);
  await page.getByRole('button', { name: 'Pause' }).click();
  const replicaBefore = await settled(page, 'replica1');
  expect(await settled(page, 'master')).toBe(replicaBefore);

  await page.getByRole('button', { name: 'Cut network replica1' }).click();
  await expect(page.getByRole('button', { name: 'Restore network replica1' })).toBeVisible();
  await consoleRun(
    page,
    'master',
    'HSET curso:4 nombre "Curso de introducción a docker" duration 30',
  );
  await expect(page.getByTestId('console-out-master')).toContainText('(integer) 2');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForTimeout(1500);
  await expect(page.getByTestId('link-replica1')).toHaveText('down');
  await shoot(page, '3-cut-with-missed-write');
  await page.getByRole('button', { name: 'Pause' }).click();
  const masterAfter = await settled(page, 'master');
  expect(masterAfter).toBeGreaterThan(replicaBefore);

  await page.getByRole('button', { name: 'Restore network replica1' }).click();
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('psync-reply')).toContainText('+CONTINUE', { timeout: 30_000 });
  // waitInSync polls until replica1's offset equals the master's.
  await waitInSync(page);
  const n = masterAfter - replicaBefore;
  const m = replicaBefore + 1;
  await expect(page.getByTestId('log-master')).toContainText(
    `Partial resynchronization request from 192.168.157.146:6379 accepted. Sending ${n} bytes of backlog starting from offset ${m}.`,
  );
  await expect(page.getByTestId('check-range')).toHaveClass(/rl-check-ok/);
  await expect(page.getByTestId('resync-cost')).toContainText('partial');
  await shoot(page, '4-partial-resync');
});

test('overflowing a small backlog forces a full resync', async ({ page }) => {
  await page.goto('/');
  await setSpeed(page, '10');
  await waitInSync(page);
  await consoleRun(page, 'master', 'CONFIG SET repl-backlog-size 16384');
  await expect(page.getByTestId('console-out-master')).toContainText('OK');
  await page.getByRole('button', { name: 'Cut network replica1' }).click();
  const big = 'x'.repeat(1000);
  for (let i = 0; i < 40; i++) await consoleRun(page, 'master', `SET k${i} ${big}`);
  await expect(page.locator('.rl-axis-lost')).toBeVisible();
  await shoot(page, '5-backlog-overflowed');
  await page.getByRole('button', { name: 'Restore network replica1' }).click();
  await expect(page.getByTestId('psync-reply')).toContainText('+FULLRESYNC', { timeout: 30_000 });
  await expect(page.getByTestId('check-range')).toHaveClass(/rl-check-fail/);
  await expect(page.getByTestId('check-range')).toContainText('failed');
  await shoot(page, '6-full-resync-why');
  await waitInSync(page);
  await expect(page.getByTestId('resync-cost')).toContainText('full');
  await shoot(page, '7-full-resync-done');
});

test('console: bad input never breaks the app; themes and language', async ({ page }) => {
  await page.goto('/');
  await consoleRun(page, 'master', 'SET "unbalanced');
  await expect(page.getByTestId('console-out-master')).toContainText('Invalid argument(s)');
  await consoleRun(page, 'master', 'FOO bar');
  await expect(page.getByTestId('console-out-master')).toContainText('(error) ERR unknown command');
  await consoleRun(page, 'master', 'net nobody down');
  await expect(page.getByTestId('console-out-master')).toContainText("unknown server 'nobody'");
  await consoleRun(page, 'replica1', 'GET curso:1');
  await expect(page.getByTestId('console-out-replica1')).toBeVisible();
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('projector');
  await shoot(page, '8-projector');
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
  await page.getByRole('button', { name: 'Language' }).click();
  await expect(page.getByText('¿Por qué parcial o completa?')).toBeVisible();
  await shoot(page, '9-dark-es');
});

test('frame-time probe with three replicas streaming writes', async ({ page }) => {
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
    const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
    const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
    return { frames: sorted.length, mean, p95 };
  });
  console.log(
    `rAF probe: ${stats.frames} frames, mean ${stats.mean.toFixed(1)} ms, p95 ${stats.p95.toFixed(1)} ms`,
  );
  await shoot(page, '10-three-replicas');
  expect(stats.p95).toBeLessThan(50);
});
