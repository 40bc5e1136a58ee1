import { useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useId, useRef, useState } from 'react';
import { labelOf } from '../../api/vocabulary/label.ts';
import { ROLE_LABELS } from '../../api/vocabulary/roles.ts';
import type { DemoAccount, Me } from '../api-client.ts';
import { ApiError, signIn } from '../api-client.ts';
import { handleError } from '../handle-error.ts';
import { useI18n } from '../i18n.ts';
import { demoAccountsQuery } from './auth-queries.ts';
import { LanguageSwitch } from './language-switch.tsx';
import { PasswordInput } from './password-input.tsx';

/** Why the login page is shown, when it is not the first visit. */
export type LoginNotice = { kind: 'expired'; message: string } | { kind: 'signed-out' };

interface LoginPageProps {
  notice: LoginNotice | null;
  onSignedIn: (me: Me) => void;
}

/**
 * Username and password, with the API's own reason when sign-in fails (wrong password, account
 * locked, account disabled). In the embedded demo it lists the demo accounts with their public
 * password; a tap fills the form. The URL is left alone, so the page the user was going to opens
 * once they are in.
 */
export function LoginPage({ notice, onSignedIn }: LoginPageProps) {
  const { lang, t } = useI18n();
  const formId = useId();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const demo = useQuery(demoAccountsQuery()).data ?? null;
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const submitRef = useRef<HTMLButtonElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!username.trim() || !password) {
      setError(t.fillBoth);
      (username.trim() ? passwordRef : usernameRef).current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(username.trim(), password));
    } catch (failure) {
      setBusy(false);
      if (failure instanceof ApiError) {
        setError(failure.message);
        if (failure.code === 'invalid_credentials') passwordRef.current?.select();
      } else if (failure instanceof TypeError) {
        setError(t.networkError);
      } else {
        handleError(failure, t.signInFailed);
      }
    }
  };

  const fillDemo = (account: DemoAccount) => {
    if (!demo?.password) return;
    setUsername(account.username);
    setPassword(demo.password);
    setError(null);
    submitRef.current?.focus();
    submitRef.current?.scrollIntoView({ block: 'center' });
  };

  const demoAccounts = demo?.password ? demo.accounts : [];

  return (
    <main className="login-page" data-testid="login-page">
      <header className="login-top">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <h1>{t.appTitle}</h1>
        </div>
        <LanguageSwitch />
      </header>
      <div className="login-body">
        <section className="login-card" aria-labelledby={`${formId}-title`}>
          <h2 id={`${formId}-title`}>{t.signInTitle}</h2>
          <p className="muted">{t.signInSubtitle}</p>
          {notice?.kind === 'expired' && (
            <p className="login-notice" role="status" data-testid="session-ended">
              <strong>{notice.message}</strong>
              <span>{t.sessionEndedNote}</span>
            </p>
          )}
          {notice?.kind === 'signed-out' && (
            <p className="login-notice" role="status">
              {t.signedOutNote}
            </p>
          )}
          <form className="login-form" noValidate onSubmit={submit}>
            <label className="field">
              <span>{t.username}</span>
              <input
                ref={usernameRef}
                name="username"
                autoComplete="username"
                autoCapitalize="none"
                autoCorrect="off"
                spellCheck={false}
                value={username}
                onChange={(event) => setUsername(event.target.value)}
                aria-invalid={error ? true : undefined}
              />
            </label>
            <div className="field">
              <label htmlFor={`${formId}-password`}>{t.password}</label>
              <PasswordInput
                id={`${formId}-password`}
                inputRef={passwordRef}
                name="password"
                autoComplete="current-password"
                value={password}
                onChange={(event) => setPassword(event.target.value)}
                aria-invalid={error ? true : undefined}
              />
            </div>
            {error && (
              <p className="form-error" role="alert" data-testid="login-error">
                {error}
              </p>
            )}
            <button ref={submitRef} type="submit" className="button primary login-submit" disabled={busy}>
              {busy ? t.signingIn : t.signIn}
            </button>
          </form>
        </section>
        {demoAccounts.length > 0 && (
          <section className="demo-accounts" aria-labelledby={`${formId}-demo`} data-testid="demo-accounts">
            <h2 id={`${formId}-demo`}>
              {t.demoAccounts}
              <span className="demo-badge">{t.demoBadge}</span>
            </h2>
            <p className="muted">{t.demoNote}</p>
            <p className="demo-password">
              {t.demoPassword}
              <code>{demo?.password}</code>
            </p>
            <ul>
              {demoAccounts.map((account) => (
                <li key={account.username}>
                  <button
                    type="button"
                    className="demo-account"
                    data-username={account.username}
                    aria-pressed={username === account.username}
                    onClick={() => fillDemo(account)}
                  >
                    <span className="demo-name">{account.displayName}</span>
                    <span className="demo-role">
                      {labelOf(ROLE_LABELS, lang, account.role)} · {account.note}
                    </span>
                    <span className="demo-username">{account.username}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
      <footer className="login-footer">{t.syntheticNote}</footer>
    </main>
  );
}
