import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { replicationFields } from '../src/engine/info';
import { parseScenario, runScenario } from '../src/lab/scenario';
import { OFFLINE_FILE } from '../vite.config';

/**
 * Sharing and offline (issue 11): the one-file build opened with file://.
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
  expect(errors).toEqual([]);
  expect(elsewhere).toEqual([]);
});
