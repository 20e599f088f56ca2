/**
 * UI chrome in English and Spanish. Accessible names of the public controls stay English, but
 * for a control whose visible words must be part of its name (WCAG 2.5.3, a speech user says
 * what they see): the network and Promote buttons on a card.
 */
import type { Lang, LinkState } from '../store/types';
import { useLab } from '../store';
import type { PsyncReason } from '../engine/events';
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { en, enLinks, type Dict } from './i18n.en';

export type TKey = keyof Dict;

/** English: the first load's strings, then the later panels' as they arrive (`addEnglish`). */
const enStrings = { ...en } as Record<TKey, string>;

/** The later panels' English strings (i18n.later.ts, imported by each of them). */
export function addEnglish(later: Partial<Dict>): void {
  Object.assign(enStrings, later);
}

/** The languages loaded so far (English always); a view re-renders when one arrives. */
const dicts: Partial<Record<Lang, { strings: Dict; links: Readonly<Record<LinkState, string>> }>> =
  { en: { strings: enStrings, links: enLinks } };
const loads: Partial<Record<Lang, Promise<void>>> = {};
let loadedCount = 1;
const listeners = new Set<() => void>();

/**
 * Loads a language's strings (once; again after a failed attempt). The app waits for it before
 * its first render in that language; a switch shows English until it is here (a few ms).
 */
export function loadLanguage(lang: Lang): Promise<void> {
  if (dicts[lang]) return Promise.resolve();
  loads[lang] ??= import('./i18n.es').then(
    (m) => {
      dicts.es = { strings: m.es, links: m.esLinks };
      loadedCount++;
      for (const f of listeners) f();
    },
    (e: unknown) => {
      delete loads[lang];
      throw e;
    },
  );
  return loads[lang];
}

function subscribeLanguages(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

const languageOf = (lang: Lang) => dicts[lang] ?? dicts.en!;

/** A text in a language, for what is drawn outside the lab's store (a panel's error boundary). */
export function translate(lang: Lang, k: TKey): string {
  return languageOf(lang).strings[k];
}

export function useT(): { t: (k: TKey) => string; link: (l: LinkState) => string; lang: Lang } {
  const lang = useLab((s) => s.lang);
  useSyncExternalStore(subscribeLanguages, () => loadedCount);
  useEffect(() => {
    loadLanguage(lang).catch(() => {});
  }, [lang]);
  // The same functions while the strings stay (English until the language's file has loaded): a
  // reader's memos keyed on `t` stay valid from one frame to the next.
  const dict = languageOf(lang);
  return useMemo(
    () => ({ t: (k: TKey) => dict.strings[k], link: (l: LinkState) => dict.links[l], lang }),
    [dict, lang],
  );
}

/** A translated template with its `{name}` placeholders filled in (values are plain text). */
export function fill(template: string, params: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

const short = (id: string): string => (/^[0-9a-f]{40}$/.test(id) ? `${id.slice(0, 8)}…` : id);

/** A PSYNC check's reason's words, by its kind. */
const REASONS: Readonly<Record<PsyncReason['k'], TKey>> = {
  'no-replid': 'reasonNoReplid',
  'replid-mismatch': 'reasonReplidMismatch',
  'replid2-too-far': 'reasonReplid2TooFar',
  'replid-match': 'reasonReplidMatch',
  'replid2-match': 'reasonReplid2Match',
  backlog: 'reasonBacklog',
  'in-range': 'reasonInRange',
  'before-backlog': 'reasonBeforeBacklog',
  'after-backlog': 'reasonAfterBacklog',
};

/** A PSYNC check's reason in the UI's language, with the numbers (and IDs) from the engine. */
export function checkDetail(r: PsyncReason, lang: Lang): string {
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(r)) params[k] = typeof v === 'string' ? short(v) : Number(v);
  return fill(
    translate(lang, r.k === 'backlog' && !r.exists ? 'reasonNoBacklog' : REASONS[r.k]),
    params,
  );
}
