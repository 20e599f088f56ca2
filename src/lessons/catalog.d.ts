/** The built-in lessons' ids and titles (scripts/vite/lessonCatalog.ts). */
declare module 'virtual:lesson-catalog' {
  const catalog: ReadonlyArray<{
    readonly id: string;
    readonly title: Readonly<Record<'en' | 'es', string>>;
  }>;
  export default catalog;
}
