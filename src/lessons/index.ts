/**
 * The built-in lessons: every `*.lab` scenario in this folder (docs/scenarios.md), by id, in the
 * order a course takes them. A teacher's own scenario is opened from a file or a URL instead.
 *
 * Only their ids and titles are in the first load (`virtual:lesson-catalog`); a lesson's text is
 * fetched when it is first opened (`loadLesson`) and kept (`lessonText`).
 */
import catalog from 'virtual:lesson-catalog';

const files = import.meta.glob<string>('./*.lab', { query: '?raw', import: 'default' });
const idOf = (file: string): string => file.replace(/^\.\//, '').replace(/\.lab$/, '');
const loaders = new Map(Object.entries(files).map(([file, load]) => [idOf(file), load] as const));
const texts = new Map<string, string>();

/** The order of the built-in lessons in the chooser; any other file comes after, by name. */
const ORDER = [
  'full-resync',
  'partial-resync',
  'backlog-overflow',
  'replid-mismatch',
  'failover',
  'replica-restart',
  'resync-loop',
  'dual-channel',
  'free-play',
];

const rank = (id: string): number => {
  const i = ORDER.indexOf(id);
  return i < 0 ? ORDER.length : i;
};

/** The built-in lessons' ids and titles, in course order. */
export const LESSON_CATALOG = [...catalog].sort(
  (a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id),
);

/** A built-in lesson's text if it has been loaded, else undefined. */
export function lessonText(id: string): string | undefined {
  return texts.get(id);
}

/** A built-in lesson's text (fetched once); undefined when there is no such lesson. */
export async function loadLesson(id: string): Promise<string | undefined> {
  const have = texts.get(id);
  if (have !== undefined) return have;
  const load = loaders.get(id);
  if (!load) return undefined;
  const text = await load();
  texts.set(id, text);
  return text;
}

/** Every built-in lesson's text, in course order (tests, tools, the offline file). */
export async function loadAllLessons(): Promise<ReadonlyMap<string, string>> {
  const all = new Map<string, string>();
  for (const { id } of LESSON_CATALOG) all.set(id, (await loadLesson(id))!);
  return all;
}
