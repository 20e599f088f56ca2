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

export type TKey = keyof typeof en;

/** The languages loaded so far (English always); a view re-renders when one arrives. */
const dicts: Partial<Record<Lang, { strings: Dict; links: Readonly<Record<LinkState, string>> }>> =
  { en: { strings: en, links: enLinks } };
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

/** A PSYNC check's reason in the UI's language, with the numbers from the engine. */
export function checkDetail(r: PsyncReason, lang: Lang): string {
  const es = lang === 'es';
  switch (r.k) {
    case 'no-replid':
      return es
        ? 'La réplica no conoce ningún ID de replicación (PSYNC ? -1): pide una sincronización completa.'
        : 'The replica knows no replication ID (PSYNC ? -1): it asked for a full resync.';
    case 'replid-mismatch':
      return es
        ? `El ID ${short(r.replid)} no es master_replid (${short(r.id1)}) ni master_replid2 (${short(r.id2)}).`
        : `Replication ID ${short(r.replid)} is neither master_replid (${short(r.id1)}) nor master_replid2 (${short(r.id2)}).`;
    case 'replid2-too-far':
      return es
        ? `El ID es master_replid2, pero el offset ${r.offset} pasa de second_repl_offset ${r.second}.`
        : `Replication ID is master_replid2, but offset ${r.offset} is past second_repl_offset ${r.second}.`;
    case 'replid-match':
      return es ? 'El ID coincide con master_replid.' : 'Replication ID matches master_replid.';
    case 'replid2-match':
      return es
        ? `El ID coincide con master_replid2 y ${r.offset} ≤ second_repl_offset ${r.second}.`
        : `Replication ID matches master_replid2 and ${r.offset} ≤ second_repl_offset ${r.second}.`;
    case 'backlog':
      return r.exists
        ? es
          ? 'El maestro tiene backlog.'
          : 'The master has a backlog.'
        : es
          ? 'El maestro no tiene backlog.'
          : 'The master has no backlog.';
    case 'in-range':
      return es
        ? `El offset ${r.offset} está en el backlog [${r.first}, ${r.last}].`
        : `Offset ${r.offset} lies in the backlog [${r.first}, ${r.last}].`;
    case 'before-backlog':
      return es
        ? `El offset ${r.offset} se salió del backlog, que empieza en ${r.first}.`
        : `Offset ${r.offset} fell out of the backlog, which starts at ${r.first}.`;
    case 'after-backlog':
      return es
        ? `El offset ${r.offset} pasa del final del backlog, ${r.last}.`
        : `Offset ${r.offset} is past the backlog's end ${r.last}.`;
  }
}
