import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { eventAllowedFor, type DeviceKind } from './device-kind';
import { DeviceEventDto } from './event.dto';
import { DeviceStatusDto } from './status.dto';
import { ButtonTelemetryDto, MattressTelemetryDto, WearableTelemetryDto, type TelemetryMessage } from './telemetry.dto';
import type { ErrorCode } from './downlink.dto';
import type { UplinkChannel } from './topics';
import { compiledValidator } from './compiled-schemas';

export interface FieldError {
  field: string;
  reason: string;
}

export type Validated<T> =
  | { ok: true; value: T }
  | { ok: false; code: ErrorCode; message: string; errors: FieldError[] };

type Ctor<T> = new () => T;

const TELEMETRY_BY_KIND: Record<DeviceKind, Ctor<TelemetryMessage>> = {
  mattress: MattressTelemetryDto,
  wearable: WearableTelemetryDto,
  button: ButtonTelemetryDto,
};

// Unknown fields are errors, not silently dropped: a device maker must learn of a typo.
const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, stopAtFirstError: false };

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const isIndex = /^\d+$/.test(e.property);
    const field = parent === '' ? e.property : isIndex ? `${parent}[${e.property}]` : `${parent}.${e.property}`;
    for (const reason of Object.values(e.constraints ?? {})) out.push({ field, reason });
    if (e.children?.length) out.push(...flatten(e.children, field));
  }
  return out;
}

/**
 * Validates an already-parsed value against a DTO class. Valid messages take the compiled fast
 * path and come back as the plain object (structurally the DTO); others get class-validator.
 */
export function validateAs<T extends object>(cls: Ctor<T>, plain: unknown): Validated<T> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { ok: false, code: 'INVALID_PAYLOAD', message: 'payload must be a JSON object', errors: [{ field: '', reason: 'must be a JSON object' }] };
  }
  if (compiledValidator(cls.name)?.(plain)) return { ok: true, value: plain as T };
  return validateWithClassValidator(cls, plain);
}

/** The reference validation: slower, but it is what the DTO decorators mean, with messages. */
export function validateWithClassValidator<T extends object>(cls: Ctor<T>, plain: object): Validated<T> {
  const instance = plainToInstance(cls, plain);
  const errors = flatten(validateSync(instance, OPTIONS));
  if (errors.length > 0) {
    return { ok: false, code: 'INVALID_PAYLOAD', message: errors.map((e) => `${e.field}: ${e.reason}`).join('; '), errors };
  }
  return { ok: true, value: instance };
}

export function parseJson(payload: Buffer | string): Validated<unknown> {
  try {
    return { ok: true, value: JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8')) };
  } catch (err) {
    const reason = (err as Error).message;
    return { ok: false, code: 'MALFORMED_JSON', message: `payload is not valid JSON: ${reason}`, errors: [{ field: '', reason }] };
  }
}

export type UplinkMessage =
  | { channel: 'telemetry'; body: TelemetryMessage }
  | { channel: 'events'; body: DeviceEventDto }
  | { channel: 'status'; body: DeviceStatusDto };

/** The whole uplink check a device message gets: JSON, schema for its kind, then semantics. */
export function validateUplink(kind: DeviceKind, channel: UplinkChannel, payload: Buffer | string): Validated<UplinkMessage> {
  const json = parseJson(payload);
  if (!json.ok) return json;
  switch (channel) {
    case 'telemetry': {
      const r = validateAs(TELEMETRY_BY_KIND[kind], json.value);
      return r.ok ? { ok: true, value: { channel, body: r.value } } : r;
    }
    case 'events': {
      const r = validateAs(DeviceEventDto, json.value);
      if (!r.ok) return r;
      if (!eventAllowedFor(r.value.type, kind)) {
        const reason = `a ${kind} cannot send ${r.value.type}`;
        return { ok: false, code: 'EVENT_NOT_ALLOWED', message: reason, errors: [{ field: 'type', reason }] };
      }
      return { ok: true, value: { channel, body: r.value } };
    }
    case 'status': {
      const r = validateAs(DeviceStatusDto, json.value);
      return r.ok ? { ok: true, value: { channel, body: r.value } } : r;
    }
  }
}
