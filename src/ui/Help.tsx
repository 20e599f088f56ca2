import { useLab } from '../store';
import { useT } from './i18n';

const KEYS: ReadonlyArray<[string, { en: string; es: string }]> = [
  ['Space', { en: 'Play / pause', es: 'Reproducir / pausa' }],
  ['s', { en: 'Step to the next engine event', es: 'Avanzar al siguiente evento' }],
  ['n', { en: 'Skip to the next interesting event', es: 'Saltar al siguiente evento interesante' }],
  ['w', { en: 'Write key on the master', es: 'Escribir una clave en el maestro' }],
  ['r', { en: 'Reset', es: 'Reiniciar' }],
  [
    '1 / 2 / 3',
    { en: 'Cut / restore replica N network', es: 'Cortar / restaurar la red de la réplica N' },
  ],
  ['a', { en: 'Add replica', es: 'Añadir réplica' }],
  ['+ / -', { en: 'Faster / slower', es: 'Más rápido / más lento' }],
  ['t', { en: 'Next theme', es: 'Siguiente tema' }],
  ['l', { en: 'English / español', es: 'English / español' }],
  ['?', { en: 'This help', es: 'Esta ayuda' }],
];

export function Help() {
  const open = useLab((s) => s.helpOpen);
  const close = useLab((s) => s.setHelpOpen);
  const { t, lang } = useT();
  if (!open) return null;
  return (
    <div className="rl-help-backdrop" onClick={() => close(false)}>
      <div
        className="rl-help"
        role="dialog"
        aria-modal="true"
        aria-label={t('keys')}
        onClick={(e) => e.stopPropagation()}
      >
        <h2 className="rl-panel-title">{t('keys')}</h2>
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
        <button type="button" className="rl-btn" autoFocus onClick={() => close(false)}>
          {t('close')}
        </button>
      </div>
    </div>
  );
}
