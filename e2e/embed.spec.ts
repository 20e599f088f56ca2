import { readFileSync } from 'node:fs';
import { expect, test, type FrameLocator, type Page } from '@playwright/test';
import { replicationFields } from '../src/engine/info';
import { runScenario } from '../src/lab/headless';
import { parseScenario } from '../src/lab/scenario';

/**
 * Embedding (issue 11): the example reveal.js deck driven with the keyboard as a presenter
 * would, the embed API's checks (malformed messages, origins the embedder did not allow, user
 * text), and what an embed shows and which keys it leaves to the deck.
 */

const SLOW = { timeout: 45_000 };
const partial = parseScenario(
  readFileSync(new URL('../src/lessons/partial-resync.lab', import.meta.url), 'utf8'),
);

/** master_repl_offset of every server after the stage and the first `n` steps, headless. */
function offsetsAfter(n: number): Record<string, number> {
  const { lab } = runScenario({ ...partial, steps: partial.steps.slice(0, n) }, { seed: 1 });
  return Object.fromEntries(
    lab.sim.serverNames().map((name) => {
      const f = new Map(replicationFields(lab.sim.state, lab.sim.server(name)));
      return [name, Number(f.get('master_repl_offset'))];
    }),
  );
}

async function offsetsShown(lab: FrameLocator, servers: readonly string[]) {
  const out: Record<string, number> = {};
  for (const s of servers)
    out[s] = Number(
      await lab.getByLabel(`${s} master_repl_offset`).getAttribute('data-offset', SLOW),
    );
  return out;
}

const labOf = (page: Page) => page.frameLocator('section.present iframe[data-resync-lab]');

test('the example deck steps the lab with its fragments, back and forth', async ({ page }) => {
  test.slow();
  // The slide before the second demo: three fragments, then the lab's slide.
  await page.goto('/src/deck/index.html#/3');
  await expect(page.locator('section.present h3')).toContainText('partial resync');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  const lab = labOf(page);
  await expect(lab.getByTestId('lesson-pos')).toHaveText('Paso 0 de 5', SLOW);
  // One fragment, one step; the numbers are the headless run's.
  for (let k = 1; k <= 4; k++) {
    await page.keyboard.press('ArrowRight');
    await expect(lab.getByTestId('lesson-pos')).toHaveText(`Paso ${k} de 5`, SLOW);
  }
  const want = offsetsAfter(4);
  await expect.poll(() => offsetsShown(lab, Object.keys(want)), SLOW).toEqual(want);
  await page.keyboard.press('ArrowRight');
  await expect(lab.getByTestId('lesson-pos')).toHaveText('Paso 5 de 5', SLOW);
  await expect(lab.getByTestId('log-master')).toContainText('Sending 183 bytes', SLOW);
  // After the last fragment the deck goes on to the next slide; back again restores step 5.
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('section.present h3')).toContainText('183 bytes');
  await page.keyboard.press('ArrowLeft');
  await expect(labOf(page).getByTestId('lesson-pos')).toHaveText('Paso 5 de 5', SLOW);
  await page.keyboard.press('ArrowLeft');
  await expect(labOf(page).getByTestId('lesson-pos')).toHaveText('Paso 4 de 5', SLOW);
  // A key pressed inside the lab goes to the deck: the next fragment, the next step.
  await labOf(page)
    .locator('.rl-root')
    .click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('ArrowRight');
  await expect(labOf(page).getByTestId('lesson-pos')).toHaveText('Paso 5 de 5', SLOW);
  // Each step's speaker notes are on its fragment, for reveal.js's notes plugin.
  const notes = await page
    .locator('section.present .fragment')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-notes')));
  expect(notes).toEqual(partial.steps.map((s) => s.notes.es));
});

