export const DEVICE_KINDS = ['mattress', 'button', 'wearable'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** Event types, and which device kinds may send each. */
export const EVENT_TYPES = {
  'button.pressed': ['button', 'wearable'],
  'button.cancelled': ['button', 'wearable'],
  'fall.detected': ['wearable'],
  'fall.cancelled': ['wearable'],
  'bed.exit': ['mattress'],
  'bed.return': ['mattress'],
  'wearable.worn': ['wearable'],
  'wearable.removed': ['wearable'],
  tamper: ['mattress', 'button', 'wearable'],
} as const satisfies Record<string, readonly DeviceKind[]>;
export type EventType = keyof typeof EVENT_TYPES;
export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as EventType[];

export function eventAllowedFor(type: EventType, kind: DeviceKind): boolean {
  return (EVENT_TYPES[type] as readonly DeviceKind[]).includes(kind);
}

/**
 * Events that call for help (an SOS, a fall, and their cancels, tamper): never held to the
 * device's inbound quota, and stored and evaluated ahead of telemetry.
 */
export const PRIORITY_EVENT_TYPES: ReadonlySet<EventType> = new Set<EventType>([
  'button.pressed',
  'button.cancelled',
  'fall.detected',
  'fall.cancelled',
  'tamper',
]);

/**
 * Calls for help that someone must answer (an SOS, a fall): while the database cannot store one,
 * consoles are shown it as not yet stored rather than nothing.
 */
export const CALL_FOR_HELP_EVENT_TYPES: ReadonlySet<EventType> = new Set<EventType>([
  'button.pressed',
  'fall.detected',
]);
