/**
 * The lesson in the address bar: `?scenario=partial-resync&step=3&lang=es&theme=projector` opens
 * exactly that view, each step walked adds a history entry (the browser's Back goes to the step
 * before), and language and theme are kept up to date in place. A teacher's own scenario travels
 * whole in the link, compressed (`&lab=…`, lz-string), so sharing the address shares the lesson.
 */
import { useEffect, useRef } from 'react';
import { VERSIONS, type Version } from '../store/constants';
import { loadCommandCode, useLabStore } from '../store';
import { readStep, type LinkProblem } from './urlParams';

/** `push: false` (embedded): the steps replace the address instead of adding history entries,
 *  so the host page's Back button is never taken over by the frame. */
/** lz-string, fetched the first time a link carries a scenario's text (most links don't). */
type Lz = typeof import('lz-string');
let lz: Lz | null = null;
const loadLz = (): Promise<Lz> => import('lz-string').then((m) => (lz = m));

export function useLessonUrl({
  push: pushSteps = true,
  onProblems,
}: {
  push?: boolean;
  /** What the address asked for that the lab could not show (read when the lab opens). */
  onProblems?: (problems: readonly LinkProblem[]) => void;
} = {}): void {
  const store = useLabStore();
  const report = useRef(onProblems);
  useEffect(() => {
    report.current = onProblems;
  }, [onProblems]);
  useEffect(() => {
    let fromUrl = false;
    let pending = false;
    /** The address is read once its lesson is ready; until then it is not rewritten either. */
    let started = false;

    const readUrl = (initial: boolean) => {
      const p = new URLSearchParams(location.search);
      const id = p.get('scenario');
      const stepParam = p.get('step');
      const { step, problem: stepProblem } = readStep(stepParam);
      const problems: LinkProblem[] = stepProblem ? [stepProblem] : [];
      const st = store.getState();
      const packed = p.get('lab');
      fromUrl = true;
      try {
        const version = p.get('version');
        if (version !== null && (VERSIONS as readonly string[]).includes(version))
          st.setVersion(version as Version);
        else if (version !== null)
          problems.push({ param: 'version', value: version, shown: 'Redis 7.0' });
        if (packed !== null) {
          let text: string | null = null;
          try {
            text = lz!.decompressFromEncodedURIComponent(packed);
          } catch {
            text = null;
          }
          if (!text) st.setLessonError(DAMAGED[st.lang]);
          else if (st.lesson?.text !== text) st.openScenarioText(text, step);
          else if (st.lessonStep !== step || st.stepRunning) st.goToStep(step);
        } else if (id) {
          if (st.lesson?.id !== id) st.openLesson(id, step);
          else if (st.lessonStep !== step || st.stepRunning) st.goToStep(step);
        } else if (!initial && st.lesson) st.closeLesson();
        // A step past the lesson's last one shows its last step.
        const total = store.getState().lesson?.steps.length;
        if (stepParam !== null && !stepProblem && total !== undefined && step > total)
          problems.push({ param: 'step', value: stepParam, shown: String(total) });
      } finally {
        fromUrl = false;
      }
      if (initial && problems.length > 0) report.current?.(problems);
    };

    const writeUrl = (push: boolean) => {
      const s = store.getState();
      if (!started) return;
      if (s.stepRunning) return; // a step is written once it has been played
      if (s.lesson?.custom && !lz) {
        void loadLz().then(() => writeUrl(push));
        return;
      }
      const p = new URLSearchParams(location.search);
      if (s.lesson) {
        p.set('scenario', s.lesson.id);
        p.set('step', String(s.lessonStep));
        if (s.lesson.custom) p.set('lab', lz!.compressToEncodedURIComponent(s.lesson.text));
        else p.delete('lab');
      } else {
        p.delete('scenario');
        p.delete('step');
        p.delete('lab');
      }
      p.set('lang', s.lang);
      p.set('theme', s.theme);
      // 7.0, the default, stays out of the address.
      if (s.version === '7.0') p.delete('version');
      else p.set('version', s.version);
      const url = `${location.pathname}?${p.toString()}${location.hash}`;
      if (url === `${location.pathname}${location.search}${location.hash}`) return;
      // Refused in some settings (a file:// page in some browsers, a sandboxed frame): the lab
      // works on, the address just does not follow it.
      try {
        if (push) history.pushState(null, '', url);
        else history.replaceState(null, '', url);
      } catch {
        // nothing to do
      }
    };

    // What the address needs is fetched before it is read (and rewritten): lz-string and the
    // data-type commands for a scenario's text, the text of a built-in lesson. Meanwhile the
    // address stays as it is.
    let live = true;
    const ready = (): Promise<unknown> => {
      const p = new URLSearchParams(location.search);
      const id = p.get('scenario');
      return Promise.all([
        p.has('lab') && !lz ? loadLz() : null,
        // A teacher's scenario may run the data-type commands whose code loads on demand.
        p.has('lab') ? loadCommandCode() : null,
        id ? store.getState().prepareLesson(id) : null,
      ]).catch(() => null);
    };
    void ready().then(() => {
      if (!live) return;
      started = true;
      readUrl(true);
      writeUrl(false);
    });
    const onPop = () => void ready().then(() => live && readUrl(false));
    window.addEventListener('popstate', onPop);
    const unsubscribe = store.subscribe((s, prev) => {
      const moved =
        s.lesson?.id !== prev.lesson?.id ||
        s.lessonStep !== prev.lessonStep ||
        s.stepRunning !== prev.stepRunning;
      if (!moved && s.lang === prev.lang && s.theme === prev.theme && s.version === prev.version)
        return;
      if (pending) return;
      pending = true;
      // One entry per change the user made (a jump to step 4 passes steps 1-3 on the way).
      const push = pushSteps && moved && !fromUrl;
      queueMicrotask(() => {
        pending = false;
        writeUrl(push);
      });
    });
    return () => {
      live = false;
      window.removeEventListener('popstate', onPop);
      unsubscribe();
    };
  }, [store, pushSteps]);
}

const DAMAGED = {
  en: "this link's scenario cannot be read (cut short or damaged)",
  es: 'no se puede leer el escenario de este enlace (cortado o dañado)',
} as const;
