/**
 * Scenarios: a lab script with steps and narration, in one plain-text file a teacher can write.
 * The lab part is the ordinary lab script (script.ts); a scenario adds its own lines:
 *
 *   scenario ID                      stable id (letters, digits, '-'), used in URLs and the embed API
 *   title en|es "TEXT"               the scenario's title in each language
 *   step                             starts the next step: the lab lines after it, up to the next
 *                                    `step`, are what the step does
 *   say en|es "TEXT"                 the step's narration (several lines join into one paragraph)
 *   note en|es "TEXT"                speaker notes for the teacher
 *   highlight PART [NAME]            what the narration speaks of: wire | offset | backlog | why |
 *                                    log | card | clock (NAME: which server, for offset/log/card)
 *   quote NAME "TEXT"                a log line that proves the step: shown with the narration, and
 *                                    checked when the step has run (NAME's log has a line
 *                                    containing TEXT, or the scenario is reported wrong)
 *   ask resync|offset|bytes NAME     a prediction asked before the step runs: will NAME's PSYNC
 *                                    get a partial or a full resync, which offset will it ask
 *                                    for, how many backlog bytes will the master send it; the
 *                                    step's run reveals the answer
 *   twin "LAB LINE" "REPLACEMENT"    the twin run: the same scenario with that lab line (written
 *                                    exactly as in the file) replaced, run beside it to compare
 *                                    how each reconnect ends (several twin lines change several)
 *   twin en|es "LABEL" "TWIN LABEL"  the two runs' names in each language
 *
 * Lab lines before the first `step` set the stage (run when the scenario opens). Every step says
 * what happened in both languages. docs/scenarios.md has the grammar and a complete example.
 */
import { LabScriptError, type Pos, type Statement } from './ast';
import { parseScript, SCENARIO_WORDS, tokenizeLine, type Token } from './script';

export type Lang = 'en' | 'es';
export const LANGS: readonly Lang[] = ['en', 'es'];

export type HighlightPart = 'wire' | 'offset' | 'backlog' | 'why' | 'log' | 'card' | 'clock';
const PARTS: ReadonlySet<string> = new Set([
  'wire',
  'offset',
  'backlog',
  'why',
  'log',
  'card',
  'clock',
]);
/** Parts that name a server. */
const PER_SERVER: ReadonlySet<string> = new Set(['offset', 'log', 'card']);

export interface Highlight {
  readonly part: HighlightPart;
  readonly server: string | null;
}

/** A prediction asked before a step: about the PSYNC decision `replica` meets in it. */
export type AskKind = 'resync' | 'offset' | 'bytes';
export interface Ask {
  readonly pos: Pos;
  readonly kind: AskKind;
  readonly replica: string;
}

export interface Quote {
  readonly pos: Pos;
  readonly server: string;
  readonly text: string;
}

export interface ScenarioStep {
  readonly pos: Pos;
  /** The lab statements the step runs, in order. */
  readonly statements: readonly Statement[];
  readonly say: Readonly<Record<Lang, string>>;
  readonly notes: Readonly<Record<Lang, string>>;
  readonly highlights: readonly Highlight[];
  readonly quotes: readonly Quote[];
  readonly asks: readonly Ask[];
}

/** The twin run: lab lines replaced, and the names of both runs. */
export interface Twin {
  readonly swaps: readonly { readonly pos: Pos; readonly from: string; readonly to: string }[];
  readonly labels: Readonly<Record<Lang, readonly [string, string]>>;
}

export interface Scenario {
  readonly id: string;
  readonly title: Readonly<Record<Lang, string>>;
  /** Lab statements before the first step: the stage. */
  readonly setup: readonly Statement[];
  readonly steps: readonly ScenarioStep[];
  /** The whole text, as written (for sharing and re-opening). */
  readonly text: string;
  readonly twin: Twin | null;
}

/** A lab line as `twin` compares it: trimmed, spaces collapsed. */
const lineKey = (line: string): string => line.trim().replace(/\s+/g, ' ');

