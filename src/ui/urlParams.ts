/**
 * What a link's address asks for, checked: `lang`, `theme` and `speed` (read before the lab starts,
 * main.tsx), `step` and `version` (read with the lesson, lessonUrl.ts). A value the lab does not
 * know is not an error: the lab opens with a default, and the link notice says what it showed
 * instead (the value as text, however hostile).
 */
import type { Lang, Theme } from '../store/types';

/** A parameter of the address the lab could not honour, and what it shows instead. */
export interface LinkProblem {
  readonly param: string;
  readonly value: string;
  readonly shown: string;
}

const THEMES: readonly Theme[] = ['light', 'dark', 'projector'];
const MIN_SPEED = 0.25;
const MAX_SPEED = 10;

export interface StartOptions {
  readonly lang: Lang;
  readonly theme: Theme;
  readonly speed: number;
}

/** `lang`, `theme` and `speed` of an address (`location.search`), with what was wrong in them. */
export function readStartOptions(
  search: string,
  browserLang: string,
): { options: StartOptions; problems: LinkProblem[] } {
  const p = new URLSearchParams(search);
  const problems: LinkProblem[] = [];
  // Without `lang`, the browser's language.
  const fallbackLang: Lang = browserLang.toLowerCase().startsWith('es') ? 'es' : 'en';
  const langParam = p.get('lang');
  let lang = fallbackLang;
  if (langParam === 'en' || langParam === 'es') lang = langParam;
  else if (langParam !== null) problems.push({ param: 'lang', value: langParam, shown: lang });

  const themeParam = p.get('theme');
  let theme: Theme = 'light';
  if (themeParam !== null && (THEMES as readonly string[]).includes(themeParam))
    theme = themeParam as Theme;
  else if (themeParam !== null) problems.push({ param: 'theme', value: themeParam, shown: theme });

  const speedParam = p.get('speed');
  let speed = 1;
  if (speedParam !== null) {
    const n = /^\s*[0-9.eE+-]+\s*$/.test(speedParam) ? Number(speedParam) : NaN;
    if (Number.isFinite(n) && n >= MIN_SPEED && n <= MAX_SPEED) speed = n;
    else {
      speed = Number.isFinite(n) && n > 0 ? Math.min(MAX_SPEED, Math.max(MIN_SPEED, n)) : 1;
      problems.push({ param: 'speed', value: speedParam, shown: `${speed}×` });
    }
  }
  return { options: { lang, theme, speed }, problems };
}

/** A `step` parameter: a whole number from 0; anything else is a problem (step 0 is shown). */
export function readStep(value: string | null): { step: number; problem: LinkProblem | null } {
  if (value === null) return { step: 0, problem: null };
  if (/^\d{1,6}$/.test(value)) return { step: Number(value), problem: null };
  return { step: 0, problem: { param: 'step', value, shown: '0' } };
}

/** A value as the notice shows it: text, cut short when long. */
export function shortValue(value: string): string {
  return value.length > 80 ? `${value.slice(0, 80)}…` : value;
}
