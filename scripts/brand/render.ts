/**
 * `npx tsx scripts/brand/render.ts`: renders the PNG icons and the social preview in public/
 * from public/favicon.svg and scripts/brand/og-image.html, with Debian's Chromium (CHROMIUM_PATH
 * overrides) through Playwright. Run it again after changing either source.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';

const root = join(import.meta.dirname, '..', '..');
const pub = join(root, 'public');
const exe = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browser = await chromium.launch({
  ...(existsSync(exe) ? { executablePath: exe } : {}),
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  // A data: URL: a page made with setContent (about:blank) may not load file: URLs.
  const svg = `data:image/svg+xml;base64,${readFileSync(join(pub, 'favicon.svg')).toString('base64')}`;
  // Icons: the SVG drawn at each size. The favicon PNG keeps its transparent corners; the
  // apple-touch icon is full-bleed on the icon's own blue (iOS rounds the corners itself).
  const icons = [
    { file: 'favicon-32.png', size: 32, bleed: false },
    { file: 'apple-touch-icon.png', size: 180, bleed: true },
  ];
  for (const icon of icons) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } });
    const bg = icon.bleed ? 'background:#1f5fbf' : 'background:transparent';
    const inset = icon.bleed ? Math.round(icon.size * 0.08) : 0;
    await page.setContent(
      `<html><body style="margin:0;${bg}"><img src="${svg}" style="display:block;margin:${inset}px;width:${icon.size - 2 * inset}px;height:${icon.size - 2 * inset}px"></body></html>`,
    );
    await page.waitForLoadState('load');
    await page.screenshot({ path: join(pub, icon.file), omitBackground: !icon.bleed });
    await page.close();
  }
  const og = await browser.newPage({ viewport: { width: 1200, height: 630 } });
  await og.goto(pathToFileURL(join(root, 'scripts', 'brand', 'og-image.html')).href);
  await og.waitForLoadState('load');
  await og.screenshot({ path: join(pub, 'og-image.png') });
  await og.close();
  process.stdout.write(`rendered ${icons.map((i) => i.file).join(', ')}, og-image.png in ${pub}\n`);
} finally {
  await browser.close();
}
