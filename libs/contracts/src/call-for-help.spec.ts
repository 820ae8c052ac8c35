import { isCallForHelp } from './call-for-help';

describe('isCallForHelp', () => {
  const event = (type: string) => Buffer.from(JSON.stringify({ eventId: 'e-1', type, ts: 1 }));

  it('tells an SOS or a fall from the other events', () => {
    expect(isCallForHelp('events', event('button.pressed'))).toBe(true);
    expect(isCallForHelp('events', event('fall.detected'))).toBe(true);
    expect(isCallForHelp('events', event('button.cancelled'))).toBe(false);
    expect(isCallForHelp('events', event('bed.exit'))).toBe(false);
  });

  it('reads only events, and nothing unreadable', () => {
    expect(isCallForHelp('status', event('button.pressed'))).toBe(false);
    expect(isCallForHelp('events', '{"type":')).toBe(false);
    expect(isCallForHelp('events', 'null')).toBe(false);
    expect(isCallForHelp('events', '{"type":"button.pressed"}')).toBe(true);
  });
});
