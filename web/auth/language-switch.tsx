import { useI18n } from '../i18n.ts';

/**
 * 中文 ⇄ English; the label names the language it switches to, in that language. `spelledOut`
 * says "Switch to English" in full (in the account menu, where there is room).
 */
export function LanguageSwitch({ className = '', spelledOut = false }: { className?: string; spelledOut?: boolean }) {
  const { lang, t, setLang } = useI18n();
  return (
    <button
      type="button"
      className={`button language-switch ${className}`.trim()}
      aria-label={t.languageSwitchLabel}
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
    >
      {spelledOut ? t.languageSwitchLabel : t.languageSwitch}
    </button>
  );
}
