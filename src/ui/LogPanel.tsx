import { useState } from 'react';
import { selectServer, useLabText } from '../store';
import { useT } from './i18n';
import { useStickToBottom } from './stickToBottom';

/** The server's log in Redis format (new lines highlighted), or its INFO replication. */
export function LogPanel({ name }: { name: string }) {
  const [tab, setTab] = useState<'log' | 'info'>('log');
  const lines = useLabText((s) => s.logs[name]);
  const info = useLabText((s) => selectServer(name)(s)?.info);
  const { box: ref, body: bodyRef } = useStickToBottom();
  const { t } = useT();
  return (
    <div className="rl-logpanel">
      <div className="rl-tabs" role="tablist" aria-label={`${name} log and info`}>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'log'}
          className="rl-tab"
          onClick={() => setTab('log')}
        >
          {t('log')}
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'info'}
          className="rl-tab"
          onClick={() => setTab('info')}
        >
          {t('info')}
        </button>
      </div>
      <div
        className="rl-log"
        ref={ref}
        role="tabpanel"
        tabIndex={0}
        aria-label={`${name} ${tab === 'log' ? 'log' : 'INFO replication'}`}
        data-testid={`${tab}-${name}`}
      >
        <div ref={bodyRef}>
          {tab === 'log'
            ? (lines ?? []).map((l) => (
                <div key={l.n} className="rl-log-line">
                  {l.text}
                </div>
              ))
            : [
                <div key="h" className="rl-log-line">
                  # Replication
                </div>,
                ...(info ?? []).map(([k, v]) => (
                  <div key={k} className="rl-log-line">
                    {k}:{v}
                  </div>
                )),
              ]}
        </div>
      </div>
    </div>
  );
}
