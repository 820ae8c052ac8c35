/** Bounds shared by the DTOs, the docs and devices-sim. */
export const MIN_DEVICE_TS = Date.UTC(2020, 0, 1); // a device clock before this has never been set
export const MAX_DEVICE_TS = Date.UTC(2100, 0, 1);
export const MAX_SAMPLES_PER_MESSAGE = 300; // 5 min of 1 Hz samples
export const MAX_SEQ = Number.MAX_SAFE_INTEGER;
export const EVENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
