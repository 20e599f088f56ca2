/**
 * Panels the first screen does not show (help, the RESP view, the lesson's predictions and twin,
 * the replication-ID lineage, the presenter view): each is its own chunk, fetched the first time
 * it is rendered. Until it arrives nothing is drawn in its place, as when it has nothing to show.
 * A chunk that fails to load (or a panel that throws) shows the panel's error boundary; its Retry
 * loads the chunk again.
 */
import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import { PanelBoundary } from './PanelBoundary';

export function lazyPanel<P extends object>(
  load: () => Promise<ComponentType<P>>,
  /** What the panel is, for its error boundary. */
  name = 'lazy panel',
): ComponentType<P> {
  let failed = false;
  const fetchChunk = async () => {
    try {
      return { default: await load() };
    } catch (e) {
      failed = true;
      throw e;
    }
  };
  // React keeps a lazy component's failure: a Retry after a failed load needs a new one.
  let Lazy: LazyExoticComponent<ComponentType<P>> = lazy(fetchChunk);
  const retry = () => {
    if (!failed) return;
    failed = false;
    Lazy = lazy(fetchChunk);
  };
  function Loaded(props: P) {
    return <Lazy {...props} />;
  }
  return function LazyPanel(props: P) {
    return (
      <PanelBoundary name={name} onRetry={retry}>
        <Suspense fallback={null}>
          <Loaded {...props} />
        </Suspense>
      </PanelBoundary>
    );
  };
}
