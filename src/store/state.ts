import type { Version } from '../engine/types';
/** The store's state: four slices, composed once in store.ts. */
import type { StateCreator } from 'zustand/vanilla';
import type { SimEvent } from '../engine/events';
import type { TwinComparison } from '../lab/headless';
import type { AskKind, Highlight } from '../lab/scenario';
import type { Journal } from './journal';
import type { EventView } from './projection';
import type {
  LogLine,
  ConsoleEntry,
  Lang,
  Notice,
  ServerView,
  StreamView,
  Theme,
  TimelineMark,
} from './types';

export interface ApplyResult {
  readonly ok: boolean;
  readonly lines: readonly string[];
  /**
   * Set when the statement waits for the data-type commands' code to load (commandCode.ts): what
   * it gives once it has run. `ok` and `lines` say nothing about it meanwhile.
   */
  readonly later?: Promise<ApplyResult>;
}

/** What the engine looks like now: rebuilt by the flush, never written by the UI. */
export interface EngineViewSlice extends EventView {
  /** Bumps whenever the server views or logs change. */
  readonly rev: number;
  /** Visible servers, in declaration order. */
  readonly servers: readonly ServerView[];
  /** The server drawn on the left (the first one declared). */
  readonly mainMaster: string;
  readonly logs: Readonly<Record<string, readonly LogLine[]>>;
  readonly latencyMs: number;
  readonly bytesPerSec: number | null;

  // --- non-reactive readers (stable functions) ---
  /** Simulated ms now. */
  getNow(): number;
  /** Unix ms of the simulated wall clock at time 0 (logs print wallStartMs + now); null before any server. */
  getWallStartMs(): number | null;
  /** Called after every flush (each frame, each action) with the simulated time. Returns an unsubscribe. */
  onFrame(fn: (now: number) => void): () => void;
  /** Bytes per second the main master's stream grew by, over the last 30 simulated seconds. */
  writeRate(): number;
}

/** A skip to the next event: from when to when, and the milestone it stopped at (null: none). */
export interface SkipReport {
  readonly id: number;
  readonly from: number;
  readonly to: number;
  readonly event: SimEvent | null;
}

/** Time: playing, stepping, jumping. `tick` and `advance` are what a frame driver or a test calls. */
export interface PlayerSlice {
  readonly playing: boolean;
  readonly speed: number;
  /** The server the run imitates (a script's own `version` line wins). */
  readonly version: Version;
  /** Runs again as `v` would: the lesson to the same step, free play from its opening scene. */
  setVersion(v: Version): void;
  play(): void;
  pause(): void;
  togglePlay(): void;
  setSpeed(speed: number): void;
  faster(): void;
  slower(): void;
  /** Runs the next engine event. */
  step(): void;
  /** Runs until the next milestone (a PSYNC decision, a transfer, a link change). */
  skipToNext(): void;
  /** What the last skipToNext jumped over and stopped at (shown as a short notice). */
  readonly skipped: SkipReport | null;
  /** Back to the opening scene. */
  reset(): void;
  /** The scene `reset` goes back to: lab lines (a lesson's stage), or null for the opening scene. */
  setScene(lines: readonly string[] | null): void;
  /** One player frame: `realMs` of wall time, run at the current speed when playing. */
  tick(realMs: number): void;
  /** Runs `simMs` of simulated time now, playing or not (not recorded as a statement). */
  advance(simMs: number): void;
}

