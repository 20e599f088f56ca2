import { useEffect } from 'react';
import { MAX_REPLICAS, useLab } from '../store';
import type { Notice as NoticeData } from '../store';
import { fill, useT } from './i18n';

/** A notice stays this long (real ms) unless the next action or a dismissal takes it away first. */
const NOTICE_MS = 6000;

function noticeText(n: NoticeData, t: ReturnType<typeof useT>['t']): string {
  if (n.code === 'maxReplicas') return fill(t('noticeMax'), { n: MAX_REPLICAS });
  if (n.code === 'exportTooLong') return fill(t('noticeExportTooLong'), { n: n.text });
  return fill(t('noticeLab'), { text: n.text });
}

/**
 * The last error notice, in the UI's language. It goes by itself after a few seconds, on the next
 * click or key press, and (in the store) with the next intention, a reset or a language change.
 */
export function Notice() {
  const notice = useLab((s) => s.notice);
  const dismiss = useLab((s) => s.dismissNotice);
  const { t } = useT();
  useEffect(() => {
    if (!notice) return;
    const id = notice.id;
    const timer = window.setTimeout(() => dismiss(id), NOTICE_MS);
    // Attached after the action that raised it: the next one takes it away.
    const next = () => dismiss(id);
    window.addEventListener('pointerdown', next, true);
    window.addEventListener('keydown', next, true);
    return () => {
      window.clearTimeout(timer);
      window.removeEventListener('pointerdown', next, true);
      window.removeEventListener('keydown', next, true);
    };
  }, [notice, dismiss]);
  if (!notice?.error) return null;
  return (
    <p className="rl-notice" role="alert" key={notice.id} data-testid="notice">
      {noticeText(notice, t)}
    </p>
  );
}
