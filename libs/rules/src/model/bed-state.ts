import type { DeviceKind } from './rule-input';
import type { RuleKind } from './rule-kind';
import type { Severity } from './severity';

/** What the rules know about one device of the bed. */
export interface DeviceState {
  kind: DeviceKind;
  online: boolean;
  lastSeenAt: number;
  /** When it last came online (hub clock). */
  onlineSince: number;
  /**
   * Event time of its first sample since it came online: vital signs taken within the warm-up after it
   * are ignored (in event time, so an upload is judged like a stream). null until that sample.
   */
  warmupFromTs: number | null;
  offlineSince: number | null;
  /** How it went offline: 'silent' (no message), 'status' or 'last_will'. */
  offlineReason: 'silent' | 'status' | 'last_will' | null;
  battery: number | null;
  worn: boolean | null;
  /** Since when the wearable has been off the body. */
  removedSince: number | null;
  /** Hub time of an offline status (or Last Will) still inside its grace; the device counts as online until it passes. */
  disconnectedAt: number | null;
  disconnectReason: 'status' | 'last_will' | null;
  /** Event time (`ts`) of the newest sample evaluated: older samples are late. */
  lastSampleTs: number | null;
  /** Smoothed interval between the device's samples (event time); sets how long a gap may be. */
  sampleIntervalMs: number | null;
  /** Mattress: event time of the first in-bed sample of the current stay (vital signs settle after it). */
  inBedSince: number | null;
}

export interface PresenceState {
  inBed: boolean | null;
  changedAt: number | null;
  /** Start of the current absence; survives returns shorter than the debounce. */
  absentSince: number | null;
  /** Device that reports presence; its going offline makes presence unknown. */
  sourceDeviceId: string | null;
}

/**
 * One vital sign from one device, in event time (sample `ts`): since when each tier has been breached,
 * and since when it is back to normal, as shown by samples with no gap between them.
 */
export interface VitalTrack {
  /** Last accepted reading (the reference for jumps); null before the first one. */
  value: number | null;
  /** Time of the last sample that counted (accepted or a jump being confirmed): gaps are measured from it. */
  at: number;
  /** Time of the last accepted reading: holds are judged up to it. */
  acceptedAt: number;
  majorSince: number | null;
  criticalSince: number | null;
  clearSince: number | null;
  /** Consecutive samples breaching each tier. */
  majorSamples: number;
  criticalSamples: number;
  /** First sample of a jump beyond `maxStep` not confirmed yet (its readings are held back), else null. */
  jumpSince: number | null;
  jumpValue: number | null;
  jumpSamples: number;
  /**
   * The last recorded run of ignored abnormal readings: why, and the time of its latest reading. Such
   * readings for the same reason less than `eventTime.maxGapMs` apart are one run (one journal entry).
   */
  ignoredReason: string | null;
  ignoredAt: number | null;
}

export interface PendingFall {
  detectedAt: number;
  deviceId: string;
  eventId: string | null;
  motionless: boolean;
  detections: number;
}

/**
 * One alarm episode: from the moment it is raised until it clears or an operator resolves it.
 * A resolved condition episode stays (muted) until the condition clears, so it is not raised again at once.
 */
export interface Episode {
  kind: RuleKind;
  subject: string | null;
  key: string;
  startedAt: number;
  raisedAt: number;
  severity: Severity;
  repeatCount: number;
  /**
   * When the condition last began again while the episode was open (a device going offline again),
   * so each return of the condition is counted once; null or absent before any (absent in states
   * saved before it existed).
   */
  repeatedFrom?: number | null;
  suppressed: boolean;
  resolvedAt: number | null;
  cancelledAt: number | null;
}

export interface SilenceState {
  since: number;
  until: number;
  actor: string | null;
  note: string | null;
}

/**
 * Everything the rules remember about one bed. Plain JSON (no undefined, no Date, no Map) so the caller
 * can persist it next to the actions in one SQL transaction and restore it after a crash.
 */
export interface BedRuleState {
  version: 1;
  bedId: string;
  lastEvaluatedAt: number | null;
  devices: Record<string, DeviceState>;
  presence: PresenceState;
  /** Keyed `${kind}@${deviceId}`. */
  vitals: Record<string, VitalTrack>;
  fall: PendingFall | null;
  /** Keyed by kind, or `${kind}:${deviceId}` for device-scoped kinds. */
  episodes: Record<string, Episode>;
  silence: SilenceState | null;
  /** Recent device event ids, newest last, to drop redeliveries. */
  seenEventIds: string[];
  /** Named future instants at which a tick must be evaluated; see nextDeadline(). */
  timers: Record<string, number>;
}

export interface InitialDevice {
  id: string;
  kind: DeviceKind;
  /** Last message time known to the registry; the silence timer counts from it. */
  lastSeenAt: number;
  /** Defaults to 0 (long ago): a known device restored from the registry is not warming up. */
  onlineSince?: number;
}

/**
 * Fresh state for a bed, optionally seeded with devices known from the registry. It has no timers yet:
 * evaluate one tick at adoption time so nextDeadline() covers the seeded devices' silence limits.
 */
