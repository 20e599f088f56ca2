/**
 * The intentions slice: every user intention (a console line, a button) becomes lab-script
 * statements applied through `applyStatement`, so it means what the same line means in a script.
 */
import { LabScriptError, type Statement } from '../lab/ast';
import { formatReplyTty } from '../lab/format';
import { formatStatement, parseScript, splitArgs } from '../lab/script';
import { commandsReady, loadCommandCode } from './commandCode';
import { Journal } from './journal';
import { DEFAULT_WRITE, MASTER_HOST, MAX_CONSOLE, MAX_REPLICAS } from './constants';
import type { LabRuntime } from './runtime';
import type { ApplyResult, IntentionsSlice, LabState, Slice } from './state';
import { topologyOf, topologyRoot } from './serverViews';
import { advanceInParts, flush, settle } from './sync';
import type { ConsoleEntry, Notice } from './types';

/** Words that start a lab directive when typed in a console (otherwise it is a Redis command). */
const DIRECTIVES = new Set(['server', 'net', 'restart', 'show', 'clock', 'version']);

/** The data of the slice at the start of a run. */
export const EMPTY_INTENTIONS = {
  consoles: {},
  writeCount: 0,
  notice: null,
  sceneStatements: 0,
  history: Journal.EMPTY,
} as const;

type Entry = Omit<ConsoleEntry, 'id'>;

