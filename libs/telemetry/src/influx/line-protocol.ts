import { Point, escape, type PointSettings } from '@influxdata/influxdb-client';
import { STORED_NAME, type TelemetryPoint } from '../telemetry-point';

/** TelemetryPoint property -> InfluxDB field key (the same names as the SQL columns). */
export const INFLUX_FIELD = STORED_NAME;
const FLOAT_FIELDS = ['heartRate', 'respirationRate', 'movement', 'signalQuality', 'spo2', 'battery'] as const;

// Timestamps are numbers of ms and the write URL says precision=ms.
const MS_PRECISION: Partial<PointSettings> = {
  convertTime: (v) => (v === undefined ? undefined : v instanceof Date ? String(v.getTime()) : String(v)),
};

/**
 * Tag values the line protocol cannot carry faithfully: a trailing backslash would escape the
 * delimiter, and the client escapes control characters (\n, \r, \t) as two characters that
 * InfluxDB stores literally.
 */
function badTag(v: string): boolean {
  // eslint-disable-next-line no-control-regex
  return v.length === 0 || v.endsWith('\\') || /[\u0000-\u001f]/.test(v);
}

function checkPoint(p: TelemetryPoint): string | null {
  if (typeof p.deviceId !== 'string' || badTag(p.deviceId)) return `unusable device id ${JSON.stringify(p.deviceId)}`;
  if (p.bedId !== null && p.bedId !== undefined && (typeof p.bedId !== 'string' || (p.bedId !== '' && badTag(p.bedId))))
    return `unusable bed id ${JSON.stringify(p.bedId)}`;
  if (!Number.isSafeInteger(p.ts)) return `bad timestamp ${p.ts}`;
  return null;
}

/** The reference: the client's Point builds the line (sorted tags and fields, escaping, value checks). */
export function toLineProtocolWithPoint(p: TelemetryPoint, measurement = 'telemetry'): string | { error: string } {
  const bad = checkPoint(p);
  if (bad) return { error: bad };
  try {
    const pt = new Point(measurement).tag('device_id', p.deviceId).tag('kind', String(p.kind));
    if (p.bedId) pt.tag('bed_id', p.bedId);
    pt.intField('seq', p.seq);
    for (const f of FLOAT_FIELDS) {
      const v = p[f];
      if (v !== null && v !== undefined) pt.floatField(INFLUX_FIELD[f], v);
    }
    if (p.steps !== null && p.steps !== undefined) pt.intField('steps', p.steps);
    if (p.inBed !== null && p.inBed !== undefined) pt.booleanField('in_bed', p.inBed);
    if (p.worn !== null && p.worn !== undefined) pt.booleanField('worn', p.worn);
    pt.timestamp(p.ts);
    const line = pt.toLineProtocol(MS_PRECISION);
    return line ?? { error: 'point has no fields' };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

type FieldKind = 'float' | 'int' | 'bool';
/** Field keys in the order Point emits them (sorted), with how each is written. */
const FIELD_LAYOUT: readonly [keyof TelemetryPoint, string, FieldKind][] = (
  [
    ...FLOAT_FIELDS.map((f) => [f, INFLUX_FIELD[f], 'float'] as const),
    ['seq', 'seq', 'int'],
    ['steps', 'steps', 'int'],
    ['inBed', 'in_bed', 'bool'],
    ['worn', 'worn', 'bool'],
  ] as [keyof TelemetryPoint, string, FieldKind][]
).sort((a, b) => (a[1] < b[1] ? -1 : 1));
const INT_LIMIT = 9223372036854776e3;

/**
 * One point as a line of line protocol (ms timestamp), or an error message. Byte for byte what
 * toLineProtocolWithPoint gives (a spec holds them together over random points), built without
 * a Point per sample: Point sorts its keys on every call, and that was a tenth of all memory the
 * hub allocated per message. Anything unusual (a non-finite number) takes the Point path for its error.
 */
export function toLineProtocol(p: TelemetryPoint, measurement = 'telemetry'): string | { error: string } {
  const bad = checkPoint(p);
  if (bad) return { error: bad };
  if (typeof p.seq !== 'number') return toLineProtocolWithPoint(p, measurement);
  let fields = '';
  for (const [prop, key, kind] of FIELD_LAYOUT) {
    const v = p[prop];
    if (v === null || v === undefined) continue;
    let text: string;
    if (kind === 'bool') text = v ? 'T' : 'F';
    else if (typeof v !== 'number' || !Number.isFinite(v) || (kind === 'int' && Math.abs(v) >= INT_LIMIT))
      return toLineProtocolWithPoint(p, measurement);
    else text = kind === 'int' ? `${Math.floor(v)}i` : String(v);
    fields += fields ? `,${key}=${text}` : `${key}=${text}`;
  }
  if (fields === '') return toLineProtocolWithPoint(p, measurement);
  const bed = p.bedId ? `,bed_id=${escape.tag(p.bedId)}` : '';
  const kind = String(p.kind);
  return `${escape.measurement(measurement)}${bed},device_id=${escape.tag(p.deviceId)}${kind ? `,kind=${escape.tag(kind)}` : ''} ${fields} ${p.ts}`;
}
