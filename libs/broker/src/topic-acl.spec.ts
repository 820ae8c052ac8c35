import { deviceMaySubscribe, uplinkChannelFor } from './topic-acl';

describe('topic ACL', () => {
  it.each([
    ['bedside/v1/devices/mat-1/telemetry', 'telemetry'],
    ['bedside/v1/devices/mat-1/events', 'events'],
    ['bedside/v1/devices/mat-1/status', 'status'],
    ['bedside/v1/devices/mat-2/telemetry', null],
    ['bedside/v1/devices/mat-1/commands', null],
    ['bedside/v1/devices/mat-1/telemetry/extra', null],
    ['$SYS/broker/clients', null],
    ['other/topic', null],
  ])('publish %s -> %s', (topic, expected) => {
    expect(uplinkChannelFor('mat-1', topic)).toBe(expected);
  });

  it.each([
    ['bedside/v1/devices/mat-1/errors', true],
    ['bedside/v1/devices/mat-1/acks', true],
    ['bedside/v1/devices/mat-1/commands', true],
    ['bedside/v1/devices/mat-1/#', true],
    ['bedside/v1/devices/mat-1/telemetry', false],
    ['bedside/v1/devices/mat-2/errors', false],
    ['bedside/v1/devices/+/errors', false],
    ['#', false],
    ['$SYS/#', false],
    ['bedside/#', false],
  ])('subscribe %s -> %s', (filter, expected) => {
    expect(deviceMaySubscribe('mat-1', filter)).toBe(expected);
  });
});
