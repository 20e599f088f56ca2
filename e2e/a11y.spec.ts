import { readdirSync, readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { parseScenario } from '../src/lab/scenario';
import { inMore } from './controls';

/**
 * Accessibility budget (the "budgets" issue): axe-core finds no serious or critical violation of
 * WCAG 2.0 / 2.1 A and AA on any built-in lesson (at its middle step) or free play, in any theme,
 * in English and in Spanish, with the Help dialog, the Share dialog or a prediction form open, or
 * on a phone. No rule is disabled.
 *
 * Every lesson runs in the light theme, in English; dark and projector run on three screens that
 * between them show every kind of thing on screen (free play's first sync, a prediction form over
 * a cut wire, the failover's three servers with their replication IDs and lineage). Spanish (its
 * names, titles and longer words) runs those three screens in every theme, its Help dialog and the
 * phone. The scans run with reduced motion, as a lost packet's fade would otherwise catch it half
 * transparent.
 */

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const THEMES = ['light', 'dark', 'projector'] as const;
const SLOW = { timeout: 45_000 };
type Lang = 'en' | 'es';
/** The words the helpers below wait for, in each language. */
const WORDS = {
  en: {
    pos: 'Step {n} of {m}',
    play: 'Play',
    pause: 'Pause',
    next: 'Next step',
    help: 'Shortcuts',
    close: 'Close',
  },
  es: {
    pos: 'Paso {n} de {m}',
    play: 'Reproducir',
    pause: 'Pausa',
    next: 'Siguiente paso',
    help: 'Atajos',
    close: 'Cerrar',
  },
} as const;

/** Every built-in lesson (src/lessons/*.lab) and its number of steps. */
const DIR = new URL('../src/lessons/', import.meta.url);
const LESSONS = readdirSync(DIR)
  .filter((f) => f.endsWith('.lab'))
  .sort()
  .map((f) => ({
    id: f.replace(/\.lab$/, ''),
    steps: parseScenario(readFileSync(new URL(f, DIR), 'utf8')).steps.length,
  }));

/** axe's serious and critical violations, one readable line per element. */
async function violations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map(
        (n) =>
          `${v.id} (${v.impact}) ${n.target.join(' ')}: ${(n.failureSummary ?? v.help).replace(/\s+/g, ' ')}`,
      ),
    );
}

async function expectClean(page: Page, what: string): Promise<void> {
  expect(await violations(page), `axe, ${what}`).toEqual([]);
}

/** A lesson opened by its link at `step`, that step played to its end (paused). */
async function openAt(
  page: Page,
  id: string,
  step: number,
  total: number,
  theme: string,
  lang: Lang = 'en',
) {
  await page.goto(`/?scenario=${id}&step=${step}&lang=${lang}&theme=${theme}`);
  const pos = WORDS[lang].pos.replace('{n}', String(step)).replace('{m}', String(total));
  await expect(page.getByTestId('lesson-pos')).toHaveText(pos, SLOW);
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-running', 'false', SLOW);
  await expect(page.locator('.rl-root')).toHaveAttribute('data-theme', theme);
}

/** Free play, a few seconds into the first sync, paused. */
async function openFreePlay(page: Page, theme: string, lang: Lang = 'en') {
  await page.goto(`/?lang=${lang}&theme=${theme}`);
  await expect(page.getByTestId('link-replica1')).toBeVisible(SLOW);
  await page.getByRole('button', { name: WORDS[lang].pause, exact: true }).click();
  await expect(page.getByRole('button', { name: WORDS[lang].play, exact: true })).toBeVisible();
}

/** partial-resync's last step, with its questions asked (partial or full? offset? bytes?). */
async function openPrediction(page: Page, theme: string, lang: Lang = 'en') {
  await openAt(page, 'partial-resync', 4, 5, theme, lang);
  await page.getByRole('button', { name: WORDS[lang].next }).click();
  await expect(page.getByTestId('predict')).toBeVisible();
}

test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

test('every lesson at its middle step, and free play, in the light theme', async ({ page }) => {
  test.setTimeout(180_000);
  expect(LESSONS.length).toBeGreaterThanOrEqual(9);
  await openFreePlay(page, 'light');
  await expectClean(page, 'free play');
  for (const { id, steps } of LESSONS) {
    const middle = Math.ceil(steps / 2);
    await openAt(page, id, middle, steps, 'light');
    await expectClean(page, `${id} at step ${middle} of ${steps}`);
  }
});

for (const theme of THEMES.filter((t) => t !== 'light'))
  test(`the ${theme} theme: free play, a prediction form, the failover's lineage`, async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await openFreePlay(page, theme);
    await expectClean(page, `free play, ${theme}`);
    await openPrediction(page, theme);
    await expectClean(page, `prediction form, ${theme}`);
    await openAt(page, 'failover', 6, 6, theme);
    await expect(page.locator('.rl-lineage-seg').first()).toBeVisible();
    await expectClean(page, `failover at its end, ${theme}`);
  });

