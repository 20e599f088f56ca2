import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { lazyPanel } from './ui/lazyPanel';
import { embedFromUrl } from './ui/embed';
import './ui/styles.css';
import './ui/layout.css';
import './ui/lesson.css';
import './ui/presenter.css';

const PresenterView = lazyPanel(() => import('./ui/PresenterView').then((m) => m.PresenterView));

const el = document.getElementById('root');
if (el) {
  const params = new URLSearchParams(location.search);
  const speed = Number(params.get('speed'));
  // The URL's language, else the browser's.
  const lang =
    (params.get('lang') ?? (navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en')) ===
    'es'
      ? 'es'
      : 'en';
  createRoot(el).render(
    <StrictMode>
      {params.get('presenter') === '1' ? (
        <PresenterView lang={lang} />
      ) : (
        <App
          embed={embedFromUrl(location.search)}
          options={{
            speed: Number.isFinite(speed) && speed > 0 ? speed : 1,
            lang,
            theme:
              params.get('theme') === 'dark' || params.get('theme') === 'projector'
                ? (params.get('theme') as 'dark' | 'projector')
                : 'light',
          }}
        />
      )}
    </StrictMode>,
  );
}
