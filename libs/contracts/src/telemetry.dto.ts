import 'reflect-metadata'; // class-transformer's @Type reads design-time metadata
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsNumber,
  IsOptional,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { MAX_DEVICE_TS, MAX_SAMPLES_PER_MESSAGE, MAX_SEQ, MIN_DEVICE_TS } from './limits';

/** Fields every sample may carry. `ts` defaults to the message `ts`. */
abstract class SampleBase {
  @IsOptional()
  @IsInt()
  @Min(MIN_DEVICE_TS)
  @Max(MAX_DEVICE_TS)
  ts?: number;
}

export class MattressSampleDto extends SampleBase {
  /** Whether the mattress senses a body. Vitals are absent or null when the bed is empty. */
  @IsBoolean()
  inBed!: boolean;

  /** Beats per minute. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(250)
  heartRate?: number;

  /** Breaths per minute; 0 means no breathing detected (apnea). */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(80)
  respirationRate?: number;

  /** Body movement intensity, 0 (still) to 100. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  movement?: number;

  /** Sensor's own confidence in the vitals, 0 to 100. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  signalQuality?: number;
}

export class WearableSampleDto extends SampleBase {
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(250)
  heartRate?: number;

  /** Blood oxygen saturation, percent. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(50)
  @Max(100)
  spo2?: number;

  /** Steps counted since the previous sample. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  steps?: number;

  @IsOptional()
  @IsBoolean()
  worn?: boolean;

  /** Battery charge, percent. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  battery?: number;

  /** Wrist movement intensity, 0 (still) to 100: SpO2 taken in motion is not trusted; none after a fall reads as motionless. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  movement?: number;

  /** Optical (PPG) signal quality, 0 to 100: low at poor perfusion or a loose fit. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  signalQuality?: number;
}

export class ButtonSampleDto extends SampleBase {
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  battery!: number;
}

abstract class TelemetryBase {
  /** Device time of sending, ms since the Unix epoch. */
  @IsInt()
  @Min(MIN_DEVICE_TS)
  @Max(MAX_DEVICE_TS)
  ts!: number;

  /** Per-device message sequence, increasing by one per message; used to drop redeliveries. */
  @IsInt()
  @Min(0)
  @Max(MAX_SEQ)
  seq!: number;
}

export class MattressTelemetryDto extends TelemetryBase {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SAMPLES_PER_MESSAGE)
  @ValidateNested({ each: true })
  @Type(() => MattressSampleDto)
  samples!: MattressSampleDto[];
}

export class WearableTelemetryDto extends TelemetryBase {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SAMPLES_PER_MESSAGE)
  @ValidateNested({ each: true })
  @Type(() => WearableSampleDto)
  samples!: WearableSampleDto[];
}

export class ButtonTelemetryDto extends TelemetryBase {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SAMPLES_PER_MESSAGE)
  @ValidateNested({ each: true })
  @Type(() => ButtonSampleDto)
  samples!: ButtonSampleDto[];
}

export type TelemetrySample = Partial<MattressSampleDto & WearableSampleDto & ButtonSampleDto> & { ts?: number };
export type TelemetryMessage = MattressTelemetryDto | WearableTelemetryDto | ButtonTelemetryDto;
