import mqttPacket from 'mqtt-packet';
import { eventsTopic, statusTopic, telemetryTopic } from '@bedside/contracts';
import type { DeviceSession } from './device-session';
import type { QuotaShortfall, UplinkGate } from './uplink-gate';
import { UplinkSkim } from './uplink-skim';

const DEVICE = 'mat-0001';
const session: DeviceSession = {
  deviceId: DEVICE,
  kind: 'mattress',
  organisationId: 'org',
  bedId: 'bed',
  remoteAddress: '127.0.0.1',
  authenticatedAt: 0,
};

const publish = (topic: string, qos: 0 | 1 | 2, messageId = 0, payload = '{"ts":1}') =>
  mqttPacket.generate({ cmd: 'publish', topic, payload, qos, messageId, retain: false, dup: false });
const pingreq = () => mqttPacket.generate({ cmd: 'pingreq' });

function setUp(o: { over: boolean; session?: DeviceSession | undefined; holdMs?: number }) {
  const written: Buffer[] = [];
  const refused: { channel: string; kind: QuotaShortfall; count: number }[] = [];
  let resumed = 0;
  const state = { over: o.over, messages: 0, bytes: 1e9, full: false, drained: null as null | (() => void) };
  const gate: UplinkGate = {
    holdMs: o.holdMs ?? 100,
    // Under its quota: more than any test sends.
    allowance: () => (state.over ? { messages: state.messages, bytes: state.bytes } : { messages: 1e6, bytes: 1e9 }),
    refuse: (_s, channel, kind, count) => void refused.push({ channel, kind, count }),
  };
  const skim = new UplinkSkim({
    session: () => ('session' in o ? o.session : session),
    gate: () => gate,
    write: (b) => {
      written.push(b);
      return !state.full;
    },
    whenDrained: (drained) => (state.drained = drained),
    resume: () => void resumed++,
  });
  const acked = () => {
    const all = Buffer.concat(written);
    const ids: number[] = [];
    for (let k = 0; k < all.length; k += 4) {
      expect(all.subarray(k, k + 2)).toEqual(Buffer.from([0x40, 0x02]));
      ids.push(all.readUInt16BE(k + 2));
    }
    return ids;
  };
  return { skim, written, refused, acked, state, resumed: () => resumed };
}

/** Feeds `stream` cut at `cuts`; what went on to the parser, joined. */
function feed(skim: UplinkSkim, stream: Buffer, cuts: number[]): Buffer {
  const out: Buffer[] = [];
  let from = 0;
  for (const at of [...cuts, stream.length]) {
    const passed = skim.filter(stream.subarray(from, at));
    if (passed) out.push(passed);
    from = at;
  }
  return Buffer.concat(out);
}

