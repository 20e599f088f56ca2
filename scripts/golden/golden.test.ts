import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goldenCases, goldenOutput, TRANSCRIPTS } from './golden';

// A refactor guard: the engine's whole output for each script is what it was when the file was
// written. A difference is either a regression or a change made on purpose (then its commit
// names it and reruns `npm run golden:update`).
describe('golden transcripts', () => {
  const cases = goldenCases();

  it('has one file per case and no stale files', () => {
    const files = readdirSync(TRANSCRIPTS).sort();
    expect(files).toEqual(cases.map((c) => `${c.name}.txt`).sort());
  });

  for (const c of cases) {
    it(c.name, () => {
      const file = join(TRANSCRIPTS, `${c.name}.txt`);
      expect(existsSync(file)).toBe(true);
      const want = readFileSync(file, 'utf8');
      const got = goldenOutput(c.text);
      if (got !== want) {
        const a = want.split('\n');
        const b = got.split('\n');
        const i = a.findIndex((line, k) => line !== b[k]);
        expect(b.slice(i, i + 5).join('\n'), `first difference at line ${i + 1}`).toBe(
          a.slice(i, i + 5).join('\n'),
        );
      }
      expect(got === want).toBe(true);
    });
  }
});