const ID_RE = /^[a-z0-9][a-z0-9-]{0,63}$/;

interface StepDraft {
  pos: Pos;
  firstLine: number;
  say: Record<Lang, string[]>;
  notes: Record<Lang, string[]>;
  highlights: Highlight[];
  quotes: Quote[];
  asks: Ask[];
}

/** Parses a scenario. Throws LabScriptError (1-based line and column) on the first mistake. */
export function parseScenario(text: string): Scenario {
  const lines = text.split('\n');
  const labLines: string[] = [];
  let id: string | null = null;
  const title: Record<Lang, string | null> = { en: null, es: null };
  const drafts: StepDraft[] = [];
  /** Server names declared so far, for `quote` and `highlight` (the lab parser checks the rest). */
  const declared = new Set<string>();
  const swaps: { pos: Pos; from: string; to: string }[] = [];
  const twinLabels: Record<Lang, readonly [string, string] | null> = { en: null, es: null };
  let twinPos: Pos | null = null;

  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const split = tokenizeLine(line);
    if (!split.ok) throw new LabScriptError({ line: lineNo, col: split.col }, split.reason);
    const tokens = split.tokens;
    const first = tokens[0];
    const keyword = first?.text.toLowerCase();
    if (first === undefined || keyword === undefined || !SCENARIO_WORDS.has(keyword)) {
      // A lab line: the lab parser reads it (line numbers kept by blanking scenario lines).
      labLines.push(line);
      if (keyword === 'server' && tokens[1]) declared.add(tokens[1].text);
      if (keyword === 'remove' && tokens[1]) declared.delete(tokens[1].text);
      return;
    }
    labLines.push('');
    const at = (t: Token | undefined, reason: string): LabScriptError =>
      new LabScriptError(
        t === undefined ? { line: lineNo, col: line.length + 1 } : { line: lineNo, col: t.col },
        reason,
      );
    const pos: Pos = { line: lineNo, col: first.col };
    const current = (): StepDraft => {
      const d = drafts[drafts.length - 1];
      if (!d) throw at(first, `'${keyword}' belongs to a step: put a 'step' line before it`);
      return d;
    };
    const lang = (t: Token | undefined, usage: string): Lang => {
      const l = t?.text.toLowerCase();
      if (l !== 'en' && l !== 'es') throw at(t, usage);
      return l;
    };
    const words = (from: number, usage: string): string => {
      const rest = tokens.slice(from);
      if (rest.length === 0) throw at(undefined, usage);
      return rest.map((t) => t.text).join(' ');
    };
    switch (keyword) {
      case 'scenario': {
        if (id !== null) throw at(first, "a scenario has one 'scenario' line");
        if (drafts.length > 0 || declared.size > 0)
          throw at(first, "'scenario' comes first, before any server or step");
        const t = tokens[1];
        if (t === undefined || tokens.length > 2 || !ID_RE.test(t.text))
          throw at(
            tokens[tokens.length > 2 ? 2 : 1],
            'scenario needs an id: lower-case letters, digits and -, e.g. scenario partial-resync',
          );
        id = t.text;
        return;
      }
      case 'title': {
        const usage = 'title needs: title en|es "TEXT"';
        const l = lang(tokens[1], usage);
        title[l] = words(2, usage);
        return;
      }
      case 'step': {
        if (tokens.length > 1)
          throw at(tokens[1], "'step' stands alone: the narration goes in 'say' lines");
        drafts.push({
          pos,
          firstLine: lineNo,
          say: { en: [], es: [] },
          notes: { en: [], es: [] },
          highlights: [],
          quotes: [],
          asks: [],
        });
        return;
      }
      case 'say':
      case 'note': {
        const usage = `${keyword} needs: ${keyword} en|es "TEXT"`;
        const d = current();
        const l = lang(tokens[1], usage);
        (keyword === 'say' ? d.say : d.notes)[l].push(words(2, usage));
        return;
      }
      case 'highlight': {
        const usage = 'highlight needs: highlight wire|offset|backlog|why|log|card|clock [NAME]';
        const d = current();
        const part = tokens[1]?.text.toLowerCase();
        if (part === undefined || !PARTS.has(part)) throw at(tokens[1], usage);
        const name = tokens[2];
        if (PER_SERVER.has(part) && name === undefined)
          throw at(undefined, `highlight ${part} needs the server's name`);
        if (name !== undefined && !declared.has(name.text))
          throw at(name, `unknown server '${name.text}'`);
        if (tokens.length > 3) throw at(tokens[3], usage);
        d.highlights.push({ part: part as HighlightPart, server: name?.text ?? null });
        return;
      }
      case 'ask': {
        const usage = 'ask needs: ask resync|offset|bytes NAME';
        const d = current();
        const kind = tokens[1]?.text.toLowerCase();
        if (kind !== 'resync' && kind !== 'offset' && kind !== 'bytes') throw at(tokens[1], usage);
        const name = tokens[2];
        if (name === undefined) throw at(name, usage);
        if (!declared.has(name.text)) throw at(name, `unknown server '${name.text}'`);
        if (tokens.length > 3) throw at(tokens[3], usage);
        if (d.asks.some((a) => a.kind === kind && a.replica === name.text))
          throw at(tokens[1], `this step already asks ${kind} ${name.text}`);
        d.asks.push({ pos, kind, replica: name.text });
        return;
      }
      case 'twin': {
        const usage =
          'twin needs: twin "LAB LINE" "REPLACEMENT", or twin en|es "LABEL" "TWIN LABEL"';
        twinPos ??= pos;
        const l = tokens[1]?.text.toLowerCase();
        if ((l === 'en' || l === 'es') && tokens.length !== 3) {
          if (tokens.length !== 4) throw at(tokens[Math.min(tokens.length, 4)], usage);
          twinLabels[l] = [tokens[2]!.text, tokens[3]!.text];
          return;
        }
        if (tokens.length !== 3) throw at(tokens[Math.min(tokens.length, 3)], usage);
        swaps.push({
          pos: { line: lineNo, col: tokens[1]!.col },
          from: tokens[1]!.text,
          to: tokens[2]!.text,
        });
        return;
      }
      case 'quote': {
        const usage = 'quote needs: quote NAME "a line of its log"';
        const d = current();
        const name = tokens[1];
        if (name === undefined) throw at(name, usage);
        if (!declared.has(name.text)) throw at(name, `unknown server '${name.text}'`);
        d.quotes.push({ pos, server: name.text, text: words(2, usage) });
        return;
      }
    }
  });

  if (id === null)
    throw new LabScriptError({ line: 1, col: 1 }, "a scenario starts with 'scenario ID'");
  for (const l of LANGS)
    if (title[l] === null)
      throw new LabScriptError(
        { line: 1, col: 1 },
        `the scenario has no title in ${LANG_NAMES[l]} (title ${l} "…")`,
      );
  if (drafts.length === 0)
    throw new LabScriptError({ line: lines.length, col: 1 }, "a scenario has at least one 'step'");
  for (const [i, d] of drafts.entries())
    for (const l of LANGS)
      if (d.say[l].length === 0)
        throw new LabScriptError(
          d.pos,
          `step ${i + 1} says nothing in ${LANG_NAMES[l]}: add a line 'say ${l} "…"'`,
        );

  const script = parseScript(labLines.join('\n'));
  let twin: Twin | null = null;
  if (twinPos !== null) {
    if (swaps.length === 0)
      throw new LabScriptError(
        twinPos,
        'the twin changes nothing: add twin "LAB LINE" "REPLACEMENT"',
      );
    for (const sw of swaps)
      if (!labLines.some((l) => lineKey(l) === lineKey(sw.from)))
        throw new LabScriptError(sw.pos, `twin: no lab line reads "${sw.from}"`);
    for (const l of LANGS)
      if (twinLabels[l] === null)
        throw new LabScriptError(
          twinPos,
          `the twin has no names in ${LANG_NAMES[l]} (twin ${l} "LABEL" "TWIN LABEL")`,
        );
    twin = { swaps, labels: { en: twinLabels.en!, es: twinLabels.es! } };
  }
  const firstStepLine = drafts[0]?.firstLine ?? Infinity;
  const steps = drafts.map((d, i): ScenarioStep => {
    const end = drafts[i + 1]?.firstLine ?? Infinity;
    return {
      pos: d.pos,
      statements: script.statements.filter((s) => s.pos.line > d.firstLine && s.pos.line < end),
      say: { en: d.say.en.join(' '), es: d.say.es.join(' ') },
      notes: { en: d.notes.en.join(' '), es: d.notes.es.join(' ') },
      highlights: d.highlights,
      quotes: d.quotes,
      asks: d.asks,
    };
  });
  const sc: Scenario = {
    id,
    title: { en: title.en ?? '', es: title.es ?? '' },
    setup: script.statements.filter((s) => s.pos.line < firstStepLine),
    steps,
    text,
    twin,
  };
  // The twin must be a scenario too: a replacement that does not parse is this file's mistake.
  if (twin) {
    try {
      twinOf(sc);
    } catch (e) {
      if (!(e instanceof LabScriptError)) throw e;
      // The twin keeps the file's line numbers: the mistake is on the line a swap replaced.
      const replaced = lineKey(lines[e.line - 1] ?? '');
      const at = swaps.find((x) => lineKey(x.from) === replaced) ?? swaps[0]!;
      throw new LabScriptError(at.pos, `twin: ${e.reason}`);
    }
  }
  return sc;
}

