/**
 * A scenario run headless, whole (`npm run sim`, the lesson tests, the conformance runner), and
 * beside its twin (the twin panel, which loads this with it: the first screen never runs one).
 */
import type { SimEvent } from '../engine/events';
import { LabScriptError } from './ast';
import { Lab, type LabOptions } from './run';
import { answerOf, twinOf, unprovenQuote, type Lang, type Scenario } from './scenario';

/** A resync a run went through: who, how it was answered, what it cost, how long it took. */
export interface ResyncOutcome {
  /** The step it finished in (1-based; 0: the stage). */
  readonly step: number;
  readonly replica: string;
  readonly kind: 'full' | 'partial';
  /** The master's answer to the PSYNC (`+CONTINUE …`, `+FULLRESYNC …`). */
  readonly reply: string;
  /** Bytes the master sent for it: the RDB, or the backlog slice. */
  readonly bytes: number;
  /** From the PSYNC to the replica online again, simulated ms. */
  readonly ms: number;
  /**
   * From the PSYNC to the replica's offset reaching the master's offset at the decision (what it
   * had missed is applied), simulated ms; null if it never did in the run.
   */
  readonly caughtUpMs: number | null;
}

/** What a headless run of a scenario gives: the transcript, the lab, and where each step ended. */
export interface ScenarioRun {
  readonly transcript: string;
  readonly lab: Lab;
  /** Simulated time at the end of each step. */
  readonly stepEnds: readonly number[];
  readonly resyncs: readonly ResyncOutcome[];
}

/**
 * Runs a whole scenario headless, as the app does step by step: the stage, then each step's lab
 * statements, then its quotes checked against the logs. Throws LabScriptError at the first
 * statement that cannot run or quote that the log does not prove. `npm run sim` prints the
 * transcript, with a `== step N` line before each step's.
 */
export function runScenario(
  sc: Scenario,
  opts: LabOptions & {
    /** Check the asks and quotes (default true); a twin run, whose logs differ, does not. */
    check?: boolean;
  } = {},
): ScenarioRun {
  const check = opts.check ?? true;
  const lab = new Lab(opts);
  const out: string[] = [];
  const stepEnds: number[] = [];
  const decisions: Array<Extract<SimEvent, { type: 'psync' }>> = [];
  const resyncs: ResyncOutcome[] = [];
  /** Resyncs whose replica has not yet applied everything the master had at the decision. */
  const catching = new Map<string, { i: number; target: number; since: number }>();
  let listening = false;
  const listen = () => {
    if (listening || !lab.started) return;
    listening = true;
    lab.sim.subscribe((e) => {
      if (e.type === 'psync') decisions.push(e);
      if (e.type === 'resynced') {
        // A full resync's decision is the refusal (Valkey's dual channel +CONTINUEs its main
        // channel afterwards, from the RDB's end offset).
        const d = decisions
          .filter(
            (x) => x.replica === e.replica && (e.kind === 'partial' || x.result !== 'continue'),
          )
          .pop();
        const offset = lab.sim.server(e.replica).master_repl_offset;
        const target = d?.master_repl_offset ?? 0;
        resyncs.push({
          step: stepEnds.length + (started ? 1 : 0),
          replica: e.replica,
          kind: e.kind,
          reply: d?.reply ?? '',
          bytes: e.bytes,
          ms: e.at - e.startedAt,
          caughtUpMs: offset >= target ? e.at - e.startedAt : null,
        });
        if (offset < target)
          catching.set(e.replica, { i: resyncs.length - 1, target, since: e.startedAt });
      }
      if (e.type === 'offset') {
        const c = catching.get(e.server);
        if (c && e.after >= c.target) {
          resyncs[c.i] = { ...resyncs[c.i]!, caughtUpMs: e.at - c.since };
          catching.delete(e.server);
        }
      }
    });
  };
  let started = false;
  for (const st of sc.setup) out.push(...lab.apply(st).lines);
  sc.steps.forEach((step, i) => {
    out.push(`== step ${i + 1}`);
    started = true;
    listen();
    const from = decisions.length;
    for (const st of step.statements) {
      out.push(...lab.apply(st).lines);
      listen();
    }
    for (const a of check ? step.asks : []) {
      const d = decisions
        .slice(from)
        .filter((x) => x.replica === a.replica)
        .pop();
      if (!d) throw new LabScriptError(a.pos, `ask: ${a.replica} sends no PSYNC in this step`);
      out.push(`ask ${a.kind} ${a.replica}: ${answerOf(a.kind, d)}`);
    }
    if (check) {
      const bad = unprovenQuote(step.quotes, (name) =>
        lab.started && lab.sim.serverNames().includes(name) ? lab.sim.server(name).log : null,
      );
      if (bad) throw bad;
      for (const q of step.quotes) out.push(`quote ${q.server}: ${q.text}`);
    }
    stepEnds.push(lab.started ? lab.sim.now : 0);
  });
  return { transcript: out.length ? out.join('\n') + '\n' : '', lab, stepEnds, resyncs };
}

/** The scenario and its twin side by side, up to a step: how each one's last resync ended. */
export interface TwinComparison {
  readonly labels: Readonly<Record<Lang, readonly [string, string]>>;
  /** The last resync after the stage, up to the step, in the scenario and in its twin. */
  readonly last: readonly [ResyncOutcome | null, ResyncOutcome | null];
  /** Bytes the masters sent for resyncs after the stage, up to the step, in each run. */
  readonly totalBytes: readonly [number, number];
}

/**
 * Runs a scenario and its twin headless up to step `upTo` (1-based; 0: the stage alone) and
 * compares their resyncs; null for a scenario without a twin.
 */
export function compareTwin(
  sc: Scenario,
  upTo: number,
  opts: LabOptions = {},
): TwinComparison | null {
  const twin = twinOf(sc);
  if (!sc.twin || !twin) return null;
  const outcomes = [sc, twin].map((x) =>
    runScenario({ ...x, steps: x.steps.slice(0, upTo) }, { ...opts, check: false }).resyncs.filter(
      (r) => r.step > 0,
    ),
  );
  const a = outcomes[0]!;
  const b = outcomes[1]!;
  const sum = (rs: readonly ResyncOutcome[]) => rs.reduce((n, r) => n + r.bytes, 0);
  return {
    labels: sc.twin.labels,
    last: [a.at(-1) ?? null, b.at(-1) ?? null],
    totalBytes: [sum(a), sum(b)],
  };
}