for (const theme of THEMES)
  test(`Spanish, the ${theme} theme: free play, a prediction form, the failover's lineage`, async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await openFreePlay(page, theme, 'es');
    await expect(page.locator('.rl-root')).toHaveAttribute('lang', 'es');
    await expectClean(page, `free play, Spanish, ${theme}`);
    await openPrediction(page, theme, 'es');
    await expectClean(page, `prediction form, Spanish, ${theme}`);
    await openAt(page, 'failover', 6, 6, theme, 'es');
    await expect(page.locator('.rl-lineage-seg').first()).toBeVisible();
    await expectClean(page, `failover at its end, Spanish, ${theme}`);
    if (theme !== 'light') return;
    // The Help dialog, whose rows are all Spanish words.
    await page.locator('.rl-root').focus();
    await page.keyboard.press('?');
    await expect(page.getByRole('dialog', { name: WORDS.es.help })).toBeVisible();
    await expectClean(page, 'Help dialog, Spanish');
  });

test('the prediction form, the Help dialog and the Share dialog', async ({ page }) => {
  test.setTimeout(120_000);
  await openPrediction(page, 'light');
  await expectClean(page, 'prediction form');

  await inMore(page, () => page.getByRole('button', { name: 'Shortcuts' }).click());
  await expect(page.getByRole('dialog', { name: 'Shortcuts' })).toBeVisible();
  await expectClean(page, 'Help dialog');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Shortcuts' })).toHaveCount(0);

  await inMore(page, () => page.getByRole('button', { name: 'Share' }).click());
  const share = page.getByTestId('share-dialog');
  await expect(share).toBeVisible();
  await expect(share.getByRole('img', { name: 'QR code of the link' })).toBeVisible();
  await expectClean(page, 'Share dialog');
});

for (const lang of ['en', 'es'] as const)
  test(`a phone, 390×844: a lesson, and the "⋯" controls open (${lang})`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width: 390, height: 844 });
    await openAt(page, 'partial-resync', 3, 5, 'light', lang);
    await expectClean(page, `phone (${lang})`);
    const more = page.locator('.rl-more-btn');
    await more.click();
    await expect(more).toHaveAttribute('aria-expanded', 'true');
    await expectClean(page, `phone, "⋯" open (${lang})`);
    // The shortcuts are longer than the screen: the dialog scrolls to its Close button.
    await page.keyboard.press('Escape');
    await page.locator('.rl-root').focus();
    await page.keyboard.press('?');
    // It opens at its title, which has the focus; Close is a scroll away.
    const title = page.getByRole('dialog').getByRole('heading', { name: WORDS[lang].help });
    await expect(title).toBeFocused();
    await expect(title).toBeInViewport({ ratio: 1 });
    const close = page.getByRole('dialog').getByRole('button', { name: WORDS[lang].close });
    await close.scrollIntoViewIfNeeded();
    await expect(close).toBeInViewport({ ratio: 1 });
  });

test('screen readers: the narration on each step, the logs a line or two at a time', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const say = parseScenario(readFileSync(new URL('partial-resync.lab', DIR), 'utf8')).steps.map(
    (s) => s.say.en,
  );
  // Every change of the logs' live region, timed, from the first paint on.
  await page.addInitScript(() => {
    const w = window as unknown as { heard: { at: number; text: string }[] };
    w.heard = [];
    new MutationObserver(() => {
      const el = document.querySelector('[data-testid="log-live"]');
      const text = el?.textContent ?? '';
      if (text && text !== w.heard.at(-1)?.text) w.heard.push({ at: performance.now(), text });
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  await page.goto('/?scenario=partial-resync&lang=en&speed=10');
  const narration = page.getByTestId('narration-live');
  const logs = page.getByTestId('log-live');
  for (const live of [narration, logs]) {
    await expect(live).toHaveAttribute('aria-live', 'polite');
    // Read by screen readers, not drawn.
    expect((await live.boundingBox())?.width ?? 0).toBeLessThanOrEqual(1);
  }
  // The logs on screen are not live themselves: a new line never re-reads a whole log.
  await expect(page.locator('.rl-log[aria-live], .rl-console-out[aria-live]')).toHaveCount(0);
  await expect(narration).toHaveText(/^Step 0 of 5\. The stage is set/);

  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(narration).toHaveText(`Step 1 of 5. ${say[0]}`);
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-running', 'false', SLOW);
  // The full sync's lines, the latest two with their servers, the others counted.
  await expect(logs).toHaveText(/^(master|replica1): .+/, SLOW);
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(narration).toHaveText(`Step 2 of 5. ${say[1]}`);
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-running', 'false', SLOW);

  // A cut both ends are told of: replica1's log says so, and so does the live region.
  await page.getByRole('button', { name: 'Reset connection replica1' }).click();
  await expect(page.getByTestId('log-replica1')).toContainText('Connection with master lost.');
  await expect(logs).toContainText('Connection with master lost.', { timeout: 5000 });

  const heard = await page.evaluate(
    () => (window as unknown as { heard: { at: number; text: string }[] }).heard,
  );
  expect(heard.length).toBeGreaterThanOrEqual(2);
  for (const h of heard) {
    // No Redis prefix (pid, date), at most two lines, and a count of the rest.
    expect(h.text).not.toMatch(/\d+:[MS] \d+ \w{3} \d{4}/);
    expect(h.text.match(/(^| )(master|replica1): /g)?.length ?? 0).toBeLessThanOrEqual(2);
  }
  expect(heard.some((h) => /\(\+\d+ more log lines\)$/.test(h.text))).toBe(true);
  // Rate-limited: never two announcements within two seconds of each other.
  for (let i = 1; i < heard.length; i++)
    expect(heard[i]!.at - heard[i - 1]!.at, `gap before "${heard[i]!.text}"`).toBeGreaterThan(2000);
});
