/**
 * "Share this view": the link to the scenario and step on screen (the address bar the lab keeps,
 * lessonUrl.ts), a Copy button and the link as a QR code for a phone. This module and the QR
 * library are loaded only when the dialog first opens (TopBar). A native modal <dialog>: Escape
 * closes it, focus stays inside.
 */
import QRCode from 'qrcode';
import { useEffect, useRef, useState } from 'react';
import { useT } from './i18n';
import './i18n.later';

type QrState = 'drawing' | 'drawn' | 'tooLong';
type CopyState = 'idle' | 'copied' | 'failed';

export default function ShareDialog({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  // The address as it is now: the lab keeps the scenario, step, language and theme in it.
  const [url] = useState(() => location.href);
  const [qr, setQr] = useState<QrState>('drawing');
  const [copy, setCopy] = useState<CopyState>('idle');
  const { t } = useT();
  const titleId = 'rl-share-title';

  useEffect(() => {
    const d = dialog.current;
    // Opened once mounted; removed from the page (and the top layer) when the parent unmounts it.
    if (d && !d.open) d.showModal();
    input.current?.select();
  }, []);

  useEffect(() => {
    let live = true;
    const el = canvas.current;
    if (!el) return;
    // Black on white whatever the theme: what phone cameras read best.
    QRCode.toCanvas(el, url, {
      errorCorrectionLevel: 'M',
      margin: 2,
      width: 232,
      color: { dark: '#000000', light: '#ffffff' },
    })
      .then(() => {
        if (live) setQr('drawn');
      })
      .catch(() => {
        // A teacher's own scenario travels whole in the link: past ~2 kB no QR code holds it.
        if (live) setQr('tooLong');
      });
    return () => {
      live = false;
    };
  }, [url]);

  const onCopy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopy('copied');
    } catch {
      // No clipboard (an old browser, a refused permission): the link is selected to copy by hand.
      input.current?.select();
      setCopy('failed');
    }
  };

  return (
    <dialog
      ref={dialog}
      className="rl-help rl-share"
      aria-labelledby={titleId}
      data-testid="share-dialog"
      onClose={onClose}
      onClick={(e) => {
        // A click on the backdrop (the dialog element itself, outside its box) closes it.
        if (e.target === e.currentTarget) {
          const r = e.currentTarget.getBoundingClientRect();
          const inside =
            e.clientX >= r.left &&
            e.clientX <= r.right &&
            e.clientY >= r.top &&
            e.clientY <= r.bottom;
          if (!inside) e.currentTarget.close();
        }
      }}
    >
      <h2 className="rl-panel-title" id={titleId}>
        {t('shareTitle')}
      </h2>
      <p className="rl-muted">{t('shareIntro')}</p>
      {location.protocol === 'file:' ? <p className="rl-share-note">{t('shareFile')}</p> : null}
      <div className="rl-share-row">
        <input
          ref={input}
          className="rl-input rl-share-link"
          readOnly
          value={url}
          aria-label={t('shareLink')}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" className="rl-btn rl-btn-primary" onClick={() => void onCopy()}>
          {t('copy')}
        </button>
      </div>
      <p className="rl-share-status" role="status">
        {copy === 'copied' ? t('copied') : copy === 'failed' ? t('copyFailed') : ''}
      </p>
      {qr === 'tooLong' ? (
        <p className="rl-muted">{t('qrTooLong')}</p>
      ) : (
        <canvas
          ref={canvas}
          className="rl-share-qr"
          role="img"
          aria-label={t('qrLabel')}
          data-state={qr}
        />
      )}
      <form method="dialog" className="rl-confirm-actions">
        <button type="submit" className="rl-btn">
          {t('close')} <kbd>Esc</kbd>
        </button>
      </form>
    </dialog>
  );
}
