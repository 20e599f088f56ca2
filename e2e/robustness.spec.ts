import { expect, test, type Page } from '@playwright/test';
import lzString from 'lz-string';
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

/**
 * Holds back the engine's on-demand code (data-type commands, Valkey's log wording) until the
 * returned `release` is called; while `failing()` says so, it is refused with a 503 instead.
 */
async function holdOnDemandCode(page: Page, failing = () => false): Promise<() => void> {
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route(/\/assets\/onDemand-[^/]*\.js$/, async (route) => {
    if (failing())
      return route.fulfill({ status: 503, contentType: 'text/plain', body: 'unavailable' });
    await held;
    return route.continue();
  });
  return release;
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

const PWN = '<img src=x onerror=window.__pwned=1>';

/** Markup ran nowhere: no image in the lab, and the page's global was never set. */
async function expectNotPwned(page: Page): Promise<void> {
  await expect(page.locator('.rl-root img')).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
}

test('hostile link parameters: the lab opens with defaults, says what it did not know, and works', async ({
  page,
}) => {
  const seen = watch(page);
  const q = new URLSearchParams({
    scenario: 'partial-resync',
    step: 'abc',
    lang: 'xx',
    theme: PWN,
    version: '<b>9.9</b>',
    speed: '1e9',
  });
  await page.goto(`/?${q.toString()}`);
  const notice = page.getByTestId('link-notice');
  // Every value as text, with what the lab shows instead.
  await expect(notice).toContainText(`theme=${PWN}, which the lab does not know: it shows light`);
  await expect(notice).toContainText('lang=xx, which the lab does not know: it shows en');
  await expect(notice).toContainText(
    'version=<b>9.9</b>, which the lab does not know: it shows Redis 7.0',
  );
  await expect(notice).toContainText('speed=1e9, which the lab does not know: it shows 10×');
  await expect(notice).toContainText('step=abc, which the lab does not know: it shows 0');
  await expect(page.locator('.rl-root')).toHaveAttribute('data-theme', 'light');
  await expect(page.getByRole('combobox', { name: 'Speed' })).toHaveValue('10');
  // The lesson opened at its stage, and plays.
  const pos = page.getByTestId('lesson-pos');
  await expect(pos).toHaveText('Step 0 of 5');
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(pos).toHaveText('Step 1 of 5');
  await page.getByRole('button', { name: 'Dismiss the notice about the link' }).click();
  await expect(notice).toHaveCount(0);
  await expectNotPwned(page);
  expect(seen.errors).toEqual([]);
  expect(seen.dialogs).toEqual([]);

  // A step past the lesson's end shows its last step, and says so (in Spanish here).
  await page.goto('/?scenario=partial-resync&step=999&lang=es');
  await expect(page.getByTestId('lesson-pos')).toHaveText('Paso 5 de 5', SLOW);
  await expect(page.getByTestId('link-notice')).toContainText(
    'Este enlace pide step=999, que el laboratorio no conoce: muestra 5.',
  );

  // An unknown scenario, as markup: the lesson panel says so as text; the free lab works on.
  await page.goto(`/?scenario=${encodeURIComponent(PWN)}&lang=en&speed=10`);
  await expect(page.getByTestId('lesson-error')).toContainText(`no lesson '${PWN}'`);
  const before = await offset(page, 'master');
  await page.getByRole('button', { name: 'Write key' }).click();
  await expect.poll(() => offset(page, 'master'), SLOW).toBeGreaterThan(before);
  await expectNotPwned(page);
  expect(seen.errors).toEqual([]);
});

test('a key written as markup is text everywhere: typed in a console, and in a scenario carried by the link', async ({
  page,
}) => {
  const seen = watch(page);
  await page.goto('/?lang=en&speed=10');
  await consoleRun(page, 'master', `SET "${PWN}" "<script>window.__pwned=1</script>"`);
  await expect(page.getByTestId('console-out-master')).toContainText('OK');
  // On the master's card, then on the replica's once the write has crossed the wire.
  const key = (server: string) =>
    page.getByTestId(`server-${server}`).locator('.rl-key-name', { hasText: PWN });
  await expect(key('master')).toHaveText(PWN);
  await expect(key('replica1')).toHaveText(PWN, SLOW);
  await consoleRun(page, 'replica1', `GET "${PWN}"`);
  await expect(page.getByTestId('console-out-replica1')).toContainText(
    '"<script>window.__pwned=1</script>"',
  );
  await expectNotPwned(page);

  // A teacher's scenario in the link (`&lab=`, compressed as the app compresses it) whose title,
  // narration, key and value are markup.
  const text = [
    'scenario xss',
    `title en "${PWN}"`,
    'title es "x"',
    'server master 10.0.0.1:6379',
    'server replica1 10.0.0.2:6379',
    'replica1 REPLICAOF master 6379',
    'step',
    `say en "${PWN}"`,
    'say es "x"',
    `master SET "${PWN}" "<script>window.__pwned=1</script>"`,
    'wait 8s',
    '',
  ].join('\n');
  const lab = lzString.compressToEncodedURIComponent(text);
  await page.goto(`/?scenario=xss&step=1&lang=en&lab=${lab}`);
  await expect(page.getByTestId('lesson-say')).toHaveText(PWN, SLOW);
  await expect(
    page.getByRole('combobox', { name: 'Scenario' }).locator('option:checked'),
  ).toHaveText(PWN);
  await expect(key('master')).toHaveText(PWN);
  await expect(key('replica1')).toHaveText(PWN);
  await expect(page.getByTestId('link-notice')).toHaveCount(0);
  await expectNotPwned(page);
  expect(seen.errors).toEqual([]);
  expect(seen.dialogs).toEqual([]);
});

test('a wait of years typed in a console is refused at once; a day runs and the lab answers after it', async ({
  page,
}) => {
  const seen = watch(page);
  await page.goto('/?lang=en');
  await consoleRun(page, 'master', 'wait 99999999m');
  await expect(page.getByTestId('console-out-master')).toContainText(
    'wait is at most 1440m (a day)',
  );
  // A day of simulated time (every ping and cron of it) runs, and the page answers: the next
  // line typed is served (the scene wrote three keys).
  await consoleRun(page, 'master', 'wait 1440m');
  await consoleRun(page, 'master', 'DBSIZE');
  await expect(page.getByTestId('console-out-master')).toContainText('DBSIZE(integer) 3');
  await expect(page.getByTestId('timeline')).toHaveAttribute('aria-valuetext', '24 h');
  expect(seen.errors).toEqual([]);
});

test('a data-type command waits for its code, and the lines after it wait their turn; a failed load says so and the next try works', async ({
  page,
}) => {
  // The code of SADD and the other data-type commands no lesson's first screen runs (sets, sorted
  // sets, streams, EVAL) is fetched apart from the first load.
  // First it cannot be fetched (a 503), then it is held back until the test lets it through.
  let mode: 'fail' | 'hold' = 'fail';
  const release = await holdOnDemandCode(page, () => mode === 'fail');
  const seen = watch(page);
  await page.goto('/?lang=en&speed=10');
  const out = page.getByTestId('console-out-master');

  await consoleRun(page, 'master', 'SADD tags redis docker');
  await expect(out).toContainText('(lab error) the code of this command could not be loaded', SLOW);
  // Nothing was written, and the other commands still run.
  await consoleRun(page, 'master', 'EXISTS tags');
  await expect(out).toContainText('(integer) 0');

  mode = 'hold';
  await consoleRun(page, 'master', 'SADD tags redis docker');
  await consoleRun(page, 'master', 'SISMEMBER tags docker');
  await consoleRun(page, 'master', 'ECHO after-the-set');
  // While the code is on its way, none of the three has run: not even the ECHO, which needs no
  // code, goes before the lines typed ahead of it.
  await page.waitForTimeout(300);
  const waiting = (await out.textContent()) ?? '';
  expect(waiting.slice(waiting.lastIndexOf('SADD tags redis docker'))).toBe(
    'SADD tags redis docker' +
      '192.168.157.144:6379> SISMEMBER tags docker192.168.157.144:6379> ECHO after-the-set',
  );

  release();
  await expect(out).toContainText('"after-the-set"', SLOW);
  const text = (await out.textContent()) ?? '';
  const tail = text.slice(text.lastIndexOf('SADD tags redis docker'));
  const order = ['(integer) 2', '(integer) 1', '"after-the-set"'].map((r) => tail.indexOf(r));
  expect(order.every((at) => at >= 0)).toBe(true);
  expect(order).toEqual([...order].sort((a, b) => a - b));
  // The write was propagated like any other: the replica has the set.
  await expect
    .poll(async () => {
      await consoleRun(page, 'replica1', 'SCARD tags');
      const said = (await page.getByTestId('console-out-replica1').textContent()) ?? '';
      return said.trimEnd().endsWith('(integer) 2');
    }, SLOW)
    .toBe(true);
  expect(seen.errors).toEqual([]);
});

test('a link to Valkey waits for its log wording: the lab switches once the code is here, never with Redis words under a Valkey name', async ({
  page,
}) => {
  // Valkey's rewording of the log lines loads with the on-demand code; it is held back here.
  const release = await holdOnDemandCode(page);
  const seen = watch(page);
  await page.goto('/?lang=en&version=valkey-8.0');
  const log = page.getByTestId('log-master');
  await expect(log).toContainText('Redis version=7.0.15');
  // While the code is on its way the lab stays Redis 7.0, whole and working.
  await page.waitForTimeout(500);
  await expect(log).not.toContainText('Valkey');
  await consoleRun(page, 'master', 'ECHO still-here');
  await expect(page.getByTestId('console-out-master')).toContainText('"still-here"');

  release();
  await expect(log).toContainText('Valkey version=8.0.1', SLOW);
  await expect(log).toContainText('oO0OoO0OoO0Oo Valkey is starting oO0OoO0OoO0Oo');
  await expect(log).not.toContainText('Redis version=');
  expect(seen.errors).toEqual([]);
});

test('a statement held for its code belongs to its run: a reset meanwhile drops it, and the new run starts clean', async ({
  page,
}) => {
  const release = await holdOnDemandCode(page);
  const seen = watch(page);
  await page.goto('/?lang=en');
  const out = page.getByTestId('console-out-master');
  await consoleRun(page, 'master', 'SADD tags redis docker');
  await page.waitForTimeout(300);
  const typed = (await out.textContent()) ?? '';
  expect(typed.slice(typed.lastIndexOf('SADD tags'))).toBe('SADD tags redis docker');
  // Reset while the code is on its way: the opening scene runs again at once, not behind SADD.
  // (Nothing of the run's own was typed: no "Reset the lab?" question.)
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(out).not.toContainText('SADD tags');

  release();
  await expect(out).toContainText('(lab error) not run: the lab was reset', SLOW);
  await consoleRun(page, 'master', 'EXISTS tags');
  await expect(out).toContainText('(integer) 0');
  // The code is here now: the same command runs in the new run.
  await consoleRun(page, 'master', 'SADD tags redis docker');
  await expect(out).toContainText('(integer) 2');
  expect(seen.errors).toEqual([]);
});
