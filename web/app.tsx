import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ClientConfig } from './api-client.ts';
import { fetchConfig } from './api-client.ts';
import { CommandView } from './command/command-view.tsx';
import { handleError } from './handle-error.ts';
import type { I18n, Language } from './i18n.ts';
import { currentLanguage, I18nContext, STRINGS, storeLanguage } from './i18n.ts';
import { ToastStack } from './toast-stack.tsx';

/** Loads the client configuration, then shows the command view; the language switch lives here. */
export function App() {
  const [lang, setLangState] = useState<Language>(currentLanguage);
  const [config, setConfig] = useState<ClientConfig | null>(null);
  const [configFailed, setConfigFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);

  const setLang = useCallback((next: Language) => {
    storeLanguage(next);
    setLangState(next);
  }, []);
  const i18n = useMemo<I18n>(() => ({ lang, t: STRINGS[lang], setLang }), [lang, setLang]);

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = STRINGS[lang].appTitle;
  }, [lang]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the retry trigger.
  useEffect(() => {
    const controller = new AbortController();
    setConfigFailed(false);
    fetchConfig(controller.signal)
      .then(setConfig)
      .catch((error: unknown) => {
        handleError(error, STRINGS[currentLanguage()].configFailed);
        if (!controller.signal.aborted) setConfigFailed(true);
      });
    return () => controller.abort();
  }, [attempt]);

  return (
    <I18nContext value={i18n}>
      {config ? (
        <CommandView config={config} />
      ) : (
        <main className="splash">
          <h1>{i18n.t.appTitle}</h1>
          {configFailed ? (
            <button type="button" className="button" onClick={() => setAttempt((n) => n + 1)}>
              {i18n.t.retry}
            </button>
          ) : (
            <p>{i18n.t.loading}</p>
          )}
        </main>
      )}
      <ToastStack />
    </I18nContext>
  );
}
