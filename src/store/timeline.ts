/**
 * Time travel: any moment of the run, shown again exactly. The engine is deterministic, so the
 * moment `t` is rebuilt from the latest checkpoint before it (or from the scene) by replaying
 * every statement the run applied after the checkpoint, at the simulated time it ran at, then
 * running up to `t`. The statements after `t` are kept (scrubbing forward again replays them)
 * until the user acts from the past: then the run goes on from there, a new future, and the old
 * one is dropped.
 *
 * Checkpoints: every `checkpointEveryMs` of simulated time (30 s by default), after a flush, the
 * timeline keeps a deep copy of the engine and the view state the flush left. A checkpoint
 * belongs to the run whose statements up to it are a prefix of the known run's; one of an old
 * future that the user has since replaced is dropped when a seek meets it. At most
 * MAX_CHECKPOINTS are kept: past that, every other one of the older half is dropped, so a long
 * run keeps dense checkpoints near its end and sparse ones further back.
 *
 * The cap: the journal keeps at most MAX_HISTORY statements. Past that, the oldest checkpoint
 * that leaves at least half of them becomes the timeline's start (`floor`): the statements and
 * checkpoints before it are forgotten, and a seek before it shows it. At 1000 writes a second
 * that is the last minute or two of the run; in a class, hours.
 */
import { Journal } from './journal';
import { EMPTY_EVENT_VIEW, type EventView } from './projection';
import type { LabRuntime, RuntimeSnapshot } from './runtime';
import type { EngineViewSlice, IntentionsSlice, LabState, Slice, TimelineSlice } from './state';
import { flush } from './sync';
import type { TimelineMark } from './types';

type Entry = { readonly at: number; readonly text: string };

/** The most statements the journal keeps for time travel (older ones are forgotten). */
export const MAX_HISTORY = 100_000;

/** Simulated time between two checkpoints, by default. */
export const CHECKPOINT_EVERY_MS = 30_000;
/** The most checkpoints kept: each is a copy of the engine (about 1 MB with three replicas and a
 * class's data), so the heap levels off after 32 minutes; older moments replay from sparser ones. */
export const MAX_CHECKPOINTS = 64;

/** The store's fields a checkpoint keeps: the engine's views and what the statements wrote. */
const VIEW_KEYS = [
  ...(Object.keys(EMPTY_EVENT_VIEW) as (keyof EventView)[]),
  'servers',
  'logs',
  'mainMaster',
  'latencyMs',
  'bytesPerSec',
  'consoles',
  'history',
  'notice',
] as const satisfies readonly (keyof EngineViewSlice | keyof IntentionsSlice)[];

type ViewFields = Pick<LabState, (typeof VIEW_KEYS)[number]>;

interface Checkpoint {
  readonly at: number;
  readonly lab: RuntimeSnapshot;
  readonly view: ViewFields;
}

/** The mark a statement leaves on the timeline, if any (its text as formatStatement wrote it). */
export function statementMark(h: Entry, servers: ReadonlySet<string>): TimelineMark | null {
  const [first = '', second = '', third = '', fourth = ''] = h.text.split(' ');
  if (first === 'net') {
    const kind = third === 'start' || third === 'up' ? 'restore' : 'cut';
    return { at: h.at, kind, server: second, text: third };
  }
  if (first === 'restart') return { at: h.at, kind: 'restart', server: second };
  if (!servers.has(first)) return null; // server, wait, show, latency…
  const cmd = second.toUpperCase();
  const text = h.text.slice(first.length + 1);
  if ((cmd === 'REPLICAOF' || cmd === 'SLAVEOF') && third !== '')
    return { at: h.at, kind: 'replicaof', server: first, text: `${third} ${fourth}`.trim() };
  return { at: h.at, kind: 'command', server: first, text };
}

const sameMark = (a: TimelineMark, b: TimelineMark): boolean =>
  a === b ||
  (Object.keys(a).length === Object.keys(b).length &&
    (Object.keys(a) as (keyof TimelineMark)[]).every((k) => a[k] === b[k]));

/** At most this many command marks are drawn (the others are spread out evenly). */
const MAX_COMMAND_MARKS = 300;

/**
 * The marks a journal's statements leave, kept up to date as it grows: each new statement is
 * looked at once. Command marks are thinned as they come (every `stride`-th is kept; past twice
 * MAX_COMMAND_MARKS every other one goes and the stride doubles), so a long run of writes costs
 * nothing more per write than a short one.
 */
class StatementMarks {
  private of: Journal = Journal.EMPTY;
  private servers = '';
  /** Statements before this index (the scene) leave no mark. */
  private from = 0;
  private other: TimelineMark[] = [];
  private commands: TimelineMark[] = [];
  private stride = 1;
  private seen = 0;

