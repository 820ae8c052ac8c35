import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useAuth } from '../auth/useAuth';
import { useI18n } from '../i18n/useI18n';
import { Link } from '../router/Link';
import { LanguageSwitch } from './LanguageSwitch';
import { navFit } from './navFit';
import { navItems } from './navItems';
import { NavMore } from './NavMore';
import { SoundToggle } from './SoundToggle';
import { StreamIndicator } from './StreamIndicator';
import { UserMenu } from './UserMenu';

const NAV_GAP_PX = 4;

/**
 * The dark bar: the menu, then the stream status, sound, language and user controls, which always
 * stay on it. Menu entries that do not fit move, from the end, behind a "more" button; an invisible
 * copy of the menu gives their widths in the current language.
 */
export function Header({ path }: { path: string }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const items = useMemo(() => navItems(user?.role, t), [user?.role, t]);
  const isActive = (p: string) => (p === '/' ? path === '/' || path.startsWith('/alarms') : path.startsWith(p));
  const nav = useRef<HTMLElement>(null);
  const measure = useRef<HTMLDivElement>(null);
  const [shown, setShown] = useState(items.length);

  useLayoutEffect(() => {
    const fit = () => {
      const boxes = [...(measure.current?.children ?? [])].map((e) => e.getBoundingClientRect().width);
      const more = boxes.pop() ?? 0;
      setShown(navFit(boxes, NAV_GAP_PX, more, nav.current?.clientWidth ?? Infinity));
    };
    fit();
    const observer = new ResizeObserver(fit);
    if (nav.current) observer.observe(nav.current);
    if (measure.current) observer.observe(measure.current);
    return () => observer.disconnect();
  }, [items]);

  const link = (i: (typeof items)[number]) => (
    <Link
      key={i.href}
      href={i.href}
      className={isActive(i.href) ? 'active' : ''}
      aria-current={isActive(i.href) ? 'page' : undefined}
      data-testid={i.testId}
    >
      {i.label}
    </Link>
  );
  return (
    <header className="topbar">
      <span className="brand">
        <span className="brand-long">{t('app.title')}</span>
        <span className="brand-short">{t('app.short')}</span>
      </span>
      <nav ref={nav} aria-label={t('nav.label')}>
        {items.slice(0, shown).map(link)}
        {shown < items.length && <NavMore items={items.slice(shown)} isActive={isActive} />}
      </nav>
      <div className="nav-measure" ref={measure} aria-hidden="true">
        {items.map((i) => (
          <span key={i.href} className="nav-link">
            {i.label}
          </span>
        ))}
        <span className="nav-link">
          {t('nav.more')}
          <span> ▾</span>
        </span>
      </div>
      <StreamIndicator />
      <SoundToggle />
      <LanguageSwitch />
      <UserMenu />
    </header>
  );
}
