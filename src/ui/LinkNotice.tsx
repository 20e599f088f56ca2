import { fill, useT } from './i18n';
import { shortValue, type LinkProblem } from './urlParams';

/**
 * What the address asked for that the lab could not show (an unknown theme, a step past the
 * lesson's end…), and what it shows instead. It stays until dismissed. The values are the
 * link's own text, shown as text.
 */
export function LinkNotice({
  problems,
  dismiss,
}: {
  problems: readonly LinkProblem[];
  dismiss: () => void;
}) {
  const { t } = useT();
  if (problems.length === 0) return null;
  return (
    <div className="rl-link-notice" role="status" data-testid="link-notice">
      <div>
        {problems.map((p, i) => (
          <p key={i}>
            {fill(t('linkProblem'), { param: p.param, value: shortValue(p.value), shown: p.shown })}
          </p>
        ))}
      </div>
      <button
        type="button"
        className="rl-btn rl-btn-ghost"
        aria-label={t('linkNoticeDismiss')}
        title={t('linkNoticeDismiss')}
        onClick={dismiss}
      >
        ×
      </button>
    </div>
  );
}
