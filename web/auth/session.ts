import { createContext, useContext } from 'react';
import type { AreaSearchResult, Me } from '../api-client.ts';

/** The signed-in account as the screens see it. */
export interface Session {
  me: Me;
  /** The area of the account's scope (name, level, bounds); null while it loads or if it cannot be found. */
  scope: AreaSearchResult | null;
  /** Whether the role may do `action` (an action of the permission table, e.g. `households.view`). */
  can: (action: string) => boolean;
  /** Ends this session, or every session of the account with `everywhere`, and shows the login page. */
  signOut: (everywhere: boolean) => Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

/** The session of a signed-in screen; only screens behind the login page use it. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in screen');
  return session;
}
