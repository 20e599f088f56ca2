import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { initialAssets, staticImports } from './size';

describe('the first-load size', () => {
  it('reads the static imports of a built module, not the ones loaded on demand', () => {
    const code =
      'import{a as b}from"./react-X1.js";import"./side-Y2.js";export{c}from\'./log-Z3.js\';' +
      'const l=()=>import(`./Help-H4.js`),m=import("./Lazy-L5.js");';
    expect(staticImports(code)).toEqual([
      'assets/react-X1.js',
      'assets/side-Y2.js',
      'assets/log-Z3.js',
    ]);
  });

  it('counts what index.html names and every module those import, each once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'resync-lab-size-test-'));
    try {
      mkdirSync(join(dir, 'assets'));
      const files: Record<string, string> = {
        'main-1.js': 'import{r}from"./react-2.js";import"./log-3.js";import("./Help-4.js");',
        'react-2.js': 'export const r=1;'.repeat(50),
        'log-3.js': 'import{r}from"./react-2.js";export const l=r;',
        'Help-4.js': 'export const h="never counted";',
        'main-5.css': 'body{color:red}',
      };
      for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, 'assets', f), text);
      writeFileSync(
        join(dir, 'index.html'),
        '<script type="module" src="./assets/main-1.js"></script>' +
          '<link rel="stylesheet" href="./assets/main-5.css">',
      );
      const a = initialAssets(dir);
      expect(a.files.map((f) => f.file).sort()).toEqual([
        'assets/log-3.js',
        'assets/main-1.js',
        'assets/main-5.css',
        'assets/react-2.js',
      ]);
      const gz = (f: string) => gzipSync(Buffer.from(files[f]!)).length;
      expect(a.jsKb).toBeCloseTo((gz('main-1.js') + gz('react-2.js') + gz('log-3.js')) / 1024, 6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
