import type { ReactNode } from 'react';
import { useI18n } from '../i18n.ts';

/** Title, search and the language switch; the synthetic-data mark is always in view. */
export function TopBar({ synthetic, children }: { synthetic: boolean; children: ReactNode }) {
  const { lang, t, setLang } = useI18n();
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
        {synthetic && (
          <span className="synthetic-badge" title={t.syntheticNote}>
            {t.synthetic}
          </span>
        )}
        <button
          type="button"
          className="button language-switch"
          aria-label={t.languageSwitchLabel}
          onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
        >
          {t.languageSwitch}
        </button>
      </div>
    </header>
  );
}
