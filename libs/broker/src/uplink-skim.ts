import type { Client } from 'aedes';
import { eventsTopic, statusTopic, telemetryTopic, type UplinkChannel } from '@bedside/contracts';
import type { DeviceSession } from './device-session';
import type { QuotaShortfall, UplinkGate } from './uplink-gate';

const PUBLISH = 3; // MQTT 3.1.1 §2.2.1
const PUBACK_HEADER = 0x40; // PUBACK, remaining length 2 (§3.4)

export interface SkimIo {
  session(): DeviceSession | undefined;
  gate(): UplinkGate | null;
  /** Writes acknowledgements to the connection; false when its buffer is full (it is not reading). */
  write(bytes: Buffer): boolean;
  /** Calls `drained` once the connection has taken what was written (the caller bounds the wait). */
  whenDrained(drained: () => void): void;
  /** Wakes the reader up after a hold (aedes reads on 'readable'). */
  resume(): void;
}

interface OwnTopics {
  deviceId: string;
  telemetry: Buffer;
  status: Buffer;
  events: Buffer;
}

/** Returned by passOn when the read holds more than the device's allowance could cover. */
const OVER = Symbol('over');

/**
 * One connection's read path under the device's inbound quota. A device that floods telemetry
 * or status is refused from the raw bytes: each PUBLISH frame (MQTT 3.1.1 §3.3) on its own
 * telemetry or status topic, at QoS 0 or 1, beyond what the quota still allows (messages, and
 * payload bytes counted from the frame's Remaining Length) is cut out before aedes parses it,
 * so it is never parsed into an object, authorised, handed to ingest or relayed to subscribers;
 * a QoS 1 one is acknowledged here. That holds from the first message over the quota on, and
 * for frames of any size (one split across reads is judged once its topic has arrived, and the
 * rest of it dropped as it comes). A read the allowance covers whole, counting every PUBLISH in
 * it at its full length, goes on as it is. Events (an SOS among them) and everything else go on
 * to aedes unchanged. After a read with refusals the connection is not read for the gate's
 * hold, so what the device sends meanwhile waits in its own buffers (TCP back-pressure), nor
 * while it leaves the PUBACKs unread (the caller drops it if that lasts).
 *
 * PUBACKs leave in the order of their PUBLISHes (§4.6), here and in aedes: `begin`/`done` number
 * the QoS 1 PUBLISHes aedes hands to authorizePublish (in the order they are passed on) and let
 * each be acknowledged only after everything before it, a refusal cut out here included. An SOS
 * is stored and raised as soon as it is read; only its PUBACK keeps its place in the line.
 *
 * The quota is charged by ingest for what aedes hands it, synchronously as aedes parses a read
 * (lib/handlers/publish.js), so each read's allowance already counts everything passed on before.
 */
export class UplinkSkim {
  private carry: Buffer | null = null;
  /** Bytes of a frame already partly passed on that are still to come. */
  private bodyLeft = 0;
  /**
   * That frame's payload bytes, when it is a PUBLISH: ingest charges it only once aedes has it
   * whole, so until then it is taken off the allowance here.
   */
  private inFlight: number | null = null;
  /** Bytes of a refused frame still to come (dropped as they arrive), and its PUBACK, owed once they have. */
  private skipLeft = 0;
  private skipAck: number[] | null = null;
  private held: NodeJS.Timeout | null = null;
  /** Waiting for a connection that does not read its PUBACKs: it is not read either. */
  private undrained = false;
  private topics: OwnTopics | null = null;
  /** QoS 1 PUBLISHes passed on, begun (in authorizePublish) and the lowest not yet acknowledged. */
  private passed = 0;
  private begun = 0;
  private lowestOpen = 0;
  /** Handled out of turn: their acknowledgement waits for the ones before them. */
  private readonly doneEarly = new Map<number, () => void>();
  /** Acknowledgements waiting for QoS 1 PUBLISHes before them: `after` is how many of those were passed on before. */
  private readonly waiting: { after: number; acks: Buffer }[] = [];

  constructor(private readonly io: SkimIo) {}

  /** Whether reads are on hold: the connection is not read. */
  get holding(): boolean {
    return this.held !== null || this.undrained;
  }

  /** A QoS 1 PUBLISH reached authorizePublish; returns its number for `done`. */
  begin(): number {
    return this.begun++;
  }

