/**
 * What a route lets its caller do. Every REST route declares exactly one permission; the role
 * table (role-permissions.ts) says which roles hold it.
 */
export const PERMISSIONS = [
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
] as const;

export type Permission = (typeof PERMISSIONS)[number];
