import { expect, test, type Page } from '@playwright/test';
import { streamView, switchLanguage } from './controls';

/**
 * Robustness (the budgets issue): a panel with a bug shows a recoverable message in its place
 * while the rest of the lab works; hostile URL parameters leave the app working with a notice;
 * markup in keys is text wherever it shows.
 */

const SLOW = { timeout: 45_000 };

async function offset(page: Page, server: string): Promise<number> {
  return Number(await page.getByLabel(`${server} master_repl_offset`).getAttribute('data-offset'));
}

async function consoleRun(page: Page, server: string, line: string): Promise<void> {
  const box = page.getByRole('textbox', { name: `${server} console` });
  await box.fill(line);
  await box.press('Enter');
  await expect(box).toHaveValue('');
}

/** Errors thrown out of the page (uncaught) and dialogs it opened: both must stay empty. */
function watch(page: Page): { errors: string[]; dialogs: string[] } {
  const out = { errors: [] as string[], dialogs: [] as string[] };
  page.on('pageerror', (e) => out.errors.push(e.message));
  page.on('dialog', (d) => {
    out.dialogs.push(d.message());
    void d.dismiss();
  });
  return out;
}

test('a panel whose code throws shows "This panel hit a bug" until the bug is gone; the rest works', async ({
  page,
}) => {
  // The RESP panel's chunk is served with code that throws when it runs: a bug in the panel.
  await page.route(/\/assets\/RespPanel-[^/]*\.js$/, (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      body: 'throw new Error("a bug in the RESP panel");',
    }),
  );
  const seen = watch(page);
  await page.goto('/?lang=en&speed=10');
  await streamView(page, 'RESP bytes');
  const bug = page.getByRole('alert', { name: 'RESP bytes' });
  await expect(bug).toContainText('This panel hit a bug', SLOW);
  // Retry mounts the panel anew: the bug is still there, so the message is too.
  await bug.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('alert', { name: 'RESP bytes' })).toContainText(
    'This panel hit a bug',
    SLOW,
  );
  // Only that panel: the stage, the why-panel and the consoles are there and work.
  await expect(page.getByTestId('resp-panel')).toHaveCount(0);
  await consoleRun(page, 'master', 'SET after-bug 1');
  await expect(page.getByTestId('console-out-master')).toContainText('OK');
  await expect(page.getByTestId('server-master')).toContainText('after-bug');
  // Back to the commands view: the RESP panel (and its message) go, the lab is whole.
  await streamView(page, 'Commands');
  await expect(page.getByRole('alert', { name: 'RESP bytes' })).toHaveCount(0);
  // The bug was caught by the boundary: nothing escaped to the page, nothing was executed.
  expect(seen.errors).toEqual([]);
  expect(seen.dialogs).toEqual([]);
});

test('a panel whose code cannot be loaded shows "This panel hit a bug"; the lab works on; Retry brings it back', async ({
  page,
}) => {
  // The RESP panel's chunk cannot be fetched for a while (a 503): a lazy panel's render throws
  // the failed load, as a bug would; once it can be fetched, Retry loads it again.
  let broken = true;
  await page.route(/\/assets\/RespPanel-[^/]*\.js$/, (route) =>
    broken
      ? route.fulfill({ status: 503, contentType: 'text/plain', body: 'unavailable' })
      : route.continue(),
  );
  const seen = watch(page);
  await page.goto('/?lang=en&speed=10');
  await streamView(page, 'RESP bytes');
  const bug = page.getByRole('alert', { name: 'RESP bytes' });
  await expect(bug).toContainText('This panel hit a bug', SLOW);
  await expect(bug.getByRole('button', { name: 'Retry' })).toBeVisible();

  // The rest of the lab keeps working: a write moves the master on, the console answers.
  const before = await offset(page, 'master');
  await page.getByRole('button', { name: 'Write key' }).click();
  await expect.poll(() => offset(page, 'master'), SLOW).toBeGreaterThan(before);
  await consoleRun(page, 'master', 'ECHO still-here');
  await expect(page.getByTestId('console-out-master')).toContainText('"still-here"');

  // In Spanish too.
  await switchLanguage(page);
  await expect(bug).toContainText('Este panel ha tenido un fallo');
  const retry = bug.getByRole('button', { name: 'Reintentar' });
  await expect(retry).toBeVisible();

  // Retry once the chunk can be fetched again: the panel is back in its place.
  broken = false;
  await retry.click();
  await expect(page.getByRole('alert', { name: 'RESP bytes' })).toHaveCount(0, SLOW);
  await expect(page.getByTestId('resp-panel')).toBeVisible(SLOW);
  await switchLanguage(page);
  expect(seen.errors).toEqual([]);
});