test('the embed API: commands from an allowed origin act; malformed or foreign ones change nothing', async ({
  page,
  baseURL,
}) => {
  const warnings: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning') warnings.push(m.text());
  });
  const other = (baseURL ?? '').replace('127.0.0.1', 'localhost');
  await page.goto('/src/deck/index.html#/0');
  /** A lab on another origin that allows `origins`; messages go from this page to it. */
  const embed = async (origins: string) => {
    await page.evaluate(
      ({ src }) => {
        document.querySelector('#api-lab')?.remove();
        const f = document.createElement('iframe');
        f.id = 'api-lab';
        f.src = src;
        f.style.cssText =
          'position:fixed;inset:0;width:960px;height:540px;z-index:99;background:#fff';
        document.body.append(f);
      },
      {
        src: `${other}/index.html?embed=1&scenario=partial-resync&lang=en&origins=${encodeURIComponent(origins)}`,
      },
    );
    const lab = page.frameLocator('#api-lab');
    await expect(lab.getByTestId('lesson-pos')).toHaveText('Step 0 of 5', SLOW);
    return lab;
  };
  const post = (data: unknown) =>
    page.evaluate(
      (d) =>
        (document.querySelector('#api-lab') as HTMLIFrameElement).contentWindow?.postMessage(
          d,
          '*',
        ),
      data,
    );

  // Allowed: this page's origin.
  let lab = await embed(new URL(baseURL ?? '').origin);
  for (const bad of [
    'next',
    { resyncLab: 2, command: { type: 'next' } },
    { resyncLab: 1, command: { type: 'goToStep', step: -1 } },
    { resyncLab: 1, command: { type: 'goToStep', step: '2' } },
    { resyncLab: 1, command: { type: 'launch' } },
    { resyncLab: 1, command: { type: 'run', line: 'master SET a 1\nmaster FLUSHALL' } },
  ])
    await post(bad);
  await expect.poll(() => warnings.filter((w) => w.includes('malformed')).length).toBe(6);
  await expect(lab.getByTestId('lesson-pos')).toHaveText('Step 0 of 5');
  await post({ resyncLab: 1, command: { type: 'goToStep', step: 2 } });
  await expect(lab.getByTestId('lesson-pos')).toHaveText('Step 2 of 5', SLOW);
  // User text that arrives this way is text.
  await post({
    resyncLab: 1,
    command: { type: 'run', line: 'master SET "<img src=x onerror=alert(1)>" v' },
  });
  await expect(lab.getByTestId('server-master')).toContainText(
    '<img src=x onerror=alert(1)>',
    SLOW,
  );
  await expect(lab.locator('img')).toHaveCount(0);

  // Not allowed: every command is ignored, with a warning.
  lab = await embed('https://slides.example.org');
  await post({ resyncLab: 1, command: { type: 'goToStep', step: 3 } });
  await expect.poll(() => warnings.filter((w) => w.includes('does not allow')).length).toBe(1);
  await expect(lab.getByTestId('lesson-pos')).toHaveText('Step 0 of 5');
});

test('an embed shows no chrome, keeps the narration with controls=minimal, and leaves deck keys alone', async ({
  page,
}) => {
  await page.setViewportSize({ width: 960, height: 540 });
  await page.goto('/src/deck/index.html#/0');
  await page.evaluate(() => {
    for (const controls of ['minimal', 'none']) {
      const id = controls;
      const f = document.createElement('iframe');
      f.id = id;
      f.src = `../../index.html?embed=1&controls=${controls}&scenario=partial-resync&step=1&lang=en`;
      f.style.cssText = 'width:480px;height:270px;border:0';
      document.body.prepend(f);
    }
  });
  const minimal = page.frameLocator('#minimal');
  const none = page.frameLocator('#none');
  await expect(minimal.getByTestId('lesson-pos')).toHaveText('Step 1 of 5', SLOW);
  await expect(minimal.getByRole('button', { name: 'Play' })).toHaveCount(0);
  await expect(minimal.getByRole('slider', { name: 'Timeline' })).toBeHidden();
  await expect(none.getByTestId('server-master')).toBeVisible(SLOW);
  await expect(none.getByTestId('lesson-pos')).toBeHidden();
  // Loading the frames took no focus from the deck.
  expect(await page.evaluate(() => document.activeElement?.tagName)).not.toBe('IFRAME');
  // 's' (the deck's speaker view) and '.' (pause) are not the lab's in an embed: nothing steps.
  await minimal.locator('.rl-root').click({ position: { x: 5, y: 5 } });
  const before = await minimal.locator('.rl-root').getAttribute('data-sim-ms');
  await page.keyboard.press('s');
  await page.keyboard.press('n');
  await expect(minimal.getByTestId('lesson-pos')).toHaveText('Step 1 of 5');
  expect(await minimal.locator('.rl-root').getAttribute('data-sim-ms')).toBe(before);
});

test('the deck steps a lab served from another origin', async ({ page, baseURL }) => {
  const other = (baseURL ?? '').replace('127.0.0.1', 'localhost');
  await page.goto('/src/deck/index.html#/3');
  // The second demo's frame, lazily loaded from the other origin, allowing this deck's.
  await page.evaluate(
    ({ src }) =>
      document.querySelectorAll('iframe[data-resync-lab]')[1]?.setAttribute('data-src', src),
    {
      src: `${other}/index.html?embed=1&scenario=partial-resync&lang=en&origins=${encodeURIComponent(new URL(baseURL ?? '').origin)}`,
    },
  );
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  const lab = labOf(page);
  await expect(lab.getByTestId('lesson-pos')).toHaveText('Step 0 of 5', SLOW);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(lab.getByTestId('lesson-pos')).toHaveText('Step 2 of 5', SLOW);
  expect(await page.locator('section.present iframe').getAttribute('src')).toContain('localhost');
});