/** What the user asks for: every intention becomes lab statements. */
export interface IntentionsSlice {
  readonly consoles: Readonly<Record<string, readonly ConsoleEntry[]>>;
  readonly writeTemplate: string;
  readonly writeCount: number;
  /** The last notice, until it is dismissed, the next intention, a reset or a language change. */
  readonly notice: Notice | null;
  /** How many statements the opening scene applied (more than that is the user's work). */
  readonly sceneStatements: number;
  /**
   * Every statement applied since the start (the run's script), with the simulated time it ran
   * at: what time travel replays. Its oldest statements are forgotten past MAX_HISTORY (the
   * timeline then starts later: timeline.ts).
   */
  readonly history: Journal;
  /**
   * Parses and applies lab-script text. With `console`, what it prints goes to that server's
   * console; with `echo`, each command and its reply are echoed to its own server's console;
   * with `replay` (time travel), the views are not rebuilt until the replay flushes once; with
   * `until`, a wait stops at that simulated time (a seek into it, or a statement made during it
   * from the past) while the run still records the whole wait.
   */
  applyStatement(
    text: string,
    opts?: { console?: string; echo?: boolean; replay?: boolean; until?: number },
  ): ApplyResult;
  consoleSubmit(server: string, line: string): ApplyResult;
  writeKey(): ApplyResult;
  setWriteTemplate(text: string): void;
  /** The slides' cut: `net NAME stop` (its own interface goes down; nobody is told). */
  cutNetwork(server: string): ApplyResult;
  /** Ends any cut: `net NAME start` after a stop, `net NAME up` otherwise. */
  restoreNetwork(server: string): ApplyResult;
  /** Cuts (stop) a server whose network is up, restores any other. */
  toggleNetwork(server: string): ApplyResult;
  /** Resets its connections: `net NAME down` (both ends are told; connects are refused until restored). */
  resetConnection(server: string): ApplyResult;
  /** Dismisses the notice `id` (if it is still the one shown). */
  dismissNotice(id: number): void;
  /** Shows a notice (its text is the detail the UI's wording for `code` needs). */
  raiseNotice(code: Notice['code'], text: string, error: boolean): void;
  addReplica(): ApplyResult;
  removeReplica(server: string): ApplyResult;
  promote(server: string): ApplyResult;
  restartServer(server: string): ApplyResult;
}

export interface PreferencesSlice {
  readonly streamView: StreamView;
  readonly lang: Lang;
  readonly theme: Theme;
  readonly helpOpen: boolean;
  /** The "Reset the lab?" question is on screen (asked before a reset throws work away). */
  readonly confirmReset: boolean;
  setStreamView(v: StreamView): void;
  setLang(l: Lang): void;
  setTheme(t: Theme): void;
  setHelpOpen(open: boolean): void;
  setConfirmReset(open: boolean): void;
}

/** A scenario as the views show it (the lab lines stay in the slice). */
export interface LessonView {
  readonly id: string;
  /** Not one of the built-in lessons (opened from a file or a link): its text goes in links. */
  readonly custom: boolean;
  /** The scenario's whole text. */
  readonly text: string;
  readonly title: Readonly<Record<Lang, string>>;
  /** The version its text names (`version …`), or null: written for Redis 7.0, played as chosen. */
  readonly version: Version | null;
  readonly steps: readonly {
    readonly say: Readonly<Record<Lang, string>>;
    readonly notes: Readonly<Record<Lang, string>>;
    readonly highlights: readonly Highlight[];
    readonly quotes: readonly { readonly server: string; readonly text: string }[];
    readonly asks: readonly { readonly kind: AskKind; readonly replica: string }[];
  }[];
}

/** A student's progress, as the browser keeps it. */
export interface SavedProgress {
  readonly answers: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly finished: readonly string[];
}

