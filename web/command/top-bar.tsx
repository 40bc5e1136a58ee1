import type { ReactNode } from 'react';
import { LanguageSwitch } from '../auth/language-switch.tsx';
import { UserMenu } from '../auth/user-menu.tsx';
import { useI18n } from '../i18n.ts';
import { DrillBadge } from '../live/drill.tsx';

/**
 * Title, search, the live feed's state and the alarm sound (`status`), the language switch and who
 * is signed in; the synthetic-data mark is always in view.
 */
export function TopBar({ synthetic, status, children }: { synthetic: boolean; status?: ReactNode; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <header className="top-bar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <h1>
          <span className="brand-long">{t.appTitle}</span>
          <span className="brand-short">{t.appTitleShort}</span>
        </h1>
      </div>
      {children}
      <div className="top-actions">
        {status}
        <DrillBadge />
        {synthetic && (
          <span className="synthetic-badge" title={t.syntheticNote}>
            {t.synthetic}
          </span>
        )}
        <LanguageSwitch className="top-language" />
        <UserMenu />
      </div>
    </header>
  );
}