  /**
   * The QoS 1 PUBLISH numbered `n` is handled; `ack` lets aedes acknowledge it (aedes writes the
   * PUBACK inside it, synchronously). Called at once when everything before it has been
   * acknowledged, else as soon as it has.
   */
  done(n: number, ack: () => void): void {
    if (n !== this.lowestOpen || this.waiting.length > 0) {
      this.doneEarly.set(n, ack);
      this.release();
      return;
    }
    this.lowestOpen++;
    ack();
    if (this.doneEarly.size > 0) this.release();
  }

  /** Stops the hold timer (the connection is closing). */
  close(): void {
    if (this.held) clearTimeout(this.held);
    this.held = null;
  }

  /** What of `chunk` (whole or partial frames) goes on to aedes' parser; null for nothing. */
  filter(chunk: Buffer): Buffer | null {
    let data = chunk;
    if (this.carry) {
      data = Buffer.concat([this.carry, chunk]);
      this.carry = null;
    }
    if (this.skipLeft > 0) {
      const n = Math.min(this.skipLeft, data.length);
      this.skipLeft -= n;
      if (this.skipLeft === 0 && this.skipAck) {
        this.acknowledge(this.skipAck);
        this.skipAck = null;
      }
      if (n === data.length) return null;
      data = data.subarray(n);
    }
    const len = data.length;
    let i = Math.min(this.bodyLeft, len);
    this.bodyLeft -= i;
    const inFlight = this.inFlight;
    if (this.bodyLeft === 0) this.inFlight = null;
    const session = this.bodyLeft === 0 ? this.io.session() : undefined;
    const gate = session ? this.io.gate() : null;
    const quota = session && gate ? gate.allowance(session) : null;
    if (!quota) return this.passOn(data, i, null);
    const allowance =
      inFlight === null ? { ...quota } : { messages: quota.messages - 1, bytes: quota.bytes - inFlight };
    const whole = this.passOn(data, i, allowance);
    if (whole !== OVER) return whole;
    // More than the allowance could cover: frame by frame, up to it on (ingest charges what
    // passes), the rest refused here.
    const own = this.ownTopics(session!);
    // Passed-on ranges [start, end) in order; most reads have one.
    const keep: number[] = [];
    let keepFrom = 0;
    let cut = false;
    const acks: number[] = [];
    // Refusals by channel (telemetry, status) and what ran out (messages, bytes).
    const refused = [0, 0, 0, 0];
    while (i < len) {
      const frame = readFixedHeader(data, i);
      if (frame === 'incomplete') {
        this.carry = Buffer.from(data.subarray(i));
        break;
      }
      if (frame === 'malformed') {
        i = len; // aedes' parser reports it and closes the connection
        break;
      }
      const end = i + frame.headerBytes + frame.remaining;
      const publish = data[i] >> 4 === PUBLISH;
      const qos = (data[i] >> 1) & 3;
      const header = publish ? publishHeader(data, i, frame, qos, own) : null;
      if (header === 'incomplete') {
        if (qos <= 1) {
          // Its topic (and packet id) not all here yet: kept back until they are.
          this.carry = Buffer.from(data.subarray(i));
          break;
        }
      }
      const info = header === 'incomplete' ? null : header;
      const short = info && refusable(info, qos) ? spend(allowance, info.payloadBytes) : null;
      if (!short) {
        // An event is charged by ingest as well (whatever the quota, if it is a call for help).
        if (info?.channel === 'events') spend(allowance, info.payloadBytes);
        if (publish && qos === 1) this.passed++;
        if (end > len) {
          this.bodyLeft = end - len;
          if (publish) this.inFlight = info ? info.payloadBytes : frame.remaining;
          i = len;
          break;
        }
        i = end;
        continue;
      }
      if (i > keepFrom) keep.push(keepFrom, i);
      cut = true;
      refused[(info!.channel === 'telemetry' ? 0 : 2) + (short === 'messages' ? 0 : 1)]++;
      if (end > len) {
        // Cut short: the rest is dropped as it arrives, and acknowledged once it has.
        this.skipLeft = end - len;
        if (qos === 1) this.skipAck = [this.passed, info!.packetId];
        keepFrom = len;
        i = len;
        break;
      }
      if (qos === 1) acks.push(this.passed, info!.packetId);
      keepFrom = end;
      i = end;
    }
    const stop = this.carry ? len - this.carry.length : len;
    if (stop > keepFrom) keep.push(keepFrom, stop);
    if (cut) {
      for (let k = 0; k < 4; k++)
        if (refused[k]) gate!.refuse(session!, k < 2 ? 'telemetry' : 'status', REFUSAL_KINDS[k % 2], refused[k]);
      this.acknowledge(acks);
      this.hold(gate!.holdMs);
    }
    if (keep.length === 0) return null;
    if (keep.length === 2) return data.subarray(keep[0], keep[1]);
    const parts: Buffer[] = [];
    for (let k = 0; k < keep.length; k += 2) parts.push(data.subarray(keep[k], keep[k + 1]));
    return Buffer.concat(parts);
  }

