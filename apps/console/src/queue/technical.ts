import type { Alarm } from '../api/types';

/** Device health, not a person in trouble: worked in their own queue, in bulk. */
export const TECHNICAL_KINDS = ['device_offline', 'low_battery', 'not_worn', 'tamper'] as const;

export const isTechnical = (a: Pick<Alarm, 'kind'>) => (TECHNICAL_KINDS as readonly string[]).includes(a.kind);
