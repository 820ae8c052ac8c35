import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { DEVICE_KINDS, eventAllowedFor, type DeviceKind } from './device-kind';
import { DeviceEventDto } from './event.dto';
import { DeviceStatusDto } from './status.dto';
import { ButtonTelemetryDto, MattressTelemetryDto, WearableTelemetryDto, type TelemetryMessage } from './telemetry.dto';
import type { ErrorCode } from './downlink.dto';
import { UPLINK_CHANNELS, type UplinkChannel } from './topics';
import { compiledValidator } from './compiled-schemas';
import { checkJsonText } from './json-text-guard';
import { FORBIDDEN_KEYS, MAX_ERROR_TEXT, MAX_FIELD_ERRORS_SENT } from './limits';

export interface FieldError {
  field: string;
  reason: string;
}

export type Validated<T> =
  { ok: true; value: T } | { ok: false; code: ErrorCode; message: string; errors: FieldError[]; errorCount?: number };

export type Rejection = Extract<Validated<never>, { ok: false }>;

const clip = (text: string) => (text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT - 1)}…` : text);

/**
 * A rejection small enough to send back: the first MAX_FIELD_ERRORS_SENT field errors, each
 * clipped (field names are device input), and the total in `errorCount` when some were left
 * out. An error downlink must never outgrow the message that caused it.
 */
export function invalid(code: ErrorCode, errors: FieldError[]): Rejection {
  const shown = errors.slice(0, MAX_FIELD_ERRORS_SENT).map((e) => ({ field: clip(e.field), reason: clip(e.reason) }));
  const more = errors.length - shown.length;
  const message =
    shown.map((e) => (e.field === '' ? e.reason : `${e.field}: ${e.reason}`)).join('; ') +
    (more > 0 ? `; and ${more} more` : '');
  return { ok: false, code, message, errors: shown, ...(more > 0 && { errorCount: errors.length }) };
}

/** Paths of keys such as `__proto__` anywhere in a parsed value (its depth is already bounded). */
function forbiddenKeys(value: unknown, path: string, out: FieldError[]): FieldError[] {
  if (typeof value !== 'object' || value === null) return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => forbiddenKeys(v, `${path}[${i}]`, out));
    return out;
  }
  for (const key of Object.keys(value)) {
    const field = path === '' ? key : `${path}.${key}`;
    if (FORBIDDEN_KEYS.has(key)) out.push({ field, reason: `property ${key} should not exist` });
    else forbiddenKeys((value as Record<string, unknown>)[key], field, out);
  }
  return out;
}

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
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain))
    return invalid('INVALID_PAYLOAD', [{ field: '', reason: 'payload must be a JSON object' }]);
  if (compiledValidator(cls.name)?.(plain)) return { ok: true, value: plain as T };
  return validateWithClassValidator(cls, plain);
}

/** The reference validation: slower, but it is what the DTO decorators mean, with messages. */
export function validateWithClassValidator<T extends object>(cls: Ctor<T>, plain: object): Validated<T> {
  // class-transformer assigns `__proto__` instead of copying it, so whitelisting never sees it.
  const prototypeKeys = forbiddenKeys(plain, '', []);
  if (prototypeKeys.length > 0) return invalid('INVALID_PAYLOAD', prototypeKeys);
  const instance = plainToInstance(cls, plain);
  const errors = flatten(validateSync(instance, OPTIONS));
  if (errors.length > 0) return invalid('INVALID_PAYLOAD', errors);
  return { ok: true, value: instance };
}

export function parseJson(payload: Buffer | string): Validated<unknown> {
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const fault = checkJsonText(bytes);
  if (fault) return invalid(fault.code, [{ field: '', reason: fault.reason }]);
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) };
  } catch (err) {
    return invalid('MALFORMED_JSON', [{ field: '', reason: `payload is not valid JSON: ${(err as Error).message}` }]);
  }
}

export type UplinkMessage =
  | { channel: 'telemetry'; body: TelemetryMessage }
  | { channel: 'events'; body: DeviceEventDto }
  | { channel: 'status'; body: DeviceStatusDto };

/**
 * The whole uplink check a device message gets: text, JSON, schema for its kind, then semantics.
 * Never throws: whatever a payload does to a validator is the payload's fault, so it is a
 * rejection (acknowledged and explained), not a failure that would leave it unacknowledged.
 */
export function validateUplink(
  kind: DeviceKind,
  channel: UplinkChannel,
  payload: Buffer | string,
): Validated<UplinkMessage> {
  try {
    return validateParsed(kind, channel, payload);
  } catch (err) {
    return invalid('INVALID_PAYLOAD', [
      { field: '', reason: `payload could not be validated: ${(err as Error).message}` },
    ]);
  }
}

/**
 * Compiles the uplink validators and runs each once, so the first message after a start does not
 * pay for it: compiling the contract's schemas and the first run of the generated code take
 * hundreds of milliseconds, which would otherwise fall on the first call for help after a
 * restart. Call it once every DTO class is loaded (the hub: at bootstrap).
 */
export function warmUplinkValidation(): void {
  const samples = [
    '{}',
    JSON.stringify({ eventId: 'warm-up', type: 'button.pressed', ts: 0 }),
    JSON.stringify({ state: 'online' }),
  ];
  for (const kind of DEVICE_KINDS)
    for (const channel of UPLINK_CHANNELS) for (const payload of samples) validateUplink(kind, channel, payload);
}

function validateParsed(kind: DeviceKind, channel: UplinkChannel, payload: Buffer | string): Validated<UplinkMessage> {
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
        return invalid('EVENT_NOT_ALLOWED', [{ field: 'type', reason: `a ${kind} cannot send ${r.value.type}` }]);
      }
      return { ok: true, value: { channel, body: r.value } };
    }
    case 'status': {
      const r = validateAs(DeviceStatusDto, json.value);
      return r.ok ? { ok: true, value: { channel, body: r.value } } : r;
    }
  }
}
