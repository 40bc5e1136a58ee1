import { useI18n } from '../i18n.ts';
import { applyUpdate, useUpdateWaiting } from './app-updates.ts';

/**
 * Says that a new version is downloaded and waiting, with a button to take it now; it stays, one
 * more card in the toast stack, until the version is taken. Without a tap it is taken when the page
 * is next hidden or opened (see app-updates.ts); either way only while no report is being sent.
 */
export function UpdateBanner() {
  const { t } = useI18n();
  const waiting = useUpdateWaiting();
  if (!waiting) return null;
  return (
    <div className="toast update-banner" data-kind="update" role="status" data-testid="update-banner">
      <div className="toast-text">
        <strong>{t.updateReady}</strong>
      </div>
      <button type="button" className="button primary" onClick={applyUpdate} data-testid="update-now">
        {t.updateNow}
      </button>
    </div>
  );
}