  update(journal: Journal, from: number, servers: ReadonlySet<string>): void {
    const names = [...servers].join(',');
    const grows =
      names === this.servers &&
      from === this.from &&
      journal.start === this.of.start &&
      this.of.isPrefixOf(journal);
    if (!grows) {
      this.from = from;
      this.other = [];
      this.commands = [];
      this.stride = 1;
      this.seen = 0;
      this.servers = names;
    }
    const begin = grows ? this.of.length : Math.max(from, journal.start);
    for (const h of journal.entries(begin)) {
      const m = statementMark(h, servers);
      if (m?.kind !== 'command') {
        if (m) this.other.push(m);
        continue;
      }
      if (this.seen++ % this.stride !== 0) continue;
      this.commands.push(m);
      if (this.commands.length >= 2 * MAX_COMMAND_MARKS) {
        this.commands = this.commands.filter((_, i) => i % 2 === 0);
        this.stride *= 2;
      }
    }
    this.of = journal;
  }

  /** The marks so far (a fresh array). */
  marks(): TimelineMark[] {
    return [...this.other, ...this.commands];
  }
}

export const createTimelineSlice =
  (
    rt: LabRuntime,
    opts: { checkpointEveryMs?: number; maxHistory?: number } = {},
  ): Slice<TimelineSlice> =>
  (set, get) => {
    const every = opts.checkpointEveryMs ?? CHECKPOINT_EVERY_MS;
    const maxHistory = opts.maxHistory ?? MAX_HISTORY;
    /** The whole run's statements (scene included), kept while the user scrubs. */
    let future: Journal = Journal.EMPTY;
    /** Oldest first by time; several runs' checkpoints may be mixed until a seek sorts them out. */
    let checkpoints: Checkpoint[] = [];
    /** Time of the last checkpoint on the current run's path (taken or restored). */
    let lastAt = -Infinity;
    /** The engine's marks of the known run after now (kept while the user scrubs back). */
    let futureMarks: readonly TimelineMark[] = [];
    /** The lesson steps' start times of the known run (kept while the user scrubs back). */
    let knownSteps: readonly number[] = [];
    /** A seek is running (its resets and flushes are not the user's). */
    let seeking = false;
    /** Simulated time of the last frame outside a seek. */
    let lastNow = 0;
    /** What `marks` was last built from. */
    let marksOf: readonly unknown[] = [];
    const statementMarks = new StatementMarks();
    /**
     * The timeline's start: the checkpoint the journal was last cut at (MAX_HISTORY), or null
     * while the whole run is kept.
     */
    let floor: Checkpoint | null = null;

    function take(now: number): void {
      const s = get();
      const view = Object.fromEntries(VIEW_KEYS.map((k) => [k, s[k]])) as unknown as ViewFields;
      const c: Checkpoint = { at: now, lab: rt.snapshot(), view };
      let i = checkpoints.length;
      while (i > 0 && checkpoints[i - 1]!.at > now) i--;
      checkpoints.splice(i, 0, c);
      lastAt = now;
      if (checkpoints.length > MAX_CHECKPOINTS) {
        const half = checkpoints.length >> 1;
        checkpoints = [
          ...checkpoints.slice(0, half).filter((x, j) => j % 2 === 1 || x === floor),
          ...checkpoints.slice(half),
        ];
      }
      if (!seeking && s.history.kept > maxHistory) forgetOldest();
    }

    /**
     * Cuts the journal at the latest checkpoint on this run that leaves at least half of
     * MAX_HISTORY statements after it: the timeline now starts there.
     */
    function forgetOldest(): void {
      const history = get().history;
      const keep = history.length - maxHistory / 2;
      const base = [...checkpoints]
        .reverse()
        .find((c) => c.view.history.length <= keep && c.view.history.isPrefixOf(history));
      if (!base || base === floor) return;
      const at = base.view.history.length;
      checkpoints = checkpoints
        .filter((c) => c.at >= base.at)
        .map((c) => {
          const cut = { ...c, view: { ...c.view, history: c.view.history.forgetBefore(at) } };
          if (c === base) floor = cut;
          return cut;
        });
      if (history.isPrefixOf(future)) future = future.forgetBefore(at);
      futureMarks = futureMarks.filter((m) => m.at >= base.at);
      knownSteps = knownSteps.filter((t) => t >= base.at);
      set({ history: history.forgetBefore(at) });
    }

    /** The marks of the known run: its statements, its lesson steps, its PSYNC decisions. */
    function buildMarks(): readonly TimelineMark[] {
      const s = get();
      const servers = new Set(rt.serverNames());
      statementMarks.update(known().journal, s.sceneStatements, servers);
      const out = statementMarks.marks();
      const now = rt.now;
      const end = Math.max(s.horizon, now);
      const start = floor?.at ?? -Infinity;
      // The known run's steps not begun yet (one may begin right now: the first step, at the
      // stage's end, after a seek to the start).
      const later = knownSteps.slice(s.stepStarts.length).filter((at) => at >= now && at <= end);
      [...s.stepStarts, ...later].forEach((at, i) => {
        if (at >= start) out.push({ at, kind: 'step', step: i + 1 });
      });
      for (const m of rt.marks) if (m.at >= start) out.push(m);
      out.push(...futureMarks.filter((m) => m.at > now && m.at <= end));
      return out.sort((a, b) => a.at - b.at);
    }

    // Every flush ends with a frame: a checkpoint when the run has gone `every` ms since the last;
    // new marks when the run changed.
    rt.onFrame((now) => {
      // Time went back (a reset, a seek): the last checkpoint taken is not on this path.
      if (now < lastAt) lastAt = -Infinity;
      if (rt.sim && now - lastAt >= every) take(now);
      if (seeking) return;
      // Time went back without a seek: a reset, a new run; the old one's future is gone.
      if (now < lastNow) {
        future = Journal.EMPTY;
        futureMarks = [];
        knownSteps = [];
        floor = null;
      }
      lastNow = now;
      const s = get();
      // The user acted from the past: the old future is gone, the run ends now.
      if (s.horizon > 0 && s.history !== marksOf[0] && !s.history.isPrefixOf(future)) {
        future = s.history;
        futureMarks = [];
        knownSteps = [];
        set({ horizon: 0 });
      }
      const inputs = [get().history, get().stepStarts, get().horizon, rt.marks];
      if (inputs.some((x, i) => x !== marksOf[i])) {
        marksOf = inputs;
        // Most writes of a long run leave no new mark (commands are thinned): the same marks keep
        // their array, and the timeline does not draw them again.
        const marks = buildMarks();
        const cur = get().marks;
        if (marks.length !== cur.length || marks.some((m, i) => !sameMark(m, cur[i]!)))
          set({ marks });
      }
    });

    /** The run as far as it is known: the old future, unless the user has acted since. */
    function known(): { journal: Journal; diverged: boolean } {
      const now = get().history;
      if (now.isPrefixOf(future)) return { journal: future, diverged: false };
      return { journal: now, diverged: true };
    }

    /**
     * The latest checkpoint at or before `t` on the run `run` (whose first `scene` statements are
     * the opening scene). Checkpoints of another run are dropped on the way.
     */
    function checkpointFor(t: number, run: Journal, scene: number): Checkpoint | null {
      for (let i = checkpoints.length - 1; i >= 0; i--) {
        const c = checkpoints[i]!;
        // One taken while the scene was being set up is not a moment of the run: the run starts
        // with the whole scene applied.
        if (c.at > t || c.view.history.length < scene) continue;
        if (c.view.history.isPrefixOf(run)) return c;
        if (c === floor) floor = null;
        checkpoints.splice(i, 1);
      }
      return null;
    }

    return {
      horizon: 0,
      marks: [],
      seekTo: (target) => {
        seeking = true;
        try {
          seek(target);
        } finally {
          seeking = false;
        }
        marksOf = [];
        lastNow = rt.now;
        flush(rt, get, set);
      },
    };

    function seek(target: number): void {
      const s0 = get();
      // A reset since (horizon 0) left nothing to come back to.
      if (s0.horizon === 0) {
        future = Journal.EMPTY;
        futureMarks = [];
        knownSteps = [];
      }
      const { journal, diverged } = known();
      future = journal;
      // The engine's marks still to come: this path's so far, then the known run's after now.
      futureMarks = diverged
        ? rt.marks
        : [...rt.marks, ...futureMarks.filter((m) => m.at > rt.now)];
      // The lesson's steps too: a seek back keeps those begun later in the known run.
      if (diverged || s0.stepStarts.length >= knownSteps.length) knownSteps = s0.stepStarts;
      const horizon = diverged ? rt.now : Math.max(s0.horizon, rt.now);
      // Before the timeline's start (the journal was cut there): its start.
      const t = Math.max(floor?.at ?? 0, Math.min(horizon, target));
      // The steps of the run as far as it is known (this one's, or the known future's, which a
      // seek back kept): a seek forward again begins the steps it passes.
      const lessonStarts = knownSteps;
      const from = checkpointFor(t, future, s0.sceneStatements);
      let i: number;
      if (from) {
        rt.restore(from.lab);
        // A fresh `rev`: the restored views are new to whoever cached the last one.
        set({ ...from.view, rev: s0.rev + 1, skipped: null, confirmReset: false });
        lastAt = from.at;
        i = from.view.history.length;
      } else {
        get().reset();
        i = get().history.length;
      }
      /** Runs to `at`, flushing (and so checkpointing) every `every` ms on the way. */
      const runTo = (at: number): void => {
        while (rt.sim && rt.now < at) {
          const stop = Math.min(at, Math.max(lastAt, rt.now) + every);
          rt.advance(stop - rt.now);
          if (rt.now - lastAt >= every) flush(rt, get, set);
        }
      };
      for (; i < future.length; i++) {
        const h = future.get(i);
        // (A statement the journal forgot: only before its floor, which every seek starts after.)
        if (!h || h.at > t) break;
        runTo(h.at);
        // A wait stops at `t`, or where the run's next statement was made (from the past, during
        // it): a seek lands inside it.
        const next = future.get(i + 1)?.at ?? Infinity;
        get().applyStatement(h.text, { echo: true, replay: true, until: Math.min(t, next) });
      }
      runTo(t);
      // A lesson: the steps begun by then; a step cut short stays paused where it is.
      const begun = lessonStarts.filter((x) => x <= t).length;
      set({
        horizon,
        playing: false,
        lessonStep: begun,
        stepStarts: lessonStarts.slice(0, begun),
        stepRunning: false,
        asking: false,
      });
    }
  };
