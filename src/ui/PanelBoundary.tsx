/**
 * A panel's error boundary: a bug in one panel (a render that throws, a lazy chunk that fails to
 * load) shows "This panel hit a bug" and a Retry button in that panel's place, in the lab's
 * language, while the rest of the app keeps working. Retry mounts the panel afresh.
 */
import { Component, createContext, useContext, type ErrorInfo, type ReactNode } from 'react';
import type { Lang } from '../store/types';
import { translate } from './i18n';

/** The language the fallbacks speak (the lab's; English outside it). */
export const PanelLang = createContext<Lang>('en');

interface Props {
  /** What the panel is, for the fallback's label and for tests (`data-panel`). */
  readonly name: string;
  /** Called before the panel is mounted again (a lazy panel forgets its failed load). */
  readonly onRetry?: () => void;
  readonly children: ReactNode;
}

interface State {
  readonly failed: boolean;
  /** Bumped by Retry, so the panel's tree is mounted anew. */
  readonly attempt: number;
}

export class PanelBoundary extends Component<Props, State> {
  override state: State = { failed: false, attempt: 0 };

  static getDerivedStateFromError(): Partial<State> {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`Resync Lab: the ${this.props.name} panel hit a bug`, error, info.componentStack);
  }

  private readonly retry = (): void => {
    this.props.onRetry?.();
    this.setState((s) => ({ failed: false, attempt: s.attempt + 1 }));
  };

  override render(): ReactNode {
    if (this.state.failed) return <PanelBug name={this.props.name} retry={this.retry} />;
    return <Attempt key={this.state.attempt}>{this.props.children}</Attempt>;
  }
}

function Attempt({ children }: { children: ReactNode }) {
  return children;
}

function PanelBug({ name, retry }: { name: string; retry: () => void }) {
  const lang = useContext(PanelLang);
  return (
    <section className="rl-panel rl-panel-bug" role="alert" aria-label={name} data-panel={name}>
      <p>{translate(lang, 'panelBug')}</p>
      <button type="button" className="rl-btn" onClick={retry}>
        {translate(lang, 'panelRetry')}
      </button>
    </section>
  );
}
