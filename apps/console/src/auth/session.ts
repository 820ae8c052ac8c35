import type { User } from '../api/types';

/** The login lives in sessionStorage: one tab, one shift; closing the tab logs out. */
const KEY = 'bedside.session';

export interface Session {
  token: string;
  expiresAt: string | number;
  user: User;
}

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    const exp = new Date(s.expiresAt).getTime();
    if (!s.token || (Number.isFinite(exp) && exp <= Date.now())) {
      sessionStorage.removeItem(KEY);
      if (s.token) sessionStorage.setItem(EXPIRED_KEY, '1');
      return null;
    }
    return s;
  } catch {
    return null;
  }
}

export function saveSession(s: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(s));
}

const EXPIRED_KEY = 'bedside.sessionExpired';

/** True once after a reload found the stored session expired. */
export function consumeExpiredMark(): boolean {
  const marked = sessionStorage.getItem(EXPIRED_KEY) === '1';
  sessionStorage.removeItem(EXPIRED_KEY);
  return marked;
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}
