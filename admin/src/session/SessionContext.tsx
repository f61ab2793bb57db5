import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, call, onSessionEnded, refreshSession } from '../api/client';
import { forgetTokens, keepTokens, storedRefreshToken, type Tokens } from '../api/session-tokens';
import type { Me } from './permissions';

export type SignInResult = { signedIn: true } | { signedIn: false; mfaToken: string };

interface Session {
  /** undefined while a stored session is being resumed; null when signed out. */
  me: Me | null | undefined;
  signIn: (email: string, password: string) => Promise<SignInResult>;
  completeSecondFactor: (mfaToken: string, answer: { code: string } | { recoveryCode: string }) => Promise<void>;
  signOut: () => Promise<void>;
  /** Asks who is signed in again, after a change to their account (a second factor set up). */
  reloadMe: () => Promise<void>;
  /** Signs into another tenant of the same person (by id or slug); the old session ends. */
  switchTenant: (tenant: string) => Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in user (`me`) while signed in; pages below the sign-in gate may rely on it. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe while signed out');
  return me;
}

const whoAmI = () => call(() => api.GET('/auth/me'));

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(storedRefreshToken() ? undefined : null);

  useEffect(() => onSessionEnded(() => setMe(null)), []);

  // A reload keeps only the refresh token: trade it for an access token, then ask who this is.
  useEffect(() => {
    if (me !== undefined) return;
    void refreshSession()
      .then((resumed) => (resumed ? whoAmI() : null))
      .then(setMe, () => setMe(null));
  }, [me]);

  const start = useCallback(async (tokens: Tokens) => {
    keepTokens(tokens);
    setMe(await whoAmI());
  }, []);

  const signIn = useCallback(
    async (email: string, password: string): Promise<SignInResult> => {
      const answer = await call(() => api.POST('/auth/login', { body: { email, password } }));
      if ('mfaRequired' in answer) return { signedIn: false, mfaToken: answer.mfaToken };
      await start(answer);
      return { signedIn: true };
    },
    [start],
  );

  const completeSecondFactor = useCallback(
    async (mfaToken: string, answer: { code: string } | { recoveryCode: string }) => {
      await start(await call(() => api.POST('/auth/login/mfa', { body: { mfaToken, ...answer } })));
    },
    [start],
  );

  const signOut = useCallback(async () => {
    const refreshToken = storedRefreshToken();
    // Ends the session server-side too; signing out locally must not wait on (or fail with) the network.
    if (refreshToken) await api.POST('/auth/logout', { body: { refreshToken } }).catch(() => undefined);
    forgetTokens();
    setMe(null);
  }, []);

  const reloadMe = useCallback(async () => setMe(await whoAmI()), []);

  const switchTenant = useCallback(
    async (tenant: string) => {
      // The refresh token is read at each send: a retry after an expired access token must present the new one.
      const send = () => api.POST('/auth/switch-tenant', { body: { refreshToken: storedRefreshToken() ?? '', tenant } });
      await start(await call(send));
    },
    [start],
  );

  const session = useMemo(
    () => ({ me, signIn, completeSecondFactor, signOut, reloadMe, switchTenant }),
    [me, signIn, completeSecondFactor, signOut, reloadMe, switchTenant],
  );
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
