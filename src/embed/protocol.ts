/**
 * The embed API: the messages a host page (a reveal.js deck, a course site) and an embedded Resync
 * Lab (`index.html?embed=1…` in an iframe) exchange with `postMessage`. Versioned: every message
 * carries `resyncLab: 1`; a message of another version, of another shape or from an origin the
 * embedder did not allow is ignored with a console warning, never acted on.
 *
 * Host → lab: `{ resyncLab: 1, command: {...} }` with one of the `Command`s below.
 * Lab → host: `{ resyncLab: 1, event: {...} }` with one of the `LabEvent`s below.
 * reveal.js also posts the plain strings `slide:start` and `slide:stop` to an iframe on a slide
 * it enters or leaves: the lab restores its URL state on the first and pauses on the second.
 *
 * This module is plain TypeScript (no React, no DOM beyond types): the reveal.js plugin and the
 * app both import it.
 */

import { API_VERSION } from './version';

export { API_VERSION };

export type Lang = 'en' | 'es';
export type Theme = 'light' | 'dark' | 'projector';

/** What a host can ask the lab to do. */
export type Command =
  /** Show the end of step `step` of the open scenario (0: the stage), exactly. */
  | { readonly type: 'goToStep'; readonly step: number }
  | { readonly type: 'next' }
  | { readonly type: 'prev' }
  | { readonly type: 'play' }
  | { readonly type: 'pause' }
  /** Back to the scenario's stage (or the opening scene). */
  | { readonly type: 'reset' }
  /** Open a built-in scenario at a step. */
  | { readonly type: 'open'; readonly scenario: string; readonly step?: number }
  /** Run one lab-script line, as typed in a console (e.g. `master SET k v`, `net replica1 stop`). */
  | { readonly type: 'run'; readonly line: string }
  | { readonly type: 'setLang'; readonly lang: Lang }
  | { readonly type: 'setTheme'; readonly theme: Theme }
  /** Ask for a `state` event. */
  | { readonly type: 'getState' };

/** A resync as the host hears of it: a PSYNC answered (started) or a replica online again (finished). */
export interface ResyncInfo {
  readonly replica: string;
  readonly kind: 'full' | 'partial';
  /** Started: the master's answer (`+CONTINUE …`, `+FULLRESYNC <id> <offset>`). */
  readonly reply?: string;
  /** Started: the offset the replica asked for. Finished: the replica's master_repl_offset. */
  readonly offset: number;
  /** Finished: bytes the master sent for it (the RDB, or the backlog slice). */
  readonly bytes?: number;
  /** Simulated ms of the run. */
  readonly at: number;
}

export interface LabState {
  readonly scenario: string | null;
  /** 0: the stage; k: step k has run (or is running). */
  readonly step: number;
  readonly steps: number;
  readonly running: boolean;
  readonly playing: boolean;
  /** Speaker notes of the current step, in the lab's language ('' for none). */
  readonly notes: string;
  readonly lang: Lang;
  readonly theme: Theme;
}

/** What the lab tells its host. */
export type LabEvent =
  /** The lab has loaded (and again after a reload): its state, and every step's notes. */
  | ({ readonly type: 'ready'; readonly stepNotes: readonly string[] } & LabState)
  /** The step changed (or finished playing). */
  | ({ readonly type: 'step' } & LabState)
  | ({ readonly type: 'state' } & LabState)
  | ({ readonly type: 'resync'; readonly phase: 'started' | 'finished' } & ResyncInfo)
  /** A command the lab could not carry out (a bad lab line, an unknown scenario), Redis's words. */
  | { readonly type: 'error'; readonly command: string; readonly message: string }
  /** A navigation key pressed inside the lab while embedded, handed back to the host (the deck). */
  | {
      readonly type: 'key';
      readonly key: string;
      readonly shiftKey: boolean;
    };

