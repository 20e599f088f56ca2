import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import type { CSSProperties, RefObject } from 'react';
import { LabProvider, loadCommandCode, selectReplicaNames, useFrame, useLab } from '../store';
import type { CreateOptions, LabStore } from '../store';
import { BacklogWindow } from './BacklogWindow';
import { Console } from './Console';
import { lazyPanel } from './lazyPanel';
import { LessonPanel } from './LessonPanel';
import { LogAnnouncer } from './LiveRegion';
import { preloadMotion } from './motion';
import { useLessonUrl } from './lessonUrl';
import { usePresenterSync } from './presenter';
import { useProgress } from './progress';
import { useT } from './i18n';
import { useShortcuts } from './keyboard';
import { useEmbedBridge, type EmbedControls } from './embed';
import { API_VERSION } from '../embed/version';
import { LinkNotice } from './LinkNotice';
import { LogPanel } from './LogPanel';
import { PanelBoundary, PanelLang } from './PanelBoundary';
import { ServerCard } from './ServerCard';
import { TopBar } from './TopBar';
import { WhyPanel } from './WhyPanel';
import type { LinkProblem } from './urlParams';
import { Wire } from './Wire';

const NO_PROBLEMS: readonly LinkProblem[] = [];

/**
 * The master on the left spanning every replica row; each row is the wire and the replica.
 * The grid itself is in layout.css (container queries stack it on a narrow box).
 */
function Stage() {
  const master = useLab((s) => s.mainMaster);
  const names = useLab(selectReplicaNames);
  const replicas = names ? names.split(',') : [];
  return (
    <div
      className="rl-stage"
      data-replicas={replicas.length}
      style={{ '--rl-rows': Math.max(1, replicas.length) } as CSSProperties}
    >
      <div className="rl-stage-master">
        <ServerCard name={master} />
      </div>
      {replicas.map((r) => (
        <div key={r} className="rl-stage-row">
          <div className="rl-wires">
            <Wire replica={r} />
            <Wire replica={r} channel="rdb" />
          </div>
          <ServerCard name={r} />
        </div>
      ))}
    </div>
  );
}

/** Height the docked consoles need to be of use: a title, two lines of output and the prompt. */
const DOCK_MIN_EM = 6;

/**
 * Whether the height the stage and the backlog leave in `main` is enough for the docked
 * consoles. Measured, because where the consoles go when it is not (a bar beside the stage)
 * is outside the dock; the stage and backlog heights do not depend on the answer, so it settles.
 */
function useDockRoom(main: RefObject<HTMLElement | null>, deps: unknown): boolean {
  const [room, setRoom] = useState(true);
  useLayoutEffect(() => {
    const el = main.current;
    if (!el) return;
    const measure = () => {
      const cs = getComputedStyle(el);
      const gap = parseFloat(cs.rowGap) || 0;
      const used = [el.querySelector('.rl-stage'), el.querySelector('.rl-backlog')].reduce(
        (sum, e) => sum + (e instanceof HTMLElement ? e.offsetHeight + gap : 0),
        0,
      );
      setRoom(el.clientHeight - used >= DOCK_MIN_EM * parseFloat(cs.fontSize));
    };
    measure();
    const ro = new ResizeObserver(measure);
    const watch = () => {
      ro.disconnect();
      ro.observe(el);
      for (const c of el.children) ro.observe(c);
    };
    watch();
    // The backlog window appears once the master has a backlog: watch new children too.
    const mo = new MutationObserver(() => {
      watch();
      measure();
    });
    mo.observe(el, { childList: true });
    return () => {
      ro.disconnect();
      mo.disconnect();
    };
  }, [main, deps]);
  return room;
}

/**
 * Every server's console and log, docked under the stage in the height the stage leaves free.
 * With three or more servers the dock shows one server at a time (picked above it), so each
 * console stays wide enough to read. When too little height is left (`room` false), the dock
 * hides and a button beside the stage opens it as a drawer over the stage; a docked dock can
 * be enlarged into the drawer too.
 */
