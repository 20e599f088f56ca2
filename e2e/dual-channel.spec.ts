import { expect, test, type Page } from '@playwright/test';
import { pause, setSpeed } from './controls';

/** Generous: a loaded 2-core CI machine runs the page at a fraction of its usual frame rate. */
const SLOW = { timeout: 45_000 };

/** Whether a packet matching `sel` is drawn (visible, not fading) right now. */
async function drawn(page: Page, sel: string): Promise<boolean> {
  return page.evaluate(
    (s) =>
      [...document.querySelectorAll<HTMLElement>(s)].some(
        (e) => e.style.visibility === 'visible' && Number(e.style.opacity || 1) > 0.5,
      ),
    sel,
  );
}

test('dual-channel lesson: the RDB on its own thinner wire, the writes meanwhile on the main one', async ({
  page,
}) => {
  test.slow();
  await page.goto('/?scenario=dual-channel&step=2&lang=en&speed=0.25');
  const rdbWire = page.getByTestId('rdbwire-replica1');
  const mainWire = page.getByTestId('wire-replica1');
  // After step 2 the rdb channel is open: its wire is drawn under the main one, named.
  await expect(rdbWire).toBeVisible(SLOW);
  await expect(rdbWire).toContainText('RDB channel');
  const [a, b] = [await mainWire.boundingBox(), await rdbWire.boundingBox()];
  expect(b!.y).toBeGreaterThan(a!.y + a!.height - 1);
  expect(b!.height).toBeLessThan(a!.height);

  // Step 3: three writes while the RDB is still crossing.
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect
    .poll(
      async () =>
        (await drawn(page, '[data-testid="wire-replica1"] .rl-pk-stream')) &&
        (await drawn(page, '[data-testid="rdbwire-replica1"] .rl-pk-rdb')),
      SLOW,
    )
    .toBe(true);
  await pause(page);
  // The RDB travels only on the rdb channel, the writes only on the main wire.
  await expect(mainWire.locator('.rl-pk-rdb')).toHaveCount(0);
  await expect(rdbWire.locator('.rl-pk-stream')).toHaveCount(0);

  // The rest of the lesson: the RDB arrives, the rdb channel closes and its wire goes.
  await setSpeed(page, '10');
  // At 10× the rest of the step may end (and the player pause by itself) before a Pause
  // button could be seen: click Play and wait for the step's end instead.
  await page.getByRole('button', { name: 'Play' }).click();
  // "Next step" is enabled while a step still runs, and then it finishes that step instead of
  // beginning the next: wait for step 3 to have ended (a cold CI machine plays it slowly).
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-running', 'false', SLOW);
  await expect(page.getByRole('button', { name: 'Next step' })).toBeEnabled(SLOW);
  await page.getByRole('button', { name: 'Next step' }).click();
  // Step 4 plays to its end (the player pauses by itself): the RDB has been loaded by then.
  await expect(page.getByTestId('lesson-pos')).toHaveText('Step 4 of 4', SLOW);
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible(SLOW);
  await expect(rdbWire).toHaveCount(0, SLOW);
  await expect(page.getByLabel('replica1 master_repl_offset')).toHaveAttribute(
    'data-offset',
    /^[1-9]\d*$/,
    SLOW,
  );
});
