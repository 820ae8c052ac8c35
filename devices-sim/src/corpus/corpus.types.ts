import type { DeviceKind, EventType } from '@bedside/contracts';
import type { AnySample } from '../models/model.types';
import type { NightPlan, Span } from '../models/sleep-plan';

/** What a corpus run covers: pure parameters, no clock. */
export interface CorpusOptions {
  seed: number;
  beds: number;
  /** Start of the observed night, UTC ms (21:00 local by convention). */
  start: number;
  /** Observed hours from `start` (10 = 21:00-07:00, one bed-night). */
  hours: number;
  /** Households' offset from UTC, minutes (Asia/Shanghai: 480). */
  utcOffsetMinutes: number;
  /** Share of beds given one true event (the rest have normal nights only). */
  eventShare: number;
}

/** Hours of one bed-night: false alarms are counted per bed per 10 observed hours. */
export const NIGHT_HOURS = 10;

export const TRUE_EVENT_TYPES = [
  'bradycardia',
  'tachycardia',
  'apnea',
  'desaturation',
  'night_absence',
  'fall',
] as const;
export type TrueEventType = (typeof TRUE_EVENT_TYPES)[number];

/**
 * A true emergency declared by the corpus. `onset` is its clinical onset (for a night absence:
 * the moment it has lasted 20 min; for a fall: the detection); the alarm must be seen by the
 * call centre in [`start`, `deadline`].
 */
export interface TrueEvent {
  type: TrueEventType;
  bedIndex: number;
  /** The alarm kind that must be raised. */
  alarmKind: string;
  /** When the physiology or behaviour starts. */
  start: number;
  onset: number;
  /** When the condition ends (signals normal again). */
  end: number;
  deadline: number;
  detail: string;
}

export type UploadMode =
  /** One sample per message as it is measured. */
  | { kind: 'stream'; sampleEveryMs: number }
  /** Samples measured every `sampleEveryMs`, sent together every `uploadEveryMs`. */
  | { kind: 'batch'; sampleEveryMs: number; uploadEveryMs: number };

/** Drawn once per resident (and their devices). */
export interface ResidentProfile {
  age: number;
  restingHeartRate: number;
  restingRespiration: number;
  spo2Baseline: number;
  /** Turnovers per hour in bed. */
  turnoversPerHour: number;
  toiletTrips: number;
  /** Wearable worn overnight; `removesAt` (fraction of the night) if taken off during it. */
  wearable: { wornAtNight: boolean; removesAtFraction: number | null };
  upload: Record<DeviceKind, UploadMode>;
  /** A weak link: the connection drops every few seconds for a while. */
  flakyLink: DeviceKind | null;
}

/** A short artefact of the sensors or the link, declared so alarms can be traced to it. */
export type ArtefactKind =
  'lie-down' | 'getting-up' | 'turnover' | 'spo2-motion-dip' | 'removal-reading' | 'dropout' | 'cancelled-fall';

export interface Artefact extends Span<ArtefactKind> {
  device: DeviceKind;
}

/** One bed's whole night, everything the signal generators need. */
export interface BedNight {
  bedIndex: number;
  seed: number;
  start: number;
  end: number;
  utcOffsetMinutes: number;
  resident: ResidentProfile;
  /** Sleep stages and bed exits (toilet trips, a long absence); `out` outside bedtime..wake. */
  sleep: NightPlan;
  artefacts: Artefact[];
  /** Spans when the wearable is on the wrist. */
  worn: Span<'worn'>[];
  /** Detected falls: cancelled by the wearer (normal) or not (a true event). */
  falls: { at: number; cancelAt: number | null; confidence: number }[];
  events: TrueEvent[];
}

/** What one device does at an instant: publish telemetry or an event, lose or regain its link. */
export type DeviceAction =
  | { at: number; type: 'telemetry'; samples: AnySample[] }
  | { at: number; type: 'event'; event: EventType; ts: number; confidence?: number }
  | { at: number; type: 'drop' }
  | { at: number; type: 'reconnect' };
