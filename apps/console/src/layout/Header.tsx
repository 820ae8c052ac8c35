import { canSupervise, useAuth } from '../auth/useAuth';
import { useI18n } from '../i18n/useI18n';
import { Link } from '../router/Link';
import { LanguageSwitch } from './LanguageSwitch';
import { SoundToggle } from './SoundToggle';
import { StreamIndicator } from './StreamIndicator';
import { UserMenu } from './UserMenu';

export function Header({ path }: { path: string }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const active = (p: string) =>
    (p === '/' ? path === '/' || path.startsWith('/alarms') : path.startsWith(p)) ? 'active' : '';
  return (
    <header className="topbar">
      <span className="brand">
        <span className="brand-long">{t('app.title')}</span>
        <span className="brand-short">{t('app.short')}</span>
      </span>
      <nav>
        <Link href="/" className={active('/')} data-testid="nav-queue">
          {t('nav.queue')}
        </Link>
        <Link href="/history" className={active('/history')} data-testid="nav-history">
          {t('nav.history')}
        </Link>
        <Link href="/handover" className={active('/handover')} data-testid="nav-handover">
          {t('nav.handover')}
        </Link>
        {user?.role !== 'installer' && (
          <Link href="/visits" className={active('/visits')} data-testid="nav-visits">
            {t('nav.visits')}
          </Link>
        )}
        {canSupervise(user?.role) && (
          <>
            <Link href="/wallboard" className={active('/wallboard')} data-testid="nav-wallboard">
              {t('nav.wallboard')}
            </Link>
            <Link href="/supervisor" className={active('/supervisor')} data-testid="nav-supervisor">
              {t('nav.supervisor')}
            </Link>
            <Link href="/plans" className={active('/plans')} data-testid="nav-plans">
              {t('nav.plans')}
            </Link>
          </>
        )}
        {canSupervise(user?.role) && (
          <Link href="/reports" className={active('/reports')} data-testid="nav-reports">
            {t('nav.reports')}
          </Link>
        )}
      </nav>
      <span className="spacer" />
      <StreamIndicator />
      <SoundToggle />
      <LanguageSwitch />
      <UserMenu />
    </header>
  );
}
