import { useEffect, useState } from 'react';
import { useLabStore } from '../store';
import type { LogLine } from '../store';
import { LineThrottle, summarize, type HeardLine } from './announce';
import { fill, useT } from './i18n';

/**
 * A visually hidden polite live region. Each new `text` is said once, after what the screen
 * reader is saying; `id` changes when the same words must be said again (a new node is inserted).
 */
export function LiveRegion({ text, id, testId }: { text: string; id?: number; testId: string }) {
  return (
    <div className="rl-sr-only" aria-live="polite" aria-atomic="true" data-testid={testId}>
      {text ? <span key={id}>{text}</span> : null}
    </div>
  );
}

const windowTimers = {
  now: () => performance.now(),
  set: (fn: () => void, ms: number) => window.setTimeout(fn, ms),
  clear: (id: unknown) => window.clearTimeout(id as number),
};

/**
 * Every server's new log lines, told to a screen reader: the latest one or two with the server's
 * name, at most once every couple of seconds (announce.ts). The logs on screen are not live
 * regions themselves, so nothing re-reads a whole log. A jump back in time (the timeline, a reset)
 * says nothing: only lines that arrive after the ones already seen are new.
 */
export function LogAnnouncer() {
  const store = useLabStore();
  const { t } = useT();
  const [said, setSaid] = useState<{ latest: readonly HeardLine[]; total: number; id: number }>({
    latest: [],
    total: 0,
    id: 0,
  });
  useEffect(() => {
    const seen = new Map<string, number>();
    const lastOf = (lines: readonly LogLine[] | undefined) => lines?.at(-1)?.n ?? -1;
    for (const [name, lines] of Object.entries(store.getState().logs))
      seen.set(name, lastOf(lines));
    const throttle = new LineThrottle(
      (latest, total) => setSaid((p) => ({ latest, total, id: p.id + 1 })),
      windowTimers,
    );
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.logs === prev.logs) return;
      const heard: HeardLine[] = [];
      for (const [name, lines] of Object.entries(s.logs)) {
        if (lines === prev.logs[name]) continue;
        const before = seen.get(name) ?? -1;
        const last = lastOf(lines);
        seen.set(name, last);
        if (!lines || last <= before) continue;
        const added: HeardLine[] = [];
        for (let i = lines.length - 1; i >= 0 && lines[i]!.n > before; i--)
          added.push({ server: name, text: lines[i]!.text });
        heard.push(...added.reverse());
      }
      throttle.push(heard);
    });
    return () => {
      unsubscribe();
      throttle.dispose();
    };
  }, [store]);
  const text = summarize(said.latest, said.total, (n) => fill(t('liveMore'), { n }));
  return <LiveRegion text={text} id={said.id} testId="log-live" />;
}
