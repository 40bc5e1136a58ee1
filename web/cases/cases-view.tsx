import './cases.css';
import { useEffect } from 'react';
import { AppLink } from '../app-link.tsx';
import { LanguageSwitch } from '../auth/language-switch.tsx';
import { useSession } from '../auth/session.ts';
import { UserMenu } from '../auth/user-menu.tsx';
import { useI18n } from '../i18n.ts';
import { useLiveInvalidation } from '../live/live-invalidation.ts';
import { LiveStatus } from '../live/live-status.tsx';
import { casePath, mapUrl } from '../routes.ts';
import { CaseDetailPage } from './case-detail-page.tsx';
import { CaseListPage, lastListUrl } from './case-list-page.tsx';
import { CASE_LIVE_INVALIDATIONS } from './case-queries.ts';
import { useCaseStrings } from './case-strings.ts';

/**
 * The desk pages of cases: the list (`/cases`) and one case (`/cases/{id}`), in the admin pages'
 * frame, with the live feed's state in the header. Roles without cases.view are told so.
 */
export function CasesView({ caseId }: { caseId: string | null }) {
  const { t } = useI18n();
  const { c } = useCaseStrings();
  const { can } = useSession();
  const allowed = can('cases.view');
  useLiveInvalidation(CASE_LIVE_INVALIDATIONS, allowed);

  useEffect(() => {
    document.title = `${caseId ? c.caseDetail : c.caseListTitle} · ${t.appTitleShort}`;
    return () => {
      document.title = t.appTitle;
    };
  }, [caseId, c, t]);

  return (
    <div className="admin-view cases-view">
      <header className="admin-top">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="admin-brand">{t.appTitleShort}</span>
        </div>
        <nav className="admin-tabs" aria-label={c.caseList}>
          <AppLink href={caseId ? lastListUrl() : casePath()} aria-current={caseId ? undefined : 'page'}>
            {c.caseList}
          </AppLink>
          {caseId && (
            <AppLink href={casePath(caseId)} aria-current="page">
              {c.caseDetail}
            </AppLink>
          )}
        </nav>
        <div className="top-actions">
          {allowed && <LiveStatus sound={false} />}
          <AppLink href={mapUrl()} className="button back-to-map">
            {t.backToMap}
          </AppLink>
          <LanguageSwitch className="top-language" />
          <UserMenu showMapLink />
        </div>
      </header>
      {!allowed ? (
        <p className="empty-note">{t.notAllowedPage}</p>
      ) : caseId ? (
        <CaseDetailPage key={caseId} caseId={caseId} />
      ) : (
        <CaseListPage />
      )}
    </div>
  );
}
