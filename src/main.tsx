import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import './ui/styles.css';
import './ui/layout.css';
import './ui/lesson.css';

const el = document.getElementById('root');
if (el) {
  const params = new URLSearchParams(location.search);
  const speed = Number(params.get('speed'));
  createRoot(el).render(
    <StrictMode>
      <App
        options={{
          speed: Number.isFinite(speed) && speed > 0 ? speed : 1,
          // The URL's language, else the browser's.
          lang:
            (params.get('lang') ??
              (navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en')) === 'es'
              ? 'es'
              : 'en',
          theme:
            params.get('theme') === 'dark' || params.get('theme') === 'projector'
              ? (params.get('theme') as 'dark' | 'projector')
              : 'light',
        }}
      />
    </StrictMode>,
  );
}
