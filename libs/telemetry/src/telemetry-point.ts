import type { DeviceKind } from '@bedside/contracts';

/** One stored sample: a device's reading at one instant, with the bed it was bound to then. */
export interface TelemetryPoint {
  deviceId: string;
  bedId: string | null;
  kind: DeviceKind;
  /** Sequence of the message that carried this sample. */
  seq: number;
  /** Device time, ms since the Unix epoch. */
  ts: number;
  heartRate?: number | null;
  respirationRate?: number | null;
  inBed?: boolean | null;
  movement?: number | null;
  signalQuality?: number | null;
  spo2?: number | null;
  steps?: number | null;
  worn?: boolean | null;
  battery?: number | null;
}

export const NUMERIC_FIELDS = [
  'heartRate',
  'respirationRate',
  'movement',
  'signalQuality',
  'spo2',
  'steps',
  'battery',
] as const;
export type NumericField = (typeof NUMERIC_FIELDS)[number];
export const BOOLEAN_FIELDS = ['inBed', 'worn'] as const;

/** Storage name of each sample field: the SQL column and the InfluxDB field key alike. */
export const STORED_NAME = {
  heartRate: 'heart_rate',
  respirationRate: 'respiration_rate',
  movement: 'movement',
  signalQuality: 'signal_quality',
  spo2: 'spo2',
  steps: 'steps',
  battery: 'battery',
  inBed: 'in_bed',
  worn: 'worn',
  seq: 'seq',
} as const satisfies Record<NumericField | (typeof BOOLEAN_FIELDS)[number] | 'seq', string>;

export interface TelemetryQuery {
  bedId?: string;
  deviceId?: string;
  /** Inclusive, ms. */
  from: number;
  /** Exclusive, ms. */
  to: number;
  limit?: number;
}

export interface AggregateQuery extends TelemetryQuery {
  intervalMs: number;
  fields: NumericField[];
}

export interface AggregateRow {
  /** Start of the interval, ms. */
  ts: number;
  values: Partial<Record<NumericField, { min: number; mean: number; max: number; count: number }>>;
}
