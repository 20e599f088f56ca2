import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { lazyPanel } from './ui/lazyPanel';
import { embedFromUrl } from './ui/embed';
import { readStartOptions } from './ui/urlParams';
import './ui/styles.css';
import './ui/layout.css';
import './ui/lesson.css';
import './ui/presenter.css';

const PresenterView = lazyPanel(() => import('./ui/PresenterView').then((m) => m.PresenterView));

const el = document.getElementById('root');
if (el) {
  const params = new URLSearchParams(location.search);
  // The URL's language (else the browser's), theme and speed; what it got wrong is shown.
  const { options, problems } = readStartOptions(location.search, navigator.language);
  const lang = options.lang;
  createRoot(el).render(
    <StrictMode>
      {params.get('presenter') === '1' ? (
        <PresenterView lang={lang} />
      ) : (
        <App embed={embedFromUrl(location.search)} options={options} linkProblems={problems} />
      )}
    </StrictMode>,
  );
}