describe('UplinkSkim', () => {
  afterEach(() => jest.useRealTimers());

  it('passes every byte on unchanged while the device is under its quota, whatever the read boundaries', () => {
    const stream = Buffer.concat([
      publish(telemetryTopic(DEVICE), 0),
      publish(statusTopic(DEVICE), 1, 7),
      pingreq(),
      publish(eventsTopic(DEVICE), 1, 8, 'x'.repeat(300)),
    ]);
    for (let cut = 1; cut < stream.length; cut++) {
      const t = setUp({ over: false });
      expect(feed(t.skim, stream, [cut])).toEqual(stream);
      expect(t.refused).toEqual([]);
      expect(t.written).toEqual([]);
      expect(t.skim.holding).toBe(false);
    }
  });

  it('passes everything on before login (no session)', () => {
    const t = setUp({ over: true, session: undefined });
    const stream = Buffer.concat([publish(telemetryTopic(DEVICE), 1, 1)]);
    expect(t.skim.filter(stream)).toEqual(stream);
    expect(t.written).toEqual([]);
  });

  it('over quota, cuts telemetry and status out, acknowledges the QoS 1 ones in order, counts them and holds reads', () => {
    jest.useFakeTimers();
    const t = setUp({ over: true, holdMs: 100 });
    const stream = Buffer.concat([
      publish(telemetryTopic(DEVICE), 0),
      publish(statusTopic(DEVICE), 1, 11),
      publish(telemetryTopic(DEVICE), 1, 12),
      publish(telemetryTopic(DEVICE), 0),
    ]);
    expect(t.skim.filter(stream)).toBeNull();
    expect(t.acked()).toEqual([11, 12]);
    expect(t.refused).toEqual([
      { channel: 'telemetry', kind: 'messages', count: 3 },
      { channel: 'status', kind: 'messages', count: 1 },
    ]);
    expect(t.skim.holding).toBe(true);
    jest.advanceTimersByTime(99);
    expect(t.resumed()).toBe(0);
    jest.advanceTimersByTime(1);
    expect(t.resumed()).toBe(1);
    expect(t.skim.holding).toBe(false);
  });

  it('passes an SOS (events), QoS 2, other topics and other packets on, and holds PUBACKs behind a QoS 1 that aedes still handles', () => {
    const t = setUp({ over: true });
    const sos = publish(eventsTopic(DEVICE), 1, 2, '{"type":"button.pressed"}');
    const qos2 = publish(telemetryTopic(DEVICE), 2, 4);
    const foreign = publish(telemetryTopic('mat-0002'), 1, 5);
    const stream = Buffer.concat([
      publish(statusTopic(DEVICE), 1, 1),
      sos,
      publish(statusTopic(DEVICE), 1, 3),
      qos2,
      foreign,
      pingreq(),
      publish(telemetryTopic(DEVICE), 1, 6),
    ]);
    expect(t.skim.filter(stream)).toEqual(Buffer.concat([sos, qos2, foreign, pingreq()]));
    // 1 was before the SOS: acknowledged at once. 3 and 6 follow QoS 1 PUBLISHes aedes has.
    expect(t.acked()).toEqual([1]);
    const sosN = t.skim.begin();
    const foreignN = t.skim.begin();
    t.skim.done(sosN, () => undefined);
    expect(t.acked()).toEqual([1, 3]);
    t.skim.done(foreignN, () => undefined);
    expect(t.acked()).toEqual([1, 3, 6]);
  });

  it("acknowledges aedes' QoS 1 PUBLISHes in their order, whichever is handled first, with the refusals between them", () => {
    const t = setUp({ over: true });
    const log: string[] = [];
    const event = (id: number) => publish(eventsTopic(DEVICE), 1, id);
    const refused = (id: number) => publish(telemetryTopic(DEVICE), 1, id);
    t.skim.filter(Buffer.concat([event(1), refused(2), event(3), refused(4)]));
    const [a, b] = [t.skim.begin(), t.skim.begin()];
    t.skim.done(b, () => {
      log.push('event 3');
      expect(t.acked()).toEqual([2]);
    });
    expect(log).toEqual([]);
    t.skim.done(a, () => {
      log.push('event 1');
      // The refusal after it is written once this one's PUBACK is out.
      expect(t.acked()).toEqual([]);
    });
    expect(log).toEqual(['event 1', 'event 3']);
    expect(t.acked()).toEqual([2, 4]);
    const c = t.skim.begin();
    let acked = false;
    t.skim.done(c, () => (acked = true));
    expect(acked).toBe(true);
  });

  it('gives the same result wherever the reads split the stream (a frame judged once its topic is read)', () => {
    const sos = publish(eventsTopic(DEVICE), 1, 900, '{"type":"button.pressed","x":"' + 'y'.repeat(200) + '"}');
    const frames = [
      ...Array.from({ length: 5 }, (_v, k) => publish(telemetryTopic(DEVICE), 1, k + 1, 'z'.repeat(150))),
      sos,
      publish(statusTopic(DEVICE), 0),
      publish(telemetryTopic(DEVICE), 1, 300, 'w'.repeat(200)),
    ];
    const stream = Buffer.concat(frames);
    for (let a = 1; a < stream.length; a += 7) {
      for (const b of [a + 1, a + 3, Math.min(stream.length - 1, a + 129)]) {
        if (b <= a || b >= stream.length) continue;
        const t = setUp({ over: true, holdMs: 0 });
        expect(feed(t.skim, stream, [a, b])).toEqual(sos);
        const n = t.skim.begin();
        t.skim.done(n, () => undefined);
        expect(t.acked()).toEqual([1, 2, 3, 4, 5, 300]);
        expect(t.refused.reduce((s, r) => s + r.count, 0)).toBe(7);
      }
    }
  });

  it("passes on what the device's allowance still covers (ingest charges it) and refuses the rest for what ran out", () => {
    const t = setUp({ over: true });
    t.state.messages = 2.7;
    t.state.bytes = 40;
    const small = (id: number) => publish(telemetryTopic(DEVICE), 1, id, 'a'.repeat(10));
    const big = publish(telemetryTopic(DEVICE), 1, 3, 'b'.repeat(50));
    expect(t.skim.filter(Buffer.concat([small(1), big, small(2), small(4)]))).toEqual(
      Buffer.concat([small(1), small(2)]),
    );
    expect(t.refused).toEqual([
      { channel: 'telemetry', kind: 'messages', count: 1 },
      { channel: 'telemetry', kind: 'bytes', count: 1 },
    ]);
    // 3 (bytes) and 4 (messages) refused; 3 waits for 1, 4 for 2, which aedes has.
    expect(t.acked()).toEqual([]);
    t.skim.done(t.skim.begin(), () => undefined);
    expect(t.acked()).toEqual([3]);
    t.skim.done(t.skim.begin(), () => undefined);
    expect(t.acked()).toEqual([3, 4]);
  });

  it('refuses from the first read over the allowance; a read it covers whole goes on as it is', () => {
    const t = setUp({ over: true });
    t.state.messages = 3;
    const frame = (id: number) => publish(telemetryTopic(DEVICE), 1, id, 'a'.repeat(10));
    const covered = Buffer.concat([frame(1), frame(2)]);
    expect(t.skim.filter(covered)).toBe(covered); // no copy
    expect(t.refused).toEqual([]);
    // Ingest charged those two; one message left for this read of four.
    t.state.messages = 1;
    expect(t.skim.filter(Buffer.concat([frame(3), frame(4), frame(5), frame(6)]))).toEqual(frame(3));
    expect(t.refused).toEqual([{ channel: 'telemetry', kind: 'messages', count: 3 }]);
    expect(t.skim.holding).toBe(true);
  });

  it('refuses for payload bytes, counted from the Remaining Length, a device that has messages left', () => {
    const t = setUp({ over: true });
    t.state.messages = 100;
    t.state.bytes = 25; // two payloads of 10 bytes, though each frame is longer than 25 bytes
    const frame = (id: number) => publish(statusTopic(DEVICE), 1, id, 'b'.repeat(10));
    expect(t.skim.filter(Buffer.concat([frame(1), frame(2), frame(3)]))).toEqual(Buffer.concat([frame(1), frame(2)]));
    expect(t.refused).toEqual([{ channel: 'status', kind: 'bytes', count: 1 }]);
    t.skim.done(t.skim.begin(), () => undefined);
    t.skim.done(t.skim.begin(), () => undefined);
    expect(t.acked()).toEqual([3]);
  });

  it('counts an event against the allowance (ingest charges it) without ever refusing it', () => {
    const t = setUp({ over: true });
    t.state.messages = 1;
    const sos = publish(eventsTopic(DEVICE), 1, 1, '{"type":"button.pressed"}');
    const more = publish(eventsTopic(DEVICE), 1, 3, '{"type":"button.pressed"}');
    expect(t.skim.filter(Buffer.concat([sos, publish(telemetryTopic(DEVICE), 1, 2), more]))).toEqual(
      Buffer.concat([sos, more]),
    );
    expect(t.refused).toEqual([{ channel: 'telemetry', kind: 'messages', count: 1 }]);
  });

  it('judges a frame split across reads on its topic, drops the rest as it arrives and acknowledges it once whole', () => {
    const t = setUp({ over: true });
    const big = publish(telemetryTopic(DEVICE), 1, 7, 'c'.repeat(200_000));
    const next = publish(eventsTopic(DEVICE), 1, 8, '{"type":"button.pressed"}');
    const stream = Buffer.concat([big, next]);
    // The first read ends inside the topic: kept back until the topic and packet id are here.
    expect(t.skim.filter(stream.subarray(0, 10))).toBeNull();
    expect(t.skim.filter(stream.subarray(10, 64 * 1024))).toBeNull();
    expect(t.refused).toEqual([{ channel: 'telemetry', kind: 'messages', count: 1 }]);
    expect(t.acked()).toEqual([]); // not before the whole PUBLISH has arrived
    expect(t.skim.filter(stream.subarray(64 * 1024, big.length - 5))).toBeNull();
    expect(t.skim.filter(stream.subarray(big.length - 5))).toEqual(next);
    expect(t.acked()).toEqual([7]);
    expect(t.refused).toHaveLength(1);
  });

  it('passes on a large frame split across reads that the allowance covers, without keeping it back', () => {
    const t = setUp({ over: true });
    t.state.messages = 1;
    t.state.bytes = 300_000;
    const big = publish(telemetryTopic(DEVICE), 1, 7, 'd'.repeat(200_000));
    const parts = [big.subarray(0, 1000), big.subarray(1000, 100_000), big.subarray(100_000)];
    expect(parts.map((c) => t.skim.filter(c))).toEqual(parts);
    expect(t.refused).toEqual([]);
  });

  it('takes a frame passed on in pieces off the allowance until aedes has it whole (ingest charges it then)', () => {
    const t = setUp({ over: true });
    t.state.messages = 10;
    t.state.bytes = 250;
    const a = publish(telemetryTopic(DEVICE), 1, 1, 'a'.repeat(150));
    const b = publish(telemetryTopic(DEVICE), 1, 2, 'b'.repeat(150));
    expect(t.skim.filter(a.subarray(0, 50))).toEqual(a.subarray(0, 50));
    // The rest of the first and the whole second: ingest has not charged the first yet.
    expect(t.skim.filter(Buffer.concat([a.subarray(50), b]))).toEqual(a.subarray(50));
    expect(t.refused).toEqual([{ channel: 'telemetry', kind: 'bytes', count: 1 }]);
  });

  it('does not refuse a frame that began before the device ran over its quota', () => {
    const t = setUp({ over: false });
    const frame = publish(telemetryTopic(DEVICE), 1, 1, 'q'.repeat(100));
    const first = t.skim.filter(frame.subarray(0, 40));
    t.state.over = true;
    const rest = t.skim.filter(frame.subarray(40));
    expect(Buffer.concat([first!, rest!])).toEqual(frame);
    expect(t.written).toEqual([]);
  });

  it('reads nothing more from a connection that leaves its PUBACKs unread, until it has taken them', () => {
    const t = setUp({ over: true, holdMs: 0 });
    t.state.full = true;
    expect(t.skim.filter(publish(telemetryTopic(DEVICE), 1, 1))).toBeNull();
    expect(t.skim.holding).toBe(true);
    t.state.drained!();
    expect(t.skim.holding).toBe(false);
    expect(t.resumed()).toBe(1);
  });

  it('stops reading while it holds and starts again when the hold ends (no timer left after close)', () => {
    jest.useFakeTimers();
    const t = setUp({ over: true, holdMs: 50 });
    t.skim.filter(publish(telemetryTopic(DEVICE), 0));
    expect(t.skim.holding).toBe(true);
    t.skim.close();
    expect(t.skim.holding).toBe(false);
    jest.advanceTimersByTime(100);
    expect(t.resumed()).toBe(0);
  });
});
