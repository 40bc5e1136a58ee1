import type { FormEvent, ReactNode } from 'react';
import { useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../api-client.ts';
import { handleError } from '../handle-error.ts';
import { useI18n } from '../i18n.ts';

interface FormDialogProps {
  title: string;
  children: ReactNode;
  submitLabel: string;
  /** A red submit button, for what cannot be taken back quietly (disabling, resetting a password). */
  danger?: boolean;
  /** Does the work; an `ApiError` it throws is shown in the dialog, which stays open to fix the input. */
  onSubmit: () => Promise<void>;
  onClose: () => void;
}

/**
 * A modal dialog (the native `<dialog>`): a confirmation, or a small form. The API's reason for a
 * refusal (username taken, weak password, scope outside yours) shows inside it, next to the input.
 */
export function FormDialog({ title, children, submitLabel, danger = false, onSubmit, onClose }: FormDialogProps) {
  const { t } = useI18n();
  const titleId = useId();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await onSubmit();
      onClose();
    } catch (failure) {
      setBusy(false);
      if (failure instanceof ApiError) setError(failure.message);
      else handleError(failure);
    }
  };

  return (
    <dialog
      ref={dialogRef}
      className="form-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onClose();
      }}
    >
      <form onSubmit={submit} noValidate>
        <h2 id={titleId}>{title}</h2>
        <div className="dialog-body">{children}</div>
        {error && (
          <p className="form-error" role="alert" data-testid="dialog-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" disabled={busy} onClick={onClose}>
            {t.cancel}
          </button>
          <button type="submit" className={`button ${danger ? 'danger-solid' : 'primary'}`} disabled={busy}>
            {busy ? t.working : submitLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** Thrown by a dialog's own check before anything is sent; shown like an API refusal. */
export function inputError(message: string): ApiError {
  return new ApiError(400, 'invalid_input', message);
}
