import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { parseScenario } from '../src/lab/scenario';
import { simNow } from './controls';

/**
 * The lab with the keyboard alone (the "budgets" issue): no mouse click anywhere in this file.
 * Tab and Shift+Tab reach every control, each shows a focus ring when reached, and Enter, Space
 * and the arrow keys do what a click does.
 */

const SLOW = { timeout: 45_000 };
const SAY = parseScenario(
  readFileSync(new URL('../src/lessons/partial-resync.lab', import.meta.url), 'utf8'),
).steps.map((s) => s.say.en);

/** Whether `target` has the focus (false while it is not in the page). */
async function focused(target: Locator): Promise<boolean> {
  return target
    .evaluate((el) => el === document.activeElement, undefined, { timeout: 1000 })
    .catch(() => false);
}

/** Presses Tab (Shift+Tab with `back`) until `target` has the focus. */
async function tabTo(page: Page, target: Locator, back = false): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (await focused(target)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

/** The focused control shows where the focus is: :focus-visible matches and draws an outline. */
async function expectFocusRing(target: Locator): Promise<void> {
  const ring = await target.evaluate((el) => {
    const cs = getComputedStyle(el);
    return {
      focusVisible: el.matches(':focus-visible'),
      outline: cs.outlineStyle === 'none' ? 'none' : `${cs.outlineWidth} ${cs.outlineStyle}`,
      boxShadow: cs.boxShadow,
    };
  });
  expect(ring.focusVisible, `${target.toString()} matches :focus-visible`).toBe(true);
  expect(
    ring.outline !== 'none' && parseFloat(ring.outline) >= 2,
    `${target.toString()} draws a focus ring (outline ${ring.outline}, box-shadow ${ring.boxShadow})`,
  ).toBe(true);
}

async function reach(page: Page, target: Locator, back = false): Promise<void> {
  await tabTo(page, target, back);
  await expectFocusRing(target);
}

test('every control on screen is a Tab stop, in order and back', async ({ page }) => {
  // The last step: its narration highlights the Why panel, itself a Tab stop.
  await page.goto('/?scenario=partial-resync&step=5&lang=en');
  await expect(page.getByTestId('lesson-pos')).toHaveText('Step 5 of 5', SLOW);
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-running', 'false', SLOW);
  // Round the page with Tab, marking each element the focus lands on, until it comes back; each
  // one shows the focus ring, in the accent colour (not, say, a lesson's highlight).
  const seen: string[] = [];
  const ringless: string[] = [];
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      if (el.hasAttribute('data-kb-seen')) return { id: el.getAttribute('data-kb-seen'), ring: '' };
      const id = String(document.querySelectorAll('[data-kb-seen]').length);
      el.setAttribute('data-kb-seen', id);
      const cs = getComputedStyle(el);
      const accent = getComputedStyle(document.querySelector('.rl-root')!).getPropertyValue(
        '--accent',
      );
      // The accent as the browser writes a colour, to compare with the outline's.
      const probe = document.createElement('i');
      probe.style.color = accent;
      document.body.append(probe);
      const want = getComputedStyle(probe).color;
      probe.remove();
      const ok =
        el.matches(':focus-visible') &&
        cs.outlineStyle !== 'none' &&
        parseFloat(cs.outlineWidth) >= 2 &&
        cs.outlineColor === want;
      return {
        id: `new ${id}`,
        ring: ok ? '' : `${el.outerHTML.slice(0, 100)}: ${cs.outlineStyle} ${cs.outlineColor}`,
      };
    });
    if (at && !at.id?.startsWith('new') && seen.length > 0) break;
    if (at) seen.push(at.id ?? '');
    if (at?.ring) ringless.push(at.ring);
  }
  expect(seen.length).toBeGreaterThan(20);
  expect(ringless, 'Tab stops without a focus ring').toEqual([]);
  // Every visible control the user could click was reached.
  const missed = await page.evaluate(() =>
    [
      ...document.querySelectorAll<HTMLElement>(
        '.rl-root :is(button, select, input, textarea, a[href], [tabindex]:not([tabindex="-1"]))',
      ),
    ]
      .filter(
        (el) =>
          el.checkVisibility() &&
          !el.matches(':disabled') &&
          el.tabIndex >= 0 &&
          !el.hasAttribute('data-kb-seen'),
      )
      .map((el) => el.outerHTML.slice(0, 120)),
  );
  expect(missed, 'controls Tab never reached').toEqual([]);
  // Shift+Tab walks the same stops backwards.
  const before = await page.evaluate(() => document.activeElement?.getAttribute('data-kb-seen'));
  await page.keyboard.press('Shift+Tab');
  const after = await page.evaluate(() => document.activeElement?.getAttribute('data-kb-seen'));
  expect(after).not.toBe(before);
  expect(after).not.toBeNull();
});

