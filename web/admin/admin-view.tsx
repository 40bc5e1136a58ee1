import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useEffect } from 'react';
import { AppLink } from '../app-link.tsx';
import { LanguageSwitch } from '../auth/language-switch.tsx';
import { useSession } from '../auth/session.ts';
import { UserMenu } from '../auth/user-menu.tsx';
import { TimeLimitsPage } from '../cases/time-limits-page.tsx';
import { useI18n } from '../i18n.ts';
import type { AdminSection } from '../routes.ts';
import { ADMIN_PAGES, adminPath, mapUrl, replaceUrl } from '../routes.ts';
import { TaskLinesPage } from '../tasks/task-lines-page.tsx';
import { AccountsPage } from './accounts-page.tsx';
import { permissionsQuery } from './admin-queries.ts';
import { AuditPage } from './audit-page.tsx';
import { PermissionsPage } from './permissions-page.tsx';
import { grantOptions, roleOptions } from './role-options.ts';

/**
 * The desk pages of administration: accounts, the permission table and the audit log, each shown
 * only to roles whose actions allow it. Same dark theme as the command view, laid out for reading.
 */
export function AdminView({ section }: { section: AdminSection | null }) {
  const { t } = useI18n();
  const { can } = useSession();
  const pages = ADMIN_PAGES.filter((page) => can(page.action));
  const current = ADMIN_PAGES.find((page) => page.section === (section ?? pages[0]?.section));
  const allowed = current !== undefined && can(current.action);
  const tableRead = useQuery({ ...permissionsQuery(), enabled: can('permissions.view') });
  const table = tableRead.data ?? null;

  // `/admin` opens the first page the role may see.
  const firstSection = pages[0]?.section;
  useEffect(() => {
    if (section === null && firstSection) replaceUrl(adminPath(firstSection));
  }, [section, firstSection]);

  useEffect(() => {
    if (current) document.title = `${t[current.label]} · ${t.appTitleShort}`;
    return () => {
      document.title = t.appTitle;
    };
  }, [current, t]);

  const roles = roleOptions(table);
  let content: ReactNode;
  if (!allowed) content = <p className="empty-note">{t.notAllowedPage}</p>;
  else if (current.section === 'accounts')
    content = <AccountsPage roles={roles} grants={grantOptions(table)} grantRule={table?.grantRule ?? null} />;
  else if (current.section === 'audit') content = <AuditPage roles={roles} />;
  else if (current.section === 'time-limits') content = <TimeLimitsPage />;
  else if (current.section === 'task-lines') content = <TaskLinesPage />;
  else if (table) content = <PermissionsPage table={table} />;
  else content = <p className="empty-note">{tableRead.isError ? t.loadFailed : t.loading}</p>;

  return (
    <div className="admin-view">
      <header className="admin-top">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="admin-brand">{t.appTitleShort}</span>
        </div>
        <nav className="admin-tabs" aria-label={t.admin}>
          {pages.map((page) => (
            <AppLink
              key={page.section}
              href={adminPath(page.section)}
              aria-current={page.section === current?.section ? 'page' : undefined}
            >
              {t[page.label]}
            </AppLink>
          ))}
        </nav>
        <div className="top-actions">
          <AppLink href={mapUrl()} className="button back-to-map">
            {t.backToMap}
          </AppLink>
          <LanguageSwitch className="top-language" />
          <UserMenu showMapLink />
        </div>
      </header>
      <main className="admin-main">
        <h1 className="admin-title">{current ? t[current.label] : t.admin}</h1>
        {content}
      </main>
    </div>
  );
}
