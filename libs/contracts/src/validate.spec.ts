import { parseDeviceTopic, telemetryTopic } from './topics';
import { validateUplink } from './validate';

const ts = Date.UTC(2026, 10, 22, 12);

describe('validateUplink', () => {
  it.each([
    [
      'mattress',
      { ts, seq: 1, samples: [{ inBed: true, heartRate: 60, respirationRate: 14, movement: 1, signalQuality: 90 }] },
    ],
    ['wearable', { ts, seq: 1, samples: [{ heartRate: 70, spo2: 97, steps: 3, worn: true, battery: 50 }] }],
    ['button', { ts, seq: 1, samples: [{ battery: 90 }] }],
  ] as const)('accepts valid %s telemetry', (kind, body) => {
    const r = validateUplink(kind, 'telemetry', JSON.stringify(body));
    expect(r.ok).toBe(true);
  });

  it('names every bad field with its path', () => {
    const r = validateUplink(
      'mattress',
      'telemetry',
      JSON.stringify({ ts: 'now', seq: -1, samples: [{ inBed: 'yes', heartRate: 300, extra: 1 }] }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('INVALID_PAYLOAD');
    expect([...new Set(r.errors.map((e) => e.field))].sort()).toEqual([
      'samples[0].extra',
      'samples[0].heartRate',
      'samples[0].inBed',
      'seq',
      'ts',
    ]);
  });

  it('checks fields against the device kind', () => {
    const r = validateUplink(
      'button',
      'telemetry',
      JSON.stringify({ ts, seq: 1, samples: [{ battery: 50, heartRate: 60 }] }),
    );
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[0].field).toBe('samples[0].heartRate');
  });

  it('rejects malformed JSON, non-objects and events the kind cannot send', () => {
    expect(validateUplink('button', 'events', '{').ok).toBe(false);
    const arr = validateUplink('button', 'events', '[]');
    expect(!arr.ok && arr.code).toBe('INVALID_PAYLOAD');
    const fall = validateUplink('button', 'events', JSON.stringify({ eventId: 'e1', type: 'fall.detected', ts }));
    expect(!fall.ok && fall.code).toBe('EVENT_NOT_ALLOWED');
    expect(
      validateUplink(
        'wearable',
        'events',
        JSON.stringify({ eventId: 'e1', type: 'fall.detected', ts, confidence: 0.9 }),
      ).ok,
    ).toBe(true);
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

describe('validateUplink: payloads that must be rejected, never stored or thrown', () => {
  it('refuses U+0000 in a status string as INVALID_PAYLOAD', () => {
    const r = validateUplink('mattress', 'status', '{"state":"online","firmware":"2.4\\u00001"}');
    expect(!r.ok && r.code).toBe('INVALID_PAYLOAD');
  });

  it('refuses invalid UTF-8 inside a JSON string as MALFORMED_JSON', () => {
    const r = validateUplink(
      'mattress',
      'status',
      Buffer.concat([Buffer.from('{"state":"online","firmware":"2.'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),
    );
    expect(!r.ok && r.code).toBe('MALFORMED_JSON');
  });

  it('refuses deep nesting in unknown fields without throwing', () => {
    const r = validateUplink('mattress', 'status', `{"state":"online","x":${'['.repeat(2000)}${']'.repeat(2000)}}`);
    expect(!r.ok && r.code).toBe('INVALID_PAYLOAD');
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses a %s key at the top and nested', (key) => {
    const top = validateUplink(
      'button',
      'events',
      `{"eventId":"e1","type":"button.pressed","ts":${ts},"${key}":{"x":1}}`,
    );
    expect(!top.ok && top.code).toBe('INVALID_PAYLOAD');
    expect(!top.ok && top.errors.map((e) => e.field)).toContain(key);
    const nested = validateUplink('button', 'telemetry', `{"ts":${ts},"seq":1,"samples":[{"battery":50,"${key}":{}}]}`);
    expect(!nested.ok && nested.code).toBe('INVALID_PAYLOAD');
  });

  it('caps the errors it lists and counts the rest', () => {
    const samples = Array.from({ length: 300 }, () => ({ inBed: 'yes', heartRate: 999, ['x'.repeat(1000)]: 1 }));
    const r = validateUplink('mattress', 'telemetry', JSON.stringify({ ts, seq: 1, samples }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(20);
    expect(r.errorCount).toBe(900);
    expect(r.message).toMatch(/and 880 more$/);
    expect(JSON.stringify(r).length).toBeLessThan(16 * 1024);
  });
});
