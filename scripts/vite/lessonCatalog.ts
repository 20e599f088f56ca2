/**
 * `virtual:lesson-catalog`: the built-in lessons' ids and titles, read from the `title en|es`
 * lines of src/lessons/*.lab at build time. The chooser needs only these on the first screen;
 * each lesson's text is loaded when it is opened (src/lessons/index.ts). A unit test checks
 * every title against the scenario parser's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

const ID = 'virtual:lesson-catalog';
const RESOLVED = `\0${ID}`;

/** `title en "TEXT"` → TEXT; the lab script's strings escape `"` and `\` with a backslash. */
function titles(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^title (en|es) "((?:[^"\\]|\\.)*)"\s*$/gm))
    out[m[1]!] = m[2]!.replace(/\\(.)/g, '$1');
  return out;
}

export function lessonCatalog(dir: string): Plugin {
  return {
    name: 'resync-lab:lesson-catalog',
    resolveId: (id) => (id === ID ? RESOLVED : null),
    load(id) {
      if (id !== RESOLVED) return null;
      const files = readdirSync(dir).filter((f) => f.endsWith('.lab'));
      const catalog = files.map((f) => {
        const file = path.join(dir, f);
        this.addWatchFile(file);
        return { id: f.replace(/\.lab$/, ''), title: titles(readFileSync(file, 'utf8')) };
      });
      return `export default ${JSON.stringify(catalog)};`;
    },
  };
}
