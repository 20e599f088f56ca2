/**
 * The headless CLI: `npm run sim -- [--seed N] FILE` (FILE `-` reads stdin). Prints the
 * transcript of a lab script or a scenario (src/lab/scenario.ts); a script error names its line and column and exits with status 2
 * before anything runs.
 */
import { readFileSync } from 'node:fs';
import { LabScriptError } from '../src/lab/ast';
import { runText } from '../src/lab/run';
import { isScenarioText, parseScenario, runScenario } from '../src/lab/scenario';

function usage(msg: string): never {
  process.stderr.write(`${msg}\nusage: npm run sim -- [--seed N] FILE   (FILE - reads stdin)\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let seed = 1;
let file: string | undefined;
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--seed') {
    const v = args[++i];
    if (v === undefined || !/^\d+$/.test(v)) usage('--seed needs a non-negative integer');
    seed = Number(v);
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
  const run = isScenarioText(text)
    ? runScenario(parseScenario(text), { seed })
    : runText(text, { seed });
  process.stdout.write(run.transcript);
} catch (e) {
  if (e instanceof LabScriptError) {
    process.stderr.write(`${file === '-' ? 'stdin' : file}:${e.line}:${e.col}: ${e.reason}\n`);
    process.exit(2);
  }
  throw e;
}
