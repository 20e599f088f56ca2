import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { viteSingleFile } from 'vite-plugin-singlefile';
import { configDefaults, defineConfig } from 'vitest/config';
import { lessonCatalog } from './scripts/vite/lessonCatalog';

/** The offline build's one file, written next to the normal build (`npm run build` makes both). */
export const OFFLINE_FILE = 'resync-lab-offline.html';

/**
 * The offline file carries no files beside it: the SVG favicon goes inside as a data URL, and the
 * links to the other files of public/ (PNG icons, manifest) are dropped.
 */
function offlineHead(): Plugin {
  const svg = readFileSync(new URL('./public/favicon.svg', import.meta.url), 'utf8');
  const icon = `data:image/svg+xml,${encodeURIComponent(svg)}`;
  return {
    name: 'resync-lab:offline-head',
    transformIndexHtml(html) {
      return html
        .replace(
          /<link rel="(?:icon|apple-touch-icon|manifest)"[^>]*\.(?:png|webmanifest)"[^>]*>\s*/g,
          '',
        )
        .replace('href="./favicon.svg"', `href="${icon}"`);
    },
  };
}

/**
 * `<link rel="modulepreload">` for every module the entry imports statically (and those import),
 * as Vite writes them itself unless `build.modulePreload` is off. It is off here because it also
 * puts the modulepreload polyfill in the first load, and beside each dynamic import the list of
 * the chunks it needs (0.5 kB gzipped together), which this app, one stylesheet and a few lazy
 * chunks, can do without: a lazy chunk fetches what it imports itself. (Vite still wraps each
 * dynamic import in its helper, with an empty list: vitejs/vite#13952.)
 */
function preloadStaticImports(): Plugin {
  return {
    name: 'resync-lab:preload-static-imports',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle || !ctx.chunk) return html;
        const seen = new Set<string>();
        const visit = (file: string) => {
          const c = bundle[file];
          if (!c || c.type !== 'chunk') return;
          for (const dep of c.imports)
            if (!seen.has(dep)) {
              seen.add(dep);
              visit(dep);
            }
        };
        visit(ctx.chunk.fileName);
        // Relative to the page (the deck's is two folders down: ../../assets/…).
        const from = posix.dirname(ctx.path.replace(/^\//, ''));
        const href = (f: string) => {
          const rel = posix.relative(from, f);
          return rel.startsWith('.') ? rel : `./${rel}`;
        };
        const links = [...seen]
          .map((f) => `    <link rel="modulepreload" crossorigin href="${href(f)}">\n`)
          .join('');
        return html.replace(/\s*<\/head>/, `\n${links}  </head>`);
      },
    },
  };
}

export default defineConfig(({ mode }) => {
  // `vite build --mode offline`: the whole app (every lesson, the lazy QR and image-export code
  // too) in one HTML file that opens from a USB stick with file://, no server.
  const offline = mode === 'offline';
  // `vite build --mode deck`: the example reveal.js deck that embeds the app (npm run deck), built
  // on its own, after the app: built together, the modules both use became a chunk of their own
  // that the app's first load fetched too.
  const deck = mode === 'deck';
  const input: Record<string, string> = deck
    ? { deck: 'src/deck/index.html' }
    : { main: 'index.html' };
  const lessons = lessonCatalog(fileURLToPath(new URL('./src/lessons', import.meta.url)));
  return {
    base: './',
    plugins: offline
      ? [react(), lessons, offlineHead(), viteSingleFile({ outputFileName: OFFLINE_FILE })]
      : [react(), lessons, preloadStaticImports()],
    build: offline
      ? { emptyOutDir: false, copyPublicDir: false }
      : {
          ...(deck ? { emptyOutDir: false, copyPublicDir: false } : {}),
          // No polyfill, no lists of chunks beside dynamic imports (see preloadStaticImports).
          modulePreload: false,
          rolldownOptions: {
            input,
            output: {
              // Libraries change less often than our code: their own chunks stay cached across
              // releases (and no chunk passes the 500 kB warning).
              codeSplitting: {
                groups: [
                  {
                    name: 'react',
                    test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/,
                  },
                ],
              },
            },
          },
        },
    test: {
      exclude: [...configDefaults.exclude, 'e2e/**'],
      include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
      setupFiles: ['src/test-setup.ts'],
      environment: 'node',
      // Property tests run hundreds of cases: on a busy 2-core machine a few take seconds.
      testTimeout: 30_000,
    },
  };
});