/** A scenario walked step by step (lesson.ts). */
export interface LessonSlice {
  readonly lesson: LessonView | null;
  /** 0: the stage, before step 1; k: step k has run (or is running). */
  readonly lessonStep: number;
  /** Step `lessonStep` is still playing its lab lines. */
  readonly stepRunning: boolean;
  /** A scenario that could not be opened, or a quote its run did not prove (line and column). */
  readonly lessonError: string | null;
  /** The predictions of step `lessonStep + 1` are on screen: it runs once they are answered. */
  readonly asking: boolean;
  /** The student's predictions, by `askKey(step, kind, replica)`. */
  readonly answers: Readonly<Record<string, string>>;
  /** Simulated time each step started at (index 0: step 1), for telling its PSYNC decisions. */
  readonly stepStarts: readonly number[];
  /** The built-in lessons' ids, in course order. */
  readonly lessonIds: readonly string[];
  /** The built-in lessons' ids and titles, in course order (the chooser). */
  readonly lessonCatalog: readonly {
    readonly id: string;
    readonly title: Readonly<Record<Lang, string>>;
  }[];
  /**
   * Opens a built-in lesson at `step` (default 0), at once if its text is loaded, else once it
   * is; false for an unknown id.
   */
  openLesson(id: string, step?: number): boolean;
  /** Fetches a built-in lesson's text, so that `openLesson` of it then opens at once. */
  prepareLesson(id: string): Promise<void>;
  /** Opens a scenario's text (a file, a URL); a mistake is reported and changes nothing. */
  openScenarioText(text: string, step?: number): ApplyResult;
  /** Back to free play with the opening scene. */
  closeLesson(): void;
  /** Reports a lesson that could not be opened (a damaged link), changing nothing else. */
  setLessonError(message: string | null): void;
  /**
   * Plays the next step (or finishes the one playing at once). A step with predictions asks them
   * first; Next while they are asked runs the step without an answer.
   */
  nextStep(): void;
  /** Records a prediction for step `step` (1-based). */
  answer(step: number, kind: AskKind, replica: string, value: string): void;
  /** Lessons played to their last step (kept by the UI in the browser). */
  readonly finishedLessons: readonly string[];
  /** Puts back progress saved earlier: predictions (by lesson id) and finished lessons. */
  restoreProgress(p: SavedProgress): void;
  /** Forgets every prediction and finished lesson. */
  resetProgress(): void;
  /** The progress to save: predictions by lesson id, and the finished lessons. */
  progress(): SavedProgress;
  /** Shows the end of the step before, exactly. */
  prevStep(): void;
  /** Shows the end of step `n` (0: the stage), exactly. */
  goToStep(n: number): void;
  /** Runs `simMs` of the playing step (its waits, then its next lines). Called by `tick`. */
  runLesson(simMs: number): void;
  /** Simulated ms for `realMs` of a playing step: the speed, or fast-forward when wires are idle. */
  lessonSpeed(realMs: number): number;
  /**
   * The open scenario beside its twin run (the same lesson with one setting changed), up to step
   * `step`: how each one's last resync ended. Null without a twin. Run headless, kept per step.
   */
  lessonTwin(step: number): TwinComparison | null;
  /**
   * A POSIX shell script that replays the open scenario (or, without one, the run so far) on real
   * redis-server and redis-cli (src/lab/export.ts), with a file name for it.
   */
  reproduceOnRedis(): Promise<{ readonly file: string; readonly text: string }>;
}

/** Time travel over the whole run (timeline.ts). */
export interface TimelineSlice {
  /** The latest simulated time reached: the timeline's end (moving back keeps it until you act). */
  readonly horizon: number;
  /** Shows the run at simulated time `t` (0 … horizon) exactly, paused. */
  seekTo(t: number): void;
  /**
   * Moments worth a mark on the timeline, oldest first: statements (cuts, restores, writes…),
   * lesson steps, PSYNC decisions and resyncs finished — of the known run, also after now.
   */
  readonly marks: readonly TimelineMark[];
}

export type LabState = EngineViewSlice &
  TimelineSlice &
  PlayerSlice &
  IntentionsSlice &
  PreferencesSlice &
  LessonSlice;

/** A slice of LabState, in zustand's slices pattern. */
export type Slice<T> = StateCreator<LabState, [], [], T>;

export interface CreateOptions {
  seed?: number;
  /** Lines of lab script to start from (default: INITIAL_SCRIPT). */
  script?: readonly string[];
  /** Start playing as soon as a frame driver runs the store (default true). */
  autoplay?: boolean;
  speed?: number;
  lang?: Lang;
  theme?: Theme;
  /** Simulated time between two time-travel checkpoints (default 30 s; tests use less). */
  checkpointEveryMs?: number;
  /** The most statements time travel keeps (default MAX_HISTORY; tests use less). */
  maxHistory?: number;
}
