/** Who a bed's call is about, as far as this node remembers it without asking the database. */
export interface BedLabel {
  bedLabel: string | null;
  residentName: string | null;
  householdName: string | null;
  address: string | null;
}

export const NO_LABEL: BedLabel = { bedLabel: null, residentName: null, householdName: null, address: null };

/**
 * A call for help heard but not yet stored (the database is slow or unreachable): consoles show
 * it as "not yet stored" until the stored alarm replaces it. Not part of the alarm journal.
 */
export interface ProvisionalAlarm extends BedLabel {
  /** `deviceId/eventId`: the same call across the device's resends and across nodes. */
  key: string;
  organisationId: string;
  deviceId: string;
  deviceKind: string;
  bedId: string | null;
  eventId: string;
  eventType: string;
  /** The device's time of the event (ISO). */
  deviceTs: string;
  /** When the hub first heard it (ISO). */
  receivedAt: string;
  /** The cluster node that heard it; null on a single node. */
  node: string | null;
  /** Consoles drop the card after this if no stored notice came (ISO). */
  expiresAt: string;
}

/**
 * The call is stored and the rules have answered it: `alarmId` is the journalled alarm the call
 * raised or updated (an SOS pressed again counts on the open one), sent after that alarm's
 * event; null when no alarm event came in time (a silenced bed, a fall cancelled in its window).
 */
export interface ProvisionalStored {
  key: string;
  organisationId: string;
  deviceId: string;
  eventId: string;
  bedId: string | null;
  storedAt: string;
  alarmId: string | null;
}

/** The alarm kind a call for help raises or updates. */
export const ALARM_KIND_OF_CALL: Readonly<Record<string, string>> = {
  'button.pressed': 'sos',
  'fall.detected': 'fall',
};

export type ProvisionalNotice =
  { type: 'provisional.alarm'; notice: ProvisionalAlarm } | { type: 'provisional.stored'; notice: ProvisionalStored };

export const provisionalKey = (deviceId: string, eventId: string): string => `${deviceId}/${eventId}`;
