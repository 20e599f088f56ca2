import { MotionConfig } from 'framer-motion';
import { useCallback, useEffect, useRef } from 'react';
import { LabProvider, selectReplicaNames, useFrame, useLab, useLabStore } from '../store';
import type { CreateOptions, LabStore, Theme } from '../store';
import { BacklogWindow } from './BacklogWindow';
import { Console } from './Console';
import { Help } from './Help';
import { LogPanel } from './LogPanel';
import { RespPanel } from './RespPanel';
import { ServerCard } from './ServerCard';
import { TopBar } from './TopBar';
import { WhyPanel } from './WhyPanel';
import { Wire } from './Wire';

const THEMES: readonly Theme[] = ['light', 'dark', 'projector'];

function isEditable(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName);
}

function useShortcuts(root: React.RefObject<HTMLDivElement | null>) {
  const store = useLabStore();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isEditable(e.target)) return;
      const el = root.current;
      const active = document.activeElement;
      if (el && active && active !== document.body && !el.contains(active)) return;
      const s = store.getState();
      const replicas = s.servers.filter((x) => x.name !== s.mainMaster);
      let handled = true;
      switch (e.key) {
        case ' ':
          if (
            active instanceof HTMLButtonElement ||
            (active instanceof HTMLElement && active.getAttribute('role') === 'button')
          ) {
            handled = false;
            break;
          }
          s.togglePlay();
          break;
        case 's':
          s.step();
          break;
        case 'n':
          s.skipToNext();
          break;
        case 'w':
          s.writeKey();
          break;
        case 'r':
          s.reset();
          break;
        case 'a':
          s.addReplica();
          break;
        case '+':
        case '=':
          s.faster();
          break;
        case '-':
          s.slower();
          break;
        case 't':
          s.setTheme(THEMES[(THEMES.indexOf(s.theme) + 1) % THEMES.length] ?? 'light');
          break;
        case 'l':
          s.setLang(s.lang === 'en' ? 'es' : 'en');
          break;
        case '?':
          s.setHelpOpen(!s.helpOpen);
          break;
        case 'Escape':
          if (s.helpOpen) s.setHelpOpen(false);
          else handled = false;
          break;
        case '1':
        case '2':
        case '3': {
          const r = replicas[Number(e.key) - 1];
          if (r) s.toggleNetwork(r.name);
          break;
        }
        default:
          handled = false;
      }
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, root]);
}

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
            <RespPanel />
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
