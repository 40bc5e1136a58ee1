import { useCallback, useEffect, useRef, useState } from 'react';
import { handleError, showNotice } from '../handle-error.ts';
import { currentLanguage } from '../i18n.ts';
import { drafts } from './drafts.ts';
import { FIELD_STRINGS } from './field-strings.ts';
import { EMPTY_DRAFT, isEmptyDraft, type ReportDraft } from './report-draft.ts';

/** Typing is stored this long after the last keystroke (and at once when the page is hidden). */
const DRAFT_SAVE_MS = 250;

/**
 * The form as typed, kept on the phone (web/field/drafts.ts): each change at once in a quick copy
 * of its fields, and in IndexedDB a moment later (at once when a photo comes or goes, and when the
 * page is hidden or left). Read back when the page opens: a reload or a closed tab loses nothing.
 * Null while it is read.
 */
export function useDraft(
  account: string,
): [ReportDraft | null, (change: (draft: ReportDraft) => ReportDraft) => void, (next: ReportDraft) => void] {
  const [draft, setDraft] = useState<ReportDraft | null>(null);
  const latest = useRef<{ draft: ReportDraft; updatedAt: number; saved: boolean } | null>(null);

  useEffect(() => {
    let cancelled = false;
    drafts
      .load(account)
      .then((stored) => {
        if (cancelled) return;
        const restored = stored ?? EMPTY_DRAFT;
        latest.current = { draft: restored, updatedAt: 0, saved: true };
        setDraft(restored);
        if (stored && !isEmptyDraft(stored)) showNotice(FIELD_STRINGS[currentLanguage()].draftRestored);
      })
      .catch((error: unknown) => {
        handleError(error);
        if (cancelled) return;
        // Nothing could be read: start empty, but do not let that empty form wipe what is stored.
        latest.current = { draft: EMPTY_DRAFT, updatedAt: 0, saved: true };
        setDraft(EMPTY_DRAFT);
      });
    return () => {
      cancelled = true;
    };
  }, [account]);

  const flush = useCallback(() => {
    const pending = latest.current;
    if (!pending || pending.saved) return;
    pending.saved = true;
    (isEmptyDraft(pending.draft) ? drafts.clear(account) : drafts.save(account, pending.draft, pending.updatedAt)).catch(
      handleError,
    );
  }, [account]);

  useEffect(() => {
    if (!draft || latest.current?.draft === draft) return;
    const photosChanged = latest.current?.draft.photos !== draft.photos;
    const updatedAt = Date.now();
    latest.current = { draft, updatedAt, saved: false };
    drafts.keepQuickly(account, draft, updatedAt);
    // A photo is worth a write of its own at once: the quick copy cannot hold it.
    if (photosChanged) {
      flush();
      return;
    }
    const timer = setTimeout(flush, DRAFT_SAVE_MS);
    return () => clearTimeout(timer);
  }, [account, draft, flush]);

  useEffect(() => {
    const onHide = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', onHide);
    return () => {
      window.removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', onHide);
      flush();
    };
  }, [flush]);

  const change = useCallback((update: (current: ReportDraft) => ReportDraft) => {
    setDraft((current) => (current ? update(current) : current));
  }, []);
  /** Replaces the draft without storing it (the outbox has just cleared the stored one). */
  const replace = useCallback((next: ReportDraft) => {
    latest.current = { draft: next, updatedAt: Date.now(), saved: true };
    setDraft(next);
  }, []);
  return [draft, change, replace];
}
