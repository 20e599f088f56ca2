/**
 * The built-in lessons: every `*.lab` scenario in this folder (docs/scenarios.md), by id, in the
 * order a course takes them. A teacher's own scenario is opened from a file or a URL instead.
 */
const files = import.meta.glob<string>('./*.lab', {
  query: '?raw',
  import: 'default',
  eager: true,
});

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

/** id → scenario text. */
export const BUILT_IN_LESSONS: ReadonlyMap<string, string> = new Map(
  Object.entries(files)
    .map(([path, text]) => [path.replace(/^\.\//, '').replace(/\.lab$/, ''), text] as const)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b)),
);