function Dock({
  id,
  open,
  setOpen,
}: {
  id: string;
  open: boolean;
  setOpen: (open: boolean) => void;
}) {
  const names = useLab((s) => s.servers.map((x) => x.name).join(','));
  const master = useLab((s) => s.mainMaster);
  const list = names ? names.split(',') : [];
  const [picked, setPicked] = useState<string | null>(null);
  const active = picked && list.includes(picked) ? picked : master;
  const { t } = useT();
  const tabs = list.length >= 3;
  return (
    <section
      className="rl-dock"
      data-open={open}
      data-tabs={tabs}
      aria-label={t('docks')}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setOpen(false);
        }
      }}
    >
      <div className="rl-dock-bar">
        <span className="rl-dock-title">{t('docks')}</span>
        <button
          type="button"
          className="rl-btn rl-dock-toggle"
          aria-expanded={open}
          aria-controls={id}
          onClick={() => setOpen(false)}
        >
          ▾ {t('dockClose')}
        </button>
      </div>
      {tabs ? (
        <div className="rl-seg rl-dock-pick" role="group" aria-label={t('docks')}>
          {list.map((n) => (
            <button
              key={n}
              type="button"
              className="rl-seg-btn"
              aria-pressed={n === active}
              onClick={() => setPicked(n)}
            >
              {n}
            </button>
          ))}
        </div>
      ) : null}
      <button
        type="button"
        className="rl-btn rl-btn-ghost rl-dock-grow"
        aria-label={t('dockExpand')}
        title={t('dockExpand')}
        onClick={() => setOpen(true)}
      >
        ⤢
      </button>
      <div id={id} className="rl-details" style={{ '--rl-servers': list.length } as CSSProperties}>
        {list.map((n) => (
          <section
            key={n}
            className="rl-panel rl-detail"
            data-active={n === active}
            aria-label={`${n} console and log`}
          >
            <div className="rl-detail-grid">
              <h2 className="rl-panel-title">{n}</h2>
              <PanelBoundary name={`${n} console`}>
                <Console name={n} />
              </PanelBoundary>
              <PanelBoundary name={`${n} log`}>
                <LogPanel name={n} />
              </PanelBoundary>
            </div>
          </section>
        ))}
      </div>
    </section>
  );
}

/** The stage, the why-panel, the backlog and the consoles, in the grid of layout.css. */
function Workspace() {
  const main = useRef<HTMLElement>(null);
  const servers = useLab((s) => s.servers.length);
  const room = useDockRoom(main, servers);
  const lessonOpen = useLab((s) => s.lesson !== null);
  const streamView = useLab((s) => s.streamView);
  const [open, setOpen] = useState(false);
  const id = useId();
  const { t } = useT();
  return (
    <main
      className="rl-main"
      ref={main}
      data-dock={room ? 'docked' : 'bar'}
      data-lesson={lessonOpen}
    >
      <PanelBoundary name="stage">
        <Stage />
      </PanelBoundary>
      <div className="rl-side">
        <PanelBoundary name="lesson">
          <LessonPanel />
        </PanelBoundary>
        <PanelBoundary name="why">
          <WhyPanel />
        </PanelBoundary>
        {streamView === 'resp' ? <RespPanel /> : null}
        <button
          type="button"
          className="rl-btn rl-dock-opener"
          aria-expanded={open}
          aria-controls={id}
          onClick={() => setOpen(true)}
        >
          ▴ {t('dockOpen')}
        </button>
      </div>
      <PanelBoundary name="backlog">
        <BacklogWindow />
      </PanelBoundary>
      <Dock id={id} open={open} setOpen={setOpen} />
    </main>
  );
}

/**
 * What the lesson's current step highlights: the parts without a server as words on the root
 * (`data-hl`, matched in lesson.css), a server's offset, card or log by a rule of their own.
 */
