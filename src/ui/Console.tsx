import { useEffect, useRef, useState } from 'react';
import { selectServer, useLab } from '../store';
import { useT } from './i18n';

/** A redis-cli style console for one server: Redis commands and lab directives. */
export function Console({ name }: { name: string }) {
  const entries = useLab((s) => s.consoles[name]);
  const addr = useLab((s) => selectServer(name)(s)?.addr ?? name);
  const submit = useLab((s) => s.consoleSubmit);
  const [text, setText] = useState('');
  const [history, setHistory] = useState<string[]>([]);
  const [pos, setPos] = useState<number | null>(null);
  const outRef = useRef<HTMLDivElement>(null);
  const { t } = useT();
  useEffect(() => {
    const el = outRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [entries]);
  return (
    <div className="rl-console">
      <div className="rl-console-out" ref={outRef} data-testid={`console-out-${name}`}>
        {(entries ?? []).map((e) => (
          <pre key={e.id} className={`rl-cl rl-cl-${e.kind}`}>
            {e.text.replaceAll('\r\n', '\n')}
          </pre>
        ))}
      </div>
      <form
        className="rl-console-form"
        onSubmit={(e) => {
          e.preventDefault();
          const line = text;
          setText('');
          setPos(null);
          if (line.trim() !== '') setHistory((h) => [...h.slice(-99), line]);
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
    </div>
  );
}
