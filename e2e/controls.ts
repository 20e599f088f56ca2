import { expect, type Frame, type Page } from '@playwright/test';

/**
 * The toolbar's less-used controls (stream view, theme, language, help, default write) sit behind
 * "⋯" in a 16:9 box and in anything narrower than ~1100 px. `inMore` opens it when it is there,
 * runs `act`, and closes it again with Escape; in a wider, taller box it just runs `act`.
 */
export async function inMore<T>(t: Page | Frame, act: () => Promise<T>): Promise<T> {
  const more = t.locator('.rl-more-btn');
  const page = 'keyboard' in t ? t : t.page();
  const opened = (await more.isVisible()) && (await more.getAttribute('aria-expanded')) !== 'true';
  if (opened) {
    await more.click();
    await expect(more).toHaveAttribute('aria-expanded', 'true');
  }
  const r = await act();
  if (opened && (await more.getAttribute('aria-expanded')) === 'true') {
    await page.keyboard.press('Escape');
    await expect(more).toHaveAttribute('aria-expanded', 'false');
  }
  return r;
}

export async function chooseTheme(t: Page | Frame, theme: string): Promise<void> {
  await inMore(t, () => t.getByRole('combobox', { name: 'Theme' }).selectOption(theme));
  await expect(t.locator('.rl-root')).toHaveAttribute('data-theme', theme);
}

export async function switchLanguage(t: Page | Frame): Promise<void> {
  await inMore(t, () => t.getByRole('button', { name: 'Language' }).click());
}

export async function streamView(t: Page | Frame, view: 'RESP bytes' | 'Commands'): Promise<void> {
  await inMore(t, () => t.getByRole('button', { name: view }).click());
}

export async function setSpeed(page: Page, speed: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Speed' }).selectOption(speed);
}

export async function pause(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
}

export async function play(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
}

/** Simulated time now, as the lab writes it on its root each frame. */
export async function simNow(page: Page): Promise<number> {
  return Number(await page.locator('.rl-root').getAttribute('data-sim-ms'));
}