test('a lesson, a prediction, a cut, a command, the help and the timeline with the keyboard', async ({
  page,
}) => {
  test.setTimeout(150_000);
  await page.goto('/?lang=en&speed=10');
  // The focus ring is the stylesheet's, for every control.
  const rules = await page.evaluate(
    () =>
      [...document.styleSheets]
        .flatMap((s) => [...s.cssRules])
        .filter((r) => r instanceof CSSStyleRule && r.selectorText.includes(':focus-visible'))
        .length,
  );
  expect(rules, ':focus-visible rules').toBeGreaterThan(0);

  // Open the second lesson: the arrows on the Scenario dropdown.
  const scenario = page.getByRole('combobox', { name: 'Scenario' });
  await reach(page, scenario);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(scenario).toHaveValue('partial-resync');
  await expect(page).toHaveURL(/scenario=partial-resync/);
  const pos = page.getByTestId('lesson-pos');
  const lesson = page.getByTestId('lesson');
  await expect(pos).toHaveText('Step 0 of 5');

  // Steps 1 to 4 with Enter on Next step (the focus stays on it).
  const next = page.getByRole('button', { name: 'Next step' });
  await reach(page, next);
  const played = async (k: number) => {
    await expect(pos).toHaveText(`Step ${k} of 5`, SLOW);
    await expect(lesson).toHaveAttribute('data-running', 'false', SLOW);
    await expect(page.getByTestId('lesson-say')).toHaveText(SAY[k - 1] ?? '');
  };
  for (let k = 1; k <= 4; k++) {
    await page.keyboard.press('Enter');
    await played(k);
    expect(await focused(next), 'Next step keeps the focus').toBe(true);
  }
  // Back: PageUp, then Enter on Previous step; forward: PageDown and →.
  await page.keyboard.press('PageUp');
  await expect(pos).toHaveText('Step 3 of 5');
  const prev = page.getByRole('button', { name: 'Previous step' });
  await reach(page, prev, true);
  await page.keyboard.press('Enter');
  await expect(pos).toHaveText('Step 2 of 5');
  await page.keyboard.press('PageDown');
  await played(3);
  await page.keyboard.press('ArrowRight');
  await played(4);

  // The prediction: Space on "partial", the numbers typed, Enter sends the form.
  await reach(page, next);
  await page.keyboard.press('Enter');
  const form = page.getByTestId('predict');
  await expect(form).toBeVisible();
  const partial = form.getByRole('button', { name: 'partial' });
  await reach(page, partial);
  await page.keyboard.press('Space');
  await expect(partial).toHaveAttribute('aria-pressed', 'true');
  const offset = form.getByRole('textbox', { name: 'Which offset will replica1 ask for' });
  await reach(page, offset);
  await page.keyboard.type('153');
  const bytes = form.getByRole('textbox', { name: 'How many bytes of backlog' });
  await reach(page, bytes);
  await page.keyboard.type('183');
  await page.keyboard.press('Enter');
  await expect(form).toHaveCount(0);
  await played(5);
  const results = page.getByTestId('predict-results').locator('li');
  await expect(results).toHaveCount(3);
  for (let i = 0; i < 3; i++) await expect(results.nth(i)).toContainText('✔ right');

  // Cut replica1's network on its wire (Enter), restore it on its card (Space).
  const wire = page.getByRole('button', { name: 'Link master to replica1' });
  await reach(page, wire, true);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('cut-replica1')).toHaveAttribute('data-net', 'stopped');
  const restore = page.getByRole('button', { name: 'Restore network replica1' });
  await reach(page, restore);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('cut-replica1')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Stop network replica1' })).toBeVisible();

  // A command in the master's console: typed, Enter, its reply.
  const input = page.getByRole('textbox', { name: 'master console' });
  await reach(page, input);
  await page.keyboard.type('SET colour blue');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('console-out-master')).toContainText('SET colour blue');
  await expect(page.getByTestId('console-live-master')).toHaveText('OK');
  await expect(input).toHaveValue('');

  // The help from "⋯": Tab stays in it, Escape closes it, the focus goes back to "⋯".
  const more = page.getByRole('button', { name: 'More controls' });
  await reach(page, more, true);
  await page.keyboard.press('Enter');
  await expect(more).toHaveAttribute('aria-expanded', 'true');
  const shortcuts = page.getByRole('button', { name: 'Shortcuts' });
  await reach(page, shortcuts);
  await page.keyboard.press('Enter');
  const help = page.getByRole('dialog', { name: 'Shortcuts' });
  await expect(help).toBeVisible();
  const close = help.getByRole('button', { name: 'Close' });
  // The title has the focus (a phone shows the list from its start); Tab reaches Close.
  await expect(help.getByRole('heading', { name: 'Shortcuts' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(close).toBeFocused();
  await expectFocusRing(close);
  await page.keyboard.press('Tab');
  await expect(close).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(close).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  await expect(more).toBeFocused();
  // And with its key, ?; Enter on Close shuts it.
  await page.keyboard.press('?');
  await expect(help).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(close).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(help).toHaveCount(0);
  await expect(more).toBeFocused();

  // Paused from the keyboard (acting from a step's end plays on)...
  const pauseBtn = page.getByRole('button', { name: 'Pause' });
  if (await pauseBtn.isVisible()) {
    await reach(page, pauseBtn, true);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  }
  // ...the timeline: Home goes back to the start of the run, → a tenth of a second on, End to now.
  const timeline = page.getByRole('slider', { name: 'Timeline' });
  await reach(page, timeline);
  const end = await simNow(page);
  expect(end).toBeGreaterThan(60_000);
  // (The start of the run is the end of its opening scene, a few simulated ms in.)
  await page.keyboard.press('Home');
  await expect.poll(() => simNow(page)).toBeLessThan(1000);
  const start = await simNow(page);
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => simNow(page)).toBeGreaterThan(start);
  expect(await simNow(page)).toBeLessThanOrEqual(start + 100);
  await expect(page.getByTestId('log-master')).not.toContainText('Sending 183 bytes of backlog');
  await page.keyboard.press('End');
  // (The slider moves in steps of 100 ms: its end is now, to the step.)
  await expect.poll(() => simNow(page)).toBeGreaterThan(end - 100);
  await expect(page.getByTestId('log-master')).toContainText('Sending 183 bytes of backlog');
});

