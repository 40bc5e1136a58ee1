import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Me } from './api-client.ts';
import { fetchMe, isSessionError, onSessionEnded, signOut } from './api-client.ts';
import { AppLink } from './app-link.tsx';
import { areaByCodeQuery, configQuery } from './areas/area-queries.ts';
import type { LoginNotice } from './auth/login-page.tsx';
import { LoginPage } from './auth/login-page.tsx';
import { forgetAccount, rememberAccount, rememberedAccount } from './auth/remembered-account.ts';
import type { Session } from './auth/session.ts';
import { SessionContext } from './auth/session.ts';
import { clearToasts, handleError } from './handle-error.ts';
import type { I18n, Language } from './i18n.ts';
import { currentLanguage, I18nContext, STRINGS, storeLanguage } from './i18n.ts';
import { lazyScreen, Splash } from './lazy-screen.tsx';
import { currentUrl, FIELD_PATH, replaceUrl, useRoute } from './routes.ts';
import { ToastStack } from './toast-stack.tsx';

// Each screen's code (and what only it needs: MapLibre and deck.gl for the command map) is fetched
// when the screen is first shown; the login page comes with the app itself.
const AdminView = lazyScreen(() => import('./admin/admin-view.tsx').then((module) => module.AdminView));
const CasesView = lazyScreen(() => import('./cases/cases-view.tsx').then((module) => module.CasesView));
const CommandView = lazyScreen(() => import('./command/command-view.tsx').then((module) => module.CommandView));
const FieldView = lazyScreen(() => import('./field/field-view.tsx').then((module) => module.FieldView));
const RegisterPage = lazyScreen(() => import('./special/register-page.tsx').then((module) => module.RegisterPage));
const WorkforcePage = lazyScreen(() => import('./workforce/workforce-page.tsx').then((module) => module.WorkforcePage));
const ReviewPage = lazyScreen(() => import('./review/review-page.tsx').then((module) => module.ReviewPage));
const TasksView = lazyScreen(() => import('./tasks/tasks-view.tsx').then((module) => module.TasksView));
const PlaybackView = lazyScreen(() => import('./playback/playback-view.tsx').then((module) => module.PlaybackView));

type AuthState =
  | { status: 'checking' }
  /** The server could not be asked who is signed in (network down, server starting). */
  | { status: 'unreachable' }
  /**
   * The server could not be asked, but this device remembers who was signed in: the field page
   * opens as that account (its outbox and draft are on the phone), the other screens wait for
   * the network. The session is checked again as soon as the network is back.
   */
  | { status: 'offline'; me: Me }
  /** `returnTo`: where the user was when the session ended, to go back to after signing in again. */
  | { status: 'signed-out'; notice: LoginNotice | null; returnTo: string | null }
  | { status: 'signed-in'; me: Me };

/** While offline, who is signed in is asked again this often (besides each time the browser says it is back online). */
const OFFLINE_RECHECK_MS = 30_000;

/** A first check slower than this (a weak link) opens the field page offline meanwhile, if an account is remembered. */
const SLOW_CHECK_MS = 5000;

/**
 * Asks who is signed in, then shows the login page or the signed-in screens. A request that finds
 * the session gone (from any screen, at any time) brings the login page back, and signing in
 * again returns to the same URL (path and hash: the map view, the selected area, the admin page).
 */
