/**
 * The presenter view and the lab keep in step through a BroadcastChannel (same origin, any
 * window), as reveal.js's speaker view does: the lab says where the lesson is; the presenter
 * view asks for the next or previous step. Every message is checked; anything else is ignored.
 */
import { useEffect } from 'react';
import { useLabStore } from '../store';

export const CHANNEL = 'resync-lab-presenter';

/** What the lab tells the presenter view. */
export interface PresenterState {
  readonly v: 1;
  readonly type: 'state';
  readonly title: string;
  readonly step: number;
  readonly total: number;
  readonly running: boolean;
  readonly say: string;
  readonly notes: string;
  /** The next step's narration, to prepare what comes. */
  readonly nextSay: string;
  readonly lang: 'en' | 'es';
}

/** What the presenter view asks for. */
export type PresenterCommand = { readonly v: 1; readonly type: 'next' | 'prev' | 'hello' };

export function isPresenterCommand(d: unknown): d is PresenterCommand {
  if (typeof d !== 'object' || d === null) return false;
  const m = d as Record<string, unknown>;
  return m['v'] === 1 && (m['type'] === 'next' || m['type'] === 'prev' || m['type'] === 'hello');
}

export function isPresenterState(d: unknown): d is PresenterState {
  if (typeof d !== 'object' || d === null) return false;
  const m = d as Record<string, unknown>;
  return (
    m['v'] === 1 &&
    m['type'] === 'state' &&
    typeof m['title'] === 'string' &&
    typeof m['step'] === 'number' &&
    typeof m['total'] === 'number' &&
    typeof m['running'] === 'boolean' &&
    typeof m['say'] === 'string' &&
    typeof m['notes'] === 'string' &&
    typeof m['nextSay'] === 'string' &&
    (m['lang'] === 'en' || m['lang'] === 'es')
  );
}

/** The lab's side: tells every presenter view where the lesson is, and obeys its Next/Previous. */
export function usePresenterSync(): void {
  const store = useLabStore();
  useEffect(() => {
    let ch: BroadcastChannel;
    try {
      ch = new BroadcastChannel(CHANNEL);
    } catch {
      return; // no channel (an old browser, an opaque origin): no presenter view to keep in step
    }
    const post = () => {
      const s = store.getState();
      if (!s.lesson) return;
      const lang = s.lang;
      const cur = s.lessonStep > 0 ? s.lesson.steps[s.lessonStep - 1] : undefined;
      const next = s.lesson.steps[s.lessonStep];
      const msg: PresenterState = {
        v: 1,
        type: 'state',
        title: s.lesson.title[lang],
        step: s.lessonStep,
        total: s.lesson.steps.length,
        running: s.stepRunning,
        say: cur?.say[lang] ?? '',
        notes: cur?.notes[lang] ?? '',
        nextSay: next?.say[lang] ?? '',
        lang,
      };
      ch.postMessage(msg);
    };
    ch.onmessage = (e: MessageEvent<unknown>) => {
      if (!isPresenterCommand(e.data)) return;
      const s = store.getState();
      if (e.data.type === 'next') s.nextStep();
      else if (e.data.type === 'prev') s.prevStep();
      post();
    };
    const unsubscribe = store.subscribe((s, prev) => {
      if (
        s.lesson !== prev.lesson ||
        s.lessonStep !== prev.lessonStep ||
        s.stepRunning !== prev.stepRunning ||
        s.lang !== prev.lang
      )
        post();
    });
    post();
    return () => {
      unsubscribe();
      ch.close();
    };
  }, [store]);
}