export const createIntentionsSlice =
  (rt: LabRuntime): Slice<IntentionsSlice> =>
  (set, get) => {
    let nextConsoleId = 1;
    let noticeId = 1;

    /**
     * What one intention changed in its consoles, history and write count, set at once when it
     * ends (or before it flushes): each `set` copies the whole state and wakes every subscriber,
     * and a write clicked in a stream changed three of them.
     */
    let pending: Partial<Pick<LabState, 'consoles' | 'history' | 'writeCount'>> | null = null;

    function put(patch: NonNullable<typeof pending>): void {
      if (pending) Object.assign(pending, patch);
      else set(patch);
    }

    /** The state as the intention under way left it. */
    function current<K extends 'consoles' | 'history' | 'writeCount'>(k: K): LabState[K] {
      return pending && k in pending ? (pending[k] as LabState[K]) : get()[k];
    }

    function commitPending(): void {
      const p = pending;
      if (p === null) return;
      pending = {};
      if (Object.keys(p).length > 0) set(p);
    }

    /** Runs `fn` as one intention: its changes to consoles, history and write count set once. */
    function batched<T>(fn: () => T): T {
      if (pending) return fn();
      pending = {};
      try {
        return fn();
      } finally {
        try {
          commitPending();
        } finally {
          pending = null;
        }
      }
    }

    function pushConsole(server: string, entries: readonly Entry[]): void {
      const consoles = current('consoles');
      const added = entries.map((e) => ({ ...e, id: nextConsoleId++ }));
      const next = [...(consoles[server] ?? []), ...added].slice(-MAX_CONSOLE);
      put({ consoles: { ...consoles, [server]: next } });
    }

    function notify(code: Notice['code'], text: string, error: boolean): void {
      set({ notice: { id: noticeId++, code, text, error } });
    }

    function promptOf(server: string): string {
      const s = rt.hasServer(server) ? rt.sim?.server(server) : undefined;
      return s ? `${s.host}:${s.port}>` : `${server}>`;
    }

    /** Parses `text` with the servers declared so far, so a single line can name them. */
    function parseWithContext(text: string): readonly Statement[] {
      const sim = rt.sim;
      const servers = sim
        ? sim.serverNames().map((name) => {
            const s = sim.server(name);
            return { name, host: s.host, port: s.port };
          })
        : [];
      return parseScript(text, { servers }).statements;
    }

    /** A wait, cut short at `until` (time travel); a long one runs in parts (advanceInParts). */
    function wait(st: Statement & { kind: 'wait' }, until = Infinity) {
      advanceInParts(rt, get, set, Math.min(st.ms, until - rt.now));
      return rt.apply({ ...st, ms: 0 });
    }

    /** Applies one statement, reporting to `o.console` (or echoing to the command's server). */
    function applyOne(
      st: Statement,
      o: { console?: string; echo?: boolean; until?: number },
      out: string[],
    ) {
      const r = st.kind === 'wait' ? wait(st, o.until) : rt.apply(st);
      if (st.kind === 'command' && r.reply) {
        const reply = formatReplyTty(r.reply, st.argv);
        const isErr = r.reply.t === 'error';
        out.push(reply);
        const target = o.console ?? (o.echo ? st.server : undefined);
        if (target !== undefined) {
          const entries: Entry[] = [];
          if (!o.console) {
            const cmd = formatStatement(st).slice(st.server.length + 1);
            entries.push({ kind: 'input', text: `${promptOf(st.server)} ${cmd}` });
          }
          if (reply !== '') entries.push({ kind: isErr ? 'error' : 'output', text: reply });
          pushConsole(target, entries);
        }
        return !isErr;
      }
      if (st.kind === 'show') {
        const body = r.lines.slice(1);
        out.push(...body);
        if (o.console)
          pushConsole(o.console, [{ kind: 'output', text: body.join('\n'), whole: true }]);
      } else if (o.console) {
        pushConsole(o.console, [{ kind: 'output', text: `(lab) ${formatStatement(st)}` }]);
      }
      return true;
    }

    type ApplyOptions = { console?: string; echo?: boolean; replay?: boolean; until?: number };

    /**
     * Statements held back, in order, until the data-type commands' code has loaded: the one that
     * needs it and every one after it (read only when its turn comes, as the servers it names may
     * be declared by one before it).
     */
    let held: {
      text: string;
      o: ApplyOptions;
      done: (r: ApplyResult) => void;
      /** The run it was typed in (rt.epoch): a reset or a seek meanwhile drops it. */
      epoch: number;
    }[] = [];

    function hold(text: string, o: ApplyOptions): ApplyResult {
      const later = new Promise<ApplyResult>((done) =>
        held.push({ text, o, done, epoch: rt.epoch }),
      );
      if (held.length === 1) void loadCommandCode().then(releaseHeld, failHeld);
      return { ok: true, lines: [], later };
    }

    /** Held statements of a run that is gone (a reset, a seek): they never run. */
    function dropStale(): void {
      const stale = held.filter((h) => h.epoch !== rt.epoch);
      if (stale.length === 0) return;
      held = held.filter((h) => h.epoch === rt.epoch);
      const msg = 'not run: the lab was reset or moved in time while its code was loading';
      for (const h of stale) {
        if (h.o.console) pushConsole(h.o.console, [{ kind: 'error', text: `(lab error) ${msg}` }]);
        h.done({ ok: false, lines: [msg] });
      }
    }

    function releaseHeld(): void {
      dropStale();
      const turn = held;
      held = [];
      for (const h of turn) h.done(applyStatement(h.text, h.o));
    }

    /** The code did not load (offline, a server error): what needs it fails, the rest runs. */
    function failHeld(e: unknown): void {
      dropStale();
      const turn = held;
      held = [];
      const msg = `the code of this command could not be loaded (${e instanceof Error ? e.message : String(e)}); try again`;
      for (const h of turn) {
        let ready = true;
        try {
          ready = commandsReady(parseWithContext(h.text));
        } catch {
          // applyStatement reports the mistake
        }
        if (ready) {
          h.done(applyStatement(h.text, h.o));
          continue;
        }
        if (h.o.console) pushConsole(h.o.console, [{ kind: 'error', text: `(lab error) ${msg}` }]);
        else notify('lab', msg, true);
        h.done({ ok: false, lines: [msg] });
      }
    }

    function applyStatement(text: string, o: ApplyOptions = {}): ApplyResult {
      dropStale();
      if (held.length > 0 && !o.replay) return hold(text, o);
      const out: string[] = [];
      // A new intention: the last notice was about the one before.
      if (get().notice) set({ notice: null });
      let statements: readonly Statement[];
      try {
        statements = parseWithContext(text);
      } catch (e) {
        const msg = e instanceof LabScriptError ? `column ${e.col}: ${e.reason}` : String(e);
        if (o.console) pushConsole(o.console, [{ kind: 'error', text: `(lab error) ${msg}` }]);
        else notify('lab', msg, true);
        return { ok: false, lines: [msg] };
      }
      // A replay only meets statements that have run, so their code is here.
      if (!o.replay && !commandsReady(statements)) return hold(text, o);
      let ok = true;
      const timed: { at: number; text: string }[] = [];
      for (const st of statements) {
        try {
          const at = rt.now;
          const stOk = applyOne(st, o, out);
          timed.push({ at, text: formatStatement(st) });
          if (!stOk) ok = false;
        } catch (e) {
          ok = false;
          const msg =
            e instanceof LabScriptError ? e.reason : e instanceof Error ? e.message : String(e);
          out.push(msg);
          if (o.console) pushConsole(o.console, [{ kind: 'error', text: `(lab error) ${msg}` }]);
          else notify('lab', msg, true);
          break;
        }
      }
      if (timed.length)
        put({ history: timed.reduce((h, e) => h.push(e.at, e.text), current('history')) });
      // What a flush's frame listeners read (the timeline reads the history) is set first.
      commitPending();
      // A replay (time travel) flushes once at its end, not after each statement. While playing,
      // the frame's tick flushes once for every intention of the frame (twenty writes clicked
      // in one frame rebuild the server views once); `settle` serves a reader that cannot wait.
      if (!o.replay) {
        if (get().playing) rt.viewsBehind = true;
        else flush(rt, get, set);
      }
      return { ok, lines: out };
    }

    function restoreNetwork(server: string): ApplyResult {
      const stopped = rt.hasServer(server) && rt.sim?.netState(server) === 'stopped';
      return applyStatement(`net ${server} ${stopped ? 'start' : 'up'}`);
    }

    function consoleSubmit(server: string, line: string): ApplyResult {
      // A terminal submits at each line break: a pasted text runs line by line, as in redis-cli
      // (and never as one lab script whose later lines a single prompt did not show).
      if (line.includes('\n')) {
        const rs = line.split('\n').map((l) => consoleSubmit(server, l.replace(/\r$/, '')));
        return { ok: rs.every((r) => r.ok), lines: rs.flatMap((r) => r.lines) };
      }
      pushConsole(server, [{ kind: 'input', text: `${promptOf(server)} ${line}` }]);
      const trimmed = line.trim();
      if (trimmed === '') return { ok: true, lines: [] };
      const tokens = splitArgs(trimmed);
      if (tokens === null) {
        pushConsole(server, [{ kind: 'error', text: 'Invalid argument(s)' }]);
        return { ok: false, lines: ['Invalid argument(s)'] };
      }
      const first = (tokens[0] ?? '').toLowerCase();
      const directive =
        DIRECTIVES.has(first) ||
        (first === 'wait' && tokens.length === 2) ||
        (first === 'latency' && /^\d/.test(tokens[1] ?? ''));
      return applyStatement(directive ? trimmed : `${server} ${trimmed}`, { console: server });
    }

    return {
      ...EMPTY_INTENTIONS,
      writeTemplate: DEFAULT_WRITE,
      applyStatement,
      consoleSubmit: (server, line) => batched(() => consoleSubmit(server, line)),
      writeKey: () =>
        batched(() => {
          const n = current('writeCount') + 1;
          put({ writeCount: n });
          const cmd =
            get().writeTemplate.replaceAll('{n}', String(n)).trim() || `SET key:${n} value`;
          // The server on the left, from the engine when the views wait for the frame (settling
          // them here would rebuild them for every write of a stream).
          const sim = rt.sim;
          const main =
            rt.viewsBehind && sim
              ? (topologyRoot(topologyOf(sim.state)) ?? get().mainMaster)
              : get().mainMaster;
          return applyStatement(`${main} ${cmd}`, { echo: true });
        }),
      setWriteTemplate: (text) => set({ writeTemplate: text }),
      cutNetwork: (server) => applyStatement(`net ${server} stop`),
      restoreNetwork,
      toggleNetwork: (server) =>
        rt.hasServer(server) && rt.sim?.netState(server) !== 'up'
          ? restoreNetwork(server)
          : applyStatement(`net ${server} stop`),
      resetConnection: (server) => applyStatement(`net ${server} down`),
      raiseNotice: notify,
      dismissNotice: (id) => {
        if (get().notice?.id === id) set({ notice: null });
      },
      addReplica: () => {
        settle(rt, get, set);
        const { servers, mainMaster } = get();
        if (servers.filter((s) => s.name !== mainMaster).length >= MAX_REPLICAS) {
          if (get().notice) set({ notice: null });
          notify('maxReplicas', `max ${MAX_REPLICAS}`, true);
          return { ok: false, lines: [] };
        }
        let k = 1;
        while (rt.hasServer(`replica${k}`)) k++;
        const name = `replica${k}`;
        const m = servers.find((s) => s.name === mainMaster);
        const r1 = applyStatement(`server ${name} 192.168.157.${145 + k}:6379`);
        if (!r1.ok) return r1;
        const target = `${m?.host ?? MASTER_HOST} ${m?.port ?? 6379}`;
        return applyStatement(`${name} REPLICAOF ${target}`, { echo: true });
      },
      removeReplica: (server) => {
        settle(rt, get, set);
        if (!rt.hasServer(server) || server === get().mainMaster) return { ok: false, lines: [] };
        return applyStatement(`remove ${server}`);
      },
      promote: (server) => applyStatement(`${server} REPLICAOF NO ONE`, { echo: true }),
      restartServer: (server) => applyStatement(`restart ${server}`),
    };
  };
