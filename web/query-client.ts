import { isCancelledError, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api-client.ts';
import { handleLoadError } from './handle-error.ts';
import { currentLanguage, STRINGS } from './i18n.ts';

/**
 * Every read of the API goes through TanStack Query and the one `QueryClient` below, which
 * `main.tsx` puts at the root (`QueryClientProvider`). The pattern, for a capability `foo`:
 *
 * - `web/foo/foo-queries.ts` holds the capability's query keys (all under one first element,
 *   `['foo', …]`) and its `queryOptions` (key + `queryFn`, which passes the `signal` it is given
 *   on to the `fetch…` function of the API module, so a read nobody waits for any more is
 *   cancelled), and, if live events change what it reads, one table of which event invalidates
 *   which keys (`LiveInvalidation`, see `web/live/live-invalidation.ts`), mounted once by the
 *   capability's screen with `useLiveInvalidation`.
 * - A component calls `useQuery(fooQuery(args))`; it never builds a key or an AbortController itself.
 * - Failures reach the user once, here: a toast in the UI language (`handleLoadError`), titled by
 *   `meta.errorTitle` when the query gives one; `meta.quiet` for a query whose screen says it
 *   failed itself.
 * - A 4xx is the server's considered answer (not found, out of scope, signed out) and is never
 *   retried; a network failure or a 5xx is tried twice more.
 * - Writes: `useMutation` (or a plain call) and then `queryClient.invalidateQueries` of the keys it
 *   changed. The field page's reports go through its outbox (web/field/outbox.ts), not through here.
 */
declare module '@tanstack/react-query' {
  interface Register {
    queryMeta: {
      /** The toast's title when the read fails, read at that moment (so in the language then shown). */
      errorTitle?: () => string;
      /** The screen shows the failure itself: no toast. */
      quiet?: boolean;
      /** A screen that keeps its last data through a failed refresh (a wall screen's counts): only a failure with nothing shown yet is a toast. */
      keepsData?: boolean;
    };
  }
}

/** Tries after the first, for a failure worth trying again. */
const RETRIES = 2;

/** Whether a failed read is worth another try: not a 4xx (the server has answered), not while offline. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status < 500) return false;
  if (!navigator.onLine) return false;
  return failureCount < RETRIES;
}

function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (isCancelledError(error) || query.meta?.quiet) return;
        if (query.meta?.keepsData && query.state.data !== undefined) return;
        handleLoadError(error, query.meta?.errorTitle?.());
      },
    }),
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        // Reads run whatever the browser says of the network: a page that knows it is offline says
        // so itself (the field page), and a read that fails offline is not a toast (handleLoadError).
        networkMode: 'always',
        // Screens refresh on live events, timers and reconnects they choose; not on every focus.
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
      },
      mutations: { networkMode: 'always', retry: false },
    },
  });
}

/** The page's one client. Cleared whenever the account changes: no read of one account is shown to the next. */
export const queryClient = createQueryClient();

/** The usual `meta.errorTitle`: 载入失败 / Could not load. */
export function loadFailedTitle(): string {
  return STRINGS[currentLanguage()].loadFailed;
}
