import { domAnimation, LazyMotion, m, MotionConfig, type HTMLMotionProps } from 'framer-motion';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useLab } from '../store';
import { fill, useT } from './i18n';
import './i18n.later';

const KEYS: ReadonlyArray<[string, { en: string; es: string }]> = [
  ['Space', { en: 'Play / pause', es: 'Reproducir / pausa' }],
  ['s', { en: 'Step to the next engine event', es: 'Avanzar al siguiente evento' }],
  ['n', { en: 'Skip to the next interesting event', es: 'Saltar al siguiente evento interesante' }],
  ['w', { en: 'Write key on the master', es: 'Escribir una clave en el maestro' }],
  ['PageDown / →', { en: 'Next step of the lesson', es: 'Siguiente paso de la lección' }],
  ['PageUp / ←', { en: 'Previous step of the lesson', es: 'Paso anterior de la lección' }],
  [
    'r',
    {
      en: 'Reset (asks first when it would throw work away)',
      es: 'Reiniciar (pregunta antes si se perdería trabajo)',
    },
  ],
  [
    '1 / 2 / 3',
    {
      en: 'Stop / restore replica N’s network',
      es: 'Parar / restaurar la red de la réplica N',
    },
  ],
  [
    'Enter / Space',
    {
      en: 'On a focused wire: stop / restore that replica’s network',
      es: 'Sobre un cable con el foco: parar / restaurar la red de esa réplica',
    },
  ],
  [
    ', / .',
    {
      en: 'On the timeline: previous / next mark (step, cut, command, PSYNC…)',
      es: 'En la línea de tiempo: marca anterior / siguiente (paso, corte, comando, PSYNC…)',
    },
  ],
  [
    '← / → · Home / End',
    {
      en: 'In the player’s toolbar: previous / next control, first / last',
      es: 'En la barra del reproductor: control anterior / siguiente, primero / último',
    },
  ],
  ['a', { en: 'Add replica', es: 'Añadir réplica' }],
  ['+ / -', { en: 'Faster / slower', es: 'Más rápido / más lento' }],
  ['t', { en: 'Next theme', es: 'Siguiente tema' }],
  ['l', { en: 'English / español', es: 'English / español' }],
  ['?', { en: 'This help', es: 'Esta ayuda' }],
];

/** Tab and Shift+Tab go round the dialog's own controls, never to the lab behind it. */
function keepTabInside(e: KeyboardEvent<HTMLElement>) {
  if (e.key !== 'Tab') return;
  const all = [...e.currentTarget.querySelectorAll<HTMLElement>('button, input, select, a[href]')];
  const first = all[0];
  const last = all.at(-1);
  if (!first || !last) return;
  const at = all.indexOf(document.activeElement as HTMLElement);
  if (e.shiftKey && at <= 0) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && (at === -1 || at === all.length - 1)) {
    e.preventDefault();
    first.focus();
  }
}

/**
 * A dialog's box, dropping into place as it opens (framer-motion; a transform only, so its text is
 * never half transparent; still under reduced motion).
 */
function DialogBox(props: HTMLMotionProps<'div'>) {
  return (
    <LazyMotion features={domAnimation} strict>
      <MotionConfig reducedMotion="user">
        <m.div
          {...props}
          initial={{ y: -14, scale: 0.97 }}
          animate={{ y: 0, scale: 1 }}
          transition={{ duration: 0.18, ease: 'easeOut' }}
        />
      </MotionConfig>
    </LazyMotion>
  );
}

/** "Reset the lab?": asked before a reset (the `r` key) throws work away. */
function ResetConfirm() {
  const open = useLab((s) => s.confirmReset);
  const lost = useLab((s) => s.history.length - s.sceneStatements);
  const setOpen = useLab((s) => s.setConfirmReset);
  const reset = useLab((s) => s.reset);
  const ref = useRef<HTMLDivElement>(null);
  const { t } = useT();
  if (!open) return null;
  // Back to the lab's root, where the shortcuts work, once the question is answered.
  const done = (yes: boolean) => {
    const home = ref.current?.closest<HTMLElement>('.rl-root');
    if (yes) reset();
    else setOpen(false);
    home?.focus({ preventScroll: true });
  };
  return (
    <div className="rl-help-backdrop" onClick={() => done(false)}>
      <DialogBox
        ref={ref}
        className="rl-help rl-confirm"
        role="alertdialog"
        aria-modal="true"
        aria-label="Reset the lab?"
        aria-describedby="rl-confirm-text"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={keepTabInside}
      >
        <h2 className="rl-panel-title">{t('resetAsk')}</h2>
        <p id="rl-confirm-text">
          {lost === 1 ? t('resetLoseOne') : fill(t('resetLose'), { n: lost })}
        </p>
        <div className="rl-confirm-actions">
          <button
            type="button"
            className="rl-btn rl-btn-primary"
            aria-label="Confirm reset"
            onClick={() => done(true)}
          >
            ⟲ {t('reset')} <kbd>r</kbd>
          </button>
          <button
            type="button"
            className="rl-btn"
            aria-label="Cancel reset"
            autoFocus
            onClick={() => done(false)}
          >
            {t('cancel')} <kbd>Esc</kbd>
          </button>
        </div>
      </DialogBox>
    </div>
  );
}

/**
 * The shortcuts. Focus goes to its Close button, stays inside while it is open, and then goes back
 * where it was: the control that opened it, or "⋯" when that control was in the popover (which
 * closed), or else the lab's root.
 */
function Shortcuts() {
  const close = useLab((s) => s.setHelpOpen);
  const { t, lang } = useT();
  // Read before this dialog's autofocus moves it.
  const [opener] = useState(() => document.activeElement);
  const box = useRef<HTMLDivElement>(null);
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => title.current?.focus(), []);
  useEffect(() => {
    const root = box.current?.closest<HTMLElement>('.rl-root');
    return () => {
      const more = root?.querySelector<HTMLElement>('.rl-more-btn');
      const back =
        opener instanceof HTMLElement &&
        opener !== document.body &&
        opener.isConnected &&
        opener.checkVisibility()
          ? opener
          : more?.checkVisibility()
            ? more
            : root;
      back?.focus({ preventScroll: true });
    };
  }, [opener]);
  return (
    <div className="rl-help-backdrop" onClick={() => close(false)}>
      <DialogBox
        ref={box}
        className="rl-help"
        role="dialog"
        aria-modal="true"
        aria-label={t('keys')}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={keepTabInside}
      >
        {/* The title takes the focus (APG dialog pattern): on a phone the list is longer than the
            screen, and focusing Close would scroll the list's start out of view. Tab goes on to
            Close. */}
        <h2 ref={title} className="rl-panel-title" tabIndex={-1}>
          {t('keys')}
        </h2>
        <table className="rl-help-table">
          <tbody>
            {KEYS.map(([k, d]) => (
              <tr key={k}>
                <td>
                  <kbd>{k}</kbd>
                </td>
                <td>{d[lang]}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" className="rl-btn" onClick={() => close(false)}>
          {t('close')}
        </button>
      </DialogBox>
    </div>
  );
}

export function Help() {
  const open = useLab((s) => s.helpOpen);
  return (
    <>
      {open ? <Shortcuts /> : null}
      <ResetConfirm />
    </>
  );
}