test('embedded in a deck, Space still presses the control Tab reached', async ({ page }) => {
  await page.goto('/?embed=1&lang=en');
  const wire = page.getByRole('button', { name: 'Link master to replica1' });
  await reach(page, wire);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('cut-replica1')).toHaveAttribute('data-net', 'stopped');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('cut-replica1')).toHaveCount(0);
});

test('keys typed faster than a frame all reach a prediction field: none is put back', async ({
  page,
}) => {
  await page.goto('/?scenario=partial-resync&step=4&lang=en');
  await page.getByRole('button', { name: 'Next step' }).click();
  const form = page.getByTestId('predict');
  await expect(form).toBeVisible({ timeout: 45_000 });
  const offset = form.getByRole('textbox', { name: 'Which offset will replica1 ask for' });
  await offset.focus();
  // Three keys within one task, as a fast typist on a busy machine sends them: no frame runs
  // between them. Each appends to what the field shows, as a key does (the value is set through
  // the prototype's setter, as the browser does, so React sees each input as a change).
  await offset.evaluate((el: HTMLInputElement) => {
    const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    for (const ch of '153') {
      set.call(el, el.value + ch);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }
  });
  await expect(offset).toHaveValue('153');
});

test('the player toolbar is one Tab stop: ← → Home End move in it, the last one focused stays', async ({
  page,
}) => {
  // A lesson: ← and → also walk its steps, but not from inside the toolbar.
  await page.goto('/?scenario=partial-resync&lang=en');
  const pos = page.getByTestId('lesson-pos');
  await expect(pos).toHaveText('Step 0 of 5', SLOW);
  const bar = page.getByRole('toolbar', { name: 'Player' });
  const [play, step, write] = [
    bar.getByRole('button', { name: /^(Play|Pause)$/ }),
    bar.getByRole('button', { name: 'Step' }),
    bar.getByRole('button', { name: 'Write key' }),
  ];
  /** Which of the toolbar's controls Tab stops at (tabIndex 0). */
  const stops = () =>
    bar.evaluate((el) =>
      [...el.querySelectorAll<HTMLElement>('button, select, input')]
        .filter((c) => c.tabIndex >= 0)
        .map((c) => c.textContent?.trim()),
    );
  await expect.poll(stops).toEqual([expect.stringMatching(/Play|Pause/)]);
  await reach(page, play);
  await page.keyboard.press('ArrowRight');
  await expect(step).toBeFocused();
  await expectFocusRing(step);
  await page.keyboard.press('ArrowRight');
  await expect(write).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(play).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(write).toBeFocused();
  await page.keyboard.press('Home');
  await expect(play).toBeFocused();
  await page.keyboard.press('End');
  await expect(write).toBeFocused();
  // The lesson did not move, nothing was written.
  await expect(pos).toHaveText('Step 0 of 5');
  expect(await stops()).toEqual(['✎ Write key']);
  // Out with Tab, back with Shift+Tab: the control last focused in it.
  await page.keyboard.press('Tab');
  await expect(write).not.toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(write).toBeFocused();
  // A disabled control is skipped.
  await step.evaluate((el: HTMLButtonElement) => (el.disabled = true));
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await expect(write).toBeFocused();
  await step.evaluate((el: HTMLButtonElement) => (el.disabled = false));
  // Outside the toolbar, → walks the lesson as before.
  await page.keyboard.press('Tab');
  await page.keyboard.press('ArrowRight');
  await expect(pos).toHaveText('Step 1 of 5', SLOW);
});

