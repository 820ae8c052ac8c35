import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n/useI18n';
import { Link } from '../router/Link';
import type { NavItem } from './navItems';

/**
 * The menu entries that do not fit on the bar, behind a "more" button (a disclosure: the button says
 * whether the list is open; arrows move through it, Escape closes it and returns to the button).
 */
export function NavMore({ items, isActive }: { items: readonly NavItem[]; isActive: (href: string) => boolean }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const links = () => [...(list.current?.querySelectorAll('a') ?? [])];

  useEffect(() => {
    if (!open) return;
    const outside = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && open) {
      e.preventDefault();
      setOpen(false);
      button.current?.focus();
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    if (!open) {
      setOpen(true);
      // The list renders on the next frame.
      requestAnimationFrame(() => (e.key === 'ArrowUp' ? links().at(-1) : links()[0])?.focus());
      return;
    }
    const all = links();
    const at = all.indexOf(document.activeElement as HTMLAnchorElement);
    const next = e.key === 'ArrowDown' ? (at + 1) % all.length : (at - 1 + all.length) % all.length;
    all[next]?.focus();
  };

  const activeInside = items.some((i) => isActive(i.href));
  return (
    <div
      className="nav-more"
      ref={root}
      onKeyDown={onKeyDown}
      onBlur={(e) => {
        if (!root.current?.contains(e.relatedTarget)) setOpen(false);
      }}
    >
      <button
        type="button"
        ref={button}
        className={`nav-more-button${activeInside ? ' active' : ''}`}
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
        data-testid="nav-more"
      >
        {t('nav.more')}
        <span aria-hidden="true"> ▾</span>
      </button>
      <ul id={id} ref={list} className="nav-more-list" hidden={!open} data-testid="nav-more-list">
        {items.map((i) => (
          <li key={i.href}>
            <Link
              href={i.href}
              className={isActive(i.href) ? 'active' : ''}
              aria-current={isActive(i.href) ? 'page' : undefined}
              onClick={() => setOpen(false)}
              data-testid={i.testId}
            >
              {i.label}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
