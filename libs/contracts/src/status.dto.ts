import 'reflect-metadata'; // class-transformer's @Type reads design-time metadata
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { MAX_DEVICE_TS, MIN_DEVICE_TS } from './limits';

export const DEVICE_STATES = ['online', 'offline'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

/**
 * Retained status. Devices also register `{"state":"offline"}` as their Last Will on this topic
 * (MQTT 3.1.1 §3.1.2.5), so `ts` is optional: a will is written before the device goes away.
 */
export class DeviceStatusDto {
  @IsIn(DEVICE_STATES)
  state!: DeviceState;

  @IsOptional()
  @IsInt()
  @Min(MIN_DEVICE_TS)
  @Max(MAX_DEVICE_TS)
  ts?: number;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  firmware?: string;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  battery?: number;

  /** Received signal strength, dBm. */
  @IsOptional()
  @IsInt()
  @Min(-130)
  @Max(0)
  rssi?: number;
}
