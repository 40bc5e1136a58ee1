import { queryOptions } from '@tanstack/react-query';
import { fetchDemoAccounts } from '../api-client.ts';

/** The sign-in page's reads (see web/query-client.ts for the pattern). */
const authKeys = {
  demoAccounts: () => ['auth', 'demo-accounts'] as const,
};

/** The demo accounts the login page offers (none outside a demo); they do not change while it is open. */
export const demoAccountsQuery = () =>
  queryOptions({
    queryKey: authKeys.demoAccounts(),
    queryFn: ({ signal }) => fetchDemoAccounts(signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
