import { MotionConfig } from 'framer-motion';
import { useCallback, useRef } from 'react';
import { LabProvider, selectReplicaNames, useFrame, useLab } from '../store';
import type { CreateOptions, LabStore } from '../store';
import { BacklogWindow } from './BacklogWindow';
import { Console } from './Console';
import { Help } from './Help';
import { useShortcuts } from './keyboard';
import { LogPanel } from './LogPanel';
import { ServerCard } from './ServerCard';
import { TopBar } from './TopBar';
import { WhyPanel } from './WhyPanel';
import { Wire } from './Wire';

function Stage() {
  const master = useLab((s) => s.mainMaster);
  const names = useLab(selectReplicaNames);
  const replicas = names ? names.split(',') : [];
  return (
    <div
      className="rl-stage"
      style={{ gridTemplateRows: `repeat(${Math.max(1, replicas.length)}, auto)` }}
    >
      <div
        className="rl-stage-master"
        style={{ gridRow: `1 / span ${Math.max(1, replicas.length)}` }}
      >
        <ServerCard name={master} />
      </div>
      {replicas.map((r, i) => (
        <div key={r} className="rl-stage-row" style={{ gridRow: i + 1 }}>
          <Wire replica={r} />
          <ServerCard name={r} />
        </div>
      ))}
    </div>
  );
}

function Details() {
  const names = useLab((s) => s.servers.map((x) => x.name).join(','));
  const list = names ? names.split(',') : [];
  return (
    <div
      className="rl-details"
      style={{ gridTemplateColumns: `repeat(${list.length}, minmax(0, 1fr))` }}
    >
      {list.map((n) => (
        <section key={n} className="rl-panel rl-detail" aria-label={`${n} console and log`}>
          <h2 className="rl-panel-title">{n}</h2>
          <Console name={n} />
          <LogPanel name={n} />
        </section>
      ))}
    </div>
  );
}

function Shell() {
  const theme = useLab((s) => s.theme);
  const lang = useLab((s) => s.lang);
  const root = useRef<HTMLDivElement>(null);
  useShortcuts(root);
  // Simulated time on the root's `data-sim-ms`, written once per frame without a re-render.
  const writeClock = useCallback((now: number) => {
    root.current?.setAttribute('data-sim-ms', String(Math.round(now)));
  }, []);
  useFrame(writeClock);
  return (
    <MotionConfig reducedMotion="user">
      <div className="rl-root" data-theme={theme} lang={lang} ref={root}>
        <TopBar />
        <main className="rl-main">
          <Stage />
          <div className="rl-side">
            <WhyPanel />
          </div>
          <BacklogWindow />
          <Details />
        </main>
        <Help />
      </div>
    </MotionConfig>
  );
}

export function App({ store, options }: { store?: LabStore; options?: CreateOptions }) {
  return (
    <LabProvider store={store} options={options}>
      <Shell />
    </LabProvider>
  );
}
