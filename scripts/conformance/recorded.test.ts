import { describe, expect, it } from 'vitest';
import { VERSIONS } from '../../src/engine/dialect';
import type { Version } from '../../src/engine/types';
import { runOnEngine } from '../../src/lab/run';
import { parseScript } from '../../src/lab/script';
import { compareRuns } from './compare';
import { knownDisagreement } from './pragma';
import { readRecordings } from './recorded';
import { parseVersionLine } from './servers';

// What real servers of every version showed for the corpus (recorded with
// `npm run conformance -- --server PATH --record`, docs/versions.md), replayed on the engine under
// that version's dialect: the proof for servers CI cannot build.
const recordings = readRecordings();

describe('recorded observations of real servers', () => {
  it('exist for every version the engine speaks', () => {
    const recorded = new Set(recordings.map((r) => r.rec.version));
    // 7.0 is compared live instead, in every CI run (Debian's redis-server: npm run conformance).
    for (const v of VERSIONS.filter((x) => x !== '7.0'))
      expect(recorded, `no recording for ${v}`).toContain(v);
  });

  for (const { label, rec } of recordings) {
    it(`${label}/${rec.script}: the engine agrees`, () => {
      const parsed = parseVersionLine(rec.server);
      expect(parsed?.label).toBe(label);
      expect(parsed?.version).toBe(rec.version);
      expect(VERSIONS, `the engine has no ${rec.version} dialect`).toContain(rec.version);
      const script = parseScript(rec.text);
      const servers = script.statements.flatMap((s) =>
        s.kind === 'server' ? [{ name: s.name, host: s.host, port: s.port }] : [],
      );
      const engine = runOnEngine(script, { seed: rec.seed, version: rec.version as Version });
      const diff = compareRuns(engine, rec.observation, { servers, script });
      if (rec.known) {
        // A known gap must still be one: once the engine agrees, the mark goes.
        expect(diff, `agrees although marked known (${rec.known}): drop "known"`).not.toBeNull();
        return;
      }
      if (diff && knownDisagreement(rec.text)) return; // printed by the live run, as run.ts does
      expect(diff?.message ?? null).toBeNull();
    });
  }
});
