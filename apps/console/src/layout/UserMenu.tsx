import { useAuth } from '../auth/useAuth';
import { useI18n } from '../i18n/useI18n';

export function UserMenu() {
  const { t, tx } = useI18n();
  const { user, logout } = useAuth();
  if (!user) return null;
  return (
    <span className="user">
      <span data-testid="current-user">
        {user.displayName || user.username} <span className="muted">({tx('header.role', user.role)})</span>
      </span>
      <button type="button" className="btn btn-small btn-ghost" data-testid="logout" onClick={() => void logout()}>
        {t('header.logout')}
      </button>
    </span>
  );
}