  /**
   * Everything from `from` on goes on as it is (no copy); the frames are only followed to know
   * where the next read starts and to number the QoS 1 PUBLISHes. With a `limit`, OVER (and
   * nothing changed) when the read's PUBLISHes, each counted at its whole Remaining Length
   * (more than its payload), might not fit into it.
   */
  private passOn(data: Buffer, from: number, limit: null): Buffer | null;
  private passOn(data: Buffer, from: number, limit: { messages: number; bytes: number }): Buffer | null | typeof OVER;
  private passOn(
    data: Buffer,
    from: number,
    limit: { messages: number; bytes: number } | null,
  ): Buffer | null | typeof OVER {
    const passedBefore = this.passed;
    let messages = 0;
    let bytes = 0;
    let i = from;
    while (i < data.length) {
      const frame = readFixedHeader(data, i);
      if (frame === 'malformed') return data; // aedes' parser reports it and closes the connection
      if (frame === 'incomplete') {
        this.carry = Buffer.from(data.subarray(i));
        return i === 0 ? null : data.subarray(0, i);
      }
      if (data[i] >> 4 === PUBLISH) {
        if (limit && (++messages > limit.messages || (bytes += frame.remaining) > limit.bytes)) {
          this.passed = passedBefore;
          return OVER;
        }
        if (((data[i] >> 1) & 3) === 1) this.passed++;
      }
      const end = i + frame.headerBytes + frame.remaining;
      if (end > data.length) {
        this.bodyLeft = end - data.length;
        if (data[i] >> 4 === PUBLISH) this.inFlight = payloadBytesOf(data, i, frame);
      }
      i = end;
    }
    return data;
  }

  /** `acks`: pairs of (QoS 1 PUBLISHes passed on before it, packet id), in order. */
  private acknowledge(acks: number[]): void {
    for (let k = 0; k < acks.length;) {
      const after = acks[k];
      let n = 0;
      while (k + 2 * n < acks.length && acks[k + 2 * n] === after) n++;
      const bytes = Buffer.allocUnsafe(4 * n);
      for (let j = 0; j < n; j++) {
        bytes[4 * j] = PUBACK_HEADER;
        bytes[4 * j + 1] = 2;
        bytes.writeUInt16BE(acks[k + 2 * j + 1], 4 * j + 2);
      }
      this.waiting.push({ after, acks: bytes });
      k += 2 * n;
    }
    this.release();
  }

  /** Writes what is owed in order: refusals' PUBACKs before the PUBLISH they came before, then that one's. */
  private release(): void {
    for (;;) {
      while (this.waiting.length > 0 && this.waiting[0].after <= this.lowestOpen) this.send(this.waiting.shift()!.acks);
      const ack = this.doneEarly.get(this.lowestOpen);
      if (!ack) return;
      this.doneEarly.delete(this.lowestOpen);
      this.lowestOpen++;
      ack();
    }
  }

  private send(acks: Buffer): void {
    if (this.io.write(acks) || this.undrained) return;
    this.undrained = true;
    this.io.whenDrained(() => {
      this.undrained = false;
      if (!this.holding) this.io.resume();
    });
  }

  private hold(ms: number): void {
    if (this.held || ms <= 0) return;
    this.held = setTimeout(() => {
      this.held = null;
      if (!this.holding) this.io.resume();
    }, ms);
    this.held.unref();
  }

  private ownTopics(session: DeviceSession): OwnTopics {
    if (this.topics?.deviceId !== session.deviceId)
      this.topics = {
        deviceId: session.deviceId,
        telemetry: Buffer.from(telemetryTopic(session.deviceId)),
        status: Buffer.from(statusTopic(session.deviceId)),
        events: Buffer.from(eventsTopic(session.deviceId)),
      };
    return this.topics;
  }
}

