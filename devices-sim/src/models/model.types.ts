import type { ButtonSampleDto, DeviceKind, EventType, MattressSampleDto, WearableSampleDto } from '@bedside/contracts';

export type MattressSample = Omit<MattressSampleDto, never>;
export type WearableSample = Omit<WearableSampleDto, never>;
export type ButtonSample = Omit<ButtonSampleDto, never>;
export type AnySample = MattressSample | WearableSample | ButtonSample;

/** A discrete event the model wants sent (bed exit, press, worn...). */
export interface ModelEvent {
  type: EventType;
  ts: number;
  confidence?: number;
}

export interface ModelOutput<S extends AnySample = AnySample> {
  sample: S;
  events: ModelEvent[];
}

/** One device's signals. `next` must be called with non-decreasing times (ms epoch). */
export interface SignalModel<S extends AnySample = AnySample> {
  readonly kind: DeviceKind;
  next(t: number): ModelOutput<S>;
}
