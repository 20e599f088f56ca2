/**
 * Recorded observations: what a real server showed for a lab script, kept in the repository so
 * that `npm test` can compare the engine with servers CI cannot build (Redis 5.0–7.4, Valkey 8).
 * `npm run conformance -- --server PATH --record` writes one file per script to
 * `recorded/<product>-<x.y.z>/<script>.json`; recorded.test.ts replays each on the engine.
 *
 * Only what compare.ts reads is kept: step observations and the replication log lines.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunObservation } from '../../src/lab/observation';
import { isReplicationMessage } from './compare';

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
}

export const RECORDED_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'recorded');

const LOG_PREFIX = /^\d+:[A-Z] \d{2} \w{3} \d{4} [\d:.]+ . /;

/** The observation with only the log lines compare.ts looks at. */
export function trimObservation(obs: RunObservation): RunObservation {
  const logs: Record<string, readonly string[]> = {};
  for (const [name, lines] of Object.entries(obs.logs))
    logs[name] = lines.filter(
      (l) => LOG_PREFIX.test(l) && isReplicationMessage(l.replace(LOG_PREFIX, '')),
    );
  return { steps: obs.steps, logs };
}

export function writeRecording(label: string, rec: Recording): string {
  const dir = path.join(RECORDED_DIR, label);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${rec.script}.json`);
  fs.writeFileSync(
    file,
    `${JSON.stringify({ ...rec, observation: trimObservation(rec.observation) }, null, 1)}\n`,
  );
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
