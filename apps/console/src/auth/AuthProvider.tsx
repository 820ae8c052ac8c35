import { createContext, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { setUnauthorizedHandler } from '../api/client';
import { endpoints } from '../api/endpoints';
import type { User } from '../api/types';
import { clearDrafts } from '../components/useDraft';
import { clearSession, consumeExpiredMark, loadSession, saveSession } from './session';

export interface Auth {
  user: User | null;
  /** Signed out by the hub (expired or revoked session), not by the operator: the sign-in page says so. */
  expired: boolean;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
}

export const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(() => loadSession()?.user ?? null);
  const [expired, setExpired] = useState(() => consumeExpiredMark());

  // Drafts (notes, resolve forms) stay in sessionStorage across this, for after the next sign-in.
  const expire = useCallback(() => {
    clearSession();
    setExpired(true);
    setUser(null);
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(expire);
  }, [expire]);

  // Drop the session when the token expires, even if nothing is being fetched.
  useEffect(() => {
    if (!user) return;
    const exp = new Date(loadSession()?.expiresAt ?? NaN).getTime();
    if (!Number.isFinite(exp)) return;
    const t = setTimeout(expire, Math.max(0, Math.min(exp - Date.now(), 2 ** 31 - 1)));
    return () => clearTimeout(t);
  }, [user, expire]);

  const login = useCallback(async (username: string, password: string) => {
    const res = await endpoints.login(username, password);
    saveSession({ token: res.token, expiresAt: res.expiresAt, user: res.user });
    setExpired(false);
    setUser(res.user);
  }, []);

  const logout = useCallback(async () => {
    try {
      await endpoints.logout();
    } catch {
      // the token goes away locally whatever the hub says
    }
    clearSession();
    clearDrafts(); // a deliberate sign-out leaves nothing of the residents behind
    setExpired(false);
    setUser(null);
  }, []);

  const value = useMemo(() => ({ user, expired, login, logout }), [user, expired, login, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
