import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { replicationFields } from '../src/engine/info';
import { runScenario } from '../src/lab/headless';
import { parseScenario } from '../src/lab/scenario';
import { OFFLINE_FILE } from '../vite.config';

/**
 * Sharing and offline (issue 11): the one-file build opened with file://, the Share dialog's link
 * opened on a phone-sized page, and the current view exported as PNG and SVG.
 */

const SLOW = { timeout: 45_000 };
const scenario = parseScenario(
  readFileSync(new URL('../src/lessons/partial-resync.lab', import.meta.url), 'utf8'),
);

/** master_repl_offset of `server` at the end of step `n`, from the scenario run headless. */
function headlessOffset(n: number, server: string): number {
  const { lab } = runScenario({ ...scenario, steps: scenario.steps.slice(0, n) }, { seed: 1 });
  const fields = new Map(replicationFields(lab.sim.state, lab.sim.server(server)));
  return Number(fields.get('master_repl_offset'));
}

async function offset(page: Page, server: string): Promise<number> {
  return Number(await page.getByLabel(`${server} master_repl_offset`).getAttribute('data-offset'));
}

/** Plays the lesson's next step and waits until the player pauses at its end. */
async function nextStep(page: Page, n: number): Promise<void> {
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible(SLOW);
  await expect(page.getByTestId('lesson-pos')).toHaveText(`Step ${n} of 5`);
}

/** Opens the "⋯" popover when the toolbar has one at this size. */
async function openMore(page: Page): Promise<void> {
  const more = page.locator('.rl-more-btn');
  if (await more.isVisible()) {
    await more.click();
    await expect(more).toHaveAttribute('aria-expanded', 'true');
  }
}

test('the offline file opens with file://, plays a lesson step, and asks for nothing else', async ({
  page,
}) => {
  test.slow();
  const file = resolve('dist', OFFLINE_FILE);
  const errors: string[] = [];
  const elsewhere: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('request', (r) => {
    if (!/^(file|data|blob):/.test(r.url())) elsewhere.push(r.url());
  });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${pathToFileURL(file).href}?speed=10`);
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('partial-resync');
  await expect(page.getByTestId('lesson-pos')).toHaveText('Step 0 of 5');
  // The address follows the lesson on a file:// page too.
  await expect.poll(() => new URL(page.url()).searchParams.get('scenario')).toBe('partial-resync');
  for (let n = 1; n <= 2; n++) {
    await nextStep(page, n);
    expect(await offset(page, 'master'), `master at step ${n}`).toBe(headlessOffset(n, 'master'));
    expect(await offset(page, 'replica1'), `replica1 at step ${n}`).toBe(
      headlessOffset(n, 'replica1'),
    );
  }
  expect(await offset(page, 'master')).toBeGreaterThan(0);
  // The Share dialog says the link of a file works on this computer only.
  await openMore(page);
  await page.getByRole('button', { name: 'Share' }).click();
  const dialog = page.getByRole('dialog', { name: 'Share this view' });
  await expect(dialog).toContainText('runs from a file');
  await expect(dialog.locator('canvas')).toHaveAttribute('data-state', 'drawn');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(errors).toEqual([]);
  expect(elsewhere).toEqual([]);
});

test('Share: the link and its QR code open the same scenario and step on a phone', async ({
  page,
  context,
  browser,
}) => {
  test.slow();
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?scenario=partial-resync&speed=10');
  await nextStep(page, 1);
  await nextStep(page, 2);
  const master = await offset(page, 'master');
  const replica = await offset(page, 'replica1');

  await openMore(page);
  await page.getByRole('button', { name: 'Share' }).click();
  const dialog = page.getByRole('dialog', { name: 'Share this view' });
  await expect(dialog).toBeVisible();
  const field = dialog.getByRole('textbox', { name: 'Link to this view' });
  await expect(field).toBeFocused();
  const link = await field.inputValue();
  expect(new URL(link).searchParams.get('scenario')).toBe('partial-resync');
  expect(new URL(link).searchParams.get('step')).toBe('2');
  await expect(dialog.getByRole('img', { name: 'QR code of the link' })).toHaveAttribute(
    'data-state',
    'drawn',
  );
  await dialog.getByRole('button', { name: 'Copy' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  // Letters typed in the dialog are not the lab's shortcuts; Escape closes it, focus goes back.
  const before = await page.locator('.rl-root').getAttribute('data-theme');
  await field.press('t');
  await expect(page.locator('.rl-root')).toHaveAttribute('data-theme', before ?? 'light');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.locator('.rl-more-btn')).toBeFocused();

  // The link on a phone: the same scenario, the same step, the same offsets.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const p2 = await phone.newPage();
  await p2.goto(link);
  await expect(p2.getByTestId('lesson-pos')).toHaveText('Step 2 of 5', SLOW);
  await expect(p2.getByRole('combobox', { name: 'Scenario' })).toHaveValue('partial-resync');
  expect(await offset(p2, 'master')).toBe(master);
  expect(await offset(p2, 'replica1')).toBe(replica);
  await phone.close();
});

test('Export image: the view downloads as a PNG and as an SVG, on a light background', async ({
  page,
}) => {
  test.slow();
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?scenario=partial-resync&speed=10&theme=dark');
  await nextStep(page, 1);
  for (const kind of ['PNG', 'SVG'] as const) {
    await openMore(page);
    const [download] = await Promise.all([
      page.waitForEvent('download', SLOW),
      page.getByRole('button', { name: `Export image as ${kind}` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(
      `resync-lab-partial-resync-step-1.${kind.toLowerCase()}`,
    );
    const path = await download.path();
    const bytes = readFileSync(path);
    if (kind === 'PNG') {
      expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
      // 2× the lab's box.
      expect(bytes.readUInt32BE(16)).toBeGreaterThanOrEqual(1280);
    } else {
      const svg = bytes.toString('utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain('foreignObject');
      expect(svg).toContain('partial');
    }
    // The dark theme is back once the light capture is done.
    await expect(page.locator('.rl-root')).toHaveAttribute('data-theme', 'dark');
  }
});

test('public/: the manifest and its icons, and the 1200×630 social preview', async ({
  page,
  request,
}) => {
  await page.goto('/');
  const base = page.url();
  const png = async (href: string) => {
    const res = await request.get(new URL(href, base).href);
    expect(res.ok(), href).toBe(true);
    const b = await res.body();
    expect(b.subarray(1, 4).toString('latin1'), href).toBe('PNG');
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  };
  const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifestUrl = new URL(manifestHref ?? '', base).href;
  const manifest = (await (await request.get(manifestUrl)).json()) as {
    icons: { src: string; sizes: string; type: string }[];
  };
  for (const icon of manifest.icons) {
    const url = new URL(icon.src, manifestUrl).href;
    if (icon.type === 'image/png') {
      const { width, height } = await png(url);
      expect(`${width}x${height}`).toBe(icon.sizes);
    } else expect((await request.get(url)).ok(), url).toBe(true);
  }
  expect(manifest.icons.map((i) => i.sizes)).toEqual(['any', '192x192', '512x512']);
  for (const meta of ['meta[property="og:image"]', 'meta[name="twitter:image"]']) {
    const href = await page.locator(meta).getAttribute('content');
    expect(await png(href ?? '')).toEqual({ width: 1200, height: 630 });
  }
});
