import type { Role } from '../current-user.decorator';
import type { Permission } from './permission';

export const ROLES: readonly Role[] = ['admin', 'supervisor', 'operator', 'installer'];

/**
 * The role table, enforced by the authorization guard and printed in the README. Least
 * privilege as an alarm-receiving centre runs: operators handle alarms but cannot mute a bed or
 * change its thresholds (a centre must not be able to silence its own pages); installers
 * commission devices and may silence a bed while they work on it, but handle no alarms;
 * supervisors run their organisation (users, rules, KPIs, audit, integrations). Every grant
 * is limited to the caller's organisation unless the caller is a platform administrator.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: [
    'organisation.read',
    'organisation.create',
    'registry.read',
    'registry.write',
    'device.read',
    'device.manage',
    'device.command',
    'vitals.read',
    'alarm.read',
    'alarm.handle',
    'dispatch.read',
    'dispatch.manage',
    'rules.read',
    'rules.write',
    'rule-actions.read',
    'backtest.run',
    'silence.read',
    'silence.manage',
    'kpi.read',
    'audit.read',
    'user.read',
    'user.manage',
    'webhook.read',
    'webhook.manage',
    'self',
  ],
  supervisor: [
    'organisation.read',
    'registry.read',
    'registry.write',
    'device.read',
    'device.manage',
    'device.command',
    'vitals.read',
    'alarm.read',
    'alarm.handle',
    'dispatch.read',
    'dispatch.manage',
    'rules.read',
    'rules.write',
    'rule-actions.read',
    'backtest.run',
    'silence.read',
    'silence.manage',
    'kpi.read',
    'audit.read',
    'user.read',
    'user.manage',
    'webhook.read',
    'webhook.manage',
    'self',
  ],
  operator: [
    'organisation.read',
    'registry.read',
    'device.read',
    'device.command',
    'vitals.read',
    'alarm.read',
    'alarm.handle',
    'dispatch.read',
    'dispatch.manage',
    'rules.read',
    'rule-actions.read',
    'silence.read',
    'self',
  ],
  // Installers see the alarm queue so that a commissioning test alarm can be seen reaching the
  // call centre, but only operators and supervisors act on alarms.
  installer: [
    'organisation.read',
    'registry.read',
    'device.read',
    'device.manage',
    'device.command',
    'alarm.read',
    'silence.read',
    'silence.manage',
    'self',
  ],
};

export function rolesWith(permission: Permission): Role[] {
  return ROLES.filter((role) => ROLE_PERMISSIONS[role].includes(permission));
}

export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
