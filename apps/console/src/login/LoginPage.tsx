import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/errors';
import { useAuth } from '../auth/useAuth';
import { useI18n } from '../i18n/useI18n';
import { LanguageSwitch } from '../layout/LanguageSwitch';

export function LoginPage() {
  const { t } = useI18n();
  const { login, expired } = useAuth();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.code === 'UNAUTHENTICATED'))
        setError(t('login.error.unauthenticated'));
      else if (err instanceof ApiError && (err.status === 429 || err.code === 'RATE_LIMITED'))
        setError(t('login.error.rateLimited'));
      else if (err instanceof ApiError && err.code === 'DATABASE_UNAVAILABLE') setError(t('login.error.unavailable'));
      else if (err instanceof ApiError && err.code === 'NETWORK') setError(t('error.network'));
      else setError(t('login.error.generic', { message: (err as Error).message }));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login-page" data-testid="login-page">
      <form className="login-card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <div className="login-head">
          <h1 id="login-title">{t('app.title')}</h1>
          <LanguageSwitch />
        </div>
        <h2>{t('login.title')}</h2>
        {expired && (
          <p className="notice" role="status" data-testid="login-expired">
            {t('login.expired')}
          </p>
        )}
        <label>
          {t('login.username')}
          <input
            name="username"
            autoComplete="username"
            required
            autoFocus
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            data-testid="login-username"
          />
        </label>
        <label>
          {t('login.password')}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="login-password"
          />
        </label>
        {error && (
          <p className="error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy} data-testid="login-submit">
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
