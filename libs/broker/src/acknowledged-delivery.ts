import type { Aedes, Client } from 'aedes';
import { devicePrefix } from '@bedside/contracts';

/** How a delivery ended: the device acknowledged it (PUBACK), or it could not be or was not. */
export type DeliveryOutcome = 'acknowledged' | 'unconfirmed' | 'not-delivered';

interface AedesClientInternals {
  connected: boolean;
  closed: boolean;
  clean: boolean;
  _nextId: number;
  subscriptions: Record<string, { qos: number } | undefined>;
  deliverQoS(packet: object, done: (err?: Error | null) => void): void;
}

interface AedesInternals {
  id: string;
  counter: number;
  clients: Record<string, Client | undefined>;
  persistence: {
    outgoingEnqueue(sub: { clientId: string }, packet: object): Promise<void>;
    outgoingClearMessageId(client: Client, packet: { cmd?: string; messageId?: number }): Promise<unknown>;
  };
}

/**
 * A QoS 1 downlink to one connected device whose PUBACK the caller learns of. aedes reports a
 * PUBACK ('ack' event) with the original packet only for persistent sessions, so the packet id
 * is chosen here (taken from the client's own counter, as aedes' QoSPacket would) and PUBACKs are
 * seen where aedes clears a packet id (handlers/puback.js). The packet goes straight to the
 * device's connection, subscribed filters checked, never through the broker's fan-out.
 */
export class AcknowledgedDelivery {
  private readonly waiting = new WeakMap<Client, Map<number, (outcome: DeliveryOutcome) => void>>();
  private readonly internals: AedesInternals;

  constructor(broker: Aedes) {
    this.internals = broker as unknown as AedesInternals;
    const persistence = this.internals.persistence;
    const clear = persistence.outgoingClearMessageId.bind(persistence);
    persistence.outgoingClearMessageId = (client, packet) => {
      if (packet.cmd === 'puback' && packet.messageId !== undefined)
        this.settle(client, packet.messageId, 'acknowledged');
      return clear(client, packet);
    };
    broker.on('clientDisconnect', (client) => this.abandon(client));
  }

  /**
   * Resolves 'acknowledged' on the device's PUBACK; 'unconfirmed' once written when the device
   * subscribed at QoS 0 (it will never acknowledge); 'not-delivered' when the device is not
   * connected, not subscribed to `topic`, or its connection ends first.
   */
  send(deviceId: string, topic: string, payload: Buffer): Promise<DeliveryOutcome> {
    const client = this.internals.clients[deviceId];
    const c = client as unknown as AedesClientInternals | undefined;
    if (!client || !c || !c.connected || c.closed) return Promise.resolve('not-delivered');
    const qos = subscribedQos(c, deviceId, topic);
    if (qos === null) return Promise.resolve('not-delivered');
    const messageId = qos > 0 ? reservePacketId(c) : undefined;
    const packet = {
      cmd: 'publish',
      topic,
      payload,
      qos: qos > 0 ? 1 : 0,
      retain: false,
      dup: false,
      brokerId: this.internals.id,
      brokerCounter: ++this.internals.counter,
      messageId,
    };
    return new Promise((resolve) => {
      if (messageId !== undefined) this.pending(client).set(messageId, resolve);
      const written = (err?: Error | null) => {
        if (messageId === undefined) resolve(err ? 'not-delivered' : 'unconfirmed');
        else if (err) this.settle(client, messageId, 'not-delivered');
      };
      // A persistent session's QoS 1 packet is queued first (aedes' client.publish does the same),
      // so it is sent again with DUP 1 if the device reconnects before acknowledging it.
      if (messageId === undefined || c.clean) c.deliverQoS(packet, written);
      else
        this.internals.persistence
          .outgoingEnqueue({ clientId: deviceId }, packet)
          .then(() => c.deliverQoS(packet, written), written);
    });
  }

  private pending(client: Client): Map<number, (outcome: DeliveryOutcome) => void> {
    let map = this.waiting.get(client);
    if (!map) this.waiting.set(client, (map = new Map<number, (outcome: DeliveryOutcome) => void>()));
    return map;
  }

  private settle(client: Client, messageId: number, outcome: DeliveryOutcome): void {
    const map = this.waiting.get(client);
    const resolve = map?.get(messageId);
    if (!resolve) return;
    map!.delete(messageId);
    resolve(outcome);
  }

  private abandon(client: Client): void {
    const map = this.waiting.get(client);
    if (!map) return;
    this.waiting.delete(client);
    for (const resolve of map.values()) resolve('not-delivered');
  }
}

/** The QoS the device subscribed to `topic` with (the filters the topic ACL allows), or null. */
function subscribedQos(client: AedesClientInternals, deviceId: string, topic: string): number | null {
  const prefix = devicePrefix(deviceId);
  let qos: number | null = null;
  for (const filter of [topic, `${prefix}#`, `${prefix}+`]) {
    const sub = client.subscriptions[filter];
    if (sub && (qos === null || sub.qos > qos)) qos = sub.qos;
  }
  return qos;
}

/** Takes the next packet id from the client's own counter (1..65535), as aedes' QoSPacket does. */
function reservePacketId(client: AedesClientInternals): number {
  const id = client._nextId;
  client._nextId = id >= 65535 ? 1 : id + 1;
  return id;
}
