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

/** The call is stored: its alarm follows on the journal (details.deviceId/eventId match the key). */
export interface ProvisionalStored {
  key: string;
  organisationId: string;
  deviceId: string;
  eventId: string;
  bedId: string | null;
  storedAt: string;
}

export type ProvisionalNotice =
  { type: 'provisional.alarm'; notice: ProvisionalAlarm } | { type: 'provisional.stored'; notice: ProvisionalStored };

export const provisionalKey = (deviceId: string, eventId: string): string => `${deviceId}/${eventId}`;
