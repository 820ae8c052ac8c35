import type { DeviceKind } from '@bedside/contracts';
import { ButtonModel } from './button.model';
import { MattressModel } from './mattress.model';
import { deviceSeed, hashSeed } from './prng';
import { ResidentModel } from './resident.model';
import { WearableModel } from './wearable.model';
import type { SignalModel } from './model.types';

export interface BedModelOptions {
  utcOffsetMinutes?: number;
  pressesPerDay?: number;
}

/** The three device models of one bed, sharing one resident; seeded from (seed, bed index). */
export function createBedModels(
  seed: number,
  bedIndex: number,
  opts: BedModelOptions = {},
): Record<DeviceKind, SignalModel> {
  const resident = new ResidentModel({
    seed: hashSeed(`${seed}:${bedIndex}`),
    utcOffsetMinutes: opts.utcOffsetMinutes,
  });
  return {
    mattress: new MattressModel(resident, deviceSeed(seed, bedIndex, 'mattress')),
    wearable: new WearableModel(resident, deviceSeed(seed, bedIndex, 'wearable')),
    button: new ButtonModel(deviceSeed(seed, bedIndex, 'button'), { pressesPerDay: opts.pressesPerDay }),
  };
}
