/**
 * The lesson slice: a scenario (src/lab/scenario.ts) walked step by step. Opening one sets its
 * stage as the lab's scene; "Next step" plays the next step's lab lines, a `wait` running as
 * animated time (fast-forwarded while nothing is on the wires), and pauses when the step is done;
 * "Previous step" and any step number rebuild that moment exactly by replaying the scenario from
 * its stage (the engine is deterministic, and a lesson's run is short). Acting from there (a
 * write, a cut) simply goes on from that moment: a new future.
 */
import type { Statement } from '../lab/ast';
import { LabScriptError } from '../lab/ast';
import { parseScenario, unprovenQuote, type Scenario } from '../lab/scenario';
import { formatStatement } from '../lab/script';
import { BUILT_IN_LESSONS } from '../lessons';
import type { LabRuntime } from './runtime';
import type { LessonSlice, LessonView, Slice } from './state';
import { flush } from './sync';

/** Simulated ms per real ms while a step's wait has nothing on the wires to watch. */
export const IDLE_SPEED = 25;

function viewOf(sc: Scenario): LessonView {
  return {
    id: sc.id,
    title: sc.title,
    steps: sc.steps.map((s) => ({
      say: s.say,
      notes: s.notes,
      highlights: s.highlights,
      quotes: s.quotes.map((q) => ({ server: q.server, text: q.text })),
    })),
  };
}

export const createLessonSlice =
  (rt: LabRuntime): Slice<LessonSlice> =>
  (set, get) => {
    let scenario: Scenario | null = null;
    /** The running step's lab lines still to apply, and the end of the wait being played. */
    let queue: Statement[] = [];
    let waitUntil: number | null = null;

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
        rt.advance(waitUntil - rt.now);
        waitUntil = null;
      }
      while (queue.length > 0) {
        const st = queue.shift()!;
        if (st.kind === 'wait') rt.advance(st.ms);
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
      set({ lessonStep: 0, stepRunning: false, playing: false, lessonError: null });
      for (let i = 0; i < target; i++) {
        queue = [...(sc.steps[i]?.statements ?? [])];
        set({ lessonStep: i + 1, stepRunning: true });
        runToEnd();
      }
      flush(rt, get, set);
    }

    function open(sc: Scenario, step: number): void {
      scenario = sc;
      get().setScene(sc.setup.map(formatStatement));
      set({ lesson: viewOf(sc) });
      goToStep(step);
    }

    return {
      lesson: null,
      lessonStep: 0,
      stepRunning: false,
      lessonError: null,
      lessonIds: [...BUILT_IN_LESSONS.keys()],
      openLesson: (id, step = 0) => {
        const text = BUILT_IN_LESSONS.get(id);
        if (text === undefined) {
          set({ lessonError: `no lesson '${id}'` });
          return false;
        }
        open(parseScenario(text), step);
        return true;
      },
      openScenarioText: (text, step = 0) => {
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
      closeLesson: () => {
        scenario = null;
        queue = [];
        waitUntil = null;
        set({ lesson: null, lessonStep: 0, stepRunning: false, lessonError: null });
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
        queue = [...(sc.steps[i]?.statements ?? [])];
        waitUntil = null;
        set({ lessonStep: i + 1, stepRunning: true, lessonError: null });
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
      lessonSpeed: (realMs) => {
        // Something on a wire: the chosen speed, so it can be followed; else fast-forward.
        const now = rt.now;
        const busy = get().messages.some((m) => m.arriveAt > now && !m.droppedAt);
        return realMs * (busy ? get().speed : Math.max(get().speed, IDLE_SPEED));
      },
    };
  };