export function App() {
  const [lang, setLangState] = useState<Language>(currentLanguage);
  const [auth, setAuth] = useState<AuthState>({ status: 'checking' });
  const queryClient = useQueryClient();
  const [attempt, setAttempt] = useState(0);
  const route = useRoute();

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
    const remembered = rememberedAccount();
    const slow = setTimeout(() => {
      if (remembered) setAuth((current) => (current.status === 'checking' ? { status: 'offline', me: remembered } : current));
    }, SLOW_CHECK_MS);
    fetchMe(controller.signal)
      .then((me) => {
        rememberAccount(me);
        setAuth({ status: 'signed-in', me });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        if (isSessionError(error)) {
          forgetAccount();
          // A session found gone while the page ran offline has already brought the login page, with the way back.
          setAuth((current) =>
            current.status === 'signed-out' ? current : { status: 'signed-out', notice: null, returnTo: null },
          );
          return;
        }
        if (remembered) {
          setAuth({ status: 'offline', me: remembered });
          return;
        }
        handleError(error);
        setAuth({ status: 'unreachable' });
      })
      .finally(() => clearTimeout(slow));
    return () => {
      clearTimeout(slow);
      controller.abort();
    };
  }, [attempt]);

  // Back online, ask again; while the field page runs offline, also now and then (a server that was
  // down comes back without an event). The unreachable splash otherwise waits for its retry button.
  const { status } = auth;
  useEffect(() => {
    if (status !== 'offline' && status !== 'unreachable') return;
    const recheck = () => {
      if (navigator.onLine) setAttempt((n) => n + 1);
    };
    window.addEventListener('online', recheck);
    const timer = status === 'offline' ? setInterval(recheck, OFFLINE_RECHECK_MS) : undefined;
    return () => {
      window.removeEventListener('online', recheck);
      clearInterval(timer);
    };
  }, [status]);

  useEffect(
    () =>
      onSessionEnded((error) => {
        forgetAccount();
        queryClient.clear();
        // Read now: once the map unmounts, MapLibre takes its view out of the hash.
        const returnTo = currentUrl();
        setAuth((current) =>
          current.status === 'signed-in' || current.status === 'offline'
            ? { status: 'signed-out', notice: { kind: 'expired', message: error.message }, returnTo }
            : current,
        );
      }),
    [queryClient],
  );

  const returnTo = auth.status === 'signed-out' ? auth.returnTo : null;
  const onSignedIn = useCallback(
    (me: Me) => {
      if (returnTo) replaceUrl(returnTo);
      clearToasts();
      // Nothing read for the account before may show for this one.
      queryClient.clear();
      rememberAccount(me);
      setAuth({ status: 'signed-in', me });
    },
    [returnTo, queryClient],
  );

  const onSignOut = useCallback(
    async (everywhere: boolean) => {
      try {
        await signOut(everywhere);
      } catch (error) {
        // Without a session there is nothing left to end.
        if (!isSessionError(error)) {
          handleError(error, STRINGS[currentLanguage()].signOutFailed);
          return;
        }
      }
      forgetAccount();
      queryClient.clear();
      // The next person to sign in starts from the county, not from this account's last view.
      replaceUrl('/');
      clearToasts();
      setAuth({ status: 'signed-out', notice: { kind: 'signed-out' }, returnTo: null });
    },
    [queryClient],
  );

  let screen: ReactNode;
  if (auth.status === 'signed-in' || (auth.status === 'offline' && route.page === 'field')) {
    // The login page always comes between two accounts, so each sign-in starts the screens afresh.
    // The same element offline and signed in: the field page stays as it is when the check succeeds.
    screen = <SignedIn me={auth.me} signOut={onSignOut} />;
  } else if (auth.status === 'offline') {
    screen = (
      <main className="splash" data-testid="offline-splash">
        <h1>{i18n.t.appTitle}</h1>
        <p>{i18n.t.offlineNeedsNetwork}</p>
        {auth.me.actions.includes('reports.create') && (
          <AppLink href={FIELD_PATH} className="button primary">
            {i18n.t.openFieldOffline}
          </AppLink>
        )}
      </main>
    );
  } else if (auth.status === 'signed-out') {
    screen = <LoginPage notice={auth.notice} onSignedIn={onSignedIn} />;
  } else {
    screen = (
      <Splash
        onRetry={
          auth.status === 'unreachable'
            ? () => {
                setAuth({ status: 'checking' });
                setAttempt((n) => n + 1);
              }
            : undefined
        }
      />
    );
  }

  return (
    <I18nContext value={i18n}>
      {screen}
      <ToastStack />
    </I18nContext>
  );
}

/**
 * The screens behind the login page. Finds the account's scope area (its name for the header,
 * its bounds for the first map view) and the client configuration, then shows the page the path names.
 */
function SignedIn({ me, signOut }: { me: Me; signOut: (everywhere: boolean) => Promise<void> }) {
  const route = useRoute();
  const scopeRead = useQuery(areaByCodeQuery(me.scopeCode));
  // A scope that could not be found leaves the header without its name; the map opens on the county.
  const scope = scopeRead.isPending ? undefined : (scopeRead.data ?? null);
  const configRead = useQuery(configQuery());
  const config = configRead.data ?? null;

  // The command map's code (MapLibre, the map screen) is the largest of all: fetch it while the
  // configuration and the scope's area are asked for, not after.
  useEffect(() => {
    if (route.page === 'map') CommandView.preload();
  }, [route.page]);

  const session = useMemo<Session>(
    () => ({ me, scope: scope ?? null, can: (action) => me.actions.includes(action), signOut }),
    [me, scope, signOut],
  );

  let page: ReactNode;
  if (route.page === 'admin') {
    page = <AdminView section={route.section} />;
  } else if (route.page === 'field') {
    page = <FieldView />;
  } else if (route.page === 'cases') {
    page = <CasesView caseId={route.caseId} />;
  } else if (route.page === 'playback') {
    page = <PlaybackView />;
  } else if (route.page === 'special') {
    page = <RegisterPage />;
  } else if (route.page === 'workforce') {
    page = <WorkforcePage />;
  } else if (route.page === 'review') {
    page = <ReviewPage />;
  } else if (route.page === 'tasks') {
    page = <TasksView taskId={route.taskId} />;
  } else if (config && scope !== undefined) {
    page = <CommandView config={config} />;
  } else {
    page = <Splash onRetry={configRead.isError ? () => void configRead.refetch() : undefined} />;
  }
  return <SessionContext value={session}>{page}</SessionContext>;
}