export function initialBedState(bedId: string, options: { devices?: InitialDevice[] } = {}): BedRuleState {
  const devices: Record<string, DeviceState> = {};
  for (const d of options.devices ?? []) {
    const onlineSince = d.onlineSince ?? 0;
    devices[d.id] = {
      kind: d.kind,
      online: true,
      lastSeenAt: d.lastSeenAt,
      onlineSince,
      warmupFromTs: onlineSince,
      offlineSince: null,
      offlineReason: null,
      battery: null,
      worn: null,
      removedSince: null,
      disconnectedAt: null,
      disconnectReason: null,
      lastSampleTs: null,
      sampleIntervalMs: null,
      // Restored from the registry, like onlineSince: not treated as someone just lying down.
      inBedSince: 0,
    };
  }
  return {
    version: 1,
    bedId,
    lastEvaluatedAt: null,
    devices,
    presence: { inBed: null, changedAt: null, absentSince: null, sourceDeviceId: null },
    vitals: {},
    fall: null,
    episodes: {},
    silence: null,
    seenEventIds: [],
    timers: {},
  };
}

// Field-by-field copies: one object shape per site. A spread ({ ...d }) over states restored from
// JSON and mutated in place went megamorphic in V8 and cost microseconds per object.
// `?? null` / `?? 0`: states saved before these fields existed are restored without them.
const copyDevice = (d: DeviceState): DeviceState => ({
  kind: d.kind,
  online: d.online,
  lastSeenAt: d.lastSeenAt,
  onlineSince: d.onlineSince,
  warmupFromTs: d.warmupFromTs === undefined ? d.onlineSince : d.warmupFromTs,
  offlineSince: d.offlineSince,
  offlineReason: d.offlineReason,
  battery: d.battery,
  worn: d.worn,
  removedSince: d.removedSince,
  disconnectedAt: d.disconnectedAt ?? null,
  disconnectReason: d.disconnectReason ?? null,
  lastSampleTs: d.lastSampleTs ?? null,
  sampleIntervalMs: d.sampleIntervalMs ?? null,
  inBedSince: d.inBedSince === undefined ? 0 : d.inBedSince,
});
const copyVital = (v: VitalTrack): VitalTrack => ({
  value: v.value,
  at: v.at,
  acceptedAt: v.acceptedAt ?? v.at,
  majorSince: v.majorSince,
  criticalSince: v.criticalSince,
  clearSince: v.clearSince,
  majorSamples: v.majorSamples ?? 0,
  criticalSamples: v.criticalSamples ?? 0,
  jumpSince: v.jumpSince ?? null,
  jumpValue: v.jumpValue ?? null,
  jumpSamples: v.jumpSamples ?? 0,
  ignoredReason: v.ignoredReason ?? null,
  ignoredAt: v.ignoredAt ?? null,
});
const copyEpisode = (e: Episode): Episode => ({
  kind: e.kind,
  subject: e.subject,
  key: e.key,
  startedAt: e.startedAt,
  raisedAt: e.raisedAt,
  severity: e.severity,
  repeatCount: e.repeatCount,
  repeatedFrom: e.repeatedFrom ?? null,
  suppressed: e.suppressed,
  resolvedAt: e.resolvedAt,
  cancelledAt: e.cancelledAt,
});

/**
 * Records keyed by device id are keyed differently in every bed: as ordinary objects each
 * new key grew V8's hidden-class tree (thousands of shapes across a fleet, every access
 * megamorphic). A null-prototype object starts in dictionary mode: a plain hash table.
 */
export function newRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function copyRecord<T>(record: Record<string, T>, copy: (v: T) => T): Record<string, T> {
  const out = newRecord<T>();
  for (const key in record) out[key] = copy(record[key]);
  return out;
}

/**
 * A deep copy for the evaluator to mutate, several times cheaper than structuredClone (which
 * Node 20 runs through a MessageChannel). The copies name every field, so a required field
 * added to these interfaces fails to compile until it is copied too.
 */
export function cloneBedState(s: BedRuleState): BedRuleState {
  const p = s.presence;
  const f = s.fall;
  const q = s.silence;
  return {
    version: s.version,
    bedId: s.bedId,
    lastEvaluatedAt: s.lastEvaluatedAt,
    devices: copyRecord(s.devices, copyDevice),
    presence: { inBed: p.inBed, changedAt: p.changedAt, absentSince: p.absentSince, sourceDeviceId: p.sourceDeviceId },
    vitals: copyRecord(s.vitals, copyVital),
    fall: f && {
      detectedAt: f.detectedAt,
      deviceId: f.deviceId,
      eventId: f.eventId,
      motionless: f.motionless,
      detections: f.detections,
    },
    episodes: copyRecord(s.episodes, copyEpisode),
    silence: q && { since: q.since, until: q.until, actor: q.actor, note: q.note },
    seenEventIds: s.seenEventIds.slice(),
    timers: copyRecord(s.timers, (at) => at),
  };
}