export interface CommandMessage {
  readonly resyncLab: typeof API_VERSION;
  readonly command: Command;
}
export interface EventMessage {
  readonly resyncLab: typeof API_VERSION;
  readonly event: LabEvent;
}

/** Longest lab line a host may send (a console line is far shorter). */
const MAX_LINE = 10_000;
const SCENARIO_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** A command message checked field by field; the reason it is not one otherwise. */
export function parseCommandMessage(data: unknown): CommandMessage | { error: string } {
  if (!isRecord(data)) return { error: 'not an object' };
  if (data.resyncLab !== API_VERSION)
    return { error: `unsupported version ${JSON.stringify(data.resyncLab)} (this lab speaks 1)` };
  const c = data.command;
  if (!isRecord(c) || typeof c.type !== 'string') return { error: 'no command' };
  const ok = (command: Command): CommandMessage => ({ resyncLab: API_VERSION, command });
  const keys = Object.keys(c);
  const only = (...allowed: string[]) => keys.every((k) => k === 'type' || allowed.includes(k));
  switch (c.type) {
    case 'next':
    case 'prev':
    case 'play':
    case 'pause':
    case 'reset':
    case 'getState':
      return only() ? ok({ type: c.type }) : { error: `${c.type} takes no arguments` };
    case 'goToStep':
      return only('step') && Number.isInteger(c.step) && (c.step as number) >= 0
        ? ok({ type: 'goToStep', step: c.step as number })
        : { error: 'goToStep needs { step: a whole number ≥ 0 }' };
    case 'open':
      if (
        !only('scenario', 'step') ||
        typeof c.scenario !== 'string' ||
        !SCENARIO_ID.test(c.scenario)
      )
        return { error: 'open needs { scenario: an id like "partial-resync" }' };
      if (c.step !== undefined && !(Number.isInteger(c.step) && (c.step as number) >= 0))
        return { error: 'open: step must be a whole number ≥ 0' };
      return ok({ type: 'open', scenario: c.scenario, step: c.step as number | undefined });
    case 'run':
      return only('line') &&
        typeof c.line === 'string' &&
        c.line.length <= MAX_LINE &&
        !/[\n\r]/.test(c.line)
        ? ok({ type: 'run', line: c.line })
        : { error: `run needs { line: one lab-script line of at most ${MAX_LINE} characters }` };
    case 'setLang':
      return only('lang') && (c.lang === 'en' || c.lang === 'es')
        ? ok({ type: 'setLang', lang: c.lang })
        : { error: 'setLang needs { lang: "en" | "es" }' };
    case 'setTheme':
      return only('theme') && (c.theme === 'light' || c.theme === 'dark' || c.theme === 'projector')
        ? ok({ type: 'setTheme', theme: c.theme })
        : { error: 'setTheme needs { theme: "light" | "dark" | "projector" }' };
    default:
      return { error: `unknown command ${JSON.stringify(c.type).slice(0, 40)}` };
  }
}

/** An event message from a lab, or null (the host's side of the check). */
export function parseEventMessage(data: unknown): EventMessage | null {
  if (!isRecord(data) || data.resyncLab !== API_VERSION) return null;
  const e = data.event;
  if (!isRecord(e) || typeof e.type !== 'string') return null;
  return data as unknown as EventMessage;
}

/**
 * Origins allowed to command the lab: the `origins` URL parameter (comma-separated, e.g.
 * `https://slides.example.org`), else the embedding page's origin (from the referrer) and the
 * lab's own. `*` allows any origin.
 */
export function allowedOrigins(search: string, referrer: string, own: string): ReadonlySet<string> {
  const p = new URLSearchParams(search).get('origins');
  if (p !== null)
    return new Set(
      p
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    );
  const out = new Set<string>([own]);
  try {
    if (referrer) out.add(new URL(referrer).origin);
  } catch {
    // No usable referrer: the lab's own origin only.
  }
  return out;
}

export const isAllowed = (origins: ReadonlySet<string>, origin: string): boolean =>
  origins.has('*') || origins.has(origin);
