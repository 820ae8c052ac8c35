import { createContext, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { setUnauthorizedHandler } from '../api/client';
import { endpoints } from '../api/endpoints';
import type { User } from '../api/types';
import { clearSession, loadSession, saveSession } from './session';

export interface Auth {
  user: User | null;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

export const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(() => loadSession()?.user ?? null);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      clearSession();
      setUser(null);
    });
  }, []);

  // Drop the session when the token expires, even if nothing is being fetched.
  useEffect(() => {
    if (!user) return;
    const exp = new Date(loadSession()?.expiresAt ?? NaN).getTime();
    if (!Number.isFinite(exp)) return;
    const t = setTimeout(() => {
      clearSession();
      setUser(null);
    }, Math.max(0, Math.min(exp - Date.now(), 2 ** 31 - 1)));
    return () => clearTimeout(t);
  }, [user]);

  const login = useCallback(async (username: string, password: string) => {
    const res = await endpoints.login(username, password);
    saveSession({ token: res.token, expiresAt: res.expiresAt, user: res.user });
    setUser(res.user);
  }, []);

  const logout = useCallback(async () => {
    try {
      await endpoints.logout();
    } catch {
      // the token goes away locally whatever the hub says
    }
    clearSession();
    setUser(null);
  }, []);

  const value = useMemo(() => ({ user, login, logout }), [user, login, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
