import { useEffect, useRef, useState } from 'react';
import { CHANNEL, isPresenterState, type PresenterCommand, type PresenterState } from './presenter';

const WORDS = {
  en: {
    waiting: 'Waiting for the lab… open a lesson in the lab window.',
    step: 'Step {n} of {m}',
    notes: 'Speaker notes',
    next: 'Next step',
    prev: 'Previous step',
    coming: 'Coming next',
    playing: 'playing…',
  },
  es: {
    waiting: 'Esperando al laboratorio… abre una lección en su ventana.',
    step: 'Paso {n} de {m}',
    notes: 'Notas del presentador',
    next: 'Siguiente paso',
    prev: 'Paso anterior',
    coming: 'A continuación',
    playing: 'en curso…',
  },
} as const;

/**
 * The presenter view (`?presenter=1`, opened from the lesson panel in a second window): the
 * step's narration and speaker notes, what comes next, and Previous / Next, kept in step with
 * the lab's window through a BroadcastChannel.
 */
export function PresenterView({ lang: initial }: { lang: 'en' | 'es' }) {
  const [state, setState] = useState<PresenterState | null>(null);
  const ch = useRef<BroadcastChannel | null>(null);
  useEffect(() => {
    let c: BroadcastChannel;
    try {
      c = new BroadcastChannel(CHANNEL);
    } catch {
      return; // no channel (an old browser, an opaque origin): nothing to follow
    }
    ch.current = c;
    c.onmessage = (e: MessageEvent<unknown>) => {
      if (isPresenterState(e.data)) setState(e.data);
    };
    const hello: PresenterCommand = { v: 1, type: 'hello' };
    c.postMessage(hello);
    return () => c.close();
  }, []);
  const send = (type: 'next' | 'prev') => {
    const m: PresenterCommand = { v: 1, type };
    ch.current?.postMessage(m);
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'PageDown' || e.key === 'ArrowRight' || e.key === ' ') send('next');
      else if (e.key === 'PageUp' || e.key === 'ArrowLeft') send('prev');
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const w = WORDS[state?.lang ?? initial];
  return (
    <main className="rl-presenter" lang={state?.lang ?? initial}>
      {state ? (
        <>
          <h1>{state.title}</h1>
          <p className="rl-presenter-pos" data-testid="presenter-pos">
            {w.step.replace('{n}', String(state.step)).replace('{m}', String(state.total))}
            {state.running ? ` · ${w.playing}` : ''}
          </p>
          <p className="rl-presenter-say">{state.say}</p>
          <section aria-label={w.notes}>
            <h2>{w.notes}</h2>
            <p className="rl-presenter-notes" data-testid="presenter-notes">
              {state.notes || '—'}
            </p>
          </section>
          {state.nextSay ? (
            <section aria-label={w.coming}>
              <h2>{w.coming}</h2>
              <p className="rl-presenter-next">{state.nextSay}</p>
            </section>
          ) : null}
          <div className="rl-presenter-nav">
            <button type="button" onClick={() => send('prev')} disabled={state.step === 0}>
              ◀ {w.prev}
            </button>
            <button type="button" onClick={() => send('next')} disabled={state.step >= state.total}>
              {w.next} ▶
            </button>
          </div>
        </>
      ) : (
        <p>{w.waiting}</p>
      )}
    </main>
  );
}
