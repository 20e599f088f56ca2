/**
 * Real-vs-real check of the normalisation: runs corpus scripts twice on real Redis at once and
 * compares the two runs with compareRuns. Anything reported is run-to-run noise the comparison
 * does not absorb. Usage: npx tsx scripts/conformance/selfcheck.ts NAME...
 */
import fs from 'node:fs';
import { parseScript } from '../../src/lab/script';
import { compareRuns } from './compare';
import { runOnRealRedis } from './real';
for (const name of process.argv.slice(2)) {
  const script = parseScript(fs.readFileSync(`scripts/conformance/corpus/${name}.lab`, 'utf8'));
  const servers = script.statements.flatMap((s) =>
    s.kind === 'server' ? [{ name: s.name, host: s.host, port: s.port }] : [],
  );
  const [a, b] = await Promise.all([
    runOnRealRedis(script, { basePort: 22000 }),
    runOnRealRedis(script, { basePort: 22100 }),
  ]);
  const d = compareRuns(a, b, { servers, script });
  console.log(name, d ? d.message : 'same');
}
