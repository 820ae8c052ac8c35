import 'reflect-metadata'; // class-transformer's @Type reads design-time metadata
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';

export const ERROR_CODES = [
  'MALFORMED_JSON', // payload is not UTF-8 JSON
  'INVALID_PAYLOAD', // JSON, but too deep, with text the hub cannot store, or fields missing, unknown, of the wrong type or out of range
  'EVENT_NOT_ALLOWED', // event type this kind of device cannot send
  'TOPIC_NOT_ALLOWED', // publish outside the device's own uplink topics; the connection is closed
  'PACKET_TOO_LARGE', // packet over the hub's limit; the connection is closed
  'DEVICE_NOT_BOUND', // accepted and stored, but no bed is bound so no alarm can be raised
  'RATE_LIMITED', // over the device's inbound quota: acknowledged, not stored
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class FieldErrorDto {
  @IsString() field!: string;
  @IsString() reason!: string;
}

/** Hub -> device on `errors`: why a message was rejected. */
export class ErrorMessageDto {
  @IsIn(ERROR_CODES) code!: ErrorCode;
  @IsString() message!: string;
  /** Topic of the rejected message. */
  @IsString() topic!: string;
  @IsOptional() @IsInt() seq?: number;
  @IsOptional() @IsString() eventId?: string;
  /** The first MAX_FIELD_ERRORS_SENT field errors. */
  @IsArray() @ValidateNested({ each: true }) @Type(() => FieldErrorDto) errors!: FieldErrorDto[];
  /** How many field errors there were, when `errors` lists only the first of them. */
  @IsOptional() @IsInt() errorCount?: number;
  /** Hub time, ms. */
  @IsInt() ts!: number;
}

export const ACK_STATUSES = ['stored', 'duplicate', 'alarm'] as const;
export type AckStatus = (typeof ACK_STATUSES)[number];

/**
 * Hub -> device on `acks`: an event was stored (`stored`/`duplicate`), and later, once the rules
 * evaluated it, a second ack `alarm` with the id of the alarm it raised or updated.
 */
export class AckMessageDto {
  @IsString() eventId!: string;
  @IsIn(ACK_STATUSES) status!: AckStatus;
  @IsOptional() @IsString() alarmId?: string;
  @IsInt() ts!: number;
}

export const COMMAND_TYPES = ['ring', 'identify', 'set-sample-interval', 'reboot'] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

/** Hub -> device on `commands`. */
export class CommandMessageDto {
  @IsString() commandId!: string;
  @IsIn(COMMAND_TYPES) type!: CommandType;
  @IsOptional() @IsObject() params?: Record<string, unknown>;
  @IsInt() ts!: number;
}
