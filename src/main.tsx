import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { lazyPanel } from './ui/lazyPanel';
import { embedFromUrl } from './ui/embed';
import { loadLanguage } from './ui/i18n';
import { readStartOptions, type LinkProblem, type StartOptions } from './ui/urlParams';
import type { Lang } from './store/types';
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
  // Spanish strings come in their own file: the first render waits for them (it goes on in
  // English if they cannot be fetched).
  void loadLanguage(lang)
    .catch(() => {})
    .then(() => render(el, lang, params, options, problems));
}

function render(
  el: HTMLElement,
  lang: Lang,
  params: URLSearchParams,
  options: StartOptions,
  problems: readonly LinkProblem[],
): void {
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
