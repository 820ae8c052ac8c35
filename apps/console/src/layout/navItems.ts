import type { Role } from '../api/types';
import { canSupervise } from '../auth/useAuth';
import type { MessageKey } from '../i18n/zh-CN';

export interface NavItem {
  href: string;
  label: string;
  testId: string;
}

/** The header's menu for a role, in the order it is shown (and given up to "more" from the end). */
export function navItems(role: Role | undefined, t: (key: MessageKey) => string): NavItem[] {
  const item = (href: string, key: MessageKey, testId: string) => ({ href, label: t(key), testId });
  return [
    item('/', 'nav.queue', 'nav-queue'),
    item('/history', 'nav.history', 'nav-history'),
    item('/handover', 'nav.handover', 'nav-handover'),
    ...(role !== 'installer' ? [item('/visits', 'nav.visits', 'nav-visits')] : []),
    ...(canSupervise(role)
      ? [
          item('/wallboard', 'nav.wallboard', 'nav-wallboard'),
          item('/supervisor', 'nav.supervisor', 'nav-supervisor'),
          item('/plans', 'nav.plans', 'nav-plans'),
          item('/reports', 'nav.reports', 'nav-reports'),
        ]
      : []),
  ];
}
