import { useEffect, useId, useRef, useState } from 'react';
import { AppLink } from '../app-link.tsx';
import { FIELD_PAGE_TITLE } from '../field/field-strings.ts';
import { levelLabel, useI18n } from '../i18n.ts';
import { DrillToggle } from '../live/drill.tsx';
import { PLAYBACK_TITLE } from '../playback/playback-title.ts';
import { REVIEW_TITLE } from '../review/review-title.ts';
import {
  ADMIN_PAGES,
  adminPath,
  FIELD_PATH,
  mapUrl,
  PLAYBACK_PATH,
  REVIEW_PATH,
  SPECIAL_PATH,
  taskPath,
  useRoute,
  WORKFORCE_PATH,
} from '../routes.ts';
import { SPECIAL_TITLE } from '../special/register-strings.ts';
import { TASKS_TITLE } from '../tasks/tasks-title.ts';
import { WORKFORCE_TITLE } from '../workforce/workforce-strings.ts';
import { LanguageSwitch } from './language-switch.tsx';
import { useSession } from './session.ts';

/**
 * Who is signed in (name, role, area scope), always in view in the header; the button opens the
 * admin pages the role may see, the language switch on a phone, and signing out (here or everywhere).
 */
export function UserMenu({ showMapLink = false }: { showMapLink?: boolean }) {
  const { me, scope, can, signOut } = useSession();
  const { lang, t } = useI18n();
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [open]);

  const end = async (everywhere: boolean) => {
    setBusy(true);
    await signOut(everywhere);
    setBusy(false);
  };

  const roleLabel = me.roleLabel[lang];
  const scopeName = scope?.name ?? me.scopeCode;
  const adminPages = ADMIN_PAGES.filter((page) => can(page.action));
  // The phone page for reporting hazards, for every role that may report (and not on that page itself).
  const route = useRoute();
  const onFieldPage = route.page === 'field';
  const showFieldLink = can('reports.create') && !onFieldPage;
  const showPlaybackLink = can('patrols.view') && route.page !== 'playback';
  // The registers for those who see the people; the rules page for the county that sets them.
  const showSpecialLink = (can('special.personal') || can('special.rules')) && route.page !== 'special';
  const showWorkforceLink = can('review.view') && route.page !== 'workforce';
  const showReviewLink = can('review.view') && route.page !== 'review';
  const showTasksLink = can('tasks.view') && route.page !== 'tasks';

  return (
    <div className="user-menu" ref={rootRef} data-testid="user-menu">
      <button
        type="button"
        className="user-button"
        aria-expanded={open}
        aria-controls={panelId}
        title={t.accountMenu}
        onClick={() => setOpen((value) => !value)}
      >
        <span className="user-avatar" aria-hidden="true">
          {Array.from(me.displayName)[0] ?? '?'}
        </span>
        <span className="user-text" data-testid="signed-in-as">
          <span className="user-name">{me.displayName}</span>
          <span className="user-role">
            {roleLabel} · {scopeName}
          </span>
        </span>
      </button>
      {open && (
        <div className="user-panel" id={panelId}>
          <div className="user-who">
            <span className="muted">{t.signedInAs}</span>
            <strong className="user-who-name">{me.displayName}</strong>
            <span className="user-username">{me.username}</span>
          </div>
          <dl className="user-facts">
            <div>
              <dt>{t.role}</dt>
              <dd>{roleLabel}</dd>
            </div>
            <div>
              <dt>{t.scope}</dt>
              <dd>
                {scopeName}
                {scope && <small className="user-facts-note"> {levelLabel(lang, scope.level, scope.kind)}</small>}
                <small className="user-facts-note"> {me.scopeCode}</small>
              </dd>
            </div>
          </dl>
          {(adminPages.length > 0 ||
            showMapLink ||
            showFieldLink ||
            showPlaybackLink ||
            showSpecialLink ||
            showWorkforceLink ||
            showReviewLink ||
            showTasksLink) && (
            <nav className="user-links" aria-label={t.admin}>
              {showMapLink && (
                <AppLink href={mapUrl()} onClick={() => setOpen(false)}>
                  {t.backToMap}
                </AppLink>
              )}
              {showFieldLink && (
                <AppLink href={FIELD_PATH} onClick={() => setOpen(false)} data-testid="field-link">
                  {FIELD_PAGE_TITLE[lang]}
                </AppLink>
              )}
              {showPlaybackLink && (
                <AppLink href={PLAYBACK_PATH} onClick={() => setOpen(false)} data-testid="playback-link">
                  {PLAYBACK_TITLE[lang]}
                </AppLink>
              )}
              {showReviewLink && (
                <AppLink href={REVIEW_PATH} onClick={() => setOpen(false)} data-testid="review-link">
                  {REVIEW_TITLE[lang]}
                </AppLink>
              )}
              {showTasksLink && (
                <AppLink href={taskPath()} onClick={() => setOpen(false)} data-testid="tasks-link">
                  {TASKS_TITLE[lang]}
                </AppLink>
              )}
              {showSpecialLink && (
                <AppLink href={SPECIAL_PATH} onClick={() => setOpen(false)} data-testid="special-link">
                  {SPECIAL_TITLE[lang]}
                </AppLink>
              )}
              {showWorkforceLink && (
                <AppLink href={WORKFORCE_PATH} onClick={() => setOpen(false)} data-testid="workforce-link">
                  {WORKFORCE_TITLE[lang]}
                </AppLink>
              )}
              {adminPages.map((page) => (
                <AppLink key={page.section} href={adminPath(page.section)} onClick={() => setOpen(false)}>
                  {t[page.label]}
                </AppLink>
              ))}
            </nav>
          )}
          <DrillToggle />
          <LanguageSwitch className="menu-language" spelledOut />
          <div className="user-sign-out">
            <button type="button" className="button" disabled={busy} onClick={() => end(false)}>
              {t.signOut}
            </button>
            <button
              type="button"
              className="button danger"
              disabled={busy}
              onClick={() => end(true)}
              aria-describedby={`${panelId}-everywhere`}
            >
              {t.signOutEverywhere}
            </button>
            <small id={`${panelId}-everywhere`} className="muted sign-out-note">
              {t.signOutEverywhereNote}
            </small>
          </div>
        </div>
      )}
    </div>
  );
}
