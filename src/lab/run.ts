/**
 * Runs lab-script statements on the engine. The CLI, the conformance harness, the store (and so
 * the UI console, lessons and embeds) all go through `Lab.apply`, so a statement means the same
 * thing everywhere.
 */
import { replicationFields, renderRole } from '../engine/info';
import type { Reply } from '../engine/reply';
import { Simulation, type SimOptions } from '../engine/sim';
import type { SimState, Version } from '../engine/types';
import { LabScriptError, type Script, type Statement } from './ast';
import { formatReplyRaw } from './format';
import type { RunObservation, StepObservation } from './observation';
import { formatStatement, parseScript, quoteArg } from './script';

/** The engine's network state each `net` statement leaves its server in. */
const NET_STATE = {
  down: 'down',
  silent: 'silent',
  up: 'up',
  stop: 'stopped',
  start: 'up',
} as const;

/** Simulated time between the boots of two servers declared one after another. */
export const BOOT_MS = 100;

/** Simulated time a command statement takes: one client round trip. */
export const CLIENT_RTT_MS = 1;

/** Simulated time a `restart` statement takes (shutdown, boot, first cron). */
export const RESTART_MS = 100;

export interface LabOptions {
  seed?: number;
  /** Defaults for a run whose script does not say (`clock`, `version`, `latency`). */
  sim?: Omit<SimOptions, 'seed'>;
}

/** A Lab at one moment (time travel): the options still to come and the engine's whole state. */
export interface LabSnapshot {
  readonly simOpts: SimOptions;
  readonly state: SimState | null;
}

/** What applying one statement produced. */
export interface StepResult {
  readonly statement: Statement;
  /** Transcript lines, as `npm run sim` prints them. */
  readonly lines: readonly string[];
  readonly reply?: Reply;
}

export class Lab {
  private simOpts: SimOptions;
  private simulation: Simulation | null = null;

  constructor(opts: LabOptions = {}) {
    this.simOpts = { ...opts.sim, seed: opts.seed ?? 1 };
  }

  /** The simulation, created by the first `server` statement. */
  get sim(): Simulation {
    if (!this.simulation) this.simulation = new Simulation(this.simOpts);
    return this.simulation;
  }

  get started(): boolean {
    return this.simulation !== null;
  }

  /** A deep copy of this lab (restore it with `Lab.fromSnapshot`). */
  snapshot(): LabSnapshot {
    return { simOpts: { ...this.simOpts }, state: this.simulation?.snapshot() ?? null };
  }

  static fromSnapshot(snap: LabSnapshot): Lab {
    const lab = new Lab();
    lab.simOpts = { ...snap.simOpts };
    lab.simulation = snap.state ? Simulation.fromSnapshot(snap.state) : null;
    return lab;
  }

  /** Checks a statement against the current state; throws LabScriptError when it cannot run. */
  check(st: Statement): void {
    const known = (name: string): boolean => this.started && this.sim.serverNames().includes(name);
    switch (st.kind) {
      case 'clock':
      case 'version':
      case 'link':
        if (this.started && st.kind !== 'link')
          throw new LabScriptError(st.pos, `'${st.kind}' must come before the first server`);
        return;
      case 'server':
        if (known(st.name))
          throw new LabScriptError(st.pos, `server '${st.name}' is already declared`);
        return;
      case 'command':
      case 'net':
      case 'restart':
      case 'remove':
      case 'show':
        if (!known(st.server)) throw new LabScriptError(st.pos, `unknown server '${st.server}'`);
        return;
      case 'wait':
        return;
    }
  }

