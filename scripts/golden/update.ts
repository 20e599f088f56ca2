/** `npm run golden:update`: rewrites scripts/golden/transcripts from the engine as it is now. */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { goldenCases, goldenOutput, TRANSCRIPTS } from './golden';

mkdirSync(TRANSCRIPTS, { recursive: true });
for (const f of readdirSync(TRANSCRIPTS)) rmSync(join(TRANSCRIPTS, f));
const cases = goldenCases();
for (const c of cases) writeFileSync(join(TRANSCRIPTS, `${c.name}.txt`), goldenOutput(c.text));
process.stdout.write(`wrote ${cases.length} golden transcripts to ${TRANSCRIPTS}\n`);
