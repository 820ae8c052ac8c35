/** Bounds shared by the DTOs, the docs and devices-sim. */
export const MIN_DEVICE_TS = Date.UTC(2020, 0, 1); // a device clock before this has never been set
export const MAX_DEVICE_TS = Date.UTC(2100, 0, 1);
export const MAX_SAMPLES_PER_MESSAGE = 300; // 5 min of 1 Hz samples
export const MAX_SEQ = Number.MAX_SAFE_INTEGER;
export const EVENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
/** Deepest nesting of objects and arrays in an uplink (telemetry needs 3), checked before parsing. */
export const MAX_JSON_DEPTH = 8;
/** Field errors listed in one `errors` downlink; the rest are only counted (`errorCount`). */
export const MAX_FIELD_ERRORS_SENT = 20;
/** Longest field name or reason echoed back, characters (a field name is device input). */
export const MAX_ERROR_TEXT = 200;
/** Object keys JavaScript treats as the prototype chain: never a field of any message. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
