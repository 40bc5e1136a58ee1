import { useSyncExternalStore } from 'react';
import { currentToasts, dismissToast, subscribeToasts } from './handle-error.ts';
import { useI18n } from './i18n.ts';
import { UpdateBanner } from './offline/update-banner.tsx';

/** The toasts raised by `handleError` and `showNotice`, newest last; each closes itself after a few seconds. */
export function ToastStack() {
  const toasts = useSyncExternalStore(subscribeToasts, currentToasts);
  const { t } = useI18n();
  return (
    <section className="toast-stack" aria-live="assertive">
      {toasts.map((toast) => (
        <div key={toast.id} className="toast" data-kind={toast.kind} role={toast.kind === 'error' ? 'alert' : 'status'}>
          <div className="toast-text">
            <strong>{toast.title}</strong>
            <span>{toast.message}</span>
          </div>
          <button type="button" className="icon-button" aria-label={t.dismiss} onClick={() => dismissToast(toast.id)}>
            ×
          </button>
        </div>
      ))}
      <UpdateBanner />
    </section>
  );
}
