/**
 * Recorded observations: what a real server showed for a lab script, kept in the repository so
 * that `npm test` can compare the engine with servers CI cannot build (Redis 5.0–7.4, Valkey 8).
 * `npm run conformance -- --server PATH --record` writes one file per script to
 * `recorded/<product>-<x.y.z>/<script>.json`; recorded.test.ts replays each on the engine.
 *
 * Every log line is kept (not only those compare.ts reads today), so that a later comparison
 * rule can use them without a new recording.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunObservation } from '../../src/lab/observation';

export interface Recording {
  /** The server's `--version` line. */
  readonly server: string;
  /** The engine dialect the recording is compared under (`5.0`, `valkey-8.0`). */
  readonly version: string;
  readonly script: string;
  /** The script's text as it ran (a later edit of the corpus does not invalidate the record). */
  readonly text: string;
  readonly seed: number;
  /** When it was recorded (ISO date), and by which runner (proxy or kernel). */
  readonly recordedAt: string;
  readonly runner: 'proxy' | 'kernel';
  readonly observation: RunObservation;
  /**
   * Set by hand when the engine is known not to model what this recording shows (the reason):
   * recorded.test.ts then only checks that it still disagrees, as run.ts treats a
   * `# conformance: known-disagreement` script.
   */
  readonly known?: string;
}

export const RECORDED_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'recorded');

export function writeRecording(label: string, rec: Recording): string {
  const dir = path.join(RECORDED_DIR, label);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${rec.script}.json`);
  // A hand-set `known` stays until someone removes it (recorded.test.ts says when it may go).
  const known = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Recording>).known
    : undefined;
  fs.writeFileSync(file, `${JSON.stringify(known ? { ...rec, known } : rec, null, 1)}\n`);
  return file;
}

/** Every recording, by folder (`redis-5.0.14`) then script name. */
export function readRecordings(): Array<{ label: string; file: string; rec: Recording }> {
  if (!fs.existsSync(RECORDED_DIR)) return [];
  const out: Array<{ label: string; file: string; rec: Recording }> = [];
  for (const label of fs.readdirSync(RECORDED_DIR).sort()) {
    const dir = path.join(RECORDED_DIR, label);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir).sort()) {
      if (!f.endsWith('.json')) continue;
      const file = path.join(dir, f);
      out.push({ label, file, rec: JSON.parse(fs.readFileSync(file, 'utf8')) as Recording });
    }
  }
  return out;
}
