import { memo, useEffect, useRef, useState } from 'react';
import { selectServer, useLab, useLabText } from '../store';
import type { ConsoleEntry } from '../store';
import { fill, useT } from './i18n';
import { LiveRegion } from './LiveRegion';
import { useStickToBottom } from './stickToBottom';

/**
 * Longest console entry shown whole at first; a longer one (a 10,000-character command) is
 * clipped, with a button to show all of it. What `show log` printed is always shown whole.
 */
const MAX_SHOWN = 600;

/** One entry: drawn again only when it changes (a console keeps 200, and a stream adds many a second). */
const Entry = memo(function Entry({ e }: { e: ConsoleEntry }) {
  const [all, setAll] = useState(false);
  const { t } = useT();
  const text = e.text.replaceAll('\r\n', '\n');
  const long = !e.whole && text.length > MAX_SHOWN;
  return (
    <pre className={`rl-cl rl-cl-${e.kind}${e.whole ? ' rl-cl-whole' : ''}`}>
      {long && !all ? `${text.slice(0, MAX_SHOWN)}…` : text}
      {long ? (
        <>
          {' '}
          <button type="button" className="rl-cl-more" onClick={() => setAll(!all)}>
            {all ? t('showLess') : fill(t('showAll'), { n: text.length })}
          </button>
        </>
      ) : null}
    </pre>
  );
});

/** A redis-cli style console for one server: Redis commands and lab directives. */
export function Console({ name }: { name: string }) {
  const entries = useLabText((s) => s.consoles[name]);
  const addr = useLab((s) => selectServer(name)(s)?.addr ?? name);
  const submit = useLab((s) => s.consoleSubmit);
  const [text, setText] = useState('');
  const [history, setHistory] = useState<string[]>([]);
  const [pos, setPos] = useState<number | null>(null);
  const { box: outRef, body: bodyRef } = useStickToBottom();
  const { t } = useT();
  // The reply to a line typed here is said to a screen reader (not the lines a lesson or a button
  // echoes here): after a submit, what the next change of the console added.
  const asked = useRef<number | null>(null);
  const [reply, setReply] = useState({ text: '', id: 0 });
  useEffect(() => {
    const after = asked.current;
    if (after === null) return;
    asked.current = null;
    const text = (entries ?? [])
      .filter((e) => e.id > after && e.kind !== 'input')
      .map((e) => e.text)
      .join('\n');
    if (text) setReply((r) => ({ text, id: r.id + 1 }));
  }, [entries]);
  return (
    <div className="rl-console">
      {/* A Tab stop, so its scrolled-away lines can be read with the arrows. */}
      <div
        className="rl-console-out"
        ref={outRef}
        role="group"
        aria-label={`${name} console output`}
        tabIndex={0}
        data-testid={`console-out-${name}`}
      >
        <div ref={bodyRef}>
          {(entries ?? []).map((e) => (
            <Entry key={e.id} e={e} />
          ))}
        </div>
      </div>
      <form
        className="rl-console-form"
        onSubmit={(e) => {
          e.preventDefault();
          const line = text;
          setText('');
          setPos(null);
          if (line.trim() !== '') setHistory((h) => [...h.slice(-99), line]);
          asked.current = entries?.at(-1)?.id ?? 0;
          submit(name, line);
        }}
      >
        <label className="rl-prompt" htmlFor={`rl-console-${name}`}>
          {addr}&gt;
        </label>
        <input
          id={`rl-console-${name}`}
          className="rl-console-input"
          aria-label={`${name} console`}
          placeholder={t('console')}
          autoComplete="off"
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowUp') {
              e.preventDefault();
              if (history.length === 0) return;
              const p = pos === null ? history.length - 1 : Math.max(0, pos - 1);
              setPos(p);
              setText(history[p] ?? '');
            } else if (e.key === 'ArrowDown') {
              e.preventDefault();
              if (pos === null) return;
              const p = pos + 1;
              if (p >= history.length) {
                setPos(null);
                setText('');
              } else {
                setPos(p);
                setText(history[p] ?? '');
              }
            }
          }}
        />
      </form>
      <LiveRegion text={reply.text} id={reply.id} testId={`console-live-${name}`} />
    </div>
  );
}
