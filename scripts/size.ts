/**
 * `npm run size`: the JavaScript the app's first screen loads — what the built index.html names
 * (its script and the modules it preloads), gzipped — against the budget, in CI after the unit
 * tests. Fails when the figure is over INITIAL_JS_CEILING_KB.
 *
 * The ceiling is the budgets issue's target, 150 kB: what the first screen does not need loads
 * on demand (README, "Budgets"), and a change that would put the first load over it has to take
 * something else out of it first.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The target for the first load, gzipped. */
export const INITIAL_JS_TARGET_KB = 150;
/** The most the first load may weigh in CI. */
export const INITIAL_JS_CEILING_KB = INITIAL_JS_TARGET_KB;

export interface InitialAssets {
  readonly files: readonly { readonly file: string; readonly raw: number; readonly gz: number }[];
  /** The JavaScript among them, gzipped, in kB (1024 bytes). */
  readonly jsKb: number;
}

/**
 * The modules `code` (a built module in assets/) imports statically: `import … from "./x.js"`,
 * `export … from "./x.js"` and `import "./x.js"`, not `import("./x.js")`, which loads on demand.
 */
export function staticImports(code: string): string[] {
  return [
    ...code.matchAll(/\bfrom\s*["']\.\/([^"']+\.js)["']|\bimport\s*["']\.\/([^"']+\.js)["']/g),
  ].map((m) => `assets/${m[1] ?? m[2]!}`);
}

/**
 * The files `outDir/index.html` loads before anything runs, with their gzipped sizes: what it
 * names (its script, stylesheet and preloads) and every module those import statically.
 */
export function initialAssets(outDir: string): InitialAssets {
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const names = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.(?:js|css))"/g)].map(
    (m) => m[1]!,
  );
  for (let i = 0; i < names.length; i++)
    if (names[i]!.endsWith('.js'))
      for (const dep of staticImports(readFileSync(join(outDir, names[i]!), 'utf8')))
        if (!names.includes(dep)) names.push(dep);
  const files = [...new Set(names)].map((file) => {
    const bytes = readFileSync(join(outDir, file));
    return { file, raw: bytes.length, gz: gzipSync(bytes).length };
  });
  const jsKb = files.filter((x) => x.file.endsWith('.js')).reduce((a, x) => a + x.gz, 0) / 1024;
  return { files, jsKb };
}

/** "main.js 97.5, react.js 65.9, …": each file's gzipped kB, without its hash. */
export function describeAssets(a: InitialAssets): string {
  return a.files
    .map(
      (x) =>
        `${x.file.replace(/^assets\//, '').replace(/-[\w-]{8}\./, '.')} ${(x.gz / 1024).toFixed(1)}`,
    )
    .join(', ');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { build } = await import('vite');
  const outDir = mkdtempSync(join(tmpdir(), 'resync-lab-size-'));
  try {
    await build({ logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    const a = initialAssets(outDir);
    const line = `initial JavaScript ${a.jsKb.toFixed(1)} kB gzipped (${describeAssets(a)}); ceiling ${INITIAL_JS_CEILING_KB} kB, target ${INITIAL_JS_TARGET_KB} kB`;
    if (a.jsKb > INITIAL_JS_CEILING_KB) {
      console.error(`size: over budget: ${line}`);
      process.exit(1);
    }
    console.log(`size: ${line}`);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
