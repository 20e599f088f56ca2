/**
 * The headless CLI: `npm run sim -- [--seed N] FILE` (FILE `-` reads stdin). Prints the
 * transcript of a lab script or a scenario (src/lab/scenario.ts); a script error names its line and column and exits with status 2
 * before anything runs.
 *
 * `npm run sim -- --export-sh FILE [--base-port N]` prints instead a POSIX shell script that
 * replays FILE on real redis-server (src/lab/export.ts, docs/real-redis.md).
 */
import { readFileSync } from 'node:fs';
import { LabScriptError } from '../src/lab/ast';
import { exportShell } from '../src/lab/export';
import { runText } from '../src/lab/run';
import { runScenario } from '../src/lab/headless';
import { isScenarioText, parseScenario } from '../src/lab/scenario';
import { parseScript } from '../src/lab/script';
import { installOnDemandCode } from '../src/engine/dialect';
import * as onDemand from '../src/engine/onDemand';

function usage(msg: string): never {
  process.stderr.write(
    `${msg}\nusage: npm run sim -- [--seed N] FILE   (FILE - reads stdin)\n` +
      '       npm run sim -- --export-sh FILE [--base-port N]   (a shell script for real Redis)\n',
  );
  process.exit(2);
}

// The data-type commands' code, which the browser loads on demand.
installOnDemandCode(onDemand);

const args = process.argv.slice(2);
let seed = 1;
let file: string | undefined;
let exportSh = false;
let basePort: number | undefined;
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--seed') {
    const v = args[++i];
    if (v === undefined || !/^\d+$/.test(v)) usage('--seed needs a non-negative integer');
    seed = Number(v);
  } else if (a === '--export-sh') exportSh = true;
  else if (a === '--base-port') {
    const v = args[++i];
    if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 65000)
      usage('--base-port needs a port number');
    basePort = Number(v);
  } else if (a === '-h' || a === '--help')
    usage('Runs a lab script on the simulated Redis servers.');
  else if (file === undefined) file = a;
  else usage(`unexpected argument '${a}'`);
}
if (file === undefined) usage('missing FILE');

let text: string;
try {
  text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
} catch (e) {
  usage(`cannot read ${file}: ${(e as Error).message}`);
}

try {
  // A scenario (its first line `scenario ID`) runs step by step, its quotes checked.
  if (exportSh) {
    const parsed = isScenarioText(text) ? parseScenario(text) : parseScript(text);
    process.stdout.write(exportShell(parsed, { basePort }));
  } else {
    const run = isScenarioText(text)
      ? runScenario(parseScenario(text), { seed })
      : runText(text, { seed });
    process.stdout.write(run.transcript);
  }
} catch (e) {
  if (e instanceof LabScriptError) {
    process.stderr.write(`${file === '-' ? 'stdin' : file}:${e.line}:${e.col}: ${e.reason}\n`);
    process.exit(2);
  }
  throw e;
}
