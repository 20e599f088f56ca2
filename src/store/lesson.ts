/**
 * The lesson slice: a scenario (src/lab/scenario.ts) walked step by step. Opening one sets its
 * stage as the lab's scene; "Next step" plays the next step's lab lines, a `wait` running as
 * animated time (fast-forwarded while nothing is on the wires), and pauses when the step is done;
 * "Previous step" and any step number rebuild that moment exactly by replaying the scenario from
 * its stage (the engine is deterministic, and a lesson's run is short). Acting from there (a
 * write, a cut) simply goes on from that moment: a new future.
 */
import { commandsReady, loadCommandCode, versionReady } from './commandCode';
import type { Version } from '../engine/types';
import type { Statement } from '../lab/ast';
import { LabScriptError } from '../lab/ast';
import type { compareTwin, TwinComparison } from '../lab/headless';
import { askKey, parseScenario, unprovenQuote, type Scenario } from '../lab/scenario';
import { formatStatement, parseScript } from '../lab/script';
import { LESSON_CATALOG, lessonText, loadLesson } from '../lessons';
import type { LabRuntime } from './runtime';
import type { LessonSlice, LessonView, Slice } from './state';
import { advanceInParts, flush } from './sync';

/** The built-in lessons' ids and titles (their texts load when opened). */
const CATALOG = LESSON_CATALOG;

/** Simulated ms per real ms while a step's wait has nothing on the wires to watch. */
export const IDLE_SPEED = 25;

/** The version a scenario's own `version` line sets, if any. */
function ownVersion(sc: Scenario): Version | null {
  for (const st of sc.setup) if (st.kind === 'version') return st.version;
  return null;
}

function viewOf(sc: Scenario): LessonView {
  return {
    id: sc.id,
    custom: lessonText(sc.id) !== sc.text,
    text: sc.text,
    title: sc.title,
    version: ownVersion(sc),
    steps: sc.steps.map((s) => ({
      say: s.say,
      notes: s.notes,
      highlights: s.highlights,
      quotes: s.quotes.map((q) => ({ server: q.server, text: q.text })),
      asks: s.asks.map((a) => ({ kind: a.kind, replica: a.replica })),
    })),
  };
}

/**
 * The twin comparison's code (a headless run of the scenario and of its twin), installed by the
 * twin panel's chunk (twin.ts); until then `lessonTwin` has nothing to show.
 */
let compareTwinCode: typeof compareTwin | null = null;
export function installCompareTwin(code: typeof compareTwin): void {
  compareTwinCode = code;
}

