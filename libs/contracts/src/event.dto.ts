import 'reflect-metadata'; // class-transformer's @Type reads design-time metadata
import { IsIn, IsInt, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';
import { EVENT_TYPE_NAMES, type EventType } from './device-kind';
import { EVENT_ID_PATTERN, MAX_DEVICE_TS, MAX_SEQ, MIN_DEVICE_TS } from './limits';

/** A discrete event (QoS 1). `eventId` is unique per device and makes redelivery harmless. */
export class DeviceEventDto {
  @Matches(EVENT_ID_PATTERN, {
    message: 'eventId must be 1-64 characters of A-Z a-z 0-9 _ . : - starting with a letter or digit',
  })
  eventId!: string;

  @IsIn(EVENT_TYPE_NAMES)
  type!: EventType;

  @IsInt()
  @Min(MIN_DEVICE_TS)
  @Max(MAX_DEVICE_TS)
  ts!: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_SEQ)
  seq?: number;

  /** Detector confidence for fall.detected, 0 to 1. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  confidence?: number;
}
