/**
 * The lab's side of the embed API (src/embed/protocol.ts), loaded only when the lab is in a frame
 * (embed.ts): commands from the host page become store actions; the lab tells the host when it is
 * ready, when the step changes and when a resync starts or finishes; reveal.js's `slide:start` /
 * `slide:stop` restore the step and pause.
 */
import {
  allowedOrigins,
  API_VERSION,
  isAllowed,
  parseCommandMessage,
  type Command,
  type LabEvent,
  type LabState as HostState,
} from '../embed/protocol';
import type { ApplyResult, LabStore } from '../store';

function stateOf(store: LabStore): HostState {
  const s = store.getState();
  const step = s.lesson && s.lessonStep > 0 ? s.lesson.steps[s.lessonStep - 1] : undefined;
  return {
    scenario: s.lesson?.id ?? null,
    step: s.lessonStep,
    steps: s.lesson?.steps.length ?? 0,
    running: s.stepRunning,
    playing: s.playing,
    notes: step?.notes[s.lang] ?? '',
    lang: s.lang,
    theme: s.theme,
  };
}

const runError = (r: ApplyResult): string | null =>
  r.ok ? null : r.lines.join('\n') || 'the line could not run';

/** Carries out one checked command; an error text (Redis's or the lab's words) when it cannot. */
function perform(store: LabStore, c: Command): string | null | Promise<string | null> {
  const s = store.getState();
  switch (c.type) {
    case 'goToStep':
      if (!s.lesson) return 'no scenario is open';
      s.goToStep(Math.min(c.step, s.lesson.steps.length));
      return null;
    case 'next':
      s.nextStep();
      return null;
    case 'prev':
      s.prevStep();
      return null;
    case 'play':
      s.play();
      return null;
    case 'pause':
      s.pause();
      return null;
    case 'reset':
      s.reset();
      return null;
    case 'open':
      return s.openLesson(c.scenario, c.step) ? null : `unknown scenario '${c.scenario}'`;
    case 'run': {
      const r = s.applyStatement(c.line, { echo: true });
      // A line that waits for a command's code answers once it has run.
      return r.later ? r.later.then(runError) : runError(r);
    }
    case 'setLang':
      s.setLang(c.lang);
      return null;
    case 'setTheme':
      s.setTheme(c.theme);
      return null;
    case 'getState':
      return null;
  }
}

/** Starts answering the host page; returns what stops it. */
export function startEmbedBridge(store: LabStore): () => void {
  const parent = window.parent;
  const post = (event: LabEvent) => parent.postMessage({ resyncLab: API_VERSION, event }, '*');
  const origins = allowedOrigins(location.search, document.referrer, location.origin);
  const notes = () => {
    const s = store.getState();
    return s.lesson?.steps.map((x) => x.notes[s.lang]) ?? [];
  };
  post({ type: 'ready', stepNotes: notes(), ...stateOf(store) });

  /** A host has driven the lab (then it says which step to show, not the URL). */
  let driven = false;
  const onMessage = (e: MessageEvent) => {
    if (e.source !== parent) return;
    if (e.data === 'slide:start' || e.data === 'slide:stop') {
      // reveal.js: the slide was entered (restore the step the URL says) or left (pause).
      if (e.data === 'slide:stop') store.getState().pause();
      else if (!driven) {
        const step = Number(new URLSearchParams(location.search).get('step') ?? 0);
        const s = store.getState();
        if (s.lesson && Number.isInteger(step) && step !== s.lessonStep) s.goToStep(step);
      }
      return;
    }
    if (!isAllowed(origins, e.origin)) {
      console.warn(
        `Resync Lab: a message from ${e.origin}, which this embed does not allow, was ignored`,
      );
      return;
    }
    const m = parseCommandMessage(e.data);
    if ('error' in m) {
      console.warn(`Resync Lab: a malformed message was ignored (${m.error})`);
      return;
    }
    driven = true;
    const type = m.command.type;
    const report = (error: string | null) => {
      if (error !== null) post({ type: 'error', command: type, message: error });
    };
    const error = perform(store, m.command);
    if (error instanceof Promise) void error.then(report);
    else report(error);
    if (type === 'getState') post({ type: 'state', ...stateOf(store) });
  };
  window.addEventListener('message', onMessage);

  // The step, as it changes; resyncs, as the run goes forward (not replayed by time travel).
  let seenMarks = store.getState().marks.length;
  let lastAt = store.getState().getNow();
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.lesson?.id !== prev.lesson?.id || s.lang !== prev.lang)
      post({ type: 'ready', stepNotes: notes(), ...stateOf(store) });
    else if (s.lessonStep !== prev.lessonStep || s.stepRunning !== prev.stepRunning)
      post({ type: 'step', ...stateOf(store) });
    if (s.marks === prev.marks) return;
    const now = s.getNow();
    if (now < lastAt || s.marks.length < seenMarks) {
      // Time travel (or a reset): what is shown again was told already.
      lastAt = now;
      seenMarks = s.marks.length;
      return;
    }
    for (const m of s.marks) {
      if (m.at <= lastAt || m.at > now || !m.server) continue;
      if (m.kind === 'continue' || m.kind === 'fullresync') {
        const d = s.psync[m.server];
        post({
          type: 'resync',
          phase: 'started',
          replica: m.server,
          kind: m.kind === 'continue' ? 'partial' : 'full',
          reply: m.text,
          offset: d?.offset ?? 0,
          at: m.at,
        });
      } else if (m.kind === 'synced') {
        post({
          type: 'resync',
          phase: 'finished',
          replica: m.server,
          kind: m.text === 'full' ? 'full' : 'partial',
          offset: s.servers.find((x) => x.name === m.server)?.offset ?? 0,
          bytes: m.bytes,
          at: m.at,
        });
      }
    }
    lastAt = now;
    seenMarks = s.marks.length;
  });
  return () => {
    window.removeEventListener('message', onMessage);
    unsubscribe();
  };
}