  apply(st: Statement): StepResult {
    this.check(st);
    switch (st.kind) {
      case 'clock':
        this.simOpts.wallStartMs = st.wallMs;
        return { statement: st, lines: [] };
      case 'version':
        this.simOpts.version = st.version as Version;
        return { statement: st, lines: [] };
      case 'link':
        if (this.started) {
          this.sim.state.latencyMs = st.latencyMs;
          this.sim.state.bytesPerSec = st.bytesPerSec;
        } else {
          this.simOpts.latencyMs = st.latencyMs;
          this.simOpts.bytesPerSec = st.bytesPerSec;
        }
        return { statement: st, lines: [] };
      case 'server':
        // Booting takes a while: servers declared one after another start 100 ms apart (as the
        // conformance harness starts real ones), so their cron ticks never coincide.
        if (this.sim.serverNames().length > 0) this.sim.advance(BOOT_MS);
        this.sim.addServer(st.name, st.host, st.port);
        return { statement: st, lines: [] };
      case 'command': {
        const reply = this.sim.exec(st.server, st.argv);
        // A redis-cli round trip takes a moment: what the command sent is on its way before the
        // next statement (say, a `net … down`) runs, as it is with real servers.
        this.sim.advance(CLIENT_RTT_MS);
        const head = `${st.server}> ${st.argv.map(quoteArg).join(' ')}`;
        return { statement: st, lines: [head, formatReplyRaw(reply)], reply };
      }
      case 'wait':
        this.sim.advance(st.ms);
        return { statement: st, lines: [] };
      case 'net':
        this.sim.setNet(st.server, NET_STATE[st.op]);
        return { statement: st, lines: [] };
      case 'restart':
        // A real SHUTDOWN SAVE and boot take a while; by the time redis-server accepts
        // connections again its first replicationCron has run, so a restarted replica has
        // already sent its PSYNC.
        this.sim.restart(st.server);
        this.sim.advance(RESTART_MS);
        return { statement: st, lines: [] };
      case 'remove':
        this.sim.removeServer(st.server);
        return { statement: st, lines: [] };
      case 'show': {
        const s = this.sim.server(st.server);
        const body =
          st.what === 'log'
            ? s.log
            : replicationFields(this.sim.state, s).map(([k, v]) => `${k}:${v}`);
        return { statement: st, lines: [`show ${st.what} ${st.server}`, ...body] };
      }
    }
  }
}

/** Runs a whole script; returns the transcript `npm run sim` prints. */
export function runScript(script: Script, opts: LabOptions = {}): { transcript: string; lab: Lab } {
  const lab = new Lab(opts);
  const out: string[] = [];
  for (const st of script.statements) out.push(...lab.apply(st).lines);
  return { transcript: out.length ? out.join('\n') + '\n' : '', lab };
}

/** Parses and runs a script text. Throws LabScriptError (with line and column) before running anything. */
export function runText(text: string, opts: LabOptions = {}): { transcript: string; lab: Lab } {
  return runScript(parseScript(text), opts);
}

/**
 * The observation the conformance harness compares with real Redis. `version` is the dialect of
 * a script without a `version` statement (the server the harness ran it on).
 */
export function runOnEngine(
  script: Script,
  opts: { seed: number; version?: Version },
): RunObservation {
  const lab = new Lab({ seed: opts.seed, sim: opts.version ? { version: opts.version } : {} });
  const steps: StepObservation[] = [];
  script.statements.forEach((st, index) => {
    const r = lab.apply(st);
    const text = formatStatement(st);
    if (st.kind === 'command') steps.push({ index, text, reply: r.reply! });
    else if (st.kind === 'wait') {
      const info: Record<string, Array<readonly [string, string]>> = {};
      const role: Record<string, Reply> = {};
      for (const name of lab.sim.serverNames()) {
        const s = lab.sim.server(name);
        // A server shut down (SHUTDOWN, until `restart`) answers nobody.
        if (!s.alive) continue;
        info[name] = replicationFields(lab.sim.state, s);
        role[name] = renderRole(s);
      }
      steps.push({ index, text, info, role });
    } else steps.push({ index, text });
  });
  const logs: Record<string, readonly string[]> = {};
  if (lab.started)
    for (const name of lab.sim.serverNames()) logs[name] = [...lab.sim.server(name).log];
  return { steps, logs };
}
