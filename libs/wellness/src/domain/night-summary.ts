import type { DeviceKind } from '@bedside/contracts';
import type { RollupSample } from '@bedside/telemetry';
import type { Distribution } from './statistics';
import type { NightDate } from './night-window';

/** Bumped whenever a definition below changes; each stored night records the version it was computed with. */
export const SUMMARY_VERSION = 1;

export type WellnessDeviceKind = DeviceKind;

/** The fields of a stored sample the summaries read: those a minute rollup folds. */
export type WellnessSample = RollupSample;

export interface NightAlarm {
  id: string;
  kind: string;
  severity: string;
  startedAt: number;
  /** Raised under a maintenance silence: recorded, never alerted, so not counted here. */
  suppressed: boolean;
}

export interface Absence {
  start: number;
  end: number;
  durationMs: number;
  /** False when the night ended (or the data stopped) before the resident was seen back in bed. */
  returned: boolean;
}

export interface Gap {
  from: number;
  to: number;
}

export interface DeviceCoverage {
  deviceId: string;
  kind: WellnessDeviceKind;
  samples: number;
  /** Median spacing of its samples this night; null with fewer than two. */
  usualIntervalMs: number | null;
  /** Window time not inside a gap. */
  coveredMs: number;
  /** coveredMs / window length, 0..1. */
  uptime: number;
  gapCount: number;
  gapTotalMs: number;
  longestGapMs: number;
  /** The first gaps, oldest first (at most MAX_LISTED). */
  gaps: Gap[];
}

export interface NightSummary {
  version: number;
  night: NightDate;
  timeZone: string;
  window: { start: number; end: number; durationMs: number };
  /** At least one mattress sample in the window: without it the night says nothing about the resident. */
  hasData: boolean;
  /** Distinct (device, ts) samples in the window, and repeats of one that were ignored. */
  samples: { mattress: number; wearable: number; duplicates: number };
  presence: {
    timeInBedMs: number;
    timeOutOfBedMs: number;
    /** Neither: no mattress reading covers it. */
    unknownMs: number;
    firstInBedAt: number | null;
    /** End of the last time in bed, null when still in bed when the window closed. */
    finalRiseAt: number | null;
  };
  bedExits: {
    /** Absences that began in the core night hours and lasted at least minAbsenceMs. */
    count: number;
    totalMs: number;
    longestMs: number;
    absences: Absence[];
  };
  /** Mattress readings while in bed with acceptable signal; 0 (not detected) excluded. */
  heartRate: Distribution | null;
  respirationRate: Distribution | null;
  movement: {
    /** Mean movement index (0-100) of the in-bed readings. */
    meanInBed: number | null;
    /** Time in bed with a movement index at or above the restless threshold. */
    restlessMs: number;
  };
  /** Wearable readings while worn. */
  spo2: Distribution | null;
  /** Null when the bed has no wearable. */
  wearable: { wornMs: number } | null;
  devices: DeviceCoverage[];
  alarms: {
    count: number;
    byKind: Record<string, number>;
    items: { id: string; kind: string; severity: string; startedAt: number }[];
  };
}

/** Lists inside a summary are capped so that one chaotic night cannot bloat a row. */
export const MAX_LISTED = 50;
