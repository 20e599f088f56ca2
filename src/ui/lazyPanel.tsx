/**
 * Panels the first screen does not show (help, the RESP view, the lesson's predictions and twin,
 * the replication-ID lineage, the presenter view): each is its own chunk, fetched the first time
 * it is rendered. Until it arrives nothing is drawn in its place, as when it has nothing to show.
 */
import { lazy, Suspense, type ComponentType } from 'react';

export function lazyPanel<P extends object>(
  load: () => Promise<ComponentType<P>>,
): ComponentType<P> {
  const Lazy = lazy(async () => ({ default: await load() }));
  return function LazyPanel(props: P) {
    return (
      <Suspense fallback={null}>
        <Lazy {...props} />
      </Suspense>
    );
  };
}