test('the timeline: comma and period jump to the previous and the next mark, named aloud', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.goto('/?scenario=partial-resync&step=3&lang=en');
  await expect(page.getByTestId('lesson-pos')).toHaveText('Step 3 of 5', SLOW);
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-running', 'false', SLOW);
  // The marks, as the pointer sees them: their times, and what each one's tooltip says.
  const marks = await page.locator('.rl-timeline-marks [data-at]').evaluateAll((els) =>
    els.map((el) => ({
      at: Number(el.getAttribute('data-at')),
      title: el.getAttribute('title')!,
    })),
  );
  const times = [...new Set(marks.map((m) => m.at))].sort((a, b) => a - b);
  expect(times.length).toBeGreaterThanOrEqual(5);
  const timeline = page.getByRole('slider', { name: 'Timeline' });
  await expect(timeline).toHaveAttribute('title', /comma \(,\) and period \(\.\)/);
  await reach(page, timeline);
  // (The run starts with step 1, at the end of the opening scene: Home lands on a mark too.)
  await page.keyboard.press('Home');
  await expect.poll(() => simNow(page)).toBeLessThanOrEqual(times[0]! + 1);

  /** The lab is at the mark(s) at `at`, and the slider says which. */
  const onMark = async (at: number) => {
    // (A statement takes the engine a millisecond: the lab shows it done just after its mark.)
    await expect.poll(() => simNow(page)).toBeGreaterThanOrEqual(at - 1);
    expect(await simNow(page)).toBeLessThanOrEqual(at + 2);
    // (The slider's value moves in steps of 100 ms.)
    expect(Math.abs(Number(await timeline.inputValue()) - at)).toBeLessThanOrEqual(50);
    // Every mark drawn there is named, as its tooltip names it (after the time).
    const named = async () => {
      const text = (await timeline.getAttribute('aria-valuetext')) ?? '';
      const titles = await page
        .locator(`.rl-timeline-marks [data-at="${at}"]`)
        .evaluateAll((els) => els.map((el) => el.getAttribute('title') ?? ''));
      const missing = titles.filter((t) => !text.includes(` · ${t.slice(t.indexOf(' · ') + 3)}`));
      return { text, marks: titles.length, missing };
    };
    await expect.poll(async () => ((await named()).missing.length ? named() : null)).toBeNull();
    expect((await named()).marks).toBeGreaterThan(0);
    await expect(timeline).toBeFocused();
  };
  await onMark(times[0]!);
  // Forward over the first five marks, then back over three.
  const last = Math.min(5, times.length - 1);
  for (const at of times.slice(1, last + 1)) {
    await page.keyboard.press('.');
    await onMark(at);
  }
  for (const at of times.slice(last - 3, last).reverse()) {
    await page.keyboard.press(',');
    await onMark(at);
  }
  // Between two marks, the slider says the time only.
  await page.keyboard.press('ArrowRight');
  await expect(timeline).toHaveAttribute('aria-valuetext', /^[\d.]+ (ms|s)$/);
  // End: the last step of 100 ms, just before the last mark (the cut, at the end of step 3);
  // period goes on to it, and no further; comma goes back.
  await page.keyboard.press('End');
  await expect.poll(() => simNow(page)).toBeGreaterThan(times.at(-1)! - 100);
  expect(await simNow(page)).toBeLessThan(times.at(-1)!);
  await page.keyboard.press('.');
  await onMark(times.at(-1)!);
  const end = await simNow(page);
  await page.keyboard.press('.');
  await page.waitForTimeout(300);
  expect(await simNow(page)).toBe(end);
  await page.keyboard.press(',');
  await onMark(times.at(-2)!);

  // The help lists the keys.
  await page.keyboard.press('Escape');
  await page.locator('.rl-root').focus();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Shortcuts' });
  await expect(
    help.getByRole('row', { name: /^, \/ \. On the timeline: previous \/ next mark/ }),
  ).toBeVisible();
});
