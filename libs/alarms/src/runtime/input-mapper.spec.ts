import { eventInput, inTimeOrder, kindForEvent, statusInput, telemetryInput } from './input-mapper';

describe('input mapping', () => {
  it('maps mattress and wearable samples to telemetry inputs, button samples to a battery status', () => {
    expect(
      telemetryInput({
        deviceId: 'm',
        bedId: 'b',
        kind: 'mattress',
        seq: 1,
        ts: 5,
        inBed: true,
        heartRate: 60,
        respirationRate: 12,
        signalQuality: 90,
      }),
    ).toEqual(
      expect.objectContaining({
        type: 'telemetry',
        deviceKind: 'mattress',
        deviceId: 'm',
        inBed: true,
        heartRate: 60,
        respirationRate: 12,
        signalQuality: 90,
      }),
    );
    expect(
      telemetryInput({ deviceId: 'w', bedId: 'b', kind: 'wearable', seq: 1, ts: 5, spo2: 90, worn: true, battery: 50 }),
    ).toEqual(
      expect.objectContaining({ type: 'telemetry', deviceKind: 'wearable', spo2: 90, worn: true, battery: 50 }),
    );
    expect(telemetryInput({ deviceId: 'btn', bedId: 'b', kind: 'button', seq: 1, ts: 5, battery: 9 })).toEqual(
      expect.objectContaining({ type: 'status', deviceKind: 'button', online: true, battery: 9 }),
    );
  });

  it("puts a message's samples in time order, copying only when they are not", () => {
    const point = (ts: number) => ({ deviceId: 'm', bedId: 'b', kind: 'mattress' as const, seq: 1, ts });
    const ordered = [point(1), point(2), point(2), point(3)];
    expect(inTimeOrder(ordered)).toBe(ordered);
    expect(inTimeOrder([point(3), point(1), point(2)]).map((p) => p.ts)).toEqual([1, 2, 3]);
  });

  it("keeps each sample's own ts on its rule input (holds are judged on it)", () => {
    expect(telemetryInput({ deviceId: 'm', bedId: 'b', kind: 'mattress', seq: 1, ts: 42, inBed: true })).toMatchObject({
      ts: 42,
    });
  });

  it('maps events with their id so redeliveries are recognised', () => {
    expect(eventInput({ deviceId: 'btn', kind: 'button', eventId: 'e1', type: 'button.pressed', ts: 7 })).toEqual({
      type: 'event',
      deviceId: 'btn',
      deviceKind: 'button',
      eventId: 'e1',
      event: 'button.pressed',
      ts: 7,
    });
  });

  it('treats an offline status without ts as the Last Will and ignores broker-side disconnects', () => {
    const base = { deviceId: 'w', kind: 'wearable' as const, bedId: 'b', at: 1 };
    expect(statusInput({ ...base, source: 'status', status: { state: 'offline' } })).toEqual(
      expect.objectContaining({ online: false, lastWill: true }),
    );
    expect(statusInput({ ...base, source: 'status', status: { state: 'offline', ts: 1 } })).toEqual(
      expect.objectContaining({ online: false, lastWill: false }),
    );
    expect(statusInput({ ...base, source: 'connection', status: { state: 'offline' } })).toBeNull();
    expect(statusInput({ ...base, source: 'connection', status: { state: 'online' } })).toEqual(
      expect.objectContaining({ online: true }),
    );
  });

  it('knows which alarm kind an event can raise, for the device ack', () => {
    expect(kindForEvent('button.pressed')).toBe('sos');
    expect(kindForEvent('fall.detected')).toBe('fall');
    expect(kindForEvent('bed.exit')).toBeNull();
  });
});
