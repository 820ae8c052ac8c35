import { useContext } from 'react';
import { AuthContext, type Auth } from './AuthProvider';

export function useAuth(): Auth {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

export const canSupervise = (role: string | undefined) => role === 'supervisor' || role === 'admin';