export const createLessonSlice =
  (rt: LabRuntime): Slice<LessonSlice> =>
  (set, get) => {
    let scenario: Scenario | null = null;
    /** Numbers each openLesson / openScenarioText, so a lesson still loading yields to a later one. */
    let opening = 0;
    /** Predictions of lessons other than the open one, as restored or left behind. */
    const saved = new Map<string, Readonly<Record<string, string>>>();
    /** The running step's lab lines still to apply, and the end of the wait being played. */
    let queue: Statement[] = [];
    let waitUntil: number | null = null;
    /** Twin comparisons already run, by scenario text and step. */
    const twins = new Map<string, TwinComparison | null>();

    function apply(st: Statement): boolean {
      return get().applyStatement(formatStatement(st), { echo: true }).ok || st.kind === 'command';
    }

    /** Checks the finished step's quotes against the logs; a mistake becomes the notice. */
    function finishStep(): void {
      queue = [];
      waitUntil = null;
      const sc = scenario;
      const i = get().lessonStep;
      const step = sc?.steps[i - 1];
      set({ stepRunning: false, playing: false });
      if (!step) return;
      if (sc && i === sc.steps.length && !get().finishedLessons.includes(sc.id))
        set({ finishedLessons: [...get().finishedLessons, sc.id] });
      // A lesson written for 7.0 played as another version quotes 7.0's lines: they are shown as
      // such (LessonPanel says so), not checked against this version's log.
      if (sc && ownVersion(sc) === null && rt.version !== '7.0') return;
      const bad = unprovenQuote(step.quotes, (name) =>
        rt.hasServer(name) ? (rt.sim?.server(name).log ?? null) : null,
      );
      if (bad) set({ lessonError: bad.message });
    }

    /** Applies queued lines until a wait starts (or the queue ends); false if a line failed. */
    function applyUntilWait(): boolean {
      while (queue.length > 0 && waitUntil === null) {
        const st = queue.shift()!;
        if (st.kind === 'wait') waitUntil = rt.now + st.ms;
        else if (!apply(st)) {
          queue = [];
          return false;
        }
      }
      return true;
    }

    /** Runs the rest of the running step at once. */
    function runToEnd(): void {
      if (waitUntil !== null) {
        advanceInParts(rt, get, set, waitUntil - rt.now);
        waitUntil = null;
      }
      while (queue.length > 0) {
        const st = queue.shift()!;
        if (st.kind === 'wait') advanceInParts(rt, get, set, st.ms);
        else if (!apply(st)) break;
      }
      finishStep();
      flush(rt, get, set);
    }

    function goToStep(n: number): void {
      const sc = scenario;
      if (!sc) return;
      const target = Math.max(0, Math.min(sc.steps.length, Math.floor(n)));
      queue = [];
      waitUntil = null;
      get().reset();
      set({
        lessonStep: 0,
        stepRunning: false,
        playing: false,
        lessonError: null,
        asking: false,
        stepStarts: [],
      });
      for (let i = 0; i < target; i++) {
        queue = [...(sc.steps[i]?.statements ?? [])];
        set({
          lessonStep: i + 1,
          stepRunning: true,
          stepStarts: [...get().stepStarts.slice(0, i), rt.now],
        });
        runToEnd();
      }
      flush(rt, get, set);
    }

    function open(sc: Scenario, step: number): void {
      // A lesson that runs the data-type commands, or imitates Valkey, waits for their code: its
      // steps run at once.
      if (
        !commandsReady([...sc.setup, ...sc.steps.flatMap((x) => x.statements)]) ||
        !versionReady(ownVersion(sc) ?? rt.version)
      ) {
        const ticket = ++opening;
        void loadCommandCode().then(
          () => {
            if (ticket === opening) open(sc, step);
          },
          () => {
            if (ticket === opening) set({ lessonError: `lesson '${sc.id}' could not be loaded` });
          },
        );
        return;
      }
      if (scenario) saved.set(scenario.id, get().answers);
      scenario = sc;
      set({ answers: saved.get(sc.id) ?? {} });
      get().setScene(sc.setup.map(formatStatement));
      set({ lesson: viewOf(sc) });
      goToStep(step);
    }

    return {
      lesson: null,
      lessonStep: 0,
      stepRunning: false,
      lessonError: null,
      asking: false,
      answers: {},
      stepStarts: [],
      finishedLessons: [],
      restoreProgress: (p) => {
        saved.clear();
        for (const [id, a] of Object.entries(p.answers)) saved.set(id, a);
        set({
          finishedLessons: [...new Set([...get().finishedLessons, ...p.finished])],
          answers: scenario ? (saved.get(scenario.id) ?? get().answers) : get().answers,
        });
      },
      resetProgress: () => {
        saved.clear();
        set({ answers: {}, finishedLessons: [] });
      },
      progress: () => {
        const answers: Record<string, Readonly<Record<string, string>>> = {};
        for (const [id, a] of saved) answers[id] = a;
        if (scenario) answers[scenario.id] = get().answers;
        return { answers, finished: get().finishedLessons };
      },
      answer: (step, kind, replica, value) =>
        set({ answers: { ...get().answers, [askKey(step, kind, replica)]: value.trim() } }),
      lessonIds: CATALOG.map((c) => c.id),
      lessonCatalog: CATALOG,
      openLesson: (id, step = 0) => {
        if (!CATALOG.some((c) => c.id === id)) {
          set({ lessonError: `no lesson '${id}'` });
          return false;
        }
        const text = lessonText(id);
        if (text !== undefined) {
          open(parseScenario(text), step);
          return true;
        }
        // Its text is fetched first; whatever is opened meanwhile wins.
        const ticket = ++opening;
        void loadLesson(id).then(
          (t) => {
            if (ticket === opening && t !== undefined) open(parseScenario(t), step);
          },
          () => {
            if (ticket === opening) set({ lessonError: `lesson '${id}' could not be loaded` });
          },
        );
        return true;
      },
      prepareLesson: async (id) => {
        await loadLesson(id);
      },
      openScenarioText: (text, step = 0) => {
        opening++;
        let sc: Scenario;
        try {
          sc = parseScenario(text);
        } catch (e) {
          const msg =
            e instanceof LabScriptError
              ? `line ${e.line}, column ${e.col}: ${e.reason}`
              : e instanceof Error
                ? e.message
                : String(e);
          set({ lessonError: msg });
          return { ok: false, lines: [msg] };
        }
        open(sc, step);
        return { ok: true, lines: [] };
      },
      setLessonError: (message) => set({ lessonError: message }),
      closeLesson: () => {
        scenario = null;
        queue = [];
        waitUntil = null;
        set({
          lesson: null,
          lessonStep: 0,
          stepRunning: false,
          lessonError: null,
          asking: false,
          stepStarts: [],
        });
        get().setScene(null);
        get().reset();
      },
      nextStep: () => {
        const sc = scenario;
        if (!sc) return;
        if (get().stepRunning) {
          runToEnd();
          return;
        }
        const i = get().lessonStep;
        if (i >= sc.steps.length) return;
        const asks = sc.steps[i]?.asks ?? [];
        const answered = asks.every((a) => askKey(i + 1, a.kind, a.replica) in get().answers);
        if (asks.length > 0 && !answered && !get().asking) {
          set({ asking: true });
          return;
        }
        queue = [...(sc.steps[i]?.statements ?? [])];
        waitUntil = null;
        set({
          lessonStep: i + 1,
          stepRunning: true,
          lessonError: null,
          asking: false,
          stepStarts: [...get().stepStarts.slice(0, i), rt.now],
        });
        if (!applyUntilWait() || (queue.length === 0 && waitUntil === null)) finishStep();
        else set({ playing: true });
        flush(rt, get, set);
      },
      prevStep: () => {
        if (!scenario) return;
        // From a step still playing, too: back to the end of the one before it.
        goToStep(get().lessonStep - 1);
      },
      goToStep,
      runLesson: (simMs) => {
        let budget = simMs;
        while (budget > 0 && get().stepRunning) {
          if (waitUntil === null) {
            if (!applyUntilWait()) {
              finishStep();
              return;
            }
            if (waitUntil === null) {
              finishStep();
              return;
            }
          }
          const d = Math.min(budget, waitUntil - rt.now);
          if (d > 0) rt.advance(d);
          budget -= Math.max(0, d);
          if (rt.now >= waitUntil) waitUntil = null;
          else break;
        }
        if (get().stepRunning && waitUntil === null && queue.length === 0) finishStep();
      },
      reproduceOnRedis: async () => {
        // The exporter loads on first use: the first screen does not need it.
        const { exportShell } = await import('../lab/export');
        if (scenario) return { file: `${scenario.id}.sh`, text: exportShell(scenario) };
        // The run so far as a lab script: its statements, with the time between them as waits.
        const lines: string[] = [];
        let prev = 0;
        const history = get().history;
        if (history.start > 0) {
          get().raiseNotice('exportTooLong', String(history.start), true);
          throw new Error(
            `The run is too long to export: its first ${history.start} statements are no longer kept`,
          );
        }
        for (const h of history.entries()) {
          if (h.at > prev) lines.push(`wait ${Math.round(h.at - prev)}ms`);
          lines.push(h.text);
          prev = Math.max(prev, h.at);
        }
        if (rt.now > prev) lines.push(`wait ${Math.round(rt.now - prev)}ms`);
        return { file: 'resync-lab-run.sh', text: exportShell(parseScript(lines.join('\n'))) };
      },
      lessonTwin: (step) => {
        if (!scenario?.twin || !compareTwinCode) return null;
        const key = `${step}\n${scenario.text}`;
        if (!twins.has(key)) {
          if (twins.size > 64) twins.clear();
          let cmp: TwinComparison | null = null;
          try {
            cmp = compareTwinCode(scenario, step, { seed: rt.seed });
          } catch {
            // A twin that cannot run to this step (a lab line it changed fails): nothing to show.
          }
          twins.set(key, cmp);
        }
        return twins.get(key) ?? null;
      },
      lessonSpeed: (realMs) => {
        // Something on a wire: the chosen speed, so it can be followed; else fast-forward.
        const now = rt.now;
        const busy = get().messages.some((m) => m.arriveAt > now && !m.droppedAt);
        return realMs * (busy ? get().speed : Math.max(get().speed, IDLE_SPEED));
      },
    };
  };