const REFUSAL_KINDS: readonly QuotaShortfall[] = ['messages', 'bytes'];

/** Takes one message of `bytes` from `allowance`, or says what it lacks (then takes nothing). */
function spend(allowance: { messages: number; bytes: number }, bytes: number): QuotaShortfall | null {
  if (allowance.messages < 1) return 'messages';
  if (allowance.bytes < bytes) return 'bytes';
  allowance.messages -= 1;
  allowance.bytes -= bytes;
  return null;
}

interface FixedHeader {
  headerBytes: number;
  remaining: number;
}

/** MQTT 3.1.1 §2.2: type byte and Remaining Length (1-4 bytes, 7 bits each, least significant first). */
function readFixedHeader(data: Buffer, at: number): FixedHeader | 'incomplete' | 'malformed' {
  let remaining = 0;
  let mult = 1;
  for (let k = 1; k <= 4; k++) {
    if (at + k >= data.length) return 'incomplete';
    const b = data[at + k];
    remaining += (b & 0x7f) * mult;
    if ((b & 0x80) === 0) return { headerBytes: k + 1, remaining };
    mult *= 128;
  }
  return 'malformed';
}

interface PublishHeader {
  /** Which of the device's own uplink topics it is on; null for any other topic. */
  channel: UplinkChannel | null;
  payloadBytes: number;
  packetId: number;
}

/**
 * A PUBLISH's topic, payload size and packet id (§3.3.2), from its first bytes; 'incomplete'
 * while they have not all arrived, null when they do not add up (aedes' parser reports it).
 */
function publishHeader(
  data: Buffer,
  at: number,
  frame: FixedHeader,
  qos: number,
  own: OwnTopics,
): PublishHeader | 'incomplete' | null {
  const body = at + frame.headerBytes;
  if (frame.remaining < 2) return null;
  if (body + 2 > data.length) return 'incomplete';
  const topicBytes = data.readUInt16BE(body);
  const idBytes = qos > 0 ? 2 : 0;
  const payloadBytes = frame.remaining - 2 - topicBytes - idBytes;
  if (payloadBytes < 0) return null;
  const topicAt = body + 2;
  if (topicAt + topicBytes + idBytes > data.length) return 'incomplete';
  const channel: UplinkChannel | null = sameBytes(data, topicAt, topicBytes, own.telemetry)
    ? 'telemetry'
    : sameBytes(data, topicAt, topicBytes, own.status)
      ? 'status'
      : sameBytes(data, topicAt, topicBytes, own.events)
        ? 'events'
        : null;
  const packetId = qos > 0 ? data.readUInt16BE(topicAt + topicBytes) : 0;
  return { channel, payloadBytes, packetId };
}

/** A PUBLISH's payload size, or its Remaining Length (more) while its topic length has not arrived. */
function payloadBytesOf(data: Buffer, at: number, frame: FixedHeader): number {
  const body = at + frame.headerBytes;
  if (body + 2 > data.length) return frame.remaining;
  const idBytes = ((data[at] >> 1) & 3) > 0 ? 2 : 0;
  return Math.max(0, frame.remaining - 2 - data.readUInt16BE(body) - idBytes);
}

/**
 * Telemetry or status at QoS 0 or 1 may be refused here. Not at QoS 1 with packet id 0: a
 * protocol violation (§2.3.1-1), which aedes' path answers by closing the connection.
 */
const refusable = (h: PublishHeader, qos: number) =>
  (h.channel === 'telemetry' || h.channel === 'status') && qos <= 1 && !(qos === 1 && h.packetId === 0);

const sameBytes = (data: Buffer, at: number, n: number, topic: Buffer) =>
  n === topic.length && data.compare(topic, 0, n, at, at + n) === 0;

const skims = new WeakMap<Client, UplinkSkim>();

/** Each aedes client's skim, for the hooks that number its QoS 1 PUBLISHes. */
export const UplinkSkims = {
  attach(client: Client, skim: UplinkSkim): void {
    skims.set(client, skim);
  },
  of(client: Client | null | undefined): UplinkSkim | undefined {
    return client ? skims.get(client) : undefined;
  },
};
