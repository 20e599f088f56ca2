/**
 * Vitest setup: every built-in lesson's text and the data-type commands' code are loaded before a
 * test file runs, so opening a lesson or running HSET in a test is as immediate as it is in the
 * app once they have been fetched.
 *
 * And every property test draws the same cases on every run (fast-check's global seed), so that
 * a red CI is a change's doing: PROPERTY_SEED=random (or another number) explores further, and a
 * failure prints the seed and path that replay it.
 */
import fc from 'fast-check';
import { installOnDemandCode } from './engine/dialect';
import * as onDemand from './engine/onDemand';
import { loadAllLessons } from './lessons';

const seed = process.env['PROPERTY_SEED'];
if (seed !== 'random') fc.configureGlobal({ seed: Number(seed ?? 20_261_129) });

// The data-type commands' code, which the browser loads on demand (typeCommands.ts).
installOnDemandCode(onDemand);

await loadAllLessons();