/** The twin run of a scenario: its text with the twin's lines replaced (and no twin), or null. */
export function twinOf(sc: Scenario): Scenario | null {
  if (!sc.twin) return null;
  const swaps = sc.twin.swaps;
  const lines = sc.text.split('\n').map((raw) => {
    const key = lineKey(raw);
    if (/^twin(\s|$)/i.test(key)) return '';
    const sw = swaps.find((x) => lineKey(x.from) === key);
    return sw ? sw.to : raw;
  });
  return parseScenario(lines.join('\n'));
}

const LANG_NAMES: Readonly<Record<Lang, string>> = { en: 'English', es: 'Spanish' };

/** Whether a text is a scenario (its first non-comment line is `scenario ID`). */
export function isScenarioText(text: string): boolean {
  for (const raw of text.split('\n')) {
    const t = tokenizeLine(raw.replace(/\r$/, ''));
    if (!t.ok) return false;
    const first = t.tokens[0];
    if (first === undefined) continue;
    return first.text.toLowerCase() === 'scenario';
  }
  return false;
}

/**
 * A quote that the log of its server does not prove, or null. `logOf` gives a server's log lines
 * (null for a server that is not there).
 */
export function unprovenQuote(
  quotes: readonly Quote[],
  logOf: (server: string) => readonly string[] | null,
): LabScriptError | null {
  for (const q of quotes) {
    const log = logOf(q.server);
    if (log === null)
      return new LabScriptError(q.pos, `quote: '${q.server}' is not in the lab at this step`);
    if (!log.some((l) => l.includes(q.text)))
      return new LabScriptError(
        q.pos,
        `quote: ${q.server}'s log has no line containing "${q.text}"`,
      );
  }
  return null;
}

/** The answer a PSYNC decision gives to a prediction. */
export function answerOf(
  kind: AskKind,
  d: { readonly result: string; readonly offset: number; readonly bytes: number },
): string {
  if (kind === 'resync') return d.result === 'continue' ? 'partial' : 'full';
  if (kind === 'offset') return String(d.offset);
  return String(d.result === 'continue' ? d.bytes : 0);
}

/** The key of a prediction among a lesson's answers: step (1-based), what, whose. */
export function askKey(step: number, kind: AskKind, replica: string): string {
  return `${step}:${kind}:${replica}`;
}