function useHighlights(): { parts: string; css: string } {
  const key = useLab((s) => {
    const step = s.lesson && s.lessonStep > 0 ? s.lesson.steps[s.lessonStep - 1] : undefined;
    return step ? step.highlights.map((h) => `${h.part}:${h.server ?? ''}`).join(' ') : '';
  });
  const parts: string[] = [];
  const rules: string[] = [];
  const TESTID = { offset: 'offset', card: 'server', log: 'log' } as const;
  for (const word of key.split(' ')) {
    const [part, server] = word.split(':');
    if (!part) continue;
    if (part in TESTID && server && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(server)) {
      const id = TESTID[part as keyof typeof TESTID];
      rules.push(`.rl-root [data-testid="${id}-${server}"]`);
    } else parts.push(part);
  }
  const css = rules.length
    ? `${rules.join(',\n')} { outline: calc(var(--stroke) * 2) solid var(--hl, #f59e0b); outline-offset: 2px; }`
    : '';
  return { parts: parts.join(' '), css };
}

/** Embedded: the deck's keys go to the host page, as the embed API's `key` event. */
const DECK_KEY_HANDLER = {
  onDeckKey: (e: KeyboardEvent) =>
    window.parent.postMessage(
      { resyncLab: API_VERSION, event: { type: 'key', key: e.key, shiftKey: e.shiftKey } },
      '*',
    ),
};

function Shell({
  embed,
  linkProblems,
}: {
  embed: EmbedControls | null;
  linkProblems: readonly LinkProblem[];
}) {
  const [problems, setProblems] = useState(linkProblems);
  const addProblems = useCallback(
    (more: readonly LinkProblem[]) => setProblems((old) => [...old, ...more]),
    [],
  );
  const theme = useLab((s) => s.theme);
  const lang = useLab((s) => s.lang);
  const root = useRef<HTMLDivElement>(null);
  useShortcuts(root, embed ? DECK_KEY_HANDLER : null);
  useEmbedBridge(embed);
  // Simulated time on the root's `data-sim-ms`, written once per frame without a re-render.
  const writeClock = useCallback((now: number) => {
    root.current?.setAttribute('data-sim-ms', String(Math.round(now)));
  }, []);
  useFrame(writeClock);
  useLessonUrl({ push: embed === null, onProblems: addProblems });
  useProgress();
  usePresenterSync();
  // Once the lab has painted: framer-motion (the offsets' count-up and the dialogs use it), and
  // the data-type commands' code (a statement that needs it earlier waits for it).
  useEffect(() => {
    void preloadMotion();
    loadCommandCode().catch(() => {});
  }, []);
  const hl = useHighlights();
  // The help and the "Reset the lab?" question live in the Help chunk.
  const helpOpen = useLab((s) => s.helpOpen || s.confirmReset);
  // .rl-root is the size container every layout rule queries (layout.css); .rl-shell scrolls
  // when the box is too small for the stage, so the page around the lab never does.
  return (
    <PanelLang.Provider value={lang}>
      <div
        className="rl-root"
        data-theme={theme}
        lang={lang}
        ref={root}
        data-hl={hl.parts}
        data-embed={embed ?? undefined}
      >
        {hl.css ? <style>{hl.css}</style> : null}
        <div className="rl-shell">
          <div className="rl-app">
            {embed === null || embed === 'full' ? (
              <PanelBoundary name="toolbar">
                <TopBar />
              </PanelBoundary>
            ) : null}
            <LinkNotice problems={problems} dismiss={() => setProblems([])} />
            <Workspace />
          </div>
        </div>
        {helpOpen ? <Help /> : null}
        <LogAnnouncer />
      </div>
    </PanelLang.Provider>
  );
}

const Help = lazyPanel(() => import('./Help').then((m) => m.Help), 'help');
const RespPanel = lazyPanel(() => import('./RespPanel').then((m) => m.RespPanel), 'RESP bytes');

export function App({
  store,
  options,
  embed = null,
  linkProblems = NO_PROBLEMS,
}: {
  store?: LabStore;
  options?: CreateOptions;
  /** Embedded in a frame (`?embed=1`): how much of the lab shows (see embed.ts). */
  embed?: EmbedControls | null;
  /** What the address asked for that the lab could not show (urlParams.ts). */
  linkProblems?: readonly LinkProblem[];
}) {
  return (
    <LabProvider store={store} options={options}>
      <Shell embed={embed} linkProblems={linkProblems} />
    </LabProvider>
  );
}
