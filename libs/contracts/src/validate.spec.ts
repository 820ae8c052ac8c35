import { parseDeviceTopic, telemetryTopic } from './topics';
import { validateUplink } from './validate';

const ts = Date.UTC(2026, 10, 22, 12);

describe('validateUplink', () => {
  it.each([
    ['mattress', { ts, seq: 1, samples: [{ inBed: true, heartRate: 60, respirationRate: 14, movement: 1, signalQuality: 90 }] }],
    ['wearable', { ts, seq: 1, samples: [{ heartRate: 70, spo2: 97, steps: 3, worn: true, battery: 50 }] }],
    ['button', { ts, seq: 1, samples: [{ battery: 90 }] }],
  ] as const)('accepts valid %s telemetry', (kind, body) => {
    const r = validateUplink(kind, 'telemetry', JSON.stringify(body));
    expect(r.ok).toBe(true);
  });

  it('names every bad field with its path', () => {
    const r = validateUplink('mattress', 'telemetry', JSON.stringify({ ts: 'now', seq: -1, samples: [{ inBed: 'yes', heartRate: 300, extra: 1 }] }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('INVALID_PAYLOAD');
    expect([...new Set(r.errors.map((e) => e.field))].sort()).toEqual(['samples[0].extra', 'samples[0].heartRate', 'samples[0].inBed', 'seq', 'ts']);
  });

  it('checks fields against the device kind', () => {
    const r = validateUplink('button', 'telemetry', JSON.stringify({ ts, seq: 1, samples: [{ battery: 50, heartRate: 60 }] }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[0].field).toBe('samples[0].heartRate');
  });

  it('rejects malformed JSON, non-objects and events the kind cannot send', () => {
    expect(validateUplink('button', 'events', '{').ok).toBe(false);
    const arr = validateUplink('button', 'events', '[]');
    expect(!arr.ok && arr.code).toBe('INVALID_PAYLOAD');
    const fall = validateUplink('button', 'events', JSON.stringify({ eventId: 'e1', type: 'fall.detected', ts }));
    expect(!fall.ok && fall.code).toBe('EVENT_NOT_ALLOWED');
    expect(validateUplink('wearable', 'events', JSON.stringify({ eventId: 'e1', type: 'fall.detected', ts, confidence: 0.9 })).ok).toBe(true);
  });

  it('accepts a Last Will status without ts', () => {
    expect(validateUplink('mattress', 'status', '{"state":"offline"}').ok).toBe(true);
    expect(validateUplink('mattress', 'status', '{"state":"asleep"}').ok).toBe(false);
  });
});

describe('topics', () => {
  it('round-trips and refuses wildcards and foreign layouts', () => {
    expect(parseDeviceTopic(telemetryTopic('mat-1'))).toEqual({ deviceId: 'mat-1', channel: 'telemetry' });
    expect(parseDeviceTopic('bedside/v1/devices/+/telemetry')).toBeNull();
    expect(parseDeviceTopic('bedside/v2/devices/mat-1/telemetry')).toBeNull();
    expect(parseDeviceTopic('bedside/v1/devices/mat-1/other')).toBeNull();
  });
});
