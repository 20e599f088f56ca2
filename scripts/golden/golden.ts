/**
 * Golden transcripts: a refactor guard, not a proof of any fact about Redis (conformance is that).
 * For every docs and corpus lab script (under 7.0 and again under 5.0) and a few generated ones,
 * it records what `npm run sim` prints plus every server's whole log, INFO replication and
 * keyspace at the end, and a compact line per engine event. `golden.test.ts` compares the engine
 * with the files in `transcripts/`; `npm run golden:update` rewrites them (review the diff: a
 * change must be one the commit names on purpose).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { SimEvent } from '../../src/engine/events';
import { replicationFields } from '../../src/engine/info';
import { dumpKeyspace } from '../../src/engine/keyspace';
import { installOnDemandCode } from '../../src/engine/dialect';
import * as onDemand from '../../src/engine/onDemand';
import { Lab } from '../../src/lab/run';
import { parseScript } from '../../src/lab/script';
import { generateScript } from '../conformance/gen';

const ROOT = join(import.meta.dirname, '..', '..');
export const TRANSCRIPTS = join(import.meta.dirname, 'transcripts');

export interface GoldenCase {
  readonly name: string;
  readonly text: string;
}

/** The cases: docs examples, the conformance corpus (7.0 and 5.0), and generated scripts. */
export function goldenCases(): GoldenCase[] {
  const cases: GoldenCase[] = [];
  const dirs = [join(ROOT, 'docs', 'examples'), join(ROOT, 'scripts', 'conformance', 'corpus')];
  for (const dir of dirs) {
    for (const f of readdirSync(dir)
      .filter((x) => x.endsWith('.lab'))
      .sort()) {
      const text = readFileSync(join(dir, f), 'utf8');
      const name = basename(f, '.lab');
      cases.push({ name, text });
      if (!/^\s*version\b/m.test(text))
        cases.push({ name: `${name}.v5`, text: `version 5.0\n${text}` });
    }
  }
  for (const seed of [1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1094, 1109])
    cases.push({ name: `gen-${seed}`, text: generateScript(seed) });
  return cases;
}

function describeEvent(e: SimEvent): string {
  switch (e.type) {
    case 'message':
      return `${e.sendAt} message #${e.id} ${e.from}->${e.to} ${e.kind} ${e.bytes}B arrive=${e.arriveAt} ${e.label}`;
    case 'dropped':
      return `${e.at} dropped #${e.id}`;
    case 'log':
      return `${e.at} log ${e.server}`;
    case 'replState':
      return `${e.at} replState ${e.server} ${e.before}->${e.after}`;
    case 'slaveState':
      return `${e.at} slaveState ${e.master}/${e.replica} ${e.state}`;
    case 'offset':
      return `${e.at} offset ${e.server} ${e.before}->${e.after}`;
    case 'psync':
      return `${e.at} psync ${e.master}<-${e.replica} ${e.replid}:${e.offset} ${e.result} ${e.reply} ${e.bytes}B [${e.checks.map((c) => `${c.id}=${c.ok}`).join(',')}]`;
    case 'bgsave':
      return `${e.at} bgsave ${e.server} ${e.phase} ${e.target}`;
    case 'net':
      return `${e.at} net ${e.server} ${e.state}`;
    case 'removed':
      return `${e.at} removed ${e.server}`;
    case 'resynced':
      return `${e.at} resynced ${e.master}->${e.replica} ${e.kind} ${e.bytes}B since ${e.startedAt}`;
    case 'reply':
      return `${e.at} reply ${e.server} #${e.ticket}`;
    case 'keyspace':
      return `${e.at} keyspace ${e.server} ${e.keys.join(' ')}`;
  }
}

/** Everything the golden file holds for one script. */
export function goldenOutput(text: string): string {
  const script = parseScript(text);
  installOnDemandCode(onDemand);
  const lab = new Lab({ seed: 1 });
  const out: string[] = ['## transcript'];
  const events: string[] = [];
  let unsubscribe: (() => void) | null = null;
  for (const st of script.statements) {
    out.push(...lab.apply(st).lines);
    if (!unsubscribe && lab.started)
      unsubscribe = lab.sim.subscribe((e) => {
        events.push(describeEvent(e));
      });
  }
  unsubscribe?.();
  if (lab.started) {
    for (const name of lab.sim.serverNames()) {
      const s = lab.sim.server(name);
      out.push(`## log ${name}`, ...s.log);
      out.push(
        `## info ${name}`,
        ...replicationFields(lab.sim.state, s).map(([k, v]) => `${k}:${v}`),
      );
      out.push(`## keyspace ${name}`, ...dumpKeyspace(s.keyspace).map((k) => JSON.stringify(k)));
    }
  }
  out.push('## events', ...events);
  return out.join('\n') + '\n';
}
